"""CSV cells as a spreadsheet will read them: text that starts like a formula is kept as text.

Why: coaches open ``summary.csv`` and ``whatif --format csv`` in a spreadsheet, which runs a
cell starting with ``=``, ``+``, ``-`` or ``@`` as a formula. An athlete named
``=HYPERLINK("http://x","y")`` (or a race named ``=1+1``) went in as it was, a link or a sum
in the coach's sheet. Such text is written with a leading apostrophe, the spreadsheets' own
mark for "this is text" (OWASP's advice for CSV injection); numbers are left as they are, so a
negative figure stays a number.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: What a spreadsheet may read as the start of a formula (tab and carriage return too).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value: Any) -> Any:
    """``value``, with an apostrophe in front where it is text that starts like a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def numbered(items: Iterable[str]) -> str:
    """``1. ...; 2. ...``: a list in one cell, numbered, as an item may hold a semicolon of its own."""
    return "; ".join(f"{number}. {item}" for number, item in enumerate(items, start=1))


def text_cells(row: Iterable[Any]) -> list[Any]:
    """A CSV row with every cell through :func:`text_cell`."""
    return [text_cell(value) for value in row]


__all__ = ["FORMULA_STARTS", "numbered", "text_cell", "text_cells"]
