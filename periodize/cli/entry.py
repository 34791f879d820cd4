"""The ``periodize`` script and ``python -m periodize``: the entry point that imports nothing
before it can catch Ctrl-C.

Starting up imports typer, rich and OR-Tools (about 0.4 s, several seconds on a busy machine),
and Ctrl-C in that time had printed a 20-40 line KeyboardInterrupt traceback, since the net in
``app.main`` was not yet in place. Here the import itself is inside the net: Ctrl-C at any
moment ends with one line and exit 130.
"""

from __future__ import annotations


def main() -> None:
    """Console-script entry point: ``app.main`` once it is imported."""
    try:
        from periodize.cli.app import main as run
    except (KeyboardInterrupt, ImportError) as error:  # an ImportError Ctrl-C caused too
        from periodize.cli.errors import exit_interrupted, interrupted

        if interrupted(error):
            exit_interrupted()
        raise
    run()


__all__ = ["main"]
