"""The waiting images: coalesced, bounded, released after a quiet spell, dropped at close."""

from __future__ import annotations

import threading
import time

from tagbot.serve.batches import Batches


def test_events_for_one_image_coalesce_into_one_batch() -> None:
    batches = Batches(capacity=10, debounce=0.05)
    for _ in range(50):
        assert batches.add(["a", "b"])
    assert len(batches) == 2

    batch = batches.take(timeout=5)

    assert batch is not None and batch.images == {"a", "b"}
    assert len(batches) == 0


def test_a_full_queue_refuses_new_images_but_takes_waiting_ones() -> None:
    batches = Batches(capacity=2, debounce=10)
    assert batches.add(["a", "b"])

    assert not batches.add(["c"])
    assert not batches.add(["a", "c"])  # all or nothing
    assert batches.add(["a", "b"])  # already waiting: coalesces, takes no room
    assert len(batches) == 2


def test_take_waits_for_the_quiet_spell() -> None:
    batches = Batches(capacity=10, debounce=0.3)
    batches.add(["a"])
    started = time.monotonic()

    batch = batches.take(timeout=5)

    assert batch is not None and time.monotonic() - started >= 0.25


def test_a_steady_stream_is_released_at_the_limit() -> None:
    batches = Batches(capacity=10, debounce=0.2, limit=0.5)
    stop = threading.Event()

    def stream() -> None:
        while not stop.is_set():
            batches.add(["a"])
            time.sleep(0.05)

    feeder = threading.Thread(target=stream)
    feeder.start()
    try:
        batch = batches.take(timeout=5)
    finally:
        stop.set()
        feeder.join()
    assert batch is not None and batch.images == {"a"}


def test_take_times_out_empty_and_close_drops_what_waits() -> None:
    batches = Batches(capacity=10, debounce=60)
    assert batches.take(timeout=0.05) is None
    batches.add(["a", "b"])

    assert batches.close() == 2
    assert batches.take() is None
    assert not batches.add(["c"])
