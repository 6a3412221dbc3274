"""Configuration: one `Settings`, read from `PROVENA_*` environment variables.

Every field has an embedded default, so `provena up` runs with no configuration at
all. The `production` profile refuses those development defaults (the embedded
OIDC issuer and its key) so a production deployment cannot start half-configured.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from provena.demo import ORGANIZATIONS, Role

__all__ = [
    "FabricCa",
    "Settings",
    "SettingsError",
    "default_org_groups",
    "default_role_groups",
]


class SettingsError(ValueError):
    """The configuration cannot be used (for example, development defaults in production)."""


def default_role_groups() -> dict[str, Role]:
    """Group names the development issuer puts in tokens, mapped to roles."""
    return {f"provena-{role.value}": role for role in Role}


def default_org_groups() -> dict[str, str]:
    """Group names the development issuer puts in tokens, mapped to organizations (MSP ids)."""
    return {f"org-{org.msp_id}": org.msp_id for org in ORGANIZATIONS}


_REPO_WEB_DIST = Path(__file__).resolve().parents[2] / "web" / "dist"
DEV_ISSUER_PATH = "/dev-oidc"


class FabricCa(BaseModel):
    """An organization's Fabric CA and the registrar the API registers its people with."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    url: str
    ca_name: str | None = None
    tls_ca: Path | None = None
    registrar_id: str
    registrar_secret: SecretStr


class Settings(BaseSettings):
    """All of Provena's settings. Environment variables are `PROVENA_<FIELD>`."""

    model_config = SettingsConfigDict(env_prefix="PROVENA_", extra="ignore", frozen=True)

    profile: Literal["development", "production"] = "development"
    data_dir: Path = Path(".provena")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    public_url: str | None = Field(
        default=None, description="URL browsers use to reach the API; default http://HOST:PORT"
    )
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default a SQLite file in the data dir"
    )
    web_dir: Path | None = Field(default=None, description="The built web app to serve")
    log_level: str = "INFO"
    log_json: bool = True

    dev_issuer: bool = Field(
        default=True, description="Run the embedded development OIDC issuer (refused in production)"
    )
    oidc_issuer: str | None = Field(
        default=None, description="OIDC issuer (authority) URL; default the development issuer"
    )
    oidc_discovery_url: str | None = None
    oidc_expected_issuer: str | None = Field(
        default=None, description="`iss` claim to accept when it differs from the issuer URL"
    )
    oidc_jwks_url: str | None = Field(default=None, description="JWKS URL; default from discovery")
    oidc_audience: str = "provena"
    oidc_client_id: str = "provena-web"
    oidc_scope: str = "openid profile email groups"
    oidc_groups_claim: str = "groups"
    oidc_role_groups: dict[str, Role] = Field(default_factory=default_role_groups)
    oidc_org_groups: dict[str, str] = Field(default_factory=default_org_groups)
    oidc_leeway_seconds: int = Field(default=30, ge=0, le=300)
    oidc_jwks_cache_seconds: int = Field(default=300, ge=1)
    oidc_jwks_min_refresh_seconds: float = Field(default=10.0, ge=0)
    oidc_redirect_uris: list[str] = Field(
        default_factory=list,
        description="Extra redirect URIs the development issuer accepts (its own origin always is)",
    )

    devnet: bool = Field(
        default=True,
        description="`provena up` starts the embedded devnet with Provena's contracts "
        "(refused in production)",
    )
    devnet_listen: str = Field(
        default="127.0.0.1:7051", description="host:port of the embedded devnet's gateway"
    )
    ledger_endpoint: str | None = Field(
        default=None,
        description="host:port of the Fabric peer gateway; set by `provena up` for the devnet",
    )
    ledger_tls_ca: Path | None = Field(default=None, description="The peer's TLS CA (PEM)")
    ledger_server_name: str | None = Field(
        default=None, description="Name to check in the peer's TLS certificate"
    )
    ledger_channel: str = "provena"
    ledger_chaincode: str = "provena"
    ledger_reader_msp_id: str | None = Field(
        default=None,
        description="MSP of the API's own read identity (commit status, events); never signs a "
        "write. Set by `provena up` for the devnet",
    )
    ledger_reader_cert: Path | None = Field(default=None, description="Its certificate (PEM)")
    ledger_reader_key: Path | None = Field(default=None, description="Its private key (PEM)")
    event_listener: bool = Field(
        default=True,
        description="Run the ledger event listener (projections, live feed) in this process",
    )
    webhook_max_backoff_seconds: float = Field(
        default=300,
        gt=0,
        description="The longest wait before retrying an EPCIS subscription's webhook",
    )
    verify_rate_per_minute: float = Field(
        default=600, ge=0, description="Public verification requests a minute per client IP"
    )
    verify_burst: int = Field(
        default=60, ge=1, description="Public verification requests a client may make at once"
    )
    signin_rate_per_minute: float = Field(
        default=120,
        ge=0,
        description="Sign-ins and token requests a minute per client IP at the development issuer",
    )
    signin_burst: int = Field(
        default=60, ge=1, description="Sign-in requests a client may make at once"
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Origins (scheme://host[:port]) whose pages may call the API from a browser "
        '(JSON, e.g. ["https://app.example.com"]); default none: same origin only',
    )
    fabric_cas: dict[str, FabricCa] = Field(
        default_factory=dict,
        description="Each organization's Fabric CA, by MSP id (JSON); set by `provena up` for "
        "the devnet",
    )

    storage_backend: Literal["local", "oci", "s3"] = Field(
        default="local", description="Object storage: a local directory, OCI Object Storage or S3"
    )
    storage_dir: Path | None = Field(
        default=None, description="Local objects; default DATA_DIR/objects"
    )
    storage_max_object_size: int = Field(
        default=5 * 2**30, ge=1, description="Largest object (and upload) accepted, in bytes"
    )
    upload_idle_timeout_seconds: float = Field(
        default=60, gt=0, description="An upload whose body stalls this long is cut off (408)"
    )
    upload_timeout_seconds: float = Field(
        default=3600, gt=0, description="Longest an upload's body may take to arrive (408)"
    )
    upload_rate_per_minute: float = Field(
        default=60, ge=0, description="Document uploads a minute per person (past it: 429)"
    )
    upload_burst: int = Field(
        default=60, ge=1, description="Document uploads a person may make at once"
    )
    oci_auth: Literal["api_key", "instance_principal", "resource_principal", "oke_workload"] = (
        "api_key"
    )
    oci_config_file: str = "~/.oci/config"
    oci_config_profile: str = "DEFAULT"
    oci_region: str | None = None
    oci_namespace: str | None = None
    oci_bucket: str | None = None
    oci_endpoint: str | None = Field(default=None, description="Override the regional endpoint")
    s3_endpoint_url: str | None = Field(
        default=None,
        description="e.g. https://NAMESPACE.compat.objectstorage.REGION.oraclecloud.com",
    )
    s3_region: str = "us-east-1"
    s3_bucket: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    ipfs_profile: str = Field(
        default="unixfs-v1-2025",
        description="IPIP-499 import profile: unixfs-v1-2025 or unixfs-v0-2015",
    )
    ipfs_blockstore: Literal["filesystem", "object_store"] = Field(
        default="filesystem", description="Blocks in DATA_DIR/ipfs, or in the object store"
    )
    ipfs_kubo_url: str | None = Field(
        default=None,
        description="Kubo RPC API URL (e.g. http://127.0.0.1:5001) instead of the embedded store",
    )

    key_encryption: Literal["local", "oci_vault"] = Field(
        default="local",
        description="What wraps the data keys that seal private keys: a local or OCI Vault key",
    )
    key_encryption_key: SecretStr | None = Field(
        default=None, description="The local key-encryption key: 32 bytes, base64"
    )
    key_encryption_key_file: Path | None = Field(
        default=None,
        description="File of the local key-encryption key (32 bytes); default DATA_DIR/wallet/kek, "
        "created if absent outside production",
    )
    oci_vault_key_id: str | None = Field(default=None, description="OCID of the Vault master key")
    oci_vault_crypto_endpoint: str | None = Field(
        default=None, description="The vault's crypto endpoint (https://...-crypto.kms....)"
    )
    function: Literal["inbox-import", "expiry-sweep", "event-relay"] | None = Field(
        default=None, description="The OCI Function this process serves (provena.functions)"
    )
    inbox_bucket: str | None = Field(
        default=None, description="The OCI bucket partners drop files in, for the inbox import"
    )
    ons_topic_id: str | None = Field(
        default=None, description="OCID of the OCI Notifications topic the functions publish to"
    )
    ons_endpoint: str | None = Field(
        default=None, description="Override the Notifications regional endpoint"
    )
    expiry_notice_days: int = Field(
        default=30, ge=1, le=366, description="Certificates expiring within these days are noticed"
    )
    expiry_sweep_hours: float = Field(
        default=24, gt=0, description="How often the expiry sweep runs: its look-back for expiries"
    )
    relay_kinds: list[str] = Field(
        default_factory=lambda: [
            "certificate.suspended",
            "certificate.reinstated",
            "certificate.revoked",
            "transfer.proposed",
            "transfer.accepted",
            "transfer.rejected",
            "checkpoint.recorded",
        ],
        description="Feed kinds the event relay posts to Notifications (checkpoints only when "
        "their disposition is an exception: damaged, stolen, ...)",
    )
    otlp_endpoint: str | None = Field(
        default=None, description="Where to export traces (OTLP/HTTP), e.g. OCI APM's; none: off"
    )
    otlp_headers: dict[str, str] = Field(
        default_factory=dict, description='Headers of the OTLP export, e.g. {"Authorization": ...}'
    )

    @model_validator(mode="after")
    def _web_dir_holds_an_app(self) -> Settings:
        if self.web_dir is not None and not (self.web_dir / "index.html").is_file():
            raise SettingsError(f"web app directory {self.web_dir} has no index.html")
        return self

    @model_validator(mode="after")
    def _refuse_development_defaults_in_production(self) -> Settings:
        if self.profile != "production":
            return self
        problems = []
        if self.dev_issuer:
            problems.append("the development OIDC issuer is on (set PROVENA_DEV_ISSUER=false)")
        if self.devnet:
            problems.append("the embedded devnet is on (set PROVENA_DEVNET=false)")
        signs_people_in = self.function is None  # an OCI Function takes no sign-ins
        if signs_people_in and not self.oidc_issuer:
            problems.append("no OIDC issuer is configured (set PROVENA_OIDC_ISSUER)")
        if signs_people_in and self.oidc_role_groups == default_role_groups():
            problems.append("roles use the development group names (set PROVENA_OIDC_ROLE_GROUPS)")
        local_keys = (self.key_encryption_key, self.key_encryption_key_file)
        if self.key_encryption == "local" and local_keys == (None, None):
            problems.append(
                "private keys would be sealed with a generated development key (set "
                "PROVENA_KEY_ENCRYPTION=oci_vault, or PROVENA_KEY_ENCRYPTION_KEY[_FILE])"
            )
        if problems:
            raise SettingsError("production profile refused: " + "; ".join(problems))
        return self

    @cached_property
    def base_url(self) -> str:
        """The public URL of this API, without a trailing slash."""
        if self.public_url:
            return self.public_url.rstrip("/")
        return f"http://{self.host}:{self.port}"

    @cached_property
    def sqlalchemy_url(self) -> str:
        """The database URL, defaulting to `provena.db` in the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'provena.db').resolve()}"

    @cached_property
    def issuer_url(self) -> str:
        """The OIDC authority browsers sign in with."""
        if self.oidc_issuer:
            return self.oidc_issuer.rstrip("/")
        return self.base_url + DEV_ISSUER_PATH

    @cached_property
    def web_root(self) -> Path | None:
        """The built web app directory, if there is one."""
        if self.web_dir is not None:
            return self.web_dir
        return _REPO_WEB_DIST if (_REPO_WEB_DIST / "index.html").is_file() else None
