"""PR/MR bodies: golden files for an image with full OCI labels and one with none, the update
kinds, and links that only ever come from well-formed label values."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tagbot import redact
from tagbot.imageref import parse
from tagbot.models import Field, Occurrence, Rejection, Update
from tagbot.provider.links import REVISION, for_update, repository
from tagbot.provider.prbody import ImageNotes, render, update_kind
from tagbot.provider.releases import find_release

GOLDEN = Path(__file__).parent / "golden"
API = "ghcr.io/acme/api"
FULL = {
    "org.opencontainers.image.source": "https://github.com/acme/api.git",
    "org.opencontainers.image.revision": "5d6e7f8a9b0c1d2e3f405162738495a6b7c8d9e0",
    "org.opencontainers.image.url": "https://acme.dev/api",
    "org.opencontainers.image.created": "2024-05-17T10:30:15+02:00",
}
OLD = {"org.opencontainers.image.revision": "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d"}


def update(path: str, line: int, old: str, new: str, image: str = API, **kw: str) -> Update:
    ref = parse(f"{image}:{old}")
    field = Field("image", f"{image}:{old}", line, 16, 0, 1)
    occurrence = Occurrence(path, "manifest", "spec.containers[0].image", line, ref, (field,))
    return Update(occurrence, new, reason="newest release in range ^1", **kw)


UPDATES = [
    update("apps/api/deploy.yaml", 8, "1.4.2", "1.5.0"),
    update("apps/api/overlays/prod/values.yaml", 12, "1.4.2", "1.5.0"),
    update("apps/api/overlays/prod/values.yaml", 3, "1.4.2", "1.5.0"),
]
REJECTED = (
    Rejection("2.0.0", "outside range ^1"),
    Rejection("1.6.0-rc.1", "pre-release"),
    Rejection("latest", "not a version"),
    Rejection("1.3.9", "older than the current tag"),
)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("TAGBOT_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_body_with_full_oci_labels():
    notes = ImageNotes(
        FULL, OLD, REJECTED, release_url="https://github.com/acme/api/releases/tag/v1.5.0"
    )
    body = render(UPDATES, {API: notes}, intro="Automated image update.")
    check_golden("prbody-full.md", body)


def test_body_without_labels_or_explanations():
    check_golden("prbody-none.md", render(UPDATES))


@pytest.mark.parametrize(
    ("old", "new", "digest", "kind"),
    [
        ("1.4.2", "2.0.0", None, "major"),
        ("v1.4.2", "v1.5.0", None, "minor"),
        ("1.4.2", "1.4.3", None, "patch"),
        ("1.4", "1.4.1", None, "patch"),
        ("1.27-alpine", "1.27-alpine", "sha256:" + "a" * 64, "digest"),
        ("latest", "stable", None, "other"),
    ],
    ids=["major", "minor-v-prefix", "patch", "precision", "digest", "no-version"],
)
def test_update_kind(old, new, digest, kind):
    assert update_kind(old, new, digest) == kind


@pytest.mark.parametrize(
    ("source", "repo"),
    [
        ("https://github.com/acme/api", "https://github.com/acme/api"),
        ("https://github.com/acme/api.git", "https://github.com/acme/api"),
        ("git@gitlab.com:group/sub/api.git", "https://gitlab.com/group/sub/api"),
        ("javascript:alert(1)//github.com/a/b", None),
        ("https://user:pw@github.com/acme/api", None),
        ("https://github.com/acme/api) [click](https://evil.example", None),
        ("https://github.com/acme/api?x=<script>", None),
        ("not a url", None),
    ],
    ids=["https", "dot-git", "scp", "javascript", "userinfo", "markdown", "query", "words"],
)
def test_only_well_formed_sources_become_links(source, repo):
    assert repository(source) == repo


def test_gitlab_compare_commit_link_and_a_bad_revision():
    source = {"org.opencontainers.image.source": "https://gitlab.com/acme/api"}
    new, old = FULL[REVISION], OLD[REVISION]

    compare = for_update({**source, REVISION: new}, OLD, "2", None)
    one_side = for_update({**source, REVISION: new}, {}, "2", None)
    hostile = for_update({**source, REVISION: "main; rm -rf /"}, OLD, "2", None)

    url = f"https://gitlab.com/acme/api/-/compare/{old}...{new}"
    assert compare[1] == ("Changes", f"[`1a2b3c4...5d6e7f8`]({url})")
    assert one_side[1] == ("Revision", f"[`5d6e7f8`](https://gitlab.com/acme/api/commit/{new})")
    assert [name for name, _ in hostile] == ["Source"]


def test_release_pages_are_linked_only_when_they_exist():
    seen: list[str] = []

    def exists(url: str) -> bool:
        seen.append(url)
        return url.endswith("/v1.5.0")

    assert find_release("https://github.com/acme/api", "1.5.0", exists) == (
        "https://github.com/acme/api/releases/tag/v1.5.0"
    )
    assert seen == [
        "https://github.com/acme/api/releases/tag/1.5.0",
        "https://github.com/acme/api/releases/tag/v1.5.0",
    ]
    assert find_release("https://github.com/acme/api", "9.9", exists) is None
    assert find_release("https://git.example.org/acme/api", "1.5.0", exists) is None


def test_a_secret_in_a_label_never_reaches_the_body():
    redact.register("ghp_LabelSecret123")
    labels = {"org.opencontainers.image.url": "https://acme.dev/ghp_LabelSecret123"}
    body = render(UPDATES, {API: ImageNotes(labels)})
    assert "ghp_LabelSecret123" not in body and "https://acme.dev/***" in body


def test_notes_are_gathered_once_per_updating_image_and_survive_a_failing_registry():
    from tagbot.errors import RegistryError
    from tagbot.provider.prnotes import gather

    asked: list[tuple[str, str]] = []

    def labels_of(image, tag: str) -> dict[str, str]:
        asked.append((image.familiar, tag))
        if image.familiar == "nginx":
            raise RegistryError("registry down", transient=True)
        return dict(FULL) if tag == "1.5.0" else dict(OLD)

    web = update("apps/web/deploy.yaml", 4, "1.27.0", "1.27.1", image="nginx")
    notes = gather(
        [*UPDATES, web],
        labels_of,
        {API: REJECTED},
        exists=lambda url: url.endswith("/v1.5.0"),
    )

    assert sorted(asked) == [
        (API, "1.4.2"),
        (API, "1.5.0"),
        ("nginx", "1.27.0"),
        ("nginx", "1.27.1"),
    ]
    assert notes[API] == ImageNotes(
        FULL, OLD, REJECTED, "https://github.com/acme/api/releases/tag/v1.5.0"
    )
    assert notes["nginx"] == ImageNotes()
    body = render([*UPDATES, web], notes, intro="Automated image update.")
    assert body.startswith(check_text("prbody-full.md").removesuffix("_Generated by tagbot._\n"))


def check_text(name: str) -> str:
    return (GOLDEN / name).read_text(encoding="utf-8")
