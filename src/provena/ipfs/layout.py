"""The balanced layout: leaves in order, every leaf at the same depth, nodes filled left first.

With `max_links = 3` and 7 chunks the DAG is:

                    root
              /      |      \\
           n1        n2        n3          n3 wraps one leaf: depth stays equal
         / | \\    / | \\      |
        c1 c2 c3  c4 c5 c6     c7

A single chunk is its own root. Exactly `max_links` chunks make one node; one more chunk
adds a level. The build streams: each level keeps at most `max_links` pending links and a
full level is folded into its parent only when another link arrives, so memory is
O(max_links * depth) whatever the file size.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable

from provena.ipfs.builder import DagBuilder, Node
from provena.ipfs.chunker import Chunk

__all__ = ["Progress", "balanced_layout"]

#: Called with the size of each chunk as it is imported.
Progress = Callable[[int], None] | None


async def balanced_layout(
    chunks: AsyncIterable[Chunk], builder: DagBuilder, *, on_chunk: Progress = None
) -> Node:
    """Build the file DAG of `chunks` and return its root."""
    levels: list[list[Node]] = [[]]
    max_links = builder.profile.max_links

    async def push(depth: int, node: Node) -> None:
        if depth == len(levels):
            levels.append([])
        level = levels[depth]
        if len(level) == max_links:
            await push(depth + 1, await builder.file_node(level))
            level.clear()
        level.append(node)

    async for chunk in chunks:
        await push(0, await builder.leaf(chunk))
        if on_chunk is not None:
            on_chunk(len(chunk))

    if len(levels) == 1 and len(levels[0]) == 1:
        return levels[0][0]
    # Fold bottom-up; folding may fill the level above and grow the tree by one more level.
    depth = 0
    while depth < len(levels) - 1:
        await push(depth + 1, await builder.file_node(levels[depth]))
        levels[depth].clear()
        depth += 1
    return await builder.file_node(levels[-1])
