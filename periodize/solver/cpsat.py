"""One place where CP-SAT solvers are made, so that every solve treats Ctrl-C alike.

CP-SAT catches SIGINT by default and ends the solve in progress as if its limit were reached,
silently. A season is hundreds of solves, so Ctrl-C ended one of them and the command ran on to
its end (``solve`` wrote its plan, exit 0). Left to Python alone, the interrupt surfaces as
KeyboardInterrupt only once the solve in progress returns (the main search: up to the time
limit). So the solvers leave SIGINT to Python, and :func:`stop_solves_on_interrupt` has a
thread, woken by Python's signal wake-up fd, stop the solves in progress (CP-SAT releases the
GIL while it searches): the KeyboardInterrupt follows at once.

Where no signal reaches the solving thread (a Dask worker's thread running a batch's job), a
:func:`stop_switch` lets another thread stop that thread's solves the same way.
"""

from __future__ import annotations

import os
import signal
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

#: A linear expression as the models here build them: CP-SAT's expressions (variables included)
#: and Python integers. ``cp_model.LinearExprT`` also admits numpy's integers, which never reach
#: a model here and which the stubs of LinearExpr's operators do not take.
IntExpr = cp_model.LinearExpr | int

#: Solvers that may be searching; stopping one that is not is harmless (it is never reused).
_SOLVERS: weakref.WeakSet[cp_model.CpSolver] = weakref.WeakSet()


class SolvesStopped(Exception):
    """The solves of a job were stopped from outside (:class:`StopSwitch`)."""


@dataclass
class StopSwitch:
    """Stops the solves of one thread from another: the one searching at once, and any later
    one before it starts (it raises :class:`SolvesStopped`). A batch on a Dask cluster needs it:
    its jobs run in the workers' threads, which Ctrl-C on the client never reaches, so a season
    in flight went on solving to its time limit after the batch had stopped."""

    stopped: bool = False
    solvers: weakref.WeakSet[cp_model.CpSolver] = field(default_factory=weakref.WeakSet)

    def stop(self) -> None:
        self.stopped = True
        for solver in list(self.solvers):
            solver.stop_search()

    def check(self) -> None:
        if self.stopped:
            raise SolvesStopped


_THREAD = threading.local()


@contextmanager
def stop_switch() -> Iterator[StopSwitch]:
    """Within, the solvers this thread makes and runs answer to the switch yielded."""
    switch, previous = StopSwitch(), getattr(_THREAD, "switch", None)
    _THREAD.switch = switch
    try:
        yield switch
    finally:
        _THREAD.switch = previous


class _Solver(cp_model.CpSolver):
    """A CpSolver that checks its thread's stop switch before each solve: a solver made before
    the switch was thrown would otherwise search to its own limit."""

    def __init__(self, switch: StopSwitch | None) -> None:
        super().__init__()
        self._switch = switch

    def solve(self, model: cp_model.CpModel, solution_callback: cp_model.CpSolverSolutionCallback | None = None,
              ) -> cp_model.CpSolverStatus:
        if self._switch is not None:
            self._switch.check()
        return super().solve(model, solution_callback)


def new_solver() -> cp_model.CpSolver:
    """A CP-SAT solver that leaves Ctrl-C to Python (see the module) and answers to its
    thread's stop switch, where there is one (:func:`stop_switch`)."""
    switch: StopSwitch | None = getattr(_THREAD, "switch", None)
    if switch is not None:
        switch.check()
    solver = _Solver(switch)
    solver.parameters.catch_sigint_signal = False
    _SOLVERS.add(solver)
    if switch is not None:
        switch.solvers.add(solver)
    return solver


def stop_solves_on_interrupt() -> None:
    """From the main thread of a command: Ctrl-C stops the solve in progress at once, and
    Python's KeyboardInterrupt follows when it returns."""
    read_end, write_end = os.pipe()
    try:
        os.set_blocking(write_end, False)
        signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
    except (ValueError, OSError):  # not the main thread, or a platform that wants a socket here
        os.close(read_end)
        os.close(write_end)
        return  # Ctrl-C then ends the command when the solve in progress returns

    def watch() -> None:
        while True:
            if signal.SIGINT in os.read(read_end, 64):
                for solver in list(_SOLVERS):
                    solver.stop_search()

    threading.Thread(target=watch, name="periodize-sigint", daemon=True).start()


__all__ = ["SolvesStopped", "StopSwitch", "new_solver", "stop_solves_on_interrupt", "stop_switch"]
