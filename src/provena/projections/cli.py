"""`provena projections`: rebuild the database's projections from the ledger, or check them."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

__all__ = ["projections_app"]

projections_app = typer.Typer(
    help="The database's projections of the ledger.", no_args_is_help=True
)


@projections_app.command("rebuild")
def rebuild_command(
    profile: Annotated[
        Path,
        typer.Option("--profile", help="Connection profile JSON of an identity that reads events"),
    ],
    check_only: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Rebuild in a rolled-back transaction and compare; exit 1 on any difference",
        ),
    ] = False,
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Where Provena keeps its data")
    ] = None,
) -> None:
    """Replay the ledger from block 0 into emptied projection tables (up to the listener's
    checkpoint), or with --check compare such a rebuild row by row with what is stored."""
    from provena.db import Database
    from provena.events import EventsError
    from provena.fabric import ChaincodeEvent, FabricError
    from provena.fabric.profile import Profile
    from provena.projections.rebuild import NothingToRebuildError, check, rebuild
    from provena.settings import Settings

    settings = Settings() if data_dir is None else Settings(data_dir=data_dir)

    def progress(count: int, event: ChaincodeEvent) -> None:
        if count % 1000 == 0:
            typer.echo(f"replayed {count} events (block {event.block_number})", err=True)

    async def main() -> int:
        ledger = Profile.load(profile)
        database = Database.from_url(settings.sqlalchemy_url)
        async with database, ledger.connect() as gateway:
            channel, chaincode = ledger.channel, settings.ledger_chaincode
            if not check_only:
                count = await rebuild(
                    database, gateway, channel=channel, chaincode=chaincode, progress=progress
                )
                typer.echo(f"rebuilt the projections from {count} events", err=True)
                return 0
            differences = await check(
                database, gateway, channel=channel, chaincode=chaincode, progress=progress
            )
        for difference in differences:
            typer.echo(str(difference))
        typer.echo(
            f"{len(differences)} rows differ from the ledger"
            if differences
            else "the projections match the ledger",
            err=True,
        )
        return 1 if differences else 0

    try:
        code = asyncio.run(main())
    except (EventsError, FabricError, NothingToRebuildError) as exc:
        typer.secho(f"error: {exc}", err=True, fg="red")
        raise typer.Exit(1) from exc
    raise typer.Exit(code)
