"""Tries that got no answer: which may pass (retry them), and a safe reason naming the host."""

from __future__ import annotations

import ssl

import httpx

from tagbot import redact
from tagbot.models import RegistryOptions

# Failures that may pass: a timeout, a refused or reset connection, a truncated answer.
RETRY_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


class Failed(Exception):
    """A try that got no answer: the httpx error and a safe one-line reason naming the host."""

    def __init__(self, error: httpx.HTTPError, reason: str) -> None:
        super().__init__(reason)
        self.error = error
        self.reason = reason
        self.retryable = isinstance(error, RETRY_ERRORS)
        self.timed_out = isinstance(error, httpx.TimeoutException)


def describe(exc: Exception, host: str, options: RegistryOptions, total_spent: bool) -> str:
    """A safe one-line reason for a failed try; `total_spent` when the request's `timeout` ran out."""
    if isinstance(exc, httpx.ConnectTimeout) and not total_spent:
        return f"{host} timed out connecting (connect_timeout {options.connect_timeout:g} s)"
    if isinstance(exc, httpx.TimeoutException) and total_spent:
        return f"{host} timed out: no complete answer within {options.timeout:g} s"
    if isinstance(exc, httpx.TimeoutException):
        return f"{host} timed out: no answer for {options.read_timeout:g} s"
    if isinstance(exc, RETRY_ERRORS):
        return redact.scrub(f"cannot reach {host}: {str(exc) or type(exc).__name__}")
    return redact.scrub(f"bad answer from {host}: {str(exc) or type(exc).__name__}")


def tls_failure(exc: BaseException) -> bool:
    """True when a connection failed because the server's certificate was not trusted."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        seen = seen.__cause__ or seen.__context__
    return "CERTIFICATE_VERIFY_FAILED" in str(exc)
