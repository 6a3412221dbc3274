"""The OCI DevOps build spec (`deploy/oci-devops/build_spec.yaml`): it parses as build spec
0.1, runs `make test`, builds the images the GitHub workflow builds from files that exist,
every output artifact is made by a step, and the artifacts are those the Terraform's Deliver
Artifacts stage delivers."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any, cast

import hcl2
import pytest
import yaml

from tests.deploy.test_terraform import plain

REPO = Path(__file__).resolve().parents[2]
BUILD_SPEC = REPO / "deploy" / "oci-devops" / "build_spec.yaml"
DEVOPS_TF = REPO / "deploy" / "terraform" / "devops.tf"
BUILD_FILE = "deploy/images/Dockerfile"
IMAGES = ("api", "contracts", "functions")
ARTIFACT_TYPES = {"DOCKER_IMAGE", "BINARY"}


def build_spec() -> dict[str, Any]:
    return cast(dict[str, Any], yaml.safe_load(BUILD_SPEC.read_text()))


def commands(spec: dict[str, Any]) -> str:
    return "\n".join(step["command"] for step in spec["steps"])


def targets(spec: dict[str, Any]) -> list[str]:
    """The targets of the image build file that the steps build."""
    return re.findall(rf"--file {BUILD_FILE} --target (\S+)", commands(spec))


def problems(spec: dict[str, Any]) -> list[str]:
    found = []
    if spec.get("version") != 0.1 or spec.get("component") != "build":
        found.append("not a version 0.1 build spec")
    for step in spec.get("steps", []):
        if step.get("type") != "Command" or not step.get("name") or not step.get("command"):
            found.append(f"step {step.get('name')!r} is not a named Command")
    script = commands(spec)
    if not re.search(r"^\s*make test\b", script, re.MULTILINE):
        found.append("make test does not run")
    for name in spec.get("env", {}).get("exportedVariables", []):
        if not re.search(rf"export {name}=", script):
            found.append(f"{name} is exported but no step sets it")
    for name, secret in spec.get("env", {}).get("vaultVariables", {}).items():
        if not str(secret).startswith("ocid1.vaultsecret."):
            found.append(f"vault variable {name} is not a vault secret's OCID")
    for artifact in spec.get("outputArtifacts", []):
        kind, location = artifact.get("type"), str(artifact.get("location"))
        if kind not in ARTIFACT_TYPES:
            found.append(f"{artifact.get('name')}: type {kind} is not one DevOps knows")
        elif kind == "DOCKER_IMAGE" and f"--tag {location} " not in script:
            found.append(f"{artifact['name']}: no step builds the image {location}")
        elif kind == "BINARY" and not re.search(rf'> "?{re.escape(location)}"?$', script, re.M):
            found.append(f"{artifact['name']}: no step writes {location}")
    if sorted(targets(spec)) != sorted(IMAGES):
        found.append(f"builds {targets(spec)}, not {list(IMAGES)}")
    return found


def test_build_spec_is_complete() -> None:
    assert re.search(r"^version: 0\.1$", BUILD_SPEC.read_text(), re.MULTILINE)
    assert problems(build_spec()) == []


def test_the_images_it_builds_are_targets_of_the_build_file() -> None:
    stages = re.findall(r"^FROM \S+ AS (\S+)$", (REPO / BUILD_FILE).read_text(), re.MULTILINE)
    assert set(targets(build_spec())) <= set(stages)


def test_it_builds_what_the_workflow_builds() -> None:
    ci = yaml.safe_load((REPO / ".github" / "workflows" / "ci.yml").read_text())
    build = next(s["run"] for s in ci["jobs"]["images"]["steps"] if "buildx" in s.get("run", ""))
    assert "for name in api contracts functions" in build
    assert f'--file {BUILD_FILE} --target "$name"' in build


def test_deliver_stage_delivers_every_image_artifact() -> None:
    tree = plain(hcl2.loads(DEVOPS_TF.read_text()))
    delivered = {
        item["artifact_name"]
        for block in tree.get("resource", [])
        for body in block.get("oci_devops_build_pipeline_stage", {}).values()
        for collection in body.get("deliver_artifact_collection", [])
        for item in collection.get("items", [])
    }
    produced = {artifact["name"] for artifact in build_spec()["outputArtifacts"]}
    assert delivered == produced


def mutated(change: str) -> dict[str, Any]:
    spec = copy.deepcopy(build_spec())
    if change == "version":
        spec["version"] = 1.0
    elif change == "no make test":
        spec["steps"] = [s for s in spec["steps"] if s["name"] != "make test"]
    elif change == "image never built":
        spec["outputArtifacts"][0]["location"] = "provena-missing:build"
    elif change == "manifest never written":
        spec["outputArtifacts"][-1]["location"] = "${OCI_PRIMARY_SOURCE_DIR}/elsewhere.yaml"
    elif change == "secret in clear":
        spec["env"]["vaultVariables"]["DOCKERHUB_TOKEN"] = "dckr_pat_plain"
    elif change == "unknown artifact type":
        spec["outputArtifacts"][0]["type"] = "IMAGE"
    elif change == "an image dropped":
        for step in spec["steps"]:
            step["command"] = re.sub(r".*--target functions.*\n", "", step["command"])
    return spec


@pytest.mark.parametrize(
    "change",
    [
        "version",
        "no make test",
        "image never built",
        "manifest never written",
        "secret in clear",
        "unknown artifact type",
        "an image dropped",
    ],
)
def test_the_checks_find_what_is_wrong(change: str) -> None:
    assert problems(mutated(change)), change
