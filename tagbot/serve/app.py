"""The ASGI app of `tagbot serve`: event endpoints, health, readiness and metrics."""

from __future__ import annotations

import json
import logging
import math
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tagbot import notify, redact
from tagbot.errors import ConfigError
from tagbot.pipeline import announce
from tagbot.pipeline.repositories import per_repository
from tagbot.serve import auth, sources
from tagbot.serve.batches import Batches
from tagbot.serve.metrics import CONTENT_TYPE, Metrics, RequestCounter
from tagbot.serve.worker import Worker

if TYPE_CHECKING:
    from tagbot.config import Config
    from tagbot.config.service import Source

log = logging.getLogger("tagbot.serve")
GITHUB_EVENTS = ("package", "registry_package")


@dataclass(frozen=True)
class Endpoint:
    """A configured source and its secret, read from the environment once."""

    source: Source
    secret: str

    @property
    def name(self) -> str:
        """The source's name in paths, logs and metrics."""
        return self.source.name or self.source.kind


def endpoints(config: Config) -> dict[str, Endpoint]:
    """The sources by name with their secrets; ConfigError for a secret that is not set."""
    found: dict[str, Endpoint] = {}
    for source in config.serve.sources:
        secret = os.environ.get(source.secret_env, "")
        if len(secret) < 8:
            raise ConfigError(
                f"serve source {source.name or source.kind}: set ${source.secret_env} "
                "(a secret of 8 characters or more)"
            )
        redact.register(secret)
        endpoint = Endpoint(source, secret)
        found[endpoint.name] = endpoint
    if not found:
        raise ConfigError("tagbot serve needs at least one entry in serve.sources")
    return found


class Service:
    """The state behind the routes: sources, the batches, the worker, the metrics."""

    def __init__(self, config: Config, config_dir: Path, grace: float) -> None:
        self.config, self.grace = config, grace
        self.endpoints = endpoints(config)
        self.metrics = Metrics()
        # One worker per config repository (`git.repository`, or each of `repositories`), each
        # with its own queue: publishes to one repository are serialised, repositories run apart.
        self.workers = [
            Worker(
                one, config_dir, Batches(config.serve.queue, config.serve.debounce), self.metrics
            )
            for one in per_repository(config)
        ]
        self.counter = RequestCounter(self.metrics)

    def ready(self) -> bool:
        """True once every worker knows which images its repository uses, until shutdown."""
        return all(w.ready.is_set() and not w.batches.closed for w in self.workers)

    def depth(self) -> int:
        """Images waiting, over all workers."""
        return sum(len(w.batches) for w in self.workers)

    def stop(self) -> bool:
        """Stop every worker (dropping what waits) and let the publishes in flight finish
        within the grace period; True when all stopped in time."""
        dropped = sum(w.batches.close() for w in self.workers)
        if dropped:
            log.warning("images dropped at shutdown", extra={"images": dropped})
        deadline = time.monotonic() + self.grace
        return all([w.stop(max(deadline - time.monotonic(), 0.0)) for w in self.workers])

    def retry_after(self) -> str:
        """Seconds a refused sender should wait: a debounce window and a plan."""
        return str(math.ceil(self.config.serve.debounce) + 5)

    async def event(self, request: Request) -> Response:
        """POST /v1/events/{name}."""
        endpoint = self.endpoints.get(request.path_params["name"])
        if endpoint is None:
            return JSONResponse({"error": "no such source"}, 404)
        return await self._receive(request, endpoint)

    async def images(self, request: Request) -> Response:
        """POST /v1/images: tagbot's CI endpoint (the first `generic` source)."""
        generic = [e for e in self.endpoints.values() if e.source.kind == "generic"]
        if not generic:
            return JSONResponse({"error": "no generic source configured"}, 404)
        return await self._receive(request, generic[0])

    async def _receive(self, request: Request, endpoint: Endpoint) -> Response:
        limit = self.config.serve.max_body
        body = await _body(request, limit)
        if body is None:
            return self._answer(endpoint, "rejected", "too large", 413, request)
        reason = auth.check(
            endpoint.source.kind, endpoint.secret, request.headers, request.query_params, body
        )
        if reason is not None:
            return self._answer(endpoint, "rejected", reason, 401, request)
        if endpoint.source.kind == "github":
            event = request.headers.get("x-github-event", "")
            if event == "pull_request":
                return await self._pull_request(request, endpoint, body)
            if event not in GITHUB_EVENTS:
                return self._answer(endpoint, "ignored", "not a package event", 200, request)
        try:
            found = sources.hints(endpoint.source.kind, json.loads(body), endpoint.source.registry)
        except (ValueError, sources.BadPayload):  # JSONDecodeError and UnicodeError too
            return self._answer(endpoint, "rejected", "malformed", 400, request)
        names = sorted({h.image for h in found})
        if not names:
            return self._answer(endpoint, "ignored", "not a push", 200, request)
        if not self.ready():
            return self._answer(endpoint, "rejected", "not ready", 503, request)
        exact: dict[str, str] = {}
        if endpoint.source.exact:
            exact = {h.image: h.version for h in found if h.version}
            if len(exact) != len(names):
                return self._answer(endpoint, "rejected", "no tag", 400, request, names)
        queued: set[str] = set()
        full = False
        for worker in self.workers:
            used = worker.uses(names)
            if not used:
                continue
            if worker.batches.add(used, {i: v for i, v in exact.items() if i in used}):
                queued.update(used)
            else:
                full = True
        self.metrics.queue.set(self.depth())
        if full:  # what was queued coalesces with the retry
            return self._answer(endpoint, "rejected", "queue full", 429, request, sorted(queued))
        if not queued:
            return self._answer(endpoint, "ignored", "no reference uses it", 200, request, names)
        return self._answer(endpoint, "accepted", "push", 202, request, sorted(queued))

    async def _pull_request(self, request: Request, endpoint: Endpoint, body: bytes) -> Response:
        """A GitHub `pull_request` event: notify when one of tagbot's PRs was merged."""
        try:
            data = json.loads(body)
            pull = data["pull_request"]
            title, url, branch = str(pull["title"]), str(pull["html_url"]), pull["head"]["ref"]
            merged_now = data.get("action") == "closed" and pull.get("merged") is True
        except (ValueError, KeyError, TypeError):
            return self._answer(endpoint, "rejected", "malformed", 400, request)
        if not merged_now or not str(branch).startswith(self.config.git.branch_prefix):
            return self._answer(endpoint, "ignored", "not a merge of tagbot's", 200, request)
        options = self.config.notify_options()
        message = announce.merged(title, url, options.environment)
        await anyio.to_thread.run_sync(notify.send, options, [message])
        return self._answer(endpoint, "accepted", "merged", 200, request)

    def _answer(
        self,
        endpoint: Endpoint,
        outcome: str,
        reason: str,
        status: int,
        request: Request,
        images: list[str] | None = None,
    ) -> Response:
        """Count, log (never the body or a header) and answer."""
        self.metrics.events.labels(endpoint.name, outcome, reason).inc()
        client = request.client.host if request.client else None
        fields = {"source": endpoint.name, "outcome": outcome, "reason": reason, "client": client}
        level = logging.WARNING if status == 401 else logging.INFO
        log.log(level, "event", extra={**fields, "images": images or []})
        data: dict[str, object] = {"status": outcome, "reason": reason}
        if images:
            data["images"] = images
        headers = {"Retry-After": self.retry_after()} if status in (429, 503) else None
        return JSONResponse(data, status, headers=headers)

    async def healthz(self, request: Request) -> Response:
        """Alive: the process answers."""
        return JSONResponse({"status": "ok"})

    async def readyz(self, request: Request) -> Response:
        """Ready once the worker knows which images the repository uses."""
        if self.ready():
            images = sum(len(w.images) for w in self.workers)
            return JSONResponse({"status": "ready", "images": images})
        return JSONResponse({"status": "starting"}, 503)

    async def metrics_text(self, request: Request) -> Response:
        """Prometheus metrics."""
        self.metrics.queue.set(self.depth())
        return Response(self.metrics.render(), media_type=CONTENT_TYPE)

    @asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        """Start the worker; at shutdown, let the publish in flight finish."""
        logging.getLogger("tagbot.pipeline").addHandler(self.counter)
        for worker in self.workers:
            worker.start()
        log.info("serving", extra={"sources": sorted(self.endpoints)})
        try:
            yield
        finally:
            log.info("shutting down: finishing the publish in flight")
            stopped = await anyio.to_thread.run_sync(self.stop)
            logging.getLogger("tagbot.pipeline").removeHandler(self.counter)
            log.info("stopped", extra={"clean": stopped})


async def _body(request: Request, limit: int) -> bytes | None:
    """The body, or None when it is larger than `limit` bytes (stops reading at the limit)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def create_app(config: Config, config_dir: Path, *, grace: float = 120.0) -> Starlette:
    """The app for `config`; ConfigError when a source's secret is not set."""
    service = Service(config, config_dir, grace)
    routes = [
        Route("/v1/events/{name}", service.event, methods=["POST"]),
        Route("/v1/images", service.images, methods=["POST"]),
        Route("/healthz", service.healthz, methods=["GET"]),
        Route("/readyz", service.readyz, methods=["GET"]),
        Route("/metrics", service.metrics_text, methods=["GET"]),
    ]
    app = Starlette(routes=routes, lifespan=service.lifespan)
    app.state.service = service
    return app
