"""A small JSON-over-HTTP server on a free loopback port, served from a thread: the fakes' base."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

Reply = tuple[int, Any]
Handler = Callable[..., Reply]
RawReply = tuple[int, dict[str, str], bytes]


class FakeServer:
    """Routes `(METHOD, regex)` to handlers under `prefix`; state changes happen under one lock."""

    prefix = ""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str]] = []  # (method, path), for debugging failed tests
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.fake = self
        self._thread: threading.Thread | None = None

    @property
    def origin(self) -> str:
        """`http://127.0.0.1:PORT`."""
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def routes(self) -> list[tuple[str, str, Handler]]:
        """`(method, path regex, handler)`; a handler gets the regex groups, `query`, `data`."""
        raise NotImplementedError

    def authorized(self, headers: Message, path: str) -> bool:
        """True when the request for `path` carries the expected credentials."""
        raise NotImplementedError

    def raw(self, method: str, raw: str, headers: Message, body: bytes) -> RawReply | None:
        """A non-JSON answer (git over HTTP); None to dispatch the request as JSON."""
        return None

    def unauthorized(self) -> Reply:
        """The forge's answer to a request without valid credentials."""
        return 401, {"message": "Bad credentials"}

    def start(self) -> Self:
        """Serve in a background thread."""
        # A short poll interval: shutdown() waits for one, and every test stops a server.
        serve = lambda: self._httpd.serve_forever(poll_interval=0.02)  # noqa: E731
        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def dispatch(self, method: str, raw: str, headers: Message, body: bytes) -> Reply:
        """Answer one request."""
        parts = urlsplit(raw)
        if not parts.path.startswith(self.prefix):
            return 404, {"message": "Not Found"}
        path = parts.path[len(self.prefix) :]
        self.requests.append((method, path))
        if not self.authorized(headers, path):
            return self.unauthorized()
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        data = json.loads(body) if body else {}
        for verb, pattern, handler in self.routes():
            match = re.fullmatch(pattern, path)
            if verb == method and match:
                with self.lock:
                    return handler(*match.groups(), query=query, data=data)
        return 404, {"message": "Not Found"}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the SDKs' sessions expect
    server: _Server

    def _serve(self) -> None:
        body = self._body()
        raw = self.server.fake.raw(self.command, self.path, self.headers, body)
        if raw is not None:
            status, headers, content = raw
            self.send_response(status)
            for name, value in {**headers, "Content-Length": str(len(content))}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(content)
            return
        status, data = self.server.fake.dispatch(self.command, self.path, self.headers, body)
        payload = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() != "chunked":
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""
        chunks = []  # git sends large pushes chunked
        while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
            chunks.append(self.rfile.read(size))
            self.rfile.readline()
        self.rfile.readline()
        return b"".join(chunks)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read the fake's state, not its access log."""
