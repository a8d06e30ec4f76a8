"""release.yml: what each job publishes, with which permissions, and the CHANGELOG it reads.

Nothing here can publish (no PyPI, no registry push, no Docker daemon on this machine), so the
workflow is checked for shape; tests/deploy/test_linters.py runs actionlint and the schema on it,
and tests/deploy/test_package.py runs its build step for real.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW: Any = YAML(typ="safe").load((ROOT / ".github/workflows/release.yml").read_text())
JOBS: dict[str, Any] = WORKFLOW["jobs"]
CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def uses(job: str, action: str) -> dict[str, Any]:
    """The one step of a job that uses that action."""
    (step,) = [s for s in JOBS[job]["steps"] if s.get("uses", "").startswith(action + "@")]
    return step


def script(job: str) -> str:
    """Every `run:` of a job, joined."""
    return "\n".join(s["run"] for s in JOBS[job]["steps"] if "run" in s)


def test_runs_on_version_tags_only_and_never_twice_at_once() -> None:
    assert WORKFLOW["on"] == {"push": {"tags": ["v[0-9]+.[0-9]+.[0-9]+*"]}}
    assert WORKFLOW["concurrency"]["cancel-in-progress"] is False


def test_grants_nothing_by_default_and_each_job_only_what_it_needs() -> None:
    assert WORKFLOW["permissions"] == {}
    assert {name: job["permissions"] for name, job in JOBS.items()} == {
        "build": {"contents": "read"},
        "pypi": {"id-token": "write"},
        "image": {"contents": "read", "packages": "write", "id-token": "write"},
        "release": {"contents": "write"},
    }


def test_nothing_is_published_before_the_build_and_its_checks_pass() -> None:
    assert JOBS["pypi"]["needs"] == JOBS["image"]["needs"] == "build"
    assert set(JOBS["release"]["needs"]) == {"build", "pypi", "image"}
    build = script("build")
    assert "python scripts/changelog.py" in build
    assert "uv sync --frozen --extra dev" in build
    assert "twine check --strict" in build


def test_pypi_uses_trusted_publishing_with_no_stored_token() -> None:
    publish = uses("pypi", "pypa/gh-action-pypi-publish")
    assert set(publish.get("with", {})) <= {"packages-dir"}
    assert JOBS["pypi"]["environment"]["name"] == "pypi"
    assert "secrets." not in str(JOBS["pypi"])


def test_image_is_multi_arch_with_sbom_and_provenance_and_signed_by_digest() -> None:
    build = uses("image", "docker/build-push-action")["with"]
    assert build["platforms"] == "linux/amd64,linux/arm64"
    assert build["push"] is True and build["sbom"] is True
    assert build["provenance"] == "mode=max"
    assert build["build-args"] == "VERSION=${{ needs.build.outputs.version }}"
    assert uses("image", "docker/login-action")["with"]["registry"] == "ghcr.io"
    image = script("image")
    assert 'name="ghcr.io/${GITHUB_REPOSITORY_OWNER,,}/tagbot"' in image
    assert 'cosign sign --yes "$IMAGE@$DIGEST"' in image
    (sign,) = [s for s in JOBS["image"]["steps"] if "cosign sign" in s.get("run", "")]
    assert sign["env"]["DIGEST"] == "${{ steps.push.outputs.digest }}"


def test_release_gets_the_changelog_section_and_moves_the_major_tag() -> None:
    release = script("release")
    assert "--notes-file release-notes.md" in release and "--verify-tag" in release
    assert 'git tag --force "v$MAJOR" "$GITHUB_SHA"' in release
    (move,) = [s for s in JOBS["release"]["steps"] if "git push" in s.get("run", "")]
    assert move["if"] == "needs.build.outputs.prerelease == 'false'"


def changelog(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "changelog.py"), *argv],
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_changelog_keeps_an_unreleased_section_above_the_releases() -> None:
    headings = re.findall(r"^## \[([^\]]+)\]", CHANGELOG, re.M)
    assert headings[0] == "Unreleased" and "0.1.0" in headings
    assert re.search(
        r"^\[0\.1\.0\]: https://github\.com/\S+/releases/tag/v0\.1\.0$", CHANGELOG, re.M
    )


@pytest.mark.parametrize("version", ["0.1.0", "v0.1.0"])
def test_changelog_section_is_the_release_notes(version: str) -> None:
    done = changelog(version)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("First release:")
    assert "### Added" in done.stdout
    assert re.search(r"^## ", done.stdout, re.M) is None
    assert "[0.1.0]:" not in done.stdout


def test_a_tag_without_a_changelog_section_stops_the_release() -> None:
    done = changelog("9.9.9")
    assert done.returncode == 1
    assert "no '## [9.9.9] - YYYY-MM-DD' section" in done.stderr
