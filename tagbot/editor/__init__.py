"""The editor part: find image references in YAML text (`extract`) and rewrite them (`apply`)."""

from __future__ import annotations

from tagbot.editor.apply import Applied, apply
from tagbot.editor.extract import Extraction, extract
from tagbot.editor.load import Loaded, load
from tagbot.editor.walk import iter_files

__all__ = ["Applied", "Extraction", "Loaded", "apply", "extract", "iter_files", "load"]
