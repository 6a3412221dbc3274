"""`/api/v1/me` and the 401/403 answers, over real HTTP."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from provena.settings import default_org_groups
from tests.api.conftest import RunningApi, start_api


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def signed(api: RunningApi, *, headers: dict[str, Any] | None = None, **claims: Any) -> str:
    """A token signed with the development issuer's real key, with chosen claims."""
    now = int(time.time())
    body = {
        "iss": api.settings.issuer_url,
        "sub": "david.okafor",
        "aud": "provena",
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "groups": ["provena-certifier", "org-CertifierMSP"],
    } | claims
    key = api.issuer.key
    return jwt.encode(
        {k: v for k, v in body.items() if v is not None},
        key.private_key,
        algorithm="ES256",
        headers={"kid": key.kid} | (headers or {}),
    )


async def test_me_returns_profile_organization_and_roles(
    api: RunningApi, client: httpx.AsyncClient
) -> None:
    response = await client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {api.token('david.okafor')}"}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "subject": "david.okafor",
        "email": "david.okafor@certifier.provena.test",
        "display_name": "David Okafor",
        "roles": ["certifier"],
        "organization": {
            "msp_id": "CertifierMSP",
            "name": "Veritas Organic Certification",
            "kind": "certification_body",
        },
    }


async def test_me_for_every_demo_person(api: RunningApi, client: httpx.AsyncClient) -> None:
    from provena.demo import PEOPLE

    for person in PEOPLE:
        response = await client.get(
            "/api/v1/me", headers={"Authorization": f"Bearer {api.token(person.username)}"}
        )
        assert response.status_code == 200
        body = response.json()
        assert body["organization"]["msp_id"] == person.msp_id
        assert body["roles"] == sorted(r.value for r in person.roles)


def forged_tokens(api: RunningApi) -> dict[str, str]:
    now = int(time.time())
    valid = signed(api)
    header, payload, signature = valid.split(".")
    public_pem = api.issuer.key.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    hs_header = b64(json.dumps({"alg": "HS256", "kid": api.issuer.key.kid}).encode())
    hs_mac = hmac.new(public_pem, f"{hs_header}.{payload}".encode(), hashlib.sha256).digest()
    none_header = b64(json.dumps({"alg": "none", "kid": api.issuer.key.kid}).encode())
    elevated = b64(
        json.dumps(jwt.decode(valid, options={"verify_signature": False}) | {"sub": "x"}).encode()
    )
    stranger = ec.generate_private_key(ec.SECP256R1())
    return {
        "alg none": f"{none_header}.{payload}.",
        "HS256 signed with the public key": f"{hs_header}.{payload}.{b64(hs_mac)}",
        "expired": signed(api, exp=now - 3600, iat=now - 7200, nbf=now - 7200),
        "not yet valid": signed(api, nbf=now + 3600),
        "issued in the future": signed(api, iat=now + 3600),
        "wrong audience": signed(api, aud="another-api"),
        "wrong issuer": signed(api, iss="https://issuer.example"),
        "unknown kid": signed(api, headers={"kid": "no-such-key"}),
        "tampered payload": f"{header}.{elevated}.{signature}",
        "signed by a stranger": jwt.encode(
            jwt.decode(valid, options={"verify_signature": False}),
            stranger,
            algorithm="ES256",
            headers={"kid": api.issuer.key.kid},
        ),
        "garbage": "not-a-token",
        "empty segments": "..",
    }


@pytest.mark.parametrize(
    "case",
    [
        "alg none",
        "HS256 signed with the public key",
        "expired",
        "not yet valid",
        "issued in the future",
        "wrong audience",
        "wrong issuer",
        "unknown kid",
        "tampered payload",
        "signed by a stranger",
        "garbage",
        "empty segments",
    ],
)
async def test_forged_and_broken_tokens_get_401_problem(
    api: RunningApi, client: httpx.AsyncClient, case: str
) -> None:
    token = forged_tokens(api)[case]
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, f"{case}: {response.text}"
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")
    problem = response.json()
    assert problem["status"] == 401
    assert problem["title"] == "Unauthorized"
    assert problem["instance"] == "/api/v1/me"
    assert problem["detail"]


@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Basic dXNlcjpwYXNz", "Token abc"])
async def test_missing_or_other_scheme_gets_401(
    client: httpx.AsyncClient, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    response = await client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "a bearer token is required"


async def test_role_required_gets_403(api: RunningApi, client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/api/v1/users", headers={"Authorization": f"Bearer {api.token('david.okafor')}"}
    )
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert "admin" in response.json()["detail"]


async def test_admin_lists_users_of_own_organization(
    api: RunningApi, client: httpx.AsyncClient
) -> None:
    for username in ("mei.tanaka", "tomas.herrera"):
        await client.get("/api/v1/me", headers={"Authorization": f"Bearer {api.token(username)}"})
    response = await client.get(
        "/api/v1/users", headers={"Authorization": f"Bearer {api.token('ines.moreau')}"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    subjects = [u["subject"] for u in body["data"]]
    assert "mei.tanaka" in subjects
    assert "tomas.herrera" not in subjects  # another organization
    assert body["count"] == len(body["data"])


async def test_unmapped_groups_grant_nothing(api: RunningApi, client: httpx.AsyncClient) -> None:
    token = signed(api, sub="ghost", groups=["Everyone", "org-GhostMSP", "provena-superuser"])
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["roles"] == []
    assert response.json()["organization"] is None


def test_group_mapped_to_unregistered_organization_gets_403(tmp_path: Path) -> None:
    org_groups = default_org_groups() | {"org-GhostMSP": "GhostMSP"}
    with start_api(
        tmp_path, f"sqlite:///{tmp_path / 'db.sqlite'}", oidc_org_groups=org_groups
    ) as api:
        token = signed(api, sub="ghost", groups=["provena-producer", "org-GhostMSP"])
        response = httpx.get(f"{api.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 403
        assert response.json()["detail"] == "organization 'GhostMSP' is not registered with Provena"


async def test_user_recorded_once_then_on_change(
    api: RunningApi, client: httpx.AsyncClient
) -> None:
    from sqlalchemy import select

    from provena.db import Database, User

    async def stored() -> User:
        database = Database.from_url(api.settings.sqlalchemy_url)
        try:
            async with database.session() as session:
                return (await session.scalars(select(User).filter_by(oidc_subject="lars.x"))).one()
        finally:
            await database.dispose()

    auditor = signed(api, sub="lars.x", groups=["provena-auditor", "org-CertifierMSP"])
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {auditor}"})
    assert response.status_code == 200
    first = await stored()
    assert first.roles == ["auditor"]
    for _ in range(3):  # unchanged and recent: no write
        await client.get("/api/v1/me", headers={"Authorization": f"Bearer {auditor}"})
    assert (await stored()).last_seen_at == first.last_seen_at
    promoted = signed(api, sub="lars.x", groups=["provena-admin", "org-CertifierMSP"])
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {promoted}"})
    assert response.json()["roles"] == ["admin"]
    second = await stored()
    assert second.roles == ["admin"]
    assert second.last_seen_at > first.last_seen_at
