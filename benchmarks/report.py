"""Benchmark reports: the machine line, the main table, the scaling table and the targets."""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from periodize.output_files import write_atomically

#: Where the benchmarks write their results files.
RESULTS = Path(__file__).resolve().parent / "results"

#: The issue's targets: instance, median plan seconds, p95 plan seconds (None: no p95 target).
TARGETS: tuple[tuple[str, float, float | None], ...] = (("w26-r1", 0.5, None), ("w52-r4", 2.0, 4.0))
#: "No faster than linearly": the fitted exponent of plan time against season length, with
#: this much allowance for noise.
LINEAR_EXPONENT = 1.1


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as stream:
            for line in stream:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        import ortools

        ortools_version = ortools.__version__
    except Exception:  # noqa: BLE001
        ortools_version = "?"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "ortools": ortools_version,
        "platform": platform.platform(),
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "code": code_version(),
    }


def code_version() -> str:
    """The commit measured, and whether ``periodize/`` had uncommitted changes."""
    import subprocess

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "periodize"], cwd=root, capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + (" + uncommitted changes in periodize/" if dirty else "")


def write_results(stem: str, report: dict[str, Any], text: str) -> None:
    """``results/<stem>.json`` (the report) and ``.md`` (``text``), each written atomically, and
    the Markdown printed: what every side benchmark leaves behind."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    write_atomically(RESULTS / f"{stem}.json", json.dumps(report, indent=2) + "\n")
    write_atomically(RESULTS / f"{stem}.md", text)
    print(text)


def machine_line(info: dict[str, Any]) -> str:
    load = info.get("load_average")
    return (f"{info['cpu']}, {info['cores']} cores, Python {info['python']}, ortools {info['ortools']}, "
            f"{info['date']}" + (f" (load average at start {load[0]:.2f})" if load else "")
            + (f"; code {info['code']}" if info.get("code") else ""))


def _s(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _status(row: dict[str, Any]) -> str:
    parts = [f"{status} {count}" for status, count in row["status"].items()]
    if row["errors"]:
        parts.append(f"ERROR {len(row['errors'])}")
    if row["invalid"]:
        parts.append(f"INVALID {len(row['invalid'])}")
    return ", ".join(parts) or "-"


def _gap(row: dict[str, Any]) -> str:
    if row["gap_median"] is None:
        return "-"
    return f"{100 * row['gap_median']:.1f} %" + (f" (max {100 * row['gap_max']:.1f})" if row["gap_max"] != row["gap_median"] else "")


def main_table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| instance | weeks | races | build med | solve med | solve p95 | extract med | validate med "
        "| plan med | plan p95 | x calib | status | gap | vars | cons |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['instance']} | {r['weeks']} | {r['races']} | {_s(r['build_median'])} | {_s(r['solve_median'])} | "
            f"{_s(r['solve_p95'])} | {_s(r['extract_median'])} | {_s(r['validate_median'])} | "
            f"{_s(r['plan_median'])} | {_s(r['plan_p95'])} | {_s(r['ratio'], 1)} | {_status(r)} | {_gap(r)} | "
            f"{r['variables']} | {r['constraints']} |"
        )
    return lines


def _generated(rows: list[dict[str, Any]]) -> dict[tuple[int, int], dict[str, Any]]:
    cells = {}
    for r in rows:
        name = r["instance"]
        if name.startswith("w") and "-r" in name and r["plan_median"] is not None:
            cells[(int(name[1:3]), int(name.split("-r")[1]))] = r
    return cells


def _proven(row: dict[str, Any]) -> bool:
    return not row["errors"] and set(row["status"]) == {"optimal"}


def scaling_table(rows: list[dict[str, Any]]) -> list[str]:
    """Median solve seconds by season length (rows) and races (columns); * = not proven optimal
    in every run (the time is the limit, a lower bound on the cost)."""
    cells = _generated(rows)
    if not cells:
        return []
    weeks = sorted({w for w, _ in cells})
    races = sorted({r for _, r in cells})
    lines = ["| weeks \\ races | " + " | ".join(str(r) for r in races) + " | median per week |",
             "|--:|" + "--:|" * len(races) + "--:|"]
    for w in weeks:
        values = [cells[(w, r)] for r in races if (w, r) in cells]
        per_week = statistics.median(row["solve_median"] / w for row in values)
        lines.append(f"| {w} | " + " | ".join(
            (_s(cells[(w, r)]["solve_median"], 2) + ("" if _proven(cells[(w, r)]) else "*")) if (w, r) in cells else "-"
            for r in races) + f" | {per_week:.3f} |")
    return lines


def growth(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Least-squares exponent of median plan time against season length, over the cells proven
    optimal (per race count, then the median of those); censored cells are left out."""
    cells = _generated(rows)
    exponents = {}
    for races in sorted({r for _, r in cells}):
        points = [(math.log(w), math.log(cells[(w, races)]["plan_median"]))
                  for w, r in sorted(cells) if r == races and _proven(cells[(w, races)])
                  and cells[(w, races)]["plan_median"] > 0]
        if len(points) >= 3:  # two short seasons alone say more about noise than growth
            mx = statistics.fmean(x for x, _ in points)
            my = statistics.fmean(y for _, y in points)
            sxx = sum((x - mx) ** 2 for x, _ in points)
            exponents[races] = round(sum((x - mx) * (y - my) for x, y in points) / sxx, 2) if sxx else None
    censored = sorted(f"w{w:02d}-r{r}" for (w, r), row in cells.items() if not _proven(row))
    values = [e for e in exponents.values() if e is not None]
    return {"exponent_by_races": exponents, "exponent_median": statistics.median(values) if values else None,
            "censored": censored}


def targets(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_name = {r["instance"]: r for r in rows}
    verdicts = []
    for name, median_target, p95_target in TARGETS:
        row = by_name.get(name)
        if row is None or row["plan_median"] is None:
            continue
        proven = _proven(row)
        met = proven and row["plan_median"] < median_target and (p95_target is None or row["plan_p95"] < p95_target)
        want = f"proven optimal, median < {median_target:g} s" + (f", p95 < {p95_target:g} s" if p95_target else "")
        got = (f"{'proven optimal' if proven else 'not proven optimal (' + _status(row) + ')'}, "
               f"median {row['plan_median']:.2f} s, p95 {row['plan_p95']:.2f} s")
        races = f"{row['races']} race" + ("" if row["races"] == 1 else "s")
        verdicts.append({"target": f"{name} ({row['weeks']} weeks, {races})", "want": want,
                         "got": got, "met": met})
    g = growth(rows)
    if g["exponent_median"] is not None:
        exponent = g["exponent_median"]
        note = f"fitted exponent {exponent:.2f} over the proven cells (1 = linear)"
        if g["censored"]:
            note += f"; {len(g['censored'])} cells not proven optimal are left out, so this understates the growth"
        verdicts.append({"target": "time grows no faster than linearly with season length",
                         "want": f"exponent <= {LINEAR_EXPONENT}", "got": note,
                         "met": exponent <= LINEAR_EXPONENT and not g["censored"]})
    return verdicts


def markdown(meta: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    lines = [
        f"# Benchmark: {len(rows)} instances, {meta['repeat']} runs each", "",
        f"Machine: {machine_line(meta['machine'])}.", "",
        f"One solver worker, seed {meta['seed']}, search `{meta['search']}`, time limit {meta['time_limit']:g} "
        f"(deterministic work {meta['time_limit'] * 0.25:g} units). Calibration (fixed CP-SAT job shop, "
        f"benchmarks/calibration.py): median {meta['calibration']['median']:.3f} s "
        f"(before {meta['calibration']['before_median']:.3f} s, after {meta['calibration']['after_median']:.3f} s).",
        "",
        "Seconds. build = skeleton + CP-SAT model; solve = CP-SAT wall time; extract = solution to plan and "
        "strength prescription; plan = build + solve + extract (what `periodize solve` waits for); "
        "x calib = plan median / calibration median; gap = (objective - bound) / objective.", "",
        *main_table(rows), "",
    ]
    scaling = scaling_table(rows)
    if scaling:
        lines += ["## Scaling: median solve seconds by season length and races", "",
                  "`*`: not proven optimal in every run, so the figure is the time limit's, a lower bound.", "",
                  *scaling, ""]
        g = growth(rows)
        if g["exponent_by_races"]:
            lines += ["Fitted exponent of plan time against weeks (cells proven optimal, at least three lengths), by races: "
                      + ", ".join(f"{r}: {e}" for r, e in g["exponent_by_races"].items()) + ".", ""]
    verdicts = targets(rows)
    if verdicts:
        lines += ["## Targets", "", "| target | wanted | measured | met |", "|---|---|---|---|"]
        lines += [f"| {v['target']} | {v['want']} | {v['got']} | {'yes' if v['met'] else '**no**'} |" for v in verdicts]
        lines.append("")
    failures = [(r["instance"], text) for r in rows for text in r["invalid"] + r["errors"]]
    lines += ["## Failures", ""] + ([f"- {name}: {text.splitlines()[0]}" for name, text in failures] or ["None: every returned plan passed `validate_plan`, and no solve raised."])
    return "\n".join(lines) + "\n"
