"""The editor's edges: read a file's text keeping its BOM, write it back atomically."""

from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tagbot.errors import EditError

BOM = "\ufeff"
MAX_BYTES = 4 * 1024 * 1024
# tempfile.mkstemp's names: 8 characters of [a-z0-9_] between our prefix and suffix.
TEMP_NAME = re.compile(r"\..+\.(?:tagbot-[a-z0-9_]{8}\.tmp|[a-z0-9_]{8}\.tagbot)\Z")
STALE_SECONDS = 60.0


@dataclass(frozen=True)
class SourceText:
    """A file's text without its BOM (line endings untouched) and whether it had one."""

    text: str
    bom: bool = False


def decode(data: bytes) -> SourceText:
    """Decode UTF-8 bytes, keeping CRLF as is; raises EditError for binary or non-UTF-8 data."""
    if b"\x00" in data:
        raise EditError("binary file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EditError(f"not UTF-8 (byte {exc.start})") from None
    if text.startswith(BOM):
        return SourceText(text[1:], bom=True)
    return SourceText(text)


def read(path: Path, max_bytes: int = MAX_BYTES) -> SourceText:
    """Read a text file; raises EditError for oversized, binary or non-UTF-8 files, and for
    anything but a regular file (`/dev/zero`, a named pipe would never end)."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise EditError("not a regular file")
    size = info.st_size
    if size > max_bytes:
        raise EditError(f"larger than {max_bytes} bytes ({size})")
    return decode(path.read_bytes())


def write_atomic(path: Path, source: SourceText) -> None:
    """Replace `path` with `source` through a temp file and rename, keeping the file's mode.

    The temp file is `.<name>.tagbot-<random>.tmp` beside it; stale ones a killed run left in
    that folder are removed first (`sweep`).
    """
    data = ((BOM if source.bom else "") + source.text).encode("utf-8")
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    sweep(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.tagbot-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sweep(directory: Path, older_than: float = STALE_SECONDS) -> list[Path]:
    """Remove tagbot's own temp files in `directory` not touched for `older_than` seconds.

    Only names tagbot makes match (`.<name>.tagbot-<random>.tmp`, and `.<name>.<random>.tagbot`
    from before); a younger one may belong to a run still writing. Returns what was removed.
    """
    removed: list[Path] = []
    try:
        entries = list(directory.iterdir())
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not TEMP_NAME.match(entry.name) or entry.is_symlink():
            continue
        try:
            if now - entry.stat().st_mtime < older_than or not entry.is_file():
                continue
            entry.unlink()
        except OSError:
            continue  # gone already, or not ours to remove
        removed.append(entry)
    return removed
