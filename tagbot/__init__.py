"""tagbot: a git-writeback bot that bumps container image tags in GitOps config repos."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    # Set at build time from the git tag (setuptools-scm, pyproject.toml).
    __version__ = version("tagbot")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
