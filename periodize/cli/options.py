"""Options the solving commands (solve, batch, whatif) share, defined once so that each
reads and documents them alike."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from periodize.input_problems import InputError, Problem

#: ``--gap``: a coach planning a group, or a long season, may take a plan proven close to the
#: best sooner than wait for the proof (season-52 at the default --time-limit 60: 1,467 against
#: a bound of 1,458 after 7.5 s at --gap 1, where the default search ran 81 s for 1,463 / 1,460;
#: README, "What --gap saves"). The status stays honest: ``feasible`` with its bound unless the
#: plan is proven optimal.
GapPercent = Annotated[
    float,
    typer.Option("--gap", min=0, max=99, metavar="PERCENT",
                 help="Stop at the first plan proven within PERCENT % of the best (its objective less the "
                      "proven bound, over its objective). 0: search on until the plan is proven optimal or "
                      "the time limit passes."),
]


#: ``--time-limit``'s most, in seconds (a week): ``inf`` had passed, leaving the solve no limit
#: of work and none of wall time either (``solve.WALL_SAFETY_FACTOR`` times it).
MOST_SECONDS = 7 * 24 * 3600


#: ``--workers``' most: CP-SAT starts a thread per worker, and 100000 had been accepted (500
#: took a 2-second solve of w26-r3 to 16 s of wall time); 256 is more than any machine here has.
MOST_WORKERS = 256


def relative_gap(percent: float) -> float:
    """The solver's share from the command line's percent (``--gap 1`` is 0.01)."""
    return percent / 100


def given_path(option: str, given: str, wanted: str) -> Path:
    """A path typed on the command line, refused where it is empty: ``Path("")`` is the current
    folder, so ``batch "$GROUP" --out "$PLANS"`` with both variables unset had planned every
    athlete file of the current folder and written the plans into it. ``wanted``: what to give
    instead, for the message. Such options are typed as text, since a ``Path`` no longer tells
    an empty path from ``.``."""
    if not given:
        raise InputError([Problem(option, f"is empty; give {wanted}")])
    return Path(given)


def output_file(option: str, given: str, example: str) -> Path:
    """The path of an option that names one output file (``solve --out``, ``batch
    --summary``). One ending in a slash names a folder, which the ``Path`` typer would have
    made of it forgets: ``solve --out plans/`` had written the plan to a file called ``plans``
    (and a later ``batch --out plans/`` was then refused, plans being a file). ``example``: a
    file name the message suggests in that folder."""
    if given.endswith(("/", os.sep)):
        raise InputError([Problem(option, f"{given} names a folder; give a file name such as {given}{example}")])
    return given_path(option, given, f"a file name such as {example}")
