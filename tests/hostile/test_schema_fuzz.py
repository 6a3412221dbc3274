"""Schemathesis over the whole OpenAPI schema, against `provena up` as a user runs it (the
API, the devnet and the contracts as real processes, a registry bootstrapped and a scheme
accredited, so writes can go through).

Every operation gets a fixed number of generated requests, valid and invalid, as one demo
person of each role and signed out; every answer must be a status the operation declares
(never a 5xx), with the declared media type and headers, and a body matching the declared
schema. The seed is fixed and generation deterministic, so a run can be repeated;
`PROVENA_SOAK=1` runs many more examples per operation (a long run, not part of make test):

    PROVENA_SOAK=1 uv run pytest tests/hostile/test_schema_fuzz.py
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from bench.common import access_token
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from provena.api.app import create_app
from provena.demo import PEOPLE, Role
from provena.settings import Settings
from tests.support.process import ProvenaUp, provena_up

SOAK = os.environ.get("PROVENA_SOAK") == "1"
EXAMPLES = 100 if SOAK else 2
SEED = 9457
REQUEST_TIMEOUT = 30.0
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
#: One demo person of each role.
CALLERS = {role.value: next(p.username for p in PEOPLE if role in p.roles) for role in Role}
#: Every request comes from one address and one person of each role: lift the limits meant
#: for many clients.
LIMITS = {
    "PROVENA_VERIFY_BURST": "1000000",
    "PROVENA_UPLOAD_BURST": "1000000",
    "PROVENA_SIGNIN_BURST": "1000000",
}


def _openapi() -> dict[str, Any]:
    """The schema the API serves (the same app, built without a ledger or a database)."""
    with tempfile.TemporaryDirectory() as directory:
        settings = Settings(
            data_dir=Path(directory), dev_issuer=False, oidc_issuer="http://issuer.invalid"
        )
        return create_app(settings).openapi()


CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        "request-timeout": REQUEST_TIMEOUT,
        "generation": {
            "max-examples": EXAMPLES,
            "deterministic": True,
            "database": "none",
            "no-shrink": not SOAK,
            "with-security-parameters": False,  # the token is the caller's own (below)
        },
        # The coverage phase's boundary cases multiply with each parameter; a soak has time.
        "phases": {"coverage": {"enabled": SOAK}},
    }
)
# The live feed streams until the client leaves (tests/api covers it); every other operation
# answers and ends.
schema = schemathesis.openapi.from_dict(_openapi(), config=CONFIG).exclude(path="/api/v1/events")


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProvenaUp]:
    data_dir = tmp_path_factory.mktemp("fuzz") / "data"
    with provena_up(data_dir, "--no-seed", env=LIMITS) as up:
        governor = {"Authorization": f"Bearer {access_token(up.url, data_dir, 'ines.moreau')}"}
        with httpx.Client(base_url=up.url, headers=governor | {"Prefer": "wait=30"}) as http:
            accreditation = {"msp_id": "CertifierMSP", "schemes": ["EU-ORGANIC"]}
            for path, body in (
                ("/api/v1/registry/bootstrap", {"governance_msps": ["CertifierMSP"]}),
                ("/api/v1/registry/accreditations", accreditation),
            ):
                answer = http.post(path, json=body, timeout=60)
                assert answer.status_code == 200, answer.text
        yield up


@pytest.fixture(scope="module")
def tokens(running: ProvenaUp) -> dict[str, str]:
    return {
        role: access_token(running.url, running.data_dir, user) for role, user in CALLERS.items()
    }


def test_the_fuzzed_schema_is_the_served_one(running: ProvenaUp) -> None:
    assert httpx.get(f"{running.url}/openapi.json").json() == schema.raw_schema


@schema.parametrize()
@pytest.mark.parametrize("caller", [*CALLERS, "signed-out"])
def test_every_operation_answers_as_declared(
    case: Case[Any], caller: str, running: ProvenaUp, tokens: dict[str, str]
) -> None:
    headers = {"Authorization": f"Bearer {tokens[caller]}"} if caller in tokens else {}
    response = case.call(base_url=running.url, headers=headers, timeout=REQUEST_TIMEOUT)
    case.validate_response(response, checks=CHECKS, headers=headers)
