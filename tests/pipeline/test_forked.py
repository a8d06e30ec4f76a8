"""pipeline/forked.py: two processes share a loop; every item is done once, in any order, and a
child that dies costs time, never an item. Run in a fresh interpreter: forking needs a process
with one thread, and pytest's may have more."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import json, logging, os, sys, time
    from tagbot.pipeline import forked

    parent, die_at, count = os.getpid(), int(sys.argv[1]), int(sys.argv[2])
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)

    def work(index):
        if os.getpid() != parent and index == die_at:
            os._exit(3)  # the child dies holding the items it took and has not sent
        time.sleep(0.003)  # work enough for the child to start and take its share
        return {"square": index * index, "parent": os.getpid() == parent}

    seen = list(forked.indexed(work, count))
    print(json.dumps({
        "indexes": [i for i, _ in seen],
        "ok": all(r["square"] == i * i for i, r in seen),
        "by_child": sum(not r["parent"] for _, r in seen),
    }))
    """
)


def _run(die_at: int, count: int, **env: str) -> tuple[dict[str, object], str]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(die_at), str(count)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={**env, "PATH": "/usr/bin:/bin"},
    )
    return json.loads(done.stdout), done.stderr


def test_every_item_is_done_once_and_both_processes_work() -> None:
    result, err = _run(die_at=-1, count=600)
    assert sorted(result["indexes"]) == list(range(600))  # type: ignore[arg-type]
    assert result["ok"] is True
    assert 0 < result["by_child"] < 600  # type: ignore[operator]
    assert err == ""


def test_a_child_that_dies_costs_no_item() -> None:
    result, err = _run(die_at=30, count=600)
    assert sorted(result["indexes"]) == list(range(600))  # type: ignore[arg-type]
    assert result["ok"] is True
    assert "the second worker process died (exit 3); going on here" in err


def test_small_loops_and_tagbot_processes_1_stay_in_one_process() -> None:
    small, _ = _run(die_at=-1, count=50)
    assert small["indexes"] == list(range(50))
    assert small["by_child"] == 0
    one, _ = _run(die_at=-1, count=600, TAGBOT_PROCESSES="1")
    assert one["indexes"] == list(range(600))
    assert one["by_child"] == 0


STOP_EARLY = textwrap.dedent(
    """
    import os, sys, time
    from tagbot.pipeline import forked

    def work(index):
        time.sleep(0.01)
        return os.getpid()

    started = time.monotonic()
    for index, _ in forked.indexed(work, 3000):
        if index == 2990:  # the parent's first item: the child is busy with the front
            break
    print(round(time.monotonic() - started, 2))
    """
)


def test_a_consumer_that_stops_early_stops_the_child_at_once() -> None:
    done = subprocess.run(
        [sys.executable, "-c", STOP_EARLY], capture_output=True, text=True, timeout=60, check=True
    )
    assert float(done.stdout) < 3  # 3,000 items of 10 ms: the child is not waited for
    assert done.stderr == ""


LOCK_HELD = textwrap.dedent(
    """
    import os, signal
    from tagbot.pipeline import forked

    parent = os.getpid()
    shared = None

    def work(index):
        if os.getpid() != parent and index == 30:
            shared.lock.acquire()  # killed between taking the lock and letting it go
            os.kill(os.getpid(), signal.SIGKILL)
        return index * index

    shared = forked._Shared(work, 600, lambda: True)
    results = dict(shared.run())
    print(sorted(results) == list(range(600)) and all(results[i] == i * i for i in results))
    """
)


def test_a_child_killed_holding_the_lock_costs_no_item_and_no_hang() -> None:
    done = subprocess.run(
        [sys.executable, "-c", LOCK_HELD], capture_output=True, text=True, timeout=60, check=True
    )  # it hung for good: the parent waited for a lock the dead child held
    assert done.stdout.strip() == "True"
    assert "the second worker process died (exit -9); going on here" in done.stderr
