"""One sentence per hard rule, in a runner's words, with the athlete's own numbers.

Each builder receives the skeleton and the groups of one rule that take part in a conflict
(days, weeks or races, see ``ModelContext``) and says what the rule asks there and what the
calendar or the athlete file gives, e.g. "P6 needs 5 running days a week but only 4 days have
time (fri 0 min, sun 0 min) in the week of 2027-02-08 (week 6)". Every rule number comes from
the resolved ``Rules``; every date from the skeleton. This is the one place these texts live.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from periodize.models.athlete import WEEKDAYS, Priority
from periodize.season import RaceInfo, Skeleton
from periodize.solver.context import Group


@dataclass(frozen=True)
class RuleConflict:
    """One rule's part in a conflict: its code, a sentence, and the dates and weeks (1-based)
    involved."""

    code: str
    text: str
    dates: tuple[date, ...]
    weeks: tuple[int, ...]
    groups: tuple[Group, ...]

    def as_json(self) -> dict[str, object]:
        return {"code": self.code, "text": self.text, "dates": [d.isoformat() for d in self.dates],
                "weeks": list(self.weeks)}


# ---- small phrases -------------------------------------------------------------------------------
def weekday(skeleton: Skeleton, day: int) -> str:
    return WEEKDAYS[skeleton.date_of(day).weekday()]


def exception_text(skeleton: Skeleton, days: Iterable[int]) -> str:
    """"exception: work trip" for the exceptions on ``days`` (their notes), "availability
    exception" where none has a note; "" where no day has one."""
    exceptional = [day for day in days if skeleton.exception_day[day]]
    notes = sorted({note for day in exceptional if (note := skeleton.exception_notes[day])})
    if notes:
        return f"exception: {', '.join(notes)}"
    return "availability exception" if exceptional else ""


def week_label(skeleton: Skeleton, week: int) -> str:
    """"the week of 2027-02-08 (week 6)", with the exception's note where there is one."""
    exception = exception_text(skeleton, skeleton.week_days(week))
    extra = f" ({exception})" if exception else ""
    return f"the week of {skeleton.week_start(week)} (week {week + 1}){extra}"


def weeks_label(skeleton: Skeleton, weeks: list[int]) -> str:
    return " and ".join(week_label(skeleton, week) for week in weeks) if len(weeks) <= 2 else (
        f"weeks {', '.join(str(w + 1) for w in weeks)}")


def day_minutes(skeleton: Skeleton, day: int) -> str:
    """"fri 2027-01-08 0 min" (with the exception's note on an exception day)."""
    exception = exception_text(skeleton, [day])
    note = f" ({exception})" if exception else ""
    return f"{weekday(skeleton, day)} {skeleton.date_of(day)} {skeleton.available[day]} min{note}"


def race_label(race: RaceInfo) -> str:
    return f"{race.name} ({race.priority.value} race, {race.distance}, {race.date})"


def race_named(skeleton: Skeleton, name: str) -> RaceInfo:
    return next(race for race in skeleton.races if race.name == name)


def of_kind(groups: list[Group], kind: str) -> list:
    return sorted(value for k, value in groups if k == kind)


def grouped_weeks(skeleton: Skeleton, groups: list[Group]) -> str:
    """The weeks among a conflict's groups, as ``weeks_label`` writes them."""
    return weeks_label(skeleton, of_kind(groups, "week"))


def override_note(skeleton: Skeleton, code: str, *params: str) -> str:
    """" (set in the athlete's rules)" when the athlete changed this rule's numbers, or, given
    ``params``, one of those: V4's cap of 180 read "set in the athlete's rules" where only its
    shares were."""
    changed = skeleton.athlete.rules.get(code, {})
    return " (set in the athlete's rules)" if changed and (not params or set(params) & set(changed)) else ""


# ---- the builders --------------------------------------------------------------------------------
Builder = Callable[[Skeleton, list[Group]], str]


def p1(skeleton: Skeleton, groups: list[Group]) -> str:
    days = of_kind(groups, "day")
    return f"P1 gives each day exactly one run type, so one run a day ({', '.join(str(skeleton.date_of(d)) for d in days)})"


def p2(skeleton: Skeleton, groups: list[Group]) -> str:
    parts = []
    for day in of_kind(groups, "day"):
        first, second = skeleton.race_on_day.get(day), skeleton.race_on_day.get(day + 1)
        if first and second:
            parts.append(f"{race_label(first)} and {race_label(second)} are on consecutive days")
        else:  # a race is a hard day: name it, the fixes are often about it
            named = [f"{skeleton.date_of(d)}" + (f" ({race.name}, {race.priority.value} race)" if race else "")
                     for d, race in ((day, first), (day + 1, second))]
            parts.append(f"{named[0]} and {named[1]} cannot both be hard days")
    return "P2 allows no two hard days in a row, but " + "; ".join(parts)


def p3(skeleton: Skeleton, groups: list[Group]) -> str:
    weeks = of_kind(groups, "week")
    return (f"P3 needs one long run of at least {skeleton.rules.P14.long_min} min (P14) in "
            f"{weeks_label(skeleton, weeks)}, a normal week")


def p4(skeleton: Skeleton, groups: list[Group]) -> str:
    p4_ = skeleton.rules.P4
    weeks = set(of_kind(groups, "week"))
    # RULES.md P4: a C race counts as one; "P4 needs 0-0" beside a C race had not said why.
    c_races = [f"{race.name} ({race.date})" for race in skeleton.races_with(Priority.C) if race.week in weeks]
    counted = f"; a C race counts as one: {', '.join(c_races)}" if c_races else ""
    # The lower bound the model posts: fewer than min_sessions where the week's days hold fewer
    # beside the long run (README, P4 readings).
    return (f"P4 needs {skeleton.quality_sessions_required}-{p4_.max_sessions} quality or tempo sessions a week"
            f"{override_note(skeleton, 'P4')} in {grouped_weeks(skeleton, groups)}{counted}")


def p5(skeleton: Skeleton, groups: list[Group]) -> str:
    days = skeleton.rules.P5.min_rest_days
    return (f"P5 needs at least {days} rest day{'' if days == 1 else 's'} a week{override_note(skeleton, 'P5')} "
            f"in {grouped_weeks(skeleton, groups)}")


def p6(skeleton: Skeleton, groups: list[Group]) -> str:
    limits = skeleton.athlete.runs_per_week
    shortest = skeleton.rules.P14.shortest_easy_run
    parts = []
    for week in of_kind(groups, "week"):
        days = list(skeleton.week_days(week))
        with_time = [d for d in days if skeleton.available[d] >= shortest or d in skeleton.race_on_day]
        short = [f"{weekday(skeleton, d)} {skeleton.available[d]} min" for d in days if d not in with_time]
        # A race day runs whatever its minutes (exempt from P12): said, or "1 days have time for
        # a 20-min run" beside seven 0-minute days had counted a 0-minute race day unnamed.
        races = [weekday(skeleton, d) for d in with_time if skeleton.available[d] < shortest]
        among = "" if len(races) == len(with_time) else " among them"
        raced = f"the race{'s' if len(races) > 1 else ''} on {' and '.join(races)}{among}"
        have = (f"{len(with_time)} day{'' if len(with_time) == 1 else 's'} can hold a run ({raced})" if races else
                f"{len(with_time)} day{' has' if len(with_time) == 1 else 's have'} time for a {shortest}-min run")
        needed = skeleton.min_running_days(week)
        limits_text = f"runs_per_week {limits.min}-{limits.max}"
        if skeleton.is_exception_week(week):  # the minimum counts the days with the exception's threshold
            threshold, set_to = skeleton.exception_run_day_minutes, skeleton.rules.P6.exception_day_minutes
            source = (f"P6.exception_day_minutes{override_note(skeleton, 'P6', 'exception_day_minutes')}"
                      if threshold == set_to else f"the shortest easy run (P6.exception_day_minutes {set_to} is below it)")
            limits_text += f"; an exception week counts its days of at least {threshold} min, {source}"
        if short and len(with_time) < needed:
            parts.append(f"P6 needs {needed} running day{'' if needed == 1 else 's'} a week ({limits_text}) but only "
                         f"{have}, not {', '.join(short)}, in {week_label(skeleton, week)}")
            continue
        # Enough days with time: the conflict may need either end of the range (a B race's week
        # held to 3 runs read "needs 3 running days", where the fix was raising the maximum).
        if short:  # the other rules of the conflict take some of those days
            limits_text += f"; {have}, not {', '.join(short)}"
        most = skeleton.athlete.runs_per_week.max
        span = f"{needed}" if needed == most else f"{needed}-{most}"
        parts.append(f"P6 keeps running days to {span} a week ({limits_text}) in {week_label(skeleton, week)}")
    return "; ".join(parts)


def p7(skeleton: Skeleton, groups: list[Group]) -> str:
    days = ", ".join(f"{weekday(skeleton, d)} {skeleton.date_of(d)}" for d in of_kind(groups, "day"))
    return f"P7 allows strength only beside an easy or recovery run or rest, not beside quality, tempo or a long run ({days})"


def p8(skeleton: Skeleton, groups: list[Group]) -> str:
    days = ", ".join(f"{weekday(skeleton, d)} {skeleton.date_of(d)}" for d in of_kind(groups, "day"))
    return f"P8 allows no strength the day before a long run or a race ({days})"


def p9(skeleton: Skeleton, groups: list[Group]) -> str:
    days = ", ".join(str(skeleton.date_of(d)) for d in of_kind(groups, "day"))
    return f"P9 keeps strength A and B at least 48 h apart ({days})"


def p10(skeleton: Skeleton, groups: list[Group]) -> str:
    p14, asked = skeleton.rules.P14, skeleton.athlete.strength.sessions_per_week
    weeks = [int(value) for kind, value in groups if kind == "week"]
    per_week = max((skeleton.p10_sessions(week) for week in weeks), default=asked)
    sessions = (f"A and B ({p14.ab_planned} min each), or full + short ({p14.full_planned} + {p14.short_planned} min) "
                f"in a busy week" if per_week == 2 else f"one full session ({p14.full_planned} min)")
    count = (f"{per_week} strength sessions (sessions_per_week)" if per_week == asked else
             f"{per_week} strength session (sessions_per_week {asked}, held to what the days hold beside the runs)")
    return f"P10 needs {count}: {sessions}, in {grouped_weeks(skeleton, groups)}"


def p11(skeleton: Skeleton, groups: list[Group]) -> str:
    params = skeleton.rules.P11
    races = ", ".join(race_label(race_named(skeleton, name)) for name in of_kind(groups, "race"))
    return (f"P11 allows no strength in the last {params.no_strength_days} days before {races}, and at most one "
            f"light session in the {params.light_window_days} days before it{override_note(skeleton, 'P11')}")


def p12(skeleton: Skeleton, groups: list[Group]) -> str:
    days = of_kind(groups, "day")
    return ("P12 fits each day's run plus strength into its available minutes: "
            + ", ".join(day_minutes(skeleton, d) for d in days))


def p13(skeleton: Skeleton, groups: list[Group]) -> str:
    parts = []
    for name in of_kind(groups, "race"):
        race = race_named(skeleton, name)
        before = skeleton.race_on_day.get(race.day - 1)
        clash = f", but {race_label(before)} is that day" if before else ""
        parts.append(f"P13 makes the day before {race_label(race)} a rest day or an easy run of at most "
                     f"{skeleton.rules.P13.max_easy_minutes} min{clash}")
    return "; ".join(parts)


def p14(skeleton: Skeleton, groups: list[Group]) -> str:
    p = skeleton.rules.P14
    days = of_kind(groups, "day")
    where = ", ".join(f"{weekday(skeleton, d)} {skeleton.date_of(d)}" for d in days)
    return (f"P14 sets session lengths{override_note(skeleton, 'P14')}: easy {p.easy_min}-{p.easy_max} min, "
            f"recovery {p.recovery_min}-{p.recovery_max}, quality {p.quality_min}-{p.quality_max}, "
            f"long from {p.long_min} up to V4's cap of {skeleton.rules.V4.max_minutes}{override_note(skeleton, 'V4', 'max_minutes')} "
            f"({where})")


def v1(skeleton: Skeleton, groups: list[Group]) -> str:
    return (f"V1 lets training minutes grow at most {skeleton.rules.V1.max_increase_pct:g} % over the larger of the "
            f"two previous weeks{override_note(skeleton, 'V1')} (current_weekly_minutes "
            f"{skeleton.athlete.volume.current_weekly_minutes}) in {grouped_weeks(skeleton, groups)}")


def v2(skeleton: Skeleton, groups: list[Group]) -> str:
    params = skeleton.rules.V2
    return (f"V2 caps training minutes at {params.max_ratio:g} x the mean of the {params.chronic_weeks} weeks before"
            f"{override_note(skeleton, 'V2')} in {grouped_weeks(skeleton, groups)}")


def v3(skeleton: Skeleton, groups: list[Group]) -> str:
    params = skeleton.rules.V3
    return (f"V3 allows at most {params.max_loading_weeks} loading weeks in a row, then a deload week at "
            f"{params.deload_min_pct:g}-{params.deload_max_pct:g} % of the week before{override_note(skeleton, 'V3')}, "
            f"in {grouped_weeks(skeleton, groups)}")


def v4(skeleton: Skeleton, groups: list[Group]) -> str:
    params = skeleton.rules.V4
    return (f"V4 caps the long run at {params.share_pct_3_or_fewer:g} / {params.share_pct_4:g} / "
            f"{params.share_pct_5_or_more:g} % of the week's training minutes (3 or fewer / 4 / 5+ running days) and "
            f"{params.max_minutes} min{override_note(skeleton, 'V4')} in {grouped_weeks(skeleton, groups)}")


def v5(skeleton: Skeleton, groups: list[Group]) -> str:
    current = skeleton.athlete.volume.current_long_run_minutes
    start = f" (current_long_run_minutes {current})" if current is not None else ""
    return (f"V5 lets the long run grow at most {skeleton.rules.V5.max_increase_minutes} min over the recent long run"
            f"{start}{override_note(skeleton, 'V5')} in {grouped_weeks(skeleton, groups)}")


def v6(skeleton: Skeleton, groups: list[Group]) -> str:
    return (f"V6 keeps quality and tempo minutes at most {skeleton.rules.V6.max_share_pct:g} % of training minutes"
            f"{override_note(skeleton, 'V6')} in {grouped_weeks(skeleton, groups)}")


def v7(skeleton: Skeleton, groups: list[Group]) -> str:
    params = skeleton.rules.V7
    parts = []
    for name in of_kind(groups, "race"):
        race = race_named(skeleton, name)
        close = [other for other in skeleton.races if other.day in skeleton.v7_easy_days(race)]
        clash = f", but {', '.join(race_label(other) for other in close)} falls in them" if close else ""
        easy_days = f"no hard day in the {params.b_race_easy_days} days before {race_label(race)}{clash}"
        if sharpening := sorted(skeleton.v7_sharpening_days(race)):
            on = " or ".join(f"{skeleton.date_of(day):%a %Y-%m-%d}" for day in sharpening)
            only = "the only day" if len(sharpening) == 1 else "the only days"
            easy_days += f" (but a quality or tempo session on {on}, {only} its week has for one)"
        if race.priority == Priority.B:
            parts.append(f"V7 allows {easy_days}")
        else:
            if skeleton.v7_floor_week(race) is None:
                session = " and the week before's quality session" if skeleton.allows_quality else ""
                cut = (f"race week and the week before it (the race is on a {race.date:%A}) at most "
                       f"{params.race_week_max_pct:g} % of it, or the least their runs{session} take")
            else:
                waived = skeleton.v7_race_week_waived(race.week)
                least = (f" (at least {params.race_week_min_pct:g} % or {skeleton.v7_week_floor(race.week)} min, an "
                         f"exception taking time from it or the two weeks before)" if waived else "")
                cut = f"race week at {params.race_week_min_pct:g}-{params.race_week_max_pct:g} % of it{least}"
            parts.append(f"V7 tapers {race_label(race)} over {race.taper_days} days: no taper week above the reference "
                         f"week (or the least its runs take), {cut}, "
                         + ("a quality session in each taper week before race week" if skeleton.allows_quality else
                            "no quality session (the athlete's rules allow none: P4 or V6 at 0)")
                         + f", {easy_days}")
    return "; ".join(parts)


def v8(skeleton: Skeleton, groups: list[Group]) -> str:
    parts = []
    for name in of_kind(groups, "race"):
        race = race_named(skeleton, name)
        parts.append(f"V8 allows no quality, tempo or long run for {race.recovery_days} days after {race_label(race)} "
                     f"and no strength in the first {skeleton.rules.V8.no_strength_days}")
    weeks = of_kind(groups, "week")
    if weeks:
        parts.append(f"V8 holds weeks after an A race to {skeleton.rules.V8.week_cap_pct:g} % of its reference week in "
                     f"{weeks_label(skeleton, weeks)}")
    return "; ".join(parts)


def v9(skeleton: Skeleton, groups: list[Group]) -> str:
    return (f"V9 caps a week at peak_weekly_minutes {skeleton.athlete.volume.peak_weekly_minutes} in "
            f"{grouped_weeks(skeleton, groups)}")


SENTENCES: dict[str, Builder] = {
    "P1": p1, "P2": p2, "P3": p3, "P4": p4, "P5": p5, "P6": p6, "P7": p7, "P8": p8, "P9": p9, "P10": p10,
    "P11": p11, "P12": p12, "P13": p13, "P14": p14,
    "V1": v1, "V2": v2, "V3": v3, "V4": v4, "V5": v5, "V6": v6, "V7": v7, "V8": v8, "V9": v9,
}


def describe(skeleton: Skeleton, code: str, groups: list[Group]) -> RuleConflict:
    """One rule's part in a conflict, as a sentence with its dates and weeks."""
    builder = SENTENCES.get(code)
    text = builder(skeleton, groups) if builder else f"{code} ({', '.join(map(str, groups))})"
    dates: set[date] = set()
    weeks: set[int] = set()
    for kind, value in groups:
        if kind == "day":
            dates.add(skeleton.date_of(int(value)))
            weeks.add(int(value) // 7)
        elif kind == "week":
            weeks.add(int(value))
            dates.add(skeleton.week_start(int(value)))
        elif kind == "race":
            race = race_named(skeleton, str(value))
            dates.add(race.date)
            weeks.add(race.week)
    return RuleConflict(code=code, text=text, dates=tuple(sorted(dates)),
                        weeks=tuple(sorted(w + 1 for w in weeks)), groups=tuple(groups))
