"""The independent plan validator: reads a finished Plan, returns every broken hard rule.

The validator never looks at a solver object. It reads only the :class:`~periodize.models.plan.Plan`
and the season skeleton (:func:`periodize.season.build_skeleton`), the very skeleton the solver
posts its rules over, so the two agree on which day is a race, a taper or a recovery day.

Each hard rule of RULES.md (P1-P14, V1-V9) has one small ``check_*`` function whose docstring
quotes the rule and states the reading used: placement and recovery in :mod:`.placement`, volume
and progression in :mod:`.volume`, the strength prescription (S1-S5) in :mod:`.strength`, all
reading the plan through :class:`~.view.PlanView`. :data:`CHECKS` maps each code to its function so
that explanations and reports can cite the rule text (``CHECKS["V1"].__doc__``).

Readings shared by every check (the solver uses the same ones):

* Time is in whole minutes. Day ``d`` of the skeleton is ``skeleton.date_of(d)``; week ``w``
  holds days ``7w .. 7w+6``.
* **Training minutes** ``T[w]`` are recomputed from the days: the week's run minutes without the
  minutes of its race days (the skeleton's race days). Week totals written in the plan are not
  trusted; a disagreement is itself reported (P1). Weeks before the plan (negative indices)
  count as ``volume.current_weekly_minutes``.
* A **running day** is any day whose run is not ``rest`` (a race day included).
* Percent and ratio comparisons are made exactly, with integers and fractions
  (``100 * T <= (100 + pct) * ref``); a percentage given as a float is read as the decimal
  number it prints as (``1.3`` is 13/10), so no float rounding decides a boundary case.
* A day the plan does not hold is reported (P1) and read as a rest day by every other check.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sized
from datetime import date

from periodize.models.athlete import Athlete
from periodize.models.plan import Plan
from periodize.models.rules import HARD_RULE_CODES, Rules, resolve_rules
from periodize.season import build_skeleton
from periodize.validate.placement import (
    check_p1,
    check_p2,
    check_p3,
    check_p4,
    check_p5,
    check_p6,
    check_p7,
    check_p8,
    check_p9,
    check_p10,
    check_p11,
    check_p12,
    check_p13,
    check_p14,
)
from periodize.validate.strength import STRENGTH_CHECKS
from periodize.validate.view import Check, PlanView, Violation
from periodize.validate.volume import (
    check_v1,
    check_v2,
    check_v3,
    check_v4,
    check_v5,
    check_v6,
    check_v7,
    check_v8,
    check_v9,
)

#: Every hard rule's check, by RULES.md code, in RULES.md order.
CHECKS: dict[str, Check] = {
    "P1": check_p1, "P2": check_p2, "P3": check_p3, "P4": check_p4, "P5": check_p5,
    "P6": check_p6, "P7": check_p7, "P8": check_p8, "P9": check_p9, "P10": check_p10,
    "P11": check_p11, "P12": check_p12, "P13": check_p13, "P14": check_p14,
    "V1": check_v1, "V2": check_v2, "V3": check_v3, "V4": check_v4, "V5": check_v5,
    "V6": check_v6, "V7": check_v7, "V8": check_v8, "V9": check_v9,
}
assert tuple(CHECKS) == HARD_RULE_CODES, "every hard rule has exactly one check"

_ORDER = {code: index for index, code in enumerate((*HARD_RULE_CODES, "S1", "S2", "S3", "S4", "S5"))}


def validate_plan(athlete: Athlete, plan: Plan, rules: Rules | None = None) -> list[Violation]:
    """Check every hard rule (P1-P14, V1-V9) and the strength prescription (S1-S5, where the
    plan carries exercises) on a finished plan; ``[]`` means the plan is valid.

    Reads only the plan and the season skeleton built from ``athlete`` and ``rules`` (resolved
    from the athlete when not given). Violations are sorted by date (plan-wide ones first),
    then by rule code in RULES.md order.
    """
    rules = rules or resolve_rules(athlete)
    skeleton = build_skeleton(athlete, rules)
    if not plan.weeks:  # one line, not a P1 for every day and a P3 for every normal week (166 of them)
        return [Violation("P1", None, f"the plan has no weeks, the season has {skeleton.n_weeks}: no day is planned (P1)")]
    view = PlanView(athlete, plan, rules, skeleton)
    checks = [*CHECKS.values(), *STRENGTH_CHECKS.values()]
    found = [violation for check in checks for violation in check(view)]
    return sorted(found, key=lambda v: (v.date or date.min, _ORDER.get(v.code, len(_ORDER)), v.message))


def violations_by_code(violations: Iterable[Violation]) -> dict[str, int]:
    """How many violations each rule code has, in RULES.md order."""
    counts = Counter(violation.code for violation in violations)
    return {code: counts[code] for code in sorted(counts, key=lambda code: (_ORDER.get(code, len(_ORDER)), code))}


def counted(violations: Sized) -> str:
    """``0 violations``, ``1 violation``, ``2 violations``: the count as the validator's last line
    and batch's reason say it ("1 violations" read as a slip)."""
    return f"{len(violations)} violation{'' if len(violations) == 1 else 's'}"


__all__ = ["CHECKS", "PlanView", "Violation", "counted", "validate_plan", "violations_by_code"]
