"""Tag selection policies: `build(spec)` returns a Policy whose `select` picks a tag and says why."""

from __future__ import annotations

from tagbot.policy.base import Needs, Policy
from tagbot.policy.build import POLICIES, build

__all__ = ["POLICIES", "Needs", "Policy", "build"]
