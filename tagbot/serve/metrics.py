"""The Prometheus metrics of `tagbot serve`, in a registry of their own (one per app)."""

from __future__ import annotations

import logging

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_SECONDS = (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)


class Metrics:
    """Events by source, outcome and reason; plans, updates, queue, registry requests, times."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.events = Counter(
            "tagbot_events",
            "Events received, by source, outcome (accepted, ignored, rejected) and reason.",
            ["source", "outcome", "reason"],
            registry=r,
        )
        self.plans = Counter(
            "tagbot_plans", "Plans run, by result (ok, problems, error).", ["result"], registry=r
        )
        self.published = Counter(
            "tagbot_updates_published",
            "Change sets published (commits pushed, PRs opened or updated).",
            registry=r,
        )
        self.problems = Counter(
            "tagbot_problems", "Problems plans reported (registry, edit, publish).", registry=r
        )
        self.queue = Gauge("tagbot_queue_depth", "Images waiting to be planned.", registry=r)
        self.busy = Gauge("tagbot_plans_in_flight", "Plans running now.", registry=r)
        self.requests = Counter(
            "tagbot_registry_requests", "Requests sent to registries.", registry=r
        )
        self.plan_seconds = Histogram(
            "tagbot_plan_duration_seconds",
            "Time to plan and publish one batch.",
            buckets=_SECONDS,
            registry=r,
        )
        self.latency = Histogram(
            "tagbot_event_to_publish_seconds",
            "Time from a batch's oldest event to the end of its publishing.",
            buckets=_SECONDS,
            registry=r,
        )

    def render(self) -> bytes:
        """The text exposition format."""
        return generate_latest(self.registry)


class RequestCounter(logging.Handler):
    """Counts registry requests from the pipeline's `registry requests` log record."""

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(logging.INFO)
        self.metrics = metrics

    def emit(self, record: logging.LogRecord) -> None:
        """Add the record's request count."""
        counts = getattr(record, "requests", None)
        if record.msg == "registry requests" and isinstance(counts, dict):
            self.metrics.requests.inc(sum(v for v in counts.values() if isinstance(v, int)))
