"""`provena ledger`: evaluate, submit, follow events and benchmark against a gateway.

A chaincode built from several contracts names each function `Contract:Function`; a bare
name reaches only the chaincode's default (first) contract, so `--contract` prefixes it, and
a failed call whose name the chaincode does not define lists the names it does (from
`org.hyperledger.fabric:GetMetadata`).
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from provena.fabric.bench import run_bench
from provena.fabric.chaincodeevent import ChaincodeEvent
from provena.fabric.errors import FabricError
from provena.fabric.gateway import GatewayImpl
from provena.fabric.profile import Profile

__all__ = ["ledger_app"]

ledger_app = typer.Typer(
    help="Talk to a Fabric gateway (or the devnet).",
    epilog=(
        "Functions are named Contract:Function (e.g. `submit provena"
        " Certification:IssueCertificate ...`), or `--contract Certification` with the bare"
        " name; a bare name alone reaches only the chaincode's default contract. A call naming"
        " a function the chaincode lacks lists the names it has."
    ),
    no_args_is_help=True,
)

T = TypeVar("T")
ArgsArgument = Annotated[list[str] | None, typer.Argument(help="The function's arguments")]
ContractOption = Annotated[
    str | None,
    typer.Option("--contract", help="The contract within the chaincode FUNCTION belongs to"),
]
_SYSTEM_CONTRACT = "org.hyperledger.fabric"


@ledger_app.callback()
def _options(
    ctx: typer.Context,
    profile: Annotated[
        Path, typer.Option("--profile", help="Connection profile JSON (`provena devnet profile`)")
    ],
) -> None:
    ctx.obj = profile


def _run(
    ctx: typer.Context,
    action: Callable[[GatewayImpl, str], Awaitable[T]],
    *,
    calls: tuple[str, str] | None = None,
) -> T:
    """Run `action` on the profile's gateway; errors exit 1. `calls` is the (chaincode,
    function) the action calls: if it fails, the functions the chaincode has are listed."""

    async def main() -> T:
        profile = Profile.load(ctx.obj)
        async with profile.connect() as gateway:
            try:
                return await action(gateway, profile.channel)
            except FabricError as exc:
                if calls is not None:
                    names = await _function_names(gateway, profile.channel, calls[0])
                    if names and calls[1] not in names:
                        raise UnknownFunctionError(exc, calls, names) from exc
                raise

    try:
        return asyncio.run(main())
    except FabricError as exc:
        typer.secho(f"error: {exc}", err=True, fg="red")
        raise typer.Exit(1) from exc


class UnknownFunctionError(FabricError):
    """A call failed and its function is not one the chaincode's metadata names."""

    def __init__(self, cause: FabricError, calls: tuple[str, str], names: list[str]) -> None:
        chaincode, function = calls
        why = (
            f"chaincode {chaincode} has no function {function}"
            if ":" in function
            else f"a bare name like {function} reaches only {chaincode}'s default contract"
        )
        super().__init__(
            f"{cause}\n{why}; its functions are {', '.join(names)}"
            " (name one as Contract:Function, or pass --contract with the bare name)"
        )


async def _function_names(gateway: GatewayImpl, channel: str, chaincode: str) -> list[str]:
    """Every `Contract:Function` the chaincode's metadata describes; [] when it serves no
    metadata (not built on a contract API), so the caller keeps the call's own error."""
    system = gateway.get_network(channel).get_contract(chaincode, _SYSTEM_CONTRACT)
    try:
        metadata = json.loads(await system.evaluate("GetMetadata"))
        return sorted(
            f"{name}:{transaction['name']}"
            for name, described in metadata["contracts"].items()
            if name != _SYSTEM_CONTRACT
            for transaction in described["transactions"]
        )
    except (FabricError, ValueError, LookupError, TypeError, AttributeError):
        return []


def _qualified(contract: str | None, function: str) -> str:
    return f"{contract}:{function}" if contract else function


def _text(value: bytes) -> str:
    return value.decode("utf-8", errors="backslashreplace")


@ledger_app.command()
def evaluate(
    ctx: typer.Context,
    chaincode: str,
    function: str,
    args: ArgsArgument = None,
    contract_name: ContractOption = None,
) -> None:
    """Evaluate FUNCTION(ARGS...) on one peer and print the result."""
    name = _qualified(contract_name, function)

    async def action(gateway: GatewayImpl, channel: str) -> bytes:
        contract = gateway.get_network(channel).get_contract(chaincode)
        return await contract.evaluate(name, args=args or [])

    typer.echo(_text(_run(ctx, action, calls=(chaincode, name))))


@ledger_app.command()
def submit(
    ctx: typer.Context,
    chaincode: str,
    function: str,
    args: ArgsArgument = None,
    contract_name: ContractOption = None,
) -> None:
    """Submit FUNCTION(ARGS...), wait for the commit; print result, tx id, block and code."""
    name = _qualified(contract_name, function)

    async def action(gateway: GatewayImpl, channel: str) -> dict[str, Any]:
        contract = gateway.get_network(channel).get_contract(chaincode)
        submitted = await contract.submit_async(name, args=args or [])
        status = await submitted.get_status()
        return {
            "result": _text(submitted.result),
            "transaction_id": status.transaction_id,
            "block_number": status.block_number,
            "validation_code": status.code_name,
        }

    outcome = _run(ctx, action, calls=(chaincode, name))
    typer.echo(json.dumps(outcome))
    if outcome["validation_code"] != "VALID":
        message = f"transaction {outcome['transaction_id']} failed to commit"
        typer.secho(
            f"error: {message} with status {outcome['validation_code']}", err=True, fg="red"
        )
        raise typer.Exit(1)


def _event_json(event: ChaincodeEvent) -> str:
    line: dict[str, Any] = {
        "block_number": event.block_number,
        "transaction_id": event.transaction_id,
        "chaincode_name": event.chaincode_name,
        "event_name": event.event_name,
    }
    try:
        line["payload"] = event.payload.decode()
    except UnicodeDecodeError:
        line["payload_base64"] = base64.b64encode(event.payload).decode()
    return json.dumps(line)


@ledger_app.command()
def events(
    ctx: typer.Context,
    chaincode: str,
    start_block: Annotated[
        int | None, typer.Option(help="First block to read [default: the next commit]")
    ] = None,
) -> None:
    """Print CHAINCODE's events as JSON lines until interrupted."""

    async def action(gateway: GatewayImpl, channel: str) -> None:
        network = gateway.get_network(channel)
        async with await network.chaincode_events(chaincode, start_block=start_block) as stream:
            async for event in stream:
                typer.echo(_event_json(event))

    try:
        _run(ctx, action)
    except KeyboardInterrupt:
        return


@ledger_app.command()
def bench(
    ctx: typer.Context,
    chaincode: str,
    function: str,
    first_arg: Annotated[
        str, typer.Option("--args", help="The arguments ({run} and {i} are substituted)...")
    ],
    more_args: Annotated[list[str] | None, typer.Argument(help="...the rest of them")] = None,
    n: Annotated[int, typer.Option("--n", min=1, help="Transactions to submit")] = 1000,
    concurrency: Annotated[int, typer.Option(min=1, help="Transactions in flight")] = 64,
) -> None:
    """Submit N transactions, CONCURRENCY at a time; print one JSON line of figures."""

    async def action(gateway: GatewayImpl, channel: str) -> dict[str, float | int]:
        contract = gateway.get_network(channel).get_contract(chaincode)
        args = [first_arg, *(more_args or [])]
        result = await run_bench(contract, function, args, n=n, concurrency=concurrency)
        return result.as_dict()

    typer.echo(json.dumps(_run(ctx, action)))
