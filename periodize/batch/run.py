"""Solve a whole group: one job per athlete, through one executor seam.

The executor is the only thing that differs between a laptop and a cluster: a local process
pool (:func:`periodize.parallel.default_executor`, one CP-SAT worker per process) by default,
or ``Client(address).get_executor()`` on an existing Dask distributed cluster. Jobs are plain
data (the athlete's merged mapping, the time limit) and results are plain data (statuses,
figures, the plan JSON), so the same code path runs on both.

Each worker validates the athlete, solves it, checks the plan with the independent validator
and works out which group sessions it misses and why; the parent only reads files, writes
plans (atomically, as each arrives, so an interruption loses nothing finished) and keeps the
results in roster order, whatever order they finish in.

Failures stay with their athlete: a bad file or an infeasible season is that athlete's row.
A worker process that dies (BrokenProcessPool) takes only the athletes in flight with it: the
pool is replaced, those athletes are retried one at a time on the fresh pool, and the one that
kills its worker again alone is reported as the crash; the rest of the group continues.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from periodize.batch.resume import ResumeRecord, input_fingerprint, plan_path
from periodize.batch.roster import Entry
from periodize.batch.summary import AthleteResult
from periodize.input_problems import InputError
from periodize.output_files import write_atomically

if TYPE_CHECKING:
    from periodize.season import Skeleton

CRASH_REASON = "the worker process crashed while solving this athlete (killed, or out of memory)"


@dataclass(frozen=True)
class AthleteJob:
    """What a worker receives: plain, picklable data."""

    key: str
    source: str
    data: dict[str, Any]
    time_limit: float
    seed: int = 0
    #: Stop at a plan proven within this share of the best (``solve_skeleton``); 0: prove it.
    relative_gap: float = 0.0
    #: On a Dask cluster: the name of the batch's stop event (:func:`stopped_by`).
    stop_event: str | None = None


def solve_one(job: AthleteJob) -> dict[str, Any]:
    """Worker entry point: validate, solve, check, report group sessions; plain data back.
    On a Dask cluster the job stops when its batch does (:func:`stopped_by`)."""
    with stopped_by(job.stop_event):
        return _solve_one(job)


def _solve_one(job: AthleteJob) -> dict[str, Any]:
    from periodize.calendar_notes import season_notes
    from periodize.loading import athlete_from_mapping
    from periodize.season import build_skeleton
    from periodize.solver.rules.group import group_report
    from periodize.solver.solve import solve_skeleton
    from periodize.validate import counted, validate_plan, violations_by_code

    started = time.perf_counter()
    result: dict[str, Any] = {"key": job.key, "source": job.source}
    try:
        athlete, rules = athlete_from_mapping(job.data)
    except InputError as error:
        return result | {"status": "invalid", "name": _name_of(job.data), "reason": problems_text(error)}
    skeleton = build_skeleton(athlete, rules)
    result["notes"] = season_notes(skeleton)
    plan, _ = solve_skeleton(skeleton, time_limit=job.time_limit, workers=1, seed=job.seed,
                             relative_gap=job.relative_gap)
    result |= {"name": athlete.name, "status": plan.status, "objective": plan.objective, "bound": plan.bound}
    if plan.status == "infeasible":
        result |= infeasible_report(skeleton, job.time_limit)
    elif plan.status == "unknown" or not plan.weeks:
        result |= {"status": "unknown", "reason": f"no plan found within the time limit of {job.time_limit:g} s"}
    else:
        violations = validate_plan(athlete, plan, rules)
        result |= {
            "violations": len(violations),
            "peak_minutes": max(week.training_minutes for week in plan.weeks),
            "group": [entry.as_json() for entry in group_report(skeleton, plan)],
        }
        if violations:
            codes = ", ".join(f"{code} x{count}" for code, count in violations_by_code(violations).items())
            result |= {"status": "rejected", "reason": f"the validator found {counted(violations)} ({codes}); "
                                                        "plan not written (a solver bug)"}
        else:
            result["plan_json"] = plan.model_dump_json(indent=2)
    result["solve_seconds"] = time.perf_counter() - started
    return result


def infeasible_report(skeleton: Skeleton, time_limit: float) -> dict[str, Any]:
    """The reason and fixes of an infeasible season, as ``periodize solve`` finds them: the same
    ``explain_conflict`` call within the athlete's time limit (a quarter of it kept to verify the
    changes). The conflict alone told a coach what is wrong but not what to change."""
    from periodize.explain import explain_conflict

    explanation = explain_conflict(skeleton, time_limit=time_limit)
    rules = explanation.conflict_texts()
    reason = "no plan satisfies the hard rules: " + ("; ".join(rules) if explanation.feasible is False and rules
                                                     else "see `periodize explain`")
    if explanation.feasible is False and (why := explanation.why_no_fix()) is not None:
        reason += f"; {why}"
    return {"reason": reason, "fixes": [suggestion.change for suggestion in explanation.suggestions]}


#: How often a Dask job asks whether its batch was stopped (one call to the scheduler each).
STOP_POLL_SECONDS = 0.5


@contextmanager
def stopped_by(event_name: str | None) -> Iterator[None]:
    """Within, this thread's solves stop once the Dask event ``event_name`` is set: a batch's
    Ctrl-C cancels its futures on the cluster, but a job already running in a worker's thread
    went on solving to its time limit (30 s and more per athlete in flight). A watcher thread
    polls the event while the job runs and throws the thread's stop switch; the job then ends
    with :class:`~periodize.solver.cpsat.SolvesStopped`, a result nobody collects. Nothing to
    watch outside Dask (``None``): a local pool's processes are ended directly."""
    if event_name is None:
        yield
        return
    from distributed import Event, get_client

    from periodize.solver.cpsat import stop_switch

    event = Event(event_name, client=get_client())  # the watcher's thread has no client of its own
    done = threading.Event()
    with stop_switch() as switch:
        def watch() -> None:
            while not done.is_set():
                try:
                    if event.wait(timeout=STOP_POLL_SECONDS):
                        switch.stop()
                        return
                except Exception:  # noqa: BLE001 - the scheduler gone: nothing left to watch
                    return

        watcher = threading.Thread(target=watch, name="periodize-stop-watch", daemon=True)
        watcher.start()
        try:
            yield
        finally:
            done.set()


def problems_text(error: InputError, limit: int = 3) -> str:
    shown = [str(problem) for problem in error.problems[:limit]]
    more = len(error.problems) - limit
    return "; ".join(shown) + (f" (and {more} more)" if more > 0 else "")


def _name_of(data: dict[str, Any]) -> str | None:
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) else None


# ---- executors ------------------------------------------------------------------------------------
ExecutorFactory = Callable[[], Executor]


@dataclass(frozen=True)
class Executors:
    """Where a batch's jobs run: a factory of executors, how many jobs to keep in flight, and,
    on a Dask cluster, the name of the batch's stop event and the way to set it (Ctrl-C)."""

    factory: ExecutorFactory
    capacity: int
    stop_event: str | None = None
    stop: Callable[[], None] = lambda: None


@contextmanager
def executor_seam(jobs: int | None, dask: str | None = None, *, most: int | None = None) -> Iterator[Executors]:
    """The local process pool of ``jobs`` processes (default one per core), or a Dask
    cluster's executor when ``dask`` gives the scheduler address, keeping as many jobs in
    flight as the cluster has threads, or ``jobs`` where that is fewer (a share of a cluster
    other work uses too). Never more than ``most`` (the jobs there are)."""
    if dask is None:
        from periodize.parallel import default_executor

        processes = jobs or os.cpu_count() or 1
        if most is not None:
            processes = max(1, min(processes, most))
        yield Executors(lambda: default_executor(processes), processes)
        return
    try:
        from distributed import Client, Event
    except ImportError:
        raise InputError([_dask_missing()]) from None
    try:
        client = Client(dask, timeout="20s")
    except (OSError, TimeoutError, ValueError) as error:  # ValueError: a malformed address
        from periodize.input_problems import Problem

        raise InputError([Problem("--dask", f"cannot reach the Dask scheduler at {dask}: {error}")]) from None
    try:
        threads = sum(client.nthreads().values()) or 1
        in_flight = min(threads, jobs or threads)
        if most is not None:
            in_flight = max(1, min(in_flight, most))
        stop_event = f"periodize-stop-{uuid.uuid4().hex}"
        yield Executors(lambda: client.get_executor(pure=False), in_flight, stop_event,
                        lambda: Event(stop_event, client=client).set())
    finally:
        client.close()


def _dask_missing() -> Any:
    from periodize.input_problems import Problem

    # As the README says it: periodize installs from its clone, not from PyPI.
    return Problem("--dask", "Dask is not installed; install it from periodize's folder (the clone) with: "
                             "python -m pip install '.[dask]'")


# ---- the run ----------------------------------------------------------------------------------------
OnResult = Callable[[AthleteResult], None]


def run_batch(
    entries: list[Entry],
    *,
    time_limit: float = 30.0,
    relative_gap: float = 0.0,
    jobs: int | None = None,
    out: Path | None = None,
    resume: bool = False,
    dask: str | None = None,
    seed: int = 0,
    on_result: OnResult | None = None,
    worker: Callable[[AthleteJob], dict[str, Any]] = solve_one,
) -> list[AthleteResult]:
    """Plan every entry; one result per entry, in entry order. Plans go to ``out/<key>.json``
    as they arrive. ``worker`` replaces the job function (tests; it must be importable in the
    worker processes)."""
    results: list[AthleteResult | None] = [None] * len(entries)
    kept = ResumeRecord(out) if out is not None else None
    fingerprints = [input_fingerprint(e.data, time_limit, seed, relative_gap) if e.data is not None else ""
                    for e in entries]

    def record(index: int, result: AthleteResult) -> None:
        if result.plan_json is not None and out is not None and kept is not None:
            path = plan_path(out, entries[index])
            try:  # made here, not before: a batch that cannot reach its cluster writes nothing
                out.mkdir(parents=True, exist_ok=True)
                write_atomically(path, result.plan_json + "\n")
                result.plan_file = str(path)
                kept.wrote(out, entries[index], fingerprints[index], result)
            except OSError as error:  # this athlete's failure (a folder where its plan goes), not the group's
                result.fail("error", f"the plan could not be written to {path}: {error.strerror or error}")
        elif result.plan_json is None and out is not None and kept is not None and not result.kept:
            removed = kept.forget(out, entries[index])
            if removed is not None:
                result.reason = f"{result.reason + '; ' if result.reason else ''}the earlier run's plan {removed} was removed"
        result.plan_json = None
        results[index] = result
        if on_result is not None:
            on_result(result)

    todo: list[tuple[int, AthleteJob]] = []
    for index, entry in enumerate(entries):
        if entry.data is None:
            record(index, AthleteResult(entry.key, entry.source, "invalid", name=entry.name,
                                        reason="; ".join(entry.problems)))
        elif resume and out is not None and kept is not None and kept.still_stands(out, entry, fingerprints[index]):
            record(index, kept.kept_result(out, entry))
        else:
            todo.append((index, AthleteJob(entry.key, entry.source, entry.data, time_limit, seed, relative_gap)))
    if todo:
        with executor_seam(jobs, dask, most=len(todo)) as executors:
            _run_jobs(todo, executors, record, worker)
    return [result for result in results if result is not None]


def _run_jobs(todo: list[tuple[int, AthleteJob]], executors: Executors,
              record: Callable[[int, AthleteResult], None],
              worker: Callable[[AthleteJob], dict[str, Any]] = solve_one) -> None:
    """Keep ``executors.capacity`` jobs in flight; on a broken pool, retry the jobs in flight
    one by one. Each job carries the batch's stop event, where there is one."""
    pending: deque[tuple[int, AthleteJob]] = deque(
        (index, replace(job, stop_event=executors.stop_event)) for index, job in todo)
    suspects: deque[tuple[int, AthleteJob]] = deque()
    factory, capacity = executors.factory, executors.capacity
    executor = factory()
    in_flight: dict[Future[dict[str, Any]], tuple[int, AthleteJob]] = {}
    isolated: set[int] = set()  # entry indices retried alone after a crash
    try:
        while pending or suspects or in_flight:
            # Suspects of a crash run alone, so a second crash names its athlete.
            limit = 1 if suspects or any(index in isolated for index, _ in in_flight.values()) else capacity
            while len(in_flight) < limit and (suspects or pending):
                if suspects:
                    item = suspects.popleft()
                    isolated.add(item[0])
                else:
                    item = pending.popleft()
                in_flight[executor.submit(worker, item[1])] = item
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            if any(isinstance(future.exception(), BrokenProcessPool) for future in done):
                wait(in_flight)  # every future of a broken pool ends at once; keep those that finished
                lost = []
                for future, item in in_flight.items():
                    if isinstance(future.exception(), BrokenProcessPool):
                        lost.append(item)
                    else:
                        _finish(future, item, record)
                in_flight.clear()
                _shutdown(executor, wait=False)
                executor = factory()
                if len(lost) == 1:
                    index, job = lost[0]
                    isolated.discard(lost[0][0])
                    record(index, AthleteResult(job.key, job.source, "error", name=_name_of(job.data),
                                                reason=CRASH_REASON))
                else:
                    suspects.extend(lost)
                continue
            for future in done:
                item = in_flight.pop(future)
                isolated.discard(item[0])
                _finish(future, item, record)
    except KeyboardInterrupt:  # Ctrl-C: the plans written so far stay; the solves in flight end now
        executors.stop()
        _stop_workers(executor)
        raise
    finally:
        _shutdown(executor, wait=True)


def _stop_workers(executor: Executor) -> None:
    """End a local pool's worker processes at once (a shutdown waits for their solves, 30 s and
    more after Ctrl-C); a Dask executor's workers belong to the cluster and are left alone (the
    batch's stop event ends their solves, ``Executors.stop``)."""
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        process.terminate()
    _shutdown(executor, wait=False)


def _shutdown(executor: Executor, *, wait: bool) -> None:
    """Shut an executor down, dropping queued work where it can (Dask's executor cannot)."""
    try:
        executor.shutdown(wait=wait, cancel_futures=True)
    except TypeError:
        executor.shutdown(wait=wait)


def _finish(future: Future[dict[str, Any]], item: tuple[int, AthleteJob],
            record: Callable[[int, AthleteResult], None]) -> None:
    index, job = item
    error = future.exception()
    if error is not None:
        text = str(error).strip().splitlines()
        record(index, AthleteResult(job.key, job.source, "error", name=_name_of(job.data),
                                    reason=f"{type(error).__name__}{': ' + text[0] if text else ''}"))
        return
    record(index, AthleteResult(**future.result()))


__all__ = ["AthleteJob", "Executors", "executor_seam", "run_batch", "solve_one", "stopped_by"]
