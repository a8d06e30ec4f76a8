"""The ASGI app of `tagbot serve`: event endpoints, health, readiness and metrics."""

from __future__ import annotations

import json
import logging
import math
import os
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
        self.batches = Batches(config.serve.queue, config.serve.debounce)
        self.worker = Worker(config, config_dir, self.batches, self.metrics)
        self.counter = RequestCounter(self.metrics)

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
        if not self.worker.ready.is_set():
            return self._answer(endpoint, "rejected", "not ready", 503, request)
        exact: dict[str, str] = {}
        if endpoint.source.exact:
            exact = {h.image: h.version for h in found if h.version}
            if len(exact) != len(names):
                return self._answer(endpoint, "rejected", "no tag", 400, request, names)
        used = self.worker.uses(names)
        if not used:
            return self._answer(endpoint, "ignored", "no reference uses it", 200, request, names)
        if not self.batches.add(used, {i: v for i, v in exact.items() if i in used}):
            return self._answer(endpoint, "rejected", "queue full", 429, request, used)
        self.metrics.queue.set(len(self.batches))
        return self._answer(endpoint, "accepted", "push", 202, request, used)

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
        if self.worker.ready.is_set() and not self.batches.closed:
            return JSONResponse({"status": "ready", "images": len(self.worker.images)})
        return JSONResponse({"status": "starting"}, 503)

    async def metrics_text(self, request: Request) -> Response:
        """Prometheus metrics."""
        self.metrics.queue.set(len(self.batches))
        return Response(self.metrics.render(), media_type=CONTENT_TYPE)

    @asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        """Start the worker; at shutdown, let the publish in flight finish."""
        logging.getLogger("tagbot.pipeline").addHandler(self.counter)
        self.worker.start()
        log.info("serving", extra={"sources": sorted(self.endpoints)})
        try:
            yield
        finally:
            log.info("shutting down: finishing the publish in flight")
            stopped = await anyio.to_thread.run_sync(self.worker.stop, self.grace)
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
