"""tagbot: a git-writeback bot that bumps container image tags in GitOps config repos."""

from __future__ import annotations

__version__ = "0.1.0"
