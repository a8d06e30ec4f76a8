"""Tests for tagbot/editor/splice.py and quoting.py: character-level scalar edits and key inserts."""

from __future__ import annotations

import pytest

from tagbot.editor.quoting import needs_quotes, quote, render
from tagbot.editor.splice import (
    Splice,
    apply_splices,
    insert_key,
    locate,
    overlaps,
    replace_value,
)
from tagbot.errors import EditError
from tests.editor.test_apply_helpers import node_at


def _replace(text: str, path: str, new: str) -> str:
    node = node_at(text, path)
    splice = replace_value(text, node.start_mark.index, node.end_mark.index, node.value, new)
    return text if splice is None else apply_splices(text, [splice])


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("1.10", True),
        ("17", True),
        ("2024.01", True),
        ("1e3", True),
        ("yes", True),
        ("no", True),
        ("on", True),
        ("Off", True),
        ("y", True),
        ("null", True),
        ("~", True),
        ("true", True),
        ("0x1F", True),
        ("0o17", True),
        ("1_000", True),
        (".inf", True),
        ("2024-01-15", True),
        ("", True),
        ("1.2.3", False),
        ("v1.10", False),
        ("1.27-alpine", False),
        ("latest", False),
        ("2024.01.15", False),
        ("sha256:abc", False),
    ],
    ids=lambda v: repr(v) if isinstance(v, str) else str(v),
)
def test_needs_quotes(value: str, quoted: bool) -> None:
    assert needs_quotes(value) is quoted


@pytest.mark.parametrize(
    ("value", "style", "expected"),
    [("a'b", "'", "'a''b'"), ('a"b\\', '"', '"a\\"b\\\\"'), ("a\nb", '"', '"a\\x0ab"')],
    ids=["single-doubles-quote", "double-escapes", "double-escapes-control"],
)
def test_quote_escapes(value: str, style: str, expected: str) -> None:
    assert quote(value, style) == expected


def test_render_plain_or_double() -> None:
    assert render("1.2.3") == "1.2.3"
    assert render("1.10") == '"1.10"'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tag: 1.2.3 # pin\n", "tag: 1.2.4 # pin\n"),
        ("tag: '1.2.3'\n", "tag: '1.2.4'\n"),
        ('tag: "1.2.3"\n', 'tag: "1.2.4"\n'),
        ("tag: 1.9\n", 'tag: "1.10"\n'),
        ("tag: '1.9'\n", "tag: '1.10'\n"),
        ("tag: &t 1.9\n", 'tag: &t "1.10"\n'),
        ("tag: !!str 1.2.3\n", "tag: !!str 1.2.4\n"),
        ("tag: |-\n  1.2.3\n", "tag: |-\n  1.2.4\n"),
        ("tag:\n", 'tag: "1.10"\n'),
        ("{tag: 1.2.3}\n", "{tag: 1.2.4}\n"),
    ],
    ids=[
        "plain",
        "single",
        "double",
        "plain-numeric-quoted",
        "single-numeric-kept",
        "anchored",
        "tagged",
        "block",
        "empty",
        "flow",
    ],
)
def test_replace_value(text: str, expected: str) -> None:
    new = "1.10" if "1.9" in text or text == "tag:\n" else "1.2.4"
    assert _replace(text, "tag", new) == expected


def test_replace_only_changed_characters() -> None:
    text = "tag: 1.2.3\n"
    node = node_at(text, "tag")
    splice = replace_value(text, node.start_mark.index, node.end_mark.index, "1.2.3", "1.2.4")
    assert splice == Splice(9, 10, "4")


def test_replace_refuses_unsafe_value() -> None:
    with pytest.raises(EditError, match="unsafe"):
        replace_value("tag: 1\n", 5, 6, "1", "1\n  evil: x")


def test_replace_refuses_escaped_source() -> None:
    text = 'tag: "1.\\x32"\n'
    node = node_at(text, "tag")
    with pytest.raises(EditError, match="differs"):
        replace_value(text, node.start_mark.index, node.end_mark.index, node.value, "1.3")


def test_locate_skips_properties() -> None:
    text = "a: &x !!str '1'\n"
    node = node_at(text, "a")
    scalar = locate(text, node.start_mark.index, node.end_mark.index)
    assert text[scalar.start : scalar.end] == "'1'"
    assert scalar.style == "'"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- name: a\n  newName: b\n", "- name: a\n  newName: b\n  newTag: v2\n"),
        ("-   name: a # c\n", "-   name: a # c\n    newTag: v2\n"),
        ("- name: a\r\n", "- name: a\r\n  newTag: v2\r\n"),
        ("- name: a", "- name: a\n  newTag: v2"),
        ("x: 1\r\n- name: a", "x: 1\r\n- name: a\r\n  newTag: v2"),
        ("- {name: a, newName: b}\n", "- {name: a, newName: b, newTag: v2}\n"),
    ],
    ids=["block", "wide-dash-comment", "crlf", "no-final-newline", "no-final-crlf", "flow"],
)
def test_insert_key(text: str, expected: str) -> None:
    last = text.rfind("b") if "newName" in text else text.index(": a") + 2
    splice = insert_key(text, last, last + 1, [("newTag", "v2")])
    assert apply_splices(text, [splice]) == expected


def test_insert_key_quotes_numeric() -> None:
    text = "- name: a\n"
    splice = insert_key(text, 8, 9, [("newTag", "1.10"), ("digest", "sha256:" + "a" * 64)])
    assert apply_splices(text, [splice]).splitlines()[1:] == [
        '  newTag: "1.10"',
        f"  digest: sha256:{'a' * 64}",
    ]


def test_apply_splices_from_the_end() -> None:
    text = "0123456789"
    out = apply_splices(text, [Splice(1, 2, "AA"), Splice(8, 9, "B"), Splice(5, 5, "+")])
    assert out == "0AA234+567B9"


def test_apply_splices_refuses_overlap() -> None:
    with pytest.raises(EditError, match="overlapping"):
        apply_splices("0123", [Splice(0, 2, "x"), Splice(1, 3, "y")])


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (Splice(0, 2, ""), Splice(2, 4, ""), False),
        (Splice(0, 3, ""), Splice(2, 4, ""), True),
        (Splice(2, 2, ""), Splice(2, 2, ""), True),
        (Splice(2, 2, ""), Splice(5, 6, ""), False),
    ],
    ids=["adjacent", "overlap", "same-insert", "apart"],
)
def test_overlaps(a: Splice, b: Splice, expected: bool) -> None:
    assert overlaps(a, b) is expected
