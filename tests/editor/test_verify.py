"""Tests for tagbot/editor/verify.py: re-parse an edit and accept only the intended changes."""

from __future__ import annotations

import pytest

from tagbot.editor.verify import Baseline, Expected

TEXT = "a:\n  tag: 1.2.3\n  other: x # note\nlist: [1, 2]\n"
TAG_AT = TEXT.index("1.2.3")
TAG = Expected(TAG_AT, TAG_AT + 5, "1.2.4")


def test_intended_change_passes() -> None:
    assert Baseline(TEXT).check(TEXT.replace("1.2.3", "1.2.4"), [TAG]) is None


def test_no_edit_and_no_expectation_passes() -> None:
    assert Baseline(TEXT).check(TEXT, []) is None


@pytest.mark.parametrize(
    ("after", "reason"),
    [
        (TEXT.replace("1.2.3", "1.2.4").replace("x #", "y #"), "value at line 3 would change"),
        (TEXT.replace("1.2.3", "1.2.5"), "would read '1.2.5', not '1.2.4'"),
        (TEXT.replace("1.2.3", "1.2.4").replace("[1, 2]", "[1]"), "sequence at line 4"),
        (TEXT.replace("1.2.3", "1.2.4\n  evil: x"), "keys of the mapping at line 2"),
        (TEXT.replace("1.2.3", '"1.2.4'), "does not parse"),
        (TEXT, "would read '1.2.3', not '1.2.4'"),
        (TEXT.replace("1.2.3", "1.2.4") + "---\nb: 1\n", "number of documents"),
    ],
    ids=["other-value", "wrong-value", "structure", "new-key", "broken", "missing", "new-doc"],
)
def test_unintended_change_is_named(after: str, reason: str) -> None:
    found = Baseline(TEXT).check(after, [TAG])
    assert found is not None
    assert reason in found


def test_changed_value_must_read_as_string() -> None:
    text = "tag: v1\n"
    found = Baseline(text).check("tag: 17\n", [Expected(5, 7, "17")])
    assert found is not None and "would not read as a string" in found
    assert Baseline(text).check('tag: "17"\n', [Expected(5, 7, "17")]) is None


def test_retagged_number_passes_as_string() -> None:
    # `tag: 16` is an int; the edit turns it into the string "17" on purpose.
    assert Baseline("tag: 16\n").check('tag: "17"\n', [Expected(5, 7, "17")]) is None


def test_inserted_key_passes_only_when_expected() -> None:
    text = "- name: a\n"
    after = "- name: a\n  newTag: v2\n"
    anchor = Expected(8, 9, None, (("newTag", "v2"),))
    assert Baseline(text).check(after, [anchor]) is None
    found = Baseline(text).check(after, [])
    assert found is not None and "keys of the mapping" in found
    wrong = Baseline(text).check(
        "- name: a\n  newTag: 17\n", [Expected(8, 9, None, (("newTag", "17"),))]
    )
    assert wrong is not None and "would not read as a string" in wrong


def test_anchor_change_reaches_aliases() -> None:
    text = "a: &v 1.2.3\nb: *v\n"
    assert Baseline(text).check(text.replace("1.2.3", "1.2.4"), [Expected(3, 11, "1.2.4")]) is None


def test_unparseable_original_refuses_every_edit() -> None:
    text = "a: 1.2.3\n---\nb: [1\n"
    found = Baseline(text).check(text.replace("1.2.3", "1.2.4"), [Expected(3, 8, "1.2.4")])
    assert found is not None and found.startswith("the file does not parse (")
    assert "at line 4" in found


def test_template_documents_leave_the_others_checkable() -> None:
    text = "a: 1.2.3\n---\n{{- if .Values.x }}\nb: 1\n{{- end }}\n"
    baseline = Baseline(text)
    assert baseline.check(text.replace("1.2.3", "1.2.4"), [Expected(3, 8, "1.2.4")]) is None
    assert baseline.check(text.replace("1.2.3", "1.2.5"), [Expected(3, 8, "1.2.4")]) == (
        "the value at line 1 would read '1.2.5', not '1.2.4'"
    )
