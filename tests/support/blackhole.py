"""A black-hole registry on loopback: it accepts TCP connections and never answers a byte."""

from __future__ import annotations

import socket
import threading
from types import TracebackType


class BlackHole:
    """Accepts connections, counts them, holds them open until `stop`. Context manager."""

    def __init__(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0), backlog=256)
        self._sock.settimeout(0.1)
        self._held: list[socket.socket] = []
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self.host = f"127.0.0.1:{self._sock.getsockname()[1]}"  # the registry part of names

    @property
    def connections(self) -> int:
        """How many TCP connections were accepted so far."""
        with self._lock:
            return len(self._held)

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._held.append(conn)  # read nothing, answer nothing

    def __enter__(self) -> BlackHole:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stopped.set()
        self._thread.join(5)
        self._sock.close()
        with self._lock:
            for conn in self._held:
                conn.close()
