"""`tagbot set --commit` / `--pull-request` end to end: the CI push mode through run's publishing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagbot.pipeline.changes import slug
from tests.e2e.conftest import MakeWorld
from tests.e2e.world import DEPLOY, FILES, OVERLAY, VALUES, World
from tests.fakeforge import FakeGitHub, FakeGitLab
from tests.fakeforge.gitrepo import git
from tests.provider.helpers import seen

pytestmark = pytest.mark.integration


@pytest.fixture
def world(make_world: MakeWorld) -> World:
    """A config repo; set asks no registry, so none of its images are pushed."""
    return make_world(images=False)


def seed(world: World, path: str) -> str:
    """A seed file's text as the remote holds it."""
    return FILES[path].format(reg=world.reg)


def api_moved(world: World, path: str, old: str = "1.4.0", new: str = "1.6.0") -> str:
    """A seed file with the api tag moved from `old`, and nothing else."""
    text = seed(world, path).replace(f"api:{old}", f"api:{new}")
    return text.replace(f'newTag: "{old}"', f'newTag: "{new}"')


def test_set_commit_pushes_from_the_checkout_around_the_path(world: World, checkout: Path) -> None:
    base = world.remote.sha("main")

    result = world.tagbot(
        "set", f"{world.reg}/api:1.6.0", "-p", "apps", "--commit", "--json", cwd=checkout
    )

    assert result.code == 0, result.err
    data = result.json()
    # Paths in the output stay relative to -p, as for a plain `set`; the commit has the real ones.
    assert sorted(c["file"] for c in data["changes"]) == [
        "api/base/deployment.yaml",
        "api/overlays/production/kustomization.yaml",
    ]
    assert data["proposals"] == [
        {"branch": "main", "url": None, "number": None, "created": False, "changed": True}
    ]
    assert world.remote.subjects("main") == [
        f"chore(deps): update {world.reg}/api to 1.6.0",
        "Initial config",
    ]
    assert world.remote.show("main", "%P|%an <%ae>") == (
        f"{base}|tagbot <tagbot@users.noreply.github.com>"
    )
    for path in (DEPLOY, OVERLAY):
        assert world.remote.read("main", path) + "\n" == api_moved(world, path)
    assert world.remote.read("main", VALUES) + "\n" == seed(world, VALUES)
    # The files were written and the checkout followed its push.
    assert git("status", "--porcelain", cwd=checkout) == ""
    assert git("rev-parse", "HEAD", cwd=checkout) == world.remote.sha("main")


def test_set_commit_takes_author_and_templates_from_config_and_reruns_idempotently(
    world: World, checkout: Path
) -> None:
    args = ("set", f"{world.reg}/web:2.2.0-alpine", "--commit", "--config", "tagbot.yaml")

    first = world.tagbot(*args, cwd=checkout)
    refs, pushes = world.remote.refs(), world.remote.pushes()
    again = world.tagbot(*args, cwd=checkout)

    assert first.code == 0, first.err
    assert first.out.splitlines()[-1] == "pushed: main"
    assert world.remote.show("main", "%an <%ae>|%s") == (
        f"tagbot-e2e <e2e@example.invalid>|chore(deps): update {world.reg}/web to 2.2.0-alpine"
    )
    assert "tag: '2.2.0-alpine'     # keep the alpine variant" in world.remote.read("main", VALUES)
    assert (again.code, again.out, again.err) == (0, "", "")  # already set: nothing to do
    assert (world.remote.refs(), world.remote.pushes()) == (refs, pushes)


def test_set_commit_from_a_stale_checkout_sets_what_the_remote_holds_now(
    world: World, checkout: Path
) -> None:
    # Someone moved the overlay to 1.4.1 after this checkout was made.
    rival = world.remote.commit({OVERLAY: api_moved(world, OVERLAY, new="1.4.1")}, "pin 1.4.1")

    result = world.tagbot("set", f"{world.reg}/api:1.6.0", "--commit", cwd=checkout)

    assert result.code == 0, result.err
    assert world.remote.show("main", "%P") == rival  # on top of the rival, nothing lost
    assert world.remote.read("main", OVERLAY) + "\n" == api_moved(world, OVERLAY)  # 1.4.1 too
    assert world.remote.read("main", DEPLOY) + "\n" == api_moved(world, DEPLOY)


def test_set_commit_with_an_unmatched_image_still_commits_the_rest_and_exits_1(
    world: World, checkout: Path
) -> None:
    result = world.tagbot(
        "set", f"{world.reg}/api:1.6.0", f"{world.reg}/nothing:1.0", "--commit", cwd=checkout
    )

    assert result.code == 1
    assert f"image {world.reg}/nothing matched no rewritable reference" in result.err
    assert world.remote.read("main", OVERLAY) + "\n" == api_moved(world, OVERLAY)


def test_set_pull_request_with_flags_opens_a_github_pr(world: World, checkout: Path) -> None:
    base = world.remote.sha("main")
    with FakeGitHub(world.remote) as fake:
        result = world.tagbot(
            "set", f"{world.reg}/api:1.6.0", "--pull-request", "--provider", "github",
            "--api-url", fake.url, "--project", "acme/config",
            cwd=checkout, env={"GITHUB_TOKEN": fake.token},
        )  # fmt: skip

    assert result.code == 0, result.err
    [pr] = seen(fake)
    head = "tagbot/" + slug(f"{world.reg}/api")
    assert (pr.head, pr.base, pr.title) == (
        head,
        "main",
        f"chore(deps): update {world.reg}/api to 1.6.0",
    )
    assert pr.body.startswith(f"### `{world.reg}/api` `1.4.0` → `1.6.0` (minor)\n")
    assert result.out.splitlines()[-1] == f"opened: {fake.origin}/acme/config/pull/{pr.number}"
    assert world.remote.sha("main") == base and world.remote.show(head, "%P") == base
    assert world.remote.read(head, OVERLAY) + "\n" == api_moved(world, OVERLAY)
    assert git("status", "--porcelain", cwd=checkout) == ""  # the files stay as they are


def test_set_pull_request_with_a_refused_token_exits_2_and_pushes_nothing(
    world: World, checkout: Path
) -> None:
    refs = world.remote.refs()
    with FakeGitHub(world.remote) as fake:
        result = world.tagbot(
            "set", f"{world.reg}/api:1.6.0", "--pull-request", "--provider", "github",
            "--api-url", fake.url, "--project", "acme/config",
            cwd=checkout, env={"GITHUB_TOKEN": "ghs-refused-by-the-forge-99"},
        )  # fmt: skip

        assert seen(fake) == []
    assert result.code == 2, result.err
    assert "GitHub refused the token in $GITHUB_TOKEN (401" in result.err
    assert "ghs-refused-by-the-forge-99" not in result.out + result.err
    assert world.remote.refs() == refs  # no orphan branch
    assert git("status", "--porcelain", cwd=checkout) == ""


def test_set_pr_with_env_vars_opens_a_gitlab_mr_and_updates_it(
    world: World, checkout: Path
) -> None:
    with FakeGitLab(world.remote) as fake:
        env = {
            "TAGBOT_PROVIDER": "gitlab",
            "TAGBOT_API_URL": fake.url,
            "TAGBOT_PROJECT": "acme/config",
            "GITLAB_TOKEN": fake.token,
        }
        first = world.tagbot("set", f"{world.reg}/api:1.6.0", "--pr", cwd=checkout, env=env)
        second = world.tagbot("set", f"{world.reg}/api:1.6.1", "--pr", cwd=checkout, env=env)

    assert (first.code, second.code) == (0, 0), first.err + second.err
    [mr] = seen(fake)
    assert mr.title == f"chore(deps): update {world.reg}/api to 1.6.1" and mr.revision > 1
    head = "tagbot/" + slug(f"{world.reg}/api")
    assert world.remote.read(head, OVERLAY) + "\n" == api_moved(world, OVERLAY, new="1.6.1")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--commit", "--pull-request"], "exclude each other"),
        (["--pr", "--provider", "bitbucket"], "--provider must be one of git, github, gitlab"),
        (["--pr", "--provider", "github", "--project", "a/b"], "needs a token: set $GITHUB_TOKEN"),
        (["--commit", "--config", "missing.yaml"], "missing.yaml"),
    ],
    ids=["both-modes", "unknown-provider", "no-token", "no-config"],
)
def test_set_publish_usage_errors_exit_2_and_change_nothing(
    world: World, checkout: Path, args: list[str], message: str
) -> None:
    pushes = world.remote.pushes()

    result = world.tagbot("set", f"{world.reg}/api:1.6.0", *args, cwd=checkout)

    assert result.code == 2, result.err
    assert message in result.err
    assert world.remote.pushes() == pushes
    assert git("status", "--porcelain", cwd=checkout) == ""  # nothing written either


def test_set_commit_outside_a_checkout_exits_2(world: World, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "values.yaml").write_text(seed(world, VALUES))

    result = world.tagbot("set", f"{world.reg}/web:2.2.0", "--commit", cwd=plain)

    assert result.code == 2
    assert "need a git checkout" in result.err
    assert (plain / "values.yaml").read_text() == seed(world, VALUES)  # checked before writing
