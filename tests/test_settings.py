"""Settings: embedded defaults, environment variables, and the production profile."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from provena.demo import Role
from provena.settings import Settings


def test_embedded_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(__import__("os").environ):
        if name.startswith("PROVENA_"):
            monkeypatch.delenv(name)
    settings = Settings()
    assert settings.base_url == "http://127.0.0.1:8000"
    assert settings.issuer_url == "http://127.0.0.1:8000/dev-oidc"
    assert settings.sqlalchemy_url == f"sqlite:///{Path('.provena/provena.db').resolve()}"
    assert settings.oidc_role_groups["provena-certifier"] is Role.CERTIFIER
    assert settings.oidc_org_groups["org-RetailerMSP"] == "RetailerMSP"


def test_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROVENA_PORT", "9001")
    monkeypatch.setenv("PROVENA_DATABASE_URL", "postgresql://db.internal/provena")
    monkeypatch.setenv("PROVENA_OIDC_ROLE_GROUPS", '{"Auditors": "auditor"}')
    settings = Settings()
    assert settings.base_url == "http://127.0.0.1:9001"
    assert settings.sqlalchemy_url == "postgresql://db.internal/provena"
    assert settings.oidc_role_groups == {"Auditors": Role.AUDITOR}


def test_unknown_role_in_mapping_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROVENA_OIDC_ROLE_GROUPS", '{"Root": "superuser"}')
    with pytest.raises(ValidationError, match="superuser"):
        Settings()


def test_production_refuses_development_defaults() -> None:
    with pytest.raises(ValidationError) as info:
        Settings(profile="production")
    message = str(info.value)
    assert "development OIDC issuer is on" in message
    assert "no OIDC issuer is configured" in message
    assert "development group names" in message
    assert "embedded devnet is on" in message


def test_production_with_real_issuer_accepted() -> None:
    settings = Settings(
        profile="production",
        dev_issuer=False,
        devnet=False,
        oidc_issuer="https://idcs-0123456789abcdef.identity.oraclecloud.com",
        oidc_expected_issuer="https://identity.oraclecloud.com/",
        oidc_jwks_url="https://idcs-0123456789abcdef.identity.oraclecloud.com/admin/v1/SigningCert/jwk",
        oidc_role_groups={"ProvenaCertifiers": Role.CERTIFIER},
        oidc_org_groups={"VeritasStaff": "CertifierMSP"},
        key_encryption="oci_vault",
    )
    assert settings.issuer_url == "https://idcs-0123456789abcdef.identity.oraclecloud.com"


def test_web_dir_without_app_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"has no index\.html"):
        Settings(web_dir=tmp_path)


def test_a_function_in_production_needs_no_sign_in_settings() -> None:
    production: dict[str, Any] = {"profile": "production", "dev_issuer": False, "devnet": False}
    production["key_encryption"] = "oci_vault"
    settings = Settings(**production, function="event-relay")
    assert settings.oidc_issuer is None
    with pytest.raises(ValidationError, match="no OIDC issuer is configured"):
        Settings(**production)
    with pytest.raises(ValidationError, match="the embedded devnet is on"):
        Settings(**production | {"devnet": True}, function="event-relay")
