"""The ``periodize`` command line: builds the typer app from one module per command.

``main`` runs it (the console script is ``entry.main``, which imports this module within its
own Ctrl-C net). Commands catch their own errors (``errors.guarded``); ``main`` is the last net,
so even a failure while typer starts up ends in one line, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer
from typer.core import TyperCommand

from periodize.cli.batch import batch_command
from periodize.cli.errors import (
    EXIT_BROKEN_PIPE,
    EXIT_INTERNAL,
    OUTPUT_DEVICE_FAILURES,
    exit_interrupted,
    interrupted,
    quiet_stdout,
    report_internal_error,
    report_output_failure,
    stdout_is_closed,
    tolerate_unencodable_output,
)
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


def _show_version(asked: bool) -> None:
    """``periodize --version``: the installed release, as a bug report or a coach's note needs
    it (read from the package's metadata, so it is pyproject's ``version`` in one place)."""
    if asked:
        from importlib.metadata import PackageNotFoundError, version

        try:
            recorded = f"periodize {version('periodize')}"
        except PackageNotFoundError:  # run from a source tree never installed
            recorded = "periodize (not installed: no version recorded)"
        try:
            typer.echo(recorded)
        except BrokenPipeError:  # click would exit 1 here; a reader gone is 141, as for a command
            quiet_stdout()
            raise typer.Exit(EXIT_BROKEN_PIPE) from None
        raise typer.Exit()


@app.callback()
def _main_options(
    show_version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
                                                help="Print periodize's version and exit.")] = False,
) -> None:
    """Season-long running and strength training plans, solved with CP-SAT."""


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
            plain = plain_number_message(error)
            if plain is not None:
                raise PlainBadParameter(plain, ctx=error.ctx, param=error.param) from None
            error.message = error.message.removeprefix(PYDANTIC_VALUE_ERROR)
            raise


class PlainBadParameter(typer.BadParameter):
    """A bad option value whose message names the option itself ("--gap must be between 0 and
    99, not 150"), so click's "Invalid value for '--gap':" would say it twice."""

    def format_message(self) -> str:
        return self.message


def plain_number_message(error: typer.BadParameter) -> str | None:
    """A number option's refusal in a runner's words, from the option's own ``min``/``max``:
    "--gap must be between 0 and 99, not 150", "--week must be at least 1, not 0", "--gap must be
    a number, not 'abc'". typer 0.29 checks numbers with pydantic, whose wording ("Input should
    be less than or equal to 99") named neither the range nor the value given. None for any
    other refusal (a choice, a path), and where the error did not come from pydantic (older
    typer releases word it themselves)."""
    from pydantic import ValidationError

    cause, param = error.__cause__, error.param
    if not isinstance(cause, ValidationError) or param is None or not cause.errors():
        return None
    names = [name for name in param.opts if name.startswith("--")] or list(param.opts)
    if not names:
        return None
    item = cause.errors()[0]
    kind, given = item["type"], item.get("input")
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        if low is not None and high is not None:
            return f"{names[0]} must be between {low:g} and {high:g}, not {given}"
        if low is not None:
            return f"{names[0]} must be at least {low:g}, not {given}"
        if high is not None:
            return f"{names[0]} must be at most {high:g}, not {given}"
        return None
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return f"{names[0]} must be a whole number, not {given!r}"
    if kind in ("float_parsing", "float_type", "finite_number"):
        return f"{names[0]} must be a number, not {given!r}"
    return None


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
    """The command line, once imported (``entry.main`` imports it within its own net)."""
    try:
        from periodize.solver.cpsat import stop_solves_on_interrupt

        stop_solves_on_interrupt()
        tolerate_unencodable_output()
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        exit_interrupted()
    except Exception as error:  # noqa: BLE001 - no traceback ever reaches the user
        # Outside a command (``--version``, ``--help``): as ``errors.guarded`` maps it inside.
        if interrupted(error):
            exit_interrupted()
        if isinstance(error, BrokenPipeError) and stdout_is_closed():
            quiet_stdout()
            raise SystemExit(EXIT_BROKEN_PIPE) from None
        if isinstance(error, OSError) and error.errno in OUTPUT_DEVICE_FAILURES:
            report_output_failure(error)
        else:
            report_internal_error(error)
        raise SystemExit(EXIT_INTERNAL) from None


if __name__ == "__main__":
    main()
