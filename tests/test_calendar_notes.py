"""Races placed where a coach would look twice, and a season end the plan runs past: notes that
``solve`` prints before solving (and ``whatif`` for the races a scenario adds), never errors.
A new user's review found an A half on the season's first day, a C 10k inside its recovery and
days planned after a mid-week ``season.end`` all accepted without a word."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from plan_builders import START, make_athlete
from typer.testing import CliRunner

from periodize.calendar_notes import race_clashes, volume_notes
from periodize.cli.app import app
from periodize.loading import athlete_from_mapping
from periodize.models.athlete import Athlete
from periodize.season import build_skeleton
from periodize.solver.solve import solve_skeleton


def odd_calendar() -> dict[str, Any]:
    """An A half on the first day, a C 10k nine days later, a C 5k on a ski-trip day."""
    athlete = make_athlete(6, sessions=1, races=[
        {"name": "New Year Half", "date": START, "distance": "half", "priority": "A"},
        {"name": "Club 10k", "date": START + timedelta(days=9), "distance": "10k", "priority": "C"},
        {"name": "Snow 5k", "date": START + timedelta(days=26), "distance": "5k", "priority": "C"}],
        exceptions=[{"from": START + timedelta(days=22), "to": START + timedelta(days=28), "minutes": 0,
                     "note": "ski trip"}])
    return athlete.model_dump(mode="json", by_alias=True, exclude_none=True)


def test_each_kind_of_clash_is_named_with_its_rule_and_dates() -> None:
    notes = race_clashes(build_skeleton(Athlete.model_validate(odd_calendar())))
    assert notes == [
        ("New Year Half (A race, mon 2027-01-04): its 14-day taper (V7) starts before the plan's first day "
         "2027-01-04; the plan holds 0 of its days"),
        "Club 10k (C race, wed 2027-01-13) falls in the recovery after New Year Half (V8, 2027-01-05 to 2027-01-17)",
        ("Snow 5k (C race, sat 2027-01-30) falls on a day with 0 minutes available (ski trip); a race day is "
         "exempt from P12, so the race is kept"),
    ]


def test_the_bundled_examples_have_none_but_the_contracts_short_recovery() -> None:
    """The contract's example sets season.end three weeks after its A marathon, inside V8's
    26 days: the one note a bundled example gives, and a true one."""
    from periodize.loading import load_athlete

    for path in sorted(Path(__file__).resolve().parent.parent.glob("examples/*.yaml")):
        athlete, rules = load_athlete(path)
        expected = [("City Marathon (A race, sun 2027-04-25): its 26-day recovery (V8) runs past the plan's last "
                     "day 2027-05-16; the plan holds 21 of its days: keep the 5 days after it free of quality, "
                     "tempo and long runs")] if path.name == "contract-example.yaml" else []
        assert race_clashes(build_skeleton(athlete, rules)) == expected, path.name


def test_a_race_near_the_plans_end_asks_for_the_strength_free_days_the_plan_cannot_hold() -> None:
    """An A 10k on the plan's second-last day: 6 days of V8's recovery, 1 of them planned; the
    first 3 (``no_strength_days``) include 2 after the plan. The same race a week
    before the plan's end gets no note."""
    athlete = make_athlete(2, races=[
        {"name": "Park 10k", "date": START + timedelta(days=12), "distance": "10k", "priority": "A"}])
    assert race_clashes(build_skeleton(athlete)) == [
        ("Park 10k (A race, sat 2027-01-16): its 6-day recovery (V8) runs past the plan's last day 2027-01-17; the "
         "plan holds 1 of its days: keep the 5 days after it free of quality, tempo and long runs, and no strength "
         "in the first 2")]
    a_week_more = make_athlete(3, races=[
        {"name": "Park 10k", "date": START + timedelta(days=12), "distance": "10k", "priority": "A"}])
    assert race_clashes(build_skeleton(a_week_more)) == []


def test_solve_notes_the_clashes_and_a_season_end_before_a_sunday(tmp_path: Path) -> None:
    data = odd_calendar()
    data["season"]["end"] = (START + timedelta(days=7 * 5 + 1)).isoformat()  # a Tuesday
    path = tmp_path / "odd.yaml"
    path.write_text(yaml.safe_dump(data))
    result = CliRunner().invoke(app, ["solve", str(path), "-t", "5"])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if line.startswith("note: ")]
    assert notes[0] == ("note: the plan ends on Sunday 2027-02-14, the Sunday of season.end 2027-02-09 (RULES.md: "
                        "plans are whole weeks, Monday to Sunday); to keep the days after it free, add an exception "
                        "with minutes: 0 from 2027-02-10 to 2027-02-14")
    assert [note.removeprefix("note: ") for note in notes[1:4]] == race_clashes(build_skeleton(Athlete.model_validate(data)))


def test_a_window_is_dated_as_its_rule_defines_it_not_where_the_plan_ends() -> None:
    """A C 5k 12 days after an A marathon, the season ending with the 5k's recovery: the
    marathon's 26-day recovery was dated to the plan's last day."""
    athlete = make_athlete(3, races=[
        {"name": "Marathon", "date": START + timedelta(days=6), "distance": "marathon", "priority": "A"},
        {"name": "Park 5k", "date": START + timedelta(days=18), "distance": "5k", "priority": "C"}])
    clash = [note for note in race_clashes(build_skeleton(athlete)) if note.startswith("Park 5k")]
    assert clash == ["Park 5k (C race, fri 2027-01-22) falls in the recovery after Marathon (V8, 2027-01-11 to 2027-02-05)"]


#: What the volume notes' athletes share: an advanced runner's 12-week season without races.
TWELVE_WEEKS: dict[str, Any] = {"level": "advanced", "season": {"start": "2027-01-04", "end": "2027-03-28"}}


def test_volumes_out_of_reach_are_named_with_what_holds_the_week(tmp_path: Path) -> None:
    """A peak no week can hold, and current minutes the first week cannot hold: the plan is
    valid, but O1 aims at the peak and the first week falls far below last week's, so solve
    says why. Four runs, the long run at most 180 minutes (V4) and growing 15 a week from 90
    (V5), the others at most 90 minutes (P14): 450 at most in any week, 375 in the first. With fewer
    available minutes, the week's minutes less its strength hold it instead."""
    data = {**TWELVE_WEEKS, "name": "few long runs",
            "volume": {"current_weekly_minutes": 540, "peak_weekly_minutes": 660, "current_long_run_minutes": 90},
            "runs_per_week": {"min": 3, "max": 4}, "strength": {"sessions_per_week": 2},
            "availability": {"mon": 120, "tue": 75, "wed": 0, "thu": 90, "fri": 0, "sat": 90, "sun": 180}}
    athlete, rules = athlete_from_mapping(data)
    assert volume_notes(build_skeleton(athlete, rules)) == [
        ("volume.peak_weekly_minutes 660 is more than any week of the season can hold: at most 450 training minutes "
         "(runs_per_week.max 4 runs: one long run of at most 180 minutes (V4), the others at most 90 minutes (P14), within "
         "each day's available minutes and P5's rest days); O1's phase curve aims at shares of the peak, so the plan "
         "pays O1 in the weeks it cannot reach"),
        ("volume.current_weekly_minutes 540 is more than the plan's first week can hold: at most 375 training minutes "
         "(runs_per_week.max 4 runs: one long run of at most 105 minutes (V5: 15 minutes a week over "
         "current_long_run_minutes), the others at most 90 minutes (P14), within each day's available minutes and P5's rest "
         "days)")]
    short_days = {**data, "volume": {"current_weekly_minutes": 240, "peak_weekly_minutes": 400},
                  "runs_per_week": {"min": 3, "max": 5},
                  "availability": {"mon": 60, "tue": 60, "wed": 0, "thu": 60, "fri": 0, "sat": 60, "sun": 120}}
    athlete, rules = athlete_from_mapping(short_days)
    assert volume_notes(build_skeleton(athlete, rules)) == [
        ("volume.peak_weekly_minutes 400 is more than any week of the season can hold: at most 300 training minutes "
         "(the week's available minutes, less 60 minutes of strength sessions (P10)); O1's phase curve aims at shares "
         "of the peak, so the plan pays O1 in the weeks it cannot reach")]
    path = tmp_path / "few-long-runs.yaml"
    path.write_text(yaml.safe_dump(data))
    solved = CliRunner().invoke(app, ["solve", str(path), "-t", "0.5"])
    assert "note: volume.peak_weekly_minutes 660 is more than any week" in solved.stderr
    assert "note: volume.current_weekly_minutes 540 is more than the plan's first week" in solved.stderr


def test_the_bundled_examples_reach_their_volumes() -> None:
    """No example asks a volume its weeks cannot hold: they give no volume note."""
    from periodize.loading import load_athlete

    for path in sorted(Path(__file__).resolve().parent.parent.glob("examples/*.yaml")):
        assert volume_notes(build_skeleton(*load_athlete(path))) == [], path.name


#: How the volume notes give V4's share of the week, with RULES.md's defaults.
V4_SHARE = ("at most 50 % of the week's training minutes with 3 running days or fewer, 40 % with 4, 30 % with 5 or "
            "more, never below the shortest long run, 60 minutes (V4)")


def test_a_volume_note_counts_the_runs_the_days_hold_and_never_a_negative_minute() -> None:
    """Only Sunday has minutes: the week holds one run, not runs_per_week.max's 4 ("4 runs ...
    at most 120" had been said), and that run is the normal week's long run, which V4's share
    holds to the shortest long run: 60, where "at most 120" had been said of weeks no plan
    takes above 60. Two runs of at most 90 and 150 hold 180, not 240: the long run is at most
    half the week. A week whose minutes do not hold its strength sessions holds 0 training
    minutes, not "-60"."""
    one_day = {**TWELVE_WEEKS, "name": "sunday only",
               "volume": {"current_weekly_minutes": 60, "peak_weekly_minutes": 400, "current_long_run_minutes": 90},
               "runs_per_week": {"min": 1, "max": 4}, "strength": {"sessions_per_week": 0},
               "availability": {"mon": 0, "tue": 0, "wed": 0, "thu": 0, "fri": 0, "sat": 0, "sun": 120}}
    def peak_note(minutes: int, held: str) -> list[str]:
        return [f"volume.peak_weekly_minutes 400 is more than any week of the season can hold: at most {minutes} "
                f"training minutes ({held}); O1's phase curve aims at shares of the peak, so the plan pays O1 in the "
                "weeks it cannot reach"]

    athlete, rules = athlete_from_mapping(one_day)
    assert volume_notes(build_skeleton(athlete, rules)) == peak_note(60, (
        f"1 run: the days with minutes to run, P5's rest days and runs_per_week.max 4: the week's long run (P3), "
        f"{V4_SHARE}, within its day's available minutes"))
    plan, _ = solve_skeleton(build_skeleton(athlete, rules), time_limit=10)
    assert max(week.days_training for week in plan.weeks) == 60  # the note's figure, reached
    two_days = {**one_day, "runs_per_week": {"min": 2, "max": 2},
                "availability": {**one_day["availability"], "wed": 90, "sun": 150}}
    athlete, rules = athlete_from_mapping(two_days)
    assert volume_notes(build_skeleton(athlete, rules)) == peak_note(180, (
        f"runs_per_week.max 2 runs: one long run of at most 180 minutes (V4) and {V4_SHARE}, the others at most 90 "
        "minutes (P14), within each day's available minutes and P5's rest days"))
    # With an A race the taper's weeks are not normal: P3 asks no long run there, so their one
    # run may be an easy or quality run of up to 90 (P14). "the week's long run (P3), ... 60
    # minutes (V4)" had been given as the reason for 90.
    raced = {**one_day, "runs_per_week": {"min": 1, "max": 1},
             "races": [{"name": "Goal", "date": "2027-03-21", "distance": "10k", "priority": "A"}]}
    athlete, rules = athlete_from_mapping(raced)
    assert volume_notes(build_skeleton(athlete, rules)) == peak_note(90, (
        f"runs_per_week.max 1 run: a long run, {V4_SHARE}, or another run of at most 90 minutes (P14), within its day's "
        "available minutes"))
    no_room = {**one_day, "volume": {"current_weekly_minutes": 60, "peak_weekly_minutes": 100},
               "strength": {"sessions_per_week": 2}, "availability": dict.fromkeys(one_day["availability"], 0)}
    athlete, rules = athlete_from_mapping(no_room)
    held = "at most 0 training minutes (the week's available minutes, less 60 minutes of strength sessions (P10))"
    assert [held in note for note in volume_notes(build_skeleton(athlete, rules))] == [True, True]


def test_a_runner_coming_back_hears_why_the_first_week_jumps() -> None:
    """A runner back from injury (40 minutes a week, a 20-minute long run) got a first week of
    120 minutes with a 60-minute long run and no word of why: the minimum week and the shortest
    long run are floors V1 and V5 never cap below."""
    from periodize.calendar_notes import restart_notes
    from periodize.season import build_skeleton

    athlete = make_athlete(8, runs=(3, 4), current=40, peak=200, long=20)
    skeleton = build_skeleton(athlete)
    assert skeleton.minimum_week == 120
    assert restart_notes(skeleton) == [
        ("volume.current_weekly_minutes 40 is below the minimum week, 120 training minutes (the fewest RULES.md "
         "allows a normal week), which V1 never caps a week below, so the first weeks may grow more than V1's 10 % "
         "over last week's"),
        ("volume.current_long_run_minutes 20 is below the shortest long run, 60 minutes (P14), by more than V5's 15: "
         "the plan's long runs start at 60 (V5 never caps one below it)")]
    assert restart_notes(build_skeleton(make_athlete(8, runs=(3, 4), current=200, long=60))) == []
    # Within V1's and V5's growth of the floors (110 grown 10 % reaches 121; 50 + 15 reaches 60): no note.
    assert restart_notes(build_skeleton(make_athlete(8, runs=(3, 4), current=110, long=50))) == []
