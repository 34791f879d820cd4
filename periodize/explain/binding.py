"""Why a feasible plan looks the way it does: which rules bind, and what each week costs.

Three views, all computed from the finished plan and the skeleton:

* **objective by code and by week**: recomputed from the plan in plain Python rather than read
  from per-week expressions of the solver. The explanation then depends only on the plan (as
  the validator does), the solver's model needs no extra hooks, and a test checks that the
  weekly values add up to the solver's own ``objective_terms``, so the two cannot drift apart
  silently.
* **at cap**: weeks where the plan sits exactly on a volume rule's cap (V1, V2, V4, V5, V6, V9):
  no room left for another 5-minute unit.
* **relaxed**: the proof that a rule binds. The season is solved again with that rule's groups
  switched off (the explanation model, every other group's assumption literal fixed true, the
  same objective and cuts as a normal solve, the plan given as a hint); the rule binds when the
  relaxed model finds a strictly better objective.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from fractions import Fraction
from typing import TypedDict

from ortools.sat.python import cp_model

from periodize.models.athlete import WEEKDAYS, Priority
from periodize.models.plan import (
    QUALITY_RUN_TYPES,
    Day,
    Phase,
    Plan,
    RunType,
    SessionKind,
    Week,
)
from periodize.models.rules import exact
from periodize.season import Skeleton
from periodize.solver.cpsat import new_solver
from periodize.solver.model import SeasonModel, build_season_model, post_implied_cuts
from periodize.solver.rules import HARD_RULES, OBJECTIVES, VOLUME_CODES, rule_left_out
from periodize.solver.rules.group import group_weight, missed_sessions
from periodize.solver.rules.objectives import (
    deload_due,
    deload_o1_minutes,
    deload_target,
)
from periodize.solver.variables import UNIT
from periodize.validate.view import PlanView
from periodize.validate.volume import (
    v1_growth,
    v1_limit,
    v1_reference,
    v2_chronic_mean,
    v2_growth,
    v2_limit,
    v5_reference,
)

#: What a relaxed solve's figures are where its time limit stopped it before proving them.
UNFINISHED = "the search without it stopped at its time limit, and a longer --time-limit may find more"
#: Rules whose relaxation the explanation tries, in this order, after those found at a cap.
RELAX_CANDIDATES = ("V1", "V2", "V9", "V4", "V5", "V3", "V6", "P4", "P5", "P6", "P12")
#: Rules whose removal makes the minimum-week cut no longer implied (``post_implied_cuts``).
CUT_RULES = frozenset({"P3", "P4", "P6", "P14"})
#: Rules the solver's variables hold in part (P14's session lengths in the minutes' bounds, P3's
#: one long run in ``has_long``), so that only the rule-free variables switch them off whole.
RULES_IN_BOUNDS = frozenset({"P3", "P14"})


@dataclass(frozen=True)
class Binding:
    """A rule that shapes the plan. ``kind`` is ``relaxed`` (proven: without it the objective
    improves by ``gain``), ``at_cap`` (the plan sits on the rule's cap in ``weeks``) or
    ``undecided`` (relaxed, proving neither way: its time limit stopped the search, or the
    optimum without it lies between an unproven plan's bound and objective)."""

    code: str
    kind: str
    text: str
    weeks: tuple[int, ...]  # 1-based
    gain: int | None = None
    terms_without: dict[str, int] = field(default_factory=dict)
    #: Whether ``gain`` is the whole gain (the search without the rule proved its optimum) or
    #: only what it found before its time limit: the rule may cost more.
    gain_proven: bool | None = None

    def as_json(self) -> dict[str, object]:
        return {"code": self.code, "kind": self.kind, "text": self.text, "weeks": list(self.weeks),
                "objective_gain": self.gain, "objective_gain_proven": self.gain_proven,
                "objective_terms_without": self.terms_without or None}


# ---- the objective, week by week -----------------------------------------------------------------
def loading_weeks_before(skeleton: Skeleton, plan: Plan, week: int) -> int:
    """Loading weeks (normal, not deload: V3) in a row just before ``week`` of the plan."""
    count = 0
    while week - count - 1 >= 0 and skeleton.normal_weeks[week - count - 1] and not plan.weeks[week - count - 1].deload:
        count += 1
    return count


def due_deload_week(skeleton: Skeleton, plan: Plan, week: int) -> bool:
    """Whether ``week`` of the plan is a deload O1 lowers its target for (``deload_due``)."""
    return (plan.weeks[week].deload and skeleton.normal_weeks[week]
            and deload_due(skeleton.rules, loading_weeks_before(skeleton, plan, week)))


def o1_target(skeleton: Skeleton, plan: Plan, week: int) -> int:
    """O1's target for a week of the plan: the phase curve, lowered in a due deload week."""
    target = skeleton.phase_targets[week]
    if due_deload_week(skeleton, plan, week):
        target = deload_target(skeleton, target)
    return target


def days_off_preference(skeleton: Skeleton, week: Week) -> dict[str, list[Day]]:
    """O4's days off preference in a week, by preference: ``long`` (a long run off
    ``long_run_day``), ``quality`` (a quality or tempo session off ``quality_days``),
    ``strength`` (a session off ``strength_days``), ``rest`` (a run on one of ``rest_days``).
    Race days are exempt: the race is fixed."""
    prefs = skeleton.athlete.preferences
    off: dict[str, list[Day]] = {"long": [], "quality": [], "strength": [], "rest": []}
    for day in week.days:
        if day.run.type == RunType.race:
            continue
        name = WEEKDAYS[day.date.weekday()]
        if prefs.long_run_day and name != prefs.long_run_day and day.run.type == RunType.long:
            off["long"].append(day)
        if prefs.quality_days and name not in prefs.quality_days and day.run.type in QUALITY_RUN_TYPES:
            off["quality"].append(day)
        if prefs.strength_days and name not in prefs.strength_days and day.strength:
            off["strength"].append(day)
        if name in prefs.rest_days and day.run.type != RunType.rest:
            off["rest"].append(day)
    return off


def week_objective(skeleton: Skeleton, plan: Plan, week: int) -> dict[str, int]:
    """Each soft rule's weighted penalty in one week of the plan (RULES.md O1-O4, O6, O7)."""
    rules, athlete = skeleton.rules, skeleton.athlete
    w = plan.weeks[week]
    terms: dict[str, int] = {}
    target = skeleton.phase_targets[week]
    training = w.days_training
    if w.deload and skeleton.normal_weeks[week]:
        before = plan.weeks[week - 1].days_training if week else athlete.volume.current_weekly_minutes
        off = deload_o1_minutes(skeleton, target, training, before, due=due_deload_week(skeleton, plan, week))
    else:
        off = abs(training - target)
    terms["O1"] = rules.O1.active_weight * off
    budget = athlete.volume.weekly_time_budget_minutes
    strength = sum(d.strength.minutes for d in w.days if d.strength)
    terms["O2"] = rules.O2.active_weight * max(0, training + strength - budget) if budget else 0
    days = plan.days()
    o3 = 0
    for offset, day in enumerate(w.days):
        index = 7 * week + offset
        if day.strength and index + 1 < len(days) and days[index + 1].run.type in QUALITY_RUN_TYPES:
            o3 += 1
    terms["O3"] = rules.O3.active_weight * o3
    off = sum(len(days) for days in days_off_preference(skeleton, w).values())
    missed_group = sum(1 for _, missed_week in missed_sessions(skeleton, plan) if missed_week == week)
    terms["O4"] = rules.O4.active_weight * off + group_weight(skeleton) * missed_group
    per_week = athlete.strength.sessions_per_week
    o6 = 0
    if rules.O6.enabled and per_week:
        held = [d.strength.session for d in w.days if d.strength]
        if not skeleton.normal_weeks[week]:
            o6 += rules.O6.weight * max(per_week - len(held), 0)  # a hand-edited plan may hold more
        busy = skeleton.p10_sessions(week) == 2 and any(s in (SessionKind.full, SessionKind.short) for s in held)
        if busy and not skeleton.is_exception_week(week):
            o6 += rules.O6.busy_week_weight
    terms["O6"] = o6
    no_long = not any(d.run.type == RunType.long for d in w.days)
    terms["O7"] = rules.O7.active_weight * (no_long and not skeleton.has_race(week, Priority.A, Priority.B))
    return {code: int(value) for code, value in terms.items() if code in OBJECTIVES}


class ObjectiveRow(TypedDict):
    """One week's line of ``objective_by_week``: its objective terms and their total."""

    week: int
    start: str
    phase: Phase
    total: int
    terms: dict[str, int]


def objective_by_week(skeleton: Skeleton, plan: Plan) -> list[ObjectiveRow]:
    rows: list[ObjectiveRow] = []
    for week in range(len(plan.weeks)):
        terms = week_objective(skeleton, plan, week)
        rows.append({"week": week + 1, "start": plan.weeks[week].start.isoformat(), "phase": plan.weeks[week].phase,
                     "total": sum(terms.values()), "terms": terms})
    return rows


def objective_mismatch(skeleton: Skeleton, plan: Plan) -> str | None:
    """Where the objective a plan states (``objective``, ``objective_terms``) is not what its
    days cost: ``the objective 324 (O1 300, O3 24) is not what its days cost (340: ...)``. A
    plan edited by hand keeps the figures of the plan it was, and a coach comparing plans by
    them would compare figures no plan has. None where they agree, or where the plan is not
    laid on the season's days (other weeks, a week not its seven days): the validator reports
    those, and the days cannot be costed. A plan on the season's days that states no objective
    (``"objective": null``, edited by hand) is a mismatch too: explain had read it as "objective
    None" and said no rule binds, and validate that its bound was "below its objective None"."""
    days = [day.date for week in plan.weeks for day in week.days]
    season = [skeleton.week_start(0) + timedelta(days=offset) for offset in range(7 * skeleton.n_weeks)]
    if days != season or any(len(week.days) != 7 for week in plan.weeks):
        return None
    rows = objective_by_week(skeleton, plan)
    total = sum(int(row["total"]) for row in rows)
    terms = {code: sum(int(row["terms"][code]) for row in rows) for code in rows[0]["terms"]}
    if plan.objective is None:
        return f"the plan states no objective, where its days cost {total} ({_terms_text(terms)})"
    stated = {code: value for code, value in plan.objective_terms.items() if value}
    if plan.objective == total and stated == {code: value for code, value in terms.items() if value}:
        return None
    return f"the objective {plan.objective} ({_terms_text(stated)}) is not what its days cost ({total}: {_terms_text(terms)})"


def _terms_text(terms: dict[str, int]) -> str:
    return ", ".join(f"{code} {value}" for code, value in terms.items() if value) or "nothing"


# ---- caps the plan sits on -----------------------------------------------------------------------
def long_run(week: Week) -> int:
    return max((d.run.minutes for d in week.days if d.run.type == RunType.long), default=0)


def at(value: int, cap: Fraction | int) -> bool:
    """On the cap: at most the cap, with no room for another 5-minute unit."""
    return value <= cap < value + UNIT


def ramp_at_limit(view: PlanView, week: int, code: str) -> bool:
    """Whether a week's training minutes sit on V1's or V2's limit (``code``) where that limit
    is above its floor (``Skeleton.volume_floor``), which neither caps. The limit, not the
    week: a 50+ beginner's first week of 85 min, the minimum week, sat on V1's 88 (10 % over
    80) and was put down to the available time."""
    limit = v1_limit(view, week) if code == "V1" else v2_limit(view, week)
    return limit is not None and at(view.T(week), limit) and limit > view.skeleton.volume_floor(week)


def _held_at_floor(view: PlanView, week: int) -> list[tuple[str, int, str]]:
    """V1 or V2 holding a week at its floor (``Skeleton.volume_floor``): the limit is below the
    floor, which the week then sits on, so the rule is what keeps the week there. After a
    3-week holiday at 0 minutes V2 held week 15 at the minimum week; explain's O1 line named
    V2, but the caps left it out, so it was not among the rules tried (relaxing it gave
    2,964 -> 2,844)."""
    floor = view.skeleton.volume_floor(week)
    # A week whose O1 target is no more than the floor is held there from below (the minimum
    # week), not by a ramp rule: a beginner's first week of 85 against a curve of 77.
    if view.T(week) != floor or o1_target(view.skeleton, view.plan, week) <= floor:
        return []
    for code, limit in (("V1", v1_growth(view, week)), ("V2", v2_growth(view, week))):
        if limit is not None and limit <= floor:  # the limits (v1_limit, v2_limit) are floored there
            return [(code, week, f"{code} holds week {week + 1} at its floor, {floor} min: its own limit, "
                                 f"{figure(limit)}, is no more")]
    return []


def figure(value: Fraction | int) -> str:
    """A cap as a number a reader can check: ``52.5``, ``304.2``, ``198``."""
    return str(int(value)) if value == int(value) else f"{float(value):.1f}"


def in_steps(minutes: int, cap: Fraction | int, within: str) -> str:
    """``50 min, the most in 5-min steps within 25 % of 210 (52.5)``: the plan's minutes move
    in 5-minute steps, so a cap that is not a multiple of five is met from below."""
    if minutes == cap:
        return f"{minutes} min = {within}"
    return f"{minutes} min, the most in {UNIT}-min steps within {within} ({figure(cap)})"


def caps(skeleton: Skeleton, plan: Plan) -> list[tuple[str, int, str]]:
    """(code, week, sentence) for every week whose plan sits on a volume rule's cap."""
    rules, found = skeleton.rules, []
    view = PlanView(skeleton.athlete, plan, rules, skeleton)
    for index, week in enumerate(plan.weeks):
        minutes = week.days_training
        if minutes == skeleton.athlete.volume.peak_weekly_minutes:
            found.append(("V9", index, f"V9 at its cap in week {index + 1}: {minutes} min = peak_weekly_minutes"))
        if ramp_at_limit(view, index, "V1"):
            within = f"{rules.V1.max_increase_pct:g} % over {v1_reference(view, index)}"
            found.append(("V1", index, (f"V1 at its cap in week {index + 1}: "
                          f"{in_steps(minutes, v1_limit(view, index), within)}")))
        v2_cap = v2_limit(view, index)
        if v2_cap is not None and ramp_at_limit(view, index, "V2"):
            within = f"{rules.V2.max_ratio:g} x the {rules.V2.chronic_weeks}-week mean {figure(v2_chronic_mean(view, index) or 0)}"
            found.append(("V2", index, f"V2 at its cap in week {index + 1}: {in_steps(minutes, v2_cap, within)}"))
        found += _held_at_floor(view, index)
        found += _v3_caps(skeleton, plan, view, index)
        longest = long_run(week)
        if longest:
            runs = sum(1 for d in week.days if d.run.type != RunType.rest)
            pct = rules.V4.share_pct(runs)
            share_cap = exact(pct) / 100 * minutes
            if longest == rules.V4.max_minutes:
                found.append(("V4", index, (f"V4 caps the long run in week {index + 1}: {longest} min, "
                              f"its most (V4.max_minutes)")))
            elif at(longest, share_cap) and longest > rules.P14.long_min:
                found.append(("V4", index, (f"V4 caps the long run in week {index + 1}: "
                              f"{in_steps(longest, share_cap, f'{pct:g} % of {minutes} training min')}")))
            reference, _ = v5_reference(view, index)
            if longest == reference + rules.V5.max_increase_minutes:
                found.append(("V5", index, (f"V5 caps the long run in week {index + 1}: {longest} min = "
                              f"{reference} + {rules.V5.max_increase_minutes}")))
        quality = sum(d.run.minutes for d in week.days if d.run.type in QUALITY_RUN_TYPES)
        quality_cap = exact(rules.V6.max_share_pct) / 100 * minutes
        if quality and at(quality, quality_cap):
            found.append(("V6", index, (f"V6 at its cap in week {index + 1}: quality + tempo "
                          f"{in_steps(quality, quality_cap, f'{rules.V6.max_share_pct:g} % of {minutes}')}")))
    return found


def _v3_caps(skeleton: Skeleton, plan: Plan, view: PlanView, index: int) -> list[tuple[str, int, str]]:
    """A deload week V3 makes: one after the most loading weeks in a row V3 allows, or one at
    the most V3 lets a deload week hold. V3 had no cap, so explain never tried relaxing it,
    where a beginner's 10k plan cost 743 with a deload every third week and 508 without."""
    if not (plan.weeks[index].deload and skeleton.normal_weeks[index]):
        return []
    rules, found = skeleton.rules, []
    loading = loading_weeks_before(skeleton, plan, index)
    if loading >= rules.V3.max_loading_weeks:
        found.append(("V3", index, (f"V3 asks for a deload in week {index + 1}: after {loading} loading weeks in a "
                      f"row, the most it allows")))
    previous, minutes = view.T(index - 1), view.T(index)
    deload_cap = exact(rules.V3.deload_max_pct) * previous / 100
    if at(minutes, deload_cap) and deload_cap > skeleton.minimum_week:
        within = f"{rules.V3.deload_max_pct:g} % of the week before's {previous}"
        found.append(("V3", index, f"V3 caps the deload in week {index + 1}: {in_steps(minutes, deload_cap, within)}"))
    return found


# ---- relaxing one rule ---------------------------------------------------------------------------
def hint_plan(season: SeasonModel, plan: Plan) -> None:
    """Start the relaxed search from the plan (it keeps every rule, so it is feasible there)."""
    for index, day in enumerate(plan.days()):
        for variable, value in season.variables.values_of(index, day):
            season.model.add_hint(variable, value)


@dataclass(frozen=True)
class Relaxed:
    """The best plan found with one rule switched off: its objective and terms, and whether
    that is the optimum (the search proved it) or where its time limit stopped it."""

    objective: int
    terms: dict[str, int]
    proven: bool


def relaxed_objective(skeleton: Skeleton, plan: Plan, code: str, time_limit: float) -> Relaxed | None:
    """The best objective found with rule ``code`` switched off (None when none was found).

    Why the bounded search (``solve_skeleton`` with the rule left out of ``HARD_RULES``) and
    not CP-SAT's plain search on the explanation model: on the half-marathon example, without
    V1, the plain search ran its whole limit (3.75 units, 14.8 s) to a plan of 161 it could
    not prove; the bounded search proves 161 optimal in 1.0 s. Not for the rules the minimum
    week rests on (``CUT_RULES``): the bounded search's relaxations hold every normal week to
    it, which without one of those rules would be a rule of their own."""
    from periodize.solver.solve import (  # late: a conflict never needs them
        solve_skeleton,
        solver_parameters,
    )

    if code not in CUT_RULES and code in HARD_RULES:
        with rule_left_out(code):
            without, _ = solve_skeleton(skeleton, time_limit=time_limit)
        if without.objective is None:
            return None
        return Relaxed(without.objective, dict(without.objective_terms), without.status == "optimal")

    # Guarded to switch ``code`` off. The conflict search's rule-free variables only where the
    # solver's would keep part of the rule (P14's lengths and P3's one long run live in them):
    # elsewhere they weaken the LP, and within its limit the contract example's P4 relaxation
    # reached 830 instead of 827.
    season = build_season_model(skeleton, explain=True, rule_free=code in RULES_IN_BOUNDS)
    ctx = season.context
    for (rule, _group), literal in ctx.assumptions.items():
        season.model.add(literal == (0 if rule == code else 1))
    if code not in CUT_RULES:
        post_implied_cuts(ctx)
    terms = {name: objective(ctx) for name, objective in OBJECTIVES.items()}
    season.model.minimize(sum(terms.values()))
    hint_plan(season, plan)
    solver = new_solver()
    solver_parameters(solver, time_limit=time_limit, workers=1, seed=0)
    status = solver.solve(season.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return Relaxed(int(round(solver.objective_value)), {name: int(solver.value(term)) for name, term in terms.items()},
                   status == cp_model.OPTIMAL)


@dataclass(frozen=True)
class RelaxedSolve:
    """One rule's relaxed solve, as plain data for a worker process (a CpModel does not pickle:
    each worker builds its own)."""

    skeleton: Skeleton
    plan: Plan
    code: str
    time_limit: float


def solve_relaxed(job: RelaxedSolve) -> Relaxed | None:
    """``relaxed_objective`` of a job: the entry point of the worker processes."""
    return relaxed_objective(job.skeleton, job.plan, job.code, job.time_limit)


def relax_order(at_cap: list[tuple[str, int, str]], max_rules: int, week: int | None = None) -> list[str]:
    """The rules explain relaxes, at most ``max_rules``: those the plan sits on a cap of, the
    week's volume rules (``VOLUME_CODES``) first, each kind in the order of its first week
    there, then ``RELAX_CANDIDATES``. Explaining one ``week`` (1-based), its own caps come
    first: the half-marathon's week 12 sat on V9's cap, but the four rules tried were those
    capped earlier, and it was shown V1 and V3, binding elsewhere. Why the volume rules first:
    the half-marathon's plan sat on V4's, V6's and V5's caps in earlier weeks than on V3's, and
    those three were tried and none bound, while V3, "at a cap but not tried", costs it 82 points."""
    own = [code for code, index, _ in at_cap if index + 1 == week]
    capped = [code for code, _, _ in at_cap]
    volume = [code for code in capped if code in VOLUME_CODES]
    return list(dict.fromkeys(own + volume + capped + list(RELAX_CANDIDATES)))[:max_rules]


def binding_rules(
    skeleton: Skeleton, plan: Plan, *, time_limit: float, max_rules: int = 4, at_cap: list[tuple[str, int, str]] | None = None,
    jobs: int = 1, week: int | None = None,
) -> list[Binding]:
    """Rules proven to bind: relaxing each (those at a cap first) improves the objective; and,
    as ``undecided`` bindings, the rules tried whose relaxed solve proved neither way. The
    relaxed solves are independent seasons, so ``jobs`` of them run at once (this process and
    worker processes, ``SharedLanes``), each deterministic: the answer does not depend on it."""
    # Late: a conflict never needs worker processes.
    from periodize.parallel import SharedLanes

    at_cap = caps(skeleton, plan) if at_cap is None else at_cap
    order = relax_order(at_cap, max_rules, week)
    objective = plan.objective or 0
    if objective == 0:
        return []  # nothing to improve
    with SharedLanes(max(1, min(jobs, len(order)))) as lanes:
        results = lanes.map(solve_relaxed, [RelaxedSolve(skeleton, plan, code, time_limit) for code in order])
    # Proven only below what every plan keeping the rule costs: the optimum, or for a plan the
    # time limit stopped, its bound. Its own objective may hold slack the search left, not the
    # rule's cost (an unproven 778 "dropped" to 553 without V1, where the optimum is 700).
    floor = objective if plan.proven_optimal or plan.bound is None else min(objective, plan.bound)
    found = []
    for code, result in zip(order, results, strict=True):
        if result is None or result.objective >= floor:
            if undecided := _undecided_text(code, result, objective, floor):
                found.append(Binding(code, "undecided", undecided, ()))
            continue
        changed = ", ".join(f"{name} {plan.objective_terms.get(name, 0)} -> {value}"
                            for name, value in result.terms.items() if value != plan.objective_terms.get(name, 0))
        weeks = tuple(sorted({w + 1 for c, w, _ in at_cap if c == code}))
        where = f"; at its cap in week{'s' if len(weeks) > 1 else ''} {', '.join(map(str, weeks))}" if weeks else ""
        below = f", below the bound {floor} of every plan keeping it" if floor < objective else ""
        # Unproven, the plan found without the rule is only where its time limit stopped: the
        # marathon example's V1 "dropped" to 547 at -t 10 and to 486, proven, at -t 60.
        unfinished = "" if result.proven else f", or lower: {UNFINISHED}"
        found.append(Binding(code, "relaxed", f"{code} binds: without it the objective drops from {objective} to "
                             f"{result.objective}{below} ({changed}){unfinished}{where}", weeks,
                             objective - result.objective, result.terms, result.proven))
    return found


#: Said of a rule a relaxed solve left undecided.
LONGER = "a longer --time-limit may show it binds"


def _undecided_text(code: str, result: Relaxed | None, objective: int, floor: int) -> str | None:
    """Why relaxing ``code`` proved neither that it binds nor that it does not, or None where
    it proved it does not (the optimum without it is no better than this plan). A relaxed
    solve its time limit stopped with nothing below the floor had been dropped without a word,
    and the rule read as tried and not binding: an advanced marathoner's V3 and V6 at -t 10
    (702 with them; 701 and 699, proven, without each at -t 40)."""
    if result is None:
        return f"{code}: the search without it found no plan within its time limit; {LONGER}"
    if not result.proven:
        return (f"{code}: the search without it stopped at its time limit at {result.objective}, no better than "
                f"{floor}; {LONGER}")
    if result.objective < objective:  # proven, between this plan's bound and its objective
        return (f"{code}: without it the optimum is {result.objective}, between this plan's bound {floor} and its "
                f"objective {objective}: whether it binds turns on this plan's own optimum; {LONGER}")
    return None



def at_cap_bindings(at_cap: list[tuple[str, int, str]], week: int | None = None) -> list[Binding]:
    return [Binding(code, "at_cap", text, (index + 1,)) for code, index, text in at_cap
            if week is None or index + 1 == week]


__all__ = ["Binding", "at_cap_bindings", "binding_rules", "caps", "objective_by_week", "relax_order",
           "relaxed_objective", "week_objective"]
