"""Rendering, all of it: the JSON contract, console text, Markdown job summaries, tag explanations.

The pipeline returns records; commands pick a renderer from here. Nothing here does I/O but
writing to stdout/stderr and the job summary file.
"""

from __future__ import annotations

from tagbot.report.console import (
    print_console,
    print_problems,
    print_repositories,
    print_scan,
    print_set,
    proposal_state,
    scan_table,
)
from tagbot.report.jsondoc import (
    listing_json,
    print_json,
    problem_json,
    proposal_json,
    reference_json,
    report_json,
    repositories_json,
    scan_json,
    selection_json,
    set_json,
    update_json,
)
from tagbot.report.markdown import markdown, write_step_summary
from tagbot.report.tags import render_text

__all__ = [
    "listing_json",
    "markdown",
    "print_console",
    "print_json",
    "print_problems",
    "print_repositories",
    "print_scan",
    "print_set",
    "problem_json",
    "proposal_json",
    "proposal_state",
    "reference_json",
    "render_text",
    "report_json",
    "repositories_json",
    "scan_json",
    "scan_table",
    "selection_json",
    "set_json",
    "update_json",
    "write_step_summary",
]
