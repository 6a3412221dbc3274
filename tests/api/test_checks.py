"""The ledger readiness check keeps one gRPC channel to the gateway, however often it runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import grpc
import pytest

from provena.api.checks import LedgerCheck
from provena.api.readiness import Readiness
from provena.settings import Settings
from tests.devnet.network.support import KeyValue
from tests.support.ledger import running_ledger


async def test_many_ledger_checks_open_one_channel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[grpc.aio.Channel] = []
    secure_channel = grpc.aio.secure_channel

    def counting(*args: Any, **kwargs: Any) -> grpc.aio.Channel:
        opened.append(secure_channel(*args, **kwargs))
        return opened[-1]

    async with running_ledger(tmp_path / "devnet", "kv", [KeyValue()]) as ledger:
        pki = ledger.devnet.pki
        settings = Settings(
            data_dir=tmp_path,
            ledger_endpoint=ledger.devnet.endpoint,
            ledger_tls_ca=pki.tls_ca_file,
            ledger_server_name=pki.server_name,
        )
        monkeypatch.setattr(grpc.aio, "secure_channel", counting)
        readiness = Readiness()
        check = LedgerCheck(settings)
        readiness.add("ledger", check)
        readiness.on_close(check.aclose)
        for _ in range(25):
            report = await readiness.run()
            assert report.status == "ok", report
        assert report.checks[0].detail == f"channel provena at {ledger.devnet.endpoint}"
        assert len(opened) == 1
        await readiness.aclose()
        with pytest.raises(grpc.aio.UsageError):  # closed at shutdown
            await opened[0].channel_ready()
