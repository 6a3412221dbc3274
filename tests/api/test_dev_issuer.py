"""The development issuer: the authorization code flow with PKCE, over real HTTP."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from html import unescape
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.api.conftest import RunningApi


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize_params(api: RunningApi, challenge: str, **overrides: str) -> dict[str, str]:
    return {
        "response_type": "code",
        "client_id": "provena-web",
        "redirect_uri": f"{api.url}/auth/callback",
        "scope": "openid profile email groups",
        "state": "state-1",
        "nonce": "nonce-1",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    } | overrides


async def sign_in(api: RunningApi, client: httpx.AsyncClient, username: str, challenge: str) -> str:
    page = await client.get("/dev-oidc/authorize", params=authorize_params(api, challenge))
    assert page.status_code == 200
    hidden = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page.text))
    form = {k: unescape(v) for k, v in hidden.items() if k != "username"} | {"username": username}
    redirect = await client.post("/dev-oidc/authorize", data=form)
    assert redirect.status_code == 303
    location = urlsplit(redirect.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{api.url}/auth/callback"
    query = parse_qs(location.query)
    assert query["state"] == ["state-1"]
    return query["code"][0]


async def exchange(
    api: RunningApi, client: httpx.AsyncClient, code: str, verifier: str
) -> httpx.Response:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": "provena-web",
        "redirect_uri": f"{api.url}/auth/callback",
        "code_verifier": verifier,
    }
    return await client.post("/dev-oidc/token", data=data)


async def refresh(client: httpx.AsyncClient, refresh_token: str) -> httpx.Response:
    data = {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "client_id": "provena-web",
    }
    return await client.post("/dev-oidc/token", data=data)


async def test_discovery_and_jwks(api: RunningApi, client: httpx.AsyncClient) -> None:
    discovery = (await client.get("/dev-oidc/.well-known/openid-configuration")).json()
    assert discovery["issuer"] == f"{api.url}/dev-oidc"
    assert discovery["code_challenge_methods_supported"] == ["S256"]
    jwks = (await client.get(discovery["jwks_uri"].removeprefix(api.url))).json()
    assert [k["kid"] for k in jwks["keys"]] == [api.issuer.key.kid]
    assert "d" not in jwks["keys"][0]  # never the private part


async def test_login_page_lists_demo_people(client: httpx.AsyncClient, api: RunningApi) -> None:
    _, challenge = pkce()
    page = await client.get("/dev-oidc/authorize", params=authorize_params(api, challenge))
    assert page.headers["content-type"].startswith("text/html")
    assert 'value="david.okafor">David Okafor' in page.text
    assert "Veritas Organic Certification" in page.text
    assert page.text.count('name="username"') == 11


async def test_code_flow_with_pkce_gives_tokens_the_api_accepts(
    api: RunningApi, client: httpx.AsyncClient
) -> None:
    verifier, challenge = pkce()
    code = await sign_in(api, client, "sam.carter", challenge)
    token = await exchange(api, client, code, verifier)
    assert token.status_code == 200, token.text
    assert token.headers["cache-control"] == "no-store"
    tokens = token.json()
    assert tokens["token_type"] == "Bearer"
    me = await client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert me.json()["display_name"] == "Sam Carter"
    assert me.json()["roles"] == ["carrier"]
    userinfo = await client.get(
        "/dev-oidc/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert userinfo.json()["sub"] == "sam.carter"
    # The code is single use.
    again = await exchange(api, client, code, verifier)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    # Refresh tokens rotate.
    refreshed = await refresh(client, tokens["refresh_token"])
    assert refreshed.status_code == 200
    replay = await refresh(client, tokens["refresh_token"])
    assert replay.status_code == 400


async def test_wrong_code_verifier_rejected(api: RunningApi, client: httpx.AsyncClient) -> None:
    _, challenge = pkce()
    code = await sign_in(api, client, "jonas.berg", challenge)
    response = await exchange(api, client, code, secrets.token_urlsafe(48))
    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_grant",
        "error_description": "code_verifier does not match the code_challenge",
    }


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"redirect_uri": "https://attacker.example/cb"}, "is not registered"),
        ({"client_id": "someone-else"}, "unknown client_id"),
        ({"code_challenge_method": "plain"}, "PKCE"),
        ({"code_challenge": ""}, "PKCE"),
        ({"response_type": "token"}, "response_type=code"),
        ({"scope": "profile"}, "openid scope"),
    ],
)
async def test_bad_authorization_requests_refused(
    api: RunningApi, client: httpx.AsyncClient, override: dict[str, str], message: str
) -> None:
    _, challenge = pkce()
    response = await client.get(
        "/dev-oidc/authorize", params=authorize_params(api, challenge, **override)
    )
    assert response.status_code == 400
    assert message in unescape(response.text)


async def test_unknown_user_redirects_with_error(
    api: RunningApi, client: httpx.AsyncClient
) -> None:
    _, challenge = pkce()
    response = await client.post(
        "/dev-oidc/authorize", data=authorize_params(api, challenge) | {"username": "mallory"}
    )
    assert response.status_code == 303
    assert parse_qs(urlsplit(response.headers["location"]).query)["error"] == ["access_denied"]


async def test_logout_redirects_only_to_own_origin(
    api: RunningApi, client: httpx.AsyncClient
) -> None:
    ok = await client.get(
        "/dev-oidc/logout", params={"post_logout_redirect_uri": f"{api.url}/", "state": "s"}
    )
    assert ok.status_code == 303
    assert ok.headers["location"] == f"{api.url}/?state=s"
    elsewhere = await client.get(
        "/dev-oidc/logout", params={"post_logout_redirect_uri": "https://attacker.example/"}
    )
    assert elsewhere.status_code == 200
    assert "signed out" in elsewhere.text
