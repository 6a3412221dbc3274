"""`provena epcis hash FILE` and `provena epcis validate FILE`.

`hash` prints one line per event, in document order: its CBV 2.0 hash ID, or with
`--prehash` its canonical pre-hash string. `validate` prints one line per problem the
document has against the rules of EPCIS 2.0, with its line and path, and exits with status
1 if there is any. `FILE` may be `-` for standard input. A document that cannot be read,
or an event that cannot be hashed, is an error (exit status 2), reported with the event's
position and, for XML, its line.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from provena.epcis.documents import EpcisDocumentError, read_events
from provena.epcis.hashing import ALGORITHMS, hash_prehash, prehash
from provena.epcis.validation import validate_document

__all__ = ["epcis_app"]

epcis_app = typer.Typer(
    help="EPCIS events: the CBV 2.0 event hash and validation.", no_args_is_help=True
)
_FILE_HELP = "An EPCIS document (JSON-LD or XML), or - for stdin"


def _fail(message: str) -> typer.Exit:
    typer.secho(f"error: {message}", err=True, fg="red")
    return typer.Exit(2)


def _read(file: str) -> tuple[bytes, str]:
    """The bytes of FILE (standard input for `-`) and the name to report them by."""
    try:
        data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as exc:
        raise _fail(f"{file}: {exc.strerror or exc}") from exc
    return data, "<stdin>" if file == "-" else file


@epcis_app.command("hash")
def hash_command(
    file: Annotated[str, typer.Argument(help=_FILE_HELP)],
    show_prehash: Annotated[
        bool, typer.Option("--prehash", help="Print the pre-hash strings instead")
    ] = False,
    algorithm: Annotated[str, typer.Option(help=f"Digest: {', '.join(ALGORITHMS)}")] = "sha-256",
) -> None:
    """Print the event hash ID of each event of FILE, in document order."""
    if algorithm not in ALGORITHMS:
        raise _fail(f"unknown algorithm {algorithm!r}; one of {', '.join(ALGORITHMS)}")
    data, name = _read(file)
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


@epcis_app.command("validate")
def validate_command(file: Annotated[str, typer.Argument(help=_FILE_HELP)]) -> None:
    """Check FILE against the rules of EPCIS 2.0: one line per problem, exit status 1 if any."""
    data, name = _read(file)
    try:
        issues = validate_document(data)
    except EpcisDocumentError as exc:
        raise _fail(f"{name}: {exc}") from exc
    for issue in issues:
        typer.echo(f"{name}: {issue}")
    count = len(issues)
    typer.echo(f"{name}: {count or 'no'} problem{'' if count == 1 else 's'}", err=True)
    if issues:
        raise typer.Exit(1)
