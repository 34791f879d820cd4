"""What-if analysis (issue 5): scenarios side by side with the baseline, through the CLI."""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from plan_builders import START
from typer.testing import CliRunner

from periodize.cli.app import app

RACE_DAY = START + timedelta(days=7 * 6 + 6)  # Sunday of week 7


def athlete_data() -> dict[str, Any]:
    return {
        "name": "What If", "level": "intermediate",
        "season": {"start": START.isoformat()},
        "volume": {"current_weekly_minutes": 240, "peak_weekly_minutes": 360, "current_long_run_minutes": 75},
        "runs_per_week": {"min": 4, "max": 5},
        "strength": {"sessions_per_week": 2},
        "races": [{"name": "Goal Half", "date": RACE_DAY.isoformat(), "distance": "half", "priority": "A"}],
        "availability": {"mon": 60, "tue": 75, "wed": 60, "thu": 75, "fri": 0, "sat": 90, "sun": 150},
    }


@cache
def athlete_file(tmp: str) -> Path:
    path = Path(tmp) / "athlete.yaml"
    path.write_text(yaml.safe_dump(athlete_data()))
    return path


def whatif(path: Path, *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["whatif", str(path), "--format", "json", "-t", "2", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def by_name(output: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {scenario["name"]: scenario for scenario in output["scenarios"]}


def iso(day: date) -> str:
    return day.isoformat()


def test_moving_the_a_race_earlier_removes_build_weeks(tmp_path: Path) -> None:
    path = athlete_file(str(tmp_path))
    output = whatif(path, "--move-race", f"Goal Half={iso(RACE_DAY - timedelta(days=14))}")
    baseline, moved = output["scenarios"]
    assert baseline["name"] == "baseline"
    assert moved["races"][0]["build_weeks"] < baseline["races"][0]["build_weeks"]
    assert "costs" in moved["verdict"] and "build-up week" in moved["verdict"]


def test_added_b_race_shows_its_recovery_window_in_the_diff(tmp_path: Path) -> None:
    path = athlete_file(str(tmp_path))
    b_day = START + timedelta(days=7 * 2 + 6)
    output = whatif(path, "--stable", "--add-race", f"Tune-up 10k,{iso(b_day)},10k,B")
    added = by_name(output)[f"add Tune-up 10k,{iso(b_day)},10k,B"]
    assert added["feasible"] and added["days_changed"] > 0
    # V8: a B 10k's recovery is 3 days (6 miles, half that for B), listed as a new window
    recovery = [w for w in added["windows"] if w["rule"] == "V8" and w["race"] == "Tune-up 10k"]
    assert recovery == [{"change": "added", "rule": "V8", "window": "recovery", "race": "Tune-up 10k",
                         "from": iso(b_day + timedelta(days=1)), "to": iso(b_day + timedelta(days=3))}]
    # and no changed day inside it has a quality, tempo or long run in the scenario
    inside = [d for d in added["changed_days"] if recovery[0]["from"] <= d["date"] <= recovery[0]["to"]]
    assert all(not d["scenario"].startswith(("quality", "tempo", "long")) for d in inside)


def test_infeasible_scenario_is_reported_and_others_still_compare(tmp_path: Path) -> None:
    path = athlete_file(str(tmp_path))
    eve = RACE_DAY - timedelta(days=1)
    output = whatif(path, "--add-race", f"Eve 5k,{iso(eve)},5k,C",
                    "--move-race", f"Goal Half={iso(RACE_DAY - timedelta(days=7))}")
    scenarios = output["scenarios"]
    assert [s["feasible"] for s in scenarios] == [True, False, True]
    assert scenarios[1]["status"] == "infeasible" and "not feasible" in scenarios[1]["verdict"]
    assert any("Eve 5k" in line and line[:3] in ("P2 ", "P13") for line in scenarios[1]["explanation"])
    # What would make it solvable, as ``periodize explain`` finds it (each fix checked by
    # solving again): the conflict alone had said why, not what would do.
    assert scenarios[1]["fixes"] and scenarios[1]["no_fix"] is None
    assert all(fix["change"] and fix["patch"] for fix in scenarios[1]["fixes"])
    assert scenarios[0]["fixes"] == scenarios[2]["fixes"] == []
    assert scenarios[2]["objective"] is not None
    # No plan, no counts: null, never a 0 that reads as "no quality sessions".
    counts = ("quality_sessions", "strength_sessions", "total_minutes", "days_changed")
    assert all(scenarios[1][count] is None for count in counts)
    assert all(scenarios[2][count] > 0 for count in counts)


def test_stable_never_changes_more_days(tmp_path: Path) -> None:
    path = athlete_file(str(tmp_path))
    change = ["--move-race", f"Goal Half={iso(RACE_DAY - timedelta(days=7))}",
              "--set-priority", "Goal Half=B"]
    loose = whatif(path, *change)["scenarios"]
    stable = whatif(path, "--stable", *change)["scenarios"]
    assert [s["name"] for s in stable] == [s["name"] for s in loose]
    for free, kept in zip(loose[1:], stable[1:], strict=True):
        assert free["feasible"] and kept["feasible"], (free["verdict"], kept["verdict"])
        assert kept["days_changed"] <= free["days_changed"]
    # not vacuous: the scenarios do change days, and --stable keeps some the free re-plan moves
    assert all(kept["days_changed"] > 0 for kept in stable[1:])
    assert any(kept["days_changed"] < free["days_changed"] for free, kept in zip(loose[1:], stable[1:], strict=True))


def test_a_baseline_plan_solved_before_is_not_solved_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--baseline-plan``: the baseline's plan as ``solve --out`` wrote it stands for the
    baseline (a coach asking one question after another paid for its solve each time), with
    the same comparison as solving it; with --stable too. A plan of another season, one that
    breaks a rule, and a file without a plan are input to fix (exit 2)."""
    import periodize.whatif.run as run_module

    path = athlete_file(str(tmp_path))
    plan = tmp_path / "plan.json"
    assert CliRunner().invoke(app, ["solve", str(path), "-t", "2", "--out", str(plan)]).exit_code == 0
    change = ["--move-race", f"Goal Half={iso(RACE_DAY - timedelta(days=7))}"]
    solved = whatif(path, *change)
    stable = whatif(path, "--stable", *change)
    solves: list[int] = []
    real = run_module.solve_job
    monkeypatch.setattr(run_module, "solve_job", lambda job: solves.append(1) or real(job))
    assert whatif(path, "--baseline-plan", str(plan), *change) == solved
    assert whatif(path, "--baseline-plan", str(plan), "--stable", *change) == stable
    assert len(solves) == 2  # one scenario each, the baseline never
    broken = json.loads(plan.read_text())
    day = broken["weeks"][2]["days"][0]
    day["run"], day["strength"] = {"type": "long", "minutes": 200}, None
    broken["weeks"][2]["run_minutes"] = broken["weeks"][2]["training_minutes"] = sum(
        d["run"]["minutes"] for d in broken["weeks"][2]["days"])
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(broken))
    lines = whatif_refused(path, "--baseline-plan", str(edited), *change)
    assert lines[0].startswith(f"--baseline-plan: {edited} breaks ") and "periodize validate lists them" in lines[0]
    # Its figures stand for the baseline's: a plan solved before the file's weights changed is refused.
    reweighted = tmp_path / "reweighted.yaml"
    reweighted.write_text(yaml.safe_dump({**yaml.safe_load(path.read_text()), "rules": {"O1": {"weight": 3}}}))
    lines = whatif_refused(reweighted, "--baseline-plan", str(plan), *change)
    assert lines[0].startswith(f"--baseline-plan: {plan}: the objective ") and "under the athlete file as it is now" in lines[0]
    none = tmp_path / "none.json"
    none.write_text(json.dumps({"athlete": "x", "status": "infeasible"}))
    assert whatif_refused(path, "--baseline-plan", str(none), *change) == [
        f"--baseline-plan: {none} holds no plan (status 'infeasible'); give one that `periodize solve --out` wrote "
        "for the athlete file"]


def test_same_call_twice_gives_identical_output(tmp_path: Path) -> None:
    path = athlete_file(str(tmp_path))
    args = ["--move-race", f"Goal Half={iso(RACE_DAY - timedelta(days=7))}"]
    assert whatif(path, *args) == whatif(path, *args)


def test_scenario_file_and_csv(tmp_path: Path) -> None:
    path = athlete_file(str(tmp_path))
    patch = tmp_path / "lower-peak.yaml"
    patch.write_text("volume:\n  peak_weekly_minutes: 300\n")
    result = CliRunner().invoke(app, ["whatif", str(path), "--scenario", str(patch), "--format", "csv", "-t", "2"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("scenario,status,objective")
    assert lines[1].startswith("baseline,") and lines[2].startswith("lower-peak,")


def test_a_scenario_files_list_that_drops_baseline_entries_says_so(tmp_path: Path) -> None:
    """A scenario file giving ``exceptions: [holiday]`` replaces the file's list whole (RFC
    7386): the baseline's work trip was gone, and its week's training read as the holiday's
    doing. The entries left out are said under the verdict (and in JSON and CSV); a list that
    keeps them, dates written as JSON's text or YAML's dates, says nothing."""
    import csv
    import io

    from periodize.whatif.scenario import replaced_lists

    contract = Path(__file__).resolve().parents[1] / "examples" / "contract-example.yaml"
    holiday = {"from": "2027-03-22", "to": "2027-03-28", "minutes": 30, "note": "family holiday"}
    swap = tmp_path / "swap.yaml"
    swap.write_text(yaml.safe_dump({"exceptions": [holiday]}))
    results = CliRunner().invoke(app, ["whatif", str(contract), "--scenario", str(swap), "--format", "json", "-t", "1"])
    notes = by_name(json.loads(results.stdout))["swap"]["calendar_notes"]
    assert notes[0] == ("exceptions: the scenario's list replaces the athlete file's (lists are replaced whole), "
                        "leaving out 'work trip' (2027-02-08 to 2027-02-14)")
    table = CliRunner().invoke(app, ["whatif", str(contract), "--scenario", str(swap), "--format", "csv", "-t", "1"])
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert rows[1]["notes"] == f"1. {notes[0]}" and rows[0]["notes"] == ""
    baseline = yaml.safe_load(contract.read_text())
    kept = [{**entry, "from": str(entry["from"]), "to": str(entry["to"])} for entry in baseline["exceptions"]]
    assert replaced_lists(baseline, {"exceptions": [*kept, holiday]}) == []
    assert replaced_lists(baseline, {"volume": {"peak_weekly_minutes": 300}}) == []
    # A race kept under its name is no entry left out, moved or written as the loader reads it.
    races = [{**race, "date": "2027-5-1", "priority": race["priority"].lower()} for race in baseline["races"]]
    assert replaced_lists(baseline, {"races": races}) == []
    assert replaced_lists(baseline, {"races": races[1:]}) == [
        f"races: the scenario's list replaces the athlete file's (lists are replaced whole), leaving out "
        f"{baseline['races'][0]['name']!r} ({baseline['races'][0]['date']})"]


def whatif_refused(path: Path, *args: str) -> list[str]:
    """A call whose scenarios are not all valid: exit 2, nothing solved, no table; the
    problem lines from stderr."""
    result = CliRunner().invoke(app, ["whatif", str(path), "-t", "2", *args])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    return result.stderr.splitlines()


def test_invalid_scenarios_exit_2_naming_each_before_anything_is_solved(tmp_path: Path) -> None:
    """A misspelt race, an impossible date, a missing field or a bad priority is the user's
    input to fix (exit 2, every problem under its scenario's name), not a column marked
    "invalid" beside plans solved for nothing, exit 0."""
    path = athlete_file(str(tmp_path))
    lines = whatif_refused(path, "--drop-race", "No Such Race", "--move-race", "Goal Half=2027-02-30",
                          "--add-race", "Foo,2027-03-01,half", "--set-priority", "Goal Half=D",
                          "--move-race", "Goal Half=2020-01-05")
    assert lines == [
        "scenario 'add Foo,2027-03-01,half': --add-race: expected NAME,DATE,DISTANCE,PRIORITY[,MINUTES], got 'Foo,2027-03-01,half'",
        "scenario 'move Goal Half=2027-02-30': --move-race: expected a date like 2027-05-02, got '2027-02-30': day is out of range for month",
        f"scenario 'move Goal Half=2020-01-05': races[0].date: race 'Goal Half' on 2020-01-05 is before the season start {iso(START)}",
        "scenario 'drop No Such Race': --drop-race: no race named 'No Such Race' (races: 'Goal Half')",
        "scenario 'priority Goal Half=D': races[0].priority: expected 'A', 'B' or 'C', got 'D'",
    ]


def test_demoting_the_only_a_race_says_the_season_has_no_goal_left(tmp_path: Path) -> None:
    """A season without an A race aims lower everywhere, so its objective falls: the verdict
    says no goal race is left, not only "no A race Goal Half" beside a large minus."""
    path = athlete_file(str(tmp_path))
    demoted = by_name(whatif(path, "--set-priority", "Goal Half=B"))["priority Goal Half=B"]
    assert demoted["verdict"].startswith("no A race left (Goal Half no longer one): the season builds toward no goal race; ")


def test_a_race_moved_onto_another_race_names_both(tmp_path: Path) -> None:
    """The path is the later entry's (here the race added), which the user may not have
    touched: "races[1].date: two races on ..." alone pointed a coach at the wrong race."""
    path = athlete_file(str(tmp_path))
    lines = whatif_refused(path, "--add-race", f"Tune-up,{iso(RACE_DAY)},10k,C")
    assert lines == [f"scenario 'add Tune-up,{iso(RACE_DAY)},10k,C': races[1].date: two races on {iso(RACE_DAY)} "
                     "('Goal Half' and 'Tune-up'); one race a day"]


def test_a_scenario_file_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    """With several --scenario files, "(file): ..." alone did not say which one; and the first
    unreadable file hid every other scenario's problems."""
    path = athlete_file(str(tmp_path))
    good, bad, boolean = tmp_path / "good.yaml", tmp_path / "bad.yaml", tmp_path / "boolean.yaml"
    good.write_text("volume:\n  peak_weekly_minutes: 300\n")
    bad.write_text("- a list\n")
    boolean.write_text("volume:\n  peak_weekly_minutes: yes\n")
    missing = tmp_path / "missing.yaml"
    lines = whatif_refused(path, "--scenario", str(good), "--scenario", str(bad), "--scenario", str(missing),
                           "--scenario", str(boolean), "--drop-race", "Nope")
    assert len(lines) == 4
    assert lines[0] == "scenario 'drop Nope': --drop-race: no race named 'Nope' (races: 'Goal Half')"
    assert lines[1].startswith(f"scenario file {str(bad)!r}: the top level must be a mapping")
    assert lines[2] == f"--scenario: scenario file not found: {missing}"  # the path once, not twice
    # A scenario file's problems name the file too: the stem alone did not say where to look.
    assert lines[3] == (f"scenario 'boolean' (file {str(boolean)!r}): volume.peak_weekly_minutes: "
                        "expected a number, got the boolean true")


def test_a_scenario_files_scenario_key_holds_its_name_and_nothing_else(tmp_path: Path) -> None:
    """``scenario: 5`` and a misspelt ``scenario: {nmae: ...}`` were dropped without a word (the
    column then named after the file), and ``{name: [1, 2]}`` named it "[1, 2]": exit 2, each
    at its path in its file, before anything is solved."""
    path = athlete_file(str(tmp_path))
    files = {"number": "scenario: 5\n", "typo": "scenario: {nmae: Short}\n", "list": "scenario: {name: [1, 2]}\n"}
    for stem, text in files.items():
        (tmp_path / f"{stem}.yaml").write_text(text + "volume: {peak_weekly_minutes: 300}\n")
    lines = whatif_refused(path, *[arg for stem in files for arg in ("--scenario", str(tmp_path / f"{stem}.yaml"))])
    assert lines == [
        f"scenario file {str(tmp_path / 'number.yaml')!r}: scenario: expected a mapping such as {{name: short wednesdays}}, got 5",
        f"scenario file {str(tmp_path / 'typo.yaml')!r}: scenario.nmae: unknown key 'nmae'; scenario: holds only the "
        "scenario's name",
        f"scenario file {str(tmp_path / 'list.yaml')!r}: scenario.name: expected the scenario's name as text, got a list"]


def test_a_change_given_twice_is_refused_before_anything_is_solved(tmp_path: Path) -> None:
    """``--drop-race X`` twice, or one scenario file twice (by two paths to it), was solved twice
    and shown as two columns of one name: exit 2, once per repeated change."""
    path = athlete_file(str(tmp_path))
    (tmp_path / "alt.yaml").write_text("volume: {peak_weekly_minutes: 300}\n")
    (tmp_path / "sub").mkdir()
    lines = whatif_refused(path, "--drop-race", "Goal Half", "--drop-race", "Goal Half", "--drop-race", "Goal Half",
                           "--set-priority", "Goal Half=B", "--scenario", str(tmp_path / "alt.yaml"),
                           "--scenario", str(tmp_path / "sub" / ".." / "alt.yaml"))
    assert lines == ["--drop-race: 'Goal Half' is given twice; each scenario is solved once",
                     f"--scenario: {tmp_path / 'alt.yaml'} is given twice; each scenario is solved once"]


def test_one_change_in_two_spellings_is_given_twice(tmp_path: Path) -> None:
    """The file reads ``2027-3-14`` as ``2027-03-14`` and ``b`` as ``B``: two spellings of one
    change had been solved twice, two identical columns."""
    path = athlete_file(str(tmp_path))
    day = RACE_DAY - timedelta(days=14)
    unpadded = f"{day.year}-{day.month}-{day.day}"
    assert unpadded != iso(day), "the case needs a month or day below 10"
    lines = whatif_refused(path, "--move-race", f"Goal Half={unpadded}", "--move-race", f"Goal Half = {iso(day)}",
                           "--set-priority", "Goal Half=b", "--set-priority", "Goal Half=B")
    assert lines == [f"--move-race: 'Goal Half={unpadded}' is given twice; each scenario is solved once",
                     "--set-priority: 'Goal Half=b' is given twice; each scenario is solved once"]


def test_scenario_files_of_one_name_are_told_apart_by_their_paths(tmp_path: Path) -> None:
    path = athlete_file(str(tmp_path))
    for folder, peak in (("s1", 300), ("s2", 330)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "alt.yaml").write_text(f"volume:\n  peak_weekly_minutes: {peak}\n")
    output = whatif(path, "--scenario", str(tmp_path / "s1" / "alt.yaml"), "--scenario", str(tmp_path / "s2" / "alt.yaml"))
    assert [s["name"] for s in output["scenarios"]] == ["baseline", str(tmp_path / "s1" / "alt.yaml"),
                                                       str(tmp_path / "s2" / "alt.yaml")]


def test_an_infeasible_baseline_says_its_conflict(tmp_path: Path) -> None:
    """Every column shares the baseline's conflict: the table says it (it printed the
    scenarios' verdicts only), with every rule of the conflict."""
    data = athlete_data()
    data["runs_per_week"] = {"min": 6, "max": 6}
    data["availability"] = {**data["availability"], "wed": 0, "fri": 0}  # five days with time
    path = tmp_path / "six.yaml"
    path.write_text(yaml.safe_dump(data))
    result = CliRunner().invoke(app, ["whatif", str(path), "--set-priority", "Goal Half=B", "-t", "2"])
    assert result.exit_code == 0, result.output
    verdicts = [line for line in result.stdout.splitlines() if line.startswith(("baseline: ", "priority Goal Half=B: "))]
    assert len(verdicts) == 2
    for line in verdicts:
        assert ": not feasible (infeasible): " in line
        assert "P6 needs 6 running days a week (runs_per_week 6-6) but only 5 days have time" in line
    # Each verdict is followed by the verified fixes, as explain words them.
    fixes = [line for line in result.stdout.splitlines() if line.startswith("  fix: ")]
    assert any("runs_per_week.min" in line or "availability." in line for line in fixes), result.stdout


def test_race_changes_on_a_file_without_races_are_input_errors(tmp_path: Path) -> None:
    """An athlete file may hold no ``races:`` key (a season end instead); naming a race to
    move, drop or reprioritise there raised KeyError (an internal error): it is that
    scenario's input problem, as for any unknown race name."""
    data = athlete_data()
    del data["races"]
    data["season"]["end"] = (START + timedelta(days=8 * 7 - 1)).isoformat()
    path = tmp_path / "no-races.yaml"
    path.write_text(yaml.safe_dump(data))
    lines = whatif_refused(path, "--drop-race", "X", "--move-race", "X=2027-05-01", "--set-priority", "X=B")
    assert len(lines) == 3
    assert all(line.endswith("no race named 'X' (races: none)") for line in lines)


def test_an_added_races_minutes_are_read_as_a_number() -> None:
    """The command line gives text; the athlete model refuses a number in quotes, so
    ``--add-race``'s minutes are read as the number typed, and text that is none stays text
    for the model to name."""
    from periodize.loading import athlete_from_mapping
    from periodize.whatif.scenario import Scenario

    def with_race(minutes: str) -> dict[str, Any]:
        change = ("add-race", f"Park 5k,{iso(START + timedelta(days=20))},5k,C,{minutes}")
        return Scenario("x", (change,)).apply(athlete_data())

    assert [with_race(typed)["races"][-1]["expected_minutes"] for typed in ("25", "25.5", "2x5")] == [25, 25.5, "2x5"]
    athlete, _ = athlete_from_mapping(with_race("25"))
    assert athlete.races[-1].expected_minutes == 25


def test_an_added_races_name_may_hold_commas_and_dates_need_no_leading_zeros() -> None:
    """``--add-race`` split its text at every comma, so "Run, Forest, Run" was five fields
    and refused; ``--move-race``'s ``2027-3-7`` was refused though the file reads it."""
    from periodize.whatif.scenario import Scenario

    day = START + timedelta(days=20)
    unpadded = f"{day.year}-{day.month}-{day.day}"
    changes = (("add-race", f"Run, Forest, Run,{unpadded},10k,c,55"), ("move-race", f"Goal Half={unpadded}"))
    races = Scenario("x", changes).apply(athlete_data())["races"]
    assert "-0" in day.isoformat(), "the case needs a month or day below 10"
    assert races[-1] == {"name": "Run, Forest, Run", "date": unpadded, "distance": "10k", "priority": "c",
                         "expected_minutes": 55}
    assert races[0]["date"] == day.isoformat()
    without_minutes = Scenario("x", (("add-race", f"Run, Forest,{iso(day)},5k,B"),)).apply(athlete_data())["races"]
    assert without_minutes[-1] == {"name": "Run, Forest", "date": iso(day), "distance": "5k", "priority": "B"}
    # A name ending in a date-shaped part: the minutes, the last field, are a number or absent.
    dated = Scenario("x", (("add-race", f"Run 2027-05-01,{iso(day)},10k,C"),)).apply(athlete_data())["races"]
    assert dated[-1] == {"name": "Run 2027-05-01", "date": iso(day), "distance": "10k", "priority": "C"}
    dated = Scenario("x", (("add-race", f"Run, 2027-05-01,{iso(day)},10k,C"),)).apply(athlete_data())["races"]
    assert dated[-1]["name"] == "Run, 2027-05-01" and dated[-1]["date"] == iso(day)


def test_a_patch_nested_too_deeply_is_an_input_error(tmp_path: Path) -> None:
    """A scenario patch nested hundreds deep: merging it overflowed Python's stack (an internal
    error); it is that scenario's input problem."""
    path = athlete_file(str(tmp_path))
    patch = tmp_path / "deep.json"
    patch.write_text('{"strength": ' + "[" * 900 + "]" * 900 + "}")
    lines = whatif_refused(path, "--scenario", str(patch))
    # Refused as read, whatever the stack depth (900 levels overflowed it in some callers and
    # not in others, so the message depended on where the test ran).
    assert lines == [f"scenario file {str(patch)!r}: nested more than 64 levels deep; no input file of periodize holds that"]


def test_the_verdicts_objective_says_what_it_leaves_out_and_whether_it_is_proven() -> None:
    """Under --stable the row's objective holds O5 and the verdict's did not, unsaid (782
    against 778 in the rows, "objective -46" in the verdict); an unproven baseline's slack read
    as the scenario's gain."""
    from periodize.whatif.compare import ScenarioResult, verdict

    baseline = ScenarioResult("baseline", "optimal", True, 778, {"O1": 778})
    proven = ScenarioResult("b", "optimal", True, 760, {"O1": 760})
    assert verdict(proven, baseline) == "objective -18"
    stable = ScenarioResult("c", "optimal", True, 782, {"O1": 732, "O5": 50})
    assert verdict(stable, baseline) == "objective -46 (O5, the cost of moving from the baseline, left out)"
    unproven = ScenarioResult("d", "feasible", True, 790, {"O1": 790})
    assert verdict(unproven, baseline) == "objective +12 (not both proven optimal: a longer --time-limit may change it)"


def test_the_table_counts_the_rule_windows_each_scenario_changes() -> None:
    """The README lists the windows a change adds or removes for each scenario; the table had
    no row for them (only the JSON)."""
    from periodize.cli.whatif import window_counts
    from periodize.whatif.compare import ScenarioResult

    result = ScenarioResult("drop", "optimal", True, windows=[
        {"change": "removed", "rule": "V8", "window": "recovery", "race": "Winter 10k", "from": "2027-02-01", "to": "2027-02-03"},
        {"change": "added", "rule": "P11", "window": "pre-race", "race": "Spring Half", "from": "2027-03-01", "to": "2027-03-14"},
        {"change": "removed", "rule": "V7", "window": "mini taper", "race": "Winter 10k", "from": "2027-01-27", "to": "2027-01-30"}])
    assert window_counts(result) == "+1 / -2"
    assert window_counts(ScenarioResult("baseline", "optimal", True)) == "+0 / -0"


def test_the_verdict_names_the_weeks_sessions_and_long_runs_a_scenario_moves() -> None:
    """An exception that took the last peak week from 450 to 180 minutes read "the same build
    weeks and peak" (the peak is the highest week, which an earlier one still set), and a
    shorter longest long run went unsaid beside "gains 30 peak minutes"."""
    from periodize.whatif.compare import RaceOutlook, ScenarioResult, verdict

    def result(name: str, peak: int, longest: int, late_week: int, quality: int, weeks: int) -> ScenarioResult:
        outcome = ScenarioResult(name, "optimal", True, 700, {"O1": 700}, bound=700, weeks=weeks,
                                 races=[RaceOutlook("City Marathon", date(2027, 5, 2), peak, 9, 21, longest)],
                                 quality_sessions=quality, strength_sessions=34)
        outcome.week_changes = [] if name == "baseline" else [
            {"week": "2027-03-29", "baseline": 450, "scenario": late_week},
            {"week": "2027-04-05", "baseline": 400, "scenario": 410}]
        return outcome

    baseline = result("baseline", 450, 180, 450, 14, 20)
    holiday = verdict(result("holiday", 450, 180, 180, 15, 20), baseline)
    assert holiday.startswith("the same build-up weeks, peak and longest long run for City Marathon; "
                              "training 450 -> 180 min in the week of 2027-03-29; quality/tempo sessions 14 -> 15; ")
    assert "2027-04-05" not in holiday  # 10 minutes is no news
    moved_race = result("moved", 480, 170, 450, 14, 21)
    moved_race.windows = [{"change": "added", "rule": "V7"}]
    moved = verdict(moved_race, baseline)
    assert moved.startswith("gains 30 peak minutes (480) for City Marathon, longest long run 180 -> 170 min (no rule "
                            "prices its length: plans of equal cost may differ in it); weeks 20 -> 21; objective +0 "
                            "(a different race calendar")
    # A longest long run moved alone is a change, not a cost: equal-cost plans differ in it.
    shorter = verdict(result("shorter", 450, 145, 450, 14, 20), baseline)
    assert shorter.startswith("the same build-up weeks and peak for City Marathon, longest long run 180 -> 145 min")
    # The season's start moved, its races did not: "a different race calendar" had been said.
    earlier = verdict(result("earlier start", 450, 180, 450, 14, 21), baseline)
    assert "weeks 20 -> 21; objective +0 (a season of other weeks, whose phase targets differ" in earlier


def test_a_new_a_race_inside_a_build_up_is_named_as_what_takes_its_weeks() -> None:
    """An A 5k added three days before the A marathon read "costs 9 build-up weeks for City
    Marathon", though the weeks trained as before: build-up weeks count from the previous A race,
    so the new race took them. The verdict names it."""
    from periodize.whatif.compare import RaceOutlook, ScenarioResult, verdict

    marathon = RaceOutlook("City Marathon", date(2027, 4, 25), 450, 9, 21, 180)
    baseline = ScenarioResult("baseline", "optimal", True, 700, {"O1": 700}, bound=700, weeks=20, races=[marathon])
    added = ScenarioResult("add Track 5k", "optimal", True, 760, {"O1": 760}, bound=760, weeks=20,
                           races=[RaceOutlook("Track 5k", date(2027, 4, 22), 450, 9, 7, 180),
                                  RaceOutlook("City Marathon", date(2027, 4, 25), 0, 0, 21, 0)])
    said = verdict(added, baseline)
    assert "costs 9 build-up weeks for City Marathon (Track 5k, a new A race on 2027-04-22, falls in its build-up: " \
           "the weeks before it count as Track 5k's build-up now)" in said
    # A new A race after the marathon takes none of its weeks: nothing said.
    later = ScenarioResult("add Autumn 10k", "optimal", True, 760, {"O1": 760}, bound=760, weeks=26,
                           races=[RaceOutlook("City Marathon", date(2027, 4, 25), 450, 8, 21, 180),
                                  RaceOutlook("Autumn 10k", date(2027, 6, 20), 300, 3, 10, 90)])
    assert "falls in its build-up" not in verdict(later, baseline)


def test_a_new_a_race_with_no_training_before_it_says_so() -> None:
    """An A race added in a one-week season read "new A race R: 0 build-up weeks, peak 0 min,
    longest long run 0 min", figures of a build that does not exist. With no weeks of its own
    (the first week, or the week after another A race, where its weeks end) it has no build-up
    weeks: "no training in the weeks before its race week" had been said of an A half the week
    after another, whose weeks before trained for the first (230 and 165 minutes)."""
    from periodize.whatif.compare import RaceOutlook, ScenarioResult, verdict

    baseline = ScenarioResult("baseline", "optimal", True, 100, {"O1": 100}, bound=100, weeks=1, races=[])
    added = ScenarioResult("add R", "optimal", True, 100, {"O1": 100}, bound=100, weeks=1,
                           races=[RaceOutlook("R", date(2027, 1, 10), 0, 0, 0, 0)])
    assert verdict(added, baseline).startswith("new A race R: no build-up weeks before it")
    resting = ScenarioResult("add R", "optimal", True, 100, {"O1": 100}, bound=100, weeks=4,
                             races=[RaceOutlook("R", date(2027, 1, 31), 0, 2, 7, 0)])  # build weeks all rest
    assert verdict(resting, baseline).startswith("new A race R: no training in the weeks before its race week (all rest)")
    built = ScenarioResult("add R", "optimal", True, 100, {"O1": 100}, bound=100, weeks=9,
                           races=[RaceOutlook("R", date(2027, 3, 7), 300, 6, 14, 90)])
    assert verdict(built, baseline).startswith("new A race R: 6 build-up weeks, peak 300 min, longest long run 90 min")


def test_the_verdict_counts_no_peak_of_a_race_without_build_up_weeks() -> None:
    """An A race a week after another has no build-up weeks; moved a day later, the one week
    between them had read "gains 50 peak minutes (50) for F", where the table shows "-". A race
    without build-up weeks in either plan is said once with the others; a build-up that
    starts or ends is said by its weeks alone."""
    from periodize.whatif.compare import RaceOutlook, ScenarioResult, verdict

    def result(*races: RaceOutlook) -> ScenarioResult:
        return ScenarioResult("s", "optimal", True, 100, {"O1": 100}, bound=100, weeks=20, races=list(races))

    marathon = RaceOutlook("M", date(2027, 4, 25), 180, 11, 21, 75)
    baseline = result(marathon, RaceOutlook("T", date(2027, 6, 6), 85, 0, 10, 0),
                      RaceOutlook("F", date(2027, 6, 13), 0, 0, 7, 0))
    moved = result(marathon, RaceOutlook("T", date(2027, 6, 6), 85, 0, 10, 0), RaceOutlook("F", date(2027, 6, 14), 50, 0, 7, 0))
    said = verdict(moved, baseline)
    assert "peak minutes" not in said and "no build-up weeks for T and F, as before" in said
    built = result(marathon, RaceOutlook("T", date(2027, 6, 6), 85, 0, 10, 0), RaceOutlook("F", date(2027, 7, 4), 200, 2, 7, 60))
    assert "gains 2 build-up weeks for F" in verdict(built, baseline)
    # A build-up that ends: its weeks said, not "costs 340 peak minutes" where the weeks before
    # still peak at 320 (labelled base).
    unbuilt = result(RaceOutlook("M", date(2027, 4, 25), 320, 0, 21, 85))
    assert verdict(unbuilt, result(RaceOutlook("M", date(2027, 4, 25), 340, 1, 21, 105))).startswith(
        "costs 1 build-up week for M;")


def test_the_tables_objective_rows_say_what_their_points_are_for() -> None:
    """"O4" alone told a coach nothing; each term's row names what it counts, as explain does."""
    from periodize.cli.render import make_console
    from periodize.cli.whatif import comparison_table
    from periodize.whatif.compare import ScenarioResult

    results = [ScenarioResult("baseline", "optimal", True, 103, {"O1": 100, "O4": 3}, bound=103, weeks=9)]
    console = make_console()
    with console.capture() as captured:
        console.print(comparison_table(results))
    lines = captured.get().splitlines()
    assert any("O1 points: minutes off the phase curve" in line and "100" in line for line in lines)
    assert any("O4 points: days off preference and group sessions missed" in line and "3" in line for line in lines)
    assert any("rule windows added / removed" in line for line in lines)


def test_the_table_shows_no_peak_or_long_run_for_a_race_without_build_up_weeks() -> None:
    """The table, CSV and JSON had shown "peak min 0" and "longest long run 0" for such a race, as if
    a build of no minutes had been planned; they show none (the verdict says why)."""
    from periodize.cli.whatif import csv_text, race_rows
    from periodize.whatif.compare import RaceOutlook, ScenarioResult

    baseline = ScenarioResult("baseline", "optimal", True, 100, {"O1": 100}, bound=100, weeks=9,
                              races=[RaceOutlook("Built", date(2027, 3, 7), 300, 6, 14, 90)])
    added = ScenarioResult("add R", "optimal", True, 100, {"O1": 100}, bound=100, weeks=9,
                           races=[RaceOutlook("Built", date(2027, 3, 7), 300, 6, 14, 90),
                                  RaceOutlook("R", date(2027, 1, 10), 0, 0, 0, 0)])
    rows = dict(race_rows([baseline, added]))
    assert rows["R: peak min"] == ["-", "-"] and rows["R: longest long run"] == ["-", "-"]
    assert rows["R: build-up weeks (build + peak)"] == ["-", "0"] and rows["R: taper days"] == ["-", "0"]
    assert rows["Built: peak min"] == ["300", "300"] and rows["Built: longest long run"] == ["90", "90"]
    header, _, row = csv_text([baseline, added]).splitlines()
    cells = dict(zip(header.split(","), row.split(","), strict=True))
    assert cells["R peak_minutes"] == "" and cells["R build_weeks"] == "0" and cells["Built peak_minutes"] == "300"
    # JSON too: it had kept the raw 0 where the table says "-".
    races = {race["race"]: race for race in added.as_json()["races"]}
    assert races["R"]["peak_minutes"] is None and races["R"]["longest_long_run"] is None
    assert races["R"]["build_weeks"] == 0 and races["Built"]["peak_minutes"] == 300


def test_an_unproven_verdict_gives_the_range_its_bounds_allow() -> None:
    """"objective +20 (not both proven optimal ...)" hid that the difference could lie anywhere
    from -67 to +113; the bounds say so."""
    from periodize.whatif.compare import ScenarioResult, verdict

    baseline = ScenarioResult("baseline", "feasible", True, 790, {"O1": 790}, bound=697, weeks=20)
    scenario = ScenarioResult("b", "feasible", True, 810, {"O1": 810}, bound=723, weeks=20)
    assert verdict(scenario, baseline) == ("objective +20 (not both proven optimal: the optima differ by -67 to +113, "
                                           "and the figures before may change with a longer --time-limit)")


def test_the_table_notes_calendar_clashes_and_what_days_changed_counts(tmp_path: Path) -> None:
    """A B half on the last day of another race's recovery, or a 10k on a ski-trip day, was
    accepted without a word; without --stable "days changed" counted other plans of equal cost
    unsaid (65 days for a change whose --stable diff was 4)."""
    path = athlete_file(str(tmp_path))
    tune_up = START + timedelta(days=7 * 2 + 6)
    result = CliRunner().invoke(app, ["whatif", str(path), "-t", "2", "--scenario", str(two_races(tmp_path, tune_up))])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    clash = f"  note: Second 10k (C race, wed {iso(tune_up + timedelta(days=3))}) falls in the recovery after Tune-up 10k"
    assert any(line.startswith(clash) for line in lines), lines
    assert any(line.startswith("days changed: every day that differs") for line in lines)


def two_races(tmp_path: Path, tune_up: date) -> Path:
    patch = tmp_path / "two-races.yaml"
    races = [*athlete_data()["races"],
             {"name": "Tune-up 10k", "date": iso(tune_up), "distance": "10k", "priority": "B"},
             {"name": "Second 10k", "date": iso(tune_up + timedelta(days=3)), "distance": "10k", "priority": "C"}]
    patch.write_text(yaml.safe_dump({"races": races}))
    return patch


def test_each_scenario_plan_is_checked_by_the_validator(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README says every plan is checked by the independent validator before it is shown;
    what-if compared its plans unchecked. A plan the validator refuses ends the comparison as
    an internal error (exit 1), as it ends ``solve``, and nothing is shown as a plan."""
    import periodize.whatif.run
    from periodize.validate import Violation

    checked: list[str] = []

    def refuse(athlete: Any, plan: Any, rules: Any = None) -> list[Violation]:
        checked.append(plan.status)
        return [Violation("V1", plan.weeks[0].start, "a ramp too steep (V1)")]

    monkeypatch.setattr(periodize.whatif.run, "validate_plan", refuse)
    result = CliRunner().invoke(app, ["whatif", str(athlete_file(str(tmp_path))), "--jobs", "1", "-t", "2",
                                      "--set-priority", "Goal Half=B"])
    assert checked, "no scenario plan was validated"
    assert result.exit_code == 1
    assert "internal error" in result.stderr and "breaks 1 hard rule checks (first: V1" in result.stderr
    assert "What-if comparison" not in result.stdout


def test_stable_does_not_charge_the_day_of_a_dropped_race(tmp_path: Path) -> None:
    """O5 charges the days a re-plan chooses to change, not those the calendar forces: a new
    race's day was not charged, but a dropped race's day was (the C 5k's Saturday, race 29 ->
    long 75, 5 points), as was a moved race's old day."""
    data = athlete_data()
    data["races"].append({"name": "Parkrun", "date": (START + timedelta(days=7 * 2 + 5)).isoformat(),
                          "distance": "5k", "priority": "C"})
    path = tmp_path / "athlete.yaml"
    path.write_text(yaml.safe_dump(data))
    dropped = by_name(whatif(path, "--stable", "--drop-race", "Parkrun"))["drop Parkrun"]
    changed = dropped["changed_days"]
    assert [day["baseline"] for day in changed if day["date"] == (START + timedelta(days=7 * 2 + 5)).isoformat()] == ["race 29"]
    assert dropped["objective_terms"]["O5"] == 5 * (len(changed) - 1)
