"""tagbot/models.py: the records' behaviour that callers rely on."""

from __future__ import annotations

from tagbot.models import FileEdit, Problem, RunReport


def test_info_notes_do_not_fail_a_run() -> None:
    info = Problem("chart/templates/a.yaml", "skipped: a Helm chart template", level="info")
    assert RunReport(problems=(info,)).exit_code == 0
    assert RunReport(problems=(info, Problem("b.yaml", "not YAML"))).exit_code == 1
    assert Problem("b.yaml", "x").level == "error"


def test_diff_names_both_sides() -> None:
    edit = FileEdit("apps/a.yaml", "image: a:1\n", "image: a:2\n")
    assert edit.diff() == (
        "--- a/apps/a.yaml\n+++ b/apps/a.yaml\n@@ -1 +1 @@\n-image: a:1\n+image: a:2\n"
    )
    assert FileEdit("a.yaml", "x\n", "x\n").diff() == ""
