"""`references:` rules through the CLI on crafted repositories (no registry needed): `**` globs,
names with spaces, CRLF files, symlinks, path spellings, and rules that meet a reference whose
image the file states already."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.fakeforge import isolated_git_env
from tests.fakeforge.gitrepo import git

ROOT = Path(__file__).resolve().parents[2]
UNCERTAIN = """\
global:
  imageRegistry: "registry.example"
hub:
  image:
    repository: team/web
    tag: 2.0.1
"""
CERTAIN = """\
web:
  image:
    repository: ghcr.io/acme/web
    tag: 2.0.1
api:
  image: ghcr.io/acme/api:1.4.0
"""


def tagbot(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TAGBOT_", "GIT_"))}
    env.update({**isolated_git_env(), "PYTHONPATH": str(ROOT), "NO_COLOR": "1"})
    return subprocess.run(
        [sys.executable, "-m", "tagbot", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def repo(path: Path, files: dict[str, str | bytes], rules: list[dict[str, str]]) -> Path:
    """A git checkout holding `files` and a tagbot.yaml with `rules` (no registry is asked:
    `defaults: null`)."""
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        data = text if isinstance(text, bytes) else text.encode()
        (path / name).write_bytes(data)
    lines = "".join(f"  - {json.dumps(rule)}\n" for rule in rules)
    (path / "tagbot.yaml").write_text(f"defaults: null\nreferences:\n{lines}")
    git("init", "--quiet", str(path))
    return path


def refs(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout)["references"])


def rule(
    file: str, locator: str = "hub.image", image: str = "registry.example/team/web"
) -> dict[str, str]:
    return {"file": file, "locator": locator, "image": image}


def test_double_star_spaces_and_crlf(tmp_path: Path) -> None:
    crlf = (UNCERTAIN + "app:\n  version: '1.4.0'\n").replace("\n", "\r\n").encode()
    checkout = repo(
        tmp_path,
        {"charts/my hub/values.yaml": UNCERTAIN, "deep/a/b/values.yaml": crlf},
        [rule("**/values.yaml"), rule("deep/**", "app.version", "registry.example/team/api")],
    )
    found = refs(tagbot("scan", "--config", "tagbot.yaml", "--json", cwd=checkout))
    stated = sorted(
        (r["file"], r["locator"], r["image"]) for r in found if r["skip_reason"] is None
    )
    assert stated == [
        ("charts/my hub/values.yaml", "hub.image", "registry.example/team/web"),
        ("deep/a/b/values.yaml", "app.version", "registry.example/team/api"),
        ("deep/a/b/values.yaml", "hub.image", "registry.example/team/web"),
    ]
    sub = checkout / "deep" / "a"
    done = tagbot(
        "set", "registry.example/team/api:1.5.0", "--config", "../../tagbot.yaml", cwd=sub
    )
    assert done.returncode == 0, done.stderr
    assert (checkout / "deep/a/b/values.yaml").read_bytes() == crlf.replace(b"1.4.0", b"1.5.0")


def test_a_path_through_a_symlink_names_the_file_plan_reads(tmp_path: Path) -> None:
    checkout = repo(
        tmp_path / "repo", {"charts/web/values.yaml": UNCERTAIN}, [rule("charts/web/values.yaml")]
    )
    (checkout / "web").symlink_to("charts/web")
    outside = tmp_path / "elsewhere"
    outside.symlink_to(checkout / "charts")
    for path, cwd in [("web", checkout), (str(outside / "web"), tmp_path)]:
        config = str(checkout / "tagbot.yaml")
        [ref] = refs(tagbot("scan", path, "--config", config, "--json", cwd=cwd))
        assert (ref["image"], ref["skip_reason"]) == ("registry.example/team/web", None)


def test_a_linked_tagbot_yaml_plans_the_repository_holding_the_link(tmp_path: Path) -> None:
    """plan, validate and serve all read the checkout around the config path as given (a shared
    tagbot.yaml linked into each repository plans that repository, not the link's target)."""
    checkout = repo(
        tmp_path / "repo", {"charts/web/values.yaml": UNCERTAIN}, [rule("charts/web/values.yaml")]
    )
    shared = tmp_path / "shared"
    shared.mkdir()
    (checkout / "tagbot.yaml").rename(shared / "tagbot.yaml")
    (checkout / "tagbot.yaml").symlink_to(shared / "tagbot.yaml")

    plan = tagbot("plan", "--config", "tagbot.yaml", "--json", cwd=checkout)
    assert plan.returncode == 0, plan.stderr
    assert json.loads(plan.stdout)["problems"] == []  # no "matches no file" note
    checked = tagbot("validate", "--config", "tagbot.yaml", cwd=checkout)
    assert (checked.returncode, checked.stderr) == (0, "")


def test_rules_never_override_an_image_the_file_states(tmp_path: Path) -> None:
    other = "ghcr.io/acme/other"
    checkout = repo(
        tmp_path,
        {"values.yaml": CERTAIN, "hub.yaml": UNCERTAIN},
        [
            rule("values.yaml", "web.image", other),
            rule("values.yaml", "web.image.tag", other),  # the tag field of a certain map
            rule("values.yaml", "api.image", "ghcr.io/acme/api"),  # the same image: no note
            rule("hub.yaml", "hub.image.tag", other),  # the tag of an uncertain one: taken
        ],
    )
    result = tagbot("scan", "--config", "tagbot.yaml", "--json", cwd=checkout)
    got = sorted((r["file"], r["locator"], r["image"], r["skip_reason"]) for r in refs(result))
    assert got == [
        ("hub.yaml", "hub.image.tag", other, None),
        ("values.yaml", "api.image", "ghcr.io/acme/api", None),
        ("values.yaml", "web.image", "ghcr.io/acme/web", None),
    ]
    because = "is not applied: a rule states an identity only where tagbot cannot tell"
    assert json.loads(result.stdout)["problems"] == [
        {
            "where": "values.yaml",
            "error": f"web.image names ghcr.io/acme/web, so tagbot.yaml:{line}: references[{i}] "
            f"(image {other}, locator {locator}) {because}",
            "transient": False,
            "level": "info",
        }
        for i, line, locator in [(0, 3, "web.image"), (1, 4, "web.image.tag")]
    ]
    plan = tagbot("plan", "--config", "tagbot.yaml", "--json", cwd=checkout)
    assert plan.returncode == 0, plan.stderr
    assert [p["where"] for p in json.loads(plan.stdout)["problems"]] == ["values.yaml"] * 2


@pytest.mark.parametrize(
    ("glob", "error"),
    [
        (
            "/charts/web/values.yaml",
            "paths are relative to the repository root: drop the leading /",
        ),
        ("../charts/web/values.yaml", "paths are relative to the repository root: `..` leaves it"),
        ("./", "names no file"),
    ],
)
def test_a_glob_that_could_never_match_is_a_config_error(
    tmp_path: Path, glob: str, error: str
) -> None:
    checkout = repo(tmp_path, {}, [rule(glob)])
    result = tagbot("validate", "--config", "tagbot.yaml", cwd=checkout)
    assert (result.returncode, result.stdout) == (
        2,
        f"tagbot.yaml:3: references[0].file: {error}\n",
    )


def test_a_leading_dot_slash_is_the_repository_root(tmp_path: Path) -> None:
    checkout = repo(
        tmp_path, {"charts/web/values.yaml": UNCERTAIN}, [rule("./charts/web/values.yaml")]
    )
    [ref] = refs(tagbot("scan", "charts", "--config", "tagbot.yaml", "--json", cwd=checkout))
    assert ref["skip_reason"] is None
    checked = tagbot("validate", "--config", "tagbot.yaml", cwd=checkout)
    assert (checked.returncode, checked.stderr) == (0, "")


def test_the_config_file_holds_no_references(tmp_path: Path) -> None:
    """Its rules name images (`image: registry.example/team/web`, no tag) without deploying
    them: `scan` lists none, and `set` does not count them as references it cannot rewrite."""
    checkout = repo(tmp_path, {"values.yaml": CERTAIN}, [rule("charts/*.yaml")])
    assert {r["file"] for r in refs(tagbot("scan", "--json", cwd=checkout))} == {"values.yaml"}
    done = tagbot("set", "registry.example/team/web:3.0.0", "--dry-run", cwd=checkout)
    assert (done.returncode, done.stderr) == (
        1,
        "tagbot: registry.example/team/web: image registry.example/team/web matched no "
        "rewritable reference\n",
    )


@pytest.mark.parametrize(
    ("target", "extra"),
    [
        ("registry.example/team/web", ""),  # the image it pulls: registry before the path
        ("registry.example/mirror/team/web", ""),  # a registry with a path of its own
        ("team/web", " (1 not rewritable)"),  # the name the file spells
    ],
)
def test_set_names_an_uncertain_reference_that_may_be_the_image(
    tmp_path: Path, target: str, extra: str
) -> None:
    checkout = repo(tmp_path, {"charts/web/values.yaml": UNCERTAIN}, [rule("charts/web/*.yaml")])
    done = tagbot("set", f"{target}:3.0.0", "--dry-run", cwd=checkout)
    assert done.returncode == 1
    assert done.stderr.endswith(
        f"matched no rewritable reference{extra}; charts/web/values.yaml:5 may be it (identity "
        "uncertain: global.imageRegistry is set): state the image with a `references:` rule "
        "and pass --config\n"
    )
    other = tagbot("set", "registry.example/team/api:3.0.0", "--dry-run", cwd=checkout)
    assert other.stderr.endswith("matched no rewritable reference\n")
    stated = tagbot(
        "set", "registry.example/team/web:3.0.0", "--config", "tagbot.yaml", cwd=checkout
    )
    assert (stated.returncode, stated.stderr) == (0, "")
    assert "tag: 3.0.0" in (checkout / "charts/web/values.yaml").read_text()


def test_a_config_for_a_remote_names_files_from_the_clone_scanned(tmp_path: Path) -> None:
    """With `git.repository` a URL, plan reads a clone: scan and set name a file from the top
    of the checkout holding the PATH, not from the directory that holds tagbot.yaml."""
    clone = repo(tmp_path / "deploy", {"charts/web/values.yaml": UNCERTAIN}, [])
    config = tmp_path / "tagbot.yaml"
    url = json.dumps({"repository": "https://git.example/acme/deploy.git"})
    config.write_text(
        f"git: {url}\nreferences:\n  - {json.dumps(rule('charts/web/values.yaml'))}\n"
    )
    [ref] = refs(tagbot("scan", "deploy/charts", "--config", "tagbot.yaml", "--json", cwd=tmp_path))
    assert (ref["file"], ref["skip_reason"]) == ("web/values.yaml", None)
    done = tagbot(
        "set", "registry.example/team/web:3.0.0", "--config", str(config), cwd=clone / "charts"
    )
    assert (done.returncode, done.stderr) == (0, "")


def test_a_stated_value_under_a_duplicate_key_is_refused_like_any_other(tmp_path: Path) -> None:
    text = 'app:\n  version: "1.0.0"\napp:\n  version: "2.0.0"\n'
    checkout = repo(
        tmp_path, {"values.yaml": text}, [rule("values.yaml", "app.version", "ghcr.io/acme/api")]
    )
    result = tagbot("scan", "--config", "tagbot.yaml", "--json", cwd=checkout)
    assert result.returncode == 1
    got = json.loads(result.stdout)
    assert [(r["line"], r["skip_reason"]) for r in got["references"]] == [
        (2, "duplicate key at line 2")
    ]
    assert [p["error"] for p in got["problems"]] == ["reference at line 2: duplicate key at line 2"]
    done = tagbot("set", "ghcr.io/acme/api:3.0.0", "--config", "tagbot.yaml", cwd=checkout)
    assert done.returncode == 1
    assert (checkout / "values.yaml").read_text() == text
