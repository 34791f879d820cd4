"""The process pool shared by batch and what-if runs: plain data in, plain data out.

Workers start with the forkserver method (spawn where unavailable), so no state of the parent
(threads, rich consoles, an open Dask client) leaks into them; each worker solves with one
CP-SAT worker, so parallelism is across athletes and scenarios, never inside one solve.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor


def start_method() -> str:
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def default_executor(jobs: int) -> Executor:
    """A process pool of ``jobs`` worker processes (forkserver, else spawn)."""
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(start_method()))


__all__ = ["default_executor", "start_method"]
