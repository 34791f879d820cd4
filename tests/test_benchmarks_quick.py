"""The benchmark's quick mode, on a reduced instance set: every plan validates, nothing raises.

Timing is never asserted (a CI machine may be slow or busy); only correctness is. The
generated instances are also checked to load, and the generator to be a pure function of its
seed, so that the committed files are what ``python -m benchmarks.generate`` writes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import benchmarks.__main__ as bench_main
from benchmarks import generate, report, runner
from benchmarks.__main__ import benchmark, main
from periodize.loading import load_athlete


def test_quick_benchmark_reports_no_validation_failures() -> None:
    paths = runner.discover(["w08-r0", "w08-r5"])
    result = benchmark(paths, repeat=1, time_limit=2.0, calibration_runs=1, progress=False)
    assert result["failures"] == 0, [r["invalid"] + r["errors"] for r in result["results"]]
    rows = {row["instance"]: row for row in result["results"]}
    assert set(rows) == {"w08-r0", "w08-r5"}
    for row in rows.values():
        assert row["runs"] == 1 and row["variables"] > 0 and row["constraints"] > 0
        assert sum(row["status"].values()) == 1
        assert row["build_median"] > 0 and row["solve_median"] > 0 and row["validate_median"] >= 0
        assert row["ratio"] is not None and row["ratio"] > 0
    json.dumps(result)  # the report is plain JSON
    text = report.markdown(result["meta"], result["results"])
    assert "| w08-r5 | 8 | 5 |" in text and "Machine:" in text and "None: every returned plan passed" in text


def test_a_plan_that_fails_validation_is_a_failure(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The exit status comes from validation and errors, so check that path is wired, and that
    the report written records the failure. (The report had been written into the source
    tree's benchmarks/results and deleted after, left behind whenever an assertion failed.)"""
    monkeypatch.setattr(runner, "validate_plan", lambda athlete, plan, rules: ["P1 broken on purpose"])
    monkeypatch.setattr(runner, "warm_up", lambda seed=0: None)
    write = bench_main.write
    monkeypatch.setattr(bench_main, "write", lambda result, stem: write(result, stem, tmp_path))
    assert main(["--only", "w08-r0", "--repeat", "1", "--time-limit", "1", "--calibration-runs", "1",
                 "--out", "test-failure"]) == 1
    assert sorted(path.name for path in tmp_path.iterdir()) == ["test-failure.json", "test-failure.md"]
    written = json.loads((tmp_path / "test-failure.json").read_text())
    assert written["failures"] == 1
    assert not (runner.ROOT / "benchmarks" / "results" / "test-failure.json").exists()


def test_every_instance_loads() -> None:
    paths = sorted(generate.INSTANCES.glob("*.yaml"))
    assert len(paths) == len(generate.SEASON_WEEKS) * len(generate.RACE_COUNTS)
    for path in paths:
        athlete, _ = load_athlete(path)
        weeks, races = int(path.stem[1:3]), int(path.stem.split("-r")[1])
        assert len(athlete.races) == races
        assert (athlete.season.end - athlete.season.start).days == 7 * weeks - 1


@pytest.mark.parametrize("stem", ["w08-r5", "w26-r1", "w52-r4"])
def test_committed_instances_are_what_the_generator_draws(stem: str) -> None:
    path = generate.INSTANCES / f"{stem}.yaml"
    text = path.read_text()
    attempt = int(re.search(r"attempt (\d+)", text).group(1))  # type: ignore[union-attr]
    weeks, races = int(stem[1:3]), int(stem.split("-r")[1])
    data = generate.draw(weeks, races, attempt)
    assert text.endswith(generate.as_yaml(data, ""))
    assert data == generate.draw(weeks, races, attempt)
