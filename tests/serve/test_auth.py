"""Each source's authentication: the right secret passes, anything else says why it failed."""

from __future__ import annotations

import pytest

from tagbot.serve.auth import check, signature

SECRET = "s3cret-value-for-tests"
BODY = b'{"action":"published"}'
GOOD_SIG = signature(SECRET, BODY)

CASES = [
    ("github-signed", "github", {"x-hub-signature-256": GOOD_SIG}, {}, None),
    ("github-unsigned", "github", {}, {}, "unsigned"),
    ("github-bad-signature", "github", {"x-hub-signature-256": signature("other", BODY)}, {}, "bad signature"),
    ("github-sha1-form", "github", {"x-hub-signature-256": GOOD_SIG.replace("sha256=", "sha1=")}, {}, "bad signature"),
    ("harbor-auth-header", "harbor", {"authorization": SECRET}, {}, None),
    ("distribution-bearer", "distribution", {"authorization": f"Bearer {SECRET}"}, {}, None),
    ("acr-wrong", "acr", {"authorization": "Bearer nope"}, {}, "bad credentials"),
    ("gitlab-none", "gitlab", {}, {}, "no credentials"),
    ("generic-bearer", "generic", {"authorization": f"Bearer {SECRET}"}, {}, None),
    ("generic-plain-is-not-enough", "generic", {"authorization": SECRET}, {}, "bad credentials"),
    ("dockerhub-token", "dockerhub", {}, {"token": SECRET}, None),
    ("dockerhub-no-token", "dockerhub", {}, {}, "no token"),
    ("quay-bad-token", "quay", {}, {"token": SECRET + "x"}, "bad token"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "headers", "query", "expected"), [pytest.param(*c[1:], id=c[0]) for c in CASES]
)
def test_check(
    kind: str, headers: dict[str, str], query: dict[str, str], expected: str | None
) -> None:
    assert check(kind, SECRET, headers, query, BODY) == expected


def test_the_signature_covers_the_exact_body() -> None:
    assert (
        check("github", SECRET, {"x-hub-signature-256": GOOD_SIG}, {}, BODY + b" ")
        == "bad signature"
    )


def test_signature_is_githubs_documented_example() -> None:
    # docs.github.com "Validating webhook deliveries": secret "It's a Secret to Everybody",
    # payload "Hello, World!".
    expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    assert signature("It's a Secret to Everybody", b"Hello, World!") == expected
