"""Importing fdk without what its import changes for the whole process.

Importing `fdk` sets the root logger to DEBUG with a handler of its own, and, when uvloop is
installed (uvicorn[standard] brings it), makes uvloop's the event loop policy of every loop
made afterwards. A process that only uses fdk's responses or test fixtures (the API's
tests, a handler called in process) keeps its own logging and event loops.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from types import ModuleType

__all__ = ["import_fdk"]


def import_fdk(module: str) -> ModuleType:
    """`fdk.<module>`, imported with the root logger and the event loop policy kept."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    policy = asyncio.get_event_loop_policy()
    try:
        return importlib.import_module(f"fdk.{module}")
    finally:
        root.setLevel(level)
        root.handlers[:] = handlers
        asyncio.set_event_loop_policy(policy)
