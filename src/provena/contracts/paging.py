"""Pages of records, with the bookmark to fetch the next one."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from pydantic import Field

from provena.contracts.ledger import Ledger
from provena.contracts.model import Model

__all__ = ["PageOf", "PageSize", "page_of"]

T = TypeVar("T", bound=Model)
PageSize = Annotated[int, Field(ge=1, le=200)]


class PageOf(Model, Generic[T]):
    records: list[T]
    bookmark: str
    count: int


async def page_of(
    ledger: Ledger,
    model: type[T],
    record_type: str,
    index: str,
    value: str,
    *,
    page_size: int,
    bookmark: str,
) -> PageOf[T]:
    """One page of the records that `index` lists under `value` (its last attribute is the id)."""
    page = await ledger.page(index, [value], page_size=page_size, bookmark=bookmark)
    records = [
        await ledger.load(model, record_type, key[-1], what=model.__name__.lower())
        for key in page.keys
    ]
    return PageOf[model](records=records, bookmark=page.bookmark, count=len(records))  # type: ignore[valid-type]
