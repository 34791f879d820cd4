"""The volume relaxation's lazy rules (periodize/solver/relaxation.py, ``LAZY_CODES``): solved
first without V2, its answer is kept only where the whole relaxation keeps it at the same
cost, so the bound and status are those of the relaxation with every rule posted."""

from __future__ import annotations

import dataclasses

import pytest
from ortools.sat.python import cp_model

from benchmarks import runner
from periodize.loading import load_athlete
from periodize.season import build_skeleton
from periodize.solver import relaxation
from periodize.solver.season_bound import season_lower_bound
from periodize.solver.model import build_season_model
from periodize.solver.relaxation import LAZY_CODES, PHASES, VolumeRelaxation, _lazy_attempt
from periodize.solver.solve import solve_skeleton
from periodize.validate import validate_plan

#: The default phase, the one with a lazy share.
LAZY_PHASE = next(phase for phase in PHASES if phase.lazy_cap > 0)
#: The budget the bounded search gives the relaxation at --time-limit 15.
SEASON_LIMIT = 3.75


def tiny_model(lazy_floor: int, *, other_floor: int = 0) -> tuple[cp_model.CpModel, list[cp_model.IntVar], range]:
    """Minimise x + z (x the one week's training units) with x >= 2 always, and as the lazy
    constraints x >= ``lazy_floor`` and z >= ``other_floor``: small enough to reason about."""
    model = cp_model.CpModel()
    x = model.new_int_var(0, 10, "w0_training_units")
    z = model.new_int_var(0, 10, "z")
    model.add(x >= 2)
    start = len(model.proto.constraints)
    model.add(x >= lazy_floor)
    model.add(z >= other_floor)
    model.minimize(x + z)
    return model, [x], range(start, len(model.proto.constraints))


def test_an_optimum_the_lazy_rule_keeps_is_the_whole_optimum() -> None:
    model, training, lazy = tiny_model(1)
    optimum, bound, _ = _lazy_attempt(model, training, lazy, LAZY_PHASE, 1.0, 0)
    assert optimum == (2, (2,)) and bound == 2


def test_an_optimum_the_lazy_rule_breaks_gives_only_its_bound() -> None:
    model, training, lazy = tiny_model(4)
    optimum, bound, _ = _lazy_attempt(model, training, lazy, LAZY_PHASE, 1.0, 0)
    assert optimum is None
    assert bound == 2  # valid: the whole model's optimum is 4


def test_volumes_the_whole_model_admits_only_at_a_higher_cost_are_not_kept() -> None:
    """With x fixed at the relaxed optimum the whole model is feasible (z can rise to 3), but
    it costs 5, not 2: the lazy answer is not the whole optimum and must not be taken for it."""
    model, training, lazy = tiny_model(0, other_floor=3)
    optimum, bound, _ = _lazy_attempt(model, training, lazy, LAZY_PHASE, 1.0, 0)
    assert optimum is None and bound == 2


def eager_and_lazy(season_name: str, monkeypatch: pytest.MonkeyPatch) -> tuple[VolumeRelaxation, VolumeRelaxation, list]:
    """The benchmark season's volume relaxation with every rule posted at once, then with
    ``LAZY_CODES`` first left out (the default); and what each lazy attempt returned. Without
    the chain's dynamic program (``volume_dp``), which would answer first."""
    monkeypatch.setattr(relaxation, "_chain_optimum", lambda *_: None)
    path = runner.discover([season_name])[0]
    athlete, rules = load_athlete(path)
    season = build_season_model(build_skeleton(athlete, rules))
    eager_phases = tuple(dataclasses.replace(phase, lazy_cap=0.0) for phase in PHASES)
    with monkeypatch.context() as patch:
        patch.setattr(relaxation, "PHASES", eager_phases)
        eager = season_lower_bound(season, deterministic_limit=SEASON_LIMIT, seed=0).volume
    attempts: list = []

    def spy(*args, **kwargs):
        answer = _lazy_attempt(*args, **kwargs)
        attempts.append(answer)
        return answer

    monkeypatch.setattr(relaxation, "_lazy_attempt", spy)
    lazy = season_lower_bound(season, deterministic_limit=SEASON_LIMIT, seed=0).volume
    return eager, lazy, attempts


def test_w12_r5_is_proven_without_v2_and_to_the_same_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """V2 does not bind on the w12-r5 benchmark season: the lazy attempt answers, at the bound
    the relaxation with V2 proves."""
    assert LAZY_CODES == ("V2",)
    eager, lazy, attempts = eager_and_lazy("w12-r5", monkeypatch)
    assert [optimum is not None for optimum, _, _ in attempts] == [True]
    assert eager.status == lazy.status == cp_model.OPTIMAL
    assert lazy.bound == eager.bound


def test_w26_r5_breaks_v2_without_it_and_gets_the_bound_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """On w26-r5 the optimum without V2 breaks it (and costs less): the attempt hands on only
    its bound, and the relaxation ends at the bound it proves with V2 posted."""
    eager, lazy, attempts = eager_and_lazy("w26-r5", monkeypatch)
    [(optimum, lazy_bound, _)] = attempts
    assert optimum is None and lazy_bound is not None and lazy_bound < eager.bound
    assert eager.status == lazy.status == cp_model.OPTIMAL
    assert (lazy.bound, lazy.training) == (eager.bound, eager.training)


def test_w12_r5_season_through_the_lazy_relaxation_is_optimal_valid_and_repeatable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The whole season through the lazy relaxation (it answers there, where the chain's
    dynamic program, which answers first by default, is left out): a proven optimal plan the
    validator passes, the same byte for byte (timing apart) when solved again."""
    monkeypatch.setattr(relaxation, "_chain_optimum", lambda *_: None)
    path = runner.discover(["w12-r5"])[0]
    athlete, rules = load_athlete(path)
    answered: list[bool] = []

    def spy(*args, **kwargs):
        answer = _lazy_attempt(*args, **kwargs)
        answered.append(answer[0] is not None)
        return answer

    monkeypatch.setattr(relaxation, "_lazy_attempt", spy)
    first, _ = solve_skeleton(build_skeleton(athlete, rules), time_limit=15)
    second, _ = solve_skeleton(build_skeleton(athlete, rules), time_limit=15)
    assert answered[0] is True
    assert first.status == "optimal" and first.objective == first.bound
    assert validate_plan(athlete, first, rules) == []
    assert first.model_dump(exclude={"solve_seconds"}) == second.model_dump(exclude={"solve_seconds"})
