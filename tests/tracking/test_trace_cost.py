"""A trace costs one query per level of depth, whatever the breadth (one more for holders)."""

from __future__ import annotations

from pathlib import Path

from bench.epcis_trace import generate, node
from sqlalchemy import event

from provena.db import Database, upgrade
from provena.documents import Viewer
from provena.tracking.trace import trace

AUDITOR = Viewer(user_id=None, msp_id="CertifierMSP", sees_all=True)


async def test_each_level_is_one_query_and_the_walk_finds_every_family_it_fans_into(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'trace.sqlite'}"
    await upgrade(url)
    async with Database.from_url(url) as database:
        await generate(database, families=300, levels=10)
        statements: list[str] = []

        def count(*args: object) -> None:
            statements.append(str(args[2]))

        event.listen(database.engine.sync_engine, "before_cursor_execute", count)
        async with database.session() as session:
            graph = await trace(session, AUDITOR, [node(7, 10)], direction="upstream")
        walked = [s for s in statements if "epcis_event_identifiers" in s]
    # 10 levels with edges, one more that finds none, one for the holders
    assert len(walked) == 12, walked
    assert graph.levels == 10
    # five transformations upstream each add the neighbouring family: families 7 to 12
    assert {node(f, 0) for f in range(7, 13)} <= set(graph.nodes)
    assert min(n.depth for n in graph.nodes.values()) == -10
    assert not graph.truncated
