"""tagbot/editor/yamldoc.py: composing, locators, scalar reads and the alias-aware walk."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml.nodes import ScalarNode

from tagbot.editor import yamldoc
from tagbot.errors import EditError


@pytest.mark.parametrize(
    ("parts", "text"),
    [
        ((), ""),
        (("spec", "containers", 0, "image"), "spec.containers[0].image"),
        (("sast:container", "image"), '"sast:container".image'),
        ((".build-image",), '".build-image"'),
        (("redis-ha", "exporter_x", "image"), "redis-ha.exporter_x.image"),
        (("a b", 2, 3), '"a b"[2][3]'),
    ],
    ids=["root", "dotted", "colon-quoted", "dot-quoted", "dash-underscore", "space-and-indexes"],
)
def test_dotted(parts: tuple[yamldoc.PathPart, ...], text: str) -> None:
    assert yamldoc.dotted(parts) == text


def test_compose_documents_and_prefix() -> None:
    roots = yamldoc.compose("a: 1\n---\nb: 2\n")
    doc = yamldoc.Document("f.yaml", "doc[2]:", roots[1])
    assert len(roots) == 2 and doc.locator(("b",)) == "doc[2]:b"


def test_compose_error_names_the_line() -> None:
    with pytest.raises(EditError, match=r"^not YAML: .* at line 2$"):
        yamldoc.compose("a: b\n  c: d\n")


@pytest.mark.parametrize(
    ("text", "value"),
    [("k: ''\n", ""), ("k:\n", ""), ("k: ~\n", ""), ("k: null\n", ""), ("k: 16\n", "16"),
     ("k: 'x'\n", "x"), ("k: [a]\n", None)],
    ids=["empty-quoted", "empty", "tilde", "null", "int", "quoted", "sequence"],
)  # fmt: skip
def test_text(text: str, value: str | None) -> None:
    (root,) = yamldoc.compose(text)
    assert yamldoc.text(yamldoc.get(root, "k")) == value


def test_scalars_skip_merge_keys_and_keep_the_first_duplicate() -> None:
    (root,) = yamldoc.compose("base: &b {image: x}\nm:\n  <<: *b\n  tag: 1\n  tag: 2\n")
    assert {k: v.value for k, v in yamldoc.scalars(yamldoc.get(root, "m")).items()} == {"tag": "1"}


def test_walk_visits_aliased_maps_once_and_merges_in_place() -> None:
    text = """\
base: &b
  image: a:1
copy: *b
merged:
  <<: *b
  tag: 2
inline:
  <<: {image: "c:3"}
"""
    (root,) = yamldoc.compose(text)
    scalars = [
        (yamldoc.dotted(v.path), v.node.value)
        for v in yamldoc.walk(root)
        if isinstance(v.node, ScalarNode)
    ]
    assert scalars == [
        ("base.image", "a:1"),
        ("merged.image", "a:1"),  # merged keys read as the mapping's own; deduped by extract
        ("merged.tag", "2"),
        ("inline.image", "c:3"),
    ]


def test_walk_survives_an_alias_bomb() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    (root,) = yamldoc.compose("\n".join(lines) + "\n")
    assert sum(1 for _ in yamldoc.walk(root)) < 200


def test_field_marks() -> None:
    (root,) = yamldoc.compose('a:\n  b: "x"\n')
    node = yamldoc.get(yamldoc.get(root, "a"), "b")
    assert isinstance(node, ScalarNode)
    f = yamldoc.field(node, "tag")
    assert (f.role, f.value, f.line, f.column, f.start, f.end, f.style) == (
        "tag", "x", 2, 6, 8, 11, '"',
    )  # fmt: skip


DEEP = {
    "flow.yaml": "image: " + "[" * 28_000 + "\n",
    "compact.yaml": "image: x\n---\n" + "- " * 28_000 + "x\n",
    "keys.yaml": "image: x\n---\n" + "? " * 28_000 + "x\n",
}


@pytest.mark.parametrize("text", DEEP.values(), ids=DEEP.keys())
def test_depth_is_bounded_before_composing(text: str) -> None:
    with pytest.raises(EditError, match=r"^not YAML: nested too deeply \(over 1000 levels"):
        yamldoc.compose(text)


def test_real_nesting_passes_the_bound() -> None:
    text = "a: " + "[" * 900 + "]" * 900 + "\n" + "- " * 900 + "x\n"
    yamldoc.check_depth(text)
    yamldoc.check_depth('a: "' + "[" * 5000 + '"\n', limit=10_000)


def test_hostile_nesting_is_a_file_problem_not_a_crash(tmp_path: Path) -> None:
    """28,000 levels overflowed the C composer's stack (SIGSEGV): run it in its own process."""
    for name, text in DEEP.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "good.yaml").write_text("image: nginx:1.25\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "tagbot", "scan", "--json", str(tmp_path)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    assert [r["image"] for r in document["references"]] == ["docker.io/library/nginx"]
    assert [(p["where"], p["error"][:40]) for p in document["problems"]] == [
        (name, "not YAML: nested too deeply (over 1000 l") for name in sorted(DEEP)
    ]
