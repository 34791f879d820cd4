"""What-if scenarios: named changes to an athlete's race calendar (or to any key of the file).

A scenario is a patch of the athlete file as parsed data, so a scenario can change anything
the file holds and is validated exactly like a file (every problem with its path). Command-line
changes are small patches on ``races``; scenario files are JSON merge patches (RFC 7386:
mappings merge, lists and values replace, ``null`` removes a key).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from periodize.input_problems import (
    FILE,
    InputError,
    Problem,
    describe_value,
    why_not_a_date,
)
from periodize.loading import read_mapping
from periodize.models.base import calendar_date, is_date_shaped

Mapping = dict[str, Any]


@dataclass(frozen=True)
class Scenario:
    """A named change; ``apply`` turns the baseline athlete data into the scenario's data."""

    name: str
    changes: tuple[tuple[str, Any], ...] = field(default=())
    #: The scenario file it was read from, if any: its problems name the file, since the
    #: scenario's name alone (the file's stem, or its ``scenario: name``) did not say where
    #: to look for a misspelt key.
    source: str | None = None

    @property
    def label(self) -> str:
        """How the scenario's problems begin: ``scenario 'short' (file 'alt/short.yaml')``."""
        shown = f"scenario {self.name!r}"
        return shown if self.source is None or self.source == self.name else f"{shown} (file {self.source!r})"

    def apply(self, baseline: Mapping) -> Mapping:
        data = copy.deepcopy(baseline)
        for kind, argument in self.changes:
            try:
                CHANGES[kind](data, argument, self.name)
            except RecursionError:  # a patch nested hundreds deep: no athlete file holds that
                option = SCENARIO_OPTION if kind == "patch" else f"--{kind}"
                raise InputError([Problem(f"{self.label}: {option}", "the patch is nested too deeply")]) from None
        return data

    def replaced_entries(self, baseline: Mapping) -> list[str]:
        """Notes on the lists a scenario file's patch replaces that lose entries of the baseline's
        (``replaced_lists``): a patch's list replaces the file's whole (RFC 7386), and a file
        giving ``exceptions: [holiday]`` had dropped the baseline's conference week, whose
        training then read as the scenario's doing."""
        return [note for kind, argument in self.changes if kind == "patch"
                for note in replaced_lists(baseline, argument)]


BASELINE = Scenario("baseline")


def replaced_lists(baseline: Any, patch_data: Any, path: str = "") -> list[str]:
    """For each list in ``patch_data`` that replaces a list of ``baseline`` holding entries the
    new one does not: ``exceptions: the scenario's list replaces the athlete file's (lists are
    replaced whole), leaving out 'work trip' (2027-02-08 to 2027-02-14)``."""
    if not isinstance(patch_data, dict) or not isinstance(baseline, dict):
        return []
    notes: list[str] = []
    for key, value in patch_data.items():
        where = f"{path}.{key}" if path else str(key)
        before = baseline.get(key)
        if isinstance(value, dict):
            notes += replaced_lists(before, value, where)
        elif isinstance(value, list) and isinstance(before, list):
            kept = {_identity(entry) for entry in value}
            left_out = [entry for entry in before if _identity(entry) not in kept]
            if left_out:
                notes.append(f"{where}: the scenario's list replaces the athlete file's (lists are replaced whole), "
                             f"leaving out {', '.join(_entry(entry) for entry in left_out)}")
    return notes


def _entry(entry: Any) -> str:
    """A list entry as a reader knows it: a race by its name, an exception by its note and dates."""
    if isinstance(entry, dict):
        name = entry.get("name") or entry.get("note")
        dates = f"{entry['from']} to {entry['to']}" if "from" in entry and "to" in entry else entry.get("date")
        if name is not None or dates is not None:
            return " ".join(part for part in (repr(str(name)) if name is not None else None,
                                              f"({dates})" if dates is not None else None) if part)
    return repr(entry)


def _identity(entry: Any) -> str:
    """What makes a list entry the same one as the loader reads it: a race or a group session
    by its name (a race moved or retyped is still there: "leaving out 'Winter 10k'" had been
    said of a file that moved it), an exception by its dates (``2027-3-7``, a JSON file's text
    or YAML's date alike), a word in any case; anything else by its value."""
    if isinstance(entry, dict):
        if isinstance(entry.get("name"), str):
            return f"name:{entry['name'].strip()}"
        if "from" in entry and "to" in entry:
            return f"dates:{_as_date(entry['from'])}:{_as_date(entry['to'])}"
    if isinstance(entry, str):
        return f"word:{entry.strip().casefold()}"
    return json.dumps(entry, sort_keys=True, default=str)


def _as_date(value: Any) -> str:
    """A date as text, ``2027-3-7`` as ``2027-03-07``; text that is no date, as it is."""
    if isinstance(value, str) and is_date_shaped(value):
        try:
            return str(calendar_date(value))
        except ValueError:  # 2027-02-30: the loader names it; here it only has to compare
            return value
    return str(value)


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _problem(scenario: str, path: str, message: str) -> InputError:
    return InputError([Problem(f"scenario {scenario!r}: {path}", message)])


def _race_index(data: Mapping, name: str, scenario: str, option: str) -> int:
    names = [race.get("name") for race in data.get("races") or []]
    if name not in names:
        known = ", ".join(repr(n) for n in names) or "none"
        raise _problem(scenario, option, f"no race named {name!r} (races: {known})")
    return names.index(name)


def _split_assignment(text: str, scenario: str, option: str) -> tuple[str, str]:
    name, sep, value = text.rpartition("=")
    if not sep or not name.strip() or not value.strip():
        raise _problem(scenario, option, f"expected NAME=VALUE, got {text!r}")
    return name.strip(), value.strip()


def add_race(data: Mapping, text: str, scenario: str) -> None:
    """``--add-race "Harbour Half,2027-03-21,half,B"`` (optionally ``,expected_minutes``). A
    name may hold commas (``"Run, Forest, Run,2027-05-02,10k,C"``): a race's name is free text,
    so the fields after it are found from the right, by where the date stands (four fields
    after the name where the last is a number, the minutes; else three)."""
    written = text.split(",")
    parts = [part.strip() for part in written]
    with_minutes = isinstance(_number_or_text(parts[-1]), (int, float))  # else the priority ends it
    after_name = next((count for count in ((4, 3) if with_minutes else (3,))
                       if len(parts) > count and is_date_shaped(parts[-count])), len(parts) - 1)
    parts = [",".join(written[:-after_name]).strip(), *parts[-after_name:]]
    if len(parts) not in (4, 5) or not all(parts):
        raise _problem(scenario, "--add-race", f"expected NAME,DATE,DISTANCE,PRIORITY[,MINUTES], got {text!r}")
    race: Mapping = {"name": parts[0], "date": parts[1], "distance": parts[2], "priority": parts[3]}
    if len(parts) == 5:
        race["expected_minutes"] = _number_or_text(parts[4])
    data.setdefault("races", [])
    data["races"] = [*(data["races"] or []), race]


def _number_or_text(text: str) -> int | float | str:
    """A number typed on the command line, read as a file's ``95`` is, not as its quoted
    ``"95"``, which the athlete model refuses; text that is no number stays text for the
    model to name."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def move_race(data: Mapping, text: str, scenario: str) -> None:
    """``--move-race "City Marathon=2027-05-02"``."""
    name, when = _split_assignment(text, scenario, "--move-race")
    try:
        when = calendar_date(when).isoformat()
    except ValueError:
        raise _problem(scenario, "--move-race", f"expected a date like 2027-05-02, got {when!r}{why_not_a_date(when)}") from None
    index = _race_index(data, name, scenario, "--move-race")  # first: a file may hold no races
    data["races"][index]["date"] = when


def drop_race(data: Mapping, name: str, scenario: str) -> None:
    """``--drop-race "Spring 10k"``."""
    index = _race_index(data, name.strip(), scenario, "--drop-race")
    del data["races"][index]


def set_priority(data: Mapping, text: str, scenario: str) -> None:
    """``--set-priority "Spring Half=C"``."""
    name, priority = _split_assignment(text, scenario, "--set-priority")
    index = _race_index(data, name, scenario, "--set-priority")
    data["races"][index]["priority"] = priority


def unreadable(data: Mapping, problems: tuple[Problem, ...], scenario: str) -> None:
    """A scenario file that could not be read: its problems, raised where every scenario's
    problems are gathered (``run.scenario_inputs``), so that all of them are said at once."""
    raise InputError(list(problems))


def patch(data: Mapping, patch_data: Mapping, scenario: str) -> None:
    patched = merge_patch(data, patch_data)
    data.clear()
    data.update(patched)


CHANGES: dict[str, Callable[[Mapping, Any, str], None]] = {
    "add-race": add_race,
    "move-race": move_race,
    "drop-race": drop_race,
    "set-priority": set_priority,
    "patch": patch,
    "unreadable": unreadable,
}


#: The option that names a scenario file.
SCENARIO_OPTION = "--scenario"


def scenario_from_file(path: Path) -> Scenario:
    """A scenario file: a patch of the athlete file, named after the file (or its ``name``
    key under ``scenario:``, which is removed before patching). A file that cannot be read is
    named in each of its problems, since several ``--scenario`` files may be given, and its
    problems wait with the scenario (``unreadable``) until every scenario has been read."""
    try:
        data = read_mapping(path, what="scenario", option=SCENARIO_OPTION)
    except InputError as error:
        # A file not found names its option and path already ("--scenario: scenario file not
        # found: x.yaml"); prefixed again, the path was said twice.
        problems = tuple(problem if problem.path == SCENARIO_OPTION else
                         Problem(f"scenario file {str(path)!r}" + ("" if problem.path == FILE else f": {problem.path}"),
                                 problem.message) for problem in error.problems)
        return Scenario(Path(path).stem, (("unreadable", problems),))
    meta = data.pop("scenario", None)
    problems = tuple(Problem(f"scenario file {str(path)!r}: {where}", message) for where, message in _meta_problems(meta))
    if problems:
        return Scenario(Path(path).stem, (("unreadable", problems),))
    name = meta.get("name") if isinstance(meta, dict) and meta.get("name") else Path(path).stem
    return Scenario(str(name), (("patch", data),), source=str(path))


def _meta_problems(meta: Any) -> list[tuple[str, str]]:
    """What is wrong with a scenario file's ``scenario:`` mapping (where, message): it holds the
    scenario's name and nothing else. ``scenario: 5`` and ``scenario: {nmae: x}`` had been
    dropped without a word (the scenario then named after its file), and ``{name: [1, 2]}``
    named the column "[1, 2]"."""
    if meta is None:
        return []
    if not isinstance(meta, dict):
        return [("scenario", f"expected a mapping such as {{name: short wednesdays}}, got {describe_value(meta)}")]
    problems = [(f"scenario.{key}", f"unknown key {key!r}; scenario: holds only the scenario's name")
                for key in meta if key != "name"]
    name = meta.get("name")
    if name is not None and not (isinstance(name, str) and name.strip()):
        problems.append(("scenario.name", f"expected the scenario's name as text, got {describe_value(name)}"))
    return problems


def _as_one_change(value: str) -> str:
    """A command-line change as the athlete file reads it, so that two spellings of one change
    are one (``Winter 10k=2027-3-14`` and ``Winter 10k=2027-03-14``, ``=b`` and ``=B``, spaces
    around the fields): each had been solved, two identical columns."""
    fields = []
    for field_ in re.split(r"([,=])", value):
        text = field_.strip()
        if is_date_shaped(text):
            try:
                text = calendar_date(text).isoformat()
            except ValueError:
                pass  # no day: the change is refused for it anyway
        fields.append(text.casefold())
    return "".join(fields)


def _repeated(add: list[str], move: list[str], drop: list[str], priority: list[str], files: list[Path]) -> list[Problem]:
    """A change given twice (``--drop-race X`` twice, one scenario file twice, by any path to
    it): it had been solved twice, its two columns under one name, a coach left to wonder
    how they differ."""
    problems = []
    for option, values in (("--add-race", add), ("--move-race", move), ("--drop-race", drop),
                           ("--set-priority", priority)):
        changes = [_as_one_change(value) for value in values]
        problems += [Problem(option, f"{values[changes.index(change)]!r} is given twice; each scenario is solved once")
                     for change in dict.fromkeys(changes) if changes.count(change) > 1]
    resolved = [path.resolve() for path in files]
    problems += [Problem("--scenario", f"{files[resolved.index(file)]} is given twice; each scenario is solved once")
                 for file in dict.fromkeys(resolved) if resolved.count(file) > 1]
    return problems


def scenarios_from_options(
    add: list[str], move: list[str], drop: list[str], priority: list[str], files: list[Path],
) -> list[Scenario]:
    """One scenario per command-line change and per scenario file, in the order given by kind;
    the baseline is always first. A change given twice is refused (``_repeated``)."""
    repeated = _repeated(add, move, drop, priority, files)
    if repeated:
        raise InputError(repeated)
    scenarios = [BASELINE]
    for kind, values, label in (("add-race", add, "add"), ("move-race", move, "move"),
                                ("drop-race", drop, "drop"), ("set-priority", priority, "priority")):
        scenarios += [Scenario(f"{label} {value}", ((kind, value),)) for value in values]
    from_files = [scenario_from_file(path) for path in files]
    # Two files of one name (s1/alt.yaml, s2/alt.yaml) are told apart by their paths.
    names = [scenario.name for scenario in scenarios + from_files]
    scenarios += [Scenario(str(path), scenario.changes, source=scenario.source) if names.count(scenario.name) > 1 else scenario
                  for path, scenario in zip(files, from_files, strict=True)]
    return scenarios
