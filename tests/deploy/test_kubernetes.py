"""deploy/kubernetes: both variants render, validate against Kubernetes' own schemas and stay hardened.

Schemas come from the `kubernetes-validate` package (Kubernetes' OpenAPI turned into JSON schema,
"strict" flavour: unknown fields are errors), so this runs offline.
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
from kubernetes_validate import utils as kv_utils
from ruamel.yaml import YAML

from tagbot.config import check_config
from tests.deploy import kustomize

ROOT = Path(__file__).resolve().parents[2]
KUBE = ROOT / "deploy" / "kubernetes"
VARIANTS = ("base", "indexed-job", "serve")
CRON = {"Namespace", "ServiceAccount", "ConfigMap", "CronJob"}
KINDS = {
    "base": CRON,
    "indexed-job": CRON,
    "serve": CRON | {"Deployment", "Service", "NetworkPolicy"},
}
# The oldest Kubernetes the manifests promise (deploy/kubernetes/README.md) and the newest schemas.
VERSIONS = ("1.29", kv_utils.major_minor(kv_utils.latest_version()))
CONFIGS = sorted(p for p in KUBE.rglob("*.yaml") if re.fullmatch(r"tagbot|repo-\d+", p.stem))


def rendered(variant: str) -> list[dict[str, Any]]:
    """The objects of one variant, rendered by tests/deploy/kustomize.py."""
    return kustomize.render(KUBE / variant)


def one(objects: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    """The only object of a kind."""
    (found,) = [o for o in objects if o["kind"] == kind]
    return found


def referenced_files(variant_dir: Path) -> set[Path]:
    """Every file a kustomization (and the ones it includes) names, itself included."""
    data = kustomize.kustomization(variant_dir)
    found = {variant_dir / "kustomization.yaml"}
    for entry in data.get("resources", []):
        path = (variant_dir / entry).resolve()
        found |= referenced_files(path) if path.is_dir() else {path}
    for generator in data.get("configMapGenerator", []):
        found |= {(variant_dir / name).resolve() for name in generator["files"]}
    found |= {(variant_dir / p["path"]).resolve() for p in data.get("patches", [])}
    return found


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_referenced_file_exists(variant: str) -> None:
    missing = [p for p in referenced_files(KUBE / variant) if not p.is_file()]
    assert missing == []


def test_no_yaml_file_escapes_the_checks() -> None:
    # A manifest no kustomization names would be neither rendered nor validated.
    covered = set().union(*(referenced_files(KUBE / v) for v in VARIANTS))
    on_disk = {p.resolve() for p in KUBE.rglob("*.yaml")}
    assert on_disk - covered == set()


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("variant", VARIANTS)
def test_rendered_objects_validate(variant: str, version: str) -> None:
    objects = rendered(variant)
    assert {o["kind"] for o in objects} == KINDS[variant]
    assert [schema_errors(obj, version) for obj in objects] == [""] * len(objects)


@pytest.mark.parametrize("variant", VARIANTS)
def test_everything_lands_in_the_namespace_it_creates(variant: str) -> None:
    objects = rendered(variant)
    namespace = one(objects, "Namespace")["metadata"]
    assert namespace["name"] == "tagbot"
    assert namespace["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    others = [o for o in objects if o["kind"] != "Namespace"]
    assert {o["metadata"].get("namespace") for o in others} == {"tagbot"}


def schema_errors(obj: dict[str, Any], version: str) -> str:
    """'' when the object validates; otherwise where and why it does not (not the whole schema)."""
    try:
        assert kubernetes_validate.validate(obj, version, strict=True) == version
    except kubernetes_validate.ValidationError as exc:
        where = ".".join(str(part) for part in exc.path)
        return f"{obj['kind']}/{obj['metadata']['name']} {where}: {exc.message}"
    return ""


def test_strict_schemas_reject_an_unknown_nested_field() -> None:
    cronjob = copy.deepcopy(one(rendered("base"), "CronJob"))
    kustomize.containers([cronjob])[0]["securityContext"]["readOnlyRootFS"] = True
    with pytest.raises(kubernetes_validate.ValidationError, match="readOnlyRootFS"):
        kubernetes_validate.validate(cronjob, VERSIONS[0], strict=True)


@pytest.mark.skipif(
    shutil.which("kubectl") is None, reason="kubectl (with kustomize) not installed"
)
@pytest.mark.parametrize("variant", VARIANTS)
def test_renderer_agrees_with_kubectl_kustomize(variant: str) -> None:
    out = subprocess.run(
        ["kubectl", "kustomize", str(KUBE / variant)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    theirs = [d for d in YAML(typ="safe").load_all(out) if d]
    assert _by_key(rendered(variant)) == _by_key(theirs)


def _by_key(objects: list[dict[str, Any]]) -> dict[tuple[str, str], Any]:
    # Lists of named items (containers, env, volumes) compare as maps: kustomize reorders them.
    return {(o["kind"], o["metadata"]["name"]): _unorder(o) for o in objects}


def _unorder(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _unorder(v) for k, v in value.items()}
    if kustomize.named_list(value) and value:
        return {item["name"]: _unorder(item) for item in value}
    if isinstance(value, list):
        return [_unorder(v) for v in value]
    return value


@pytest.mark.parametrize("variant", VARIANTS)
def test_cronjob_is_bounded_and_hardened(variant: str) -> None:
    objects = rendered(variant)
    cron = one(objects, "CronJob")["spec"]
    job = cron["jobTemplate"]["spec"]
    pod = kustomize.pod_spec(one(objects, "CronJob"))
    assert pod is not None
    (container,) = pod["containers"]
    assert cron["concurrencyPolicy"] == "Forbid"
    assert 0 < cron["successfulJobsHistoryLimit"] <= 5
    assert 0 < cron["failedJobsHistoryLimit"] <= 5
    assert cron["startingDeadlineSeconds"] > 0
    assert 0 <= job["backoffLimit"] <= 3
    assert job["activeDeadlineSeconds"] > 0
    assert pod["restartPolicy"] == "Never"
    assert pod["automountServiceAccountToken"] is False
    assert pod["serviceAccountName"] == one(objects, "ServiceAccount")["metadata"]["name"]
    assert pod["securityContext"] == {
        "runAsNonRoot": True,
        "runAsUser": 10001,
        "runAsGroup": 10001,
        "fsGroup": 10001,
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    assert container["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "privileged": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
    }
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(container["resources"][kind])
    assert container["args"][:2] == ["--log-format", "json"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_writable_paths_are_empty_dirs(variant: str) -> None:
    pod = kustomize.pod_spec(one(rendered(variant), "CronJob"))
    assert pod is not None
    (container,) = pod["containers"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
    env = {e["name"]: e for e in container["env"]}
    for path in ("/tmp", "/work"):
        assert "emptyDir" in volumes[mounts[path]["name"]]
        assert not mounts[path].get("readOnly", False)
    assert env["HOME"]["value"] == env["TMPDIR"]["value"] == "/tmp"
    assert container["workingDir"] == "/work"
    # Everything else mounted is read-only input: the config and the docker credentials.
    others = [m for p, m in mounts.items() if p not in ("/tmp", "/work")]
    assert others and all(m["readOnly"] for m in others)


@pytest.mark.parametrize("variant", VARIANTS)
def test_secrets_are_referenced_never_stored(variant: str) -> None:
    objects = rendered(variant)
    assert [o for o in objects if o["kind"] == "Secret"] == []
    pod = kustomize.pod_spec(one(objects, "CronJob"))
    assert pod is not None
    (container,) = pod["containers"]
    refs = {
        e["name"]: e["valueFrom"]["secretKeyRef"]
        for e in container["env"]
        if "secretKeyRef" in e.get("valueFrom", {})
    }
    assert set(refs) == {"GITHUB_TOKEN", "GITLAB_TOKEN"}
    assert all(ref["optional"] is True and ref["key"] == name for name, ref in refs.items())
    env = {e["name"]: e.get("value") for e in container["env"]}
    (docker,) = [v for v in pod["volumes"] if "secret" in v]
    (mount,) = [m for m in container["volumeMounts"] if m["name"] == docker["name"]]
    assert env["DOCKER_CONFIG"] == mount["mountPath"]
    assert docker["secret"]["items"] == [{"key": ".dockerconfigjson", "path": "config.json"}]
    assert docker["secret"]["optional"] is True


def test_base_runs_the_config_it_ships() -> None:
    objects = rendered("base")
    (container,) = kustomize.containers(objects)
    config = one(objects, "ConfigMap")
    assert container["args"][2:] == ["run", "--config", "/etc/tagbot/tagbot.yaml"]
    assert list(config["data"]) == ["tagbot.yaml"]
    assert container["image"].startswith("ghcr.io/")


def test_indexed_job_gives_each_index_its_own_repo_config() -> None:
    objects = rendered("indexed-job")
    job = one(objects, "CronJob")["spec"]["jobTemplate"]["spec"]
    (container,) = kustomize.containers(objects)
    keys = sorted(one(objects, "ConfigMap")["data"])
    assert job["completionMode"] == "Indexed"
    assert keys == [f"repo-{i}.yaml" for i in range(job["completions"])]
    assert 1 <= job["parallelism"] <= job["completions"]
    assert job["backoffLimitPerIndex"] >= 1
    assert container["args"][2:] == [
        "run",
        "--config",
        "/etc/tagbot/repo-$(JOB_COMPLETION_INDEX).yaml",
    ]
    # $(VAR) in args expands only for variables the container declares.
    index = {e["name"]: e for e in container["env"]}["JOB_COMPLETION_INDEX"]
    assert index["valueFrom"]["fieldRef"]["fieldPath"] == (
        "metadata.annotations['batch.kubernetes.io/job-completion-index']"
    )


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: str(p.relative_to(KUBE)))
def test_shipped_tagbot_configs_are_valid(path: Path) -> None:
    config, issues = check_config(path)
    assert issues == ()
    assert config is not None


def test_every_generated_config_is_checked() -> None:
    generated = {
        (KUBE / v / name).resolve()
        for v in VARIANTS
        for g in kustomize.kustomization(KUBE / v).get("configMapGenerator", [])
        for name in g["files"]
    }
    assert generated == {p.resolve() for p in CONFIGS}


def test_serve_is_one_hardened_replica_that_finishes_its_publish() -> None:
    objects = rendered("serve")
    deployment = one(objects, "Deployment")
    spec = deployment["spec"]
    pod = kustomize.pod_spec(deployment)
    assert pod is not None
    (container,) = pod["containers"]
    cron_pod = kustomize.pod_spec(one(objects, "CronJob"))
    assert cron_pod is not None
    # One worker per config repository: never two pods publishing at once.
    assert (spec["replicas"], spec["strategy"]) == (1, {"type": "Recreate"})
    assert pod["securityContext"] == cron_pod["securityContext"]
    assert container["securityContext"] == cron_pod["containers"][0]["securityContext"]
    assert pod["automountServiceAccountToken"] is False
    args = container["args"]
    assert args[:3] == ["--log-format", "json", "serve"]
    grace = float(args[args.index("--grace") + 1])
    assert pod["terminationGracePeriodSeconds"] > grace
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["image"] == kustomize.containers([one(objects, "CronJob")])[0]["image"]
    mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert all("emptyDir" in volumes[mounts[p]["name"]] for p in ("/tmp", "/work"))


def test_serve_reads_every_secret_its_config_names_from_a_secret() -> None:
    objects = rendered("serve")
    config, issues = check_config(KUBE / "serve" / "tagbot.yaml")
    assert config is not None and issues == ()
    (container,) = kustomize.pod_spec(one(objects, "Deployment"))["containers"]  # type: ignore[index]
    refs = {e["name"] for e in container["env"] if "secretKeyRef" in e.get("valueFrom", {})}
    named = {s.secret_env for s in config.serve.sources} | set(config.notify.urls_env)
    assert named <= refs
    assert [o for o in objects if o["kind"] == "Secret"] == []


def test_serve_is_reachable_only_on_its_port() -> None:
    objects = rendered("serve")
    service, policy = one(objects, "Service"), one(objects, "NetworkPolicy")
    labels = one(objects, "Deployment")["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"] == labels
    assert policy["spec"]["podSelector"]["matchLabels"] == labels
    assert policy["spec"]["policyTypes"] == ["Ingress", "Egress"]
    assert policy["spec"]["ingress"] == [{"ports": [{"port": 8080, "protocol": "TCP"}]}]
