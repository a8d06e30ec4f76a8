"""tagbot/editor/embedded.py: YAML inside literal block scalars is read in place, spliced inside,
and verified by re-parsing the inner documents."""

from __future__ import annotations

import pytest

from tagbot.editor import apply, extract, yamldoc
from tagbot.editor.embedded import block
from tagbot.editor.verify import Baseline, Expected
from tagbot.models import Update
from tests.editor.summary import found

APP = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec:\n  source:\n    helm:\n"
VALUES = APP + "      values: |\n        image:\n          repository: a/b\n          tag: '1'\n"


def test_fields_point_into_the_outer_file() -> None:
    (occ,) = extract("app.yaml", VALUES).occurrences
    tag = occ.fields[-1]
    assert (occ.locator, tag.line, tag.column) == ("spec.source.helm.values|image", 9, 16)
    assert VALUES[tag.start : tag.end] == "'1'"


def test_crlf_block() -> None:
    text = VALUES.replace("\n", "\r\n")
    (occ,) = extract("app.yaml", text).occurrences
    applied = apply("app.yaml", text, [Update(occ, "2")])
    assert applied.refused == () and applied.edit.after == text.replace("'1'", "'2'")


def test_inner_documents_and_duplicates() -> None:
    text = (
        APP
        + "      values: |\n        a: {image: x/y:1}\n        ---\n        b:\n          image: x/z:2\n"
    )
    text += "          image: x/z:3\n"
    inner = "spec.source.helm.values|doc[2]:b.image"
    assert found(text, "app.yaml") == [
        ("argocd", "spec.source.helm.values|doc[1]:a.image", 7, "x/y:1", None),
        ("argocd", inner, 10, "x/z:2", "duplicate key at line 10"),
        ("argocd", inner, 11, "x/z:3", "duplicate key at line 11"),
    ]


@pytest.mark.parametrize(
    "values",
    [
        "      values: >\n        image: a/b:1\n",  # folded: its value is not its lines
        "      values: |2\n          image: a/b:1\n",  # an indentation indicator
        "      values: |\n        image: [a/b:1\n",  # not YAML: just a string
        "      values: 'image: a/b:1'\n",  # a one-line string
    ],
    ids=["folded", "indicator", "not-yaml", "quoted"],
)
def test_other_strings_are_not_read(values: str) -> None:
    assert found(APP + values, "app.yaml") == []


def test_verify_refuses_any_other_change_inside() -> None:
    (root,) = yamldoc.compose(VALUES)
    values = yamldoc.get(
        yamldoc.get(yamldoc.get(yamldoc.get(root, "spec"), "source"), "helm"), "values"
    )
    where = block(VALUES, values)
    assert where is not None
    start = VALUES.index("'1'")
    want = [Expected(start, start + 3, "2")]
    baseline = Baseline(VALUES)
    assert baseline.check(VALUES.replace("'1'", "'2'"), want) is None
    broken = VALUES.replace("'1'", "'2'").replace("a/b", "a/c")
    assert baseline.check(broken, want) == (
        "inside the block scalar at line 6: the value at line 2 would change ('a/b' to 'a/c')"
    )
    assert where.inner(where.outer(5)) == 5
