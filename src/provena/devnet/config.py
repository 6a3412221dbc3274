"""The devnet's configuration, remembered in `<data>/devnet.json`.

The first start records every setting; later starts (and `profile`, `info`, `enroll`, which run
while the devnet does) read it back, and options given again override it — except the
organizations and the channel, which are fixed once a ledger exists: changing them would need a
new genesis block, so that is refused with a clear error rather than silently ignored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from provena.demo import ORGANIZATIONS, PEOPLE
from provena.devnet.errors import ConfigError, PkiError
from provena.devnet.pki import OrgSpec, UserSpec
from provena.devnet.policy import DEFAULT_POLICY

__all__ = [
    "DEFAULT_DATA_DIR",
    "DEMO_ORGS",
    "DevnetConfig",
    "demo_users",
    "parse_listen",
    "parse_orgs",
]

DEFAULT_DATA_DIR = Path(".provena/devnet")
DEMO_ORGS = tuple(OrgSpec(o.msp_id, o.domain, o.name) for o in ORGANIZATIONS)
_CHANNEL = re.compile(r"^[a-z][a-z0-9.-]{0,248}$")
_FILE = "devnet.json"


def demo_users(orgs: Sequence[OrgSpec]) -> tuple[UserSpec, ...]:
    """The demo world's people who belong to `orgs`, with their `provena.role` attribute."""
    ids = {o.msp_id for o in orgs}
    return tuple(
        UserSpec(p.username, p.msp_id, {"provena.role": ",".join(p.roles)})
        for p in PEOPLE
        if p.msp_id in ids
    )


def parse_orgs(text: str) -> tuple[OrgSpec, ...]:
    """`MSPID[=domain],…`; the demo world's MSP ids keep their domains and names, others get
    `<id without MSP>.provena.test`."""
    demo = {o.msp_id: o for o in DEMO_ORGS}
    orgs = []
    for item in (i.strip() for i in text.split(",")):
        if not item:
            continue
        msp_id, _, domain = (part.strip() for part in item.partition("="))
        known = demo.get(msp_id)
        if not domain:
            stem = msp_id.lower().removesuffix("msp") or msp_id.lower()
            domain = known.domain if known else f"{stem}.provena.test"
        try:
            orgs.append(OrgSpec(msp_id, domain, known.name if known else msp_id))
        except PkiError as exc:
            raise ConfigError(f"--orgs: {exc}") from exc
    if not orgs:
        raise ConfigError("--orgs needs at least one MSP id")
    return tuple(orgs)


def parse_listen(text: str) -> tuple[str, int]:
    """`host:port` or `[v6]:port` → (host, port); port 0 picks a free one."""
    host, sep, port = text.rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ConfigError(f"listen address must be host:port, not {text!r}")
    return host, int(port)


@dataclass(frozen=True, kw_only=True)
class DevnetConfig:
    """Everything that shapes a devnet. Defaults: the demo world, TLS on, fast batches."""

    data_dir: Path = DEFAULT_DATA_DIR
    host: str = "127.0.0.1"
    port: int = 7051
    tls: bool = True
    client_auth: bool = False
    """Mutual TLS: clients must present a certificate from one of the channel's TLS CAs."""
    orgs: tuple[OrgSpec, ...] = DEMO_ORGS
    channel: str = "provena"
    batch_size: int = 100
    batch_timeout: float = 0.0005
    """Seconds a partial batch waits; small, so a lone transaction commits at once."""
    endorsement_policy: str = DEFAULT_POLICY
    users: tuple[UserSpec, ...] = field(default=(), compare=False)
    """Users to create on first start; the demo people of `orgs` when empty."""
    ca_host: str = "127.0.0.1"
    ca_port: int | None = None
    """The Fabric CA server's port; None: the listen port + 3 (7054, as Fabric's samples use),
    or a free one when the listen port is 0."""

    def __post_init__(self) -> None:
        if not _CHANNEL.match(self.channel):
            raise ConfigError(
                f"channel name {self.channel!r} must start with a lower-case letter and hold "
                "only a-z, 0-9, '.' and '-'"
            )
        if self.batch_size < 1:
            raise ConfigError(f"batch size must be at least 1, not {self.batch_size}")
        if not 0 < self.batch_timeout <= 60:
            raise ConfigError(f"batch timeout must be in (0, 60] seconds, not {self.batch_timeout}")
        if self.client_auth and not self.tls:
            raise ConfigError("mutual TLS (client auth) needs TLS on")
        for port in (self.port, self.ca_port or 0):
            if not 0 <= port <= 65535:
                raise ConfigError(f"port {port} is out of range")
        if not self.orgs:
            raise ConfigError("a devnet needs at least one organization")
        if not self.users:
            object.__setattr__(self, "users", demo_users(self.orgs))

    @property
    def file(self) -> Path:
        return self.data_dir / _FILE

    @property
    def organizations_dir(self) -> Path:
        return self.data_dir / "organizations"

    @property
    def ledger_file(self) -> Path:
        return self.data_dir / "ledger" / f"{self.channel}.sqlite"

    @property
    def chaincodes_file(self) -> Path:
        return self.data_dir / "chaincodes.json"

    @property
    def admin_socket(self) -> Path:
        return self.data_dir / "admin.sock"

    @property
    def lock_file(self) -> Path:
        """Held by the devnet using the data directory, from its start to its end."""
        return self.data_dir / "devnet.lock"

    @property
    def ca_dir(self) -> Path:
        """The Fabric CA server's database and registrar credentials."""
        return self.data_dir / "fabricca"

    @property
    def endpoint(self) -> str:
        """Where clients connect (a wildcard listen address is reached on loopback)."""
        return _reachable(self.host, self.port)

    @property
    def ca_listen_port(self) -> int:
        if self.ca_port is not None:
            return self.ca_port
        return self.port + 3 if self.port else 0

    @property
    def ca_url(self) -> str:
        """Where the Fabric CA server is reached (TLS like the gateway)."""
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{_reachable(self.ca_host, self.ca_listen_port)}"

    @classmethod
    def load(cls, data_dir: Path, **overrides: Any) -> DevnetConfig:
        """The configuration recorded in `data_dir` (defaults if none), with `overrides`
        (None values ignored) applied."""
        given = {k: v for k, v in overrides.items() if v is not None}
        file = data_dir / _FILE
        if not file.exists():
            return cls(data_dir=data_dir, **given)
        try:
            data = json.loads(file.read_text())
            saved = cls(
                data_dir=data_dir,
                host=data["host"],
                port=int(data["port"]),
                tls=bool(data["tls"]),
                client_auth=bool(data.get("client_auth", False)),
                orgs=tuple(OrgSpec(**o) for o in data["orgs"]),
                channel=data["channel"],
                batch_size=int(data["batch_size"]),
                batch_timeout=float(data["batch_timeout"]),
                endorsement_policy=data["endorsement_policy"],
                ca_host=data.get("ca_host", "127.0.0.1"),
                ca_port=data.get("ca_port"),
            )
        except (OSError, ValueError, KeyError, TypeError, PkiError) as exc:
            raise ConfigError(f"cannot read the devnet configuration {file}: {exc}") from exc
        for fixed in ("orgs", "channel"):
            if fixed in given and given[fixed] != getattr(saved, fixed):
                raise ConfigError(
                    f"the devnet in {data_dir} was created with {fixed} "
                    f"{_describe(getattr(saved, fixed))}; it cannot change "
                    f"(use a new --data-dir)"
                )
        return replace(saved, **given) if given else saved

    def save(self) -> None:
        """Record this configuration in the data directory (atomically)."""
        data: Mapping[str, Any] = {
            "host": self.host,
            "port": self.port,
            "tls": self.tls,
            "client_auth": self.client_auth,
            "orgs": [asdict(o) for o in self.orgs],
            "channel": self.channel,
            "batch_size": self.batch_size,
            "batch_timeout": self.batch_timeout,
            "endorsement_policy": self.endorsement_policy,
            "ca_host": self.ca_host,
            "ca_port": self.ca_port,
        }
        self.data_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_name(f".{_FILE}.tmp")
        tmp.write_text(json.dumps(data, indent=2) + "\n")
        tmp.replace(self.file)


def _reachable(host: str, port: int) -> str:
    """host:port a client dials (a wildcard listen address is reached on loopback)."""
    host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _describe(value: object) -> str:
    if isinstance(value, tuple):
        return ",".join(o.msp_id for o in value)
    return repr(value)
