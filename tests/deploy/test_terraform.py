"""The Terraform of `deploy/terraform`: it parses, every variable and output is documented,
every variable is declared where used and used where declared, every IAM statement is
scoped to the compartment and to one resource, and checkov finds nothing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import hcl2
import pytest

from tests.deploy.checkov import checkov

TERRAFORM = Path(__file__).resolve().parents[2] / "deploy" / "terraform"


def plain(value: Any) -> Any:
    """python-hcl2's tree with its quotes taken off labels and string literals."""
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items() if k != "__is_block__"}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


@pytest.fixture(scope="module")
def modules() -> dict[str, dict[str, Any]]:
    return {f.name: plain(hcl2.loads(f.read_text())) for f in sorted(TERRAFORM.glob("*.tf"))}


def blocks(modules: dict[str, dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for module in modules.values():
        for block in module.get(kind, []):
            found.update(block)
    return found


def resources(modules: dict[str, dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [
        body
        for module in modules.values()
        for block in module.get("resource", [])
        for body in block.get(kind, {}).values()
    ]


def test_every_variable_and_output_is_documented(modules: dict[str, dict[str, Any]]) -> None:
    for name, variable in blocks(modules, "variable").items():
        assert variable.get("description"), f"variable {name} has no description"
        assert variable.get("type"), f"variable {name} has no type"
    for name, output in blocks(modules, "output").items():
        assert output.get("description"), f"output {name} has no description"


def test_variables_are_declared_where_used_and_used_where_declared(
    modules: dict[str, dict[str, Any]],
) -> None:
    text = "\n".join(f.read_text() for f in TERRAFORM.glob("*.tf"))
    used = set(re.findall(r"\bvar\.([a-z_]+)", text))
    declared = set(blocks(modules, "variable"))
    assert used - declared == set(), "used but not declared"
    assert declared - used == set(), "declared but never used"


def test_every_iam_statement_names_the_compartment_and_one_resource(
    modules: dict[str, dict[str, Any]],
) -> None:
    policies = resources(modules, "oci_identity_policy")
    assert policies
    for policy in policies:
        assert policy["compartment_id"] == "${var.compartment_ocid}"
        for statement in policy["statements"]:
            assert statement.startswith("Allow "), statement
            assert " in ${local.compartment} where " in statement, statement
            assert "in tenancy" not in statement, statement
            assert re.search(r"target\.[a-z]+\.(id|name) = ", statement), statement
            assert not re.search(r"\bto manage all-resources\b", statement), statement


def test_every_resource_lives_in_the_compartment(modules: dict[str, dict[str, Any]]) -> None:
    tenancy_wide = {"oci_identity_dynamic_group"}  # dynamic groups live in the tenancy
    for module in modules.values():
        for block in module.get("resource", []):
            for kind, bodies in block.items():
                for name, body in bodies.items():
                    if "compartment_id" not in body:
                        continue
                    expected = (
                        "${var.tenancy_ocid}" if kind in tenancy_wide else "${var.compartment_ocid}"
                    )
                    assert body["compartment_id"] == expected, f"{kind}.{name}"


def test_buckets_are_private_encrypted_and_versioned(modules: dict[str, dict[str, Any]]) -> None:
    buckets = resources(modules, "oci_objectstorage_bucket")
    assert len(buckets) == 2
    for bucket in buckets:
        assert bucket["access_type"] == "NoPublicAccess"
        assert bucket["versioning"] == "Enabled"
        assert bucket["kms_key_id"].startswith("${oci_kms_key.")


def test_checkov_finds_nothing() -> None:
    result = checkov("--framework", "terraform", "--directory", str(TERRAFORM))
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
