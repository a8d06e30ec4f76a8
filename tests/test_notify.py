"""Notifications through apprise to a loopback JSON receiver; URLs from env vars, never logged."""

from __future__ import annotations

import logging

import pytest

from tagbot import redact
from tagbot.models import NotifyOptions
from tagbot.notify import Message, send, urls
from tests.e2e.serving import Receiver
from tests.support.registry import free_port

OPTIONS = NotifyOptions(urls_env=("TAGBOT_TEST_HOOKS", "TAGBOT_TEST_UNSET"))


def test_each_message_reaches_every_url(monkeypatch: pytest.MonkeyPatch) -> None:
    with Receiver() as first, Receiver() as second:
        monkeypatch.setenv("TAGBOT_TEST_HOOKS", f"{first.url}, {second.url}")
        monkeypatch.delenv("TAGBOT_TEST_UNSET", raising=False)

        errors = send(OPTIONS, [Message("api 1.4.0 → 1.5.0", "- body", "success")])

    assert errors == []
    for receiver in (first, second):
        [body] = receiver.bodies
        assert (body["title"], body["message"], body["type"]) == (
            "api 1.4.0 → 1.5.0",
            "- body",
            "success",
        )


def test_urls_are_secrets_and_failures_never_show_them(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    dead = f"json://127.0.0.1:{free_port()}/hook-token-123456"
    monkeypatch.setenv("TAGBOT_TEST_HOOKS", dead)
    logging.getLogger("tagbot.notify").addHandler(caplog.handler)
    try:
        errors = send(OPTIONS, [Message("t", "b", "failure")])
    finally:
        logging.getLogger("tagbot.notify").removeHandler(caplog.handler)

    assert errors == ["notification not delivered: t"]
    assert urls(OPTIONS) == [dead]
    assert redact.scrub(f"posting to {dead}") == "posting to ***"
    assert "hook-token-123456" not in caplog.text


def test_no_urls_sends_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TAGBOT_TEST_HOOKS", raising=False)
    assert send(OPTIONS, [Message("t", "b")]) == []
    assert send(NotifyOptions(), [Message("t", "b")]) == []
