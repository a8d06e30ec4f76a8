"""The editor's edges: read a file's text keeping its BOM, write it back atomically."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tagbot.errors import EditError

BOM = "\ufeff"
MAX_BYTES = 4 * 1024 * 1024


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
    """Read a text file; raises EditError for oversized, binary or non-UTF-8 files."""
    size = path.stat().st_size
    if size > max_bytes:
        raise EditError(f"larger than {max_bytes} bytes ({size})")
    return decode(path.read_bytes())


def write_atomic(path: Path, source: SourceText) -> None:
    """Replace `path` with `source` through a temp file and rename, keeping the file's mode."""
    data = ((BOM if source.bom else "") + source.text).encode("utf-8")
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tagbot")
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
