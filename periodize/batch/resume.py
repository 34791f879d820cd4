"""``batch --resume``: which plans in ``--out`` still stand, and their summary rows.

A plan is kept only where nothing says it is stale: it was made from the same athlete as the
batch merges them now (defaults, the roster's patch or CSV row, the group sessions), with the
same time limit, seed and planner revision, and its file is the one the batch wrote; file times
are not read. File times alone had kept plans whose group had changed (a CSV roster run
again without its ``--defaults``: 4 of 5 athletes invalid, all "kept"), a truncated plan, and
another athlete's plan copied under a name. What the batch wrote is recorded in
``RECORD_NAME`` beside the plans (a hidden file, so a folder group in the same place ignores it),
with each athlete's summary row, so a kept athlete's row is the row it had: its status
(optimal or feasible), objective, bound and the rest, marked kept.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from periodize.batch.roster import Entry
from periodize.batch.summary import KEPT_REASON, PLANNED, AthleteResult
from periodize.output_files import write_atomically

RECORD_NAME = ".periodize-batch"  # no .json: globs for the plans (*.json) must not find it

#: What a recorded row must hold for its plan to be kept: a row an older batch recorded without
#: the calendar notes would show a kept plan with none, so its athlete is solved again.
ROW_NEEDS = ("notes",)


def plan_path(out: Path, entry: Entry) -> Path:
    return out / f"{entry.key}.json"


#: Changed whenever the same input plans differently or the plan file gains a field, so that
#: ``--resume`` solves again what an older periodize wrote: 2026-11-28, the season ending with
#: the latest race recovery (it had ended with the last race's) and the weeks' ``note``;
#: 2026-11-28.2, V7's race-week floor at the shortest easy run (``recovery_min`` below
#: ``easy_min`` had raised it), P6's exception days counted from the shortest easy run, and the
#: minimum week's long run at least the week's shortest sessions; 2026-11-28.3, a race's
#: minutes from distance x pace rounding halves up (a 6 km race at 4.75 min/km: 29, not 28);
#: 2026-11-28.4, V7's cap on the week before an A race falling Monday to Thursday (and its
#: floor on neither week), its easy days before A races too, and each strength session's
#: ``warmup`` field; 2026-11-28.5, those easy days leave a race the calendar puts there alone
#: (a B race two days before an A race had no plan); 2026-11-28.6, strength sessions fitted to
#: their planned minutes, S2's load step in week 2 only, S3's accessory set from the second cycle;
#: 2026-11-29, S2's week-3 set on the other primary lift where the preferred one's session cannot
#: hold it, and week profiles whose best range is not proven charged their least penalty.
PLANNER_REVISION = "2026-11-29"


def input_fingerprint(data: dict[str, Any], time_limit: float, seed: int, relative_gap: float = 0.0) -> str:
    """What decides an athlete's plan (same input, same plan): the merged athlete, the time
    limit, the seed, the relative gap asked for (``--gap``; left out at 0, so that plans made
    before the option stay resumable) and the planner's revision."""
    decided: dict[str, Any] = {"athlete": data, "time_limit": time_limit, "seed": seed, "planner": PLANNER_REVISION}
    if relative_gap:
        decided["relative_gap"] = relative_gap
    text = json.dumps(decided, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _recorded_result(row: dict[str, Any], out: Path, entry: Entry) -> AthleteResult | None:
    """A recorded row read back as the kept plan's result, or None where its fields do not
    have their types: a record edited by hand (an objective "abc", a group entry 5) had ended
    ``--resume`` with an internal error while the summary was written; such an athlete is
    solved again instead, as one the record says nothing of."""
    known = {name: row[name] for name in AthleteResult.__dataclass_fields__ if name in row}
    try:
        return _RESULT.validate_python(known | {"key": entry.key, "source": entry.source, "kept": True,
                                                "plan_file": str(plan_path(out, entry)), "reason": KEPT_REASON})
    except ValidationError:
        return None


#: Reads a recorded row against ``AthleteResult``'s field types (a group entry's too: ``GroupRow``).
_RESULT = TypeAdapter(AthleteResult)


class ResumeRecord:
    """The record of what the batch wrote in ``out``: per plan, its input's fingerprint, the
    plan file's digest and its summary row. Rewritten atomically after each plan."""

    def __init__(self, out: Path) -> None:
        self.path = out / RECORD_NAME
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            loaded = {}
        self.plans: dict[str, dict[str, Any]] = loaded if isinstance(loaded, dict) else {}

    def still_stands(self, out: Path, entry: Entry, fingerprint: str) -> bool:
        seen = self.plans.get(entry.key)
        plan = plan_path(out, entry)
        if not isinstance(seen, dict) or seen.get("input") != fingerprint or seen.get("plan") != _digest(plan):
            return False
        # Not the files' times: the fingerprint is of the merged athlete, so one line edited in a
        # roster re-solves that athlete alone (every entry of a roster had been re-solved).
        row = seen.get("result")
        return (isinstance(row, dict) and row.get("status") in PLANNED and all(name in row for name in ROW_NEEDS)
                and _recorded_result(row, out, entry) is not None)

    def kept_result(self, out: Path, entry: Entry) -> AthleteResult:
        """The row the plan had (its status, objective, bound, ...), marked kept: a status
        "skipped" in their place hid which kept plans were optimal. Only for a plan that
        :meth:`still_stands`."""
        result = _recorded_result(self.plans[entry.key]["result"], out, entry)
        assert result is not None, "kept_result is asked only where still_stands said yes"
        return result

    def forget(self, out: Path, entry: Entry) -> Path | None:
        """An athlete with no plan this time (invalid, infeasible, an error): the plan an earlier
        batch wrote for it, made from other input, is removed, and its record with it; its
        path where there was one. It had stayed in the folder beside the new plans, for a coach
        to send out. A file the batch did not write (or one edited since) is left alone."""
        seen = self.plans.pop(entry.key, None)
        if seen is None:
            return None
        self._save()
        plan = plan_path(out, entry)
        if not isinstance(seen, dict) or seen.get("plan") != _digest(plan):
            return None
        plan.unlink(missing_ok=True)
        return plan

    def wrote(self, out: Path, entry: Entry, fingerprint: str, result: AthleteResult) -> None:
        row = {name: value for name, value in asdict(result).items() if name not in ("plan_json", "reason", "kept")}
        self.plans[entry.key] = {"input": fingerprint, "plan": _digest(plan_path(out, entry)), "result": row}
        self._save()

    def _save(self) -> None:
        # Athletes in key order, each row in its own order: sort_keys also sorted a session's
        # reasons, so a kept row read "recovery x1, taper x1, week under 120 min x5" where the
        # plan's own row had them in week order.
        ordered = {key: self.plans[key] for key in sorted(self.plans)}
        write_atomically(self.path, json.dumps(ordered, default=str) + "\n")


__all__ = ["PLANNER_REVISION", "RECORD_NAME", "ResumeRecord", "input_fingerprint", "plan_path"]
