"""Strength placement decisions the prescription relies on (S4 busy weeks, P11 before an A
race) and `periodize show`, which prints a week's sessions exercise by exercise."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from plan_builders import START, make_athlete
from typer.testing import CliRunner

from periodize.cli.app import app
from periodize.models.plan import SessionKind
from periodize.solver.solve import solve_athlete
from periodize.validate import validate_plan


def test_busy_week_switches_to_full_and_short_when_an_exception_shrinks_availability() -> None:
    """S4: with 40 minutes a day no A or B session (45 min) fits, so the exception week holds
    the busy pair instead of losing both sessions."""
    week2 = START + timedelta(days=7)
    # O6 at 40 per missing session: a session then outweighs the 20 running minutes its time
    # could hold instead, so the busy pair is the one optimum (at 20 the two would tie).
    athlete = make_athlete(3, sessions=2, current=300, availability=90, rules={"O6": {"weight": 40}}, exceptions=[
        {"from": week2, "to": week2 + timedelta(days=6), "minutes": 40, "note": "work trip"}])
    plan = solve_athlete(athlete, time_limit=20)
    assert plan.status in ("optimal", "feasible")
    assert validate_plan(athlete, plan) == []
    kinds = sorted(day.strength.session for day in plan.weeks[1].days if day.strength)
    assert kinds == sorted([SessionKind.full, SessionKind.short])
    normal = sorted(day.strength.session for day in plan.weeks[0].days if day.strength)
    assert normal == sorted([SessionKind.A, SessionKind.B])


def test_no_strength_in_the_seven_days_before_an_a_race() -> None:
    race_day = START + timedelta(days=7 * 3 + 6)
    athlete = make_athlete(5, sessions=2, races=[{"name": "Goal 5k", "date": race_day, "distance": "5k", "priority": "A"}])
    plan = solve_athlete(athlete, time_limit=20)
    assert plan.status in ("optimal", "feasible")
    lifted = [day.date for day in plan.days() if day.strength is not None]
    assert lifted and all(not race_day - timedelta(days=7) <= when < race_day for when in lifted)


def test_show_prints_a_week_exercise_by_exercise(tmp_path: Path) -> None:
    athlete = make_athlete(4, sessions=2)
    plan = solve_athlete(athlete, time_limit=20)
    path = tmp_path / "plan.json"
    path.write_text(plan.model_dump_json())
    result = CliRunner().invoke(app, ["show", str(path), "--week", "2"])
    assert result.exit_code == 0, result.output
    assert "Week of 2027-01-11" in result.output
    assert "Split squat" in result.output and "Step-up (knee drive finish)" in result.output
    assert "Starting loads (S6)" in result.output
    assert result.stderr == ""
    missing = CliRunner().invoke(app, ["show", str(path), "--week", "9"])
    assert missing.exit_code == 2
    assert missing.stdout == ""
    assert missing.stderr.splitlines() == ["--week: the plan has 4 weeks; give 1 to 4, not 9"]
    short = plan.model_copy(deep=True)
    del short.weeks[1].days[3]  # a day lost in an edit: shown, and said
    path.write_text(short.model_dump_json())
    result = CliRunner().invoke(app, ["show", str(path), "--week", "2"])
    assert result.exit_code == 0 and result.stderr.startswith(
        "note: the week of 2027-01-11 holds 6 days, not 7 (edited by hand?); `periodize validate` checks the plan")


def test_show_and_the_legend_say_what_the_minutes_count() -> None:
    """"400 training minutes" in a week with 90 minutes of strength read as counting it, and the
    table's Train and Run columns were explained nowhere."""
    from plan_builders import make_plan

    from periodize.cli.render import LEGEND
    from periodize.cli.show import week_lines

    athlete = make_athlete(1, sessions=2, races=[{"name": "Parkrun", "date": START + timedelta(days=6), "distance": "5k",
                                                  "priority": "C"}])
    plan = make_plan(athlete, ("E40+A45 Q45 R E40+B45 E40 R X",))
    week = plan.weeks[0]
    assert week_lines(week)[0].endswith(f"{week.training_minutes} training minutes of running "
                                        f"(+ {week.run_minutes - week.training_minutes} racing), 90 min of strength")
    assert "Train = run minutes without races" in LEGEND and "strength in neither" in LEGEND
