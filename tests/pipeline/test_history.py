"""Line histories from real git: which commit put a value on a line, and what stood before."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tagbot.pipeline.history import History, holds_value, introduced, value_before
from tests.fakeforge.gitrepo import git


def commit(root: Path, text: str, when: str, author: str) -> None:
    (root / "f.yaml").write_text(text, encoding="utf-8")
    git("add", "f.yaml", cwd=root)
    dated = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": author}
    git("commit", "--quiet", "-m", when, cwd=root, env=dated)


def test_the_commit_that_put_the_value_there_not_the_last_to_touch_the_line(
    tmp_path: Path,
) -> None:
    git("init", "--quiet", str(tmp_path))
    commit(tmp_path, "a: 1\nimage: x:1.0.0\n", "2026-11-01T00:00:00Z", "Alice")
    commit(tmp_path, "a: 1\nimage: x:1.1.0\n", "2026-11-05T00:00:00Z", "tagbot")
    commit(tmp_path, "z: 0\na: 1\nimage: x:1.1.0  # ok\n", "2026-11-07T00:00:00Z", "Bob")

    changes = History(tmp_path).changes("f.yaml", 3)

    assert [c.author for c in changes] == ["Bob", "tagbot", "Alice"]
    found = introduced(changes, "1.1.0")
    assert found is not None and found.author == "tagbot"
    assert found.when == datetime(2026, 11, 5, tzinfo=UTC)
    assert value_before(found, "1.1.0") == "1.0.0"
    assert introduced(changes, "9.9.9") is None
    # The newest two commits kept 1.1.0 on the line: the whole history is read to tell.
    history = History(tmp_path)
    assert history.introduction("f.yaml", 3, "1.1.0") == found
    assert history.introduction("f.yaml", 3, "9.9.9") is None
    assert len(history.changes("f.yaml", 3, 2)) == 2


def test_no_history_is_said_once(tmp_path: Path) -> None:
    history = History(tmp_path)
    assert history.problem is not None and "not a git checkout" in history.problem
    assert history.changes("f.yaml", 1) == []


def test_values_are_whole_tokens() -> None:
    assert holds_value('newTag: "1.4.0"', "1.4.0")
    assert not holds_value('newTag: "1.4.0-rc.1"', "1.4.0")
    assert not holds_value("image: x:11.4.0", "1.4.0")
    assert holds_value("image: x:1.4.0@sha256:ab", "1.4.0")
