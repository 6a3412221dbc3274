"""`provena ipfs`: add, read, export, verify and collect content in the configured blockstore.

`add` takes `ipfs add`'s flags, so `provena ipfs add --only-hash --cid-version 1 f.pdf`
prints what Kubo would: one `added <cid> <name>` line per file (the root last), only the
CIDs with `--quiet`, only the root's with `--quieter`. Progress bars and errors go to stderr.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path
from typing import Annotated, TypeVar

import anyio
import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

from provena.ipfs.blockstore import Blockstore
from provena.ipfs.car import export_car
from provena.ipfs.cid import CID, parse_cid
from provena.ipfs.errors import IpfsError
from provena.ipfs.exporter import cat, stat
from provena.ipfs.factory import open_blockstore
from provena.ipfs.gc import collect_garbage, verify_dag
from provena.ipfs.importer import add_files
from provena.ipfs.profile import resolve_profile
from provena.storage import StorageError, open_object_store

__all__ = ["ipfs_app"]

ipfs_app = typer.Typer(help="IPFS content: UnixFS import, verified reads, CAR export.")
car_app = typer.Typer(help="CAR v1 archives.", no_args_is_help=True)
ipfs_app.add_typer(car_app, name="car")

T = TypeVar("T")
_PROGRESS_FROM = 8 * 1024 * 1024
_stderr = Console(stderr=True)


def _run(work: Awaitable[T]) -> T:
    async def guarded() -> T:
        return await work

    try:
        return asyncio.run(guarded())
    except (IpfsError, StorageError, OSError) as exc:
        typer.secho(f"error: {exc}", err=True, fg="red")
        raise typer.Exit(1) from exc


def _blockstore() -> Blockstore:
    from provena.settings import Settings

    settings = Settings()
    store = open_object_store(settings) if settings.ipfs_blockstore == "object_store" else None
    return open_blockstore(settings, store)


def _cid(text: str) -> CID:
    try:
        return parse_cid(text)
    except IpfsError as exc:
        raise typer.BadParameter(str(exc)) from exc


@ipfs_app.command()
def add(
    paths: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, readable=True)],
    profile: Annotated[
        str | None, typer.Option(help="unixfs-v1-2025 (default) or unixfs-v0-2015")
    ] = None,
    cid_version: Annotated[int | None, typer.Option("--cid-version", min=0, max=1)] = None,
    raw_leaves: Annotated[bool | None, typer.Option("--raw-leaves/--no-raw-leaves")] = None,
    chunker: Annotated[str | None, typer.Option(help="size-N")] = None,
    only_hash: Annotated[bool, typer.Option("--only-hash", "-n", help="Store nothing")] = False,
    wrap: Annotated[
        bool, typer.Option("--wrap", "-w", help="Wrap the files in a directory")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the CIDs")] = False,
    quieter: Annotated[
        bool, typer.Option("--quieter", "-Q", help="Print only the root CID")
    ] = False,
) -> None:
    """Import files and print their CIDs (the root last)."""
    try:
        chosen = resolve_profile(
            profile, cid_version=cid_version, raw_leaves=raw_leaves, chunker=chunker
        )
    except IpfsError as exc:
        raise typer.BadParameter(str(exc)) from exc
    blockstore = None if only_hash else _blockstore()
    total = sum(p.stat().st_size for p in paths)
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=_stderr,
        disable=total < _PROGRESS_FROM or not _stderr.is_terminal,
    ) as progress:
        task = progress.add_task("adding", total=total)
        results = _run(
            add_files(
                paths,
                profile=chosen,
                blockstore=blockstore,
                wrap=wrap,
                on_progress=lambda n: progress.advance(task, n),
            )
        )
    if blockstore is not None:
        for pinned in results if not wrap else results[-1:]:
            _run(blockstore.pin(pinned.cid))
    for result in results[-1:] if quieter else results:
        if quiet or quieter:
            typer.echo(str(result.cid))
        else:
            typer.echo(f"added {result.cid} {result.name or ''}".rstrip())


@ipfs_app.command("cat")
def cat_command(cid: Annotated[str, typer.Argument(help="A file CID")]) -> None:
    """Write a file's verified bytes to stdout."""
    root = _cid(cid)

    async def copy() -> None:
        out = sys.stdout.buffer
        async for piece in cat(_blockstore(), root):
            out.write(piece)
        out.flush()

    _run(copy())


async def _write(pieces: AsyncIterator[bytes], target: Path) -> None:
    partial = target.with_name(f".{target.name}.partial")
    try:
        async with await anyio.open_file(partial, "wb") as out:
            async for piece in pieces:
                await out.write(piece)
        await anyio.Path(partial).replace(target)
    finally:
        await anyio.Path(partial).unlink(missing_ok=True)


@ipfs_app.command()
def get(
    cid: Annotated[str, typer.Argument(help="A file CID")],
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write")],
) -> None:
    """Write a file's verified bytes to OUTPUT (nothing is left behind on failure)."""
    root = _cid(cid)
    _run(_write(cat(_blockstore(), root), output))
    typer.echo(f"saved {root} to {output}")


@car_app.command("export")
def car_export(
    cid: Annotated[str, typer.Argument(help="The DAG's root CID")],
    output: Annotated[Path, typer.Option("-o", "--output", help="CAR file to write")],
) -> None:
    """Write the DAG under CID as a CAR v1 file."""
    root = _cid(cid)
    _run(_write(export_car(_blockstore(), root), output))
    typer.echo(f"exported {root} to {output}")


@ipfs_app.command()
def verify(cid: Annotated[str, typer.Argument(help="The DAG's root CID")]) -> None:
    """Check every block under CID is present and matches its hash."""
    root = _cid(cid)
    blockstore = _blockstore()
    count = _run(verify_dag(blockstore, root))
    entry = _run(stat(blockstore, root))
    typer.echo(f"{root}: {count} blocks verified ({entry.kind}, {entry.size} bytes)")


@ipfs_app.command()
def gc() -> None:
    """Delete every block that no pin reaches."""
    result = _run(collect_garbage(_blockstore()))
    typer.echo(f"removed {len(result.removed)} blocks, kept {result.kept}")
