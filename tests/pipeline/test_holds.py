"""`.tagbot/holds.yaml`: read with a bad file or entry a ConfigError on its line, written back
sorted."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagbot.errors import ConfigError
from tagbot.pipeline import holds
from tagbot.pipeline.holds import Hold, HoldsFile

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / ".tagbot").mkdir()
    (tmp_path / holds.HOLDS_FILE).write_text(text, encoding="utf-8")
    return tmp_path


def test_no_file_holds_nothing(tmp_path: Path) -> None:
    assert holds.read(tmp_path) == HoldsFile([], [])


def test_the_example_file_is_empty() -> None:
    assert holds.read(ROOT / "examples" / "environments") == HoldsFile([], [])


def test_entries_are_normalised(tmp_path: Path) -> None:
    text = """\
holds:
  - {image: nginx, environment: prod, tag: "1.27.0"}
released:
  - {image: ghcr.io/acme/api, environment: prod, tag: "1.4"}
"""
    found = holds.read(write(tmp_path, text))
    why = "in .tagbot/holds.yaml"
    assert found.holds == [Hold("docker.io/library/nginx", "prod", "1.27.0", why)]
    assert found.released == [Hold("ghcr.io/acme/api", "prod", "1.4", why)]
    assert found.held("docker.io/library/nginx", "prod") == found.holds
    assert found.is_released(Hold("ghcr.io/acme/api", "prod", "1.4"))


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("holds: [\n", ":2: not YAML: "),
        ("- a\n", ":1: must hold a mapping with `holds` and `released`"),
        ("holds: {}\n", ":1: holds must be a list"),
        ("holds:\n  - {image: nginx, environment: prod}\n", ":2: holds[0]: needs tag"),
        ("holds:\n  - x\n  - ghcr.io/acme/api\n", ":2: holds[0]: must be a mapping with "),
        ("released:\n  - {image: a, environment: prod,\n     tag: 1.4}\n", ":3: released[0]: "),
        ("holds:\n  - {image: Bad Name, environment: dev, tag: '1'}\n", ":2: holds[0]: image: "),
        ("holds:\n  - {image: a, environment: 3, tag: '1'}\n", ":2: holds[0]: environment "),
    ],
    ids=["not-yaml", "not-mapping", "not-list", "no-tag", "not-entry", "number", "image", "env"],
)
def test_a_bad_file_or_entry_is_a_config_error_with_its_line(
    tmp_path: Path, text: str, error: str
) -> None:
    """One bad entry stops the run (exit 2): the hold it meant must not be lost silently."""
    with pytest.raises(ConfigError) as caught:
        holds.read(write(tmp_path, text))
    assert str(caught.value).startswith(".tagbot/holds.yaml" + error), str(caught.value)


def test_written_back_sorted_with_its_header() -> None:
    file = HoldsFile([Hold("b", "prod", "2"), Hold("a", "dev", "1")], [])
    assert file.text() == holds.HEADER + (
        "holds:\n"
        '  - image: a\n    environment: dev\n    tag: "1"\n'
        '  - image: b\n    environment: prod\n    tag: "2"\n'
        "released: []\n"
    )
