"""The ``periodize`` command line: builds the typer app from one module per command.

``main`` is the console script. Commands catch their own errors (``errors.guarded``); ``main``
is the last net, so even a failure while typer starts up ends in one line, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer
from typer.core import TyperCommand

from periodize.cli.batch import batch_command
from periodize.cli.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, report_internal_error
from periodize.cli.explain import explain_command
from periodize.cli.schema import schema_command
from periodize.cli.show import show_command
from periodize.cli.solve import solve_command
from periodize.cli.validate import validate_command
from periodize.cli.whatif import whatif_command

app = typer.Typer(
    name="periodize",
    help="Season-long running and strength training plans, solved with CP-SAT.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Click's plain help: typer's rich panels (0.29) gave every switch a "<bool>" value that the
    # switch refuses (`--stable true`: exit 2) and cut --add-race's format short at 80 columns.
    rich_markup_mode=None,
)


#: The prefix pydantic puts before the text of a ValueError raised while checking a value.
PYDANTIC_VALUE_ERROR = "Value error, "


class PlainErrorsCommand(TyperCommand):
    """A command whose bad option values read as periodize's own messages. typer 0.29 converts
    values with pydantic, whose wording for a value its check refuses leaks a prefix:
    "Invalid value for '--search': Value error, 'foo' is not one of 'bounded', ...". Older
    typer releases (click's own conversion) never add it, so the rewrite is a no-op there."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except typer.BadParameter as error:
            error.message = error.message.removeprefix(PYDANTIC_VALUE_ERROR)
            raise


def _summary(command: Callable[..., object]) -> str:
    """A command's line in ``periodize --help``: its docstring's first paragraph, whole (click's
    plain help cuts a summary it makes itself at 45 characters: "Build the season plan: the
    best plan the solver finds within...")."""
    return (command.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")


for name, command in (("solve", solve_command), ("validate", validate_command), ("schema", schema_command),
                      ("explain", explain_command), ("show", show_command), ("whatif", whatif_command),
                      ("batch", batch_command)):
    app.command(name, short_help=_summary(command), cls=PlainErrorsCommand)(command)


def main() -> None:
    """Console-script entry point."""
    from periodize.solver.cpsat import stop_solves_on_interrupt

    stop_solves_on_interrupt()
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        raise SystemExit(EXIT_INTERRUPTED) from None
    except Exception as error:  # noqa: BLE001 - no traceback ever reaches the user
        report_internal_error(error)
        raise SystemExit(EXIT_INTERNAL) from None


if __name__ == "__main__":
    main()
