"""`python -m provena.devnet.tether MODULE [ARGS...]`: run `python -m MODULE` in this process,
and end it when the process that started it goes, however that one ends.

The starter keeps the write end of this process's stdin and never writes to it. When the
starter exits, or is killed with SIGKILL, the kernel closes that end, reading stdin returns
end-of-file, and this process sends itself SIGTERM, as a clean stop would. (A preexec hook
such as `prctl(PR_SET_PDEATHSIG)` would do the same, but the devnet's process runs gRPC
threads, and only a plain fork-and-exec is safe in a multithreaded process.)
"""

from __future__ import annotations

import os
import runpy
import signal
import sys
import threading

__all__ = ["main"]


def _stop_when_stdin_closes() -> None:
    # os.read, not sys.stdin: a daemon thread blocked inside the buffered reader holds its
    # lock, and the interpreter aborts when it finalizes stdin at exit.
    while os.read(0, 65536):
        pass  # nothing is ever written; bytes, if any, are not a reason to stop
    os.kill(os.getpid(), signal.SIGTERM)


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit("usage: python -m provena.devnet.tether MODULE [ARGS...]")
    module = sys.argv[1]
    sys.argv = [module, *sys.argv[2:]]
    threading.Thread(target=_stop_when_stdin_closes, name="tether", daemon=True).start()
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
