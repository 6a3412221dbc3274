"""`provena ipfs`, run as a real process against a data directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ipfs.oracles import kubo_cids, seeded_bytes

PROVENA = [sys.executable, "-m", "provena", "ipfs"]


def run(data_dir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROVENA_")}
    env["PROVENA_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [*PROVENA, *args], capture_output=True, text=True, check=check, env=env, timeout=120
    )


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "invoice.pdf"
    path.write_bytes(b"%PDF-1.7\n" + seeded_bytes(1_500_000, "cli"))
    return path


def test_add_cat_get_verify_car_gc(tmp_path: Path, sample: Path) -> None:
    data = tmp_path / "data"
    root = run(data, "add", "-Q", str(sample)).stdout.strip()
    assert root.startswith("bafybei")
    cat = subprocess.run(
        [*PROVENA, "cat", root],
        capture_output=True,
        check=True,
        env={**os.environ, "PROVENA_DATA_DIR": str(data)},
    )
    assert cat.stdout == sample.read_bytes()
    copy = tmp_path / "copy.pdf"
    run(data, "get", root, "-o", str(copy))
    assert copy.read_bytes() == sample.read_bytes()
    assert "blocks verified (file, 1500009 bytes)" in run(data, "verify", root).stdout
    car = tmp_path / "invoice.car"
    run(data, "car", "export", root, "-o", str(car))
    assert car.stat().st_size > 1_500_009
    unpinned = run(data, "add", "--only-hash", str(sample), "--cid-version", "0", "-Q").stdout
    assert unpinned.startswith("Qm")
    assert "removed 0 blocks" in run(data, "gc").stdout


def test_kubo_flags_give_kubo_cids(tmp_path: Path, sample: Path) -> None:
    out = run(tmp_path / "data", "add", "-n", "--profile", "unixfs-v0-2015", str(sample)).stdout
    assert out == f"added {kubo_cids(tmp_path / 'repo', [sample])[0]} invoice.pdf\n"


def test_add_prints_each_cid_once(tmp_path: Path, sample: Path) -> None:
    out = run(tmp_path / "data", "add", "-n", str(sample)).stdout
    assert out.count("bafybei") == 1
    assert out.startswith("added bafybei")
    assert out.endswith(" invoice.pdf\n")
    root = out.split()[1]
    assert run(tmp_path / "data", "add", "-n", "-q", str(sample)).stdout == f"{root}\n"
    assert run(tmp_path / "data", "add", "-n", "-Q", str(sample)).stdout == f"{root}\n"


def test_wrap_prints_directory_last(tmp_path: Path, sample: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("notes")
    data = tmp_path / "data"
    lines = run(data, "add", "-n", "--wrap", str(sample), str(other)).stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].endswith(" invoice.pdf")
    assert lines[1].endswith(" notes.txt")
    cids = run(data, "add", "-n", "-q", "--wrap", str(sample), str(other)).stdout.splitlines()
    assert lines == [
        f"added {cids[0]} invoice.pdf",
        f"added {cids[1]} notes.txt",
        f"added {cids[2]}",
    ]
    root = run(data, "add", "-n", "-Q", "--wrap", str(sample), str(other)).stdout
    assert root == f"{cids[2]}\n"


def test_bad_input(tmp_path: Path, sample: Path) -> None:
    data = tmp_path / "data"
    bad_cid = run(data, "cat", "bafy-not-a-cid", check=False)
    assert bad_cid.returncode == 2
    assert "not a valid CID" in bad_cid.stderr
    unknown = run(
        data,
        "get",
        "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH",
        "-o",
        str(tmp_path / "x"),
        check=False,
    )
    assert unknown.returncode == 1
    assert "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH: not found" in unknown.stderr
    assert not (tmp_path / "x").exists()
    assert list(tmp_path.glob(".x.partial")) == []
    chunker = run(data, "add", "--chunker", "rabin", str(sample), check=False)
    assert chunker.returncode == 2
    assert "unsupported chunker" in chunker.stderr
