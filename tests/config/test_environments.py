"""The `environments:` section and `min_age`: records, and every error with its line."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tagbot.config import check_config, load_config
from tagbot.models import Environment

GOOD = """\
version: 1
images:
  - name: "ghcr.io/acme/*"
    min_age: 3d
environments:
  - name: dev
    paths: ["overlays/dev/**", "values-dev.yaml"]
  - name: staging
    paths: ["overlays/staging/**"]
    from: dev
    soak: 24h
    pin_digest: true
  - name: prod
    paths: ["overlays/prod/**"]
    from: staging
    soak: 1d12h
    mode: pull-request
"""


def issues(tmp_path: Path, text: str) -> list[tuple[int | None, str, str]]:
    path = tmp_path / "tagbot.yaml"
    path.write_text(text, encoding="utf-8")
    config, found = check_config(path)
    assert config is None
    return [(i.line, i.key, i.message) for i in found]


def test_records_in_file_order(tmp_path: Path) -> None:
    path = tmp_path / "tagbot.yaml"
    path.write_text(GOOD, encoding="utf-8")
    config = load_config(path)
    assert config.environment_records() == (
        Environment("dev", ("overlays/dev/**", "values-dev.yaml")),
        Environment("staging", ("overlays/staging/**",), "dev", timedelta(hours=24), None, True),
        Environment("prod", ("overlays/prod/**",), "staging", timedelta(hours=36), "pull-request"),
    )
    assert config.images[0].spec().min_age == timedelta(days=3)


BAD = [
    ("soak-without-from", "environments:\n  - name: dev\n    paths: [a]\n    soak: 1h\n", [(4, "environments[0].soak", "soak needs `from`: it is measured in the environment promoted from")]),
    ("bad-soak", "environments:\n  - name: dev\n    paths: [a]\n  - name: qa\n    paths: [b]\n    from: dev\n    soak: 3 days\n", [(7, "environments[1].soak", "must be a duration such as 90m, 24h, 3d or 1d12h (units s m h d w)")]),
    ("zero-soak", "environments:\n  - name: dev\n    paths: [a]\n  - name: qa\n    paths: [b]\n    from: dev\n    soak: 0h\n", [(7, "environments[1].soak", "must be longer than zero")]),
    ("from-later", "environments:\n  - name: dev\n    paths: [a]\n    from: prod\n  - name: prod\n    paths: [b]\n", [(4, "environments[0].from", "must name an earlier environment, not 'prod' (none)")]),
    ("from-unknown", "environments:\n  - name: dev\n    paths: [a]\n  - name: prod\n    paths: [b]\n    from: qa\n", [(6, "environments[1].from", "must name an earlier environment, not 'qa' (dev)")]),
    ("from-itself", "environments:\n  - name: dev\n    paths: [a]\n    from: dev\n", [(4, "environments[0].from", "an environment cannot promote from itself")]),
    ("twice", "environments:\n  - name: dev\n    paths: [a]\n  - name: dev\n    paths: [b]\n", [(4, "environments[1].name", "environment 'dev' is defined twice")]),
    ("same-path", "environments:\n  - name: dev\n    paths: [a, shared.yaml]\n  - name: prod\n    paths:\n      - b\n      - shared.yaml\n", [(7, "environments[1].paths[1]", "'shared.yaml' is already dev's: a file belongs to the first environment that lists it; one file cannot hold two environments")]),
    ("no-paths", "environments:\n  - name: dev\n    paths: []\n", [(3, "environments[0].paths", "List should have at least 1 item after validation, not 0")]),
    ("typo", "environments:\n  - name: dev\n    paths: [a]\n    form: x\n", [(4, "environments[0].form", "unknown key; did you mean 'from'?")]),
    ("bad-mode", "environments:\n  - name: dev\n    paths: [a]\n    mode: merge\n", [(4, "environments[0].mode", "must be 'pull-request' or 'push'")]),
    ("bad-min-age", "images:\n  - name: x\n    min_age: soon\n", [(3, "images[0].min_age", "must be a duration such as 90m, 24h, 3d or 1d12h (units s m h d w)")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=i) for i, t, e in BAD])
def test_bad(tmp_path: Path, text: str, expected: list[tuple[int, str, str]]) -> None:
    assert issues(tmp_path, text) == expected


def test_the_example_repo_has_three_environments_owning_its_overlays() -> None:
    from tagbot.pipeline.environments import owner

    root = Path(__file__).resolve().parents[2] / "examples" / "environments"
    config = load_config(root / "tagbot.yaml")
    envs = config.environment_records()
    owners = {
        path: getattr(owner(envs, path), "name", None)
        for path in ("overlays/dev/kustomization.yaml", "overlays/staging/kustomization.yaml",
                     "overlays/prod/kustomization.yaml", "base/deployment.yaml")
    }  # fmt: skip
    assert owners == {
        "overlays/dev/kustomization.yaml": "dev",
        "overlays/staging/kustomization.yaml": "staging",
        "overlays/prod/kustomization.yaml": "prod",
        "base/deployment.yaml": None,
    }
    assert [e.mode for e in envs] == [None, None, "pull-request"]
