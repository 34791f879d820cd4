"""The reference workload every benchmark run times beside its instances.

Wall times from different machines (or one machine under different load) do not compare; a
ratio to a fixed workload measured in the same invocation does, much better. The workload is
a fixed CP-SAT problem, because the instances' time is CP-SAT time almost entirely, and a
CP-SAT workload moves with what moves them (CPU speed, cache, memory bandwidth, the ortools
build) where a pure-Python loop would not:

- a job shop of 8 jobs x 6 machines with durations from a fixed linear congruential sequence
  (no ``random`` module, so the same numbers on every Python), built with the ``cp_model``
  Python API (so it includes some Python model-building, like the instances);
- solved to proven optimality with one worker, seed 0 and no time limit. With one worker,
  CP-SAT's search is deterministic: every machine does the same work, so its wall time is a
  measure of the machine. It takes about 0.15 s on the development machine, so a report
  takes the median of several runs, before and after the instances.

The figure is comparable between machines running the same ortools version (the machine line
of every report records it); a new ortools may search differently.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

JOBS = 8
MACHINES = 6


def _durations() -> list[list[tuple[int, int]]]:
    """(machine, duration) per task, per job: a fixed sequence, the same on every machine."""
    state = 12345
    jobs = []
    for _ in range(JOBS):
        order = list(range(MACHINES))
        tasks = []
        for position in range(MACHINES):
            state = (1103515245 * state + 12345) % 2**31
            swap = position + state % (MACHINES - position)
            order[position], order[swap] = order[swap], order[position]
            state = (1103515245 * state + 12345) % 2**31
            tasks.append((order[position], 1 + state % 20))
        jobs.append(tasks)
    return jobs


def build_model() -> cp_model.CpModel:
    model = cp_model.CpModel()
    jobs = _durations()
    horizon = sum(duration for job in jobs for _, duration in job)
    per_machine: dict[int, list[cp_model.IntervalVar]] = {m: [] for m in range(MACHINES)}
    ends = []
    for j, job in enumerate(jobs):
        previous_end = None
        for t, (machine, duration) in enumerate(job):
            start = model.new_int_var(0, horizon, f"s{j}_{t}")
            end = model.new_int_var(0, horizon, f"e{j}_{t}")
            per_machine[machine].append(model.new_interval_var(start, duration, end, f"i{j}_{t}"))
            if previous_end is not None:
                model.add(start >= previous_end)
            previous_end = end
        ends.append(previous_end)
    for intervals in per_machine.values():
        model.add_no_overlap(intervals)
    makespan = model.new_int_var(0, horizon, "makespan")
    model.add_max_equality(makespan, ends)
    model.minimize(makespan)
    return model


def run_once() -> tuple[float, int]:
    """Build and solve the reference model: (wall seconds, optimal makespan)."""
    started = time.perf_counter()
    model = build_model()
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    code = solver.solve(model)
    elapsed = time.perf_counter() - started
    if code != cp_model.OPTIMAL:
        raise RuntimeError(f"calibration model not solved to optimality: {solver.status_name(code)}")
    return elapsed, int(solver.objective_value)


@dataclass(frozen=True)
class Calibration:
    seconds: list[float]
    objective: int

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def measure(repeat: int = 5) -> Calibration:
    """Time the reference workload ``repeat`` times (after one untimed warm-up run)."""
    run_once()
    times, objective = [], 0
    for _ in range(repeat):
        seconds, objective = run_once()
        times.append(seconds)
    return Calibration(seconds=times, objective=objective)
