"""The pipeline's library tests run on the end-to-end world: a real registry and bare remote."""

from __future__ import annotations

from tests.e2e.conftest import git_isolation, make_world  # noqa: F401
from tests.support.fixtures import registry_anonymous, repo_name  # noqa: F401
