"""A small Kustomize renderer for the features deploy/kubernetes uses, so tests need no binary.

It knows `namespace`, `resources`, `configMapGenerator` (create/replace, files, labels),
`generatorOptions` with `disableNameSuffixHash`, `images` and strategic-merge `patches`; any other key raises, so a
manifest that outgrows it fails loudly instead of being checked half-way. `kubectl kustomize`,
when present, cross-checks the output (tests/deploy/test_kubernetes.py).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

Obj = dict[str, Any]
KNOWN_KEYS = {
    "namespace",
    "apiVersion",
    "kind",
    "resources",
    "configMapGenerator",
    "generatorOptions",
    "images",
    "patches",
}


def load_all(path: Path) -> list[Obj]:
    """Every non-empty YAML document in a file, as plain data."""
    return [doc for doc in YAML(typ="safe").load_all(path.read_text(encoding="utf-8")) if doc]


def kustomization(root: Path) -> Obj:
    """The kustomization.yaml of a directory, refusing keys this renderer does not implement."""
    (data,) = load_all(root / "kustomization.yaml")
    unknown = set(data) - KNOWN_KEYS
    if unknown:
        raise NotImplementedError(f"{root}: kustomize keys not rendered here: {sorted(unknown)}")
    if not data.get("generatorOptions", {}).get("disableNameSuffixHash"):
        raise NotImplementedError(f"{root}: name suffix hashes are not rendered here")
    return data


def render(root: Path) -> list[Obj]:
    """The objects `kustomize build root` would print (order aside)."""
    data = kustomization(root)
    objects: list[Obj] = []
    for entry in data.get("resources", []):
        path = root / entry
        objects.extend(render(path) if path.is_dir() else load_all(path))
    for generator in data.get("configMapGenerator", []):
        _generate(root, generator, objects)
    for patch in data.get("patches", []):
        for doc in load_all(root / patch["path"]):
            target = _find(objects, doc["kind"], doc["metadata"]["name"])
            target.update(merge(target, doc))
    for image in data.get("images", []):
        for container in containers(objects):
            _set_image(container, image)
    if "namespace" in data:
        _set_namespace(objects, data["namespace"])
    return objects


def _set_namespace(objects: list[Obj], namespace: str) -> None:
    """kustomize's namespace transformer: namespaced objects move, a Namespace is renamed."""
    for obj in objects:
        if obj["kind"] == "Namespace":
            obj["metadata"]["name"] = namespace
        else:
            obj["metadata"]["namespace"] = namespace


def _generate(root: Path, generator: Obj, objects: list[Obj]) -> None:
    """Add or replace the ConfigMap a configMapGenerator entry describes."""
    files = {
        Path(name).name: (root / name).read_text(encoding="utf-8") for name in generator["files"]
    }
    cm: Obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": generator["name"]}}
    labels = generator.get("options", {}).get("labels")
    if labels:
        cm["metadata"]["labels"] = dict(labels)
    cm["data"] = files
    if generator.get("behavior", "create") == "replace":
        replaced = _find(objects, "ConfigMap", generator["name"])
        objects.remove(replaced)
        # The replacement keeps the identity of the base's map, namespace included.
        if "namespace" in replaced["metadata"]:
            cm["metadata"]["namespace"] = replaced["metadata"]["namespace"]
    objects.append(cm)


def _find(objects: list[Obj], kind: str, name: str) -> Obj:
    """The one object of that kind and name."""
    (found,) = [o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name]
    return found


def merge(base: Any, patch: Any) -> Any:
    """Strategic merge as Kubernetes does it for these fields: maps deep-merge, named lists merge
    by `name`, other lists are replaced, and a null deletes the key."""
    if isinstance(base, dict) and isinstance(patch, dict):
        out = copy.deepcopy(base)
        for key, value in patch.items():
            if value is None:
                out.pop(key, None)
            else:
                out[key] = merge(base[key], value) if key in base else copy.deepcopy(value)
        return out
    if named_list(base) and named_list(patch):
        by_name = {item["name"]: item for item in base}
        added = [copy.deepcopy(p) for p in patch if p["name"] not in by_name]
        merged = [merge(b, _named(patch, b["name"])) for b in base]
        return added + merged
    return copy.deepcopy(patch)


def named_list(value: Any) -> bool:
    """True for a list whose items are all maps with a `name` (containers, env, volumes)."""
    return isinstance(value, list) and all(isinstance(i, dict) and "name" in i for i in value)


def _named(items: list[Obj], name: str) -> Obj:
    return next((i for i in items if i["name"] == name), {})


def pod_spec(obj: Obj) -> Obj | None:
    """The pod spec of a CronJob, Job or Deployment, None for other kinds."""
    if obj["kind"] == "CronJob":
        return obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    if obj["kind"] in ("Job", "Deployment"):
        return obj["spec"]["template"]["spec"]
    return None


def containers(objects: list[Obj]) -> list[Obj]:
    """Every container and init container of every workload."""
    found: list[Obj] = []
    for obj in objects:
        spec = pod_spec(obj)
        if spec is not None:
            found.extend(spec.get("initContainers", []) + spec["containers"])
    return found


def _set_image(container: Obj, image: Obj) -> None:
    """Apply one `images:` entry, as kustomize's image transformer does."""
    ref = container["image"].split("@")[0]
    # A colon after the last slash starts a tag; one before it belongs to a registry port.
    name = ref.rsplit(":", 1)[0] if ":" in ref.rsplit("/", 1)[-1] else ref
    if name != image["name"]:
        return
    new = image.get("newName", name)
    if "digest" in image:
        container["image"] = f"{new}@{image['digest']}"
    elif "newTag" in image:
        container["image"] = f"{new}:{image['newTag']}"
    else:
        container["image"] = new
