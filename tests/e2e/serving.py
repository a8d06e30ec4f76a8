"""`tagbot serve` as a real process on loopback, its config, and a notification receiver."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.world import RULES
from tests.support.registry import free_port

SECRETS = {
    "TAGBOT_TEST_REGISTRY_TOKEN": "registry-notify-secret-4711",
    "TAGBOT_TEST_GITHUB_SECRET": "github-hmac-secret-0815",
    "TAGBOT_TEST_HARBOR_AUTH": "harbor-auth-secret-2342",
    "TAGBOT_TEST_DOCKERHUB_TOKEN": "dockerhub-token-secret-1337",
    "TAGBOT_TEST_CI_TOKEN": "ci-bearer-secret-31415",
    "TAGBOT_TEST_NOTIFY_URL": "",  # set by a test that listens for notifications
}
SOURCES = [
    {"kind": "distribution", "secret_env": "TAGBOT_TEST_REGISTRY_TOKEN"},
    {"kind": "github", "secret_env": "TAGBOT_TEST_GITHUB_SECRET"},
    {"kind": "harbor", "secret_env": "TAGBOT_TEST_HARBOR_AUTH"},
    {"kind": "dockerhub", "secret_env": "TAGBOT_TEST_DOCKERHUB_TOKEN"},
    {"kind": "generic", "secret_env": "TAGBOT_TEST_CI_TOKEN"},
]


def serve_config(
    reg: str,
    git: dict[str, Any],
    *,
    rules: str | None = None,
    debounce: float = 0.3,
    queue: int = 1000,
    max_body: int = 65536,
    sources: list[dict[str, Any]] | None = None,
) -> str:
    """tagbot.yaml for `tagbot serve` (JSON is YAML): the e2e rules, the sources, notify."""
    serve = {
        "sources": sources or SOURCES,
        "debounce": debounce,
        "queue": queue,
        "max_body": max_body,
    }
    text = f"version: 1\ngit: {json.dumps(git)}\n" + (rules or RULES.format(reg=reg))
    text += f"serve: {json.dumps(serve)}\n"
    text += 'notify: {"urls_env": ["TAGBOT_TEST_NOTIFY_URL"], "environment": "e2e"}\n'
    return text


class Server:
    """`python -m tagbot serve` on a loopback port; `stop()` sends SIGTERM and returns stderr."""

    def __init__(self, config: Path, env: dict[str, str], port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = ["--log-format", "json", "serve", "--config", str(config)]
        args += ["--host", "127.0.0.1", "--port", str(self.port), "--grace", "60"]
        # Logs go to a file: a pipe nobody reads while the server runs would fill and block it.
        self.log = config.parent / "serve.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tagbot", *args],
                cwd=config.parent,
                env={**env, **SECRETS, **{k: v for k, v in env.items() if k in SECRETS}},
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        self.client = httpx.Client(base_url=self.url, timeout=30)

    def wait_ready(self, timeout: float = 60) -> None:
        """Wait until /readyz answers 200; fail with the server's stderr if it exits."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"tagbot serve exited:\n{self.log.read_text()}")
            try:
                if self.client.get("/readyz").status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError("tagbot serve did not become ready")

    def metric(self, name: str, **labels: str) -> float:
        """The value of one sample on /metrics (0 when absent)."""
        text = self.client.get("/metrics").text
        want = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
        for line in text.splitlines():
            match = re.fullmatch(r"([a-z_]+)(?:\{(.*)\})? (\S+)", line)
            if match and match[1] == name and ",".join(sorted((match[2] or "").split(","))) == want:
                return float(match[3])
        return 0.0

    def wait_idle(self, published: float, timeout: float = 90) -> None:
        """Wait until `published` change sets went out and nothing waits or runs."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done = self.metric("tagbot_updates_published_total") >= published
            idle = (
                self.metric("tagbot_queue_depth") == 0
                and self.metric("tagbot_plans_in_flight") == 0
            )
            if done and idle:
                return
            time.sleep(0.1)
        raise AssertionError(f"not idle after {timeout}s:\n{self.client.get('/metrics').text}")

    def stop(self) -> str:
        """SIGTERM, wait for a clean exit; the server's stderr."""
        self.client.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return self.log.read_text()


class Receiver:
    """A loopback HTTP server that records every JSON body POSTed to it (apprise `json://`)."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                receiver.bodies.append(json.loads(self.rfile.read(length) or b"{}"))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet."""

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The apprise URL that posts JSON here."""
        return f"json://127.0.0.1:{self._httpd.server_address[1]}/hook"

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
