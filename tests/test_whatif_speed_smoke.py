"""The what-if speed benchmark runs end to end on a short season and writes its report.

Timing is never asserted (the machine may be slow or busy); only that the report is complete:
the baseline and five scenarios, each with a known status, in both result files.
"""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import whatif_speed

SHORT_ATHLETE = whatif_speed.ROOT / "benchmarks" / "instances" / "w08-r1.yaml"


def test_benchmark_writes_baseline_and_five_scenarios(tmp_path: Path) -> None:
    out = tmp_path / "whatif"
    assert whatif_speed.main(["--athlete", str(SHORT_ATHLETE), "--repeat", "1", "--time-limit", "0.5",
                              "--calibration-runs", "0", "--out", str(out)]) == 0
    json_path, md_path = tmp_path / "whatif.json", tmp_path / "whatif.md"
    assert json_path.exists() and md_path.exists()
    result = json.loads(json_path.read_text())
    rows = result["scenarios"]
    assert len(rows) == 6 and rows[0]["name"] == "baseline"
    assert all(row["status"] in whatif_speed.STATUSES for row in rows), [row["status"] for row in rows]
    assert len(result["seconds"]) == 1 and result["median_seconds"] > 0
    assert result["weeks"] == 8 and result["time_limit"] == 0.5
    assert [scenario["name"] for scenario in result["output"]["scenarios"]] == [row["name"] for row in rows]
    table = md_path.read_text()
    assert "| baseline + 5 |" in table and "< 3 s" in table
    assert sum(1 for line in table.splitlines() if line.startswith("| `")) == 6
    assert not list(tmp_path.glob(".*.tmp"))  # atomic writes leave no temporary files behind
