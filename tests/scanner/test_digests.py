"""The digests the scanner hands out: sha256/sha384/sha512 in lowercase hex, nothing else."""

from __future__ import annotations

import pytest

from tagbot.errors import RegistryError
from tagbot.scanner import digests

HEX64 = "0123456789abcdef" * 4

CASES = [
    pytest.param("sha256:" + HEX64, True, id="sha256"),
    pytest.param("sha384:" + "a" * 96, True, id="sha384"),
    pytest.param("sha512:" + HEX64 * 2, True, id="sha512"),
    pytest.param("sha256:" + HEX64.upper(), False, id="uppercase"),
    pytest.param("sha256:" + HEX64[:-1], False, id="short"),
    pytest.param("sha256:" + HEX64 + "0", False, id="long"),
    pytest.param("sha512:" + HEX64, False, id="sha512-with-sha256-length"),
    pytest.param("evil+x:" + "A" * 5000, False, id="unknown-algorithm"),
    pytest.param("md5:" + "a" * 32, False, id="md5"),
    pytest.param(HEX64, False, id="no-algorithm"),
    pytest.param("sha256:" + "g" * 64, False, id="not-hex"),
    pytest.param("", False, id="empty"),
]


@pytest.mark.parametrize(("digest", "ok"), CASES)
def test_valid(digest: str, ok: bool) -> None:
    assert digests.valid(digest) is ok


def test_checked_quotes_a_refused_digest_cut_short() -> None:
    with pytest.raises(RegistryError) as caught:
        digests.checked("evil+x:" + "A" * 5000, "r.example", "tag '1.0' of 'app'")
    assert str(caught.value) == (
        "r.example: invalid digest 'evil+x:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA...' "
        "for tag '1.0' of 'app'; refused"
    )
    assert digests.checked("sha256:" + HEX64, "r", "x") == "sha256:" + HEX64
