"""Writers for the scale repo's files: Deployments, StatefulSets, CronJobs, Kustomize overlays and
Helm values, with comments and mixed quoting; each reports the line of every reference it wrote."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Ref:
    """One reference: the image, its current tag (and pinned digest), and the expected update."""

    repository: str
    tag: str
    digest: str | None
    to: str | None
    to_digest: str | None


@dataclass
class Text:
    """A file being written: its lines, and the line of each reference in the order given."""

    body: list[str] = field(default_factory=list)
    marks: dict[int, int] = field(default_factory=dict)

    def add(self, *lines: str) -> None:
        """Append lines."""
        self.body.extend(lines)

    def mark(self, index: int) -> None:
        """Reference `index` starts on the next line."""
        self.marks[index] = len(self.body) + 1

    @property
    def text(self) -> str:
        """The file's text."""
        return "\n".join(self.body) + "\n"

    @property
    def lines(self) -> list[int]:
        """The line of each reference, in the order of the refs list."""
        return [self.marks[i] for i in range(len(self.marks))]


COMMENTS = (
    "# bumped by tagbot",
    "# pinned by the release train",
    "# see RUNBOOK.md",
    "# keep in step with the chart",
    "",
)


def quoted(rng: random.Random, value: str) -> str:
    """The value plain (mostly), double- or single-quoted."""
    roll = rng.random()
    return f'"{value}"' if roll < 0.15 else f"'{value}'" if roll < 0.2 else value


def comment(rng: random.Random) -> str:
    """An inline comment, or nothing."""
    text = rng.choice(COMMENTS)
    return f"  {text}" if text and rng.random() < 0.3 else ""


def image_string(host: str, ref: Ref) -> str:
    """`host/repo:tag[@digest]`."""
    return f"{host}/{ref.repository}:{ref.tag}" + (f"@{ref.digest}" if ref.digest else "")


def _containers(rng: random.Random, text: Text, host: str, refs: list[Ref], pad: str) -> None:
    """initContainers (some extra refs) then containers (the main ref and sidecars)."""
    extra = list(range(1, len(refs)))
    init = [i for i in extra if rng.random() < 0.4]
    if init:
        text.add(f"{pad}initContainers:")
        for i in init:
            text.add(f"{pad}  - name: init-{i}")
            text.mark(i)
            text.add(f"{pad}    image: {quoted(rng, image_string(host, refs[i]))}{comment(rng)}")
            text.add(f'{pad}    args: ["--wait", "--timeout=60s"]')
    text.add(f"{pad}containers:")
    for i in [0] + [i for i in extra if i not in init]:
        name = refs[i].repository.split("/")[1] if i == 0 else f"sidecar-{i}"
        text.add(f"{pad}  - name: {name}")
        text.mark(i)
        text.add(f"{pad}    image: {quoted(rng, image_string(host, refs[i]))}{comment(rng)}")
        text.add(f"{pad}    imagePullPolicy: IfNotPresent")
        if i == 0:
            text.add(
                f"{pad}    ports:",
                f"{pad}      - containerPort: 8080",
                f"{pad}    env:",
                f"{pad}      - name: LOG_LEVEL",
                f"{pad}        value: info",
                f"{pad}    resources:",
                f"{pad}      requests: {{cpu: 100m, memory: 128Mi}}",
            )


def _workload(rng: random.Random, host: str, refs: list[Ref], kind: str) -> Text:
    app = refs[0].repository.split("/")[1]
    text = Text()
    text.add(
        f"# {app}: {kind} managed by the {refs[0].repository.split('/')[0]} team",
        "apiVersion: apps/v1",
        f"kind: {kind}",
        "metadata:",
        f"  name: {app}",
        "  labels:",
        f"    app.kubernetes.io/name: {app}",
        "spec:",
        f"  replicas: {rng.randint(1, 6)}",
    )
    if kind == "StatefulSet":
        text.add(f"  serviceName: {app}-headless")
    text.add(
        "  selector:",
        "    matchLabels:",
        f"      app.kubernetes.io/name: {app}",
        "  template:",
        "    metadata:",
        "      labels:",
        f"        app.kubernetes.io/name: {app}",
        "      annotations:",
        '        prometheus.io/scrape: "true"',
        "    spec:",
        f"      serviceAccountName: {app}",
    )
    _containers(rng, text, host, refs, "      ")
    if kind == "StatefulSet":
        text.add(
            "  volumeClaimTemplates:",
            "    - metadata:",
            "        name: data",
            "      spec:",
            '        accessModes: ["ReadWriteOnce"]',
            "        resources: {requests: {storage: 10Gi}}",
        )
    if rng.random() < 0.5:
        text.add(
            "---",
            "apiVersion: v1",
            "kind: Service",
            "metadata:",
            f"  name: {app}",
            "spec:",
            "  selector:",
            f"    app.kubernetes.io/name: {app}",
            "  ports:",
            "    - port: 80",
            "      targetPort: 8080",
        )
    return text


def deployment(rng: random.Random, host: str, refs: list[Ref]) -> Text:
    """A Deployment (and sometimes its Service)."""
    return _workload(rng, host, refs, "Deployment")


def statefulset(rng: random.Random, host: str, refs: list[Ref]) -> Text:
    """A StatefulSet with a volume claim template."""
    return _workload(rng, host, refs, "StatefulSet")


def cronjob(rng: random.Random, host: str, refs: list[Ref]) -> Text:
    """A CronJob: the pod spec under jobTemplate."""
    app = refs[0].repository.split("/")[1]
    text = Text()
    text.add(
        f"# nightly job of {app}",
        "apiVersion: batch/v1",
        "kind: CronJob",
        "metadata:",
        f"  name: {app}-nightly",
        "spec:",
        f'  schedule: "{rng.randint(0, 59)} {rng.randint(0, 5)} * * *"',
        "  concurrencyPolicy: Forbid",
        "  jobTemplate:",
        "    spec:",
        "      template:",
        "        spec:",
        "          restartPolicy: OnFailure",
    )
    _containers(rng, text, host, refs, "          ")
    return text


def kustomization(rng: random.Random, host: str, refs: list[Ref]) -> Text:
    """An overlay: resources, a namespace, and an `images:` entry per reference."""
    text = Text()
    text.add(
        "# overlay: promoted by the release pipeline",
        "apiVersion: kustomize.config.k8s.io/v1beta1",
        "kind: Kustomization",
        "resources:",
        "  - ../../deployment.yaml",
        f"namespace: {refs[0].repository.split('/')[0]}",
        "images:",
    )
    for i, ref in enumerate(refs):
        text.mark(i)
        text.add(f"  - name: {host}/{ref.repository}")
        text.add(f"    newTag: {quoted(rng, ref.tag)}{comment(rng)}")
        if ref.digest:
            text.add(f"    digest: {ref.digest}")
    text.add("patches:", "  - path: replicas.yaml")
    return text


COMPONENTS = ("worker", "metrics", "proxy", "migrations", "cache")


def helm_values(rng: random.Random, host: str, refs: list[Ref]) -> Text:
    """Chart values: a top-level image map and one per component, in three common shapes."""
    text = Text()
    text.add(
        "# Default values for the chart.",
        "# This is a YAML-formatted file.",
        f"replicaCount: {rng.randint(1, 4)}",
        "",
    )
    for i, ref in enumerate(refs):
        pad = ""
        if i > 0:
            text.add("", f"{COMPONENTS[i - 1]}:", "  enabled: true")
            pad = "  "
        shape = rng.random()
        if shape < 0.1:
            text.mark(i)
            text.add(f"{pad}image: {quoted(rng, image_string(host, ref))}{comment(rng)}")
            continue
        text.add(f"{pad}image:")
        text.mark(i)
        if shape < 0.4:
            text.add(f"{pad}  registry: {host}", f"{pad}  repository: {ref.repository}")
        else:
            text.add(f"{pad}  repository: {host}/{ref.repository}")
        text.add(f"{pad}  tag: {quoted(rng, ref.tag)}{comment(rng)}")
        if ref.digest:
            text.add(f"{pad}  digest: {ref.digest}")
        text.add(f"{pad}  pullPolicy: IfNotPresent")
    text.add("", "resources: {}", "nodeSelector: {}")
    return text
