"""The one worker of a config repository: plans and publishes batches of images, one at a time,
so pushes to the repository never race each other; knows which images the repository uses."""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from tagbot import notify, pipeline, provider
from tagbot.imageref import parse
from tagbot.models import Occurrence, RunReport
from tagbot.pipeline.announce import failure
from tagbot.pipeline.promote import promote
from tagbot.serve.batches import Batch, Batches
from tagbot.serve.metrics import Metrics

if TYPE_CHECKING:
    from tagbot.config import Config

log = logging.getLogger("tagbot.serve")
RETRY = 5.0  # seconds between attempts to read the repository while it cannot be reached


def used_images(config: Config, occurrences: Iterable[Occurrence]) -> frozenset[str]:
    """The normalised names of the images the references use that a policy may move."""
    return frozenset(
        o.image.name for o in occurrences if o.image and o.rewritable and config.spec_for(o)
    )


class Worker:
    """Runs `pipeline.run(..., images=batch)` for each batch in a thread of its own."""

    def __init__(
        self, config: Config, config_dir: Path, batches: Batches, metrics: Metrics
    ) -> None:
        self.config, self.config_dir = config, config_dir
        self.batches, self.metrics = batches, metrics
        self.images: frozenset[str] = frozenset()
        self.ready = threading.Event()
        self._read_at = 0.0
        name = f"tagbot-worker {config.git.repository}"
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    def start(self) -> None:
        """Start reading the repository, then serving batches."""
        self._thread.start()

    def stop(self, grace: float) -> bool:
        """Drop what waits, let the batch in flight finish (up to `grace` seconds); True when
        the worker stopped in time."""
        dropped = self.batches.close()
        if dropped:
            log.warning("images dropped at shutdown", extra={"images": dropped})
        if self._thread.is_alive():
            self._thread.join(grace)
        return not self._thread.is_alive()

    def uses(self, images: Collection[str]) -> list[str]:
        """The images among `images` that a reference in the repository uses."""
        return sorted(i for i in images if i in self.images)

    def _loop(self) -> None:
        while not self.batches.closed and not self._read():
            time.sleep(RETRY)
        refresh = self.config.serve.refresh
        while True:
            batch = self.batches.take(timeout=refresh)
            if batch is None:
                if self.batches.closed:
                    return
                self._read()
                continue
            self._run(batch)

    def _read(self) -> bool:
        """Read which images the repository uses; False when it cannot be read now."""
        options = self.config.git_options()
        try:
            with tempfile.TemporaryDirectory(prefix="tagbot-serve-") as work:
                ws = provider.open_workspace(options, Path(work), cwd=self.config_dir)
                found = pipeline.discover([ws.root], self.config.wants)
        except Exception as exc:  # a worker that dies serves nothing: report and retry
            log.error("config repository unreadable", extra={"error": str(exc)})
            return False
        self._learn(found.occurrences)
        self.ready.set()
        return True

    def _learn(self, occurrences: Iterable[Occurrence]) -> None:
        self.images = used_images(self.config, occurrences)
        self._read_at = time.monotonic()
        log.info("images in use", extra={"images": len(self.images)})

    def _run(self, batch: Batch) -> None:
        images = sorted(batch.images)
        log.info("planning", extra={"images": images})
        started = time.monotonic()
        self.metrics.busy.inc()
        try:
            report = self._plan(images, batch.exact)
        finally:
            self.metrics.busy.dec()
        now = time.monotonic()
        self.metrics.plan_seconds.observe(now - started)
        if report is None:
            return
        self.metrics.latency.observe(now - batch.since)
        if batch.images - batch.exact.keys():  # a policy run read every reference
            self._learn(report.references)
        changed = [p for p in report.proposals if p.changed]
        self.metrics.published.inc(len(changed))
        log.info(
            "published",
            extra={"images": images, "updates": len(report.updates), "changed": len(changed)},
        )

    def _plan(self, images: list[str], exact: Mapping[str, str]) -> RunReport | None:
        try:
            with tempfile.TemporaryDirectory(prefix="tagbot-serve-") as work:
                report = self._publish(Path(work), images, exact)
        except Exception as exc:  # one bad batch must not stop the service
            log.error("plan failed", extra={"images": images, "error": str(exc)})
            self.metrics.plans.labels("error").inc()
            notify.send(self.config.notify_options(), [failure(images, str(exc))])
            return None
        self.metrics.plans.labels("problems" if report.problems else "ok").inc()
        self.metrics.problems.inc(len(report.problems))
        for problem in report.problems:
            log.warning("problem", extra={"where": problem.where, "error": problem.error})
        return report

    def _publish(self, work: Path, images: list[str], exact: Mapping[str, str]) -> RunReport:
        """Plan by policy the images events hinted at, and set the ones a CI named exactly."""
        hinted = [i for i in images if i not in exact]
        reports = []
        if hinted:
            reports.append(pipeline.run(self.config, self.config_dir, work / "run", images=hinted))
        if exact:
            targets = [parse(f"{image}:{version}") for image, version in sorted(exact.items())]
            reports.append(promote(self.config, self.config_dir, work / "set", targets))
        return RunReport(
            references=reports[0].references if hinted else (),
            updates=tuple(u for r in reports for u in r.updates),
            edits=tuple(e for r in reports for e in r.edits),
            proposals=tuple(p for r in reports for p in r.proposals),
            problems=tuple(p for r in reports for p in r.problems),
        )
