"""Bad input on every command: exit 2, the field's path in the file (or the option) named on
stderr, nothing on stdout and nothing written.

``test_input_errors`` runs each kind of bad athlete file through ``solve --out``; this file
takes one bad field of each file kind through every command that reads that kind (athlete
files: solve, validate, explain, whatif; plan files: validate, show, explain --plan; a batch's
--defaults), bad option values through every command, and an --out file that already exists
(the plan left there must survive a refusal). Nothing here reaches the solver: each test takes
well under a second.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_cli import install_fakes
from typer.testing import CliRunner

from periodize.cli.app import app
from periodize.models.plan import Plan

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "examples" / "contract-example.yaml"
runner = CliRunner()

BAD_FIELD = "volume.current_weekly_minutes: expected a whole number, got 'abc'"
BAD_PLAN_FIELD = ("weeks[0].days[0].run.type: expected 'rest', 'easy', 'recovery', 'quality', 'tempo', 'long' or "
                  "'race', got 'jog'")


def bad_athlete(tmp_path: Path) -> Path:
    data = yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))
    data["volume"]["current_weekly_minutes"] = "abc"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def plan_file(tmp_path: Path, name: str = "plan.json", run_type: str = "rest") -> Path:
    """A one-week plan file of Alex Example's (the contract athlete); ``run_type`` of its Monday."""
    path = tmp_path / name
    path.write_text(json.dumps({"athlete": "Alex Example", "status": "optimal", "weeks": [{
        "start": "2027-01-04", "phase": "base", "run_minutes": 0, "training_minutes": 0,
        "days": [{"date": "2027-01-04", "run": {"type": run_type, "minutes": 0}, "strength": None}]}]}),
        encoding="utf-8")
    return path


def refused(args: list[str]) -> Any:
    """Run a command that must refuse its input: exit 2, stdout empty, no traceback."""
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.output
    return result


# --- a bad field in the athlete file, through every command that reads one -----------------------
@pytest.mark.parametrize("command", ["solve", "validate", "explain", "whatif"])
def test_a_bad_athlete_field_is_named_by_every_command(tmp_path: Path, command: str) -> None:
    athlete = bad_athlete(tmp_path)
    out = tmp_path / "out.json"
    args = {
        "solve": ["solve", str(athlete), "--out", str(out)],
        "validate": ["validate", str(athlete), str(plan_file(tmp_path))],
        "explain": ["explain", str(athlete)],
        "whatif": ["whatif", str(athlete), "--drop-race", "Spring Half"],
    }[command]
    result = refused(args)
    assert result.stderr.splitlines() == [f"{athlete}: {BAD_FIELD}"]
    assert not out.exists()


# --- a bad field in the plan file, through every command that reads one --------------------------
@pytest.mark.parametrize("command", ["validate", "show", "explain"])
def test_a_bad_plan_field_is_named_by_every_command(tmp_path: Path, command: str) -> None:
    plan = plan_file(tmp_path, "broken.json", run_type="jog")
    args = {
        "validate": ["validate", str(CONTRACT), str(plan)],
        "show": ["show", str(plan)],
        "explain": ["explain", str(CONTRACT), "--plan", str(plan)],
    }[command]
    result = refused(args)
    assert result.stderr.splitlines() == [f"{plan}: {BAD_PLAN_FIELD}"]


@pytest.mark.parametrize("command", ["validate", "show", "explain"])
def test_a_missing_plan_file_is_named_by_every_command(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "nope.json"
    args = {
        "validate": ["validate", str(CONTRACT), str(missing)],
        "show": ["show", str(missing)],
        "explain": ["explain", str(CONTRACT), "--plan", str(missing)],
    }[command]
    result = refused(args)
    # explain names the option that gave the path (its one positional file is the athlete's)
    named = "--plan: " if command == "explain" else ""
    assert result.stderr.splitlines() == [f"{named}plan file not found: {missing}"]


def test_explain_names_plan_for_a_missing_plan_of_a_group(tmp_path: Path) -> None:
    """With a roster, the plan is read before the athlete is looked up: named by --plan too."""
    missing = tmp_path / "nope.json"
    roster = ROOT / "examples" / "rosters" / "squad.yaml"
    result = refused(["explain", str(roster), "--plan", str(missing)])
    assert result.stderr.splitlines() == [f"--plan: plan file not found: {missing}"]


def test_a_bad_field_in_a_batchs_defaults_stops_it_before_anything_is_written(tmp_path: Path) -> None:
    group = tmp_path / "group"
    group.mkdir()
    (group / "alex.yaml").write_text(CONTRACT.read_text(encoding="utf-8"), encoding="utf-8")
    defaults = tmp_path / "defaults.yaml"
    defaults.write_text("volume: {current_weekly_minutes: abc}\n", encoding="utf-8")
    out = tmp_path / "plans"
    result = refused(["batch", str(group), "--defaults", str(defaults), "--out", str(out), "--no-progress", "-t", "1"])
    assert result.stderr.splitlines() == [f"{defaults}: volume.current_weekly_minutes: expected a whole number, got 'abc'"]
    assert not out.exists()


# --- bad option values, on every command --------------------------------------------------------
OPTION_CASES = [
    ("solve --workers", ["solve", str(CONTRACT), "--workers", "0"], "Error: --workers must be between 1 and 256, not 0"),
    ("solve --workers text", ["solve", str(CONTRACT), "--workers", "two"], "Error: --workers must be a whole number, not 'two'"),
    # -w is --week in show and explain; solve had read "-w 3" as three workers.
    ("solve -w", ["solve", str(CONTRACT), "-w", "3"], "Error: No such option: -w"),
    ("solve --time-limit", ["solve", str(CONTRACT), "--time-limit", "0"], "Error: --time-limit must be between 0.001 and 604800, not 0"),
    ("solve --gap", ["solve", str(CONTRACT), "--gap", "150"], "Error: --gap must be between 0 and 99, not 150"),
    ("solve --gap text", ["solve", str(CONTRACT), "--gap", "1%"], "Error: --gap must be a number, not '1%'"),
    ("solve --search", ["solve", str(CONTRACT), "--search", "deep"], "Invalid value for '--search'"),
    ("explain --rules", ["explain", str(CONTRACT), "--rules", "0"], "Error: --rules must be at least 1, not 0"),
    ("explain --jobs", ["explain", str(CONTRACT), "--jobs", "0"], "Error: --jobs must be at least 1, not 0"),
    ("explain --week", ["explain", str(CONTRACT), "--week", "0"], "Error: --week must be at least 1, not 0"),
    ("explain --format", ["explain", str(CONTRACT), "--format", "xml"], "Invalid value for '--format' / '-f'"),
    ("whatif --jobs", ["whatif", str(CONTRACT), "--jobs", "0"], "Error: --jobs must be at least 1, not 0"),
    ("whatif --time-limit", ["whatif", str(CONTRACT), "--time-limit", "-1"], "Error: --time-limit must be between 0.001 and 604800, not -1"),
    # inf had passed: a solve with no limit of work and none of wall time
    ("solve --time-limit inf", ["solve", str(CONTRACT), "--time-limit", "inf"],
     "Error: --time-limit must be between 0.001 and 604800, not inf"),
    ("whatif --gap", ["whatif", str(CONTRACT), "--gap", "-1"], "Error: --gap must be between 0 and 99, not -1"),
    ("whatif --format", ["whatif", str(CONTRACT), "--format", "xml"], "Invalid value for '--format' / '-f'"),
    ("show --week", ["show", "{plan}", "-w", "0"], "Error: --week must be at least 1, not 0"),
    ("batch --jobs", ["batch", "{group}", "--jobs", "0"], "Error: --jobs must be at least 1, not 0"),
    ("batch --time-limit", ["batch", "{group}", "--time-limit", "0"], "Error: --time-limit must be between 0.001 and 604800, not 0"),
    ("batch --gap", ["batch", "{group}", "--gap", "100"], "Error: --gap must be between 0 and 99, not 100"),
]


@pytest.mark.parametrize(("args", "message"), [case[1:] for case in OPTION_CASES], ids=[case[0] for case in OPTION_CASES])
def test_a_bad_option_value_names_the_option_and_writes_nothing(tmp_path: Path, args: list[str], message: str) -> None:
    """A number out of its range reads "--gap must be between 0 and 99, not 150", the range
    and the value given, as one line (typer 0.29's pydantic wording had been "Invalid value
    for '--gap': Input should be less than or equal to 99")."""
    group = tmp_path / "group"
    group.mkdir()
    (group / "alex.yaml").write_text(CONTRACT.read_text(encoding="utf-8"), encoding="utf-8")
    args = [arg.format(plan=plan_file(tmp_path), group=group) for arg in args]
    out = tmp_path / "out"
    result = refused([*args, "--out", str(out)] if args[0] in ("solve", "batch") else args)
    assert message in result.stderr.splitlines()[-1]
    assert "Input should be" not in result.stderr
    assert not out.exists()


# --- an --out file already there survives a refusal ----------------------------------------------
def test_a_refused_solve_leaves_an_existing_out_file_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Exit 2 (bad input), 3 (no plan keeps the hard rules) and 4 (time limit, no plan) write
    nothing: a plan already at --out is the user's last good plan and must stay byte for byte."""
    out = tmp_path / "plan.json"
    kept = '{"an": "earlier plan"}\n'
    out.write_text(kept, encoding="utf-8")
    result = refused(["solve", str(bad_athlete(tmp_path)), "--out", str(out)])
    assert BAD_FIELD in result.stderr
    assert out.read_text(encoding="utf-8") == kept
    for status, code in (("infeasible", 3), ("unknown", 4)):
        install_fakes(monkeypatch, Plan(athlete="Alex Example", status=status), [])
        result = runner.invoke(app, ["solve", str(CONTRACT), "--out", str(out)])
        assert result.exit_code == code, result.output
        assert out.read_text(encoding="utf-8") == kept, status
    assert sorted(item.name for item in tmp_path.iterdir()) == ["bad.yaml", "plan.json"]  # no temporary file left


@pytest.mark.parametrize("where", ["folder", "out"])
def test_a_folder_as_batch_summary_is_said_once_before_anything_is_solved(tmp_path: Path, where: str) -> None:
    """``--summary`` naming a folder (an existing one, or --out's) is one line, exit 2, nothing
    written; it had come twice, first as "cannot write plans: Is a directory"."""
    group = tmp_path / "group"
    group.mkdir()
    (group / "alex.yaml").write_text(CONTRACT.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "plans"
    summary = tmp_path / "folder" if where == "folder" else out
    summary.mkdir()
    result = refused(["batch", str(group), "--out", str(out), "--summary", str(summary), "--no-progress", "-t", "1"])
    assert result.stderr.splitlines() == [f"--summary: {summary} is a folder; give a file name such as summary.csv"]
    assert list(summary.iterdir()) == []
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.parametrize("command", ["solve", "batch"])
def test_an_output_file_ending_in_a_slash_is_refused_as_a_folder(tmp_path: Path, command: str) -> None:
    """``solve --out plans/`` (a folder not there yet) had written the plan to a file called
    ``plans``; ``batch --summary sums/`` likewise. A trailing slash names a folder: exit 2,
    nothing written."""
    given = f"{tmp_path / 'plans'}/"
    if command == "solve":
        args, option, example = ["solve", str(CONTRACT), "--out", given], "--out", "plan.json"
    else:
        group = tmp_path / "group"
        group.mkdir()
        (group / "alex.yaml").write_text(CONTRACT.read_text(encoding="utf-8"), encoding="utf-8")
        args, option, example = ["batch", str(group), "--summary", given, "--no-progress"], "--summary", "summary.csv"
    result = refused(args)
    assert result.stderr.splitlines() == [f"{option}: {given} names a folder; give a file name such as {given}{example}"]
    assert not (tmp_path / "plans").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["batch", ""], "GROUP: is empty; give a folder of athlete files or a roster"),
    (["batch", "{group}", "--out", ""], "--out: is empty; give a folder for the plans"),
    (["batch", "{group}", "--summary", ""], "--summary: is empty; give a file name such as summary.csv"),
    (["solve", str(CONTRACT), "--out", ""], "--out: is empty; give a file name such as plan.json"),
], ids=["batch GROUP", "batch --out", "batch --summary", "solve --out"])
def test_an_empty_path_is_refused_not_read_as_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 args: list[str], message: str) -> None:
    """``Path("")`` is ".": ``batch "$GROUP" --out "$PLANS"`` with the variables unset had
    planned every athlete file of the current folder and written the plans into it, and
    ``solve --out ""`` read ". is a folder". An empty path is refused: exit 2, nothing written."""
    group = tmp_path / "group"
    group.mkdir()
    (group / "alex.yaml").write_text(CONTRACT.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(group)
    result = refused([arg.format(group=group) for arg in args] + ["-t", "1"])
    assert result.stderr.splitlines() == [message]
    assert sorted(item.name for item in group.iterdir()) == ["alex.yaml"]
