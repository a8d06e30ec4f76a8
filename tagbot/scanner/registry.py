"""One registry host within a run: its options, rate limit, auth state, and authenticated fetch."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Mapping

from tagbot.errors import RegistryError
from tagbot.models import RegistryOptions
from tagbot.scanner import hosts, sources
from tagbot.scanner.auth import HostAuth, pull_scope
from tagbot.scanner.breaker import Breaker
from tagbot.scanner.client import ERROR_BODY_LIMIT, Reply, Retry, Site, Transport
from tagbot.scanner.concurrency import HostWindow
from tagbot.scanner.limits import RateLimiter
from tagbot.scanner.tokens import TOKEN_LIMIT

_ERROR_CODE = re.compile(r"^[A-Z_]{1,40}$")
PAGE_SIZE = 1000  # ECR's maximum; others clamp larger values or page with Link anyway


class Registry:
    """A registry host: where it answers, how fast we may ask, and how we authenticate."""

    def __init__(
        self, name: str, options: RegistryOptions, transport: Transport, env: Mapping[str, str]
    ) -> None:
        self.name = name
        self.options = options
        self.base = hosts.base_url(name, options)
        rate = options.requests_per_second
        self.site = Site(
            name,
            options,
            HostWindow(name, options.concurrency),
            Breaker(name, options.breaker),
            RateLimiter(rate) if rate else None,
        )
        self.auth = HostAuth(
            name,
            self.base,
            lambda: sources.find_credentials(name, options, env),
            options.token_batch,
        )
        # The `n` asked of tag lists: big pages are frugal, and registries clamp `n` to their
        # maximum; None once the registry refused it (then its default page size is used).
        self.page_size: int | None = PAGE_SIZE
        self._transport = transport
        self._pinged = False
        self._ping_lock = threading.Lock()

    @property
    def retry(self) -> Retry:
        """How hard the scanner tries (for retries of malformed answers)."""
        return self._transport.retry

    def check_deadline(self) -> None:
        """Raise the transient "deadline reached" error once the run's deadline has passed."""
        self._transport.check_deadline(self.name)

    def fetch(
        self,
        kind: str,
        url: str,
        *,
        scope: str,
        method: str = "GET",
        accept: str | None = None,
        limit: int = ERROR_BODY_LIMIT,
        follow: bool = False,
    ) -> Reply:
        """Send with the auth the registry asks for, re-authenticating on 401 when that can help."""
        self._ping()
        # A known challenge leaves one round (renew a refused token); an unknown one adds a
        # round to learn it. Any 401 after that is final.
        rounds_left = 1 if self.auth.challenge is not None else 2
        while True:
            authorization = self.auth.authorization(scope, self._send_token)
            headers = {"Accept": accept} if accept else {}
            if authorization:
                headers["Authorization"] = authorization
            reply = self._transport.send(
                kind, method, url, self.site, headers=headers, limit=limit, follow=follow
            )
            if reply.status in (401, 403) and self.auth.unbatch(scope, authorization):
                continue  # a token of its own next; bounded: such a token is never unbatched
            if reply.status != 401 or rounds_left == 0:
                return reply
            if not self.auth.learn(reply.headers.get("www-authenticate"), authorization, scope):
                return reply
            rounds_left -= 1

    def expect(self, repositories: Iterable[str]) -> None:
        """Repositories about to be read: with a Bearer challenge, their tokens are asked for
        `token_batch` at a time."""
        self.auth.expect(pull_scope(repository) for repository in repositories)

    def _ping(self) -> None:
        """`GET /v2/` once per run, as Docker does, to learn the challenge before the first read.

        A ping that gets no answer opens the host's breaker: its other images fail at once with
        the same error instead of each waiting for its own timeouts (issue 11). A timeout is not
        retried here: a registry that cannot answer `/v2/` in `read_timeout` will not list tags.
        """
        self.site.breaker.check()
        with self._ping_lock:
            self.site.breaker.check()
            if self._pinged:
                return
            url = f"{self.base}/v2/"
            try:
                reply = self._transport.send("ping", "GET", url, self.site, retry_timeouts=False)
            except RegistryError as exc:
                if not self._transport.past_deadline():  # the run ran out, not the host
                    self.site.breaker.trip(exc, "its ping failed")
                raise
            if reply.status == 401:
                self.auth.learn(reply.headers.get("www-authenticate"), None, "")
            self._pinged = True

    def _send_token(
        self, method: str, url: str, headers: dict[str, str], content: bytes | None
    ) -> Reply:
        return self._transport.send(
            "token", method, url, self.site, headers=headers, content=content, limit=TOKEN_LIMIT
        )

    def error(self, reply: Reply, what: str) -> RegistryError:
        """The RegistryError for a reply that did not answer the question about `what`."""
        status, code = reply.status, _error_code(reply.body)
        suffix = f" ({code})" if code else ""
        if status == 401:
            challenge = self.auth.challenge
            basic = challenge is not None and challenge.scheme == "basic"
            if basic and not self.auth.has_login():
                return RegistryError(
                    f"{self.name} needs a username and password and none were found "
                    "(docker login, a credential helper, or username_env/password_env)",
                    status=status,
                )
            if basic:
                hint = "wrong username or password?"
            else:
                hint = "no such repository, no permission, or wrong credentials"
            message = f"{self.name}: access to {what} refused with {self.auth.describe()} ({hint})"
            return RegistryError(message, status=status)
        if status == 403:
            return RegistryError(f"{self.name}: access to {what} denied{suffix}", status=status)
        if status == 404:
            return RegistryError(f"{self.name}: {what} not found{suffix}", status=status)
        if status == 429:
            after = reply.headers.get("retry-after", "")
            wait = f" (retry after {after} s)" if after.isdigit() else ""
            message = f"{self.name}: rate limited{wait}"
            return RegistryError(message, transient=True, status=status)
        transient = status >= 500
        message = f"{self.name}: HTTP {status} for {what}{suffix}"
        return RegistryError(message, transient=transient, status=status)


def _error_code(body: bytes) -> str | None:
    """The first error code of a distribution error body (`NAME_UNKNOWN`), when well-formed."""
    try:
        errors = json.loads(body).get("errors")
        code = errors[0]["code"]
    except (ValueError, AttributeError, LookupError, TypeError, RecursionError):
        return None  # RecursionError: a hostile body nested a thousand deep (issue 18)
    return code if isinstance(code, str) and _ERROR_CODE.match(code) else None
