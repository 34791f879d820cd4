"""The batch report: one row per athlete, the CSV, and who cannot join which group session, and why.

Statuses: ``optimal`` and ``feasible`` (a plan, checked by the validator, written), ``skipped``
(``--resume``: the plan on disk is newer than the athlete's files) and the failures: ``invalid``
(the athlete's file or row cannot be read or validated), ``infeasible`` (no plan satisfies the
hard rules), ``unknown`` (no plan within the time limit), ``rejected`` (the validator found
violations: a solver bug, nothing written) and ``error`` (the worker failed or crashed).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

PLANNED = ("optimal", "feasible")
FAILED = ("invalid", "infeasible", "unknown", "rejected", "error")

CSV_COLUMNS = ("athlete", "name", "source", "status", "objective", "peak_minutes", "solve_seconds",
               "violations", "plan", "group_missed", "reason")


@dataclass
class AthleteResult:
    """One athlete's outcome; plain data, as a worker returns it (``from_json``)."""

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
    group: list[dict[str, Any]] = field(default_factory=list)
    plan_json: str | None = field(default=None, repr=False)

    @property
    def failed(self) -> bool:
        return self.status in FAILED

    @property
    def display_name(self) -> str:
        return self.name or self.key

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


def cannot_join(results: list[AthleteResult]) -> list[str]:
    """Who cannot join which group session, and why: one line per athlete and session missed."""
    return [f"{result.display_name}: {line}" for result in results for line in result.missed_lines()]


def failures(results: list[AthleteResult]) -> list[str]:
    return [f"{result.key} ({result.source}): {result.status}: {result.reason}" for result in results if result.failed]


def counts(results: list[AthleteResult]) -> dict[str, int]:
    return {
        "planned": sum(result.status in PLANNED for result in results),
        "skipped": sum(result.status == "skipped" for result in results),
        "failed": sum(result.failed for result in results),
    }


def csv_text(results: list[AthleteResult]) -> str:
    """The summary as CSV, one row per athlete in roster order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for result in results:
        writer.writerow([
            result.key, result.name or "", result.source, result.status, _blank(result.objective),
            _blank(result.peak_minutes), "" if result.solve_seconds is None else f"{result.solve_seconds:.2f}",
            _blank(result.violations), result.plan_file or "", result.group_missed(), result.reason,
        ])
    return buffer.getvalue()


def _blank(value: Any) -> Any:
    return "" if value is None else value


__all__ = ["FAILED", "PLANNED", "AthleteResult", "cannot_join", "counts", "csv_text", "failures"]
