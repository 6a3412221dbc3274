"""`provena ledger`: evaluate, submit, follow events and benchmark against a gateway."""

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

ledger_app = typer.Typer(help="Talk to a Fabric gateway (or the devnet).", no_args_is_help=True)

T = TypeVar("T")
ArgsArgument = Annotated[list[str] | None, typer.Argument(help="The function's arguments")]


@ledger_app.callback()
def _options(
    ctx: typer.Context,
    profile: Annotated[
        Path, typer.Option("--profile", help="Connection profile JSON (`provena devnet profile`)")
    ],
) -> None:
    ctx.obj = profile


def _run(ctx: typer.Context, action: Callable[[GatewayImpl, str], Awaitable[T]]) -> T:
    async def main() -> T:
        profile = Profile.load(ctx.obj)
        async with profile.connect() as gateway:
            return await action(gateway, profile.channel)

    try:
        return asyncio.run(main())
    except FabricError as exc:
        typer.secho(f"error: {exc}", err=True, fg="red")
        raise typer.Exit(1) from exc


def _text(value: bytes) -> str:
    return value.decode("utf-8", errors="backslashreplace")


@ledger_app.command()
def evaluate(ctx: typer.Context, chaincode: str, function: str, args: ArgsArgument = None) -> None:
    """Evaluate FUNCTION(ARGS...) on one peer and print the result."""

    async def action(gateway: GatewayImpl, channel: str) -> bytes:
        contract = gateway.get_network(channel).get_contract(chaincode)
        return await contract.evaluate(function, args=args or [])

    typer.echo(_text(_run(ctx, action)))


@ledger_app.command()
def submit(ctx: typer.Context, chaincode: str, function: str, args: ArgsArgument = None) -> None:
    """Submit FUNCTION(ARGS...), wait for the commit; print result, tx id, block and code."""

    async def action(gateway: GatewayImpl, channel: str) -> dict[str, Any]:
        contract = gateway.get_network(channel).get_contract(chaincode)
        submitted = await contract.submit_async(function, args=args or [])
        status = await submitted.get_status()
        return {
            "result": _text(submitted.result),
            "transaction_id": status.transaction_id,
            "block_number": status.block_number,
            "validation_code": status.code_name,
        }

    outcome = _run(ctx, action)
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
