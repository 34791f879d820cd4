"""Checks of the strength prescription (S1-S5) on a finished plan.

Like the hard-rule checks in :mod:`periodize.validate`, these read only the plan and the
season skeleton. They use the article's templates (S1 is data: exercise names, set ranges,
roles), the S3/S5 definitions of in-season and peak-mileage weeks and the definition of a
layoff (``strength.cycle.after_layoff``), never the prescription code's decisions, so a
hand-written or edited prescription is checked against the rules, not against what
``prescribe`` would have written. A plan prescribes every session or none: in a
placement-only plan (no exercises anywhere; the prescription is optional in a plan file) there
is nothing to check here, and in a prescribed one a session without exercises is an S1
violation.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from periodize.models.plan import Exercise, SessionKind, StrengthSession
from periodize.models.rules import S2_DELOAD_CUT, S2_LOAD_STEP_PCT
from periodize.strength.cycle import after_layoff
from periodize.strength.phase import StrengthPhase, in_pre_race_window, strength_phase
from periodize.strength.plyometrics import has_heavy_lifting, peak_mileage_weeks
from periodize.strength.templates import (
    PLYO_PREFIX,
    ExerciseTemplate,
    Role,
    session_template,
    week3_set_minutes,
)
from periodize.validate.view import PlanView, Violation

#: S1: "Keep 1-3 reps in reserve on most sets."
RIR_RANGE = (1, 3)
#: RULES.md vocabulary: "every session starts with the 8-12 minute warm-up".
WARMUP_RANGE = (8, 12)
#: S2 week 2: "+2.5-5 % on main lifts"; a cycle's load changes stay within one such step.
MAX_LOAD_CHANGE_PCT = S2_LOAD_STEP_PCT[1]
#: S2 week 4: "Reduce volume 30-40 %" of the session's sets: the share kept.
DELOAD_KEEP = (1 - S2_DELOAD_CUT[1], 1 - S2_DELOAD_CUT[0])


def _sessions(view: PlanView) -> Iterator[tuple[int, StrengthSession]]:
    for day in range(view.skeleton.n_days):
        session = view.strength(day)
        if session is not None and session.exercises:
            yield day, session


def _lifts(session: StrengthSession) -> list[Exercise]:
    return [e for e in session.exercises if not e.name.startswith(PLYO_PREFIX)]


def _templates(view: PlanView, session: StrengthSession) -> dict[str, ExerciseTemplate]:
    template = session_template(session.session, view.athlete.strength.equipment)
    return {exercise.name: exercise for exercise in template.exercises}


def deload_sets(view: PlanView, session: StrengthSession, day: int) -> tuple[int, int, int, int]:
    """A prescribed session's sets against a deload's: (the sets its lifts hold, its
    template's starting sets, and the fewest and most sets a deload keeps of them, S2's 30-40 %
    cut). Read by S2 (a deload-dose session keeps a deload's sets) and by P11 (a session is
    light by its sets, not by its dose label).

    The cut is of the session's normal volume: its starting sets, or off-season one more in A
    and B (S3's accessory set, "where recovery allows", so either). Where no whole number lies
    in 60-70 % of it (4 sets: 2.4-2.8) the nearest ones do. Rounded outwards everywhere, and
    with the accessory set in every week, an in-season A of 13 sets had passed as a deload at
    10 (a 23 % cut), a full session at 10 of 12."""
    baseline = sum(t.starting_sets for t in _templates(view, session).values())
    held = sum(e.sets for e in _lifts(session))
    accessory_set = session.session in (SessionKind.A, SessionKind.B) and not _in_season(view, day)
    ranges = [_deload_keeps(normal) for normal in ([baseline, baseline + 1] if accessory_set else [baseline])]
    return held, baseline, min(low for low, _ in ranges), max(high for _, high in ranges)


def _deload_keeps(normal: int) -> tuple[int, int]:
    """The whole numbers of sets within ``DELOAD_KEEP`` of ``normal``; the two around it where
    none lies within."""
    low, high = math.ceil(DELOAD_KEEP[0] * normal - 1e-9), math.floor(DELOAD_KEEP[1] * normal + 1e-9)
    if low > high:
        return math.floor(DELOAD_KEEP[0] * normal), math.ceil(DELOAD_KEEP[1] * normal)
    return low, high


BUSY_KINDS = (SessionKind.full, SessionKind.short)


def _accessories(view: PlanView) -> set[str]:
    """Names of the A and B accessories, with the athlete's equipment."""
    equipment = view.athlete.strength.equipment
    return {e.name for kind in (SessionKind.A, SessionKind.B) for e in session_template(kind, equipment).exercises
            if e.role == Role.accessory}


def _warmup_minutes_ok(duration: str) -> bool:
    """A warm-up's stated minutes (``8-12 min``, ``10 min``) within RULES.md's 8-12: only its
    presence was checked, and one of "2 min" passed."""
    minutes = [int(number) for number in re.findall(r"\d+", duration)]
    return bool(minutes) and all(WARMUP_RANGE[0] <= value <= WARMUP_RANGE[1] for value in minutes)


def _rir_ok(text: str | None) -> bool:
    """``1-3``, ``2-3`` or a single ``2``: within S1's 1-3 reps in reserve (a single value
    inside the range had been reported)."""
    parts = (text or "").split("-")
    if len(parts) > 2:
        return False
    try:
        low, high = int(parts[0]), int(parts[-1])
    except ValueError:
        return False
    return RIR_RANGE[0] <= low <= high <= RIR_RANGE[1]


def _unprescribed(view: PlanView) -> list[Violation]:
    """A plan prescribes every session or none (placement only, where the dose is the plan's
    word): a session without exercises among prescribed ones would pass every S check, and its
    ``deload`` label alone would make it P11's light session before an A race."""
    sessions = [(day, session) for day in range(view.skeleton.n_days) if (session := view.strength(day)) is not None]
    if not any(session.exercises for _, session in sessions):
        return []
    return [Violation("S1", view.on(day), f"{session.session} session holds no exercises, where the plan "
                                          "prescribes its other sessions (S1)")
            for day, session in sessions if not session.exercises]


def check_s1(view: PlanView) -> list[Violation]:
    """S1: sessions follow the article's templates (exercises and reps of the session's kind,
    with the athlete's equipment), start with the warm-up, and keep 1-3 reps in reserve.
    Every exercise of the template is there, once: a Day A of the warm-up and a Pallof press
    is not the article's session (S4's full and short sessions are templates of their own,
    their accessories already dropped)."""
    found: list[Violation] = []
    found += _unprescribed(view)
    for day, session in _sessions(view):
        when = view.on(day)
        if session.warmup is None:
            found.append(Violation("S1", when, f"{session.session} session does not start with the warm-up (S1)"))
        elif not _warmup_minutes_ok(session.warmup.duration):
            found.append(Violation("S1", when, f"{session.session} session's warm-up of {session.warmup.duration!r} is not "
                                               f"the {WARMUP_RANGE[0]}-{WARMUP_RANGE[1]} minute warm-up (S1)"))
        templates = _templates(view, session)
        held = [exercise.name for exercise in _lifts(session)]
        missing = [name for name in templates if name not in held]
        if missing:
            found.append(Violation("S1", when, f"{session.session} session lacks {', '.join(missing)} (S1)"))
        twice = sorted({name for name in held if held.count(name) > 1})
        if twice:
            found.append(Violation("S1", when, f"{session.session} session lists {', '.join(twice)} more than once (S1)"))
        for exercise in _lifts(session):
            template = templates.get(exercise.name)
            if template is None and exercise.name in _accessories(view) and session.session in BUSY_KINDS:
                continue  # an accessory in a busy-week session is S4's to report
            if template is None:
                found.append(Violation("S1", when, f"{exercise.name!r} is not part of a {session.session} session (S1)"))
            elif exercise.reps != template.reps_text:
                found.append(Violation("S1", when, f"{exercise.name}: reps {exercise.reps}, template {template.reps_text} (S1)"))
            if not _rir_ok(exercise.reps_in_reserve):
                found.append(Violation("S1", when, f"{exercise.name}: reps in reserve {exercise.reps_in_reserve!r}, not within 1-3 (S1)"))
    return found


def check_s2(view: PlanView) -> list[Violation]:
    """S2: load changes only on main lifts and within one +2.5-5 % step of the cycle's
    baseline; within the article's set ranges but for week 3's one more set on one primary
    lift (so one primary lift a session may hold one set above its range, no other lift any),
    and, at normal dose, at least the template's starting sets (a Day A of one set a lift
    passed: only a deload cuts sets; the short session starts at its own, S4: 2 sets, 1 of the hinge);
    a deload-dose session keeps 60-70 % of its template's sets (rounded, at least one set an
    exercise); the strength deload coincides with the running deload: every session of a
    V3 deload week is at deload dose; and the cycle's order holds (:func:`_cycle_order`)."""
    found: list[Violation] = _cycle_order(view)
    for day, session in _sessions(view):
        when = view.on(day)
        templates = _templates(view, session)
        lifts = _lifts(session)
        extra_sets: list[str] = []
        for exercise in lifts:
            template = templates.get(exercise.name)
            if template is None:
                continue  # S1 reports it
            if not 0 <= exercise.load_change_pct <= MAX_LOAD_CHANGE_PCT:
                found.append(Violation("S2", when, f"{exercise.name}: load change {exercise.load_change_pct:+g} % is outside 0 to +5 % (S2)"))
            elif exercise.load_change_pct and not template.is_main:
                found.append(Violation("S2", when, f"{exercise.name}: load change on a lift that is not a main lift (S2)"))
            above_ok = template.sets_high + (1 if template.role == Role.primary else 0)
            if not 1 <= exercise.sets <= above_ok:
                found.append(Violation("S2", when, f"{exercise.name}: {exercise.sets} sets, range {template.sets_low}-{template.sets_high}"
                                                   f"{' (+1 on one primary lift in week 3)' if template.role == Role.primary else ''} (S2)"))
            elif exercise.sets > template.sets_high:
                extra_sets.append(exercise.name)
            elif session.dose == "normal" and exercise.sets < template.starting_sets:
                found.append(Violation("S2", when, f"{exercise.name}: {exercise.sets} set{'s' if exercise.sets > 1 else ''} at normal dose, below the "
                                                   f"template's {template.starting_sets}; only a deload cuts sets (S2)"))
        if len(extra_sets) > 1:
            found.append(Violation("S2", when, f"{', '.join(extra_sets)} each one set above their range; week 3 adds a set "
                                               "to one primary lift (S2)"))
        if session.dose == "deload":
            held, baseline, low, high = deload_sets(view, session, day)
            if not low <= held <= high:
                found.append(Violation("S2", when, f"deload {session.session} session keeps {held} of {baseline} sets; a deload cuts 30-40 % (S2)"))
        if view.deload[view.skeleton.week_of_day(day)] and session.dose != "deload":
            found.append(Violation("S2", when, f"{session.session} session at normal dose in a running deload week (S2)"))
    return found


def _strength_weeks(view: PlanView) -> list[tuple[int, list[tuple[int, StrengthSession]]]]:
    """The weeks holding prescribed sessions, in order, each with its (day, session) pairs."""
    weeks: dict[int, list[tuple[int, StrengthSession]]] = {}
    for day, session in _sessions(view):
        weeks.setdefault(view.skeleton.week_of_day(day), []).append((day, session))
    return sorted(weeks.items())


def _primary_sets(view: PlanView, sessions: list[tuple[int, StrengthSession]]) -> dict[tuple[SessionKind, str], tuple[int, int]]:
    """(sets, the template's starting sets) of each primary lift in a week's normal-dose
    sessions, by session kind and lift; sets outside the any-week range are left to
    :func:`check_s2`'s report."""
    return _lift_sets(view, sessions, Role.primary)


def _lift_sets(view: PlanView, sessions: list[tuple[int, StrengthSession]],
               role: Role) -> dict[tuple[SessionKind, str], tuple[int, int]]:
    """:func:`_primary_sets` for the lifts of ``role`` (a primary lift may hold week 3's set
    above its range)."""
    sets: dict[tuple[SessionKind, str], tuple[int, int]] = {}
    for _, session in sessions:
        if session.dose != "normal":
            continue
        templates = _templates(view, session)
        for exercise in _lifts(session):
            template = templates.get(exercise.name)
            if template is None or template.role != role:
                continue
            if exercise.sets <= template.sets_high + (1 if role == Role.primary else 0):
                sets[session.session, exercise.name] = (exercise.sets, template.starting_sets)
    return sets


def _baseline_week(view: PlanView, sessions: list[tuple[int, StrengthSession]]) -> list[Violation]:
    """Week 1 of the cycle, the baseline: no load change, and no primary lift above its range
    (week 3's set is not there yet). A +5 % load there passed the any-week bounds."""
    found: list[Violation] = []
    for day, session in sessions:
        templates = _templates(view, session)
        for exercise in _lifts(session):
            template = templates.get(exercise.name)
            if 0 < exercise.load_change_pct <= MAX_LOAD_CHANGE_PCT:
                found.append(Violation("S2", view.on(day), f"{exercise.name}: load change {exercise.load_change_pct:+g} % "
                                                           "in week 1 of the strength cycle (baseline) (S2)"))
            if template is not None and template.role == Role.primary and exercise.sets == template.sets_high + 1:
                found.append(Violation("S2", view.on(day), f"{exercise.name}: {exercise.sets} sets, above its range "
                                                           "in week 1 of the strength cycle; week 3 adds a set (S2)"))
    return found


def _sets_against_baseline(view: PlanView, position: int, sessions: list[tuple[int, StrengthSession]],
                           baseline: dict[tuple[SessionKind, str], int], *, accessories: bool = True) -> list[Violation]:
    """Weeks 2 and 3 of the cycle against week 1's primary-lift sets (a session kind week 1 did
    not hold at normal dose, against its template's starting sets): week 2 keeps the sets; week
    3 (and a week 3 held on to meet a running deload) adds one set to one primary lift of the
    week. An accessory keeps week 1's sets in both (S2's week 2 "sets unchanged", week 3's set on
    a primary lift only): two accessory sets added in week 2 had passed, as only primary lifts
    were compared. An accessory of a session kind week 1 did not hold is S3's to bound."""
    when = view.on(sessions[0][0])
    kept: list[Violation] = []
    for day, session in sessions if accessories else []:  # dated on the session's own day
        added = [f"{key[1]} ({key[0]}) {sets} sets, {baseline[key]} in week 1"
                 for key, (sets, _) in _lift_sets(view, [(day, session)], Role.accessory).items()
                 if key in baseline and sets > baseline[key]]
        if added:
            kept.append(Violation("S2", view.on(day), f"{', '.join(added)}: week {position} of the strength cycle keeps "
                                                      "the accessory sets; week 3 adds a set to one primary lift only (S2)"))
    more: dict[tuple[SessionKind, str], tuple[int, str]] = {}
    for key, (sets, starting) in _primary_sets(view, sessions).items():
        reference, said = (baseline[key], "in week 1") if key in baseline else (starting, "to start")
        if sets > reference:
            more[key] = (sets - reference, f"{key[1]} ({key[0]}) {sets} sets, {reference} {said}")
    if not more:
        return kept
    described = ", ".join(text for _, text in more.values())
    if position == 2:
        return kept + [Violation("S2", when, f"{described}: week 2 of the strength cycle keeps the sets (S2)")]
    if len(more) > 1 or any(added > 1 for added, _ in more.values()):
        return kept + [Violation("S2", when, f"{described}: week 3 of the strength cycle adds one set to one primary lift (S2)")]
    return kept


@dataclass(frozen=True)
class _CycleWeek:
    """One strength week of the plan as S2's order reads it: its sessions, its position in the
    cycle (1-based; 0 for a deload week, which ends the cycle) and the next strength week."""

    week: int
    sessions: list[tuple[int, StrengthSession]]
    position: int
    following: int | None
    #: Strength weeks of the cycle before this one (0 after a deload week, a layoff read as a
    #: restart, or at the plan's first strength week).
    before: int = 0


def _cycle_weeks(view: PlanView) -> Iterator[_CycleWeek]:
    """S2's cycle, read from the plan alone. Only weeks holding strength count (a week without
    lifting advances nothing), and a week whose every session is at deload dose is a deload
    week (a V3 deload, the P11 window), after which a new cycle starts at week 1, as it does
    after a layoff (``strength.cycle.LAYOFF_WEEKS`` weeks in a row without strength).

    A layoff is the prescription's reading, not RULES.md's, so the validator takes either: a
    week after a layoff that holds no load change is read as a new week 1, one that carries a
    load change as the cycle going on."""
    weeks = _strength_weeks(view)
    position = 0  # strength weeks since the last deload week (or a layoff read as a restart)
    for n, (week, sessions) in enumerate(weeks):
        following = weeks[n + 1][0] if n + 1 < len(weeks) else None
        if n > 0 and after_layoff(weeks[n - 1][0], week) and not any(
                exercise.load_change_pct for _, session in sessions for exercise in _lifts(session)):
            position = 0
        before = position
        position = 0 if all(session.dose == "deload" for _, session in sessions) else position + 1
        yield _CycleWeek(week, sessions, position, following, before)


def _cycle_order(view: PlanView) -> list[Violation]:
    """S2's order over the cycle's weeks (:func:`_cycle_weeks`): the plan's first strength week
    and the first after a deload week or a layoff are baselines (:func:`_baseline_week`), the
    weeks after them add sets as S2 says (:func:`_sets_against_baseline`) and load only in
    week 2 (:func:`_load_after_week_2`), and a deload comes in week 4 unless something the
    rules name brings it earlier (:func:`_deload_placement`).

    At most three strength weeks come between deloads. A fourth is allowed only where the next
    strength week is a running deload (V3): week 3 then holds one week more so that the two
    deloads coincide (S2's "coincides where both exist"); a strength deload in the week right
    before the running one does not. At the plan's end the fourth week deloads.

    The bounds that hold in any week (load steps, set ranges) are :func:`check_s2`'s."""
    found: list[Violation] = []
    baseline: dict[tuple[SessionKind, str], int] = {}
    reached = 0.0  # the highest main-lift load change of the cycle's weeks 1 and 2
    for entry in _cycle_weeks(view):
        when = view.on(entry.sessions[0][0])
        if entry.position:
            found += _lone_deload_sessions(view, entry)
        if entry.position == 0:
            found += _deload_placement(view, entry)
            # A deload holds the load its cycle reached, as week 3 does: +5 % in an off-season
            # deload had passed. In-season it is S3's to report (``_loads_raised_in_season``).
            off_season = [(day, session) for day, session in entry.sessions if not _in_season(view, day)]
            found += _load_after_week_2(view, off_season, reached, "a deload week")
        elif entry.position == 1:
            found += _baseline_week(view, entry.sessions)
            baseline = {key: sets for role in (Role.primary, Role.accessory)
                        for key, (sets, _) in _lift_sets(view, entry.sessions, role).items()}
            reached = _most_load(view, entry.sessions, 0.0)
        else:
            overdue = entry.position > 3 and not (entry.position == 4 and entry.following is not None
                                                  and view.deload[entry.following])
            # An overdue week is reported as that, not also for the sets of the cycle it overran.
            found += _sets_against_baseline(view, min(entry.position, 3), entry.sessions, baseline,
                                            accessories=not overdue)
            if entry.position == 2:
                reached = _most_load(view, entry.sessions, reached)
                found += _week2_step_missing(view, entry.sessions)
            else:
                found += _load_after_week_2(view, entry.sessions, reached, "week 3 of the strength cycle")
                if not overdue:
                    found += _week3_set_missing(view, entry.sessions, baseline)
            if overdue:
                found.append(Violation("S2", when, f"strength week {entry.position} since the last deload; "
                                                   "week 4 of the cycle deloads (S2)"))
    return found


def _lifting_off_season(view: PlanView, sessions: list[tuple[int, StrengthSession]]) -> list[tuple[int, StrengthSession]]:
    """The normal-dose sessions of an off-season week: where S2's progression applies (S3 holds
    an in-season week's loads and sets; a deload-dose session in P11's window is light)."""
    return [(day, session) for day, session in sessions if session.dose == "normal" and not _in_season(view, day)]


def _week2_step_missing(view: PlanView, sessions: list[tuple[int, StrengthSession]]) -> list[Violation]:
    """S2 week 2: "main lifts +2.5-5 % load". Only the step's upper end had been checked, so an
    off-season cycle of three baseline weeks and a deload passed."""
    low = S2_LOAD_STEP_PCT[0]
    return [Violation("S2", view.on(day), f"{exercise}: load change {load:+g} % in week 2 of the strength cycle, "
                                          f"off-season; week 2 adds +{low:g}-{MAX_LOAD_CHANGE_PCT:g} % to the main lifts (S2)")
            for day, exercise, load in _main_loads(view, _lifting_off_season(view, sessions)) if load < low]


def _week3_set_missing(view: PlanView, sessions: list[tuple[int, StrengthSession]],
                       baseline: dict[tuple[SessionKind, str], int]) -> list[Violation]:
    """S2 week 3: "one more set on one primary lift", off-season, where a normal-dose session
    of the week has the minutes for it: its template's starting sets, RULES.md's shortest
    warm-up and that set, by the prescription's estimate (``templates.week3_set_minutes``; the
    prescription drops the set last where a session's minutes cannot hold it, and says so
    before solving). Only one set too many had been checked, so a week 3 without it passed."""
    lifting = _lifting_off_season(view, sessions)
    if any(name not in {e.name for e in _lifts(session)} for _, session in lifting
           for name, template in _templates(view, session).items() if template.role == Role.primary):
        return []  # a primary lift missing (other equipment's template, say) is S1's to report
    equipment = view.athlete.strength.equipment
    room = [(day, session) for day, session in lifting
            if session.minutes >= week3_set_minutes(session.session, equipment)]
    if not room or any(_holds_week3_set(view, session, baseline) for _, session in lifting):
        return []
    day, session = room[0]
    return [Violation("S2", view.on(day), "no primary lift holds one more set than in week 1 in week 3 of the "
                                          f"strength cycle, off-season, though the {session.session} session's "
                                          f"{session.minutes} minutes hold it; week 3 adds one (S2)")]


def _holds_week3_set(view: PlanView, session: StrengthSession, baseline: dict[tuple[SessionKind, str], int]) -> bool:
    """Whether a primary lift of the session holds more sets than in week 1 (than its template
    starts at, where week 1 did not hold the session or held it above its range: that is
    reported where it stands, ``_baseline_week``, not again here; so is a set above the
    any-week range, ``check_s2``)."""
    templates = _templates(view, session)
    for exercise in _lifts(session):
        template = templates.get(exercise.name)
        if template is None or template.role != Role.primary:
            continue
        week1 = baseline.get((session.session, exercise.name), template.starting_sets)
        if exercise.sets > (week1 if week1 <= template.sets_high else template.starting_sets):
            return True
    return False


def _lone_deload_sessions(view: PlanView, entry: _CycleWeek) -> list[Violation]:
    """A session at deload dose in a week of the cycle that does not deload: S2 deloads a
    week (week 4), and only P11's window before an A race holds light sessions in a week that
    lifts at normal dose otherwise. A week 2 whose Day B was cut to a deload's sets had passed
    (a week deloads where every session does, ``_cycle_weeks``, and a deload session was held
    only to a deload's sets)."""
    return [Violation("S2", view.on(day), f"{session.session} session at deload dose in week {entry.position} of the "
                                         "strength cycle, beside sessions at normal dose; S2 deloads week 4, every "
                                         "session of it (S2)")
            for day, session in entry.sessions
            if session.dose == "deload" and not in_pre_race_window(view.skeleton, day)]


def _deload_placement(view: PlanView, entry: _CycleWeek) -> list[Violation]:
    """Where a strength deload week may fall. S2: "week 4 deload", and "the strength deload
    coincides with the running deload": not the week right before a running deload, and not
    earlier than week 4 of the cycle unless the week is a running deload (V3) or holds a
    session in P11's pre-race window, where only light sessions go. Until this check any week
    could deload, as only the cycle's length was bounded."""
    when = view.on(entry.sessions[0][0])
    if not view.deload[entry.week] and entry.following == entry.week + 1 and view.deload[entry.following]:
        return [Violation("S2", when, "a strength deload the week before the running deload; S2 has the two coincide (S2)")]
    if entry.before >= 3 or view.deload[entry.week] or any(in_pre_race_window(view.skeleton, day) for day, _ in entry.sessions):
        return []
    return [Violation("S2", when, f"a strength deload in week {entry.before + 1} of the strength cycle, with no running "
                                  "deload (V3) or pre-race window (P11) in it; week 4 deloads (S2)")]


def _most_load(view: PlanView, sessions: list[tuple[int, StrengthSession]], reached: float) -> float:
    """The higher of ``reached`` and the main-lift load changes of ``sessions`` (within S2's step)."""
    return max([reached, *(load for _, _, load in _main_loads(view, sessions))])


def _load_after_week_2(view: PlanView, sessions: list[tuple[int, StrengthSession]], reached: float,
                       week: str) -> list[Violation]:
    """S2: week 2 is the cycle's load step (+2.5-5 %), week 3 adds a set instead (and the week 3
    held on to meet a running deload, likewise): no main lift goes above what weeks 1 and 2
    reached. Read per cycle, as S3 reads it (week 2's step on the deadlift lets the squat hold
    it in week 3). S6's +2.5-5 % after two very easy sessions needs the athlete's feel, which a
    plan does not hold, so a plan's loads are read by S2 alone: a second step in week 3 had
    passed, as if it were S6's."""
    return [Violation("S2", view.on(day), f"{exercise}: load change {load:+g} % in {week}, "
                                          f"above the {reached:+g} % weeks 1 and 2 reached; week 2 is the load step (S2)")
            for day, exercise, load in _main_loads(view, sessions) if load > reached]


def check_s3(view: PlanView) -> list[Violation]:
    """S3: in-season (within ``in_season_weeks`` of an A or B race, and taper weeks) every lift
    is at the low end of its set range, and the main lifts are held: none above the load its
    cycle had already reached (:func:`_loads_raised_in_season`); off-season a session adds at
    most one accessory set (:func:`_accessory_sets_added`)."""
    found: list[Violation] = []
    for day, session in _sessions(view):
        if not _in_season(view, day):
            found += _accessory_sets_added(view, day, session)
            continue
        templates = _templates(view, session)
        for exercise in _lifts(session):
            template = templates.get(exercise.name)
            if template is not None and exercise.sets > template.starting_sets:
                found.append(Violation("S3", view.on(day), f"{exercise.name}: {exercise.sets} sets in-season, low end {template.starting_sets} (S3)"))
    return found + _loads_raised_in_season(view)


def _accessory_sets_added(view: PlanView, day: int, session: StrengthSession) -> list[Violation]:
    """S3 off-season: "one accessory set added where recovery allows", so at most one set above
    the low end over a session's accessories; a Day A with the hamstring curl and the Pallof
    press each at 3 passed, each within its 2-3 range (S2's bounds). S3's, as the in-season
    sets at the low end are: the rule that adds the set is the one that bounds it."""
    templates = _templates(view, session)
    added = list(dict.fromkeys(  # by name: an exercise listed twice is S1's
        exercise.name for exercise in _lifts(session)
        if (template := templates.get(exercise.name)) is not None and template.role == Role.accessory
        and exercise.sets > template.starting_sets))
    if len(added) < 2:
        return []
    return [Violation("S3", view.on(day), f"{', '.join(added)}: one set each above the low end off-season; "
                                          "S3 adds one accessory set (S3)")]


def _in_season(view: PlanView, day: int) -> bool:
    return strength_phase(view.skeleton, view.skeleton.week_of_day(day)) != StrengthPhase.off_season


def _loads_raised_in_season(view: PlanView) -> list[Violation]:
    """S3's "main lifts held at low-moderate load": in-season no main lift goes above the
    highest load change its cycle reached in earlier weeks (0 % where the cycle began
    in-season), so S2's +2.5-5 % step comes only off-season. Read per cycle, not per lift, as
    the cycle's load is one step for every main lift: week 2's step on Day A's deadlift lets
    Day B's squat hold the same step in week 3. A cycle's weeks are :func:`_cycle_weeks`';
    a load change in a baseline week, on a lift that is not a main lift or beyond one step is
    S2's to report."""
    found: list[Violation] = []
    reached = 0.0
    for entry in _cycle_weeks(view):
        # A cycle's baseline week sets what it reached; a deload week (position 0) is held to
        # it as the weeks after are: it had set it, so +5 % in an in-season deload passed.
        if entry.position == 1:
            reached = max((load for _, _, load in _main_loads(view, entry.sessions)), default=0.0)
            continue
        week_most = reached
        for day, exercise, load in _main_loads(view, entry.sessions):
            if load > reached and _in_season(view, day):
                found.append(Violation("S3", view.on(day), f"{exercise}: load change {load:+g} % in-season, above "
                                                           f"the {reached:+g} % its cycle had reached; main lifts "
                                                           "are held in-season (S3)"))
            week_most = max(week_most, load)
        reached = week_most
    return found


def _main_loads(view: PlanView, sessions: list[tuple[int, StrengthSession]]) -> Iterator[tuple[int, str, float]]:
    """(day, lift, load change) of every main lift whose load change is within S2's one step."""
    for day, session in sessions:
        templates = _templates(view, session)
        for exercise in _lifts(session):
            template = templates.get(exercise.name)
            if template is not None and template.is_main and 0 <= exercise.load_change_pct <= MAX_LOAD_CHANGE_PCT:
                yield day, exercise.name, exercise.load_change_pct


def check_s4(view: PlanView) -> list[Violation]:
    """S4: the busy-week sessions (full, short) keep the essentials; accessories are the first
    thing dropped, so neither holds one."""
    found: list[Violation] = []
    accessories = _accessories(view)
    for day, session in _sessions(view):
        if session.session not in BUSY_KINDS:
            continue
        for exercise in _lifts(session):
            if exercise.name in accessories:
                found.append(Violation("S4", view.on(day), f"{session.session} session holds accessory {exercise.name} (S4)"))
    return found


def check_s5(view: PlanView) -> list[Violation]:
    """S5: plyometrics only when the athlete turned them on, and never in a peak-mileage week
    (the three highest-volume weeks before a taper) that also holds heavy lifting."""
    found: list[Violation] = []
    peaks = peak_mileage_weeks(view.skeleton, view.plan)
    for day, session in _sessions(view):
        if not any(e.name.startswith(PLYO_PREFIX) for e in session.exercises):
            continue
        week = view.skeleton.week_of_day(day)
        if not view.athlete.strength.plyometrics:
            found.append(Violation("S5", view.on(day), "plyometrics in a plan whose athlete has them off (S5)"))
        elif week in peaks and has_heavy_lifting(view.plan.weeks[week]):
            found.append(Violation("S5", view.on(day), "plyometrics in a peak-mileage week with heavy lifting (S5)"))
    return found


STRENGTH_CHECKS: dict[str, Callable[[PlanView], list[Violation]]] = {
    "S1": check_s1, "S2": check_s2, "S3": check_s3, "S4": check_s4, "S5": check_s5,
}
