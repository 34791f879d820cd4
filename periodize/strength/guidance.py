"""S6: how to pick and adjust loads. The plan prescribes loads as changes from the cycle's
baseline (``load_change_pct``), never in kilograms, so the athlete needs these rules to turn
a percentage into a weight on the bar. Reports print them beside the sessions."""

from __future__ import annotations

from periodize.models.rules import S2_DELOAD_CUT, S2_LOAD_STEP_PCT
from periodize.strength.cycle import WEEK2_LOAD_PCT, WEEK2_LOAD_RANGE


def load_guidance() -> list[str]:
    """The S6 load rules, plus how to read ``load_change_pct`` and reps in reserve (S1, S2)."""
    return [
        "Starting loads (S6): pick a load you could lift for 2-3 more reps beyond the target; "
        "that is the cycle's baseline (load change +0 %).",
        "Progress (S6): if all sets feel very easy for two sessions in a row, add 2.5-5 % load.",
        "Technique first (S6): if technique degrades before the rep range ends, reduce the load at once.",
        f"Cycle (S2): week 2 adds {WEEK2_LOAD_RANGE} on the main lifts (the plan writes +{WEEK2_LOAD_PCT:g} %; "
        f"go up to +{S2_LOAD_STEP_PCT[1]:g} % only if form and recovery are stable); week 3 adds one set to one "
        f"primary lift; week 4 cuts sets by {100 * S2_DELOAD_CUT[0]:g}-{100 * S2_DELOAD_CUT[1]:g} %, and the next "
        "cycle starts from a reassessed baseline. "
        "After two or more weeks without lifting, the first week back starts a new cycle at its baseline.",
        "Effort (S1): keep 1-3 reps in reserve on every working set; finish trained, not destroyed.",
        "In-season (S3): sets at the low end, main lifts held at the load already reached; "
        "protect freshness before key runs.",
    ]
