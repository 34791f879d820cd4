"""What every rule-posting function receives: the model, the skeleton, the variables, and
the one seam through which hard constraints are added.

Posting through :meth:`ModelContext.post` tags each constraint with its rule code and a group
(a week, a day, a race). A normal solve adds the constraint as it is. An explanation run
(``explain=True``) guards each group with one assumption literal, so CP-SAT can say which
groups of which rules conflict; the rule modules do not know which mode they run in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from ortools.sat.python import cp_model

from periodize.models.rules import Rules, exact
from periodize.season import Skeleton
from periodize.solver.variables import SeasonVariables

#: A group of constraints explanations can name: ("week", 12), ("day", 40), ("race", "City Marathon").
Group = tuple[str, int | str]


@dataclass
class ModelContext:
    model: cp_model.CpModel
    skeleton: Skeleton
    variables: SeasonVariables
    explain: bool = False
    #: The variables carry no rule's numbers (``create_variables(rule_free=True)``), so a rule
    #: they would otherwise hold (P14's lengths, V4's cap, P3's one long run) is posted as that
    #: rule's own constraint: the conflict search's model.
    rule_free: bool = False
    #: S4's busy week posted in the normal weeks (``strength.post_busy_only_without_room``);
    #: ``solve_skeleton``'s first pass leaves it out, and posts it only where its plan needs it.
    busy_rule: bool = True
    assumptions: dict[tuple[str, Group], cp_model.IntVar] = field(default_factory=dict)
    #: Derived variables several rules share (the V7 reference week of each A race).
    shared: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)

    @property
    def rules(self) -> Rules:
        return self.skeleton.rules

    def guard(self, code: str, group: Group) -> list[cp_model.IntVar]:
        """The enforcement literals for a rule group: none in a normal solve."""
        if not self.explain:
            return []
        key = (code, group)
        if key not in self.assumptions:
            self.assumptions[key] = self.model.new_bool_var(f"assume_{code}_{group[0]}_{group[1]}")
        return [self.assumptions[key]]

    def post(
        self, constraint: cp_model.Constraint, code: str, group: Group, *, when: list[cp_model.LiteralT] | None = None,
    ) -> cp_model.Constraint:
        """Tag a hard-rule constraint with its rule code and group; ``when`` lists the
        literals under which it holds (in addition to the group's assumption, if any)."""
        literals = list(when or []) + self.guard(code, group)
        if literals:
            constraint.only_enforce_if(literals)
        return constraint

    def impossible(self, code: str, group: Group) -> None:
        """The calendar itself breaks a rule (two fixed races too close): post an empty clause,
        so the season is infeasible and an explanation names this rule and group."""
        self.post(self.model.add_bool_or([]), code, group)

    def post_any_of(
        self, code: str, group: Group, name: str, options: list[cp_model.BoundedLinearExpression | bool]
    ) -> None:
        """Post "at least one of ``options`` holds": how a cap with a floor is written
        (``x <= max(a, b)`` is ``x <= a or x <= b``) without big-M constants.

        ``options`` are linear constraints (``a <= b``) or booleans, which the ortools operators
        give when both sides are constant. A True option makes the rule vacuous; False drops out.
        """
        if any(option is True for option in options):
            return
        live = [option for option in options if option is not False]
        if len(live) == 1:
            self.post(self.model.add(live[0]), code, group)
            return
        choices = []
        for index, option in enumerate(live):
            choice = self.model.new_bool_var(f"{name}_option{index}")
            self.model.add(option).only_enforce_if(choice)
            choices.append(choice)
        self.post(self.model.add_bool_or(choices), code, group)


def ratio(percent: float) -> Fraction:
    """A rule percentage as an exact fraction, so constraints stay integer (``110 % -> 11/10``)."""
    return exact(percent) / 100
