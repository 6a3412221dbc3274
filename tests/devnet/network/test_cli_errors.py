"""Bad input to `provena devnet`: a clear message and exit status 2, nothing half done."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from provena.cli import app
from provena.devnet.config import DevnetConfig


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["devnet", *args])
    return result.exit_code, result.output


def test_help_lists_the_commands() -> None:
    code, out = _run("--help")
    assert code == 0
    for command in ("enroll", "profile", "info", "chaincode", "verify", "--endorsement-policy"):
        assert command in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--listen", "nope"), "listen address must be host:port"),
        (("--orgs", "Org_1"), "MSP id 'Org_1' may hold only"),
        (("--batch-size", "0"), "batch size must be at least 1"),
        (("--orgs", "A", "--endorsement-policy", "AND('A.peer'"), "expected ')'"),
        (("--orgs", "A", "--endorsement-policy", "OR('A.admin')"), "no set of the channel's peers"),
        (("profile", "--org", "NopeMSP"), "no organization 'NopeMSP'"),
        (("profile", "--org", "ProducerMSP", "--user", "ghost"), "no user 'ghost' in ProducerMSP"),
        (("enroll", "x", "--org", "ProducerMSP", "--attr", "novalue"), "--attr takes key=value"),
        (("enroll", "../x", "--org", "ProducerMSP"), "not a valid identity name"),
        (("verify",), "no ledger in"),
        (("chaincode", "deploy", "x", "--address", "nowhere"), "address must be host:port"),
    ],
)
def test_bad_input(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    data = str(tmp_path / "devnet")
    if args[0].startswith("--"):
        args = ("--data-dir", data, "--listen", "127.0.0.1:0", *args)
    else:
        args = (*args, "--data-dir", data)
    code, out = _run(*args)
    assert code == 2, out
    assert "error: " in out
    assert message in out


def test_orgs_cannot_change_after_creation(tmp_path: Path) -> None:
    data = str(tmp_path)
    code, _ = _run("profile", "--org", "ProducerMSP", "--data-dir", data)
    assert code == 0
    DevnetConfig.load(tmp_path).save()
    code, out = _run("--data-dir", data, "--orgs", "A,B")
    assert code == 2
    assert "was created with orgs CertifierMSP,ProducerMSP,CarrierMSP,RetailerMSP" in out


def test_data_dir_before_the_command(tmp_path: Path) -> None:
    code, out = _run("--data-dir", str(tmp_path), "profile", "--org", "CarrierMSP")
    assert code == 0
    assert str(tmp_path) in out
