"""The serve and notify sections: what loads, and the line-numbered errors of what does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagbot.config import load_config
from tests.config.test_config import issues, write

GOOD = """\
serve:
  sources:
    - kind: distribution
      secret_env: REGISTRY_HOOK
      registry: registry.acme.dev
    - kind: generic
      name: deploy
      secret_env: CI_TOKEN
      exact: true
  debounce: 2
notify:
  urls_env: [NOTIFY_URLS]
  environment: prod
git:
  automerge: [patch, digest]
  push_types: [patch]
"""


def test_a_full_service_config_loads(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))

    assert [(s.kind, s.name, s.exact) for s in config.serve.sources] == [
        ("distribution", None, False),
        ("generic", "deploy", True),
    ]
    assert config.serve.debounce == 2 and config.serve.queue == 1000
    assert config.notify_options().urls_env == ("NOTIFY_URLS",)
    options = config.git_options()
    assert (options.automerge, options.push_types) == (("patch", "digest"), ("patch",))


BAD = [
    ("exact-not-generic", "serve:\n  sources:\n    - kind: harbor\n      secret_env: H\n      exact: true\n", [(5, "serve.sources[0].exact", "exact works only for kind generic (a CI that names the tag it wants)")]),
    ("secret-in-file", "serve:\n  sources:\n    - kind: github\n      secret_env: ghp_abcdef123\n", [(4, "serve.sources[0].secret_env", "secrets never live in the file: this looks like a token; give the NAME of a variable")]),
    ("unknown-kind", "serve:\n  sources:\n    - kind: bitbucket\n      secret_env: X\n", [(3, "serve.sources[0].kind", "must be 'distribution', 'harbor', 'dockerhub', 'github', 'quay', 'gitlab', 'acr' or 'generic'")]),
    ("duplicate-name", "serve:\n  sources:\n    - kind: github\n      secret_env: A\n    - kind: github\n      secret_env: B\n", [(2, "serve.sources", "two sources are called 'github'; give one a `name`")]),
    ("bad-update-type", "git:\n  automerge: [tiny]\n", [(2, "git.automerge[0]", "must be 'major', 'minor', 'patch' or 'digest'")]),
    ("url-in-notify", "notify:\n  urls_env: ['slack://T/B/C']\n", [(2, "notify.urls_env[0]", "must be an environment variable name, such as GITHUB_TOKEN")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=i) for i, t, e in BAD])
def test_bad_service_config(
    tmp_path: Path, text: str, expected: list[tuple[int, str, str]]
) -> None:
    assert issues(tmp_path, text) == expected
