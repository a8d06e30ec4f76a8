"""HTTP for the scanner: shared httpx clients, retries with backoff, bounded reads, request counts."""

from __future__ import annotations

import logging
import ssl
import threading
import time
from collections import Counter
from dataclasses import dataclass

import httpx

from tagbot import __version__
from tagbot.errors import RegistryError
from tagbot.models import RegistryOptions
from tagbot.scanner import deadline
from tagbot.scanner.breaker import Breaker
from tagbot.scanner.concurrency import HostWindow, Outcome
from tagbot.scanner.failures import Failed, describe, tls_failure
from tagbot.scanner.limits import RateLimiter, backoff_delay, parse_retry_after, rate_budget

log = logging.getLogger("tagbot.scanner")

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
OVERLOAD_STATUSES = frozenset({429, 503})  # the host asks us to slow down
ERROR_BODY_LIMIT = 64 * 1024  # enough for a registry's JSON error; the rest is dropped
MAX_REDIRECTS = 5
USER_AGENT = f"tagbot/{__version__}"


@dataclass(frozen=True)
class Reply:
    """A finished response: status, headers, the (bounded) body and the URL that answered."""

    status: int
    headers: httpx.Headers
    body: bytes
    url: httpx.URL


@dataclass(frozen=True)
class Site:
    """What the transport needs to know about one registry host: its options and its limits."""

    host: str
    options: RegistryOptions
    window: HostWindow
    breaker: Breaker
    limiter: RateLimiter | None = None  # the explicit `requests_per_second` cap, if configured


@dataclass(frozen=True)
class Retry:
    """How hard to try: extra attempts, backoff base in seconds, and the longest wait accepted."""

    attempts: int = 3
    backoff: float = 0.5
    max_wait: float = 60.0


class Transport:
    """Sends registry requests on shared clients (one per CA bundle); safe to use from threads."""

    def __init__(self, retry: Retry, pool_size: int = 16, stop_at: float | None = None) -> None:
        self.retry = retry
        self.stop_at = stop_at  # the run's deadline (monotonic); None: no deadline
        self._pool_size = pool_size
        self._clients: dict[str | None, httpx.Client] = {}
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def counts(self) -> dict[str, int]:
        """Requests sent so far, by kind (`ping`, `token`, `tags`, `manifest`, `blob`, `pushtime`)."""
        with self._lock:
            return dict(self._counts)

    def close(self) -> None:
        """Close every client and its connections."""
        with self._lock:
            clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            client.close()

    def _client(self, ca_bundle: str | None) -> httpx.Client:
        with self._lock:
            client = self._clients.get(ca_bundle)
            if client is None:
                verify = ssl.create_default_context(cafile=ca_bundle) if ca_bundle else True
                limits = httpx.Limits(
                    max_connections=self._pool_size, max_keepalive_connections=self._pool_size
                )
                client = httpx.Client(
                    verify=verify, limits=limits, headers={"User-Agent": USER_AGENT}
                )
                deadline.install(client)
                self._clients[ca_bundle] = client
            return client

    def send(
        self,
        kind: str,
        method: str,
        url: str,
        site: Site,
        *,
        headers: dict[str, str] | None = None,
        content: bytes | None = None,
        limit: int = ERROR_BODY_LIMIT,
        follow: bool = False,
        retry_timeouts: bool = True,
    ) -> Reply:
        """Send, retrying 429/5xx/timeouts; the final reply is returned whatever its status."""
        attempt = 0
        retry = False
        while True:
            site.breaker.check()
            try:
                reply = self._attempt(
                    kind, method, url, site, headers, content, limit, follow, retry
                )
            except Failed as failed:
                reason, retryable = failed.reason, failed.retryable
                self.check_deadline(site.host)  # cut by the run's deadline: not the host's fault
                if retryable:
                    site.breaker.failure(reason)
                last = attempt >= self.retry.attempts
                if not retryable or last or (not retry_timeouts and failed.timed_out):
                    raise RegistryError(reason, transient=retryable) from None
                delay = backoff_delay(attempt, self.retry.backoff)
                # A timeout is worth a line even in text mode: the run is waiting on that host.
                level = logging.WARNING if failed.timed_out else logging.INFO
                log.log(level, "retrying", extra=_fields(site, kind, reason, delay))
                self._sleep(delay, site.host)
            else:
                site.breaker.success()
                if reply.status not in RETRY_STATUSES or attempt >= self.retry.attempts:
                    return reply
                after = parse_retry_after(reply.headers.get("retry-after"))
                if after is not None and after > self.retry.max_wait:
                    return reply  # too long to wait inside one run: report it as transient
                delay = after if after is not None else backoff_delay(attempt, self.retry.backoff)
                log.info("retrying", extra=_fields(site, kind, reply.status, delay))
                if reply.status in OVERLOAD_STATUSES:
                    site.window.pause(delay)  # the whole host waits, not just this request
                else:
                    self._sleep(delay, site.host)
            attempt += 1
            retry = True

    def past_deadline(self) -> bool:
        """True once the run's deadline has passed."""
        return self.stop_at is not None and time.monotonic() >= self.stop_at

    def check_deadline(self, host: str) -> None:
        """Raise the transient "deadline reached" error once the run's deadline has passed."""
        if self.past_deadline():
            raise RegistryError(f"deadline reached while asking {host}", transient=True)

    def _sleep(self, delay: float, host: str) -> None:
        """Wait before a retry, unless the wait would outlast the run's deadline."""
        if self.stop_at is not None and time.monotonic() + delay >= self.stop_at:
            raise RegistryError(f"deadline reached while waiting to retry {host}", transient=True)
        time.sleep(delay)

    def _attempt(
        self,
        kind: str,
        method: str,
        url: str,
        site: Site,
        headers: dict[str, str] | None,
        content: bytes | None,
        limit: int,
        follow: bool,
        retry: bool,
    ) -> Reply:
        """One try inside the host's window and the request's total time; raises `Failed`."""
        self.check_deadline(site.host)
        started = site.window.acquire(self.stop_at, retry=retry)
        outcome: Outcome = "ok"
        stop = started + site.options.timeout
        if self.stop_at is not None:
            stop = min(stop, self.stop_at)
        try:
            with deadline.bounded(stop):
                reply = self._follow(kind, method, url, site, headers, content, limit, follow)
            outcome = "overload" if reply.status in OVERLOAD_STATUSES else "ok"
        except httpx.HTTPError as exc:
            outcome = "failed"
            if tls_failure(exc):
                raise RegistryError(
                    f"TLS certificate of {site.host} not trusted (set ca_bundle for this registry)"
                ) from None
            spent = time.monotonic() >= stop
            raise Failed(exc, describe(exc, site.host, site.options, spent)) from None
        finally:
            site.window.release(started, outcome)
        budget = rate_budget(reply.headers)
        if budget is not None and budget[1] <= self.retry.max_wait:
            site.window.budget(*budget)
        return reply

    def _follow(
        self,
        kind: str,
        method: str,
        url: str,
        site: Site,
        headers: dict[str, str] | None,
        content: bytes | None,
        limit: int,
        follow: bool,
    ) -> Reply:
        """One attempt, following redirects when asked; credentials never leave their origin."""
        target = httpx.URL(url)
        sent = dict(headers or {})
        for _ in range(MAX_REDIRECTS + 1):
            reply = self._once(kind, method, target, site, sent, content, limit)
            location = reply.headers.get("location")
            if not follow or reply.status not in (301, 302, 303, 307, 308) or not location:
                return reply
            nxt = reply.url.join(location)
            if (nxt.scheme, nxt.host, nxt.port) != (target.scheme, target.host, target.port):
                sent.pop("Authorization", None)  # blob storage (S3, a CDN) gets no credentials
            target = nxt
        raise RegistryError(f"too many redirects from {url}")

    def _once(
        self,
        kind: str,
        method: str,
        url: httpx.URL,
        site: Site,
        headers: dict[str, str],
        content: bytes | None,
        limit: int,
    ) -> Reply:
        client = self._client(site.options.ca_bundle)
        if site.limiter is not None:
            site.limiter.acquire(self.stop_at)
        with self._lock:
            self._counts[kind] += 1
        options = site.options
        timeout = httpx.Timeout(options.read_timeout, connect=options.connect_timeout)
        request = client.build_request(
            method, url, headers=headers, content=content, timeout=timeout
        )
        response = client.send(request, stream=True)
        try:
            body = b""
            if method == "HEAD":
                response.read()  # the (empty) end of the message: else the connection is dropped
            else:
                ok = 200 <= response.status_code < 300
                body = _read_bounded(response, limit if ok else ERROR_BODY_LIMIT, strict=ok)
            return Reply(response.status_code, response.headers, body, response.url)
        finally:
            response.close()


def _read_bounded(response: httpx.Response, limit: int, *, strict: bool) -> bytes:
    """Read at most `limit` bytes; too much is an error (strict) or cut off (error bodies)."""
    declared = response.headers.get("content-length", "")
    if strict and declared.isdigit() and int(declared) > limit:
        raise RegistryError(f"response from {response.url.host} larger than {limit} bytes")
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > limit:
            if strict:
                raise RegistryError(f"response from {response.url.host} larger than {limit} bytes")
            return bytes(body[:limit])
    return bytes(body)


def _fields(site: Site, kind: str, why: str | int, delay: float) -> dict[str, object]:
    """The fields of a "retrying" log line: which host, what, why, and how long we wait."""
    key = "status" if isinstance(why, int) else "error"
    return {"host": site.host, "kind": kind, key: why, "delay": round(delay, 2)}
