"""Enough of kustomize to check Provena's manifests here, where no kustomize binary runs:
the resources a kustomization lists, its patches merged by kind and name, its namespace and
its image overrides. The patches Provena uses merge as plain deep merges (maps merge, lists
are replaced), which is what a strategic merge does for the fields they touch."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Rendered", "containers", "key", "load_documents", "render"]

Object = dict[str, Any]


def load_documents(path: Path) -> list[Object]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def key(obj: Object) -> tuple[str, str]:
    return obj["kind"], obj["metadata"]["name"]


@dataclass
class Rendered:
    objects: list[Object]
    patches: list[tuple[Path, Object]]
    """Every patch of every overlay on the way, with the file it came from."""


def render(directory: Path) -> Rendered:
    """The objects `directory`'s kustomization.yaml makes."""
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text())
    objects: list[Object] = []
    patches: list[tuple[Path, Object]] = []
    for resource in kustomization.get("resources", []):
        path = (directory / resource).resolve()
        if path.is_dir():
            below = render(path)
            objects += below.objects
            patches += below.patches
        else:
            objects += load_documents(path)
    by_key = {key(obj): obj for obj in objects}
    for patch in kustomization.get("patches", []):
        file = directory / patch["path"]
        for doc in load_documents(file):
            patches.append((file, doc))
            target = by_key.get(key(doc))
            if target is not None:
                _merge(target, doc)
    namespace = kustomization.get("namespace")
    for obj in objects:
        if namespace and obj["kind"] != "Namespace":
            obj["metadata"]["namespace"] = namespace
        for label in kustomization.get("labels", []):
            obj["metadata"].setdefault("labels", {}).update(label["pairs"])
    images = {image["name"]: image for image in kustomization.get("images", [])}
    for obj in objects:
        for container in containers(obj):
            name, _, tag = container["image"].partition(":")
            override = images.get(name)
            if override is not None:
                new = override.get("newName", name)
                container["image"] = f"{new}:{override.get('newTag', tag)}"
    return Rendered(objects, patches)


def containers(obj: Object) -> list[Object]:
    """The containers (init containers too) of a workload's pod template."""
    spec = obj.get("spec", {}).get("template", {}).get("spec", {})
    return [*spec.get("initContainers", []), *spec.get("containers", [])]


def _merge(target: Object, patch: Object) -> None:
    for name, value in patch.items():
        if isinstance(value, dict) and isinstance(target.get(name), dict):
            _merge(target[name], value)
        else:
            target[name] = copy.deepcopy(value)
