"""`pipeline.plan` and `pipeline.run` as a library: one call, named images, many plans at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tagbot import pipeline
from tagbot.config import load_config
from tests.e2e.conftest import MakeWorld
from tests.e2e.world import DEPLOY, EXPECTED, OVERLAY, World
from tests.fakeforge.gitrepo import git

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def no_docker_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process plans read no developer credentials."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("DOCKER_CONFIG", raising=False)


def moves(plan: pipeline.Plan) -> list[tuple[str, str, str | None, str]]:
    """(file, image, from, to) of each update, sorted."""
    return sorted(
        (u.occurrence.path, u.occurrence.image.name, u.old_tag, u.new_tag)
        for u in plan.updates
        if u.occurrence.image
    )


def plan_of(world: World, checkout: Path, images: list[str] | None = None) -> pipeline.Plan:
    return pipeline.plan(load_config(checkout / "tagbot.yaml"), checkout, images=images)


def test_plan_holds_updates_and_the_edits_every_output_uses(
    make_world: MakeWorld, tmp_path: Path
) -> None:
    world = make_world()
    checkout = world.clone(tmp_path / "checkout")
    plan = plan_of(world, checkout)
    assert plan.problems == ()
    assert moves(plan) == sorted((f, world.image(i), a, b) for f, i, a, b in EXPECTED)
    assert {e.path for e in plan.edits} == {f for f, *_ in EXPECTED}
    assert all(e.changed and not e.bom for e in plan.edits)
    assert {u for e in plan.edits for u in e.updates} == set(plan.updates)
    assert git("status", "--porcelain", cwd=checkout) == ""  # planning writes nothing


def test_images_restricts_the_plan_to_the_named_images(
    make_world: MakeWorld, tmp_path: Path
) -> None:
    world = make_world()
    checkout = world.clone(tmp_path / "checkout")
    plan = plan_of(world, checkout, images=[world.image("api")])
    assert moves(plan) == [
        (DEPLOY, world.image("api"), "1.4.0", "1.5.0"),
        (OVERLAY, world.image("api"), "1.4.0", "1.5.0"),
    ]
    assert plan_of(world, checkout, images=["docker.io/library/unused"]).updates == ()


def test_plans_of_different_repositories_run_in_parallel_like_one_after_another(
    make_world: MakeWorld, tmp_path: Path
) -> None:
    worlds = [make_world(name=f"w{i}") for i in range(4)]
    checkouts = [w.clone(tmp_path / f"checkout{i}") for i, w in enumerate(worlds)]
    serial = [moves(plan_of(w, c)) for w, c in zip(worlds, checkouts, strict=True)]
    with ThreadPoolExecutor(4) as pool:
        parallel = list(
            pool.map(lambda wc: moves(plan_of(*wc)), zip(worlds, checkouts, strict=True))
        )
    assert parallel == serial
    for world, planned in zip(worlds, serial, strict=True):  # nothing leaked between them
        assert {image for _, image, _, _ in planned} == {
            world.image(i) for i in ("api", "web", "worker")
        }


def test_run_with_images_publishes_only_those(make_world: MakeWorld, tmp_path: Path) -> None:
    world = make_world()
    checkout = world.clone(tmp_path / "checkout")
    config = load_config(checkout / "tagbot.yaml")
    pushed = len(world.remote.pushes())  # the initial commit
    report = pipeline.run(config, checkout, tmp_path / "work", images=[world.image("worker")])
    assert report.problems == ()
    assert [(u.old_tag, u.new_tag) for u in report.updates] == [("2024.01.15", "2024.03.20")]
    assert [p.changed for p in report.proposals] == [True]
    assert len(world.remote.pushes()) == pushed + 1
    again = pipeline.run(config, checkout, tmp_path / "work2", images=[world.image("worker")])
    assert again.updates == () and len(world.remote.pushes()) == pushed + 1


def test_every_entry_point_reports_an_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / "ok.yaml").write_text("image: nginx:1.25\n")
    (tmp_path / "binary.yaml").write_bytes(b"image: nginx:1\x00\x01")
    found = pipeline.discover([tmp_path])
    assert [(p.where, p.error) for p in found.problems] == [("binary.yaml", "skipped: binary file")]
    planned = pipeline.plan_set(pipeline.parse_targets(["nginx:1.27"]), [tmp_path])
    assert [p.where for p in planned.problems] == ["binary.yaml"]
    assert [e.edit.path for e in planned.files] == ["ok.yaml"]


def test_a_file_that_breaks_the_reader_is_its_own_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.yaml").write_text("image: nginx:1.25\n")
    (tmp_path / "b.yaml").write_text("image: redis:7.2\n")
    real = pipeline.files.editor.load

    def load(path: Path, rel: str, skip: str | None = None) -> object:
        if rel == "a.yaml":
            raise RecursionError("maximum recursion depth exceeded")
        return real(path, rel, skip)

    monkeypatch.setattr(pipeline.files.editor, "load", load)
    found = pipeline.discover([tmp_path])
    assert [(p.where, p.error) for p in found.problems] == [
        ("a.yaml", "unexpected error: RecursionError: maximum recursion depth exceeded")
    ]
    assert [o.image.name for o in found.occurrences if o.image] == ["docker.io/library/redis"]


def test_same_named_files_under_several_roots_stay_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, tag in (("a", "1.25"), ("b", "1.24")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "values.yaml").write_text(f"image: nginx:{tag}\n")
    (tmp_path / "c.yaml").write_text("image: redis:7.2\n")
    monkeypatch.chdir(tmp_path)
    roots = [Path("a"), Path("b"), Path("a/values.yaml"), Path("c.yaml")]
    found = pipeline.discover(roots)
    assert [(f.rel, f.occurrences[0].line) for f in found.files] == [
        ("a/values.yaml", 1),
        ("b/values.yaml", 1),
        ("c.yaml", 1),
    ]
