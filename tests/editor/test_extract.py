"""tagbot/editor/extract.py: the seam's contract: problems, field spans, order, classification."""

from __future__ import annotations

import dataclasses

import pytest

from tagbot.editor import extract, textio
from tagbot.editor.extract import Extraction
from tagbot.models import Field, Problem

POD = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: {value}\n"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("image: nginx:1\n  nested: bad\n", "not YAML: mapping values are not allowed"),
        ("images: [a, b\n", "not YAML: did not find expected ',' or ']' at line 2"),
        ("image: *nowhere\n", "not YAML: found undefined alias at line 1"),
        ("image: 'open\n", "not YAML: found unexpected end of stream at line 2"),
        ("\timage: x:1\n", "not YAML: found character that cannot start any token at line 1"),
        ("image: [" * 5000 + "\n", "not YAML"),
    ],
    ids=[
        "bad-indent",
        "open-flow",
        "undefined-alias",
        "open-quote",
        "tab",
        "deep",
    ],
)
def test_not_yaml_is_a_problem(text: str, error: str) -> None:
    result = extract("f.yaml", text)
    assert result.occurrences == ()
    assert result.problem is not None and result.problem.where == "f.yaml"
    assert result.problem.error.startswith(error) and not result.problem.transient
    assert result.problem.level == "error"


TEMPLATE = 'spec:\n  image: "{{ .Values.image }}"\n  {{- if .Values.x }}\n  a: b\n  {{- end }}\n'
SKIPPED = "skipped: a Go template, not YAML until it is rendered"


def test_a_go_template_is_skipped_at_info_level() -> None:
    assert extract("f.yaml", TEMPLATE) == Extraction((), Problem("f.yaml", SKIPPED, level="info"))


def test_the_documents_that_parse_still_give_their_references() -> None:
    pod = POD.format(value="nginx:1")
    text = pod + "---\n" + TEMPLATE + "---\n" + pod
    result = extract("f.yaml", text)
    assert result.problem == Problem("f.yaml", f"{SKIPPED} (documents 2)", level="info")
    assert [(o.locator, o.line) for o in result.occurrences] == [
        ("doc[1]:spec.containers[0].image", 5),
        ("doc[3]:spec.containers[0].image", 17),
    ]


def test_broken_yaml_beside_a_template_is_still_a_problem() -> None:
    text = POD.format(value="nginx:1") + "---\n" + TEMPLATE + "---\na: [b\n"
    result = extract("f.yaml", text)
    assert result.occurrences == () and result.problem is not None
    assert result.problem.level == "error" and result.problem.error.startswith("not YAML")


@pytest.mark.parametrize(
    "text",
    ["", "---\n---\n", "# image: nginx:1\n", "image:\n", "[image, 'a:1']\n", "? [image]\n: x:1\n",
     "image: !!binary aGk=\n", "1: {2: [image: x]}\n", "apiVersion: v1\nkind: Service\n"],
    ids=["empty", "empty-docs", "comment", "null", "top-level-list", "complex-key", "binary-tag",
         "int-keys", "no-candidate"],
)  # fmt: skip
def test_odd_input_is_not_a_crash(text: str) -> None:
    assert extract("f.yaml", text) == Extraction()


@pytest.mark.parametrize(
    ("value", "style", "span"),
    [
        ("nginx:1.25", None, "nginx:1.25"),
        ('"nginx:1.25"', '"', '"nginx:1.25"'),
        ("'nginx:1.25'", "'", "'nginx:1.25'"),
        ("nginx:1.25   # trailing", None, "nginx:1.25"),
    ],
    ids=["plain", "double", "single", "trailing-comment"],
)
def test_field_spans_the_scalar_with_its_quotes(value: str, style: str | None, span: str) -> None:
    text = POD.format(value=value)
    (occ,) = extract("pod.yaml", text).occurrences
    (f,) = occ.fields
    assert (text[f.start : f.end], f.style, f.value, f.line, f.column) == (
        span, style, "nginx:1.25", 5, 12,
    )  # fmt: skip


@pytest.mark.parametrize(
    "data",
    [
        "\ufeff# 주석 😀\napiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: nginx:1.25\n",
        "# é\r\napiVersion: v1\r\nkind: Pod\r\nspec:\r\n  containers:\r\n  - image: nginx:1.25\r\n",
    ],
    ids=["bom-and-non-ascii", "crlf"],
)
def test_spans_index_characters_of_the_text_without_bom(data: str) -> None:
    source = textio.decode(data.encode("utf-8"))
    (occ,) = extract("pod.yaml", source.text).occurrences
    f = occ.fields[0]
    assert source.text[f.start : f.end] == "nginx:1.25"
    assert (occ.line, f.line, f.column) == (6, 6, 12)


def test_occurrences_in_file_order_with_fields_sorted() -> None:
    text = """\
b:
  image:
    tag: "2"
    repository: b/b
a:
  image: a/a:1
"""
    result = extract("values.yaml", text)
    assert [o.locator for o in result.occurrences] == ["b.image", "a.image"]
    first = result.occurrences[0]
    assert [f.role for f in first.fields] == ["tag", "repository"]
    assert first.line == 3 and all(isinstance(f, Field) for f in first.fields)


def test_records_are_frozen() -> None:
    result = extract("pod.yaml", POD.format(value="nginx:1"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.problem = None  # type: ignore[misc]
