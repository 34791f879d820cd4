"""The full season model cut into weeks, and any run of consecutive weeks built back from them.

Each week's model is cut out of the full model's proto (``SeasonSlices``): the week's variables
(named ``d<day>_...`` and ``w<week>_...``, see ``variable_weeks``) and every constraint whose
variables all belong to that week. Constraints that reach into another week (V1, V2, V5, P2
across Sunday and Monday, ...) are cut down to what they say about the week alone
(``project_constraint``: P11's one session in an A race's last fortnight still limits each week
of it), or dropped where that is nothing. Both only enlarge the feasible set, so a block's
model is a relaxation of the season's over its weeks (:mod:`periodize.solver.weeks` bounds the
season's penalty with them).

Nothing is re-derived from RULES.md here: the constraints are the full model's own, which keeps
each rule in one place.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model, cp_model_helper

from periodize.solver.cpsat import IntExpr

_DAY = re.compile(r"(?:^|_)d(\d+)(?:_|$)")
_WEEK = re.compile(r"(?:^|_)w(\d+)(?:_|$)")
#: Constraint kinds whose variables ``constraint_variables`` can list; any other kind is left out of the
#: week models, which is always safe for a relaxation.
_LITERAL_KINDS = ("bool_or", "bool_and", "at_most_one", "exactly_one")
_KINDS = (*_LITERAL_KINDS, "linear", "lin_max")


def variable_weeks(model: cp_model.CpModel) -> list[int | None]:
    """The week each variable belongs to, from its name (``d<day>_`` or ``w<week>_``, see
    ``variables``); None for season-wide variables such as a race's reference week."""
    return _weeks_of(variable.name for variable in model.proto.variables)


def _weeks_of(names: Iterable[str]) -> list[int | None]:
    weeks: list[int | None] = []
    for name in names:
        if match := _DAY.search(name):
            weeks.append(int(match.group(1)) // 7)
        elif match := _WEEK.search(name):
            weeks.append(int(match.group(1)))
        else:
            weeks.append(None)
    return weeks


def proto_message(model: cp_model.CpModel) -> cp_model_pb2.CpModelProto:
    """``model``'s proto as a protobuf message. Why: reading fields through OR-Tools' own proto
    wrapper (``model.proto``) costs about ten times more per field than reading a protobuf
    message, and cutting a 26-week model into weeks reads every field of its 4,000
    constraints (measured: 0.074 s against 0.008 s for one pass). OR-Tools 9.15 gives the
    binary proto only as a file, so it goes through one in a temporary folder (about 1 ms)."""
    with tempfile.TemporaryDirectory(prefix="periodize-") as folder:
        path = os.path.join(folder, "model.pb")
        if not model.export_to_file(path):
            raise RuntimeError("OR-Tools could not write the model to a temporary file")
        with open(path, "rb") as file:
            return cp_model_pb2.CpModelProto.FromString(file.read())


def solvable(message: cp_model_pb2.CpModelProto) -> cp_model_helper.CpModelProto:
    """``message`` as OR-Tools' own proto, which a solve copies from (through text format:
    OR-Tools 9.15 reads no bytes). A bare proto, not a ``CpModel``: a week model is only ever
    copied into a scratch model, and each ``CpModel`` costs about 0.25 ms to create."""
    proto = cp_model_helper.CpModelProto()
    proto.parse_text_format(str(message))
    return proto


def literal_variable(literal: int) -> int:
    """The variable a literal reads (a negative literal is the negation of variable -literal-1)."""
    return literal if literal >= 0 else -literal - 1


def constraint_variables(constraint: cp_model_pb2.ConstraintProto, kind: str) -> Sequence[int]:
    """The variables a constraint reads (comprehensions, not calls per literal, and a linear
    constraint's own list where nothing enforces it: this runs over every constraint of the
    season)."""
    body = getattr(constraint, kind)
    variables: Sequence[int]
    if kind == "linear":
        variables = body.vars
    elif kind in _LITERAL_KINDS:
        variables = [literal_variable(literal) for literal in body.literals]
    else:  # lin_max
        variables = [variable for expression in (*body.exprs, body.target) for variable in expression.vars]
    if constraint.enforcement_literal:
        return [*variables, *map(literal_variable, constraint.enforcement_literal)]
    return variables


def variable_bounds(variable) -> tuple[int, int]:
    """A proto variable's least and greatest value. (Its repeated ``domain`` field does not
    support negative indices in ortools 9.15: ``domain[-1]`` reads 0.)"""
    domain = list(variable.domain)
    return domain[0], domain[-1]


def _replace(field, values: list[int]) -> None:
    del field[:]
    field.extend(values)


#: Constraint kinds ``project_constraint`` can cut down to a block of weeks.
_PROJECTED_KINDS = ("at_most_one", "exactly_one", "linear")


def project_constraint(
    source: cp_model_pb2.CpModelProto, weeks: list[int | None], constraint: cp_model_pb2.ConstraintProto, kind: str,
    inside: set[int],
) -> cp_model_pb2.ConstraintProto | None:
    """What ``constraint``, which reaches out of the weeks ``inside``, says about their
    variables alone (a relaxation: every solution of the full model satisfies it), or None
    where that is nothing. At most one literal of a set is true: then at most one of its
    literals inside. A linear constraint (enforced only by literals inside, if at all): its
    terms outside take any value their domains allow, so the terms inside lie within its
    bounds less the outside terms' range. Only what restricts the inside terms' own range is
    kept: P11's "at most one session in the 14 days before an A race" across a weekend keeps
    each week to one; most links (P2, V1, ...) say nothing to a week alone."""
    if any(weeks[literal_variable(literal)] not in inside for literal in constraint.enforcement_literal):
        return None
    body = getattr(constraint, kind)
    projected = cp_model_pb2.ConstraintProto()
    projected.enforcement_literal.extend(constraint.enforcement_literal)
    if kind != "linear":
        literals = [literal for literal in body.literals if weeks[literal_variable(literal)] in inside]
        if len(literals) < 2:
            return None
        projected.at_most_one.literals.extend(literals)
        return projected
    inner: list[tuple[int, int]] = []
    outer_low = outer_high = inner_low = inner_high = 0
    for variable, coefficient in zip(body.vars, body.coeffs, strict=True):
        low, high = sorted(coefficient * bound for bound in variable_bounds(source.variables[variable]))
        if weeks[variable] in inside:
            inner.append((variable, coefficient))
            inner_low, inner_high = inner_low + low, inner_high + high
        else:
            outer_low, outer_high = outer_low + low, outer_high + high
    if not inner:
        return None
    domain = list(body.domain)
    low, high = domain[0] - outer_high, domain[-1] - outer_low
    if low <= inner_low and inner_high <= high:
        return None
    projected.linear.vars.extend(variable for variable, _ in inner)
    projected.linear.coeffs.extend(coefficient for _, coefficient in inner)
    projected.linear.domain.extend([max(low, inner_low), min(high, inner_high)])
    return projected


#: A junction (``junctions``) whose Monday has more interface Booleans than this is left out
#: (its states would be too many to enumerate; leaving it out only weakens the bound). Real
#: seasons have 5: the Monday's quality, tempo and long run literals and its A and B sessions.
#: An "at most one" across weeks that reads more literals than this of a week after its first
#: is read through one literal per week instead (``_read_per_week``).
MAX_INTERFACE = 8


def _read_per_week(source: cp_model_pb2.CpModelProto, weeks: list[int | None]) -> dict[int, tuple[int, ...]]:
    """Rewrite, in ``source`` (a copy: the model the searches see is untouched), each "at most
    one" across weeks that reads many literals of a later week: each such week gets a new
    literal of its own ("the week holds the one"), implied by each of its literals, with at
    most one of them true within the week; the constraint then reads those literals. The same
    plans. Why: the junctions (``junctions``) carry only a few Booleans of a week across its
    Monday, so P11's one session in the fortnight before an A race (Monday to Friday of the
    later week: 20 literals) was left out of them; through one literal it is carried like a
    Monday (w52-r4: the peak week alone takes a session on its Sunday while the week after
    holds the fortnight's one on Monday, 14 points its profile missed, twice). Returns each new
    literal's index and the literals it stands for (true in a plan where one of them is)."""
    stands_for: dict[int, tuple[int, ...]] = {}
    # Literals fixed false by a constraint of their own (P11's last days before the race) can
    # never be the one, so they are left out: the fortnight then reaches over two weeks, not three.
    false: set[int] = set()
    for constraint in source.constraints:
        linear = constraint.linear
        if (constraint.WhichOneof("constraint") == "linear" and not constraint.enforcement_literal
                and len(linear.vars) == 1 and list(linear.domain) == [0, 0]):
            false.add(linear.vars[0])
    for constraint in list(source.constraints):
        if constraint.WhichOneof("constraint") != "at_most_one" or constraint.enforcement_literal:
            continue
        by_week: dict[int, list[int]] = {}
        for literal in constraint.at_most_one.literals:
            if literal in false:
                continue
            week = weeks[literal_variable(literal)]
            if week is None:
                break
            by_week.setdefault(week, []).append(literal)
        else:
            later = sorted(by_week)[1:]
            if not any(len(by_week[week]) > MAX_INTERFACE for week in later):
                continue
            reads = []
            for week, literals in sorted(by_week.items()):
                if len(literals) == 1:
                    reads.extend(literals)
                    continue
                holds = len(source.variables)
                source.variables.add().domain.extend([0, 1])
                weeks.append(week)
                for literal in literals:
                    source.constraints.add().bool_or.literals.extend([-literal - 1, holds])
                source.constraints.add().at_most_one.literals.extend(literals)
                reads.append(holds)
                stands_for[holds] = tuple(literals)
            _replace(constraint.at_most_one.literals, reads)
    return stands_for


@dataclass(frozen=True)
class SeasonSlices:
    """The full model cut into weeks once; ``block_model`` then builds the model of any week
    or run of consecutive weeks."""

    #: The full model's proto, as a protobuf message (see ``proto_message``).
    source: cp_model_pb2.CpModelProto
    #: Each variable's week (None: no week's, including the ``leave_out`` ones).
    weeks: list[int | None]
    members: dict[int, list[int]]
    #: The constraints wholly inside each week.
    constraints: dict[int, list[tuple[int, str]]]
    #: The constraints that reach across weeks, by the first and last week they touch (P2, P8
    #: and P9 across Sunday and Monday, V1, V5, ...): what a block of weeks keeps when it holds
    #: every week they touch, and a week alone drops.
    spanning: dict[tuple[int, int], list[tuple[int, str]]]
    #: The spanning constraints a block of weeks can keep a part of (``projections``), by each
    #: week they touch.
    touching: dict[int, list[tuple[int, str]]]
    #: How many variables the full model has: ``source`` adds its own after them
    #: (``_read_per_week``), which no solution of the full model holds.
    size: int
    #: Each of those added literals and the full model's literals it stands for.
    stands_for: dict[int, tuple[int, ...]]

    @classmethod
    def of(cls, model: cp_model.CpModel, leave_out: Iterable[int] = (), *, read_per_week: bool = False,
           size: int | None = None) -> SeasonSlices:
        """Cut ``model`` into weeks; the ``leave_out`` variables (by index) belong to no week,
        so they and every constraint on them stay out of the week models. ``read_per_week``:
        rules over several weeks read through one literal per week (``_read_per_week``).
        ``size``: how many of ``model``'s variables are the full model's (the others, after
        them, a copy of it added for the week relaxations alone; default all)."""
        source = proto_message(model)
        size = len(source.variables) if size is None else size
        weeks = _weeks_of(variable.name for variable in source.variables)
        for index in leave_out:
            weeks[index] = None
        stands_for = _read_per_week(source, weeks) if read_per_week else {}
        members: dict[int, list[int]] = {}
        for index, week in enumerate(weeks):
            if week is not None:
                members.setdefault(week, []).append(index)
        constraints: dict[int, list[tuple[int, str]]] = {}
        spanning: dict[tuple[int, int], list[tuple[int, str]]] = {}
        touching: dict[int, list[tuple[int, str]]] = {}
        for index, constraint in enumerate(source.constraints):
            kind = constraint.WhichOneof("constraint")
            if kind not in _KINDS:
                continue
            touched = set(map(weeks.__getitem__, constraint_variables(constraint, kind)))
            if None in touched or not touched:  # season-wide, or no variables (an empty clause)
                continue
            in_weeks = cast("set[int]", touched)  # None is ruled out above
            if len(in_weeks) == 1:
                constraints.setdefault(in_weeks.pop(), []).append((index, kind))
            else:
                spanning.setdefault((min(in_weeks), max(in_weeks)), []).append((index, kind))
                if kind in _PROJECTED_KINDS:
                    for week in in_weeks:
                        touching.setdefault(week, []).append((index, kind))
        return cls(source, weeks, members, constraints, spanning, touching, size, stands_for)

    def links(self, first: int, last: int) -> list[tuple[int, str]]:
        """The constraints across weeks that lie wholly within weeks ``first``..``last``."""
        return [item for (low, high), items in sorted(self.spanning.items())
                if first <= low and high <= last for item in items]

    def projections(self, weeks: Sequence[int]) -> list[cp_model_pb2.ConstraintProto]:
        """What the constraints reaching out of consecutive ``weeks`` still say about them
        alone (``project_constraint``), where that restricts anything."""
        inside = set(weeks)
        seen: set[int] = set()
        projected = []
        for week in weeks:
            for index, kind in self.touching.get(week, []):
                if index in seen:
                    continue
                seen.add(index)
                part = project_constraint(self.source, self.weeks, self.source.constraints[index], kind, inside)
                if part is not None:
                    projected.append(part)
        return projected

    def block_members(self, weeks: Sequence[int]) -> list[int]:
        """The variables (full-model indices) of consecutive ``weeks``, in their local order."""
        return [index for week in weeks for index in self.members.get(week, [])]

    def block_model(
        self, weeks: Sequence[int], objective: Mapping[int, int], *, inner: bool = True,
    ) -> cp_model_pb2.CpModelProto:
        """Consecutive ``weeks`` alone, as a protobuf message (``solvable`` makes it a model):
        their variables, the constraints inside each (unless not ``inner``) and between
        neighbours, what the constraints reaching out of the block say about it
        (``projections``), and the objective coefficients on their variables."""
        kept = [*(item for week in weeks if inner for item in self.constraints.get(week, [])),
                *self.links(weeks[0], weeks[-1])]
        # The projections even without ``inner``: they belong to the block, not to one week, so
        # a key built without ``inner`` (``pair_gains``) must tell apart blocks that differ there.
        return self.submodel(self.block_members(weeks), kept, objective, self.projections(weeks))

    def submodel(
        self, variables: Sequence[int], kept: Sequence[tuple[int, str]], objective: Mapping[int, int],
        extra: Sequence[cp_model_pb2.ConstraintProto] = (),
    ) -> cp_model_pb2.CpModelProto:
        """The ``variables`` (full-model indices; their position is their local index), the
        ``kept`` constraints and the ``extra`` ones (which must read only those variables) and
        the objective coefficients on them, as a protobuf message."""
        source = self.source
        local = {index: position for position, index in enumerate(variables)}

        def literals(values: Iterable[int]) -> list[int]:
            return [local[value] if value >= 0 else -local[-value - 1] - 1 for value in values]

        sliced = cp_model_pb2.CpModelProto()
        for index in variables:
            sliced.variables.add().domain.extend(source.variables[index].domain)
        sliced.constraints.extend(source.constraints[index] for index, _ in kept)  # one bulk copy
        sliced.constraints.extend(extra)
        kinds = [*(kind for _, kind in kept), *(constraint.WhichOneof("constraint") for constraint in extra)]
        for copy, kind in zip(sliced.constraints, kinds, strict=True):
            if copy.enforcement_literal:
                _replace(copy.enforcement_literal, literals(copy.enforcement_literal))
            assert kind is not None  # every constraint given is set (getattr would fail on None)
            body = getattr(copy, kind)
            if kind in _LITERAL_KINDS:
                _replace(body.literals, literals(body.literals))
            elif kind == "linear":
                _replace(body.vars, [local[value] for value in body.vars])
            else:
                for expression in (*body.exprs, body.target):
                    _replace(expression.vars, [local[value] for value in expression.vars])
        for index in variables:
            if objective.get(index):
                sliced.objective.vars.append(local[index])
                sliced.objective.coeffs.append(objective[index])
        return sliced


def linear_terms(expression: IntExpr) -> tuple[dict[int, int], int]:
    """A linear expression as (coefficient by variable index, constant)."""
    if isinstance(expression, int):
        return {}, expression
    flat = cp_model_helper.FlatIntExpr(expression)
    coefficients: dict[int, int] = {}
    for variable, coefficient in zip(flat.vars, flat.coeffs):
        coefficients[variable.index] = coefficients.get(variable.index, 0) + coefficient
    return coefficients, flat.offset
