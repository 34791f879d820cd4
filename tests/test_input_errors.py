"""Bad athlete files come back as ``path: message`` lines and exit 2, never a traceback.

Each bad case runs twice: through ``load_athlete`` (the problem's path and message) and through
``periodize solve --out`` (exit 2, the path on stderr, and no plan file written). The solver is
never reached for a bad file, so these tests need neither the solver nor the validator.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from periodize.cli.app import app
from periodize.input_problems import FILE, InputError, Problem
from periodize.loading import athlete_from_mapping, load_athlete, load_plan
from periodize.output_files import write_atomically
from periodize.season import build_skeleton

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "examples" / "contract-example.yaml"
runner = CliRunner()

Mutation = Callable[[dict[str, Any]], None]


def contract() -> dict[str, Any]:
    return yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))


def write_yaml(tmp_path: Path, data: Any, name: str = "athlete.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(InputError) as caught:
        load_athlete(path)
    return caught.value.problems


def solve_cli(path: Path, tmp_path: Path) -> tuple[Any, Path]:
    out = tmp_path / "plan.json"
    result = runner.invoke(app, ["solve", str(path), "--out", str(out)])
    return result, out


def assert_rejected(path: Path, tmp_path: Path, where: str, words: str) -> None:
    """Both entry points name the path; the CLI exits 2 and writes nothing."""
    problems = problems_of(path)
    matching = [problem for problem in problems if problem.path == where]
    assert matching, f"no problem at {where!r}: {problems}"
    assert any(words in problem.message for problem in matching), matching
    result, out = solve_cli(path, tmp_path)
    assert result.exit_code == 2, result.output
    if where == FILE:  # a problem with the file itself names the file, not "(file)"
        assert path.name in result.stderr and FILE not in result.stderr
    else:
        assert f"{where}: " in result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


# --- field problems -----------------------------------------------------------------------------
def _set(*keys: Any, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        target = data
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return mutate


def _rename(old: str, new: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data[new] = data.pop(old)

    return mutate


CASES: list[tuple[str, Mutation, str, str]] = [
    ("text for minutes", _set("volume", "current_weekly_minutes", value="abc"),
     "volume.current_weekly_minutes", "expected a whole number, got 'abc'"),
    ("fraction for minutes", _set("volume", "peak_weekly_minutes", value=450.5),
     "volume.peak_weekly_minutes", "expected a whole number"),
    ("bad level", _set("level", value="pro"), "level", "'beginner', 'intermediate' or 'advanced'"),
    ("bad weekday", _set("preferences", "rest_days", value=["fri", "funday"]),
     "preferences.rest_days[1]", "got 'funday'"),
    ("weekday twice", _set("preferences", "quality_days", value=["tue", "tue"]),
     "preferences.quality_days", "tue is listed more than once; name each day once"),
    ("bad date", _set("season", "start", value="2027-02-30"), "season.start", "expected a date"),
    ("list for a mapping", _set("runs_per_week", value=[4, 6]), "runs_per_week", "expected a mapping"),
    ("negative minutes", _set("availability", "mon", value=-30), "availability.mon", "must be at least 0, got -30"),
    ("negative exception minutes", _set("exceptions", 0, "minutes", value=-5),
     "exceptions[0].minutes", "must be at least 0"),
    ("bad distance", _set("races", 1, "distance", value="ultra"), "races[1].distance", "5k, 10k, half, marathon"),
    ("missing key", lambda data: data.pop("level"), "level", "required key is missing"),
    ("race before the start", _set("races", 0, "date", value="2026-12-20"), "races[0].date", "before the season start"),
    ("race after the end", _set("season", "end", value="2027-04-01"), "races[1].date", "after the season end"),
    ("unknown key", _rename("availability", "avialability"), "avialability", "did you mean availability?"),
    ("missing beside its typo", _rename("availability", "avialability"), "availability", "'avialability'"),
    ("unknown nested key", lambda data: data["volume"].update(peak_weekly_minute=1),
     "volume.peak_weekly_minute", "did you mean peak_weekly_minutes?"),
    ("alias suggested", lambda data: data["exceptions"][0].update(form=data["exceptions"][0].pop("from")),
     "exceptions[0].form", "did you mean from?"),
    ("unknown rule code", _set("rules", "V11", value={"max_increase_pct": 5}), "rules.V11", "unknown rule code 'V11'; did you mean"),
    ("rule code case", _set("rules", "o3", value={"weight": 5}), "rules.o3", "did you mean O3?"),
    ("unknown rule parameter", _set("rules", "V1", value={"max_increase": 12}),
     "rules.V1.max_increase", "did you mean max_increase_pct?"),
    # The close key the word begins like: share_pct_4 is nearer in letters, but not what it means.
    ("rule parameter of a family", _set("rules", "V4", value={"share_pct_5_plus": 25}),
     "rules.V4.share_pct_5_plus", "did you mean share_pct_5_or_more?"),
    ("a first-letter typo of a rule parameter", _set("rules", "P14", value={"ercovery_max": 30}),
     "rules.P14.ercovery_max", "did you mean recovery_max?"),
    ("wrong rule value", _set("rules", "V1", value={"max_increase_pct": "lots"}),
     "rules.V1.max_increase_pct", "expected a number, got 'lots'"),
    ("negative rule value", _set("rules", "V1", value={"max_increase_pct": -1}),
     "rules.V1.max_increase_pct", "must be at least 0"),
    ("hard rule switched off", _set("rules", "P2", value={"enabled": False}), "rules.P2.enabled", "cannot be switched off"),
    ("inconsistent rule numbers", _set("rules", "P4", value={"min_sessions": 3}), "rules.P4", "above max_sessions"),
    ("P11's light window inside its days without strength", _set("rules", "P11", value={"no_strength_days": 14, "light_window_days": 7}),
     "rules.P11", "no_strength_days 14 is above light_window_days 7"),
    ("a date as a key", _set("availability", date(2027, 1, 1), value=60), "availability",
     "key 2027-01-01 is not text; put it in quotes"),
    ("season years long", _set("season", "end", value=date(2031, 4, 1)), "season.end",
     "makes a season of 222 weeks from its start 2027-01-04; periodize plans seasons of at most 104 weeks"),
    ("race years away", lambda data: (data["season"].pop("end", None), _set("races", 1, "date", value=date(2072, 4, 1))(data)),
     "races[1].date", "weeks from its start"),
    ("race at the calendar's end", lambda data: (data["season"].pop("end", None),
                                                 _set("races", 1, "date", value=date(9999, 12, 31))(data)),
     "races[1].date", "too near the calendar's end"),
    ("season end at the calendar's end", lambda data: (data["season"].update(start=date(9999, 1, 4), end=date(9999, 12, 31)),
                                                       [race.update(date=race["date"].replace(year=9999)) for race in data["races"]]),
     "season.end", "too near the calendar's end"),
    # YAML reads yes/no/true/false as booleans, which pydantic took as 1 and 0.
    ("a boolean for minutes", _set("volume", "current_weekly_minutes", value=True),
     "volume.current_weekly_minutes", "expected a number, got the boolean true"),
    ("a boolean for a day's minutes", _set("availability", "fri", value=False),
     "availability.fri", "expected a number, got the boolean false"),
    ("a boolean for a rule number", _set("rules", "V1", value={"max_increase_pct": True}),
     "rules.V1.max_increase_pct", "expected a number, got the boolean true"),
    ("a boolean for a count of sessions", _set("strength", "sessions_per_week", value=True),
     "strength.sessions_per_week", "expected a number, got the boolean true"),
    # Quoted, a number is text in every format, which pydantic's lax mode had parsed.
    ("a number in quotes for minutes", _set("volume", "current_weekly_minutes", value="240"),
     "volume.current_weekly_minutes", "expected a whole number, got the text '240'; write it without quotes"),
    ("a number in quotes for a rule number", _set("rules", "V1", value={"max_increase_pct": "10"}),
     "rules.V1.max_increase_pct", "expected a number, got the text '10'; write it without quotes"),
    ("a number in quotes for a race's minutes", _set("races", 0, "expected_minutes", value="95"),
     "races[0].expected_minutes", "expected a whole number, got the text '95'"),
    # A number where a date belongs was read as seconds since 1970: 0 as 1970-01-01 (the season
    # then refused at the race as 2,994 weeks long), 1803859200 as 2027-03-01 without a word.
    ("a number for a date", _set("season", "start", value=0), "season.start",
     "expected a date like 2027-01-04, got the number 0; write the date as YYYY-MM-DD"),
    ("a timestamp for a race's date", _set("races", 0, "date", value=1803859200), "races[0].date",
     "expected a date like 2027-01-04, got the number 1803859200; write the date as YYYY-MM-DD"),
    ("a number in quotes for a date", _set("exceptions", 0, "to", value="20270301"), "exceptions[0].to",
     "expected a date like 2027-01-04, got the text '20270301'; write the date as YYYY-MM-DD"),
    ("text that is no number for minutes", _set("volume", "current_weekly_minutes", value="3O0"),
     "volume.current_weekly_minutes", "expected a whole number, got '3O0'"),
    ("a blank name", _set("name", value="   "), "name", "must not be blank"),
    ("a blank race name", _set("races", 0, "name", value=" "), "races[0].name", "must not be blank"),
    ("a name of a zero-width space", _set("name", value="\u200b \u200d"), "name", "must not be blank"),
    ("minutes too large to read as a whole number", _set("volume", "peak_weekly_minutes", value=1e308),
     "volume.peak_weekly_minutes", "expected a whole number of a size periodize reads, got 1e+308"),
    ("a name with a terminal escape", _set("name", value="Ana \x1b[31mLee"), "name",
     "must be one line of text: it holds the control character '\\x1b'"),
    ("a race name across two lines", _set("races", 0, "name", value="Spring\nHalf"), "races[0].name",
     "must be one line of text: it holds the control character '\\n'"),
    ("a name with Unicode's line separator", _set("name", value="Priya\u2028Nair"), "name",
     "must be one line of text: it holds the control character '\\u2028'"),
    ("an exception note with a terminal escape", _set("exceptions", 0, "note", value="work\x1b[31m trip"),
     "exceptions[0].note", "must be one line of text: it holds the control character '\\x1b'"),
    ("a date in Arabic-Indic digits", _set("races", 0, "date", value="\u0662\u0660\u0662\u0667-\u0663-\u0667"),
     "races[0].date", "expected a date like 2027-01-04"),
    ("a weekday in a lookalike letter", _set("preferences", "long_run_day", value="\u017fun"),
     "preferences.long_run_day", "expected 'mon', 'tue'"),
    ("a number for a switch", _set("rules", "O3", value={"enabled": 0}), "rules.O3.enabled", "expected true or false, got 0"),
    ("text for a switch", _set("strength", "plyometrics", value="yes please"), "strength.plyometrics",
     "expected true or false, got 'yes please'"),
    ("a session of 0 minutes", _set("rules", "P14", value={"easy_min": 0}), "rules.P14.easy_min", "must be at least 1, got 0"),
    ("a deload above the week before", _set("rules", "V3", value={"deload_min_pct": 150, "deload_max_pct": 200}),
     "rules.V3.deload_max_pct", "must be at most 100, got 200"),
    ("a long run over its whole week", _set("rules", "V4", value={"share_pct_4": 140}),
     "rules.V4.share_pct_4", "must be at most 100, got 140"),
    ("not a number for a rule", _set("rules", "V1", value={"max_increase_pct": float("nan")}),
     "rules.V1.max_increase_pct", "expected a finite number, got nan"),
    ("an endless race", _set("races", 1, "distance", value=float("inf")), "races[1].distance",
     "expected a finite number, got inf"),
    ("a deload range upside down, as written", _set("rules", "V3", value={"deload_min_pct": 80, "deload_max_pct": 60}),
     "rules.V3", "deload_min_pct 80 is above deload_max_pct 60"),
    ("a long-run cap below the shortest long run", _set("rules", "V4", value={"max_minutes": 45}),
     "rules.V4.max_minutes", "45 is below P14.long_min 60, the shortest long run"),
    # V8's recovery ends the season without season.end: 5 days a mile after a 400 km race had
    # built a 282-week season, or run past the calendar's end (OverflowError, exit 1).
    ("a recovery years long", lambda data: (data["season"].pop("end", None), data["races"][1].update(distance=400, expected_minutes=3000),
                                            _set("rules", "V8", value={"days_per_mile": 5})(data)),
     "races[1]", "recovery of 1245 days (V8: 5 days a mile raced): a season of 194 weeks from its start"),
    ("a recovery past the calendar's end", lambda data: (
        data["season"].update(start=date(9998, 10, 4), end=None), data["races"][1].update(distance=400, expected_minutes=3000),
        [race.update(date=race["date"].replace(year=9998, month=11)) for race in data["races"]],
        _set("rules", "V8", value={"days_per_mile": 5})(data)),
     "races[1]", "runs past the calendar's end"),
    # Seen without solving: the solver had said so after seconds of search (exit 3).
    ("more running days than a week holds beside P5's rest days", _set("runs_per_week", value={"min": 7, "max": 7}),
     "runs_per_week.min", "7 running days a week leave 0 rest days, and P5 asks at least 1 (rules.P5.min_rest_days); "
                          "at most 6 running days fit"),
    ("a beginner's rest days are a level default", lambda data: (data.update(level="beginner"),
                                                                 _set("runs_per_week", value={"min": 6, "max": 6})(data)),
     "runs_per_week.min", "P5 asks at least 2 (rules.P5.min_rest_days, this athlete's default as a beginner)"),
    ("a run length of 1 to 4 minutes", _set("rules", "P14", value={"easy_min": 3}), "rules.P14.easy_min",
     "so use 5"),  # not "use 0 or 5": 0 is refused
    ("a race of 0 minutes", _set("races", 0, "distance", value=0.05), "races[0].distance",
     "0.05 km is a race of 0 minutes at the intermediate pace of 5.75 min/km"),
    ("a distance float() reads but no one writes", _set("races", 0, "distance", value="1_0"), "races[0].distance",
     "must be 5k, 10k, half, marathon or a number of kilometres"),
    ("a season ending before it starts", _set("season", "end", value=date(2027, 1, 1)), "season.end",
     "2027-01-01 is before the season start 2027-01-04"),
    ("overlapping exceptions", lambda data: data["exceptions"].append(
        {"from": data["exceptions"][0]["to"], "to": data["exceptions"][0]["to"] + timedelta(days=3), "minutes": 0}),
     "exceptions[1].from", "overlaps exceptions[0]"),
]


@pytest.mark.parametrize(("mutate", "where", "words"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_bad_field_is_reported_with_its_path(tmp_path: Path, mutate: Mutation, where: str, words: str) -> None:
    data = contract()
    mutate(data)
    assert_rejected(write_yaml(tmp_path, data), tmp_path, where, words)


@pytest.mark.parametrize(("last_day", "planned"), [(date(2028, 12, 31), 104), (date(2029, 1, 1), None)])
def test_a_season_is_at_most_104_planned_weeks(tmp_path: Path, last_day: date, planned: int | None) -> None:
    """Counted in the Monday-to-Sunday weeks planned: a season from Wednesday 2027-01-06 (its
    plan starts Monday 2027-01-04) to Monday 2029-01-01 was 103 whole weeks between the dates,
    and was planned in 105 weeks."""
    data = contract()
    data["season"].update(start=date(2027, 1, 6), end=last_day)
    path = write_yaml(tmp_path, data)
    if planned is None:
        assert problems_of(path) and "a season of 105 weeks" in str(problems_of(path)[0])
    else:
        assert build_skeleton(*load_athlete(path)).n_weeks == planned


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    data = contract()
    data["age"] = "old"
    data["availability"]["sun"] = -1
    data["rules"]["V1"] = {"max_increase": 3}
    paths = {problem.path for problem in problems_of(write_yaml(tmp_path, data))}
    assert {"age", "availability.sun", "rules.V1.max_increase"} <= paths


def test_calendar_problems_each_have_their_own_path(tmp_path: Path) -> None:
    data = contract()
    data["races"][0]["date"] = "2026-11-01"
    data["races"][1]["name"] = data["races"][0]["name"]
    problems = problems_of(write_yaml(tmp_path, data))
    assert [problem.path for problem in problems] == ["races[0].date", "races[1].name"]


def test_a_peak_below_what_a_week_must_hold_is_refused_at_load_time(tmp_path: Path) -> None:
    """V9 caps every week at the peak, so a peak below the minimum week (or a taper week's
    quality session under V6) leaves no plan. Solving and explaining found it after 17-65 s
    (exit 3); the numbers say it at once, at the field."""
    data = contract()
    data["volume"]["peak_weekly_minutes"] = 100
    problems = problems_of(write_yaml(tmp_path, data))
    assert [problem.path for problem in problems] == ["volume.peak_weekly_minutes"]
    assert problems[0].message.startswith("100 is below the ") and "raise it to at least" in problems[0].message
    # Where the week must hold more than any peak the file accepts, P14's lengths are the fix
    # ("raise it to at least 5760" had been said beside a maximum of 3000).
    data["volume"]["peak_weekly_minutes"] = 3000
    data["rules"] = {"P14": {"long_min": 1440, "easy_min": 1440, "easy_max": 1440, "recovery_min": 1440,
                             "recovery_max": 1440}, "V4": {"max_minutes": 1440}}
    problems = problems_of(write_yaml(tmp_path, data))
    assert [problem.path for problem in problems] == ["volume.peak_weekly_minutes"]
    assert "raise it" not in problems[0].message
    # Set back alone, recovery_min lets the other runs be 20-minute recovery runs: a week of
    # about 1,500 beside the 1,440-minute long run, within 3000. The others are not the cause.
    assert problems[0].message.endswith("which is at most 3000: change the rules that ask it "
                                        "(rules.P14.recovery_min 1440)"), problems[0].message
    # V6 at 2 % asks a week of 1,500 minutes for one 30-minute quality session: the override is
    # named beside the peak's fix, and an easy_min of 25, which asks no minute of it, is not.
    data["volume"]["peak_weekly_minutes"] = 450
    data["rules"] = {"V6": {"max_share_pct": 2}, "P14": {"easy_min": 25}}
    problems = problems_of(write_yaml(tmp_path, data))
    assert problems[0].message.endswith("so raise it to at least 1500, or change the rules that ask it "
                                        "(rules.V6.max_share_pct 2)"), problems[0].message


def test_group_sessions_of_one_name_or_one_weekday_are_refused(tmp_path: Path) -> None:
    """A roster's athlete overrides a group session by name, so two of one name are
    ambiguous; two on one weekday can never both be joined (one run a day), so the plan paid
    O4 for one of them every week whatever it did."""
    data = contract()
    data["group_sessions"] = [{"name": "club", "day": "tue", "run": "quality"},
                              {"name": "club", "day": "thu", "run": "easy"},
                              {"name": "track", "day": "tue", "run": "easy"}]
    problems = problems_of(write_yaml(tmp_path, data))
    assert [(problem.path, problem.message) for problem in problems] == [
        ("group_sessions[1].name", "group session name 'club' is used twice (group_sessions[0])"),
        ("group_sessions[2].day", "two group sessions on tue ('club' and 'track'); a day holds one run")]


# --- file problems ------------------------------------------------------------------------------
FILE_CASES: list[tuple[str, str, bytes, str]] = [
    ("empty", "athlete.yaml", b"", "empty"),
    ("blank", "athlete.yaml", b"  \n\n", "empty"),
    ("comments only", "athlete.yaml", b"# nothing yet\n", "only comments"),
    ("binary", "athlete.yaml", bytes(range(256)), "binary"),
    ("not utf-8", "athlete.yaml", b"name: J\xf6rg\n", "not UTF-8"),
    ("yaml syntax", "athlete.yaml", b"name: Alex\nlevel: [beginner\n", "line 3"),
    # PyYAML: "found character '\t' that cannot start any token".
    ("yaml tab indent", "athlete.yaml", b"name: Alex\nseason:\n\tstart: 2027-01-04\n",
     "line 3, column 1: YAML syntax error: a tab; YAML indents with spaces only"),
    ("json syntax", "athlete.json", b'{"name": "Alex",\n "level": }\n', "line 2"),
    ("toml syntax", "athlete.toml", b'name = "Alex"\nlevel = \n', "line 2"),
    ("top level list", "athlete.yaml", b"- name: Alex\n", "must be a mapping"),
    ("top level text", "athlete.json", b'"Alex"', "must be a mapping"),
    ("unknown extension", "athlete.txt", b"name: Alex\n", ".yaml, .yml, .json or .toml"),
    ("json huge number", "athlete.json", b'{"age": ' + b"9" * 5000 + b"}", "more digits than any number"),
    ("toml huge number", "athlete.toml", b"age = " + b"9" * 5000 + b"\n", "more digits than any number"),
    # libyaml: "exceeded maximum nesting depth" at its line; the pure-Python parser: "nested too deeply".
    ("yaml nested too deeply", "athlete.yaml", b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n", "nest"),
    ("toml nested too deeply", "athlete.toml", b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n", "nested more than 64 levels"),
    # Parsed whole, 65 levels: one message, whatever the stack depth (900 levels overflowed
    # the stack in some callers and not in others).
    ("json nested 65 levels", "athlete.json", b'{"a": ' + b"[" * 65 + b"]" * 65 + b"}", "nested more than 64 levels"),
    # YAML reads "yes:" as a boolean key; pydantic said only "Keys should be strings".
    ("yaml key not text", "athlete.yaml", b"name: Alex\nyes: 1\n", "key true is not text; put it in quotes"),
    # Nine aliases of nine, eight deep: 43 million values, 51 s before it was refused as an athlete.
    ("yaml alias bomb", "athlete.yaml",
     b"a: &a [x,x,x,x,x,x,x,x,x]\n" + b"".join(f"{n}: &{n} [{','.join([f'*{p}'] * 9)}]\n".encode()
                                               for p, n in zip("abcdefg", "bcdefgh", strict=True)) + b"name: [*h, *h]\n",
     "line 7, column 4: this value holds more than 1,000,000 values (its aliases copied out)"),
    ("yaml alias inside itself", "athlete.yaml", b"name: &a [1, *a]\n", "a YAML alias refers to the value it is part of"),
]


@pytest.mark.parametrize(("name", "content", "words"), [case[1:] for case in FILE_CASES], ids=[case[0] for case in FILE_CASES])
def test_bad_file_is_reported_as_a_file_problem(tmp_path: Path, name: str, content: bytes, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert_rejected(path, tmp_path, FILE, words)


#: Problems the file's parser finds at a place in it: named by their path as well as their line,
#: which alone had left a runner to count lines ("line 29, column 11: cannot read '2027-02-30'").
#: JSON had kept a key given twice silently, the second value winning: a Monday of 60 minutes
#: given again as 10 was planned on 10.
PLACED_CASES: list[tuple[str, str, bytes, str, str]] = [
    # Values a YAML tag cannot read: PyYAML raises plain Python errors there (an internal
    # error, exit 1, before), so each is reported at its path, line and column.
    ("yaml tag not a bool", "athlete.yaml", b"age: !!bool maybe\n", "age",
     "line 1, column 6: cannot read 'maybe' as a true/false value"),
    ("yaml tag not an int", "athlete.yaml", b"age: !!int abc\n", "age", "line 1, column 6: cannot read 'abc' as a whole number"),
    ("yaml huge number", "athlete.yaml", b"age: " + b"9" * 5000 + b"\n", "age", "more digits than any number"),
    ("yaml duplicate key", "athlete.yaml", b"name: Alex\nname: Sam\n", "name", "line 2, column 1: duplicate key 'name'"),
    ("yaml nested duplicate key", "athlete.yaml", b"name: Alex\navailability:\n  mon: 60\n  mon: 10\n",
     "availability.mon", "line 4, column 3: duplicate key 'mon' (the second one would silently win)"),
    ("yaml impossible date", "athlete.yaml", b"name: Alex\nseason:\n  start: 2027-02-30\n", "season.start",
     "line 3, column 10: cannot read '2027-02-30' as a date: day is out of range for month"),
    ("yaml impossible date in a list", "athlete.yaml", b"name: Alex\nraces:\n  - name: x\n    date: 2027-02-31\n",
     "races[0].date", "line 4, column 11: cannot read '2027-02-31' as a date"),
    # An alias's value is named where it is written, not where it is copied to.
    ("yaml impossible date behind an alias", "athlete.yaml", b"name: Alex\nseason: &s\n  start: 2027-02-30\nother: *s\n",
     "season.start", "line 3, column 10: cannot read '2027-02-30'"),
    ("yaml impossible date behind a merge", "athlete.yaml", b"defaults: &d {start: 2027-02-30}\nseason: {<<: *d}\n",
     "defaults.start", "line 1, column 22: cannot read '2027-02-30'"),
    ("yaml duplicate key behind a merge", "athlete.yaml", b"base: &b {mon: 60, mon: 30}\navailability: {<<: *b}\n",
     "base.mon", "duplicate key 'mon'"),
    # Merged by periodize, not PyYAML (whose 6.0.4 skipped this check on an inline merged mapping).
    ("yaml duplicate key in an inline merge", "athlete.yaml", b"availability:\n  <<: {mon: 60, mon: 5}\n",
     "availability.<<.mon", "line 2, column 17: duplicate key 'mon'"),
    ("yaml two merges in one mapping", "athlete.yaml", b"availability:\n  <<: {mon: 60}\n  <<: {tue: 5}\n",
     "availability.<<", "line 3, column 3: duplicate key '<<'"),
    ("json duplicate key", "athlete.json", b'{"name": "Alex", "availability": {"mon": 60, "mon": 10}}',
     "availability.mon", "duplicate key 'mon' (the second one would silently win)"),
    ("json duplicate key in a list", "athlete.json", b'{"races": [{"name": "x", "name": "y"}]}',
     "races[0].name", "duplicate key 'name'"),
]


def test_a_key_a_yaml_merge_brings_in_may_be_overridden() -> None:
    """YAML lets a mapping's own key override one its merge (``<<: *base``) brings in; that was
    refused as a duplicate key."""
    from periodize.loading import yaml_value

    value = yaml_value("base: &b {mon: 60, tue: 30}\navailability: {<<: *b, mon: 10}\n")
    assert value["availability"] == {"mon": 10, "tue": 30}
    # Of a list of merged mappings the earlier wins (YAML's merge type; PyYAML 6.0.4 let the later win).
    assert yaml_value("a:\n  <<: [{mon: 60}, {mon: 70, tue: 1}]\n") == {"a": {"mon": 60, "tue": 1}}


def test_a_leading_zero_is_no_octal_and_base_60_is_refused_in_yaml(tmp_path: Path) -> None:
    """PyYAML reads YAML 1.1: ``peak_weekly_minutes: 0200`` was 128 and ``wed: 045`` 37,
    planned without a word (``090``, no octal, was text); ``expected_minutes: 45:30`` was
    2,730 minutes, and an exception's ``note: 6:30`` the number 390, refused as no text. As
    YAML 1.2, JSON and TOML read them: decimals, and a clock is text, which a number field
    refuses with what to write. Quoted, a number stays text."""
    from periodize.loading import yaml_value

    assert yaml_value("a: 0200\nb: 045\nc: 090\nd: -07\ne: 0x1F\nf: '0200'\ng: 007.5\nh: 6:30\ni: +.5\n") == {
        "a": 200, "b": 45, "c": 90, "d": -7, "e": 31, "f": "0200", "g": 7.5, "h": "6:30", "i": 0.5}
    text = CONTRACT.read_text(encoding="utf-8")
    assert "  wed: 60\n" in text and "expected_minutes: 225" in text
    zeros = tmp_path / "zeros.yaml"
    zeros.write_text(text.replace("  wed: 60\n", "  wed: 060\n"), encoding="utf-8")
    assert load_athlete(zeros) == load_athlete(CONTRACT)
    clock = tmp_path / "clock.yaml"
    clock.write_text(text.replace("expected_minutes: 225", "expected_minutes: 3:45:00"), encoding="utf-8")
    assert_rejected(clock, tmp_path, "races[1].expected_minutes",
                    "expected a whole number, got '3:45:00'; write it as one number, not as h:mm or mm:ss (minutes")
    data = contract()
    data["exceptions"][0]["note"] = "NOTE"
    noted = tmp_path / "noted.yaml"
    noted.write_text(yaml.safe_dump(data, sort_keys=False).replace("note: NOTE", "note: 6:30"), encoding="utf-8")
    athlete, _ = load_athlete(noted)
    assert athlete.exceptions[0].note == "6:30"


def test_binary_and_grouped_digits_are_text_in_yaml_as_in_yaml_1_2(tmp_path: Path) -> None:
    """YAML 1.1's binary (``0b11101``) and digits grouped by underscores (``2_9``, ``1_000.5``)
    had read as 29 and 1000.5, planned without a word; YAML 1.2 and JSON read them as text. A
    number field refuses them, grouped digits with the whole fix ("write it without quotes",
    which they had none of, was said first; then "without underscores", which left a quoted
    one refused again)."""
    from periodize.loading import yaml_value

    assert yaml_value("a: 0b11101\nb: 2_9\nc: 1_000.5\nd: -0b1\ne: 0_45\nf: 29\n") == {
        "a": "0b11101", "b": "2_9", "c": "1_000.5", "d": "-0b1", "e": "0_45", "f": 29}
    text = CONTRACT.read_text(encoding="utf-8")
    grouped = tmp_path / "grouped.yaml"
    grouped.write_text(text.replace("  wed: 60\n", "  wed: 6_0\n"), encoding="utf-8")
    assert_rejected(grouped, tmp_path, "availability.wed",
                    "expected a whole number, got '6_0'; write it as 60, without underscores or quotes")
    # The fix in one message: quoted, or not whole, the advice had led to a second refusal.
    for written, words in (("'2_00'", "write it as 200, without underscores or quotes"),
                           ("6_0.5", "write a whole number, without underscores or quotes")):
        again = tmp_path / "again.yaml"
        again.write_text(text.replace("  wed: 60\n", f"  wed: {written}\n"), encoding="utf-8")
        assert_rejected(again, tmp_path, "availability.wed", words)
    binary = tmp_path / "binary.yaml"
    binary.write_text(text.replace("  wed: 60\n", "  wed: 0b111100\n"), encoding="utf-8")
    assert_rejected(binary, tmp_path, "availability.wed", "expected a whole number, got '0b111100'")


def test_numbers_in_exponent_notation_read_as_numbers_in_yaml() -> None:
    """YAML 1.2, JSON and TOML read ``1e3`` as a number; PyYAML (YAML 1.1) had read it as text,
    so ``weight: 1e3`` was refused as "expected a whole number". Quoted, it stays text."""
    from periodize.loading import yaml_value

    value = yaml_value("a: 1e3\nb: -2.5E-2\nc: '1e3'\nd: e3\ne: 1.0e+3\n")
    assert value == {"a": 1000.0, "b": -0.025, "c": "1e3", "d": "e3", "e": 1000.0}
    data = contract()
    data["rules"]["O3"] = {"weight": 1000}
    text = yaml.safe_dump(data, sort_keys=False).replace("weight: 1000", "weight: 1e3")
    assert "weight: 1e3" in text
    athlete, rules = athlete_from_mapping(yaml_value(text))
    assert rules.O3.weight == 1000


@pytest.mark.parametrize(("name", "content", "where", "words"), [case[1:] for case in PLACED_CASES],
                         ids=[case[0] for case in PLACED_CASES])
def test_a_value_the_parser_refuses_is_reported_at_its_path(tmp_path: Path, name: str, content: bytes, where: str,
                                                            words: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert_rejected(path, tmp_path, where, words)


def test_missing_file(tmp_path: Path) -> None:
    assert_rejected(tmp_path / "nowhere.yaml", tmp_path, FILE, "not found")


def test_directory_instead_of_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "athlete.yaml"
    folder.mkdir()
    assert_rejected(folder, tmp_path, FILE, "is a folder, not an athlete file")


def test_unwritable_out_directory_fails_before_solving(tmp_path: Path) -> None:
    out = tmp_path / "missing" / "plan.json"
    result = runner.invoke(app, ["solve", str(CONTRACT), "--out", str(out)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"--out: folder {out.parent} does not exist"
    assert result.stdout == ""
    assert not out.parent.exists()


def test_out_naming_an_existing_folder_fails_before_solving(tmp_path: Path) -> None:
    """"folder", the word batch and the README use, not "directory"."""
    result = runner.invoke(app, ["solve", str(CONTRACT), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"--out: {tmp_path} is a folder; give a file name such as plan.json"
    assert list(tmp_path.iterdir()) == []


# --- other formats ------------------------------------------------------------------------------
CONTRACT_TOML = """\
name = "Alex Example"
level = "intermediate"
age = 42

[season]
start = 2027-01-04
end = 2027-05-16

[volume]
current_weekly_minutes = 240
peak_weekly_minutes = 450
current_long_run_minutes = 80
weekly_time_budget_minutes = 540

[runs_per_week]
min = 4
max = 6

[strength]
sessions_per_week = 2
equipment = "gym"
plyometrics = false

[[races]]
name = "Spring Half"
date = 2027-03-14
distance = "half"
priority = "B"

[[races]]
name = "City Marathon"
date = "2027-04-25"            # an ISO string works as well as a TOML date
distance = "marathon"
priority = "A"
expected_minutes = 225

[availability]
mon = 75
tue = 75
wed = 60
thu = 75
fri = 0
sat = 120
sun = 180

[[exceptions]]
from = 2027-02-08
to = 2027-02-14
minutes = 40
note = "work trip"

[preferences]
long_run_day = "sun"
quality_days = ["tue", "thu"]
strength_days = ["mon", "thu"]
rest_days = ["fri"]

[rules]
V1 = {max_increase_pct = 10}
O3 = {weight = 5}
"""


def test_json_and_toml_load_equal_to_yaml(tmp_path: Path) -> None:
    from_yaml = load_athlete(CONTRACT)
    json_path = tmp_path / "athlete.json"
    json_path.write_text(json.dumps(contract(), default=str, indent=2), encoding="utf-8")  # dates as ISO strings
    toml_path = tmp_path / "athlete.toml"
    toml_path.write_text(CONTRACT_TOML, encoding="utf-8")
    assert load_athlete(json_path) == from_yaml
    assert load_athlete(toml_path) == from_yaml


def test_yml_extension_and_quoted_dates(tmp_path: Path) -> None:
    text = CONTRACT.read_text(encoding="utf-8").replace("start: 2027-01-04", 'start: "2027-01-04"')
    path = tmp_path / "athlete.yml"
    path.write_text(text, encoding="utf-8")
    assert load_athlete(path) == load_athlete(CONTRACT)


def test_words_in_any_case_and_dates_without_leading_zeros_read_as_meant(tmp_path: Path) -> None:
    """A coach's ``priority: a``, ``long_run_day: Sun`` and ``2027-4-25`` were refused with
    "expected 'A', 'B' or 'C'" and "expected a date like 2027-01-04": they name one thing."""
    data = contract()
    data["level"] = data["level"].capitalize()
    data["races"][1]["priority"] = data["races"][1]["priority"].lower()
    data["races"][1]["date"] = f"{data['races'][1]['date'].year}-{data['races'][1]['date'].month}-{data['races'][1]['date'].day}"
    data["strength"]["equipment"] = data["strength"]["equipment"].upper()
    data["preferences"]["long_run_day"] = data["preferences"]["long_run_day"].title()
    data["preferences"]["quality_days"] = [day.upper() for day in data["preferences"]["quality_days"]]
    assert "-0" in str(contract()["races"][1]["date"]), "the case needs a month or day below 10"
    assert load_athlete(write_yaml(tmp_path, data)) == load_athlete(CONTRACT)


@pytest.mark.parametrize(("value", "words"), [
    ("2027-2-30", "got '2027-2-30': day is out of range for month"),
    ("27-4-25", "expected a date like 2027-01-04, got '27-4-25'"),
])
def test_a_date_without_leading_zeros_that_is_no_day_is_still_refused(tmp_path: Path, value: str, words: str) -> None:
    data = contract()
    data["races"][1]["date"] = value
    assert_rejected(write_yaml(tmp_path, data), tmp_path, "races[1].date", words)


@pytest.mark.parametrize("value", ["2027-04-25T00:00:00", "2027-04-25T00:00:00+09:00", "2027-04-25 00:00:00 -05:00",
                                   "2027-04-25T10:00:00Z"])
def test_a_date_with_a_time_of_day_is_refused_at_midnight_too(tmp_path: Path, value: str) -> None:
    """pydantic read a date-time at midnight, in any time zone, as its date and refused one at
    any other time: every date-time is refused alike (YAML reads the unquoted ones as
    date-times, JSON and quoted YAML keep them as text)."""
    for quoted in (True, False):
        data = contract()
        data["races"][1]["date"] = value
        text = yaml.safe_dump(data, sort_keys=False)
        if not quoted:
            text = text.replace(f"'{value}'", value)
        path = tmp_path / "athlete.yaml"
        path.write_text(text)
        assert_rejected(path, tmp_path, "races[1].date", f"expected a date without a time of day, got {value[:10]}")


def test_a_word_no_choice_is_in_any_case_is_still_refused(tmp_path: Path) -> None:
    data = contract()
    data["races"][1]["priority"] = "a+"
    data["preferences"]["rest_days"] = ["Funday"]
    assert_rejected(write_yaml(tmp_path, data), tmp_path, "races[1].priority", "expected 'A', 'B' or 'C', got 'a+'")
    assert_rejected(write_yaml(tmp_path, data), tmp_path, "preferences.rest_days[0]", "got 'Funday'")


def test_a_toml_time_of_day_where_a_date_belongs_is_named_as_one(tmp_path: Path) -> None:
    """TOML reads a bare ``07:32:00`` as a time of day: "got datetime.time(7, 32)" had read."""
    path = tmp_path / "athlete.toml"
    path.write_text(CONTRACT_TOML.replace("start = 2027-01-04", "start = 07:32:00"), encoding="utf-8")
    assert "start = 07:32:00" in path.read_text(encoding="utf-8")
    assert_rejected(path, tmp_path, "season.start", "expected a date like 2027-01-04, got the time of day 07:32:00")


def test_json_field_problem_has_the_same_path(tmp_path: Path) -> None:
    data = json.loads(json.dumps(contract(), default=str))
    data["races"][1]["date"] = "25/04/2027"
    path = tmp_path / "athlete.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert_rejected(path, tmp_path, "races[1].date", "expected a date like 2027-01-04, got '25/04/2027'")


def test_a_json_date_that_does_not_exist_says_why(tmp_path: Path) -> None:
    """JSON's ``"2027-02-30"`` read only "expected a date like 2027-01-04", which it looks like;
    YAML's reader said why. Both say it now."""
    data = json.loads(json.dumps(contract(), default=str))
    data["races"][1]["date"] = "2027-02-30"
    path = tmp_path / "athlete.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert_rejected(path, tmp_path, "races[1].date",
                    "expected a date like 2027-01-04, got '2027-02-30': day is out of range for month")


def test_examples_all_load() -> None:
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    assert len(examples) >= 5
    for path in examples:
        athlete, _ = load_athlete(path)
        written = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert (athlete.name, athlete.season.start, len(athlete.races)) == (
            written["name"], written["season"]["start"], len(written.get("races") or [])), path.name


def test_the_bundled_roster_and_scenario_examples_load() -> None:
    """The README's batch and what-if commands name these files, so that they run as pasted."""
    from periodize.batch.roster import read_group
    from periodize.loading import athlete_from_mapping, read_mapping
    from periodize.whatif.run import scenario_inputs
    from periodize.whatif.scenario import scenario_from_file

    rosters = ROOT / "examples" / "rosters"
    for group, defaults in ((rosters / "squad.yaml", None), (rosters / "group.csv", rosters / "group-defaults.yaml")):
        entries = read_group(group, defaults).entries
        assert len(entries) >= 2 and all(entry.data is not None and not entry.problems for entry in entries), entries
        for entry in entries:
            assert entry.data is not None
            athlete_from_mapping(entry.data)
    marathon = read_mapping(ROOT / "examples" / "marathon.yaml")
    [data], _ = scenario_inputs(marathon, [scenario_from_file(ROOT / "examples" / "scenarios" / "short-wednesdays.yaml")])
    assert data["availability"]["wed"] == 45 and data["availability"]["mon"] == marathon["availability"]["mon"]


# --- plans and writing ----------------------------------------------------------------------------
def plan_problems(tmp_path: Path, week: dict[str, Any]) -> dict[str, str]:
    """``load_plan``'s problems (path: message) for a one-week plan file holding ``week``."""
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"athlete": "Alex Example", "status": "optimal", "weeks": [week]}), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_plan(path)
    return {problem.path: problem.message for problem in caught.value.problems}


@pytest.mark.parametrize("name", ["marathon.plan", "marathon.toml", "marathon.yaml", "marathon"])
def test_a_plan_file_is_read_as_json_whatever_its_suffix(tmp_path: Path, name: str) -> None:
    """A plan saved as ``marathon.plan`` was refused: "use .yaml, .yml, .json or .toml"; one
    saved as ``marathon.toml`` met a TOML syntax error. (YAML reads the JSON too.)"""
    from periodize.models.plan import Plan

    plan = Plan(athlete="Alex Example", status="infeasible")
    path = tmp_path / name
    path.write_text(plan.model_dump_json(), encoding="utf-8")
    assert load_plan(path) == plan


def test_a_plan_converted_to_yaml_reads(tmp_path: Path) -> None:
    path = tmp_path / "marathon.yml"
    path.write_text("athlete: Alex Example\nstatus: infeasible\n", encoding="utf-8")
    assert load_plan(path).status == "infeasible"


def test_an_athletes_toml_file_given_as_the_plan_is_named_so(tmp_path: Path) -> None:
    """Read as JSON, as every plan is, a TOML athlete file had met "JSON syntax error:
    Expecting value"; its suffix's format reads it, and it is named an athlete file. A
    .toml file neither format reads keeps JSON's error."""
    path = tmp_path / "athlete.toml"
    path.write_text(CONTRACT_TOML, encoding="utf-8")
    with pytest.raises(InputError, match="athlete.toml is an athlete file, not a plan"):
        load_plan(path)
    path.write_text("x = [\n", encoding="utf-8")
    with pytest.raises(InputError, match="JSON syntax error"):
        load_plan(path)


def test_a_plan_file_that_is_not_json_is_a_json_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "marathon.plan"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="JSON syntax error"):
        load_plan(path)


def test_load_plan_reports_paths(tmp_path: Path) -> None:
    found = plan_problems(tmp_path, {"start": "2027-01-04", "phase": "base", "run_minutes": 0, "training_minutes": 0,
                                     "days": [{"date": "2027-01-04", "run": {"type": "jog", "minutes": 0}, "strenght": None}]})
    assert "weeks[0].days[0].run.type" in found
    assert "did you mean strength?" in found["weeks[0].days[0].strenght"]


def test_a_boolean_for_a_plan_number_is_reported(tmp_path: Path) -> None:
    """A plan file's minutes as ``true`` were read as 1; a boolean field stays a boolean."""
    found = plan_problems(tmp_path, {"start": "2027-01-04", "phase": "base", "deload": True, "run_minutes": True,
                                     "training_minutes": 0,
                                     "days": [{"date": "2027-01-04", "run": {"type": "easy", "minutes": 30}, "strength": None}]})
    assert found == {"weeks[0].run_minutes": "expected a number, got the boolean true"}


def test_a_number_in_quotes_in_a_plan_is_reported(tmp_path: Path) -> None:
    """A plan's ``"minutes": "70"`` was read as 70; the contract's minutes are numbers."""
    found = plan_problems(tmp_path, {"start": "2027-01-04", "phase": "base", "run_minutes": 30, "training_minutes": 30,
                                     "days": [{"date": "2027-01-04", "run": {"type": "easy", "minutes": "30"},
                                               "strength": None}]})
    assert found == {"weeks[0].days[0].run.minutes": "expected a whole number, got the text '30'; write it without quotes"}
    path = tmp_path / "terms.json"
    path.write_text(json.dumps({"athlete": "A", "status": "optimal", "objective_terms": {"O1": "3"}, "weeks": []}))
    with pytest.raises(InputError) as caught:
        load_plan(path)
    assert [str(problem) for problem in caught.value.problems] == [
        f"{path}: objective_terms: O1: expected a number, got the text '3'; write it without quotes"]


def test_a_number_for_a_plan_date_is_reported(tmp_path: Path) -> None:
    """A plan's ``"date": 0`` was read as 1970-01-01 (seconds since 1970), and the validator
    then spoke of a day outside the season rather than of the file's value."""
    found = plan_problems(tmp_path, {"start": 1798934400, "phase": "base", "run_minutes": 0, "training_minutes": 0,
                                     "days": [{"date": 0, "run": {"type": "rest", "minutes": 0}, "strength": None}]})
    assert found == {
        "weeks[0].start": "expected a date like 2027-01-04, got the number 1798934400; write the date as YYYY-MM-DD",
        "weeks[0].days[0].date": "expected a date like 2027-01-04, got the number 0; write the date as YYYY-MM-DD"}


def test_a_boolean_among_a_plans_objective_terms_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"athlete": "A", "status": "optimal", "objective_terms": {"O1": 3, "O6": True},
                                "weeks": []}))
    with pytest.raises(InputError) as caught:
        load_plan(path)
    assert [str(problem) for problem in caught.value.problems] == [
        f"{path}: objective_terms: O6: expected a number, got the boolean true"]


def test_two_file_commands_name_the_file_each_problem_is_in(tmp_path: Path) -> None:
    """``validate ATHLETE PLAN`` with a broken plan said only "status: required key is
    missing", and a YAML syntax error "(file): line 3, column 1: ...": neither named its file.
    An empty plan file was told to start from the athlete files in examples/."""
    plan = tmp_path / "partial.json"
    plan.write_text(json.dumps({"athlete": "A"}))
    result = runner.invoke(app, ["validate", str(CONTRACT), str(plan)])
    assert result.exit_code == 2 and result.stderr.splitlines() == [f"{plan}: status: required key is missing"]
    empty = tmp_path / "empty.json"
    empty.write_text("")
    result = runner.invoke(app, ["validate", str(CONTRACT), str(empty)])
    assert result.stderr.splitlines() == ["empty.json is empty; a plan is what `periodize solve --out` writes"]


def test_a_found_plan_without_its_weeks_is_malformed_not_a_plan_of_no_weeks(tmp_path: Path) -> None:
    """It had been read as a plan of no weeks: P1 for the season's days, exit 1, where the file
    is what is wrong. A plan that found none (infeasible, unknown) may leave the key out."""
    plan = tmp_path / "noweeks.json"
    plan.write_text(json.dumps({"athlete": "Alex Example", "status": "feasible", "objective": 5}))
    result = runner.invoke(app, ["validate", str(CONTRACT), str(plan)])
    assert result.exit_code == 2 and result.stderr.splitlines() == [
        f"{plan}: weeks: required key is missing (a plan whose status is 'feasible' lists its weeks)"]
    plan.write_text(json.dumps({"athlete": "Alex Example", "status": "infeasible"}))
    assert load_plan(plan).weeks == []


def test_an_empty_scenario_roster_or_defaults_file_is_told_what_it_holds(tmp_path: Path) -> None:
    """Each was told to "start from one of the files in examples/", which are athlete files."""
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    scenario = runner.invoke(app, ["whatif", str(CONTRACT), "--scenario", str(empty), "-t", "1"])
    assert scenario.exit_code == 2 and "a scenario holds the athlete file's keys it changes" in scenario.stderr
    roster = runner.invoke(app, ["batch", str(empty), "-t", "1"])
    assert roster.exit_code == 2 and "empty.yaml is empty; a roster holds athletes:" in roster.stderr
    squad = ROOT / "examples" / "rosters" / "squad.yaml"
    defaults = runner.invoke(app, ["batch", str(squad), "--defaults", str(empty), "-t", "1"])
    assert defaults.exit_code == 2 and "defaults hold athlete keys every athlete of the group shares" in defaults.stderr


def test_an_athlete_file_where_a_plan_belongs_says_so(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_plan(CONTRACT)
    assert [str(problem) for problem in caught.value.problems] == [
        f"{CONTRACT.name} is an athlete file, not a plan; a plan is what `periodize solve --out` writes"]


def test_write_atomically_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    target.write_text("old", encoding="utf-8")
    write_atomically(target, '{"new": true}\n')
    assert target.read_text(encoding="utf-8") == '{"new": true}\n'
    assert [item.name for item in tmp_path.iterdir()] == ["plan.json"]


def test_write_atomically_keeps_the_replaced_files_permissions(tmp_path: Path) -> None:
    """A plan made private (600) came back world-readable (644) when solved again over it."""
    target = tmp_path / "plan.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    write_atomically(target, "new")
    assert target.read_text(encoding="utf-8") == "new" and oct(target.stat().st_mode & 0o777) == "0o600"


def test_write_atomically_leaves_nothing_on_error(tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    with pytest.raises(TypeError):
        write_atomically(target, None)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_out_file_is_refused_before_solving(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--out`` naming a file its owner made read-only: the atomic rename had replaced it (and
    its mode). As the file's owner sees it (``os.access``; root may write anything), refused
    before solving, the file as it was."""
    import os

    from periodize import output_files

    out = tmp_path / "plan.json"
    out.write_text("{}", encoding="utf-8")
    out.chmod(0o444)
    real_access = os.access
    monkeypatch.setattr(output_files.os, "access",
                        lambda path, mode: False if Path(path) == out and mode == os.W_OK else real_access(path, mode))
    result = runner.invoke(app, ["solve", str(CONTRACT), "--out", str(out)])
    assert result.exit_code == 2
    assert f"--out: {out} is read-only; make it writable or give another file" in result.stderr
    assert out.read_text(encoding="utf-8") == "{}" and oct(out.stat().st_mode & 0o777) == "0o444"


def test_optional_section_left_empty_takes_its_default(tmp_path: Path) -> None:
    data = contract()
    data["exceptions"] = None  # `exceptions:` with every entry commented out
    data["preferences"]["quality_days"] = None
    athlete, _ = load_athlete(write_yaml(tmp_path, data))
    assert athlete.exceptions == [] and athlete.preferences.quality_days == []


def test_required_key_left_empty_is_reported(tmp_path: Path) -> None:
    data = contract()
    data["name"] = None
    assert_rejected(write_yaml(tmp_path, data), tmp_path, "name", "expected text, got nothing")


def test_a_pipe_or_an_oversized_file_is_refused_unread(tmp_path: Path) -> None:
    """A FIFO named athlete.yaml waited for a writer for ever, and a link to /dev/zero read
    until memory ran out (an internal error): neither is an athlete file. A sparse file stands
    in for a huge one."""
    import os

    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    assert_rejected(fifo, tmp_path, FILE, "is not a regular file (a device or a pipe)")
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as stream:
        stream.truncate(25_000_000)
    assert_rejected(huge, tmp_path, FILE, "huge.yaml is 25,000,000 bytes, more than any athlete file holds (at most 20,000,000)")


def test_a_finish_time_no_runner_could_run_is_refused(tmp_path: Path) -> None:
    """``expected_minutes: 2000`` for a half planned a race of 33 hours (95 min/km)."""
    data = contract()
    data["races"][0]["expected_minutes"] = 2000
    race = data["races"][0]
    km = {"5k": 5, "10k": 10, "half": 21.0975, "marathon": 42.195}.get(race["distance"], race["distance"])
    assert_rejected(write_yaml(tmp_path, data), tmp_path, "races[0].expected_minutes",
                    f"2000 min for {km:g} km is {2000 / km:.2f} min/km")
    # The range given holds whole minutes inside it: 101 min for a marathon is 2.39 min/km.
    data["races"][0].update(distance="marathon", expected_minutes=101)
    assert_rejected(write_yaml(tmp_path, data), tmp_path, "races[0].expected_minutes",
                    "a race of this distance takes 102-843 min")
    # Metres typed as kilometres: "takes 1-1 min" had said neither the range nor the unit.
    data["races"][0].update(distance=0.05, expected_minutes=65)
    assert_rejected(write_yaml(tmp_path, data), tmp_path, "races[0].expected_minutes",
                    "a race of this distance takes about 1 min (2.4-20 min/km); distance is in kilometres (10 for a 10k)")


def test_the_current_week_may_hold_as_much_as_the_peak(tmp_path: Path) -> None:
    """The current week stopped at 1,440 minutes where the peak allowed 3,000."""
    data = contract()
    data["volume"]["current_weekly_minutes"], data["volume"]["peak_weekly_minutes"] = 1500, 1600
    athlete, _ = load_athlete(write_yaml(tmp_path, data))
    assert athlete.volume.current_weekly_minutes == 1500


def test_a_rule_problem_gives_the_defaults_the_athletes_level_set() -> None:
    """A beginner's P4 maximum is 1 by default: "min_sessions 2 is above max_sessions 1" named a
    number the file does not hold, so the level's defaults for the rule are given."""
    data = contract()
    data["level"] = "beginner"
    data["rules"] = {"P4": {"min_sessions": 2}}
    with pytest.raises(InputError) as refused:
        athlete_from_mapping(data)
    assert [str(problem) for problem in refused.value.problems] == [
        "rules.P4: min_sessions 2 is above max_sessions 1 (this athlete's defaults for P4: max_sessions 1)"]
    data["rules"] = {"P14": {"easy_min": 22}}  # a number's own problem: the level's long_min has no part in it
    with pytest.raises(InputError) as own:
        athlete_from_mapping(data)
    assert "defaults" not in str(own.value)


def test_a_recovery_past_the_limit_names_the_number_that_set_it() -> None:
    """A C race's recovery is V8's c_race_days, not a day a mile: the refusal had said "(V8: 1 a
    mile raced)" for a C 5k's 2 days."""
    data = contract()
    data["season"].pop("end", None)
    start = data["season"]["start"]
    data["races"].append({"name": "Late 5k", "date": start + timedelta(days=7 * 103 + 6), "distance": "5k", "priority": "C"})
    with pytest.raises(InputError) as refused:
        athlete_from_mapping(data)
    [problem] = refused.value.problems
    assert problem.path == "races[2]" and "Late 5k's recovery of 2 days (V8: c_race_days 2)" in problem.message
