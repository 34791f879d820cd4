"""The batch report: one row per athlete, the CSV, who cannot join which group session and why,
and who needs the coach's attention.

Statuses: ``optimal`` and ``feasible`` (a plan, checked by the validator, written; ``feasible``
is not proven optimal, its gap to the proven bound says how far it may be from the best) and
the failures: ``invalid`` (the athlete's file or row cannot be read or validated),
``infeasible`` (no plan satisfies the hard rules; the verified fixes are given), ``unknown`` (no
plan within the time limit), ``rejected`` (the validator found violations: a solver bug,
nothing written) and ``error`` (the worker failed or crashed, or the plan could not be
written). A failed row shows no plan figures (:meth:`AthleteResult.fail`). A plan ``--resume`` keeps
the status and figures it had, marked ``kept``.

Athletes are named by their key (the plan's file stem, unique in a batch) with their name
where it differs: names repeat in a group ("Sam Lee" twice), keys do not.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

# typing_extensions' TypedDict, not typing's: pydantic reads a TypedDict's types (``batch
# --resume`` checks recorded rows) only from this one before Python 3.12; pydantic depends on it.
from typing_extensions import TypedDict

from periodize.search_hint import gap_share, search_on
from periodize.spreadsheet import numbered, text_cells

PLANNED = ("optimal", "feasible")
FAILED = ("invalid", "infeasible", "unknown", "rejected", "error")

#: The summary CSV's columns: others read them by position too, so new ones go at the end.
CSV_COLUMNS = ("athlete", "name", "source", "status", "objective", "peak_minutes", "solve_seconds",
               "violations", "plan", "group_missed", "reason", "bound", "gap", "fixes", "notes")

#: The reason of a plan ``--resume`` kept (its status and figures are the last run's).
KEPT_REASON = "kept: plan made from the same input (--resume)"


class GroupRow(TypedDict):
    """One group session's misses as plain data (``SessionMisses.as_json``): a summary row
    holds these, and ``batch --resume`` reads them back from its record against these types."""

    session: str
    day: str
    run: str
    weeks: int
    missed: int
    reasons: dict[str, int]


@dataclass
class AthleteResult:
    """One athlete's outcome; plain data, as a worker returns it (``solve_one``'s mapping, read
    back with ``AthleteResult(**mapping)``)."""

    key: str
    source: str
    status: str
    name: str | None = None
    objective: int | None = None
    bound: int | None = None
    peak_minutes: int | None = None
    solve_seconds: float | None = None
    violations: int | None = None
    plan_file: str | None = None
    reason: str = ""
    #: Per group session: {"session", "day", "run", "weeks", "missed", "reasons": {reason: count}}.
    group: list[GroupRow] = field(default_factory=list)
    plan_json: str | None = field(default=None, repr=False)
    #: An infeasible season's verified changes, in words (``periodize solve`` prints the same).
    fixes: list[str] = field(default_factory=list)
    #: The plan and this row are the last run's, kept by ``--resume``.
    kept: bool = False
    #: How the calendar was read where a coach would look twice (a race in another's taper, a
    #: mid-week start): ``periodize solve``'s notes (``calendar_notes.season_notes``), which a
    #: batch had dropped. Kept on a failed row: they may say why the season failed.
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        """A failed row holds no plan figures (:meth:`fail`), whoever built it: a worker's
        rejected plan had shown its objective and group misses too."""
        if self.failed:
            self._drop_plan_figures()

    def fail(self, status: str, reason: str) -> None:
        """Turn a solved row into a failure (its plan could not be written): the status and
        reason say why, and the plan's figures go with the plan. An ``error`` row had kept the
        objective, peak minutes and group misses of a plan the coach never got, in the table,
        the CSV and the "cannot join" lines."""
        self.status, self.reason = status, reason
        self._drop_plan_figures()

    def _drop_plan_figures(self) -> None:
        """Blank what describes a plan; the solve time stays (it was spent). A rejected row
        keeps its violations: they are why its plan was not written."""
        self.objective = self.bound = self.peak_minutes = self.plan_file = None
        self.group = []
        if self.status != "rejected":
            self.violations = None

    @property
    def failed(self) -> bool:
        return self.status in FAILED

    @property
    def needs_attention(self) -> bool:
        """A failure, or a plan not proven optimal (a longer time limit may improve it)."""
        return self.failed or self.status == "feasible"

    def label(self, *more: str) -> str:
        """The athlete in a report line: the key, then the name where it differs (not only in
        case: ``kim`` for Kim) and ``more`` in brackets (``sam-lee-trail (Sam Lee)``); a name
        alone is ambiguous in a group."""
        name = self.name if self.name and self.name.casefold() != self.key.casefold() else None
        parts = [part for part in (name, *more) if part]
        return self.key + (f" ({'; '.join(parts)})" if parts else "")

    @property
    def gap(self) -> int | None:
        """How far the plan may be from the best: its objective above the proven lower bound
        (0 for an optimal plan); None without a plan or a bound."""
        if self.status not in PLANNED or self.objective is None or self.bound is None:
            return None
        return self.objective - self.bound

    @property
    def gap_share(self) -> float | None:
        """The gap as a share of the objective (0.047: the best plan costs at least 95.3 % of this
        one), as `--gap` and the README measure it."""
        return None if self.gap is None else gap_share(self.objective, self.bound)

    def gap_share_text(self) -> str:
        """``4.7%``, ``0`` for an optimal plan, ``-`` where unknown: the table's cell."""
        share = self.gap_share
        return "-" if share is None else "0" if not share else f"{100 * share:.1f}%"

    def gap_text(self) -> str:
        """``43 (4.7%)``: the gap, and as a share of the objective; ``-`` where unknown."""
        return "-" if self.gap is None else f"{self.gap} ({self.gap_share_text()})"

    def missed_lines(self) -> list[str]:
        """``track Tue missed 3 of 16 weeks: recovery after Spring Half (V8) x2, work trip x1``."""
        lines = []
        for entry in self.group:
            if not entry["missed"]:
                continue
            label = f"{entry['session']} {str(entry['day']).capitalize()}"
            why = ", ".join(f"{reason} x{count}" for reason, count in entry["reasons"].items())
            lines.append(f"{label} missed {entry['missed']} of {entry['weeks']} weeks" + (f": {why}" if why else ""))
        return lines

    def group_missed(self) -> str:
        return "; ".join(self.missed_lines())

    def fixes_text(self) -> str:
        """``1. lower runs_per_week.min from 6 to 5; 2. raise wed from 0 to 20 min``: each alone
        makes the season solvable."""
        return numbered(self.fixes)

    def notes_text(self) -> str:
        """``1. the plan starts on Monday ...; 2. Tune-up 5k (B race, ...) falls in the taper ...``:
        numbered, as a note may hold a semicolon of its own."""
        return numbered(self.notes)


def cannot_join(results: list[AthleteResult]) -> list[str]:
    """Who cannot join which group session, and why: one line per athlete and session missed."""
    return [f"{result.label()}: {line}" for result in results for line in result.missed_lines()]


def calendar_lines(results: list[AthleteResult]) -> list[str]:
    """Each calendar note once, after the athletes it concerns (``periodize solve`` prints the
    same before solving); under the table, not in it: an athlete may have several, each a
    sentence. A note several athletes share (a squad's season starting on the same Wednesday)
    is one line naming them all, where it had been repeated for each athlete, a hundred times
    in a club's batch. In the order the notes first come."""
    athletes: dict[str, list[str]] = {}
    for result in results:
        for note in dict.fromkeys(result.notes):
            athletes.setdefault(note, []).append(result.label())
    return [f"{', '.join(labels)}: {note}" for note, labels in athletes.items()]


def shared_names(results: list[AthleteResult]) -> list[str]:
    """One warning per name that two or more athletes share (case and spacing aside), naming
    their keys: the report and the plans go by key, and a coach reading names mixes them up."""
    keys: dict[str, list[str]] = {}
    shown: dict[str, str] = {}
    for result in results:
        if result.name:
            same = " ".join(result.name.split()).casefold()
            keys.setdefault(same, []).append(result.key)
            shown.setdefault(same, result.name)
    return [f"{len(found)} athletes are named {shown[same]!r}: {', '.join(found)} (the report tells them apart by these keys)"
            for same, found in keys.items() if len(found) > 1]


def attention_lines(results: list[AthleteResult], relative_gap: float = 0.0) -> list[str]:
    """Who needs the coach, in roster order: each failure with its reason and, for an
    infeasible season, the verified changes on the next line; each plan not proven optimal
    with its gap (a longer time limit, or where ``--gap`` stopped it a smaller gap, may improve
    it)."""
    lines = []
    for result in filter(lambda result: result.needs_attention, results):
        if result.failed:
            lines.append(f"{result.label(result.source)}: {result.status}: {result.reason}")
            if result.fixes:
                lines.append(f"  smallest changes that make the season solvable (each checked by solving again): "
                             f"{result.fixes_text()}")
        else:
            bound = "bound unknown" if result.bound is None else f"bound {result.bound}, gap {result.gap_text()}"
            lines.append(f"{result.label()}: feasible, not proven optimal: objective {result.objective}, {bound}; "
                         f"{search_on(relative_gap, result.gap_share)} may find a better plan or prove this one")
    return lines


def counts(results: list[AthleteResult]) -> dict[str, int]:
    """Planned (optimal + feasible) and failed add up to the athletes; kept is a part of planned."""
    return {
        "athletes": len(results),
        "planned": sum(result.status in PLANNED for result in results),
        "optimal": sum(result.status == "optimal" for result in results),
        "feasible": sum(result.status == "feasible" for result in results),
        "kept": sum(result.kept for result in results),
        "failed": sum(result.failed for result in results),
    }


def tally_line(results: list[AthleteResult]) -> str:
    """``6 athletes: 5 planned (4 optimal, 1 not proven optimal; 2 kept by --resume, 3 solved now), 1 failed``."""
    tally = counts(results)
    parts = [f"{tally['optimal']} optimal"] + [f"{tally['feasible']} not proven optimal"] * bool(tally["feasible"])
    kept = f"; {tally['kept']} kept by --resume, {tally['planned'] - tally['kept']} solved now" if tally["kept"] else ""
    planned = f"{tally['planned']} planned ({', '.join(parts)}{kept})" if tally["planned"] else "0 planned"
    athletes = f"{tally['athletes']} athlete{'s' * (tally['athletes'] != 1)}"  # "1 athletes" read as a slip
    return f"{athletes}: {planned}, {tally['failed']} failed"


def csv_text(results: list[AthleteResult]) -> str:
    """The summary as CSV, one row per athlete in roster order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for result in results:
        writer.writerow(text_cells([
            result.key, result.name or "", result.source, result.status, _blank(result.objective),
            _blank(result.peak_minutes), "" if result.solve_seconds is None else f"{result.solve_seconds:.2f}",
            _blank(result.violations), result.plan_file or "", result.group_missed(), result.reason,
            _blank(result.bound), _blank(result.gap), result.fixes_text(), result.notes_text(),
        ]))
    return buffer.getvalue()


def _blank(value: Any) -> Any:
    return "" if value is None else value


__all__ = ["CSV_COLUMNS", "FAILED", "KEPT_REASON", "PLANNED", "AthleteResult", "GroupRow", "attention_lines",
           "calendar_lines", "cannot_join", "counts", "csv_text", "shared_names", "tally_line"]
