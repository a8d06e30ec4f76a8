"""`references:` rules: a stated identity makes an uncertain reference rewritable, and a tag
under a key no convention names becomes a reference; nothing else changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagbot import pipeline
from tagbot.config import load_config
from tests.e2e.conftest import MakeWorld

pytestmark = pytest.mark.integration

VALUES = """\
global:
  imageRegistry: "{host}"   # applies to some sub-charts only: tagbot cannot tell
app:
  image:
    repository: {ns}/web
    tag: 2.0.1-alpine
  version: "1.4.0"          # the api's tag, under a key of this chart's own
"""


@pytest.fixture(autouse=True)
def no_docker_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("DOCKER_CONFIG", raising=False)


def test_stated_references_are_found_and_updated(make_world: MakeWorld, tmp_path: Path) -> None:
    world = make_world()
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "values.yaml").write_text(VALUES.format(host=world.registry.host, ns=world.ns))
    config = repo / "tagbot.yaml"
    config.write_text("defaults: {}\n")
    found = pipeline.discover([repo])
    [web] = [o for o in found.occurrences if o.locator == "app.image"]
    assert web.skip_reason == "identity uncertain: global.imageRegistry is set"
    assert pipeline.plan(load_config(config), repo).updates == ()

    config.write_text(
        "defaults: {}\nreferences:\n"
        f"  - {{file: values.yaml, locator: app.image, image: '{world.image('web')}'}}\n"
        f"  - {{file: '*.yaml', locator: app.version, image: '{world.image('api')}'}}\n"
    )
    plan = pipeline.plan(load_config(config), repo)

    assert plan.problems == ()
    moved = sorted((u.occurrence.locator, u.old_tag, u.new_tag) for u in plan.updates)
    assert moved == [
        ("app.image", "2.0.1-alpine", "2.1.0-alpine"),
        ("app.version", "1.4.0", "2.0.0"),
    ]
    [edit] = plan.edits
    assert edit.after == edit.before.replace("2.0.1-alpine", "2.1.0-alpine").replace(
        '"1.4.0"', '"2.0.0"'
    )


def test_a_bad_rule_is_a_config_error_with_its_line(tmp_path: Path) -> None:
    config = tmp_path / "tagbot.yaml"
    config.write_text("references:\n  - file: x.yaml\n    locator: 'a..b['\n    image: 'UPPER/x'\n")
    with pytest.raises(Exception, match=r"tagbot.yaml:3: references\[0\].locator"):
        load_config(config)


def test_set_with_the_config_rewrites_a_stated_reference(tmp_path: Path) -> None:
    (tmp_path / "values.yaml").write_text(VALUES.format(host="registry.example", ns="team"))
    target = "registry.example/team/web:2.1.0-alpine"
    without = pipeline.set_images(pipeline.parse_targets([target]), [tmp_path], write_files=False)
    assert without.updates == ()
    assert "matched no rewritable reference" in without.problems[0].error
    config = tmp_path / "tagbot.yaml"
    config.write_text(
        "references:\n  - {file: values.yaml, locator: app.image, image: registry.example/team/web}\n"
    )
    stated = load_config(config).stated_references()
    done = pipeline.set_images(pipeline.parse_targets([target]), [tmp_path], stated=stated)
    assert done.problems == ()
    assert [(u.old_tag, u.new_tag) for u in done.updates] == [("2.0.1-alpine", "2.1.0-alpine")]
    assert "tag: 2.1.0-alpine" in (tmp_path / "values.yaml").read_text()
