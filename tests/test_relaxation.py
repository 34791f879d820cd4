"""The volume relaxation's CP-SAT phases (periodize/solver/relaxation.py, ``PHASES``): where the
chain's minutes break V2, CP-SAT answers the relaxation, and its answer must be the relaxation's
own optimum, whichever search proves it."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from benchmarks import runner
from periodize.loading import athlete_from_mapping, load_athlete, read_mapping
from periodize.season import build_skeleton
from periodize.solver import relaxation
from periodize.solver.model import build_season_model
from periodize.solver.relaxation import Phase, VolumeRelaxation, solve_volume_relaxation
from periodize.solver.season_bound import season_lower_bound
from periodize.solver.solve import solve_skeleton
from periodize.solver.volume_dp import PricedChain
from periodize.validate import validate_plan

#: The budget the bounded search gives the relaxation at --time-limit 15.
SEASON_LIMIT = 3.75
#: CP-SAT's default search alone, with presolve as it comes and room to spare: the reference.
DEFAULT_SEARCH = (Phase(None, True, {}),)


def relaxations(
    season_name: str, monkeypatch: pytest.MonkeyPatch,
) -> tuple[VolumeRelaxation, VolumeRelaxation, VolumeRelaxation]:
    """The benchmark season's volume relaxation with its week profiles, answered by
    ``PHASES``, by CP-SAT's default search alone (``DEFAULT_SEARCH``, 20 units), and by
    ``PHASES`` with every week fixed at the first answer's minutes."""
    athlete, rules = load_athlete(runner.discover([season_name])[0])
    skeleton = build_skeleton(athlete, rules)
    bound = season_lower_bound(build_season_model(skeleton), deterministic_limit=SEASON_LIMIT, seed=0)
    profiles = bound.weeks.per_week
    phased = solve_volume_relaxation(skeleton, deterministic_limit=SEASON_LIMIT, seed=0, profiles=profiles)
    with monkeypatch.context() as patch:
        patch.setattr(relaxation, "PHASES", DEFAULT_SEARCH)
        reference = solve_volume_relaxation(skeleton, deterministic_limit=20.0, seed=0, profiles=profiles)
    at_minutes = solve_volume_relaxation(skeleton, deterministic_limit=SEASON_LIMIT, seed=0, profiles=profiles,
                                         fixed=phased.training)
    return phased, reference, at_minutes


def test_w26_r5_where_v2_cuts_the_chain_off_gets_the_relaxations_own_optimum(monkeypatch: pytest.MonkeyPatch) -> None:
    """On w26-r5 the chain's minutes break V2, so CP-SAT answers: the phases prove the same
    optimum as the default search given five times the room, and minutes that cost it."""
    calls: list[int] = []
    solve_in_phases = relaxation._solve_in_phases

    def spy(*args, **kwargs):
        answer = solve_in_phases(*args, **kwargs)
        calls.append(answer.status)
        return answer

    monkeypatch.setattr(relaxation, "_solve_in_phases", spy)
    phased, reference, at_minutes = relaxations("w26-r5", monkeypatch)
    assert calls and calls[0] == cp_model.OPTIMAL  # CP-SAT answered, and proved it
    assert phased.status == reference.status == cp_model.OPTIMAL
    assert phased.bound == reference.bound
    assert at_minutes.bound == phased.bound


def test_w12_r5_season_through_cp_sats_relaxation_is_optimal_valid_and_repeatable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The whole season with CP-SAT answering the relaxation (the chain's dynamic program,
    which answers first by default, left out): a proven optimal plan the validator passes, the
    same byte for byte (timing apart) when solved again."""
    monkeypatch.setattr(relaxation, "_chain_optimum", lambda *_: None)
    athlete, rules = load_athlete(runner.discover(["w12-r5"])[0])
    first, _ = solve_skeleton(build_skeleton(athlete, rules), time_limit=15)
    second, _ = solve_skeleton(build_skeleton(athlete, rules), time_limit=15)
    assert first.status == "optimal" and first.objective == first.bound
    assert validate_plan(athlete, first, rules) == []
    assert first.model_dump(exclude={"solve_seconds"}) == second.model_dump(exclude={"solve_seconds"})


def test_a_path_keeping_v2_above_the_priced_bound_starts_cp_sats_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """w26-r1 with its A race a week earlier (a what-if benchmark scenario): V2's pricing ends
    below its best path that keeps V2, so CP-SAT answers, its search started from that path;
    it proves the relaxation's own optimum, as the default search does with room to spare."""
    data = read_mapping(runner.discover(["w26-r1"])[0], what="athlete")
    data["races"][0]["date"] = "2027-04-17"
    skeleton = build_skeleton(*athlete_from_mapping(data))
    priced: list[PricedChain | None] = []
    hints: list[list[int]] = []
    price, solve_in_phases = relaxation._priced_chain, relaxation._solve_in_phases

    def pricing(*args, **kwargs):
        priced.append(price(*args, **kwargs))
        return priced[-1]

    def phases(model: cp_model.CpModel, training: list[cp_model.IntVar], *args, **kwargs) -> VolumeRelaxation:
        hint = dict(zip(model.proto.solution_hint.vars, model.proto.solution_hint.values, strict=True))
        hints.append([hint.get(variable.index) for variable in training])
        return solve_in_phases(model, training, *args, **kwargs)

    bound = season_lower_bound(build_season_model(skeleton), deterministic_limit=SEASON_LIMIT, seed=0)
    with monkeypatch.context() as patch:
        patch.setattr(relaxation, "_priced_chain", pricing)
        patch.setattr(relaxation, "_solve_in_phases", phases)
        answer = solve_volume_relaxation(skeleton, deterministic_limit=SEASON_LIMIT, seed=0,
                                         profiles=bound.weeks.per_week)
    with monkeypatch.context() as patch:
        patch.setattr(relaxation, "PHASES", DEFAULT_SEARCH)
        reference = solve_volume_relaxation(skeleton, deterministic_limit=20.0, seed=0, profiles=bound.weeks.per_week)
    keeping = priced[0].keeping if priced and priced[0] is not None else None
    assert keeping is not None and keeping.value > priced[0].bound  # the pricing proved less than its path
    assert hints == [list(keeping.training)]
    assert answer.status == reference.status == cp_model.OPTIMAL
    assert answer.bound == reference.bound == keeping.value
