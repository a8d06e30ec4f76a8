"""Push races: backoff with jitter, and two runs on disjoint images of one repository that
always converge; a git remote that never answers is stopped by `git.timeout`."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tagbot.errors import GitError
from tagbot.provider import open_workspace, publish
from tagbot.provider.branches import BACKOFF, BACKOFF_CAP, backoff
from tests.fakeforge import BareRepo
from tests.provider.conftest import git_options
from tests.provider.helpers import Bumper

pytestmark = pytest.mark.integration


def test_backoff_grows_with_equal_jitter_and_is_capped():
    for attempt in range(1, 12):
        waits = [backoff(attempt) for _ in range(200)]
        window = min(BACKOFF_CAP, BACKOFF * 2 ** (attempt - 1))
        assert all(window / 2 <= w <= window for w in waits)  # never straight back in
        assert max(waits) > window * 0.9  # spread over the window, not a fixed step
        assert len(set(waits)) > 150


def run_publisher(
    remote: BareRepo, work: Path, jobs: list[Bumper], start: threading.Barrier
) -> list[bool]:
    options = git_options(remote)  # push mode, the default 6 retries
    ws = open_workspace(options, work)
    start.wait()
    return [publish(ws, options, job.changes(ws.root), job).changed for job in jobs]


SHARED = "apps/shared/values.yaml"  # one file, so every lost race means a rebuild


@pytest.mark.parametrize("race", range(10))
def test_two_runs_on_disjoint_images_of_one_repository_converge(
    seeded: BareRepo, tmp_path: Path, race: int
):
    remote = seeded.copy(tmp_path / "remote.git")
    remote.commit({SHARED: "".join(f"svc{i}: img{i}:1.0\n" for i in range(8))}, "eight images")
    runs = [
        [Bumper(SHARED, f"img{i}:1.0", f"img{i}:2.0") for i in range(0, 8, 2)],
        [Bumper(SHARED, f"img{i}:1.0", f"img{i}:2.0") for i in range(1, 8, 2)],
    ]
    start = threading.Barrier(2)
    results: list[list[bool]] = [[], []]
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            results[i] = run_publisher(remote, tmp_path / f"run{i}", runs[i], start)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    assert results == [[True] * 4, [True] * 4]
    assert remote.read("main", SHARED) == "\n".join(f"svc{i}: img{i}:2.0" for i in range(8))
    assert len(remote.subjects("main")) == 2 + 8


@pytest.fixture
def black_hole() -> Iterator[str]:
    """An HTTP URL whose server accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.05)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/acme/config.git"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


@pytest.mark.timeout(60)  # without the deadline git would wait for the remote for hours
def test_a_git_remote_that_never_answers_is_stopped_by_the_timeout(black_hole, tmp_path):
    options = git_options(BareRepo(tmp_path / "unused.git"), repository=black_hole, timeout=1.5)

    with pytest.raises(GitError, match=r"git clone did not finish in 1.5 s \(git.timeout\)"):
        open_workspace(options, tmp_path / "work")
