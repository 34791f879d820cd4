"""Seconds as a user gives them (``--time-limit``) in CP-SAT's deterministic work.

Every limit is deterministic work, not wall time, so that a busy machine never changes a plan
or an explanation; this is the one rate that turns the one into the other. Its own module
because the solver and the explanations both read it, and the explanations must not need the
solver's search code to be loaded.
"""

#: CP-SAT's deterministic time per wall-clock second with one worker, measured on the 2-core
#: development machine (0.24-0.43 across examples/*.yaml): ``--time-limit 60`` is 15 units of
#: deterministic work, which takes 35-60 s there.
DETERMINISTIC_SECONDS_PER_SECOND = 0.25
