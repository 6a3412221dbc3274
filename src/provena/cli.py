"""The `provena` command line.

Each command group is imported when a command line names it (`LazyGroup`), and the
commands here import their libraries inside, so `provena version` and `provena --help`
answer without loading gRPC, FastAPI, SQLAlchemy or the OCI SDK.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, ClassVar

import typer

from provena import __version__
from provena.lazygroup import LazyGroup, QuickCommand


class _Commands(LazyGroup):
    lazy: ClassVar[dict[str, tuple[str, str]]] = {
        "ledger": ("provena.fabric.cli:ledger_app", "Talk to a Fabric gateway (or the devnet)."),
        "ipfs": (
            "provena.ipfs.cli:ipfs_app",
            "IPFS content: UnixFS import, verified reads, CAR export.",
        ),
        "devnet": (
            "provena.devnet.cli:devnet_app",
            "The embedded Fabric-compatible network (run without a command to start it).",
        ),
        "chaincode": ("provena.chaincode.cli:chaincode_app", "Chaincode-as-a-service packages."),
        "projections": (
            "provena.projections.cli:projections_app",
            "The database's projections of the ledger.",
        ),
        "epcis": (
            "provena.epcis.cli:epcis_app",
            "EPCIS events: the CBV 2.0 event hash and validation.",
        ),
    }


app = typer.Typer(
    cls=_Commands,
    help="Provena: verifiable supply chains.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")

DataDirOption = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Where Provena keeps its data [default: ./.provena]"),
]


def _settings(**overrides: Any) -> Any:
    from pydantic import ValidationError

    from provena.settings import Settings

    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        messages = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        typer.secho(f"error: invalid configuration: {messages}", err=True, fg="red")
        raise typer.Exit(2) from exc


@app.command(cls=QuickCommand)
def version() -> None:
    """Print Provena's version."""
    typer.echo(__version__)


@app.command()
def up(
    host: Annotated[
        str | None, typer.Option(help="Interface to listen on [default: 127.0.0.1]")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on [default: 8000]")] = None,
    data_dir: DataDirOption = None,
    seed: Annotated[
        bool,
        typer.Option(
            "--seed/--no-seed",
            help="Seed the demo world's certificates and shipments on first start",
        ),
    ] = True,
) -> None:
    """Start Provena: migrate the database, start the embedded ledger with the contracts,
    serve the API and web app, and seed the demo world once (unless --no-seed)."""
    import asyncio

    from provena.api.observability import configure_logging
    from provena.devnet.errors import DevnetError
    from provena.launch import serve

    settings = _settings(host=host, port=port, data_dir=data_dir)
    configure_logging(settings.log_level, json_lines=settings.log_json)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        asyncio.run(serve(settings, seed=seed))
    except DevnetError as exc:
        typer.secho(f"error: {exc}", err=True, fg="red")
        raise typer.Exit(1) from exc


@app.command()
def openapi(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write")] = None,
) -> None:
    """Print (or write) the API's OpenAPI schema."""
    import json

    from provena.api.app import create_app

    schema = create_app(_settings(dev_issuer=False, oidc_issuer="http://issuer.invalid")).openapi()
    text = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text)


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision")] = "head",
    data_dir: DataDirOption = None,
) -> None:
    """Apply database migrations up to REVISION (default: the latest)."""
    import asyncio

    from provena.db import current_revision, upgrade

    settings = _settings(data_dir=data_dir)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    asyncio.run(upgrade(settings.sqlalchemy_url, revision))
    typer.echo(f"database at revision {asyncio.run(current_revision(settings.sqlalchemy_url))}")


def main() -> None:
    app()
