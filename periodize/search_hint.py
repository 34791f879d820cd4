"""What to tell a user whose plan is not proven optimal: how to search on.

A plan ends unproven for one of two reasons the user chose: the time limit ran out, or
``--gap`` accepted it. "A longer --time-limit" is the wrong advice for the second: the search
stopped on purpose, with time to spare. "--gap 0" is the wrong advice for the first: a plan
whose gap is above the one asked was stopped by the time limit, and would be at --gap 0 too.
Said the same way by batch and what-if.
"""

from __future__ import annotations

#: Slack on comparing a plan's gap with the one asked (``bounded.accepted`` rounds alike).
_SLACK = 1e-9


def gap_share(objective: int | None, bound: int | None) -> float | None:
    """An unproven plan's gap as ``--gap`` measures it, a share of its objective (None where
    either figure is missing)."""
    return None if objective is None or bound is None else (objective - bound) / max(1, objective)


def search_on(relative_gap: float, *gap_shares: float | None) -> str:
    """``a longer --time-limit``, or where ``--gap`` may have stopped the search, ``--gap 0 or a
    longer --time-limit``. ``gap_shares``: the unproven plans' gaps (``gap_share``; None where
    unknown); where given, the gap is named only if one of them is within the gap asked."""
    stopped_by_gap = relative_gap > 0 and (
        not gap_shares or any(share is None or share <= relative_gap + _SLACK for share in gap_shares))
    return "--gap 0 or a longer --time-limit" if stopped_by_gap else "a longer --time-limit"
