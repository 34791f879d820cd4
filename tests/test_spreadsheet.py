"""CSV output as a spreadsheet reads it: text starting like a formula stays text."""

from __future__ import annotations

import csv
import io
from datetime import date

from periodize.batch.summary import AthleteResult
from periodize.batch.summary import csv_text as summary_csv
from periodize.spreadsheet import text_cells


def test_text_that_starts_like_a_formula_is_written_as_text() -> None:
    """An athlete named ``=HYPERLINK(...)`` went into summary.csv as it was, and a spreadsheet
    ran it; text is marked with an apostrophe, numbers (a negative one too) are left alone."""
    assert text_cells(["=1+1", "+49 170", "-x", "@sum", "Kim O'Neil", -5, 3.5, ""]) == [
        "'=1+1", "'+49 170", "'-x", "'@sum", "Kim O'Neil", -5, 3.5, ""]
    named = AthleteResult(key="x", source="x.yaml", status="optimal", name='=HYPERLINK("http://x","y")', objective=-0)
    [row] = list(csv.DictReader(io.StringIO(summary_csv([named]))))
    assert row["name"] == '\'=HYPERLINK("http://x","y")' and row["objective"] == "0"


def test_a_race_named_like_a_formula_is_text_in_the_whatif_csv() -> None:
    from periodize.cli.whatif import csv_text
    from periodize.whatif.compare import RaceOutlook, ScenarioResult

    baseline = ScenarioResult("baseline", "optimal", True, 100, {"O1": 100}, bound=100, weeks=9,
                              races=[RaceOutlook("=1+1", date(2027, 3, 7), 300, 6, 14, 90)])
    header = next(csv.reader(io.StringIO(csv_text([baseline]))))
    assert "'=1+1 peak_minutes" in header and not any(cell.startswith("=") for cell in header)
