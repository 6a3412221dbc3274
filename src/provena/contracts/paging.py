"""Pages of records, with the bookmark to fetch the next one."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from pydantic import Field

from provena.contracts.model import Model

__all__ = ["PageOf", "PageSize"]

T = TypeVar("T", bound=Model)
PageSize = Annotated[int, Field(ge=1, le=200)]


class PageOf(Model, Generic[T]):
    records: list[T]
    bookmark: str
    count: int
