"""The GC lock: adds hold it shared from their first block to their pin; GC holds it alone.

    add    ──[ pin_lock (shared):  put block … put block … pin root ]──►
    gc     ──[ gc_lock (exclusive): mark from pins … sweep ]──►

Without it, a GC that runs after an add has written some blocks but before it pins the root
finds those blocks unreferenced and deletes them, and the pin then names a DAG that is gone.
This is boxo's `GCLocker` (`PinLock` for adds, `GCLock` for GC), reduced to what a
blockstore of ours needs. Holding the lock shared, adds run side by side; a GC waits for the
adds in flight to pin, and adds that start meanwhile wait for the GC.

    FileGcLock      `flock` on the blockstore's directory itself: it also orders a
                    `provena ipfs gc` in another process against the API's adds
    ProcessGcLock   this process only (memory and object-store blockstores)

Both wait by polling (a few milliseconds at first, 50 ms at most), so a cancelled waiter
never leaves a lock taken behind it, and they work from any event loop or thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Protocol, runtime_checkable

__all__ = ["FileGcLock", "GcLocking", "ProcessGcLock", "gc_lock", "pin_lock"]

_FIRST_WAIT = 0.002
_LONGEST_WAIT = 0.05


@runtime_checkable
class GcLocking(Protocol):
    """A blockstore that orders GC against adds (the optional capability GC looks for)."""

    def pin_lock(self) -> AbstractAsyncContextManager[None]:
        """Held by an add from its first block until its root is pinned (shared)."""
        ...

    def gc_lock(self) -> AbstractAsyncContextManager[None]:
        """Held by GC from its mark to the end of its sweep (exclusive)."""
        ...


def pin_lock(blockstore: object) -> AbstractAsyncContextManager[None]:
    """`blockstore`'s pin lock, or nothing for a store without one (Kubo has its own)."""
    if isinstance(blockstore, GcLocking):
        return blockstore.pin_lock()
    return contextlib.nullcontext()


def gc_lock(blockstore: object) -> AbstractAsyncContextManager[None]:
    """`blockstore`'s GC lock, or nothing for a store without one."""
    if isinstance(blockstore, GcLocking):
        return blockstore.gc_lock()
    return contextlib.nullcontext()


async def _poll(attempt: Callable[[], bool]) -> None:
    wait = _FIRST_WAIT
    while not attempt():
        await asyncio.sleep(wait)
        wait = min(wait * 2, _LONGEST_WAIT)


class ProcessGcLock:
    """A readers-writer lock for one process. A waiting GC keeps new adds out, so a steady
    stream of uploads cannot put GC off forever."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._adds = 0
        self._collecting = False
        self._gc_waiting = 0

    def _try_add(self) -> bool:
        with self._mutex:
            if self._collecting or self._gc_waiting:
                return False
            self._adds += 1
            return True

    def _try_gc(self) -> bool:
        with self._mutex:
            if self._collecting or self._adds:
                return False
            self._collecting = True
            return True

    @contextlib.asynccontextmanager
    async def pin_lock(self) -> AsyncIterator[None]:
        await _poll(self._try_add)
        try:
            yield
        finally:
            with self._mutex:
                self._adds -= 1

    @contextlib.asynccontextmanager
    async def gc_lock(self) -> AsyncIterator[None]:
        with self._mutex:
            self._gc_waiting += 1
        try:
            await _poll(self._try_gc)
        finally:
            with self._mutex:
                self._gc_waiting -= 1
        try:
            yield
        finally:
            with self._mutex:
                self._collecting = False


class FileGcLock:
    """`flock` on the directory `path`: shared for adds, exclusive for GC, across processes.

    Locking the directory itself adds no file to it. Each holder opens the directory
    itself, so holders in one process exclude each other as holders in different processes
    do; the kernel releases the lock if a holder dies.
    """

    def __init__(self, path: Path) -> None:
        self._path = path

    @contextlib.asynccontextmanager
    async def _held(self, mode: int) -> AsyncIterator[None]:
        self._path.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:

            def attempt() -> bool:
                try:
                    fcntl.flock(fd, mode | fcntl.LOCK_NB)
                except BlockingIOError:
                    return False
                return True

            await _poll(attempt)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the lock

    def pin_lock(self) -> AbstractAsyncContextManager[None]:
        return self._held(fcntl.LOCK_SH)

    def gc_lock(self) -> AbstractAsyncContextManager[None]:
        return self._held(fcntl.LOCK_EX)
