"""The chain's dynamic program (periodize/solver/volume_dp.py) against the volume relaxation.

The program restates V1, V3, V9, the caps, O1 and O2 as arithmetic, so these tests hold it to
CP-SAT's relaxation, which posts the rules themselves: its optimum never above the
relaxation's (it is a bound only if it leaves rules out, never adds one), equal to it where
the rules it leaves out (V2, V7, V8) do not bind, and its weekly minutes cost exactly its
value in the relaxation wherever the relaxation keeps them. Generated athletes (Hypothesis)
check the same over seasons no one picked.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from ortools.sat.python import cp_model
from test_properties import athlete_files

from benchmarks import runner
from benchmarks.generate import draw
from periodize.loading import athlete_from_mapping, load_athlete
from periodize.models.athlete import Athlete
from periodize.models.rules import resolve_rules
from periodize.season import Skeleton, build_skeleton
from periodize.solver import relaxation, volume_dp
from periodize.solver.model import build_season_model
from periodize.solver.relaxation import (
    VolumeRelaxation,
    _chain_optimum,
    _priced_chain,
    solve_volume_relaxation,
)
from periodize.solver.rules import HARD_RULES
from periodize.solver.season_bound import season_lower_bound
from periodize.solver.volume_dp import _windows, solve_chain
from periodize.solver.weeks import PairGain, WeekProfile, summable

#: Enough deterministic work for CP-SAT to prove the relaxation of these short seasons.
LIMIT = 20.0


def skeleton_and_profiles(skeleton: Skeleton) -> tuple[Skeleton, tuple[WeekProfile, ...]]:
    season = build_season_model(skeleton)
    return skeleton, season_lower_bound(season, deterministic_limit=LIMIT, seed=0).weeks.per_week


def benchmark(name: str) -> tuple[Skeleton, tuple[WeekProfile, ...]]:
    athlete, rules = load_athlete(runner.discover([name])[0])
    return skeleton_and_profiles(build_skeleton(athlete, rules))


def cp_sat_relaxation(skeleton: Skeleton, profiles: tuple[WeekProfile, ...], monkeypatch: pytest.MonkeyPatch,
                      **fixed: Any) -> VolumeRelaxation:
    """CP-SAT's relaxation alone, the dynamic program left out."""
    with monkeypatch.context() as patch:
        patch.setattr(relaxation, "_chain_optimum", lambda *_: None)
        return solve_volume_relaxation(skeleton, deterministic_limit=LIMIT, seed=0, profiles=profiles, **fixed)


def assert_agrees(skeleton: Skeleton, profiles: tuple[WeekProfile, ...], monkeypatch: pytest.MonkeyPatch,
                  pairs: tuple[PairGain, ...] = ()) -> bool:
    """The chain's optimum is at most the relaxation's; where the relaxation keeps the
    chain's minutes, they cost exactly the chain's value there (both with ``pairs``). Returns
    whether it kept them."""
    chain = _chain_optimum(skeleton, profiles, pairs)
    whole = cp_sat_relaxation(skeleton, profiles, monkeypatch, pairs=pairs)
    if chain is None:  # then neither has weekly minutes
        assert whole.training is None
        return False
    assert whole.status == cp_model.OPTIMAL
    assert chain.value <= whole.bound, f"the chain claims {chain.value}, above the relaxation's {whole.bound}"
    assert_priced_agrees(skeleton, profiles, whole, monkeypatch, pairs)
    at_chain = cp_sat_relaxation(skeleton, profiles, monkeypatch, fixed=chain.training, pairs=pairs)
    if at_chain.status != cp_model.OPTIMAL:  # V2, V7 or V8 cut the chain's minutes off
        return False
    assert at_chain.bound == chain.value, f"the chain's minutes cost {at_chain.bound}, not {chain.value}"
    assert chain.value == whole.bound
    return True


def assert_priced_agrees(skeleton: Skeleton, profiles: tuple[WeekProfile, ...], whole: VolumeRelaxation,
                         monkeypatch: pytest.MonkeyPatch, pairs: tuple[PairGain, ...] = ()) -> None:
    """V2 priced into the chain (``price_v2``) never claims more than the relaxation, and a
    path it says keeps V2 keeps it, and costs the relaxation at least what it says there."""
    priced = _priced_chain(skeleton, profiles, pairs)
    if priced is None:
        return
    assert priced.bound <= whole.bound, f"pricing claims {priced.bound}, above the relaxation's {whole.bound}"
    if priced.keeping is not None:
        at_path = cp_sat_relaxation(skeleton, profiles, monkeypatch, fixed=priced.keeping.training, pairs=pairs)
        if at_path.status == cp_model.OPTIMAL:  # else a rule the chain leaves out cuts it off
            assert at_path.bound >= priced.keeping.value >= priced.bound


@pytest.mark.parametrize("name", ["w08-r0", "w08-r1", "w08-r2", "w08-r3", "w12-r0", "w12-r3", "w12-r4"])
def test_the_chain_is_a_bound_and_exact_where_its_minutes_are_kept(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """On short benchmark seasons, with and without A races (where V7 and V8 may cut the
    chain's minutes off, w08-r2 and w12-r3)."""
    assert_agrees(*benchmark(name), monkeypatch)


@pytest.mark.parametrize("name", ["w12-r3", "w26-r3"])
def test_the_chain_carries_an_a_races_taper_and_recovery(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Seasons with A races whose V7 and V8 caps bind (left out, the chain was 418 and 189
    against 446 and 237): through each window the chain carries the reference week, and its
    minutes are the relaxation's optimum. (w08-r2 was one: its A race is on a Tuesday, so V7's
    cap holds the week before race week at 60 % too, and V1, which the chain leaves out inside
    the window, then caps the recovery week below V8's 70 %: the chain is only a bound there,
    ``test_the_chain_is_a_bound_and_exact_where_its_minutes_are_kept``.)"""
    assert assert_agrees(*benchmark(name), monkeypatch)


def test_an_a_race_whose_reference_weeks_overlap_an_earlier_window_is_left_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """w26-r5's second A race (taper from week 24) takes its reference from weeks 21-23, inside
    the first race's recovery: the state would need two references, so its caps are left out,
    and the chain stays a bound."""
    skeleton, profiles = benchmark("w26-r5")
    assert [(window.last_reference, window.last) for window in _windows(skeleton)] == [(14, 21)]
    assert not assert_agrees(skeleton, profiles, monkeypatch)


@pytest.mark.parametrize("code", ["V1", "V3", "V7", "V8", "V9"])
def test_the_chain_follows_the_rules_the_model_posts(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a rule left out of the model (as tests of other rules do), the chain leaves it out
    too: a chain stricter than the relaxation would be no bound (and where the relaxation
    keeps its minutes, it is exact)."""
    skeleton, profiles = benchmark("w08-r2")
    monkeypatch.delitem(HARD_RULES, code)
    assert_agrees(skeleton, profiles, monkeypatch)


def test_the_chain_proves_a_raceless_season_at_once() -> None:
    """w26-r0 (no race, two loading weeks then a deload): CP-SAT needs some 9.5 units of work to
    prove this relaxation's optimum, as its linear relaxation mixes fractional deloads; the
    chain proves it, and the relaxation's check, within a few hundredths."""
    skeleton, profiles = benchmark("w26-r0")
    answer = solve_volume_relaxation(skeleton, deterministic_limit=0.1, seed=0, profiles=profiles)
    assert answer.status == cp_model.OPTIMAL
    assert answer.deterministic_time < 0.05
    chain = _chain_optimum(skeleton, profiles)
    assert chain is not None and (answer.bound, answer.training) == (chain.value, chain.training)


def test_weeks_breaking_v2_counts_the_weeks_above_the_ratio_of_their_four_before() -> None:
    """V2 (RULES.md 1.3 times the mean of the four weeks before, from the fifth week; the
    floor, the minimum week, is below these weeks): a steady 60 units keeps it; a week at 78
    after four at 60 keeps it (1.3 x 60 = 78), one at 79 breaks it once; a staircase of 25 % a
    week breaks it in every week from the fifth on."""
    skeleton, _ = benchmark("w26-r0")
    n = skeleton.n_weeks
    assert skeleton.minimum_week < 5 * 60
    assert volume_dp.weeks_breaking_v2(skeleton, [60] * n) == 0
    assert volume_dp.weeks_breaking_v2(skeleton, [60] * 4 + [78] + [60] * (n - 5)) == 0
    assert volume_dp.weeks_breaking_v2(skeleton, [60] * 4 + [79] + [60] * (n - 5)) == 1
    growing = [round(20 * 1.25 ** week) for week in range(n)]
    assert volume_dp.weeks_breaking_v2(skeleton, growing) == n - 4


def test_a_week_with_no_room_leaves_no_chain() -> None:
    """A week whose profile allows no units: no weekly minutes at all."""
    skeleton, profiles = benchmark("w08-r0")
    empty = WeekProfile(minimum=0, feasible=(10, 9), best=(10, 9))
    weeks = [None] * skeleton.n_weeks
    assert solve_chain(skeleton, (empty, *profiles[1:]), capacities=weeks, time_caps=weeks) is None


def with_pairs(skeleton: Skeleton) -> tuple[Skeleton, tuple[WeekProfile, ...], tuple[PairGain, ...]]:
    """The profiles, and the pairs ``season_bound.with_pairs`` charges: asked in their best
    ranges and at the plain relaxation's volumes, sharing no week."""
    bound = season_lower_bound(build_season_model(skeleton), deterministic_limit=LIMIT, seed=0)
    profiles = bound.weeks.per_week
    relaxations = bound.relaxations
    return skeleton, profiles, relaxations.pair_profiles(summable(relaxations.pair_gains(profiles,
                                                                                         at=bound.volume.training)))


@pytest.mark.parametrize("weeks, races, seed, profiled", [(8, 2, 0, [4]), (8, 2, 4, [0]), (12, 3, 0, [0]),
                                                          (8, 1, 6, [])])
def test_the_chain_with_pairs_is_the_relaxation_with_pairs(weeks: int, races: int, seed: int, profiled: list[int],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Each pair's charge is a table by its two weeks' units in the chain (``_pair_extra``), a
    staircase and literals in CP-SAT's relaxation: the same optimum where the relaxation keeps
    the chain's minutes, and never above it; and above the chain without them. Generated
    seasons whose pairs carry their own profiles (with a gain or without) or gains alone."""
    athlete, rules = athlete_from_mapping(draw(weeks, races, 0, seed))
    skeleton, profiles, pairs = with_pairs(build_skeleton(athlete, rules))
    assert pairs, "the season's weeks should pay something together"
    assert [pair.week for pair in pairs if pair.profiles] == profiled
    assert assert_agrees(skeleton, profiles, monkeypatch, pairs)
    chain, plain = _chain_optimum(skeleton, profiles, pairs), _chain_optimum(skeleton, profiles)
    assert chain is not None and plain is not None and chain.value > plain.value


@given(athlete_files())
def test_generated_athletes_chain_with_pairs_below_the_relaxation(data: dict[str, Any]) -> None:
    """As below, with the pairs ``with_pairs`` charges (in their best ranges and at the plain
    relaxation's volumes)."""
    athlete = Athlete.model_validate(data)
    monkeypatch = pytest.MonkeyPatch()
    try:
        skeleton, profiles, pairs = with_pairs(build_skeleton(athlete, resolve_rules(athlete)))
        assert_agrees(skeleton, profiles, monkeypatch, pairs)
    finally:
        monkeypatch.undo()


@given(athlete_files())
def test_generated_athletes_chain_below_the_relaxation(data: dict[str, Any]) -> None:
    """Over generated athletes (4-16 weeks, 0-2 races): the chain never claims more than the
    relaxation, and is exact wherever the relaxation keeps its minutes."""
    athlete = Athlete.model_validate(data)
    monkeypatch = pytest.MonkeyPatch()
    try:
        assert_agrees(*skeleton_and_profiles(build_skeleton(athlete, resolve_rules(athlete))), monkeypatch)
    finally:
        monkeypatch.undo()


def test_a_chain_with_too_many_states_is_left_to_cp_sat(monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory is the chain's limit (minute values squared, times the loading weeks in a row,
    times the weeks): above ``MAX_STATES`` it gives no answer, and the relaxation is CP-SAT's
    alone, with the same bound."""
    skeleton, profiles = benchmark("w08-r0")
    weeks = [None] * skeleton.n_weeks
    assert solve_chain(skeleton, profiles, capacities=weeks, time_caps=weeks) is not None
    monkeypatch.setattr(volume_dp, "MAX_STATES", 1000)
    assert solve_chain(skeleton, profiles, capacities=weeks, time_caps=weeks) is None
    answer = solve_volume_relaxation(skeleton, deterministic_limit=LIMIT, seed=0, profiles=profiles)
    assert answer.status == cp_model.OPTIMAL
    assert answer.bound == cp_sat_relaxation(skeleton, profiles, monkeypatch).bound


def test_among_equal_paths_the_walk_back_takes_one_that_keeps_v2() -> None:
    """w52-r4: the chain's value is the relaxation's optimum, but its first least-cost path
    breaks V2 (week 18, just after a recovery window); the walk back looks among the equal
    paths for one that keeps it, so the relaxation takes the chain's answer at once."""
    skeleton, profiles = benchmark("w52-r4")
    answer = solve_volume_relaxation(skeleton, deterministic_limit=1.0, seed=0, profiles=profiles)
    chain = _chain_optimum(skeleton, profiles)
    assert chain is not None
    assert answer.status == cp_model.OPTIMAL and answer.deterministic_time < 0.05
    assert (answer.bound, answer.training) == (chain.value, chain.training)


@pytest.mark.parametrize("name", ["w26-r1", "w12-r1", "w26-r5"])
def test_priced_v2_is_a_bound(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Seasons whose chain path broke V2 (w26-r1, w12-r1) or leaves a race out (w26-r5): the
    priced chain stays at or below the relaxation."""
    skeleton, profiles = benchmark(name)
    assert_priced_agrees(skeleton, profiles, cp_sat_relaxation(skeleton, profiles, monkeypatch), monkeypatch)


def generated(weeks: int, seed: int) -> tuple[Skeleton, tuple[WeekProfile, ...]]:
    """A batch benchmark athlete (``benchmarks.batch_throughput``: seed 6000 + index)."""
    athlete, rules = athlete_from_mapping(draw(weeks, seed % 4, 0, 6000 + seed))
    return skeleton_and_profiles(build_skeleton(athlete, rules))


def test_pricing_v2_meets_the_relaxation_optimum_where_the_chain_path_breaks_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A generated 26-week athlete whose chain path breaks V2 (-783 against the relaxation's
    -782): with V2's caps priced in, the bound rises to at most the relaxation's, and a path
    that keeps V2 at the relaxation's optimum is met, which CP-SAT's relaxation confirms at
    those minutes. (Under O1's first deload reading, w26-r1's chain broke V2 and pricing
    proved the relaxation; with early deloads measured against the full curve, its chain is
    exact.)"""
    skeleton, profiles = generated(26, 22)
    chain = _chain_optimum(skeleton, profiles)
    whole = cp_sat_relaxation(skeleton, profiles, monkeypatch)
    assert chain is not None and chain.value < whole.bound
    priced = _priced_chain(skeleton, profiles)
    assert priced is not None and priced.keeping is not None
    assert chain.value <= priced.bound <= whole.bound == priced.keeping.value
    at_path = cp_sat_relaxation(skeleton, profiles, monkeypatch, fixed=priced.keeping.training)
    assert at_path.status == cp_model.OPTIMAL and at_path.bound == whole.bound
    answer = solve_volume_relaxation(skeleton, deterministic_limit=LIMIT, seed=0, profiles=profiles)
    assert answer.status == cp_model.OPTIMAL and answer.bound == whole.bound


def test_an_infeasible_season_has_no_chain(monkeypatch: pytest.MonkeyPatch) -> None:
    """A generated 12-week athlete whose relaxation is infeasible: the chain says so too. (Its
    weeks' profiles are negative in places, and UNREACHABLE less those points once passed for
    a path: the chain returned 2**50 - 469 as its optimum.) The athlete drawn was infeasible by
    V7's taper cap, which is now floored (README, V7 readings); a peak of 80 minutes, below
    this beginner's 85-minute minimum week, makes V9 cut off every normal week instead (an
    athlete file says so at load time now, ``season.peak_below_a_week``; built directly here)."""
    data = draw(12, 86 % 4, 0, 6000 + 86)
    data["volume"].update(current_weekly_minutes=70, peak_weekly_minutes=80)
    athlete = Athlete.model_validate(data)
    skeleton, profiles = skeleton_and_profiles(build_skeleton(athlete, resolve_rules(athlete)))
    assert skeleton.minimum_week == 85 and min(profile.minimum for profile in profiles) < 0
    assert cp_sat_relaxation(skeleton, profiles, monkeypatch).status == cp_model.INFEASIBLE
    assert _chain_optimum(skeleton, profiles) is None
