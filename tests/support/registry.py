"""Start Debian's docker-registry (distribution 2.8) on a free loopback port, in any auth mode."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Literal

import httpx

from tests.support import certs
from tests.support.seed import Seeder
from tests.support.tokenserver import ISSUER, SERVICE, TokenServer

Mode = Literal["anonymous", "htpasswd", "token"]
BINARY = "/usr/bin/docker-registry"
USERS = {"alice": "alice-Secret-4711", "bob": "bob-Secret-0815"}
READY_TIMEOUT = 60.0  # generous: a loaded 2-core machine can be slow to start Go binaries


def free_port() -> int:
    """A port nobody listens on right now (bind to port 0, read it, close)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RegistryServer:
    """A running registry; use as a context manager. `url` is its base, `host` its image prefix.

    mode "anonymous" needs no login; "htpasswd" wants Basic auth from `users`; "token" sends
    clients to a TokenServer (`token_server`) whose JWTs it verifies. `storage_dir` keeps the
    images (reusable between runs); by default a temporary directory that is removed on stop.
    `tls` (a CA from tests.support.certs) serves HTTPS with a certificate that CA signed.
    """

    def __init__(
        self,
        mode: Mode = "anonymous",
        storage_dir: Path | None = None,
        *,
        users: dict[str, str] | None = None,
        tls: certs.KeyPair | None = None,
        token_expires_in: int = 300,
        notify: tuple[str, str] | None = None,
        port: int | None = None,
    ) -> None:
        self.mode = mode
        self.notify = notify  # (URL, Authorization header value) to send notifications to
        self.users = dict(USERS if users is None else users)
        self.tls = tls
        self.workdir = Path(tempfile.mkdtemp(prefix=f"tagbot-registry-{mode}-"))
        self.storage_dir = storage_dir or self.workdir / "storage"
        self.token_server: TokenServer | None = None
        self.realm: str | None = (
            None  # where the challenge sends clients (a proxy); None: the server
        )
        if mode == "token":
            self.token_server = TokenServer(self.workdir, self.users, expires_in=token_expires_in)
        self.port = 0
        self._fixed_port = port  # listen here (a registry restarted on the same storage)
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def host(self) -> str:
        """`127.0.0.1:PORT`, the registry part of image names."""
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The base URL of the registry API."""
        return f"{'https' if self.tls else 'http'}://{self.host}"

    def seeder(self, user: str | None = None) -> Seeder:
        """A Seeder logged in as `user` (default: the first user; anonymous mode: nobody)."""
        if self.mode == "anonymous":
            return Seeder(self.url, verify=self._verify())
        name = user or next(iter(self.users))
        return Seeder(self.url, name, self.users[name], verify=self._verify())

    def log_text(self) -> str:
        """What the registry wrote to stdout/stderr (for failure messages)."""
        path = self.workdir / "registry.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def start(self) -> RegistryServer:
        """Start the registry (and its token server) and wait until `/v2/` answers."""
        if self.token_server is not None:
            self.token_server.start()
        for _ in range(3):  # another process may grab the free port before the registry binds
            self.port = self._fixed_port or free_port()
            config = self._write_config()
            log = (self.workdir / "registry.log").open("wb")
            self._process = subprocess.Popen(
                [BINARY, "serve", str(config)], stdout=log, stderr=subprocess.STDOUT
            )
            log.close()
            if self._wait_ready():
                return self
            self._kill()
        self.stop()
        raise RuntimeError(f"docker-registry did not start:\n{self.log_text()[-2000:]}")

    def stop(self) -> None:
        """Stop the registry and the token server; remove the temporary directory."""
        self._kill()
        if self.token_server is not None:
            self.token_server.stop()
            self.token_server = None
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> RegistryServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _kill(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    def _verify(self) -> bool | ssl.SSLContext:
        if self.tls is None:
            return True
        return ssl.create_default_context(cadata=self.tls.cert_pem.decode("ascii"))

    def _wait_ready(self) -> bool:
        assert self._process is not None
        deadline = time.monotonic() + READY_TIMEOUT
        verify = self._verify()
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                return False
            try:
                with httpx.Client(verify=verify, timeout=2.0) as client:
                    if client.get(f"{self.url}/v2/").status_code in (200, 401):
                        return True
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        return False

    def _write_config(self) -> Path:
        lines = [
            "version: 0.1",
            "log:",
            "  level: error",
            "  accesslog:",
            "    disabled: true",
            "storage:",
            "  filesystem:",
            f"    rootdirectory: {self.storage_dir}",
            "  maintenance:",
            "    uploadpurging:",
            "      enabled: false",
            "http:",
            f"  addr: 127.0.0.1:{self.port}",
            "  secret: tagbot-test-secret",
            "health:",
            "  storagedriver:",
            "    enabled: false",
        ]
        if self.tls is not None:
            cert, key = certs.server_cert(self.tls).write(self.workdir, "server")
            lines[lines.index("health:") : lines.index("health:")] = [
                "  tls:",
                f"    certificate: {cert}",
                f"    key: {key}",
            ]
        lines += self._auth_config()
        lines += self._notifications_config()
        path = self.workdir / "config.yml"
        path.write_text("\n".join(lines) + "\n")
        return path

    def _notifications_config(self) -> list[str]:
        """Send manifest events (no blob events) to `notify`, retrying quickly."""
        if self.notify is None:
            return []
        url, authorization = self.notify
        return [
            "notifications:",
            "  endpoints:",
            "    - name: tagbot",
            f"      url: {url}",
            "      headers:",
            f"        Authorization: [{authorization}]",
            "      timeout: 2s",
            "      threshold: 3",
            "      backoff: 1s",
            "      ignoredmediatypes:",
            "        - application/octet-stream",
        ]

    def _auth_config(self) -> list[str]:
        if self.mode == "htpasswd":
            entries = [
                subprocess.run(
                    ["htpasswd", "-nbB", "-C", "4", user, password],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout.strip()
                for user, password in self.users.items()
            ]
            path = self.workdir / "htpasswd"
            path.write_text("\n".join(entries) + "\n")
            return ["auth:", "  htpasswd:", "    realm: tagbot-test", f"    path: {path}"]
        if self.mode == "token":
            assert self.token_server is not None
            return [
                "auth:",
                "  token:",
                f"    realm: {self.realm or self.token_server.realm}",
                f"    service: {SERVICE}",
                f"    issuer: {ISSUER}",
                f"    rootcertbundle: {self.token_server.cert_path}",
            ]
        return []
