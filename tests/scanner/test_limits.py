"""Rate-limit headers: when a host says its budget is spent, and for how long."""

from __future__ import annotations

import time

import pytest

from tagbot.scanner.limits import rate_budget

CASES = [
    pytest.param({"ratelimit-remaining": "0", "ratelimit-reset": "7"}, (0, 7.0), id="ietf"),
    pytest.param({"ratelimit-remaining": "3", "ratelimit-reset": "7"}, (3, 7.0), id="ietf-left"),
    pytest.param({"ratelimit-remaining": "0;w=21600"}, None, id="docker-hub-no-reset"),
    pytest.param(
        {"ratelimit-remaining": "0;w=60", "ratelimit-reset": "12;w=60"}, (0, 12.0), id="window"
    ),
    pytest.param({"ratelimit": "limit=100, remaining=0, reset=5"}, (0, 5.0), id="draft-07"),
    pytest.param({"ratelimit": '"default";r=4;t=9'}, (4, 9.0), id="structured-draft-08"),
    pytest.param({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "2"}, (0, 2.0), id="x"),
    pytest.param({"x-ratelimit-remaining": "zero", "x-ratelimit-reset": "2"}, None, id="garbage"),
    pytest.param({}, None, id="none"),
]


@pytest.mark.parametrize(("headers", "expected"), CASES)
def test_rate_budget(headers: dict[str, str], expected: tuple[int, float] | None) -> None:
    assert rate_budget(headers) == expected


def test_an_epoch_reset_is_a_time_not_a_delta() -> None:
    # GitHub's X-RateLimit-Reset is seconds since 1970.
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(time.time()) + 30)}
    budget = rate_budget(headers)
    assert budget is not None and budget[0] == 0 and 25 <= budget[1] <= 31
