"""Why no plan exists: a small set of rule groups that cannot all hold, shrunk until each is needed.

The model is the feasibility-only explanation model (``build_season_model(explain=True)``):
no objective and no implied cuts, every hard-rule group guarded by one assumption literal
(``ModelContext.assumptions``, keyed by ``(code, group)``), and nothing outside the guards
carries a rule's content: the run minutes are bounded by the day alone (``DAY_UNITS``), a
kind's minutes are 0 unless the day holds it, and P3's one long run a week is P3's own
constraint (an audit found P14 named for rest days' 0 minutes, V7 named alone where the
week's bound held P14's and V4's numbers, and P3 left out). CP-SAT proves infeasibility
under all assumptions and names a sufficient subset; deletion then drops one group at a time
and keeps it out whenever the rest is still infeasible, so every group left is needed (a
minimal unsatisfiable subset over groups, as CPMpy's ``tools/explain`` does). Assumptions
need one worker. Every solve is capped by deterministic work, so the answer does not depend
on load.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from periodize.models.athlete import Athlete
from periodize.models.rules import HARD_RULE_CODES, Rules, resolve_rules
from periodize.season import Skeleton, build_skeleton
from periodize.solver.context import Group
from periodize.solver.cpsat import new_solver
from periodize.solver.model import SeasonModel, build_season_model
from periodize.solver.work_units import DETERMINISTIC_SECONDS_PER_SECOND

Key = tuple[str, Group]

#: Deterministic work (CP-SAT's own unit) for one feasibility solve of the explanation model;
#: the example seasons need 0.01-0.1 of it.
FEASIBILITY_WORK = 5.0
#: The least time a whole explanation gets (conflict search and checked fixes together), in
#: seconds as ``--time-limit`` counts them: a generated 6-week season's conflict took 93
#: feasibility solves and 99 s when only each solve was capped, after a 3-second solve.
MIN_EXPLANATION_SECONDS = 30.0


#: What building one explanation model is charged against the budget, in deterministic units:
#: about 0.16 s of Python on the development machine (0.04 units at its 0.25 a second), so
#: that up to 60 fixes checked, one model each, stay within the explanation's limit.
MODEL_BUILD_WORK = 0.04


@dataclass
class WorkBudget:
    """Deterministic work left for one explanation, shared by its solves, so that it ends
    within its time limit whatever the season (each solve still has its own cap). Counted in
    CP-SAT's deterministic units, so the answer does not depend on the machine's load."""

    total: float
    spent: float = 0.0

    @classmethod
    def for_seconds(cls, seconds: float | None) -> WorkBudget:
        """The budget of ``seconds`` (a solve's ``--time-limit``), at least the minimum."""
        return cls(max(seconds or 0.0, MIN_EXPLANATION_SECONDS) * DETERMINISTIC_SECONDS_PER_SECOND)

    def charge(self, work: float) -> None:
        self.spent += work

    @property
    def left(self) -> float:
        return self.total - self.spent

    @property
    def exhausted(self) -> bool:
        return self.left <= 0.0


@dataclass(frozen=True)
class ConflictResult:
    """``keys`` is the minimal conflict (empty when the season is feasible); ``minimal`` says
    whether the shrinking finished (a solve hitting its limit keeps its group, to be safe)."""

    feasible: bool | None
    keys: tuple[Key, ...]
    minimal: bool = True


def key_order(key: Key) -> tuple[int, str, str]:
    """RULES.md order of codes, then the group: stable output and stable shrinking."""
    code, (kind, value) = key
    rank = HARD_RULE_CODES.index(code) if code in HARD_RULE_CODES else len(HARD_RULE_CODES)
    return rank, kind, f"{value:>6}" if isinstance(value, int) else str(value)


class GuardedModel:
    """The explanation model of one skeleton and solves under chosen assumptions."""

    def __init__(self, skeleton: Skeleton, work: float = FEASIBILITY_WORK, budget: WorkBudget | None = None) -> None:
        self.season: SeasonModel = build_season_model(skeleton, explain=True)
        if budget is not None:  # building is no CP-SAT work, but each fix checked builds one
            budget.charge(MODEL_BUILD_WORK)
        self.literals = self.season.context.assumptions
        self.by_index = {literal.index: key for key, literal in self.literals.items()}
        self.work = work
        self.budget = budget

    def solve(self, keys: list[Key]) -> tuple[cp_model.CpSolverStatus, list[Key]]:
        """Solve with ``keys`` assumed true (the other groups are free, i.e. relaxed); the status
        and, when infeasible, CP-SAT's sufficient subset of ``keys``. Unknown at once where the
        budget is spent."""
        work = self.work if self.budget is None else min(self.work, self.budget.left)
        if work <= 0.0:
            return cp_model.UNKNOWN, []
        model = self.season.model
        model.clear_assumptions()
        model.add_assumptions([self.literals[key] for key in keys])
        solver = new_solver()
        solver.parameters.num_workers = 1  # assumptions need a single worker
        # The full linear relaxation proves the hard infeasibilities (a near-minimal set of
        # groups) far sooner: 49 generated infeasible seasons' conflicts took 70 s instead of
        # 187 in all, one of them 1.0 s instead of 97 (unfinished); one took 3.6 s against 2.4.
        solver.parameters.linearization_level = 2
        solver.parameters.max_deterministic_time = work
        solver.parameters.max_time_in_seconds = 4 * work + 5  # safety net only
        status = solver.solve(model)
        if self.budget is not None:
            self.budget.charge(solver.deterministic_time)
        if status != cp_model.INFEASIBLE:
            return status, []
        core = [self.by_index[index] for index in solver.sufficient_assumptions_for_infeasibility()]
        return status, core


def find_conflict(skeleton: Skeleton, *, work: float = FEASIBILITY_WORK, max_solves: int = 200,
                  budget: WorkBudget | None = None) -> ConflictResult:
    """A minimal set of (code, group) that cannot hold together, or none when a plan exists.
    Where ``budget`` runs out while shrinking, the set found so far (still a conflict, not
    minimal) is the answer."""
    guarded = GuardedModel(skeleton, work, budget)
    everything = sorted(guarded.literals, key=key_order)
    status, core = guarded.solve(everything)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ConflictResult(feasible=True, keys=())
    if status != cp_model.INFEASIBLE:
        return ConflictResult(feasible=None, keys=())
    if not core:  # infeasible without any assumption: a structural bug, not the athlete
        return ConflictResult(feasible=False, keys=(), minimal=False)
    keys = sorted(set(core), key=key_order)
    minimal, solves, index = True, 0, 0
    while index < len(keys):
        if solves >= max_solves or (budget is not None and budget.exhausted):
            minimal = False
            break
        rest = keys[:index] + keys[index + 1:]
        status, smaller = guarded.solve(rest)
        solves += 1
        if status == cp_model.INFEASIBLE:
            needed = set(smaller) if smaller else set(rest)
            keys = [key for key in rest if key in needed]  # drop it, and whatever CP-SAT no longer needs
        else:
            if status != cp_model.OPTIMAL and status != cp_model.FEASIBLE:
                minimal = False  # unknown: kept, so the set stays a conflict but may not be minimal
            index += 1
    return ConflictResult(feasible=False, keys=tuple(keys), minimal=minimal)


def season_is_feasible(athlete: Athlete, rules: Rules | None = None, *, work: float = 2.0,
                       budget: WorkBudget | None = None) -> bool | None:
    """Does any plan keep every hard rule? True, False, or None when the limit ran out first.
    The feasibility-only model with every group assumed: no objective to optimise."""
    skeleton = build_skeleton(athlete, rules or resolve_rules(athlete))
    guarded = GuardedModel(skeleton, work, budget)
    status, _ = guarded.solve(list(guarded.literals))
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True
    return False if status == cp_model.INFEASIBLE else None
