"""Writing output files safely: a reader sees the old file or the whole new one, never half
of one, and a path nothing can be written at is found before a long solve, not after it."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the whole new one.

    The text goes to a temporary file in the same directory (so ``os.replace`` is a rename on
    one file system), is flushed to disk, and only then replaces ``path``. On any error the
    temporary file is removed and ``path`` is left as it was.

    A symlink's file is replaced, not the link (``--out link.json`` had turned the link into a
    file of its own, leaving its target as it was). A path that is there but no regular file
    (``/dev/null``, ``/dev/stdout``, a FIFO) is written through: renaming over it had replaced
    ``/dev/null`` with a plan for the whole machine, and a device has no old content to keep.
    A file replaced keeps its permissions.
    """
    path = Path(path)
    if not is_replaceable(path):
        with open(path, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        return
    if os.path.islink(path):  # a dangling link too: its target is made, not the link replaced
        path = Path(os.path.realpath(path))
    directory = path.parent if str(path.parent) else Path(".")
    handle, temp_name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        # The file replaced keeps its mode: a plan made private (600) had come back world-readable.
        os.chmod(temp_name, stat.S_IMODE(path.stat().st_mode) if path.is_file() else 0o666 & ~_umask())
        os.replace(temp_name, path)
    except BaseException:
        try:
            os.unlink(temp_name)
        except FileNotFoundError:
            pass
        raise


def is_replaceable(path: Path) -> bool:
    """Whether ``path`` is written by replacing a file: it is a regular file or not there yet
    (following symlinks), not a device, a FIFO or a terminal, which are written through."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True


def unwritable(path: Path, *, folder: bool = False) -> str | None:
    """Why nothing can be written at ``path``, checked before a long solve (None where it can):
    a device or FIFO that will not open for writing, a folder above it that is a file, or a
    nearest existing folder that takes no new entry, or a file its owner made read-only (as
    ``os.access`` reads it: root may write it). That folder is tried with a temporary
    folder, removed at once, since permission bits say nothing to root or to /proc. A
    ``folder`` (a batch's plans) is tried itself where it exists."""
    if not folder and path.exists() and not is_replaceable(path):
        try:
            with open(path, "a", encoding="utf-8"):
                return None
        except OSError as error:
            return f"cannot write {path}: {error.strerror or error}"
    if not folder and path.is_file() and not os.access(path, os.W_OK):
        # Replaced by a rename, a read-only plan had been written over, its mode lost.
        return f"{path} is read-only; make it writable or give another file"
    for above in ([path] if folder else []) + list(path.parents):
        if not above.exists():
            continue
        if not above.is_dir():
            return f"{above} is a file, not a folder; cannot write {path}"
        try:
            os.rmdir(tempfile.mkdtemp(dir=above, prefix=".periodize-check-"))
        except OSError as error:
            return f"cannot write in {above}: {error.strerror or error}"
        return None
    return None


def _umask() -> int:
    """The process umask (only readable by setting it), so written files get normal permissions."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


__all__ = ["is_replaceable", "unwritable", "write_atomically"]
