"""Assemble the season model: variables, every hard rule, the weighted objective.

The model is a pure function of the skeleton. ``explain=True`` builds the feasibility-only
variant whose hard-rule groups are guarded by assumption literals (see ``context``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from periodize.models.plan import Plan
from periodize.models.rules import HARD_RULE_CODES
from periodize.season import Skeleton
from periodize.solver.context import ModelContext
from periodize.solver.cpsat import IntExpr
from periodize.solver.rules import HARD_RULES, OBJECTIVES
from periodize.solver.rules.stability import hint_previous, objective_o5
from periodize.solver.variables import SeasonVariables, create_variables


@dataclass
class SeasonModel:
    model: cp_model.CpModel
    context: ModelContext
    #: Each soft rule's weighted penalty, by code; the objective is their sum.
    objective_terms: dict[str, IntExpr]

    @property
    def variables(self) -> SeasonVariables:
        return self.context.variables


def fix_variables(model: cp_model.CpModel, values: Iterable[tuple[int, int]]) -> None:
    """Fix each variable (by index) of ``model`` to its value, in the proto's domains rather
    than as added constraints: the restrictions the searches try (a pinned or chained first
    plan, a window of weeks) stay the model's own size."""
    set_domains(model, ((index, [value, value]) for index, value in values))


def set_domains(model: cp_model.CpModel, domains: Iterable[tuple[int, list[int]]]) -> None:
    """Give each variable (by index) of ``model`` its domain (a flat list of intervals)."""
    variables = model.proto.variables
    for index, values in domains:
        domain = variables[index].domain
        domain.clear()
        domain.extend(values)


def replace_hint(model: cp_model.CpModel, values: dict[int, int]) -> None:
    """Make ``values`` (by variable index) ``model``'s whole solution hint, written into the
    proto in one go (``add_hint`` per variable cost 0.03 s for a 26-week season)."""
    hint = model.proto.solution_hint
    hint.vars.clear()
    hint.values.clear()
    indices = sorted(values)
    hint.vars.extend(indices)
    hint.values.extend(values[index] for index in indices)


def bound_objective(model: cp_model.CpModel, *, at_least: int | None = None, at_most: int | None = None) -> None:
    """Every solution of ``model`` costs at least ``at_least`` and at most ``at_most`` (None:
    no limit there): the objective's domain, which CP-SAT reads as its starting bounds. (The
    domain excludes the objective's constant.)"""
    objective = model.proto.objective
    offset = round(objective.offset)
    objective.domain.clear()
    objective.domain.extend([-(2**62) if at_least is None else at_least - offset,
                             2**62 if at_most is None else at_most - offset])


def post_implied_cuts(ctx: ModelContext) -> None:
    """Redundant constraints the rules imply, stated for the LP: a normal week that holds a
    long run holds at least the minimum week (P3, P4, P6 and P14 together). Left out of
    explanation models, where they would stand for no rule."""
    for week in range(ctx.skeleton.n_weeks):
        if ctx.skeleton.long_run_required(week):
            ctx.model.add(5 * ctx.variables.training[week] >= ctx.skeleton.minimum_week)


def build_season_model(skeleton: Skeleton, *, explain: bool = False, previous: Plan | None = None,
                       rule_free: bool | None = None, busy_rule: bool = True) -> SeasonModel:
    """The season model; with ``previous`` (re-planning) O5 counts the days that differ from
    that plan, and the plan is the search's starting hint. ``explain`` guards every hard-rule
    group with an assumption; ``rule_free`` (by default as ``explain``) keeps every rule's
    numbers out of the variables' bounds (``ModelContext.rule_free``); without ``busy_rule``
    a normal week may take the busy pair whatever its runs (``ModelContext.busy_rule``)."""
    rule_free = explain if rule_free is None else rule_free
    model = cp_model.CpModel()
    context = ModelContext(model=model, skeleton=skeleton, variables=create_variables(model, skeleton, rule_free=rule_free),
                           explain=explain, rule_free=rule_free, busy_rule=busy_rule)
    for code in HARD_RULE_CODES:  # RULES.md order whatever the registry's order: same model, same plan
        if code in HARD_RULES:
            HARD_RULES[code](context)
    terms: dict[str, IntExpr] = {}
    if not explain:
        post_implied_cuts(context)
        terms = {code: objective(context) for code, objective in OBJECTIVES.items()}
        if previous is not None:
            terms["O5"] = objective_o5(context, previous)
            hint_previous(context, previous)
        model.minimize(sum(terms.values()))
    return SeasonModel(model=model, context=context, objective_terms=terms)
