"""What to tell a user whose plan is not proven optimal: how to search on.

A plan ends unproven for one of two reasons the user chose: the time limit ran out, or
``--gap`` accepted it. "A longer --time-limit" is the wrong advice for the second: the search
stopped on purpose, with time to spare. Said the same way by batch and what-if.
"""

from __future__ import annotations


def search_on(relative_gap: float) -> str:
    """``a longer --time-limit``, or with a gap asked, ``--gap 0 or a longer --time-limit``."""
    return "--gap 0 or a longer --time-limit" if relative_gap > 0 else "a longer --time-limit"
