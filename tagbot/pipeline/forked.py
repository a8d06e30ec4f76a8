"""Two cores for the CPU-bound loops of a big run (reading and parsing files, editing them): a
forked child takes items from the front of the list, this process from the back, until they
meet. `bench/README.md` has the figures.

The child is forked, so it shares the code, config and texts already loaded, and sends its
results a chunk at a time (they must pickle). Forking is safe only in a process with one
thread (a lock held by another thread stays held in the child), so `tagbot serve` and small
loops run in this process alone, and so does everything with `TAGBOT_PROCESSES=1`. If the
child dies, the items it took and did not send are done here: a crash costs time, never an
item.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

# Fewer items run here: at 500 files (the 1x scale scenario) the fork gains (bench/README.md),
# and a few dozen files parse in less time than forking and pickling take. Not tuned further.
MIN_ITEMS = 200
CHUNK = 25
R = TypeVar("R")
Idle = Callable[[], bool]
log = logging.getLogger("tagbot.pipeline")


def indexed(
    work: Callable[[int], R], count: int, idle: Idle = lambda: True
) -> Iterator[tuple[int, R]]:
    """`(i, work(i))` for every i in range(count), in no particular order: with a child process
    when there are many items and this process may fork, else here, in order. This process
    does its share only while `idle()` (its own threads, e.g. the registry's, come first)."""
    if count < MIN_ITEMS or not _may_fork():
        for index in range(count):
            yield index, work(index)
        return
    yield from _Shared(work, count, idle).run()


def _may_fork() -> bool:
    return (
        os.environ.get("TAGBOT_PROCESSES") != "1"
        and sys.platform == "linux"
        and threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
    )


class _Shared(Generic[R]):
    """The items as two processes share them: the next from the front (the child) and from
    the back (this process), under one lock."""

    def __init__(self, work: Callable[[int], R], count: int, idle: Idle) -> None:
        self.work, self.idle = work, idle
        self.context = multiprocessing.get_context("fork")
        self.lock = self.context.Lock()
        self.front: Any = self.context.RawValue("i", 0)
        self.back: Any = self.context.RawValue("i", count)
        self.child: Any = None
        self.alone = False  # the child is gone: no lock (a SIGKILL may have left it held)

    def take_front(self) -> int | None:
        with self.lock:
            if self.front.value >= self.back.value:
                return None
            self.front.value += 1
            return int(self.front.value) - 1

    def take_back(self) -> int | None:
        if self.alone or not self._acquire():
            self.alone = True
            return self._back()
        try:
            return self._back()
        finally:
            self.lock.release()

    def _acquire(self) -> bool:
        """Take the lock; False once the child is dead (it may have died holding it)."""
        while not self.lock.acquire(timeout=0.05):
            if self.child is None or not self.child.is_alive():
                return False
        return True

    def _back(self) -> int | None:
        if self.back.value <= self.front.value:
            return None
        self.back.value -= 1
        return int(self.back.value)

    def run(self) -> Iterator[tuple[int, R]]:
        """Start the child; work from the back while idle and its chunks come; then whatever
        it took and did not send."""
        receive, send = self.context.Pipe(duplex=False)
        child = self.child = self.context.Process(target=self._child, args=(send,), daemon=True)
        child.start()
        send.close()
        received, finished = 0, False
        try:
            while True:
                if not receive.poll(0 if self.idle() else 0.005):
                    if not self.idle():
                        continue
                    mine = self.take_back()
                    if mine is not None:
                        yield mine, self.work(mine)
                        continue
                try:
                    chunk: list[R] = receive.recv()
                except EOFError:
                    break
                for result in chunk:
                    yield received, result
                    received += 1
            finished = True
        finally:
            receive.close()
            _reap(child, wait=5 if finished else 0)  # left early (an error, Ctrl-C): stop it now
            self.alone = True
        taken = int(self.front.value)
        if received < taken:
            log.warning("the second worker process died (exit %s); going on here", child.exitcode)
        for index in range(received, taken):  # what the child took and did not send
            yield index, self.work(index)
        while (mine := self.take_back()) is not None:  # what nobody took yet
            yield mine, self.work(mine)

    def _child(self, send: Connection) -> None:
        """Work from the front and send the results; Ctrl-C is the parent's to handle, and a
        parent gone (the pipe closed) ends the child quietly."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        chunk: list[R] = []
        try:
            while (index := self.take_front()) is not None:
                chunk.append(self.work(index))
                if len(chunk) == CHUNK:
                    send.send(chunk)
                    chunk = []
            if chunk:
                send.send(chunk)
        except OSError:  # BrokenPipeError: the parent stopped listening
            return
        finally:
            send.close()


def _reap(child: Any, wait: float) -> None:
    child.join(timeout=wait)
    if child.is_alive():
        child.kill()
        child.join()
