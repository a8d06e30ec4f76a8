"""The scanner part: which tags (and digests) does a repository have, on any registry.

A small client on httpx (see docs/registry.md for why not `docker-registry-client`).
"""

from __future__ import annotations

from tagbot.scanner.client import Retry
from tagbot.scanner.manifest import ACCEPT
from tagbot.scanner.scanner import Scanner

__all__ = ["ACCEPT", "Retry", "Scanner"]
