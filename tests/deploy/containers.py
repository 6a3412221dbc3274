"""Build and run Provena's images here, with no Docker engine and no registry: Debian's
podman and buildah with runc, storage and configuration in a directory of the test run's
own, and a base image made by debootstrap in place of the one the build file pins.

The storage is kept between runs (`PROVENA_CONTAINERS_DIR`, default
`~/.cache/provena/containers`), so unchanged build stages come from the layer cache and the
base is made again only once a week; each run removes its containers, pods, secrets and
volumes, and the images its builds superseded.

The build file pins its base by digest (`ARG BASE=NAME@sha256:…`). Nothing can be pulled
here, and a digest names exact bytes, so the local base is tagged with the pinned name and
the build names it by that name and its own digest: the build still resolves a
digest-pinned `FROM`, and never falls back to a registry (`--pull=never`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["BUILD_FILE", "REPO", "STORAGE", "Podman", "pinned_base"]

REPO = Path(__file__).resolve().parents[2]
BUILD_FILE = REPO / "deploy" / "images" / "Dockerfile"
HOST_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
STORAGE = Path(
    os.environ.get("PROVENA_CONTAINERS_DIR", Path.home() / ".cache" / "provena" / "containers")
)
BASE_MAX_AGE_SECONDS = 7 * 24 * 3600
_SUITE = "bookworm"
_MIRROR = "http://deb.debian.org/debian"
_SOURCES = f"""\
deb {_MIRROR} {_SUITE} main
deb {_MIRROR} {_SUITE}-updates main
deb http://deb.debian.org/debian-security {_SUITE}-security main
"""


def pinned_base() -> tuple[str, str]:
    """The build file's pinned base: its name and its digest."""
    match = re.search(r"^ARG BASE=(\S+)@(sha256:[0-9a-f]{64})$", BUILD_FILE.read_text(), re.M)
    if match is None:
        raise AssertionError(f"{BUILD_FILE} does not pin its base by digest")
    return match[1], match[2]


@dataclass
class Podman:
    """podman and buildah with their storage and configuration under `root`."""

    root: Path

    @classmethod
    def create(cls, root: Path) -> Podman:
        root.mkdir(parents=True, exist_ok=True)
        (root / "storage.conf").write_text(
            f'[storage]\ndriver = "overlay"\nrunroot = "{root}/run"\ngraphroot = "{root}/graph"\n'
        )
        nofile = subprocess.run(
            ["sh", "-c", "ulimit -Hn"], capture_output=True, text=True, check=True
        ).stdout.strip()
        (root / "containers.conf").write_text(
            "[containers]\n"
            f'default_ulimits = ["nofile={nofile}:{nofile}", "nproc=4096:4096"]\n'
            '[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n'
            f'tmp_dir = "{root / "tmp"}"\n'
        )
        return cls(root)

    @property
    def env(self) -> dict[str, str]:
        return os.environ | {
            "CONTAINERS_STORAGE_CONF": str(self.root / "storage.conf"),
            "CONTAINERS_CONF": str(self.root / "containers.conf"),
        }

    def run(
        self,
        tool: str,
        *args: str,
        timeout: float = 120,
        check: bool = True,
        input: str | None = None,
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [tool, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            input=input,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"{tool} {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result

    def podman(self, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return self.run("podman", *args, **kwargs)

    def inspect(self, kind: str, name: str) -> dict[str, Any]:
        answer: list[dict[str, Any]] = json.loads(self.podman(kind, "inspect", name).stdout)
        return answer[0]

    def make_base(self) -> str:
        """A Debian base by debootstrap (unless one made this week is here), tagged with the
        pinned base's name; returns the reference that pins it by its own digest."""
        name, _ = pinned_base()
        exists = self.podman("image", "exists", name, check=False).returncode == 0
        if not exists or time.time() - self._created(name) > BASE_MAX_AGE_SECONDS:
            self._debootstrap(name)
        digest: str = self.inspect("image", name)["Digest"]
        return f"{name}@{digest}"

    def _created(self, image: str) -> float:
        created = self.podman("image", "inspect", "--format", "{{.Created.Unix}}", image)
        return float(created.stdout.strip())

    def _debootstrap(self, name: str) -> None:
        rootfs = self.root / "rootfs"
        shutil.rmtree(rootfs, ignore_errors=True)
        self.run("debootstrap", "--variant=minbase", _SUITE, str(rootfs), _MIRROR, timeout=600)
        (rootfs / "etc/apt/sources.list").write_text(_SOURCES)
        for leftovers in ("var/cache/apt/archives", "var/lib/apt/lists"):
            for path in (rootfs / leftovers).glob("*"):
                if path.is_file():
                    path.unlink()
        archive = self.root / "rootfs.tar"
        subprocess.run(
            ["tar", "-C", str(rootfs), "--exclude=./dev/*", "-cf", str(archive), "."], check=True
        )
        shutil.rmtree(rootfs)
        self.podman("import", "--change", 'CMD ["/bin/bash"]', str(archive), name)
        archive.unlink()

    def build(self, target: str, base: str, tag: str) -> None:
        """`deploy/images/Dockerfile`'s `target` from the repository, as `tag`."""
        self.run(
            "buildah",
            "bud",
            "--pull=never",
            "--isolation=chroot",
            "--network=host",
            "--format=docker",  # keeps HEALTHCHECK, which the OCI image format has no field for
            "--layers",
            f"--volume={HOST_CA_BUNDLE}:/run/build-ca.crt:ro",
            "--build-arg=CA_BUNDLE=/run/build-ca.crt",
            f"--build-arg=BASE={base}",
            "--build-arg=REVISION=test",
            f"--target={target}",
            f"--tag={tag}",
            f"--file={BUILD_FILE}",
            str(REPO),
            timeout=900,
        )

    def clean(self) -> None:
        """Remove every container, pod, secret and volume, and the images no tag holds."""
        self.podman("pod", "rm", "--all", "--force", check=False)
        self.podman("rm", "--all", "--force", check=False)
        self.podman("secret", "rm", "--all", check=False)
        self.podman("volume", "rm", "--all", "--force", check=False)
        self.podman("image", "prune", "--force", check=False, timeout=300)
