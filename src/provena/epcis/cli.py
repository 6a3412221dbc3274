"""`provena epcis hash FILE`: the CBV 2.0 event hash of each event of an EPCIS document.

One line per event, in document order: its hash ID, or with `--prehash` its canonical
pre-hash string. `FILE` may be `-` for standard input. A document that cannot be read or
an event that cannot be hashed is an error (exit code 2), reported with the event's
position and, for XML, its line.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from provena.epcis.documents import EpcisDocumentError, read_events
from provena.epcis.hashing import ALGORITHMS, hash_prehash, prehash

__all__ = ["epcis_app"]

epcis_app = typer.Typer(help="EPCIS events: the CBV 2.0 event hash.", no_args_is_help=True)


def _fail(message: str) -> typer.Exit:
    typer.secho(f"error: {message}", err=True, fg="red")
    return typer.Exit(2)


@epcis_app.command("hash")
def hash_command(
    file: Annotated[str, typer.Argument(help="An EPCIS document (JSON-LD or XML), or - for stdin")],
    show_prehash: Annotated[
        bool, typer.Option("--prehash", help="Print the pre-hash strings instead")
    ] = False,
    algorithm: Annotated[str, typer.Option(help=f"Digest: {', '.join(ALGORITHMS)}")] = "sha-256",
) -> None:
    """Print the event hash ID of each event of FILE, in document order."""
    if algorithm not in ALGORITHMS:
        raise _fail(f"unknown algorithm {algorithm!r}; one of {', '.join(ALGORITHMS)}")
    try:
        data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as exc:
        raise _fail(f"{file}: {exc.strerror or exc}") from exc
    name = "<stdin>" if file == "-" else file
    try:
        events = read_events(data)
    except EpcisDocumentError as exc:
        raise _fail(f"{name}: {exc}") from exc
    lines = []
    for index, event in enumerate(events, 1):
        try:
            text = prehash(event.fields)
            lines.append(text if show_prehash else hash_prehash(text, algorithm=algorithm))
        except ValueError as exc:
            where = f"event {index}" + (f" (line {event.line})" if event.line else "")
            raise _fail(f"{name}: {where}: {exc}") from exc
    for line in lines:
        typer.echo(line)
