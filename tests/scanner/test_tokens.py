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
