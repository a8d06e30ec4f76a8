"""A proxy in front of a token-mode registry that makes its tokens opaque to clients."""

from __future__ import annotations

from tests.support.proxies import Answer, Proxy
from tests.support.tokenserver import TokenServer


class OpaqueProxy(Proxy):
    """Swaps the opaque handles a TokenServer in `opaque` mode hands out for the JWTs they
    stand for, so the registry (which reads only JWTs) checks what was really granted.

    Clients see a registry whose tokens they cannot read, as GHCR's look; a handle the server
    never issued is passed on as is (and refused by the registry).
    """

    def __init__(self, upstream: str, server: TokenServer) -> None:
        super().__init__(upstream)
        self.server = server

    def answer(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        """Forward with the JWT behind the handle in `Authorization`."""
        self.record(method, path, headers, None)
        sent = headers.get("authorization", "")
        handle = sent.removeprefix("Bearer ")
        if sent.startswith("Bearer ") and handle in self.server.handles:
            headers = {**headers, "authorization": f"Bearer {self.server.handles[handle]}"}
        return self.forward(method, path, headers, body)
