"""Tests for tagbot/scanner/tokens.py: what counts as a usable token in a token server's answer."""

from __future__ import annotations

import json

import httpx
import pytest

from tagbot.errors import RegistryError
from tagbot.scanner.client import Reply
from tagbot.scanner.tokens import request_token


def answer(data: object) -> Reply:
    """A token server's 200 answer carrying `data` as JSON."""
    body = json.dumps(data).encode()
    return Reply(200, httpx.Headers(), body, httpx.URL("https://auth.example/token"))


def fetch(data: object) -> str:
    def send(method: str, url: str, headers: dict[str, str], body: bytes | None) -> Reply:
        return answer(data)

    return request_token(send, "r.example", "https://auth.example/token", "r", "s", None).value


@pytest.mark.parametrize(
    "value",
    ["abc def", "abc\tdef", "abc\ndef", "abc\u2003def", " abc", "abc ", ""],
    ids=["space", "tab", "newline", "em-space", "leading", "trailing", "empty"],
)
def test_a_token_with_whitespace_is_refused(value: str) -> None:
    with pytest.raises(RegistryError, match="no usable token"):
        fetch({"token": value})


def test_a_long_jwt_is_taken_as_is() -> None:
    jwt = "eyJhbGciOiJSUzI1NiJ9." + "A" * 3000 + ".sig-_"
    assert fetch({"token": jwt, "expires_in": 300}) == jwt
    assert fetch({"access_token": jwt}) == jwt


def test_several_scopes_repeat_scope_in_a_get_and_join_it_in_an_oauth2_post() -> None:
    from tagbot.scanner.credentials import Credentials

    sent: list[tuple[str, str, bytes | None]] = []

    def send(method: str, url: str, headers: dict[str, str], body: bytes | None) -> Reply:
        sent.append((method, url, body))
        return answer({"token": "t"})

    scopes = ["repository:a/b:pull", "repository:c:pull"]
    realm = "https://auth.example/token"
    request_token(send, "r.example", realm, "svc", scopes, None)
    identity = Credentials(source="test", identity_token="refresh-me")
    request_token(send, "r.example", realm, "svc", scopes, identity)
    get, post = sent
    assert get[1] == (
        "https://auth.example/token?scope=repository%3Aa%2Fb%3Apull"
        "&scope=repository%3Ac%3Apull&service=svc"
    )
    assert post[0] == "POST" and post[2] is not None
    assert b"&scope=repository%3Aa%2Fb%3Apull+repository%3Ac%3Apull&service=svc" in post[2]
