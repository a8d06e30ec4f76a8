"""What every file kind shares: a document's header, and the record a kind registers."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from ruamel.yaml.nodes import MappingNode, Node

from tagbot.editor import yamldoc
from tagbot.editor.yamldoc import Document
from tagbot.models import Occurrence

Finder = Callable[[Document], Iterator[Occurrence]]
# Markers are comments, not document shape: they are read over the whole file, and only on
# scalars that no document kind has claimed (their start indices).
FileFinder = Callable[[Sequence[Document], str, set[int]], Iterator[Occurrence]]


@dataclass(frozen=True)
class Header:
    """What a document declares about itself: the file's base name, apiVersion and kind."""

    name: str
    api: str
    kind: str
    mapping: bool

    @property
    def typed(self) -> bool:
        """True when the document names both its apiVersion and its kind."""
        return bool(self.api and self.kind)


def header(path: str, root: Node) -> Header:
    """The header of a document of the file at `path`."""
    api = yamldoc.text(yamldoc.get(root, "apiVersion")) or ""
    kind = yamldoc.text(yamldoc.get(root, "kind")) or ""
    return Header(posixpath.basename(path), api, kind, isinstance(root, MappingNode))


def never(_: object) -> bool:
    """A detection that never matches."""
    return False


@dataclass(frozen=True)
class FileKind:
    """One file kind: how it finds references, and how a document is recognised as its.

    `claims` reads the header (a name or apiVersion that says what the document is);
    `resembles` reads the shape of a mapping that declares nothing. A document is claimed by
    the first kind in registry order that claims it, else by the first that it resembles.
    """

    find: Finder | None = None
    claims: Callable[[Header], bool] = never
    resembles: Callable[[MappingNode], bool] = never
    whole_file: FileFinder | None = None
