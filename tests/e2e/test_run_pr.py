"""`tagbot run` in pull-request mode end to end: plain git branches, GitHub PRs, GitLab MRs."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tagbot.pipeline.changes import slug
from tests.e2e.conftest import MakeWorld
from tests.e2e.world import EXPECTED, World, config_text
from tests.fakeforge import FakeGitHub, FakeGitLab
from tests.fakeforge.gitrepo import git
from tests.provider.helpers import Seen, seen

pytestmark = pytest.mark.integration
SECRET = "ghs-e2e-Token-never-printed-4711"  # GitHub's token format: also refused in tagbot.yaml
LOGS = ("--log-format", "json", "-v")  # verbose logs: every chance to leak the token
IMAGES = {image: (old, new) for _, image, old, new in EXPECTED}


def branch(world: World, image: str) -> str:
    """tagbot's branch for one of the world's images."""
    return "tagbot/" + slug(world.image(image))


@dataclass
class ForgeWorld:
    """A world whose tagbot.yaml points at a fake forge, and the env holding its token."""

    world: World
    fake: FakeGitHub | FakeGitLab
    env: dict[str, str]
    checkout: Path

    def run(self, *args: str) -> tuple[int, str, str]:
        """`tagbot --log-format json -v run --config tagbot.yaml ARGS` with the forge token set."""
        result = self.world.tagbot(
            *LOGS, "run", "--config", "tagbot.yaml", *args, cwd=self.checkout, env=self.env
        )
        return result.code, result.out, result.err


@pytest.fixture(params=["github", "gitlab"])
def forge(
    request: pytest.FixtureRequest, make_world: MakeWorld, tmp_path: Path
) -> Iterator[ForgeWorld]:
    """A fake GitHub or GitLab over the world's remote; PR mode, a label and a reviewer."""
    name = request.param
    section = {
        "provider": name,
        "mode": "pull-request",
        "project": "acme/config",
        "labels": ["dependencies"],
        "reviewers": ["alice"],
        "pr_body": "Bumped by the nightly job.",
        "token_env": "FORGE_TOKEN",
    }
    world = make_world(section)
    fake: FakeGitHub | FakeGitLab
    fake = (
        FakeGitHub(world.remote, token=SECRET)
        if name == "github"
        else FakeGitLab(world.remote, token=SECRET)
    )
    with fake:
        config = config_text(world.reg, {**section, "api_url": fake.url})
        world.remote.commit({"tagbot.yaml": config}, "point tagbot at the forge")
        checkout = world.clone(tmp_path / "checkout")
        yield ForgeWorld(world, fake, {"FORGE_TOKEN": SECRET}, checkout)


def test_pr_mode_with_plain_git_pushes_one_branch_per_image(
    make_world: MakeWorld, tmp_path: Path
) -> None:
    world = make_world({"mode": "pull-request"})
    checkout = world.clone(tmp_path / "checkout")
    base = world.remote.sha("main")

    result = world.tagbot("run", "--config", "tagbot.yaml", "--json", cwd=checkout)

    assert result.code == 0, result.err
    assert world.remote.sha("main") == base  # the base is never touched in PR mode
    proposals = result.json()["proposals"]
    assert [p["branch"] for p in proposals] == [branch(world, i) for i in ("api", "web", "worker")]
    assert all(p["changed"] and p["url"] is None for p in proposals)
    for image, (old, new) in IMAGES.items():
        head = branch(world, image)
        assert world.remote.show(head, "%P") == base  # one commit on the base tip
        assert world.remote.show(head, "%s") == f"chore(deps): update {world.image(image)} to {new}"
        # The branch changes this image's tag in this image's files, and nothing else.
        diff = git("--git-dir", str(world.remote.path), "diff", "-U0", base, head)
        changed = [
            ln for ln in diff.splitlines() if ln[:1] in "+-" and ln[:3] not in ("+++", "---")
        ]
        files = sorted(path for path, name, *_ in EXPECTED if name == image)
        assert sorted(set(re.findall(r"^\+\+\+ b/(.+)$", diff, re.M))) == files
        assert len(changed) == 2 * len(files)
        assert all(old in ln for ln in changed if ln[0] == "-")
        assert [ln[1:].replace(old, new) for ln in changed if ln[0] == "-"] == [
            ln[1:] for ln in changed if ln[0] == "+"
        ]


def test_a_refused_push_fails_only_its_own_branch(make_world: MakeWorld, tmp_path: Path) -> None:
    world = make_world({"mode": "pull-request"})
    checkout = world.clone(tmp_path / "checkout")
    refused = branch(world, "web")
    hook = "#!/bin/sh\nwhile read old new ref; do\n"
    hook += f'  [ "$ref" = "refs/heads/{refused}" ] && echo "branch is protected" && exit 1\n'
    hook += "done\nexit 0\n"
    world.remote.install_hook("pre-receive", hook)

    result = world.tagbot("run", "--config", "tagbot.yaml", "--json", cwd=checkout)

    assert result.code == 1
    data = result.json()
    [problem] = data["problems"]
    assert problem["where"] == refused and "push to" in problem["error"]
    assert [p["branch"] for p in data["proposals"]] == [
        branch(world, "api"),
        branch(world, "worker"),
    ]
    assert world.remote.sha(refused) is None
    assert world.remote.sha(branch(world, "api")) and world.remote.sha(branch(world, "worker"))


def proposals(forge: ForgeWorld) -> dict[str, Seen]:
    """The forge's open PRs/MRs by head branch."""
    return {p.head: p for p in seen(forge.fake) if p.open}


def assert_opened(forge: ForgeWorld, out: str, base: str) -> None:
    """One PR/MR per image on its branch: title, body (per image old -> new, update type, files
    and lines, the tags rejected), label, reviewer, one commit."""
    world, opened = forge.world, proposals(forge)
    assert set(opened) == {branch(world, i) for i in IMAGES}
    for image, (old, new) in IMAGES.items():
        pr = opened[branch(world, image)]
        assert pr.title == f"chore(deps): update {world.image(image)} to {new}"
        assert pr.base == "main" and pr.labels == ("dependencies",) and pr.reviewers == ("alice",)
        assert pr.body.startswith(
            f"Bumped by the nightly job.\n\n### `{world.image(image)}` `{old}` → `{new}` ("
        )
        assert "<summary>Tags considered and rejected (" in pr.body
        assert world.remote.show(pr.head, "%P") == base  # one commit on the base tip
    api = opened[branch(world, "api")].body
    files = "| `apps/api/base/deployment.yaml` | 11 |\n| `apps/api/overlays/production/kustomization.yaml` | 7 |"
    assert files in api
    assert "| `2.0.0` | outside range |" in api  # the api rule is ^1.0
    published = json.loads(out)["proposals"]
    assert sorted(p["number"] for p in published) == sorted(p.number for p in opened.values())
    assert all(p["created"] and p["url"].startswith(forge.fake.origin) for p in published)


def test_pr_mode_opens_keeps_then_updates_one_proposal_per_image(
    forge: ForgeWorld, tmp_path: Path
) -> None:
    """The life of tagbot's PRs/MRs over three scheduled runs, with verbose JSON logs."""
    world, outputs = forge.world, []
    base = world.remote.sha("main")
    assert base is not None
    summary = tmp_path / "summary.md"
    forge.env["GITHUB_STEP_SUMMARY"] = str(summary)

    # 1. Nothing open yet: one PR/MR per image, the base untouched.
    code, out, err = forge.run("--json")
    outputs += [out, err]
    assert code == 0, err
    assert_opened(forge, out, base)
    assert world.remote.sha("main") == base

    # 2. Nothing new: no push, and not one write to any PR/MR (the same revisions).
    before, refs, pushes = seen(forge.fake), world.remote.refs(), world.remote.pushes()
    code, out, err = forge.run()
    outputs += [out, err]
    assert code == 0, err
    assert seen(forge.fake) == before
    assert (world.remote.refs(), world.remote.pushes()) == (refs, pushes)
    assert out.count("unchanged: ") == 3

    # 3. A newer api tag: the same PR/MR gets a new head commit, title and body; no new one.
    head = branch(world, "api")
    first, others = proposals(forge)[head], {b: p for b, p in proposals(forge).items() if b != head}
    world.push_tags("api", "1.5.1")
    code, out, err = forge.run()
    outputs += [out, err]
    assert code == 0, err
    now = proposals(forge)
    assert len(seen(forge.fake)) == 3
    assert now[head].number == first.number and now[head].revision > first.revision
    assert world.remote.sha(head) != refs[f"refs/heads/{head}"]
    assert world.remote.show(head, "%P") == base  # still one commit on the base
    assert now[head].title == f"chore(deps): update {world.image('api')} to 1.5.1"
    assert f"### `{world.image('api')}` `1.4.0` → `1.5.1` (minor)" in now[head].body
    assert "→ `1.5.0`" not in now[head].body
    assert "| `1.5.0` | not the newest |" in now[head].body  # now a rejected tag
    overlay = world.remote.read(head, "apps/api/overlays/production/kustomization.yaml")
    assert 'newTag: "1.5.1"' in overlay
    assert {b: p for b, p in now.items() if b != head} == others

    # The token was used all along, and never printed.
    text = "\n".join([*outputs, summary.read_text()])
    assert SECRET not in text
    assert "registry requests" in outputs[1]  # the verbose logs were there to leak it


@pytest.mark.parametrize("forge", ["github"], indirect=True)
def test_a_refused_token_stops_the_run_before_anything_is_pushed(forge: ForgeWorld) -> None:
    wrong = "ghs-e2e-Wrong-token-also-secret-0815"
    env = {**forge.env, "FORGE_TOKEN": wrong}
    refs = forge.world.remote.refs()

    result = forge.world.tagbot(
        *LOGS, "run", "--config", "tagbot.yaml", "--json", cwd=forge.checkout, env=env
    )

    assert result.code == 2, result.err
    assert "GitHub refused the token in $FORGE_TOKEN (401" in result.err
    assert wrong not in result.out + result.err
    assert seen(forge.fake) == []
    assert forge.world.remote.refs() == refs  # no orphan branches


@pytest.mark.parametrize("forge", ["gitlab"], indirect=True)
def test_pr_mode_without_a_token_is_a_config_error(forge: ForgeWorld) -> None:
    result = forge.world.tagbot(*LOGS, "run", "--config", "tagbot.yaml", cwd=forge.checkout)

    assert result.code == 2
    assert "needs a token: set $FORGE_TOKEN" in result.err
    assert "registry requests" not in result.err  # it fails before asking any registry
    assert seen(forge.fake) == []


def test_grouping_all_closes_the_per_image_proposals_it_supersedes(forge: ForgeWorld) -> None:
    """Switching to one PR/MR for all images closes tagbot's per-image ones, with a comment."""
    world = forge.world
    code, _, err = forge.run()
    assert code == 0, err
    per_image = proposals(forge)
    assert set(per_image) == {branch(world, i) for i in IMAGES}

    section = {
        "provider": forge.fake.__class__.__name__.removeprefix("Fake").lower(),
        "mode": "pull-request",
        "project": "acme/config",
        "grouping": "all",
        "token_env": "FORGE_TOKEN",
        "api_url": forge.fake.url,
    }
    world.remote.commit({"tagbot.yaml": config_text(world.reg, section)}, "one PR for all")
    git("-C", str(forge.checkout), "pull", "-q", "--ff-only")

    code, _, err = forge.run("--json")

    assert code == 0, err
    now = proposals(forge)
    assert set(now) == {"tagbot/all"}
    assert all(f"`{new}`" in now["tagbot/all"].body for _, new in IMAGES.values())
    closed = {p.head: p for p in seen(forge.fake) if not p.open}
    assert set(closed) == set(per_image)
    assert all(p.comments for p in closed.values())  # each says why it was closed


def test_a_many_repository_run_writes_the_same_pr_bodies(forge: ForgeWorld) -> None:
    """`repositories:` naming the one repository the fake forge serves: its PR bodies carry the
    rejected tags and files as a single-repository run's do."""
    world, config = forge.world, forge.checkout / "tagbot.yaml"
    text = config.read_text()
    entry = f"  - repository: {world.remote.url}\n    project: acme/config\n"
    config.write_text(text + "repositories:\n" + entry)

    code, out, err = forge.run("--json")

    assert code == 0, out
    [result] = json.loads(out)["repositories"]
    assert result["problems"] == []
    opened = proposals(forge)
    assert set(opened) == {branch(world, i) for i in IMAGES}
    for pr in opened.values():
        assert "<summary>Tags considered and rejected (" in pr.body
    assert "| `2.0.0` | outside range |" in opened[branch(world, "api")].body
    assert SECRET not in out + err
