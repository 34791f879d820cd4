"""Former solve-speed runner, folded into ``python -m benchmarks``; kept as an alias.

``python -m benchmarks.solve_speed ARGS`` runs ``python -m benchmarks ARGS --examples`` (the
old runner solved examples/*.yaml beside its generated athletes), so existing command lines
keep working. ``--variant MODE`` becomes ``--search MODE``. The old generated athletes
``gen-26`` and ``gen-52`` correspond to the committed instances ``w26-r1`` and ``w52-r4``.
"""

from __future__ import annotations

import sys

from benchmarks.__main__ import main as benchmarks_main


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    args = ["--search" if arg == "--variant" else arg for arg in args]
    if "--examples" not in args:
        args.append("--examples")
    print("benchmarks.solve_speed is now python -m benchmarks; running that.", file=sys.stderr)
    return benchmarks_main(args)


if __name__ == "__main__":
    sys.exit(main())
