"""`provena chaincode`: packaging chaincode-as-a-service for a Fabric peer or for Oracle
Blockchain Platform."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from provena.chaincode.package import (
    CcaasConnection,
    ccaas_package,
    obp_package,
    package_id,
    validate_obp_label,
)

__all__ = ["PackageFormat", "chaincode_app"]

chaincode_app = typer.Typer(help="Chaincode-as-a-service packages.", no_args_is_help=True)


class PackageFormat(StrEnum):
    """What the package is for: a Fabric peer's install, or OBP's external chaincode upload."""

    FABRIC = "fabric"
    OBP = "obp"


def _pem(path: Path | None) -> str | None:
    return path.read_text() if path is not None else None


@chaincode_app.command()
def package(
    label: Annotated[str, typer.Option(help="Package label, e.g. provena_1.0")],
    address: Annotated[str, typer.Option(help="HOST:PORT where the chaincode server listens")],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="The file to write (.tgz; .zip for obp)")
    ],
    tls_root: Annotated[
        Path | None, typer.Option(help="CA certificate (PEM) of the chaincode's TLS server")
    ] = None,
    client_cert: Annotated[Path | None, typer.Option(help="Peer's client certificate")] = None,
    client_key: Annotated[Path | None, typer.Option(help="Peer's client key")] = None,
    dial_timeout: Annotated[str, typer.Option(help="How long the peer waits to connect")] = "10s",
    package_format: Annotated[
        PackageFormat,
        typer.Option(
            "--format",
            help="fabric: the ccaas .tgz a peer installs; obp: the .zip OBP takes as an "
            "external chaincode's source",
        ),
    ] = PackageFormat.FABRIC,
) -> None:
    """Write a `ccaas` package a Fabric peer installs and print its package id, or (`--format
    obp`) the .zip Oracle Blockchain Platform takes, whose package id OBP assigns."""
    if (client_cert is None) != (client_key is None):
        raise typer.BadParameter("--client-cert and --client-key go together")
    if client_cert is not None and tls_root is None:
        raise typer.BadParameter("mutual TLS needs --tls-root too")
    connection = CcaasConnection(
        address=address,
        dial_timeout=dial_timeout,
        root_cert=_pem(tls_root),
        client_cert=_pem(client_cert),
        client_key=_pem(client_key),
    )
    try:
        if package_format is PackageFormat.OBP:
            validate_obp_label(label)
            data = obp_package(connection)
        else:
            data = ccaas_package(label, connection)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    output.write_bytes(data)
    if package_format is PackageFormat.OBP:
        typer.echo(
            f"upload {output} with Package Label {label}; OBP shows the package id once it is "
            "installed",
            err=True,
        )
        return
    typer.echo(package_id(label, data))
