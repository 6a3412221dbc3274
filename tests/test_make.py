"""The Makefile's uv bootstrap on a Python that refuses `pip install` (PEP 668), as a stock
Debian or Ubuntu Python does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# make and the coreutils, and no uv: the bootstrap must not find one to borrow.
SYSTEM_PATH = "/usr/bin:/bin"


def externally_managed_python(root: Path) -> Path:
    """A Python installation at `root` (not a venv) marked EXTERNALLY-MANAGED, with pip and no
    uv: this interpreter's base installation, linked entry by entry."""
    base = Path(sys.base_prefix)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    stdlib = Path(sysconfig.get_path("stdlib", vars={"installed_base": str(base)}))
    site = stdlib / "site-packages"
    (root / "bin").mkdir(parents=True)
    python = root / "bin" / version
    shutil.copy2((base / "bin" / version).resolve(), python)
    (root / "bin" / "python3").symlink_to(version)
    lib = root / "lib" / version
    (lib / "site-packages").mkdir(parents=True)
    for entry in stdlib.iterdir():
        if entry.name != "site-packages":
            (lib / entry.name).symlink_to(entry)
    for entry in site.glob("pip*"):
        (lib / "site-packages" / entry.name).symlink_to(entry)
    (lib / "EXTERNALLY-MANAGED").write_text(
        "[externally-managed]\nError=This Python is managed by the system's package manager.\n"
    )
    return root / "bin" / "python3"


def make(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UV", "VIRTUAL_ENV"))}
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        env=env | {"PATH": SYSTEM_PATH},
        timeout=300,
    )


@pytest.mark.skipif(shutil.which("make", path=SYSTEM_PATH) is None, reason="make is not installed")
def test_uv_bootstrap_on_an_externally_managed_python(tmp_path: Path) -> None:
    python = externally_managed_python(tmp_path / "system")
    refused = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-index", "uv"], capture_output=True, text=True
    )
    assert refused.returncode != 0
    assert "externally-managed-environment" in refused.stderr
    no_uv = subprocess.run([str(python), "-c", "import uv"], capture_output=True)
    assert no_uv.returncode != 0

    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(ROOT / "Makefile", repo)
    (repo / "pyproject.toml").touch()
    (repo / "uv.lock").touch()
    uv_venv = tmp_path / "uv-venv"
    settings = (f"PYTHON={python}", f"UV_VENV={uv_venv}")

    planned = make(repo, "-n", ".venv/.synced", *settings)
    assert planned.returncode == 0, planned.stderr
    assert f"{uv_venv}/bin/uv sync --frozen" in planned.stdout

    built = make(repo, f"{uv_venv}/bin/uv", *settings)
    assert built.returncode == 0, built.stderr
    version = subprocess.run(
        [str(uv_venv / "bin" / "uv"), "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.startswith("uv ")
    assert (uv_venv / "pyvenv.cfg").is_file()
