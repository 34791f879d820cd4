"""Turning failures into exit codes and one-line messages: a user of the CLI never sees a traceback.

Exit codes (docs/PLAN-OUTPUT.md): 0 success; 1 internal error (or, for ``validate``,
violations found); 2 invalid input; 3 no plan satisfies the hard rules; 4 time limit with no plan;
5 (``batch``) some athletes failed, the others' plans were written; 130 Ctrl-C and 141 the
reader of the output closed it (``periodize show plan.json | head``), as shells report SIGINT and
SIGPIPE (128 + the signal), quietly.
Every command body returns its exit code and is wrapped by :func:`guarded`, so the same rules
hold whether the app runs from the console script or from a test's ``CliRunner``.
"""

from __future__ import annotations

import errno
import functools
import os
import select
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import typer

from periodize.input_problems import InputError, Problem

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_VIOLATIONS = 1
EXIT_INPUT = 2
EXIT_INFEASIBLE = 3
EXIT_NO_PLAN = 4
EXIT_SOME_FAILED = 5
#: Ctrl-C, as shells report a process ended by SIGINT (128 + 2).
EXIT_INTERRUPTED = 130
#: What Ctrl-C leaves on stderr, wherever it lands.
INTERRUPTED = "interrupted (Ctrl-C)"
#: The output's reader closed the pipe, as shells report a process ended by SIGPIPE (128 + 13).
EXIT_BROKEN_PIPE = 141


class ReaderGone(Exception):
    """An output file written through (``--out /dev/stdout``, a FIFO) whose reader closed it:
    the reader has what it wanted, as with stdout (exit 141, quietly). It had been "--out:
    cannot write /dev/stdout: Broken pipe", exit 2."""


@contextmanager
def writing(option: str, path: Path) -> Iterator[None]:
    """Writing ``option``'s file at ``path``: a reader gone is :class:`ReaderGone`; any other
    failure (the disk full, the folder gone since the check before solving) is that option's
    input problem."""
    try:
        yield
    except BrokenPipeError:
        raise ReaderGone(option) from None
    except OSError as error:
        raise InputError([Problem(option, f"cannot write {path}: {error.strerror or error}")]) from None


def say_error(line: str) -> None:
    """One line to stderr, verbatim (no rich markup, so ``races[1]`` stays as written)."""
    typer.echo(line, err=True)


def interrupted(error: BaseException) -> bool:
    """Whether ``error`` is Ctrl-C's doing: a KeyboardInterrupt, or an error it caused. Ctrl-C
    while OR-Tools' C++ module initialises surfaces as "ImportError: initialization failed"
    (the interrupt its cause), which had been reported as an internal error, exit 1."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def exit_interrupted() -> NoReturn:
    """Ctrl-C outside a command (while the command line starts up): the line a command says,
    and its exit code, not a KeyboardInterrupt traceback."""
    raise SystemExit(say_interrupted())


def say_interrupted() -> int:
    """Ctrl-C's line on stderr, and its exit code. A second Ctrl-C while the command winds down
    (a batch's worker processes and threads joined at the interpreter's exit, within about
    0.2 s: the solves in flight stop at the first) is ignored: it had raised inside
    ``concurrent.futures``' exit hook, a 13-line "Exception ignored" traceback. (Ending the
    process at once instead left the worker processes' semaphores to multiprocessing's
    resource tracker, which warned of them.)"""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    say_error(INTERRUPTED)
    return EXIT_INTERRUPTED


def report_input_error(error: InputError) -> None:
    """Each problem on its own line as ``path: message``."""
    for problem in error.problems:
        say_error(str(problem))


#: Why writing the terminal's output can fail on a sound periodize: the disk under a
#: redirected stdout is full (``> /dev/full``), a quota, a device error. Said as that, not as an
#: "internal error", which reads as a bug.
OUTPUT_DEVICE_FAILURES = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO})


def report_output_failure(error: OSError) -> None:
    say_error(f"cannot write the output: {error.strerror or error}")


def tolerate_unencodable_output() -> None:
    """A character the terminal's encoding lacks (an athlete named Jörg where stdout is ASCII,
    ``PYTHONIOENCODING=ascii`` or a C locale's pipe) printed as an escape, not an exit 1
    "internal error: UnicodeEncodeError" after the plan was written. Streams without
    ``reconfigure`` (a test's runner) are left as they are."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def report_internal_error(error: BaseException) -> None:
    detail = str(error).strip().splitlines()
    text = detail[0] if detail else ""
    say_error(f"internal error: {type(error).__name__}{': ' + text if text else ''}")


def stdout_is_closed() -> bool:
    """Whether stdout is a pipe whose reader has gone: polling its write end reports an error
    then. False where stdout has no file descriptor (a test's runner) or cannot be polled."""
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):
        return False


def quiet_stdout() -> None:
    """Point stdout at the null device: output still buffered for a closed pipe would fail again
    as Python exits (Python's note on SIGPIPE, which rich follows). Not where stdout has no
    file descriptor (a test's runner)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def guarded(command: Callable[..., int]) -> Callable[..., None]:
    """Run a command body that returns an exit code; map every exception to a code and a line.

    ``typer.Exit``/``Abort`` and click's usage errors pass through untouched: typer already
    turns those into the right exit code (usage errors exit 2, which is "invalid input" too).
    """

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            code = command(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except InputError as error:
            report_input_error(error)
            code = EXIT_INPUT
        except KeyboardInterrupt:  # click would say "Aborted!" and exit 1
            code = say_interrupted()
        except ReaderGone:
            if stdout_is_closed():  # --out /dev/stdout | head: stdout's pipe is the one gone
                quiet_stdout()
            code = EXIT_BROKEN_PIPE
        except BrokenPipeError as error:
            if not stdout_is_closed():  # another pipe (a socket, say): a failure like any other
                report_internal_error(error)
                code = EXIT_INTERNAL
            else:  # the reader has all it wanted; nothing to report to it
                quiet_stdout()
                code = EXIT_BROKEN_PIPE
        except Exception as error:  # noqa: BLE001 - the one place everything is caught
            if interrupted(error):
                code = say_interrupted()
            elif isinstance(error, OSError) and error.errno in OUTPUT_DEVICE_FAILURES:
                report_output_failure(error)  # stdout on a full disk: the machine's trouble
                code = EXIT_INTERNAL
            else:
                report_internal_error(error)
                code = EXIT_INTERNAL
        raise typer.Exit(code)

    return wrapper
