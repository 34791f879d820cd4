"""Every hard rule of RULES.md, by code, with the function that posts it.

One module per family: ``placement`` (runs, P1-P6 and P12-P14), ``strength`` (P7-P11),
``volume`` (V1-V9), ``objectives`` (O1-O4, O6, O7). The model posts them in RULES.md order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from periodize.solver.context import ModelContext
from periodize.solver.rules import placement, strength, volume
from periodize.solver.rules.objectives import OBJECTIVES

HARD_RULES: dict[str, Callable[[ModelContext], None]] = {
    "P1": placement.post_p1,
    "P2": placement.post_p2,
    "P3": placement.post_p3,
    "P4": placement.post_p4,
    "P5": placement.post_p5,
    "P6": placement.post_p6,
    "P7": strength.post_p7,
    "P8": strength.post_p8,
    "P9": strength.post_p9,
    "P10": strength.post_p10,
    "P11": strength.post_p11,
    "P12": placement.post_p12,
    "P13": placement.post_p13,
    "P14": placement.post_p14,
    "V1": volume.post_v1,
    "V2": volume.post_v2,
    "V3": volume.post_v3,
    "V4": volume.post_v4,
    "V5": volume.post_v5,
    "V6": volume.post_v6,
    "V7": volume.post_v7,
    "V8": volume.post_v8,
    "V9": volume.post_v9,
}

#: The rules that cap a week's training minutes themselves (RULES.md V1-V3, V7-V9), which O1
#: reads: the volume relaxation's rules, and the caps explain relaxes first. V4, V5 and V6 cap
#: a run within the week, and reach its minutes only through it.
VOLUME_CODES = ("V1", "V2", "V3", "V7", "V8", "V9")

__all__ = ["HARD_RULES", "OBJECTIVES", "VOLUME_CODES"]


@contextmanager
def rule_left_out(code: str) -> Iterator[None]:
    """Within the block, every model built (the season's and the bounded search's
    relaxations, which read ``HARD_RULES`` at call time) leaves rule ``code`` out: what the
    season costs without it. Restored on leaving, whatever happens inside."""
    order = list(HARD_RULES)
    posting = HARD_RULES.pop(code, None)
    try:
        yield
    finally:
        if posting is not None:
            HARD_RULES[code] = posting
            for key in [key for key in order if key in HARD_RULES]:  # back in the registry's order
                HARD_RULES[key] = HARD_RULES.pop(key)
