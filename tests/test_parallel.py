"""SharedLanes (periodize/parallel.py): this process plus worker processes, results in order."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from concurrent.futures.process import BrokenProcessPool

import pytest

from periodize.parallel import SharedLanes, start_method


def square(number: int) -> int:
    return number * number


def process_id(_: int) -> int:
    return os.getpid()


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_results_come_back_in_item_order(jobs: int) -> None:
    with SharedLanes(jobs) as lanes:
        assert lanes.map(square, list(range(9))) == [number * number for number in range(9)]
        assert lanes.map(square, [4, 3]) == [16, 9]  # a second map on the same lanes
        assert lanes.map(square, []) == []


def test_one_job_solves_in_this_process() -> None:
    """--jobs 1 starts no worker process at all (a fresh one would take about 1 s to start, a
    forked one a few hundredths)."""
    with SharedLanes(1) as lanes:
        assert lanes.pool is None
        assert set(lanes.map(process_id, [1, 2, 3])) == {os.getpid()}


def test_this_process_is_one_of_the_lanes() -> None:
    """With two jobs this process takes items while the worker starts, so both share them."""
    with SharedLanes(2) as lanes:
        ids = lanes.map(process_id, list(range(40)))
    assert os.getpid() in ids


def test_items_a_dead_worker_never_started_are_solved_here() -> None:
    """A worker that dies must not hang the next map: what the broken pool cannot take runs in
    this process."""
    with SharedLanes(2) as lanes:
        assert lanes.map(square, [1, 2]) == [1, 4]
        pool = lanes.pool
        assert pool is not None
        for worker in list(pool._processes.values()):  # noqa: SLF001 - simulating a crash
            worker.kill()
        deadline = time.monotonic() + 30
        while not pool._broken and time.monotonic() < deadline:  # noqa: SLF001
            time.sleep(0.05)
        assert lanes.map(square, [1, 2, 3]) == [1, 4, 9]


def exit_in_a_worker(parent: int) -> int:
    if os.getpid() != parent:
        os._exit(1)
    time.sleep(0.05)  # leave the worker time to take an item
    return parent


def test_the_item_a_worker_dies_on_is_reported_not_hung() -> None:
    """The item in flight when its worker dies raises BrokenProcessPool, as a plain pool would;
    the map neither hangs nor retries it here."""
    with SharedLanes(2) as lanes, pytest.raises(BrokenProcessPool):
        lanes.map(exit_in_a_worker, [os.getpid()] * 40)


FRESH_INTERPRETER = """
from periodize.parallel import SharedLanes
from tests.test_parallel import square
with SharedLanes(2) as lanes:
    print(lanes.pool._mp_context.get_start_method(), lanes.map(square, list(range(6))))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers fork on Linux only")
def test_a_single_threaded_process_forks_its_workers() -> None:
    """A fresh single-threaded interpreter (as `periodize whatif` is) forks its worker, which
    then solves what a worker started from scratch would."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    done = subprocess.run([sys.executable, "-c", FRESH_INTERPRETER], capture_output=True, text=True, cwd=root,
                          timeout=120, check=True)
    assert done.stdout.split(maxsplit=1) == ["fork", "[0, 1, 4, 9, 16, 25]\n"]


def test_a_process_running_another_thread_never_forks() -> None:
    """Forking while another thread may hold a lock can deadlock the child: then workers start
    from a clean interpreter, and still return the same results."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert start_method() in ("forkserver", "spawn")
        with SharedLanes(2) as lanes:
            assert lanes.pool is not None
            assert lanes.pool._mp_context.get_start_method() in ("forkserver", "spawn")
            assert lanes.map(square, list(range(6))) == [0, 1, 4, 9, 16, 25]
    finally:
        stop.set()
        other.join()


ORPHANED_WORKER = """
import os, sys, threading, time
from periodize.parallel import default_executor, start_method
if sys.argv[1] == "forkserver":  # another thread running: the pool starts its workers from a forkserver
    threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
assert start_method() == sys.argv[1], start_method()
pool = default_executor(1)
pool.submit(time.sleep, 60)
time.sleep(0.5)  # the worker has started and is sleeping in its task
print(*[process.pid for process in pool._processes.values()], flush=True)
os._exit(0)  # as SIGTERM or a kill ends the parent: no pool shutdown, no joined workers
"""


def gone(pid: int) -> bool:
    """The process has ended (a zombie no one has reaped counts as ended)."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as status:
            return any(line.startswith("State:") and "Z" in line.split()[1] for line in status)
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc to see a process end")
@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_a_worker_ends_with_its_parent(method: str) -> None:
    """A batch stopped by SIGTERM left its worker solving and then blocked for good writing to
    a pipe nobody reads; a worker whose parent is gone must end within about a second
    (``exit_with_parent``), here one busy with a 60-second task. A forkserver's worker too,
    whose own parent (the forkserver) outlives the batch: two such workers had run on."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    done = subprocess.run([sys.executable, "-c", ORPHANED_WORKER, method], capture_output=True, text=True, cwd=root,
                          timeout=60, check=True)
    (worker,) = map(int, done.stdout.split())
    deadline = time.monotonic() + 10
    while not gone(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert gone(worker)
