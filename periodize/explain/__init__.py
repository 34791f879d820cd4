"""``periodize explain``: why no plan exists (a minimal conflict and verified fixes), or why the
plan that exists looks as it does (binding rules, the objective by rule and by week).

``conflict`` finds the minimal set of rule groups, ``sentences`` words it, ``suggest`` finds
and verifies edits of the athlete file, ``binding`` explains a feasible plan. This module ties
them into one :class:`Explanation`, which the CLI prints as text or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from periodize.explain.binding import (
    Binding,
    ObjectiveRow,
    at_cap_bindings,
    binding_rules,
    caps,
    objective_by_week,
    relax_order,
)
from periodize.explain.conflict import (
    FEASIBILITY_WORK,
    WorkBudget,
    find_conflict,
    key_order,
)
from periodize.explain.penalties import Penalty, penalty_reasons
from periodize.explain.sentences import RuleConflict, describe
from periodize.explain.suggest import MAX_CHECKS, Suggestion, Suggestions, suggest
from periodize.explain.tradeoffs import with_tradeoffs
from periodize.models.athlete import Athlete
from periodize.models.plan import Plan
from periodize.models.rules import Rules, resolve_rules
from periodize.season import Skeleton, build_skeleton


@dataclass
class Explanation:
    feasible: bool | None
    status: str
    conflicts: list[RuleConflict] = field(default_factory=list)
    minimal: bool = True
    suggestions: list[Suggestion] = field(default_factory=list)
    #: No fix was found because the time limit ran out, not because none of those tried works.
    fixes_out_of_time: bool = False
    #: Candidates left untried at ``suggest.MAX_CHECKS``, none of those tried working.
    fixes_untried: bool = False
    binding: list[Binding] = field(default_factory=list)
    objective: int | None = None
    objective_by_code: dict[str, int] = field(default_factory=dict)
    objective_by_week: list[ObjectiveRow] = field(default_factory=list)
    penalties: list[Penalty] = field(default_factory=list)
    #: The rules relaxed to see whether they bind, and those at a cap left out by the number
    #: tried: a rule at its cap but not listed as binding may simply not have been tried.
    rules_tried: list[str] = field(default_factory=list)
    at_cap_not_tried: list[str] = field(default_factory=list)
    #: Rules tried whose relaxed solve proved neither that they bind nor that they do not (its
    #: time limit stopped it, or the plan is unproven), each with why: not tried and not binding.
    undecided: list[Binding] = field(default_factory=list)
    #: Explaining one week, none of the rules proven to bind sits on a cap in it: those listed
    #: bind in other weeks (their relaxation is season-wide), and the reader is told so.
    binding_elsewhere: bool = False

    def conflict_texts(self) -> list[str]:
        """The conflict as sentences (each starts with its rule code), said not to be minimal
        where the search for a smaller set ran out of time."""
        texts = [conflict.text for conflict in self.conflicts]
        return texts + [NOT_MINIMAL] if texts and not self.minimal else texts

    def why_no_fix(self) -> str | None:
        """Why no change is offered, where none is: no time left to check one, or none tried works."""
        if self.suggestions:
            return None
        if self.fixes_out_of_time:
            return "no change could be checked within the time limit; a longer --time-limit checks them"
        if self.fixes_untried:
            return (f"none of the first {MAX_CHECKS} changes tried made the season solvable; others were not "
                    "tried (an availability or rule change of the conflict's days may still work)")
        return "no single change tried made the season solvable"

    def as_json(self) -> dict[str, Any]:
        return {
            "feasible": self.feasible,
            "status": self.status,
            "conflicts": [conflict.as_json() for conflict in self.conflicts],
            "conflict_minimal": self.minimal,
            "suggestions": [suggestion.as_json() for suggestion in self.suggestions],
            "suggestions_out_of_time": self.fixes_out_of_time,
            "suggestions_untried": self.fixes_untried,
            "binding": [binding.as_json() for binding in self.binding],
            "objective": self.objective,
            "objective_by_code": self.objective_by_code,
            "objective_by_week": self.objective_by_week,
            "penalties": [penalty.as_json() for penalty in self.penalties],
            "rules_tried": self.rules_tried,
            "at_cap_not_tried": self.at_cap_not_tried,
            "binding_elsewhere": self.binding_elsewhere,
            "undecided": [{"code": binding.code, "text": binding.text} for binding in self.undecided],
        }


#: The share of an explanation's budget kept for checking fixes.
FIX_SHARE = 0.25
#: Said after a conflict the time limit stopped shrinking.
NOT_MINIMAL = "(the search for a smaller set ran out of time: some of these rules may not be needed)"


def explain_conflict(skeleton: Skeleton, *, time_limit: float | None = None, work: float = FEASIBILITY_WORK,
                     suggestions: int = 3) -> Explanation:
    """The infeasible case: the minimal conflict, one sentence per rule, verified suggestions.
    (``feasible`` is True when a plan exists after all, None when the limit ran out.) The whole
    explanation works within ``time_limit`` (the solve's, in its deterministic seconds; at
    least ``MIN_EXPLANATION_SECONDS``): where that ends the shrinking, the conflict is
    reported as not minimal, and fixes are checked with what is left."""
    budget = WorkBudget.for_seconds(time_limit)
    # A quarter is kept for checking fixes: the conflict alone could spend it all.
    search = WorkBudget(budget.left * (1 - FIX_SHARE) if suggestions else budget.left)
    result = find_conflict(skeleton, work=work, budget=search)
    budget.charge(search.spent)
    if result.feasible is not False:
        return Explanation(feasible=result.feasible, status="feasible" if result.feasible else "unknown")
    by_code: dict[str, list] = {}
    for code, group in sorted(result.keys, key=key_order):
        by_code.setdefault(code, []).append(group)
    conflicts = [describe(skeleton, code, groups) for code, groups in by_code.items()]
    fixes = suggest(skeleton, conflicts, limit=suggestions, budget=budget) if suggestions else Suggestions([])
    return Explanation(feasible=False, status="infeasible", conflicts=conflicts, minimal=result.minimal,
                       suggestions=fixes.verified, fixes_untried=fixes.untried,
                       fixes_out_of_time=bool(suggestions) and not fixes.verified and budget.exhausted)


def relaxed_time_limit(time_limit: float) -> float:
    """Each relaxed solve's limit, given the plan's: a quarter of it (at least 1 s), so that the
    four rules tried cost about what the plan did."""
    return max(1.0, time_limit / 4)


def explain_plan(skeleton: Skeleton, plan: Plan, *, week: int | None = None, time_limit: float = 10.0,
                 max_rules: int = 4, jobs: int = 1) -> Explanation:
    """The feasible case: rules proven to bind, caps the plan sits on, the objective by week.
    ``time_limit`` is each relaxed solve's (``relaxed_time_limit``); ``jobs`` of them at once."""
    at_cap = caps(skeleton, plan)
    proven = binding_rules(skeleton, plan, time_limit=time_limit, max_rules=max_rules, at_cap=at_cap, jobs=jobs,
                           week=week)
    undecided = [binding for binding in proven if binding.kind == "undecided"]
    proven = [binding for binding in proven if binding.kind != "undecided"]
    rows = objective_by_week(skeleton, plan)
    elsewhere = False
    if week is not None:
        rows = [row for row in rows if row["week"] == week]
        in_week = [b for b in proven if not b.weeks or week in b.weeks]
        elsewhere = bool(proven) and not in_week
        proven = in_week or proven
    tried = relax_order(at_cap, max_rules, week) if plan.objective else []
    return Explanation(
        feasible=True, status=plan.status if plan.proven_optimal else "feasible", binding=proven + at_cap_bindings(at_cap, week),
        objective=plan.objective, objective_by_code=dict(plan.objective_terms), objective_by_week=rows,
        penalties=with_tradeoffs(skeleton, plan, penalty_reasons(skeleton, plan, week), time_limit=time_limit / 2),
        rules_tried=tried,
        at_cap_not_tried=[code for code in dict.fromkeys(code for code, _, _ in at_cap) if code not in tried],
        binding_elsewhere=elsewhere, undecided=undecided,
    )


def explain_athlete(athlete: Athlete, rules: Rules | None = None, *, week: int | None = None,
                    time_limit: float = 60.0, max_rules: int = 4, jobs: int = 1) -> Explanation:
    """Solve the season; explain the conflict when there is no plan, the plan when there is."""
    from periodize.solver.solve import solve_skeleton

    skeleton = build_skeleton(athlete, rules or resolve_rules(athlete))
    plan, _ = solve_skeleton(skeleton, time_limit=time_limit)
    if plan.status == "infeasible":
        return explain_conflict(skeleton, time_limit=time_limit)
    if plan.status == "unknown":
        return Explanation(feasible=None, status="unknown")
    return explain_plan(skeleton, plan, week=week, time_limit=relaxed_time_limit(time_limit), max_rules=max_rules,
                        jobs=jobs)


__all__ = ["NOT_MINIMAL", "Explanation", "explain_athlete", "explain_conflict", "explain_plan", "relaxed_time_limit"]
