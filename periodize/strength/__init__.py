"""Strength prescription: what happens inside each strength session the solver placed.

The solver decides *where* sessions go (kind, minutes, dose). This package decides *what* each
session holds (S1-S6 of RULES.md), as a pure function of the season skeleton and the plan, so
that a plan written by any tool can be prescribed and the prescription can be checked.

Modules, one job each:

- :mod:`templates`: the article's sessions and warm-up as data (S1, S4), home substitutions.
- :mod:`cycle`: each week's position in the four-week strength cycle (S2).
- :mod:`phase`: each week's season dose: off-season, in-season or taper (S3, P11).
- :mod:`plyometrics`: the peak-mileage weeks where plyometrics are barred (S5).
- :mod:`guidance`: the load-selection text for reports (S6).
- :mod:`prescribe`: puts the above together into a prescribed copy of a plan.
"""

from periodize.strength.guidance import load_guidance
from periodize.strength.prescribe import prescribe

__all__ = ["load_guidance", "prescribe"]
