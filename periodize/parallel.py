"""The process pool shared by batch and what-if runs: plain data in, plain data out.

Each worker solves with one CP-SAT worker, so parallelism is across athletes and scenarios,
never inside one solve. How workers start: ``start_method``.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from types import TracebackType
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def start_method() -> str:
    """``fork`` on Linux while this process runs no other Python thread; else ``forkserver``
    (``spawn`` where that is unavailable).

    Why fork: a forked worker has OR-Tools, numpy, pandas and pydantic loaded already and takes
    its first item within about 0.05 s, where a worker from a fresh interpreter spends about
    1 s importing them. Measured on the 2-core machine: the what-if benchmark's worker began its
    first scenario 0.93-1.21 s after the pool started, 0.04-0.07 s forked; old and new code
    alternating over 20 runs each at --time-limit 2, the comparison took 2.83 s against 3.16 s
    (medians).

    Why only then: forking a process whose other threads may hold a lock (a rich progress bar's
    refresh thread, an open Dask client) can deadlock the child, so with any other Python thread
    running the worker starts from a clean interpreter, as it does on macOS (where fork is
    unsafe with system frameworks) and Windows (no fork). numpy's OpenBLAS keeps an idle thread
    of its own, which registers fork handlers; Python 3.12 and later warn (a DeprecationWarning,
    hidden by default) when any process with more than one thread forks.

    Nothing of the parent's state reaches a result: workers receive plain data, and the one
    cache they inherit (``weeks``' solved weeks) gives the answers a solve would."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


#: How often a worker looks whether its parent is still there (``exit_with_parent``).
PARENT_POLL_SECONDS = 0.5


def exit_with_parent(owner: int | None = None) -> None:
    """A worker's initializer: a daemon thread that ends the worker once its parent is gone
    (it is then adopted by another process, so its parent's pid changes), or once ``owner``,
    the process whose pool it serves, has ended. Why: a batch stopped by SIGTERM (or killed)
    left its worker solving, at about 90 % CPU for 85 s on a 52-week season at --time-limit
    60, and then blocked for good writing its result to a pipe nobody reads. A forkserver's
    worker is the forkserver's child, which outlives the batch, so its parent never changed
    and two such workers of 150-170 MB each ran on, adopted by init: the owner is watched
    too. CP-SAT releases the GIL while it searches, so the thread runs during a solve. A pool
    that ends normally joins its workers first, so this never fires there."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent and (owner is None or not has_ended(owner)):
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="periodize-exit-with-parent", daemon=True).start()


def has_ended(pid: int) -> bool:
    """Whether process ``pid`` has ended: gone, or a zombie its parent has not reaped yet (a
    batch killed under a script that never waits for it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # there, and someone else's: not the owner, who is this user's
        return False
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return stat.read().rpartition(")")[2].split()[0] == "Z"
    except (OSError, IndexError):  # no /proc (macOS): alive, as kill said
        return False


def default_executor(jobs: int) -> Executor:
    """A process pool of ``jobs`` worker processes, started as ``start_method`` says, each
    ending with its parent (``exit_with_parent``)."""
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(start_method()),
                               initializer=exit_with_parent, initargs=(os.getpid(),))


class SharedLanes:
    """``jobs`` lanes of work: this process and ``jobs - 1`` worker processes.

    Why: a worker process from a fresh interpreter takes about 1 s to start (importing OR-Tools,
    numpy, pandas and pydantic), longer than solving a 26-week season, and even a forked one
    (``start_method``) a few hundredths of a second. This process is ready now, so it starts
    solving at once and the workers join when they are ready. Each lane
    takes the next item only when it is free (a process pool would queue one ahead, which can
    leave a long item waiting behind a busy worker). Results come back in item order, and each
    item is solved exactly as in a worker (same function, same data), so where an item ran
    never changes its result. If a worker dies, the items it had not started are solved in this
    process; the one it was solving raises ``BrokenProcessPool``, as with a plain pool (solving
    it here could take this process down the same way).
    """

    def __init__(self, jobs: int) -> None:
        self.pool = default_executor(jobs - 1) if jobs > 1 else None
        self.lanes = jobs - 1
        # Start the workers now, while this process works; each lane's first item waits for its
        # warm-up. After a ``map`` every lane is idle again.
        self.warming = [self.pool.submit(int) for _ in range(self.lanes)] if self.pool is not None else []

    def __enter__(self) -> SharedLanes:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def map(self, function: Callable[[Item], Result], items: Sequence[Item]) -> list[Result]:
        """``function`` of every item, in item order."""
        pool = self.pool
        if pool is None:
            return [function(item) for item in items]
        lock = threading.Lock()
        claimed = 0
        futures: dict[int, Future[Result]] = {}
        finished = threading.Semaphore(0)  # one release per worker lane that runs dry
        orphans: list[int] = []  # items a broken pool could not take

        def claim() -> int | None:
            nonlocal claimed
            with lock:
                if claimed >= len(items):
                    return None
                claimed += 1
                return claimed - 1

        def feed(_: Future[Any] | None) -> None:  # a worker lane is free: give it the next item
            index = claim()
            if index is None:
                finished.release()
                return
            try:
                future = pool.submit(function, items[index])
            except Exception:  # the pool is broken (a worker died): this process takes the item
                with lock:
                    orphans.append(index)
                finished.release()
                return
            with lock:
                futures[index] = future
            future.add_done_callback(feed)

        if self.warming:
            for warming in self.warming:
                warming.add_done_callback(feed)
            self.warming = []
        else:
            for _ in range(self.lanes):
                feed(None)
        results: dict[int, Result] = {}
        while (index := claim()) is not None:
            results[index] = function(items[index])
        for _ in range(self.lanes):
            finished.acquire()
        for index in orphans:
            results[index] = function(items[index])
        return [results[index] if index in results else futures[index].result() for index in range(len(items))]


__all__ = ["SharedLanes", "default_executor", "exit_with_parent", "has_ended", "start_method"]
