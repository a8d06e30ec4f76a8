"""Tests for tagbot/editor/apply.py: Updates become minimal splices, verified or refused."""

from __future__ import annotations

import pytest

from tagbot.editor.apply import apply, retag
from tagbot.models import Field, Occurrence, Update
from tests.editor.test_apply_helpers import occurrence

SHA_A = "sha256:" + "a" * 64
SHA_B = "sha256:" + "b" * 64


def _set(text: str, occ: Occurrence, tag: str, digest: str | None = None) -> str:
    applied = apply("f.yaml", text, [Update(occ, tag, digest)])
    assert applied.refused == ()
    return applied.edit.after


@pytest.mark.parametrize(
    ("value", "tag", "digest", "expected"),
    [
        ("nginx:1.2", "1.3", None, "nginx:1.3"),
        ("nginx", "1.3", None, "nginx:1.3"),
        (f"nginx:1.2@{SHA_A}", "1.3", None, "nginx:1.3"),
        (f"nginx:1.2@{SHA_A}", "1.3", SHA_B, f"nginx:1.3@{SHA_B}"),
        ("localhost:5000/a/b:1", "2", None, "localhost:5000/a/b:2"),
        ("alias=ghcr.io/a/b:1", "2", None, "alias=ghcr.io/a/b:2"),
        ("Docker.io/Library/X:1", "2", None, "Docker.io/Library/X:2"),
    ],
    ids=["plain", "no-tag", "drop-digest", "new-digest", "port", "argocd-alias", "spelling-kept"],
)
def test_retag(value: str, tag: str, digest: str | None, expected: str) -> None:
    assert retag(value, tag, digest) == expected


HELM = """\
image:
  registry: docker.io   # hub
  repository: bitnami/nginx
  tag: 1.27.1-debian-12-r0  # {"$imagepolicy": "x"}
  digest: ""
"""


def _helm(text: str = HELM) -> Occurrence:
    return occurrence(
        text,
        "bitnami/nginx",
        ("registry", "image.registry"),
        ("repository", "image.repository"),
        ("tag", "image.tag"),
        ("digest", "image.digest"),
    )


def test_helm_tag_changes_only_its_characters() -> None:
    after = _set(HELM, _helm(), "1.27.2-debian-12-r0")
    assert after == HELM.replace("1.27.1-", "1.27.2-")


def test_helm_digest_written_into_its_field() -> None:
    after = _set(HELM, _helm(), "1.28.0", SHA_B)
    assert after == HELM.replace("1.27.1-debian-12-r0", "1.28.0").replace('""', f'"{SHA_B}"')


@pytest.mark.parametrize(
    ("written", "expected"),
    [(SHA_A, '""'), (f'"{SHA_A}"', '""'), (f"'{SHA_A}'", "''"), ("&d " + SHA_A, '&d ""')],
    ids=["plain", "double", "single", "anchored"],
)
def test_stale_digest_field_is_emptied(written: str, expected: str) -> None:
    text = HELM.replace('""', written)
    after = _set(text, _helm(text), "1.28.0")
    assert after == HELM.replace("1.27.1-debian-12-r0", "1.28.0").replace('""', expected)


def test_sha_field_gets_bare_hex() -> None:
    text = 'image:\n  repository: a/b\n  tag: v1\n  sha: ""\n'
    occ = occurrence(
        text,
        "a/b",
        ("repository", "image.repository"),
        ("tag", "image.tag"),
        ("digest", "image.sha"),
    )
    assert _set(text, occ, "v2", SHA_B) == text.replace("v1", "v2").replace('""', f'"{"b" * 64}"')


@pytest.mark.parametrize(
    ("line", "tag", "digest", "expected"),
    [
        ("tag: 1.9", "1.10", None, 'tag: "1.10"'),
        ("tag: 16", "17", None, 'tag: "17"'),
        ("tag: 2023.12", "2024.01", None, 'tag: "2024.01"'),
        ("tag: v1", "yes", None, 'tag: "yes"'),
        ("tag: '0.2'", "0.3", None, "tag: '0.3'"),
        ('tag: "v1"', "v2", None, 'tag: "v2"'),
        (f"tag: 1.2@{SHA_A}", "1.3", None, 'tag: "1.3"'),
        (f"tag: 1.2@{SHA_A}", "1.3", SHA_B, f"tag: 1.3@{SHA_B}"),
        ("tag: v1 # keep\t tabs", "v2", None, "tag: v2 # keep\t tabs"),
    ],
    ids=[
        "1.10",
        "17",
        "2024.01",
        "yes",
        "single",
        "double",
        "tag-digest-dropped",
        "tag-digest-new",
        "comment",
    ],
)
def test_tag_field(line: str, tag: str, digest: str | None, expected: str) -> None:
    text = f"image:\n  repository: a/b\n  {line}\n"
    occ = occurrence(text, "a/b", ("repository", "image.repository"), ("tag", "image.tag"))
    assert _set(text, occ, tag, digest) == f"image:\n  repository: a/b\n  {expected}\n"


KUSTOMIZE = "images:\n- name: app\n  newName: ghcr.io/acme/app # deploys\n- name: other\n"


def _kustomize(text: str, index: int = 0, *extra: tuple[str, str]) -> Occurrence:
    pairs = [("repository", f"images[{index}].name")]
    if "newName" in text.split("- name: other")[0] and index == 0:
        pairs.append(("repository", f"images[{index}].newName"))
    return occurrence(
        text,
        "ghcr.io/acme/app",
        *[(r, p) for r, p in pairs],  # type: ignore[misc]
        *extra,  # type: ignore[arg-type]
        kind="kustomize",
    )


def test_kustomize_inserts_newtag_after_newname() -> None:
    after = _set(KUSTOMIZE, _kustomize(KUSTOMIZE), "1.10")
    assert after == KUSTOMIZE.replace("# deploys\n", '# deploys\n  newTag: "1.10"\n')


def test_kustomize_inserts_tag_and_digest() -> None:
    after = _set(KUSTOMIZE, _kustomize(KUSTOMIZE), "v2", SHA_B)
    assert after == KUSTOMIZE.replace(
        "# deploys\n", f"# deploys\n  newTag: v2\n  digest: {SHA_B}\n"
    )


def test_kustomize_digest_inserted_after_existing_tag() -> None:
    text = "images:\n    -   name: app\n        newTag: v1\n"
    occ = occurrence(
        text, "app", ("repository", "images[0].name"), ("tag", "images[0].newTag"), kind="kustomize"
    )
    assert (
        _set(text, occ, "v2", SHA_B)
        == f"images:\n    -   name: app\n        newTag: v2\n        digest: {SHA_B}\n"
    )


def test_kustomize_crlf_insert() -> None:
    text = KUSTOMIZE.replace("\n", "\r\n")
    after = _set(text, _kustomize(text), "v2")
    assert after == text.replace("# deploys\r\n", "# deploys\r\n  newTag: v2\r\n")


def test_several_updates_in_one_pass() -> None:
    text = "a:\n  image: nginx:1.2\nb:\n  image: redis:7.0\n"
    one = occurrence(text, "nginx", ("image", "a.image"), kind="manifest")
    two = occurrence(text, "redis", ("image", "b.image"), kind="manifest")
    applied = apply("f.yaml", text, [Update(one, "1.3"), Update(two, "7.2")])
    assert applied.refused == ()
    assert applied.edit.after == "a:\n  image: nginx:1.3\nb:\n  image: redis:7.2\n"
    assert [u.new_tag for u in applied.edit.updates] == ["1.3", "7.2"]


def test_second_update_of_same_field_is_refused() -> None:
    text = "image: nginx:1.2\n"
    occ = occurrence(text, "nginx", ("image", "image"), kind="manifest")
    applied = apply("f.yaml", text, [Update(occ, "1.3"), Update(occ, "1.4")])
    assert applied.edit.after == "image: nginx:1.3\n"
    assert [p.error for p in applied.refused] == [
        "refused edit at line 1: another update already changes this field"
    ]


def test_update_already_at_tag_changes_nothing() -> None:
    text = "image: nginx:1.2\n"
    occ = occurrence(text, "nginx", ("image", "image"), kind="manifest")
    applied = apply("f.yaml", text, [Update(occ, "1.2")])
    assert not applied.edit.changed and applied.edit.updates == () and applied.refused == ()


def test_anchor_edit_moves_aliases() -> None:
    text = "base: &img nginx:1.2\napp:\n  image: *img\n"
    occ = occurrence(text, "nginx", ("image", "app.image"), kind="manifest")
    assert _set(text, occ, "1.3") == "base: &img nginx:1.3\napp:\n  image: *img\n"


@pytest.mark.parametrize("indicator", ["|-", "|", ">", "|+"])
def test_block_scalar_value(indicator: str) -> None:
    text = f"image: {indicator}\n  nginx:1.2\n\nx: 1\n"
    occ = occurrence(text, "nginx", ("image", "image"), kind="manifest")
    assert _set(text, occ, "1.3") == f"image: {indicator}\n  nginx:1.3\n\nx: 1\n"


@pytest.mark.parametrize(
    ("tag", "digest", "why"),
    [
        ("1.0\n  evil: x", None, "invalid tag '1.0\\n  evil: x'"),
        ('a"b', None, "invalid tag 'a\"b'"),
        ("$(rm)", None, "invalid tag '$(rm)'"),
        ("a" * 129, None, "invalid tag"),
        ("1.3", "sha256:xyz", "invalid digest 'sha256:xyz'"),
    ],
    ids=["newline-key", "quote", "shell", "too-long", "bad-digest"],
)
def test_hostile_values_are_refused(tag: str, digest: str | None, why: str) -> None:
    applied = apply("f.yaml", HELM, [Update(_helm(), tag, digest)])
    assert not applied.edit.changed
    assert len(applied.refused) == 1
    assert applied.refused[0].error.startswith(f"refused edit at line 2: {why}")


def test_unrewritable_occurrence_is_refused() -> None:
    occ = _helm()
    skipped = Occurrence(
        occ.path, occ.kind, occ.locator, occ.line, occ.image, occ.fields, "templated"
    )
    applied = apply("f.yaml", HELM, [Update(skipped, "1.0")])
    assert (
        applied.refused[0].error
        == "refused edit at line 2: reference is not rewritable (templated)"
    )


def test_field_pointing_at_a_comment_is_refused_and_others_applied() -> None:
    text = "# image: nginx:1.2\nimage: redis:7.0\n"
    bad = Field("image", "nginx:1.2", 1, 10, 9, 18)
    wrong = Occurrence("f.yaml", "manifest", "x", 1, _helm().image, (bad,))
    good = occurrence(text, "redis", ("image", "image"), kind="manifest")
    applied = apply("f.yaml", text, [Update(wrong, "1.3"), Update(good, "7.2")])
    assert applied.edit.after == "# image: nginx:1.2\nimage: redis:7.2\n"
    assert applied.edit.updates == (Update(good, "7.2"),)
    assert len(applied.refused) == 1
    assert applied.refused[0].error.startswith("refused edit at line 1: the edit at line 1 did not")


def test_unparseable_file_is_never_edited() -> None:
    text = "image: nginx:1.2\nbad: [\n"
    field = Field("image", "nginx:1.2", 1, 8, 7, 16)
    occ = Occurrence("f.yaml", "manifest", "image", 1, _helm().image, (field,))
    applied = apply("f.yaml", text, [Update(occ, "1.3")])
    assert applied.edit.after == text
    assert "does not parse" in applied.refused[0].error


def test_unchanged_numeric_tag_stays_while_digest_goes() -> None:
    text = f"image:\n  repository: a/b\n  tag: 16\n  digest: {SHA_A}\n"
    occ = occurrence(
        text,
        "a/b",
        ("repository", "image.repository"),
        ("tag", "image.tag"),
        ("digest", "image.digest"),
    )
    assert _set(text, occ, "16") == 'image:\n  repository: a/b\n  tag: 16\n  digest: ""\n'
