"""Where one instance's time goes: ``python -m benchmarks.profile w26-r1 [--time-limit S]``.

Runs one solve under ``cProfile`` (after an untimed warm-up) and prints the cumulative time of
the project's functions and of CP-SAT's ``solve`` calls, so that model building, the solver's
search phases (each a ``solve`` call) and validation can be told apart. cProfile's overhead
inflates the Python side somewhat; the benchmark's own timings are the reference figures.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys

from benchmarks import runner
from periodize.loading import load_athlete
from periodize.season import build_skeleton
from periodize.solver.solve import solve_skeleton
from periodize.validate import validate_plan


def profile(name: str, time_limit: float, top: int = 25) -> None:
    [path] = runner.discover([name])
    athlete, rules = load_athlete(path)
    runner.warm_up()
    profiler = cProfile.Profile()
    profiler.enable()
    plan, stats = solve_skeleton(build_skeleton(athlete, rules), time_limit=time_limit, workers=1, seed=0)
    if plan.weeks:
        validate_plan(athlete, plan, rules)
    profiler.disable()
    print(f"{name}: {stats.status}, objective {plan.objective}, bound {plan.bound}, "
          f"build {stats.build_seconds:.3f} s, solve {stats.solve_seconds:.3f} s")
    table = pstats.Stats(profiler).sort_stats("cumulative")
    table.print_stats(r"periodize/|\(solve\)|cp_model.py.*\(solve\)", top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__.splitlines()[0])
    parser.add_argument("instance")
    parser.add_argument("--time-limit", type=float, default=15.0)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    profile(args.instance, args.time_limit, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
