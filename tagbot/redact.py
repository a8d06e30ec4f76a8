"""Keeps secrets out of every log line, error, diff and report: register them, scrub text."""

from __future__ import annotations

import re
import threading

_lock = threading.Lock()
_secrets: set[str] = set()
_URL_USERINFO = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s:]+(?::[^/@\s]*)?@")
_AUTH_HEADER = re.compile(
    r"(?i)(authorization|private-token|x-auth-token)(\s*[:=]\s*)(\S+(?: \S+)?)"
)
MASK = "***"


def register(secret: str | None) -> None:
    """Remember a secret value so that `scrub` masks it wherever it appears."""
    if not secret or len(secret) < 4:
        return
    with _lock:
        _secrets.add(secret)


def scrub(text: str) -> str:
    """Return `text` with registered secrets, URL credentials and auth headers masked."""
    text = _URL_USERINFO.sub(lambda m: f"{m.group('scheme')}{MASK}@", text)
    text = _AUTH_HEADER.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text
