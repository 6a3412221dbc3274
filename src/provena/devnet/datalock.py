"""One user of a data directory at a time: an exclusive `flock` on `<data>/devnet.lock`.

A running devnet holds it from its first step to its last, so a second devnet on the same
directory is refused at once, and `chaincode deploy` can tell a devnet that is still starting
(lock held, admin socket not listening yet) from none at all. The kernel drops the lock when
its holder dies, however it dies.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from types import TracebackType

__all__ = ["DataLock"]

_POLL = 0.05


class DataLock:
    """The exclusive lock on one data directory's lock file."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._fd: int | None = None

    def acquire(self, timeout: float = 0.0) -> bool:
        """Take the lock, trying for up to `timeout` seconds; whether it was taken."""
        if self._fd is not None:
            raise RuntimeError(f"{self._path} is already locked by this process")
        self._path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    return False
                time.sleep(_POLL)
            else:
                self._fd = fd
                return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None

    def __enter__(self) -> DataLock:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()
