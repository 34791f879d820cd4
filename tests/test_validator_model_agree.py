"""The validator and the CP-SAT model, each other's oracle: on plans mutated from a solved
season, the validator passes a plan exactly when the model's hard rules hold with every day
fixed to it. The validator is written apart from the solver (it reads the plan only), so a
rule read two ways shows up here as a plan one side accepts and the other refuses.

An audit ran this on 17 seasons and 38,500 mutated plans (2026-11-28) without a disagreement;
this keeps a seeded sample of it. The plans are placement only (no exercises: S1-S6 are the
prescription's, not the model's), each week's sums recomputed so that the validator judges
the rule and not the arithmetic, and doses written as the solver writes them (deload in a
deload week and in P11's window)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from periodize.loading import load_athlete
from periodize.models.athlete import Athlete
from periodize.models.plan import Day, Plan, Run, RunType, StrengthSession
from periodize.models.rules import HARD_RULE_CODES, Rules
from periodize.season import Skeleton, build_skeleton
from periodize.solver.context import ModelContext
from periodize.solver.model import post_implied_cuts
from periodize.solver.rules import HARD_RULES
from periodize.solver.solve import solve_athlete
from periodize.solver.variables import create_variables, strength_kinds
from periodize.validate import validate_plan

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
MUTATIONS = 200


def hard_rules_model(skeleton: Skeleton, *, by_rule: bool = False) -> ModelContext:
    """Every hard rule the solver posts, no objective: feasibility is the question. ``by_rule``
    builds the explanations' model instead: each rule's constraints hold only under its own
    assumption literals, and the variables carry no rule's numbers, so one rule can be asked
    alone."""
    model = cp_model.CpModel()
    ctx = ModelContext(model=model, skeleton=skeleton, variables=create_variables(model, skeleton, rule_free=by_rule),
                       explain=by_rule, rule_free=by_rule)
    for code in HARD_RULE_CODES:
        HARD_RULES[code](ctx)
    if not by_rule:
        post_implied_cuts(ctx)
    return ctx


def model_accepts(ctx: ModelContext, plan: Plan, only: str | None = None) -> bool:
    """The model with every day (and each normal week's deload flag) fixed to the plan's; in
    the by-rule model, with rule ``only`` alone enforced."""
    variables, model = ctx.variables, ctx.model.clone()
    fixed: list[tuple[int, int]] = [(literal.index, 1) for (code, _), literal in ctx.assumptions.items() if code == only]
    for index, day in enumerate(plan.days()):
        if index in ctx.skeleton.race_on_day:
            continue
        if day.strength is not None and day.strength.session not in variables.strength[index]:
            return False  # a session kind this athlete's sessions_per_week never holds
        fixed += [(var.index, value) for var, value in variables.values_of(index, day)]
    for week_index, week in enumerate(plan.weeks):
        if week_index in variables.deload:
            fixed.append((variables.deload[week_index].index, int(week.deload)))
        elif week.deload:
            return False  # only a normal week can be a deload (V3)
    for index, value in fixed:
        domain = model.proto.variables[index].domain
        if not domain[0] <= value <= domain[len(domain) - 1]:  # the proto's list takes no negative index
            return False
        domain.clear()
        domain.extend([value, value])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10
    status = solver.solve(model)
    assert status != cp_model.UNKNOWN, "the fixed model was not decided within 10 s"
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def placement_only(plan: Plan, skeleton: Skeleton) -> Plan:
    """The plan without exercises, its week sums recomputed and doses as the solver writes them."""
    light = {day for race in skeleton.races for day in skeleton.pre_race(race).days()}
    weeks = []
    for week_index, week in enumerate(plan.weeks):
        days = []
        for offset, day in enumerate(week.days):
            if day.strength is not None:
                dose = "deload" if week.deload or 7 * week_index + offset in light else "normal"
                day = day.model_copy(update={"strength": StrengthSession(
                    session=day.strength.session, minutes=day.strength.minutes, dose=dose)})
            days.append(day)
        weeks.append(week.model_copy(update={
            "days": days, "run_minutes": sum(d.run.minutes for d in days),
            "training_minutes": sum(d.run.minutes for d in days if d.run.type != RunType.race)}))
    return plan.model_copy(update={"weeks": weeks})


def with_days(plan: Plan, changed: dict[int, Day], deloads: list[bool] | None = None) -> Plan:
    weeks = []
    for week_index, week in enumerate(plan.weeks):
        days = [changed.get(7 * week_index + offset, day) for offset, day in enumerate(week.days)]
        update: dict[str, object] = {"days": days}
        if deloads is not None:
            update["deload"] = deloads[week_index]
        weeks.append(week.model_copy(update=update))
    return plan.model_copy(update={"weeks": weeks})


def mutations(plan: Plan, skeleton: Skeleton, rules: Rules, athlete: Athlete) -> Iterator[Plan]:
    """Single changes a coach's hand edit might make: a run's type or minutes, minutes moved
    between two days of a week, a strength session dropped, moved, added or of another kind,
    a week's deload flag."""
    days = plan.days()
    free = [index for index in range(skeleton.n_days) if index not in skeleton.race_on_day]
    kinds = strength_kinds(athlete.strength.sessions_per_week)
    p14 = rules.P14
    lengths = {RunType.rest: 0, RunType.easy: max(p14.easy_min, 30), RunType.recovery: max(p14.recovery_min, 25),
               RunType.quality: max(p14.quality_min, 40), RunType.tempo: max(p14.tempo_min, 40),
               RunType.long: max(p14.long_min, 60)}
    for index in free:
        day = days[index]
        for kind, minutes in lengths.items():
            if kind != day.run.type:
                kept = day.run.minutes if day.run.type != RunType.rest and kind != RunType.rest else minutes
                yield with_days(plan, {index: day.model_copy(update={"run": Run(type=kind, minutes=kept)})})
        for delta in (-10, -5, 5, 10):
            if day.run.type != RunType.rest and day.run.minutes + delta > 0:
                run = Run(type=day.run.type, minutes=day.run.minutes + delta)
                yield with_days(plan, {index: day.model_copy(update={"run": run})})
        other = free[(free.index(index) + 1) % len(free)]
        if days[other].run.type != RunType.rest and day.run.type != RunType.rest and days[other].run.minutes > 5:
            yield with_days(plan, {
                index: day.model_copy(update={"run": Run(type=day.run.type, minutes=day.run.minutes + 5)}),
                other: days[other].model_copy(update={"run": Run(type=days[other].run.type,
                                                                 minutes=days[other].run.minutes - 5)})})
        if day.strength is not None:
            yield with_days(plan, {index: day.model_copy(update={"strength": None})})
            for target in (index - 2, index - 1, index + 1, index + 2):
                if target in free and days[target].strength is None:
                    yield with_days(plan, {index: day.model_copy(update={"strength": None}),
                                           target: days[target].model_copy(update={"strength": day.strength})})
        for kind in kinds:
            if day.strength is None or day.strength.session != kind:
                session = StrengthSession(session=kind, minutes=p14.planned_minutes(kind))
                yield with_days(plan, {index: day.model_copy(update={"strength": session})})
    for week_index in range(skeleton.n_weeks):
        flags = [week.deload for week in plan.weeks]
        flags[week_index] = not flags[week_index]
        yield with_days(plan, {}, flags)


@pytest.mark.parametrize("example", ["first-10k", "half-marathon"])
def test_the_validator_passes_a_mutated_plan_exactly_when_the_model_does(example: str) -> None:
    athlete, rules = load_athlete(EXAMPLES / f"{example}.yaml")
    skeleton = build_skeleton(athlete, rules)
    solved = solve_athlete(athlete, rules, time_limit=2)
    plan = placement_only(solved[0] if isinstance(solved, tuple) else solved, skeleton)
    model, by_rule = hard_rules_model(skeleton), hard_rules_model(skeleton, by_rule=True)
    assert validate_plan(athlete, plan, rules) == [] and model_accepts(model, plan)
    candidates = list(mutations(plan, skeleton, rules, athlete))
    sample = random.Random(7).sample(candidates, MUTATIONS)
    outcomes = {"both accept": 0, "both refuse": 0}
    for mutated in sample:
        mutated = placement_only(mutated, skeleton)
        reported = sorted({violation.code for violation in validate_plan(athlete, mutated, rules)})
        accepted = model_accepts(model, mutated)
        assert accepted == (not reported), (
            f"validator {reported or 'passes'}, model {'accepts' if accepted else 'refuses'}: "
            f"{[(d.date, d.run, d.strength) for d, o in zip(mutated.days(), plan.days(), strict=True) if d != o]}")
        for code in reported:  # each code the validator gives is a rule the plan breaks alone
            assert not model_accepts(by_rule, mutated, only=code), f"validator reports {code}, which alone holds"
        outcomes["both accept" if accepted else "both refuse"] += 1
    assert outcomes["both accept"] >= 5 and outcomes["both refuse"] >= 5, outcomes  # both sides of the line are tried
