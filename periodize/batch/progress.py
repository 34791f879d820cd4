"""A rich progress bar on stderr: athletes done, failed and remaining."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn


class BatchProgress:
    """``with BatchProgress(total) as bar: bar.advance(failed=False)``; silent when ``enabled``
    is False (tests, or ``--quiet`` callers)."""

    def __init__(self, total: int, *, enabled: bool = True, console: Console | None = None) -> None:
        self.total, self.done, self.failed = total, 0, 0
        self._progress = Progress(
            TextColumn("[bold]batch"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TextColumn("done {task.fields[done]}  failed {task.fields[failed]}  remaining {task.fields[remaining]}"),
            TimeElapsedColumn(),
            console=console or Console(stderr=True),
            disable=not enabled,
        )
        self._task = self._progress.add_task("batch", total=total, done=0, failed=0, remaining=total)

    def __enter__(self) -> BatchProgress:
        self._progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self._progress.stop()

    def advance(self, *, failed: bool) -> None:
        self.done += not failed
        self.failed += failed
        self._progress.update(self._task, advance=1, done=self.done, failed=self.failed,
                              remaining=self.total - self.done - self.failed)


__all__ = ["BatchProgress"]
