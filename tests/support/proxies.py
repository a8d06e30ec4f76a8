"""Proxies in front of a real registry: one that pages tag lists, one that injects faults."""

from __future__ import annotations

import http.client
import json
import re
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal
from urllib.parse import parse_qs, quote, urlsplit

HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "host", "content-length"}
_TAGS_PATH = re.compile(r"^/v2/(?P<name>.+)/tags/list$")


@dataclass
class Answer:
    """What the proxy sends back: a status, headers, and a body (bytes or a stream of chunks)."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | Iterator[bytes] = b""
    length: int | None = None  # a declared Content-Length for a streamed body


@dataclass(frozen=True)
class Seen:
    """One request the proxy received, and what it did (`fault` names an injected fault)."""

    method: str
    path: str
    fault: str | None
    authorized: bool


class Proxy:
    """A loopback HTTP proxy to `upstream`; subclasses override `answer`. Context manager."""

    def __init__(self, upstream: str, bind: str = "127.0.0.1") -> None:
        parts = urlsplit(upstream)
        self.bind = bind  # another address makes the proxy a "remote" registry to the scanner
        self.upstream_host = parts.hostname or "127.0.0.1"
        self.upstream_port = parts.port or 80
        self.seen: list[Seen] = []
        self.released = threading.Event()  # set on stop: frees requests held by a slow fault
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((bind, 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    @property
    def host(self) -> str:
        """`ADDRESS:PORT`, the registry part of image names seen through the proxy."""
        return f"{self.bind}:{self._server.server_address[1]}"

    @property
    def url(self) -> str:
        """The proxy's base URL."""
        return f"http://{self.host}"

    def start(self) -> Proxy:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Release held requests, stop serving, close the socket."""
        self.released.set()
        if self._thread.is_alive():  # shutdown() waits forever for a loop that never ran
            self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Proxy:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def requests(self, pattern: str = "") -> list[Seen]:
        """Requests whose path matches the regular expression `pattern`."""
        with self._lock:
            return [s for s in self.seen if re.search(pattern, s.path)]

    def record(self, method: str, path: str, headers: dict[str, str], fault: str | None) -> None:
        """Remember a request."""
        with self._lock:
            self.seen.append(Seen(method, path, fault, "authorization" in headers))

    def answer(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        """Forward to the upstream registry (subclasses intercept first)."""
        self.record(method, path, headers, None)
        return self.forward(method, path, headers, body)

    def forward(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        """Send the request upstream as is and return its answer."""
        conn = http.client.HTTPConnection(self.upstream_host, self.upstream_port, timeout=30)
        try:
            sent = {k: v for k, v in headers.items() if k not in HOP_HEADERS}
            conn.request(method, path, body=body or None, headers=sent)
            reply = conn.getresponse()
            data = reply.read()
            kept = [(k, v) for k, v in reply.getheaders() if k.lower() not in HOP_HEADERS]
            return Answer(reply.status, kept, data)
        finally:
            conn.close()


PagingStyle = Literal["last", "absolute", "cursor", "foreign", "loop"]


class PagingProxy(Proxy):
    """Pages `GET /v2/NAME/tags/list` (which distribution 2.8 never pages) with `Link` headers.

    Tags come sorted, `page_size` at a time. Styles: "last" (relative link with `n` and `last`,
    the spec's form), "absolute" (the same as an absolute URL), "cursor" (an opaque `next_page`
    token, as old Quay sends), "foreign" (a link to another origin), "loop" (always page one).
    """

    def __init__(self, upstream: str, page_size: int = 2, style: PagingStyle = "last") -> None:
        super().__init__(upstream)
        self.page_size = page_size
        self.style = style
        self._cursors: dict[str, int] = {}

    def answer(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        parts = urlsplit(path)
        match = _TAGS_PATH.match(parts.path)
        if method != "GET" or match is None:
            return super().answer(method, path, headers, body)
        self.record(method, path, headers, None)
        full = self.forward(method, parts.path, headers, b"")
        if full.status != 200:
            return full
        name = match.group("name")
        tags = sorted(json.loads(full.body)["tags"] or [])  # type: ignore[arg-type]
        query = parse_qs(parts.query)
        size = min(int(query.get("n", [self.page_size])[0]), self.page_size)
        start = 0
        if "next_page" in query:
            start = self._cursors.get(query["next_page"][0], len(tags))
        elif "last" in query:
            start = sum(1 for t in tags if t <= query["last"][0])
        page = tags[start : start + size]
        answer = Answer(200, [("Content-Type", "application/json")])
        answer.body = json.dumps({"name": name, "tags": page}).encode()
        if start + size < len(tags):
            answer.headers.append(("Link", f'<{self._next(name, size, start, page)}>; rel="next"'))
        return answer

    def _next(self, name: str, size: int, start: int, page: list[str]) -> str:
        relative = f"/v2/{name}/tags/list?n={size}&last={quote(page[-1])}"
        if self.style == "absolute":
            return self.url + relative
        if self.style == "foreign":
            return f"http://127.0.0.2:{self.host.rpartition(':')[2]}{relative}"
        if self.style == "loop":
            return f"/v2/{name}/tags/list?n={size}"
        if self.style == "cursor":
            token = secrets.token_urlsafe(12)
            self._cursors[token] = start + size
            return f"/v2/{name}/tags/list?next_page={token}"
        return relative


FaultKind = Literal["status", "slow", "body", "huge", "drop", "trickle"]


@dataclass
class Fault:
    """One injected misbehaviour for requests whose path matches `pattern`, `times` times."""

    pattern: str
    kind: FaultKind
    times: int = 1
    status: int = 500
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    chunked: bool = False  # "huge": stream without a Content-Length
    interval: float = 0.05  # "trickle": seconds between two bytes


class FaultProxy(Proxy):
    """Forwards to the registry, except where a fault is injected:

    "status" answers `status` (e.g. 429 with Retry-After, 500, 503); "slow" holds the request
    until the proxy stops (the client times out); "body" answers 200 with `body` (malformed
    JSON, bad tag names); "huge" answers 64 MiB of zeros; "drop" closes the connection;
    "trickle" answers 200 with `body`, one byte every `interval` seconds (`sent` counts them).
    """

    HUGE = 64 * 1024 * 1024

    def __init__(self, upstream: str) -> None:
        super().__init__(upstream)
        self.faults: list[Fault] = []
        self.sent = 0  # bytes a "trickle" fault sent

    def inject(self, pattern: str, kind: FaultKind, times: int = 1, **details: Any) -> Fault:
        """Add a fault for paths matching `pattern`; returns it (its `times` counts down)."""
        fault = Fault(pattern, kind, times, **details)
        with self._lock:
            self.faults.append(fault)
        return fault

    def _take(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.times > 0 and re.search(fault.pattern, path):
                    fault.times -= 1
                    return fault
        return None

    def answer(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        fault = self._take(path)
        if fault is None:
            return super().answer(method, path, headers, body)
        self.record(method, path, headers, fault.kind)
        if fault.kind == "slow":
            self.released.wait(60)
            return Answer(503)
        if fault.kind == "status":
            return Answer(fault.status, list(fault.headers), fault.body)
        if fault.kind == "body":
            return Answer(200, [("Content-Type", "application/json"), *fault.headers], fault.body)
        if fault.kind == "huge":
            length = None if fault.chunked else self.HUGE
            return Answer(200, [("Content-Type", "application/json")], _zeros(self.HUGE), length)
        if fault.kind == "trickle":
            stream = self._trickle(fault.body, fault.interval)
            return Answer(200, [("Content-Type", "application/json")], stream, len(fault.body))
        return Answer(-1)  # "drop"

    def _trickle(self, body: bytes, interval: float) -> Iterator[bytes]:
        for i in range(len(body)):
            if self.released.wait(interval):
                return
            with self._lock:
                self.sent += 1
            yield body[i : i + 1]


def _zeros(total: int) -> Iterator[bytes]:
    chunk = b"0" * 65536
    for _ in range(total // len(chunk)):
        yield chunk


def _handler(proxy: Proxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            answer = proxy.answer(self.command, self.path, headers, body)
            if answer.status < 0:
                self.close_connection = True
                return
            self.send_response(answer.status)
            for key, value in answer.headers:
                self.send_header(key, value)
            try:
                self._write_body(answer)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client stopped reading: that is the point

        def _write_body(self, answer: Answer) -> None:
            if isinstance(answer.body, bytes):
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(answer.body)
                return
            if answer.length is not None:
                self.send_header("Content-Length", str(answer.length))
            else:
                self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for chunk in answer.body:
                if answer.length is None:
                    chunk = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
                self.wfile.write(chunk)
            if answer.length is None:
                self.wfile.write(b"0\r\n\r\n")

        do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    return Handler
