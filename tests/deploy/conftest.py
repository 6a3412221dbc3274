"""Provena's images, built once for the tests that run them (see `containers.py`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.deploy.containers import STORAGE, Podman

TARGETS = ("api", "contracts", "functions")


@pytest.fixture(scope="session")
def podman() -> Iterator[Podman]:
    tool = Podman.create(STORAGE)
    tool.clean()  # what an interrupted run left
    try:
        yield tool
    finally:
        tool.clean()


@pytest.fixture(scope="session")
def images(podman: Podman) -> dict[str, str]:
    """Each target of `deploy/images/Dockerfile`, built on a debootstrap base: its tag."""
    base = podman.make_base()
    # A tag keeps the third-party venvs' stage, which no image holds, from the prune that
    # removes superseded images: its layers stay in the cache until the lock changes.
    podman.build("dependencies", base, "localhost/provena-dependencies:cache")
    tags = {target: f"localhost/provena-{target}:test" for target in TARGETS}
    for target, tag in tags.items():
        podman.build(target, base, tag)
    return tags
