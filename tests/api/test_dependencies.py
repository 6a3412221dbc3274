"""Every dependency of every route is a coroutine: FastAPI runs a plain function in its
thread pool, a hop between threads on every request for what is a dictionary lookup."""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Iterator
from pathlib import Path

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from provena.api.app import create_app
from provena.settings import Settings


def _calls(dependant: Dependant) -> Iterator[object]:
    for dependency in dependant.dependencies:
        if dependency.call is not None:
            yield dependency.call
        yield from _calls(dependency)


def _asynchronous(call: object) -> bool:
    """A coroutine or async generator function, or an object whose `__call__` is one."""
    method = call if inspect.isfunction(call) else type(call).__call__
    return inspect.iscoroutinefunction(method) or inspect.isasyncgenfunction(method)


def _routes(routes: Iterable[object]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        included = getattr(route, "original_router", None)  # an include_router'd router
        yield from _routes(getattr(included or route, "routes", ()))


def test_no_route_depends_on_a_plain_function(tmp_path: Path) -> None:
    app = create_app(
        Settings(data_dir=tmp_path, dev_issuer=False, oidc_issuer="http://issuer.invalid")
    )
    routes = list(_routes(app.routes))
    assert len(routes) > 40
    plain = {
        f"{route.path}: {getattr(call, '__qualname__', call)}"
        for route in routes
        for call in _calls(route.dependant)
        if not _asynchronous(call)
    }
    assert not plain, sorted(plain)
