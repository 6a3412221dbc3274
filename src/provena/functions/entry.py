"""The file the Fn runtime loads: `fdk <this file> handler`, or `provena-function`.

`fdk` imports a handler from a file path, not a module (with `SourceFileLoader.load_module`,
deprecated since Python 3.10); `main` hands fdk the handler itself, so the image runs
`provena-function` without knowing where the package is installed.
"""

from __future__ import annotations

import asyncio
import logging
import os

from provena.functions.handlers import handler

__all__ = ["handler", "main"]


def main() -> None:
    """Serve `handler` on the socket Fn names (FN_LISTENER, FN_FORMAT=http-stream)."""
    import fdk  # type: ignore[import-untyped]
    from fdk import customer_code

    class Provena(customer_code.Function):  # type: ignore[misc]
        def handler(self) -> object:
            return handler

    logging.getLogger().setLevel(os.environ.get("PROVENA_LOG_LEVEL", "INFO"))  # fdk sets DEBUG
    # fdk installs uvloop's policy when uvloop is there (uvicorn[standard] brings it), whose
    # get_event_loop(), which fdk.handle calls, refuses to make a loop: give it one.
    asyncio.set_event_loop(asyncio.new_event_loop())
    fdk.handle(Provena(__file__, entrypoint="handler"))
