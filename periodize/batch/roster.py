"""A coaching group as a list of athletes: a folder of athlete files, a YAML roster, or a CSV roster.

**Folder** (``periodize batch squad/``): every ``.yaml``, ``.yml``, ``.json`` and ``.toml`` file
in it, in name order, is one athlete; the plan is named after the file (``alex.yaml`` ->
``alex.json``). Files whose name starts with ``.`` or ``_`` are left out, so a ``_defaults.yaml``
can sit beside the athletes.

**YAML roster** (``.yaml``/``.yml``/``.json``/``.toml`` with an ``athletes:`` key)::

    defaults:                 # merged under every athlete (the athlete's own values win)
      level: intermediate
      season: {start: 2027-01-04}
      availability: {mon: 60, tue: 75, wed: 60, thu: 75, fri: 0, sat: 90, sun: 150}
    group_sessions:           # the group's shared sessions, copied into every athlete
      - {name: track, day: tue, run: quality}
      - {name: long run, day: sun, run: long}
    athletes:
      - file: alex.yaml       # an athlete file, relative to the roster; plan alex.json
      - file: sam.yaml        # other keys beside file: patch that file
        volume: {peak_weekly_minutes: 300}
      - name: Kim             # an athlete written inline; plan kim.json (from the name)
        volume: {current_weekly_minutes: 200, peak_weekly_minutes: 320}
        runs_per_week: {min: 4, max: 5}

**CSV roster** (``.csv``): one athlete per row; the header names each column's key as a dotted
path into the athlete file (``name``, ``level``, ``volume.peak_weekly_minutes``,
``races[0].date``, ``races[0].distance``, ``preferences.quality_days``). Each cell is read as a
YAML value (``240`` a number, ``2027-04-18`` a date, ``[tue, thu]`` a list); an empty cell
leaves the key out. A ``file`` column, where given, names an athlete file that the row patches.
Rows are merged onto the shared defaults of ``--defaults FILE``.

**Defaults** (``--defaults FILE``, or a YAML roster's ``defaults:``): a partial athlete file.
Mappings merge key by key, everything else (lists included) is replaced by the athlete's value.
``group_sessions`` in a defaults file are the group's sessions. A roster's group sessions come
first in each athlete's list; an athlete's own session with the same name replaces the group's,
and an athlete's own ``group_sessions: []`` joins none.

A problem with the group itself (the folder or roster cannot be read, ``athletes:`` is not a
list) raises :class:`~periodize.input_problems.InputError`; a problem with one athlete (a missing or
broken file, a bad CSV path) stays with that athlete's :class:`Entry`, so the others still run.
"""

from __future__ import annotations

import copy
import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from periodize.input_problems import (
    FILE,
    MISSING_KEY,
    InputError,
    Problem,
    format_path,
    problems_from,
    unknown_key_on_path,
)
from periodize.loading import (
    SUFFIXES,
    YAML_VALUE_ERRORS,
    athlete_from_mapping,
    drop_empty_sections,
    looks_like_plan,
    looks_like_roster,
    read_mapping,
    read_text_file,
    yaml_value,
)
from periodize.models.athlete import Athlete, GroupSession, clashing_group_sessions
from periodize.models.rules import Rules


@dataclass
class Entry:
    """One athlete of the group: its plan's file stem, where it came from, its merged data (or
    the problems that stopped it from being read), and the files it is read from (none of
    which a plan or the summary may replace)."""

    key: str
    source: str
    data: dict[str, Any] | None
    problems: list[str] = field(default_factory=list)
    depends_on: list[Path] = field(default_factory=list)
    #: The athlete's name where its problems stopped the data but the name was read (a CSV row
    #: of the wrong length): the summary had shown a blank name for it.
    name: str | None = None


@dataclass
class Roster:
    path: Path
    entries: list[Entry]
    group_sessions: list[dict[str, Any]]


# ---- merging ----------------------------------------------------------------------------------
def merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """``patch`` over ``base``: mappings merge key by key, anything else is replaced."""
    merged = copy.deepcopy(base)
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def with_group_sessions(data: dict[str, Any], sessions: list[dict[str, Any]]) -> dict[str, Any]:
    """The athlete's data with the group's sessions first; its own same-named ones win. An
    athlete's own ``group_sessions: []`` joins none of them: lists replace (the defaults' rule),
    and it had been planned with the group's track session all the same, with no word."""
    if not sessions or data.get("group_sessions", None) == []:
        return data
    own = data.get("group_sessions") or []
    if not isinstance(own, list):
        return data  # the athlete's own problem; validation reports it
    names = {_session_name(s) for s in own} - {None}
    combined = [copy.deepcopy(s) for s in sessions if _session_name(s) not in names] + own
    return {**data, "group_sessions": combined}


def _session_name(session: Any) -> str | None:
    """A session's name where it is text; None for anything else (a list, a session that is
    no mapping), which the athlete's validation then reports at its path."""
    name = session.get("name") if isinstance(session, dict) else None
    return name if isinstance(name, str) else None


_KEY = r"[A-Za-z_][A-Za-z0-9_]*"
_PATH = re.compile(rf"{_KEY}(\[\d+\])*(\.{_KEY}(\[\d+\])*)*")
_PATH_PART = re.compile(rf"({_KEY})|\[(\d+)\]")


#: The largest list index a column may name: a column ``races[1000000].date`` would fill a
#: list of a million entries for one cell.
MAX_COLUMN_INDEX = 999


def parse_path(path: str) -> list[str | int]:
    """``races[0].date`` -> ``['races', 0, 'date']``; ValueError for anything else."""
    text = path.strip()
    if not _PATH.fullmatch(text):
        raise ValueError(f"cannot read column {path!r} as a key path such as races[0].date")
    parts: list[str | int] = [int(index) if index else name for name, index in _PATH_PART.findall(text)]
    if any(isinstance(part, int) and part > MAX_COLUMN_INDEX for part in parts):
        raise ValueError(f"column {path!r}: a list index above {MAX_COLUMN_INDEX}")
    return parts


def overlapping_columns(header: Sequence[str], paths: Sequence[list[str | int] | None]) -> list[Problem]:
    """Each column that names the key of an earlier one, or a key inside it or around it: its
    cells would silently replace the other's (``name,name``: the second name won; ``volume``
    beside ``volume.peak_weekly_minutes``: the volume cell was dropped, and the athlete then
    refused for keys the row does give). Duplicate keys in YAML and JSON are refused alike."""
    whole: dict[tuple[str | int, ...], int] = {}  # each earlier column's path, and its column
    inside: dict[tuple[str | int, ...], int] = {}  # each path that holds an earlier column's
    problems: list[Problem] = []
    for column, parts in enumerate(paths):
        if parts is None:
            continue
        path = tuple(parts)
        outer = next((whole[path[:size]] for size in range(1, len(path)) if path[:size] in whole), None)
        if path in whole:
            problems.append(Problem(f"column {column + 1}", f"{header[column]!r} is also column {whole[path] + 1}: "
                                                            "the later cell would silently win; give each key one column"))
        elif outer is not None or path in inside:
            other = outer if outer is not None else inside[path]
            problems.append(Problem(f"column {column + 1}", f"{header[column]!r} and column {other + 1} "
                                                            f"({header[other]!r}) set the same key, one inside the "
                                                            "other: one cell would silently replace the other"))
        else:
            whole[path] = column
            for size in range(1, len(path)):
                inside.setdefault(path[:size], column)
    return problems


def set_path(data: dict[str, Any], parts: list[str | int], value: Any) -> None:
    """Set ``value`` at ``parts``, creating mappings and list slots on the way."""
    node: Any = data
    for here, after in zip(parts, parts[1:], strict=False):
        empty: Any = [] if isinstance(after, int) else {}
        if isinstance(here, int):
            if not isinstance(node, list):
                raise ValueError("a list index where the data holds no list")
            while len(node) <= here:
                node.append(None)
            if not isinstance(node[here], (dict, list)):
                node[here] = empty
            node = node[here]
        else:
            if not isinstance(node, dict):
                raise ValueError("a key where the data holds no mapping")
            if not isinstance(node.get(here), (dict, list)):
                node[here] = empty
            node = node[here]
    last = parts[-1]
    if isinstance(last, int):
        if not isinstance(node, list):
            raise ValueError("a list index where the data holds no list")
        while len(node) <= last:
            node.append(None)
        node[last] = value
    else:
        if not isinstance(node, dict):
            raise ValueError("a key where the data holds no mapping")
        node[last] = value


def cell_value(text: str) -> Any:
    """A CSV cell as a YAML value: ``240`` -> 240, ``2027-04-18`` -> a date, ``[tue, thu]`` a list.
    A cell YAML cannot read (``2027-02-30``, ``!!int abc``) stays text, which the athlete's
    validation reports at its path on that row."""
    try:
        return yaml_value(text)
    except (InputError, yaml.YAMLError, *YAML_VALUE_ERRORS, RecursionError):
        return text


# ---- keys (plan file stems) -------------------------------------------------------------------
def slug(name: str) -> str:
    """A file stem from an athlete's name: ``Kim O'Neil`` -> ``kim-o-neil``, ``Zoë Ünal`` ->
    ``zoe-unal`` (accents dropped, not the letters: it was ``zo-nal``), ``李娜`` -> ``李娜`` and
    ``Ольга Петрова`` -> ``ольга-петрова``: letters of every script kept, as a folder's file
    names are (they had become ``athlete``, ``athlete-2``, ... by roster order)."""
    plain = "".join(char for char in unicodedata.normalize("NFKD", name) if not unicodedata.combining(char))
    text = re.sub(r"[\W_]+", "-", plain.lower()).strip("-")
    # At most SLUG_BYTES of UTF-8, whole characters: a 360-character name was solved and then
    # failed as its plan's file name ("File name too long": most file systems stop at 255 bytes).
    text = text.encode()[:SLUG_BYTES].decode(errors="ignore").rstrip("-")
    return text or "athlete"


#: A key's longest UTF-8 form: room in a 255-byte file name for "-2", ".json" and the atomic
#: write's temporary suffix.
SLUG_BYTES = 120


def _unique(key: str, taken: set[str]) -> str:
    candidate, number = key, 2
    while candidate in taken:
        candidate, number = f"{key}-{number}", number + 1
    taken.add(candidate)
    return candidate


# ---- reading ------------------------------------------------------------------------------------
def read_defaults(path: Path | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The shared defaults and the group sessions they carry; InputError when unreadable."""
    if path is None:
        return {}, []
    defaults = read_mapping(path, what="defaults")
    return _split_sessions(defaults, str(path))


def _split_sessions(defaults: Any, where: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if not isinstance(defaults, dict):
        raise InputError([_in_defaults(Problem("defaults" if where == "defaults" else FILE,
                                               "expected a mapping of athlete keys"), where)])
    defaults = dict(defaults)
    sessions = defaults.pop("group_sessions", None) or []
    if not isinstance(sessions, list) or not all(isinstance(s, dict) for s in sessions):
        raise InputError([_in_defaults(Problem("group_sessions", "expected a list of sessions such as "
                                                                 "{name: track, day: tue, run: quality}"), where)])
    # Checked here, once: copied into every athlete, a misspelt session failed each of them
    # (exit 5, the path under every athlete) rather than the group (exit 2).
    problems: list[Problem] = []
    for index, session in enumerate(sessions):
        try:
            GroupSession.model_validate(session)
        except ValidationError as error:
            problems += [_in_defaults(problem, where)
                         for problem in problems_from(error, GroupSession, ("group_sessions", index))]
    if not problems:
        # Two of one name or on one weekday: copied into every athlete, the clash had failed
        # each of them (exit 5) rather than the group (exit 2).
        problems += [_in_defaults(Problem(format_path(loc), message), where)
                     for loc, message in clashing_group_sessions([GroupSession.model_validate(s) for s in sessions])]
    if where == "defaults":  # a roster's own defaults: at their path in the roster
        problems += default_value_problems(defaults, ("defaults",))
    else:
        problems += [_in_defaults(problem, where) for problem in default_value_problems(defaults)]
    if problems:
        raise InputError(problems)
    return defaults, sessions


def _in_defaults(problem: Problem, where: str) -> Problem:
    """A problem of the defaults where they were read: a ``--defaults`` file named as every
    file is, before the path ("odd.yaml: availability.mon: ...", where it had read
    "availability.mon: odd.yaml: ..."); a roster's own ``defaults:`` or ``group_sessions:``
    (``where`` "defaults" or "") as they are, the roster's file named by ``read_group``."""
    if where == "":
        return problem
    if where == "defaults":
        return problem if problem.path.startswith("defaults") else replace(problem, path=f"defaults.{problem.path}")
    return Problem(problem.path, problem.message, file=where)


def default_value_problems(defaults: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[Problem]:
    """What is wrong with the values the defaults give, each against its field (a partial
    athlete: keys they leave out are not missing). Checked once for the group, because an
    athlete's own value hides a wrong default: ``peak_weekly_minutes: 3O0`` went unreported
    until an athlete without their own value came. Checks between fields are left to each
    athlete's whole file, where an athlete's values may settle them."""
    def is_the_value(item: Any) -> bool:
        """A problem with a value the defaults give: not a key they leave out, not a check
        between fields (it sits on the mapping holding them: ``runs_per_week``'s min above its
        max), which an athlete's own values may settle; an unknown key always."""
        if item["type"] == "extra_forbidden":
            return True
        return item["type"] != "missing" and bool(item["loc"]) and not isinstance(_at(defaults, item["loc"]), dict)

    try:
        Athlete.model_validate(drop_empty_sections(defaults, Athlete), by_name=False)  # as athlete_from_mapping
    except ValidationError as error:
        return problems_from(error, Athlete, prefix, keep=is_the_value)
    return []


def _at(data: Any, loc: tuple[Any, ...]) -> Any:
    """The value at a pydantic error's location in ``data``; None where the path leaves it."""
    for part in loc:
        inside = (isinstance(data, dict) and part in data) or (
            isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data))
        if not inside:
            return None
        data = data[part]
    return data


def read_group(group: Path, defaults_file: Path | None = None) -> Roster:
    """The athletes of a folder, YAML roster or CSV roster; InputError if the group itself is
    unreadable (each athlete's own problems stay in its entry)."""
    group = Path(group)
    defaults, sessions = read_defaults(defaults_file)
    shared = [defaults_file] if defaults_file is not None else []
    if group.is_dir():
        entries = _folder_entries(group, defaults, sessions, shared)
    elif not group.exists():
        raise InputError([Problem(FILE, f"group not found: {group} (give a folder of athlete files or a roster)")])
    elif group.suffix.lower() == ".csv":
        entries = _csv_entries(group, defaults, sessions, shared)
    elif group.suffix.lower() in SUFFIXES:
        try:
            entries, sessions = _yaml_entries(group, defaults, sessions, shared)
        except InputError as error:  # the roster's own problems (its defaults, its group sessions): named by it
            raise InputError([problem if problem.file or problem.path == FILE else replace(problem, file=str(group))
                              for problem in error.problems]) from None
    else:
        raise InputError([Problem(FILE, f"cannot tell the format of {group.name!r}: give a folder, "
                                        "a .yaml/.yml/.json/.toml roster or a .csv roster")])
    return Roster(group, entries, sessions)


def _from_file(path: Path, key: str, source: str, defaults: dict[str, Any], sessions: list[dict[str, Any]],
               patch: dict[str, Any] | None, depends: list[Path],
               assignments: Sequence[tuple[list[str | int], Any]] = (), advice: str = "") -> Entry:
    """The entry of an athlete file; ``advice`` follows the line that says it is a plan or a
    roster, not an athlete's file."""
    try:
        data = read_mapping(path, what="athlete")
    except InputError as error:
        # The entry is named by its file already (its source): the problems without it.
        return Entry(key, source, None, [str(replace(problem, file=None)) for problem in error.problems], depends)
    other = "plan" if looks_like_plan(data) else "roster" if looks_like_roster(data) else None
    if other is not None:
        # As ``load_athlete`` says it, not "name: required key is missing ... (and 12 more)":
        # a plan saved beside the athlete files of a folder had been read as a broken athlete.
        return Entry(key, source, None, [f"{path.name} is a {other}, not an athlete file{advice}"], depends)
    data = merge(defaults, data)
    if patch:
        data = merge(data, patch)
    try:
        for parts, value in assignments:
            set_path(data, parts, value)
    except ValueError as error:
        return Entry(key, source, None, [str(error)], depends)
    return Entry(key, source, with_group_sessions(data, sessions), [], depends)


def _folder_entries(folder: Path, defaults: dict[str, Any], sessions: list[dict[str, Any]],
                    shared: list[Path]) -> list[Entry]:
    try:
        files = sorted(p for p in folder.iterdir()
                       if p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "_")) and not p.is_dir())
    except OSError as error:
        raise InputError([Problem(FILE, f"cannot read {folder}: {error.strerror or error}")]) from None
    if not files:
        raise InputError([Problem(FILE, f"{folder} holds no athlete files (.yaml, .yml, .json, .toml)")])
    taken: set[str] = set()
    advice = "; a folder's files whose names start with _ or . are left out"
    return [_from_file(path, _unique(path.stem, taken), path.name, defaults, sessions, None, [path, *shared], advice=advice)
            for path in files]


def _yaml_entries(roster: Path, defaults: dict[str, Any], sessions: list[dict[str, Any]],
                  shared: list[Path]) -> tuple[list[Entry], list[dict[str, Any]]]:
    data = read_mapping(roster, what="roster")
    if "athletes" not in data:
        raise InputError([Problem(FILE, f"{roster.name} is not a roster: it needs an athletes: list "
                                        "(to plan one athlete, use periodize solve)")])
    unknown = sorted(set(data) - {"defaults", "group_sessions", "athletes"})
    # Named with the roster's file, as an athlete file's problems are ("athletes: the list is
    # empty" had named no file).
    if unknown:
        raise InputError([Problem(key, "unknown roster key; a roster has defaults, group_sessions and athletes",
                                  file=str(roster)) for key in unknown])
    athletes = data["athletes"]
    if not isinstance(athletes, list):
        raise InputError([Problem("athletes", "expected a list of athletes (file: ... or an inline athlete)",
                                  file=str(roster))])
    if not athletes:
        raise InputError([Problem("athletes", "the list is empty: name at least one athlete (file: ... or an inline "
                                              "athlete)", file=str(roster))])
    own_defaults, own_sessions = _split_sessions(data.get("defaults") or {}, "defaults")
    if "group_sessions" in own_defaults:
        own_sessions = own_sessions + own_defaults.pop("group_sessions")
    _, listed = _split_sessions({"group_sessions": data.get("group_sessions")}, "")
    defaults = merge(defaults, own_defaults)
    # Each list is checked on its own above; a clash between them (the --defaults file's track
    # session and the roster's) is the group's too, named where each session stands.
    places = ([f"group_sessions[{index}] of {shared[0]}" for index in range(len(sessions))]
              + [f"defaults.group_sessions[{index}]" for index in range(len(own_sessions))]
              + [f"group_sessions[{index}]" for index in range(len(listed))])
    sessions = sessions + own_sessions + listed
    clashes = clashing_group_sessions([GroupSession.model_validate(s) for s in sessions], places.__getitem__)
    if clashes:
        raise InputError([Problem(f"{places[int(loc[1])]}.{loc[2]}", message, file=str(roster))
                          for loc, message in clashes])
    depends = [roster, *shared]
    taken: set[str] = set()
    entries: list[Entry] = []
    for index, item in enumerate(athletes):
        where = f"{roster.name}: athletes[{index}]"
        if not isinstance(item, dict):
            entries.append(Entry(_unique(f"athlete-{index + 1}", taken), where, None,
                                 [f"athletes[{index}]: expected a mapping (file: ... or an inline athlete)"], depends))
            continue
        if "file" in item:
            reference = item["file"]
            patch = {k: v for k, v in item.items() if k != "file"}
            if not isinstance(reference, str) or not reference.strip():
                entries.append(Entry(_unique(f"athlete-{index + 1}", taken), where, None,
                                     [f"athletes[{index}].file: expected a file name"], depends))
                continue
            path = (roster.parent / reference).resolve() if not Path(reference).is_absolute() else Path(reference)
            entries.append(_from_file(path, _unique(path.stem, taken), f"{where} ({reference})", defaults, sessions,
                                      patch, [path, *depends]))
            continue
        name = item.get("name")
        key = _unique(slug(name) if isinstance(name, str) else f"athlete-{index + 1}", taken)
        entries.append(Entry(key, where, with_group_sessions(merge(defaults, item), sessions), [], depends))
    return entries, sessions


def _csv_entries(roster: Path, defaults: dict[str, Any], sessions: list[dict[str, Any]],
                 shared: list[Path]) -> list[Entry]:
    text = read_text_file(roster, "roster", "CSV")
    # The text as a stream, as the csv module reads files (newline=""), not ``splitlines()``: that
    # also broke rows at U+2028, \f and other characters no CSV ends a row at (one athlete's
    # "Ana<U+2028>Lee" became two athletes, the second holding the first's cells), and dropped
    # the line break inside a quoted cell ("work trip\nto Oslo" read "work tripto Oslo", where
    # YAML, which reads each cell, folds it into a space).
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as error:  # a cell longer than the csv module reads (131,072 characters)
        raise InputError([Problem(f"row {reader.line_num}", f"{roster.name}: {error}")]) from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise InputError([Problem(FILE, f"{roster.name} is empty; the first row names the columns (name, level, ...)")])
    header = [cell.strip() for cell in rows[0]]
    paths: list[list[str | int] | None] = []
    problems: list[Problem] = []
    for column, title in enumerate(header):
        if not title:
            paths.append(None)
            continue
        try:
            paths.append(parse_path(title))
        except ValueError as error:
            problems.append(Problem(f"column {column + 1}", str(error)))
            paths.append(None)
            continue
        # A mistyped column is every row's: the group's problem, not one athlete's each.
        if paths[-1] != ["file"] and (unknown := unknown_key_on_path(Athlete, paths[-1] or [])):
            problems.append(Problem(f"column {column + 1}", f"{title!r}: {unknown}"))
    problems += overlapping_columns(header, paths)
    # A column without a title whose cells hold values: a header cell deleted by accident had
    # dropped that column's values without a word, the defaults standing in for them.
    for column, title in enumerate(header):
        held = next((number for number, row in enumerate(rows[1:], start=2)
                     if column < len(row) and row[column].strip()), None)
        if not title and held is not None:
            problems.append(Problem(f"column {column + 1}", f"has no title in the first row, but row {held} holds "
                                                            f"{rows[held - 1][column].strip()!r}; name the key it sets"))
    if problems:
        raise InputError(problems)
    # The columns a row must reach: up to the last titled one (a stray comma after the last
    # title adds an empty column no row needs to fill).
    titled = max((column + 1 for column, title in enumerate(header) if title), default=0)
    depends = [roster, *shared]
    taken: set[str] = set()
    entries: list[Entry] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = f"{roster.name}: row {number}"
        assignments: list[tuple[list[str | int], Any]] = []
        row_problems: list[str] = []
        if len(row) > len(header):
            row_problems.append(f"row {number}: {len(row)} cells but {len(header)} columns")
        elif len(row) < titled:
            # A dropped comma shifts the row's cells into the wrong columns, or leaves its last
            # column to the defaults, without a word (more cells had been refused, fewer taken).
            row_problems.append(f"row {number}: {len(row)} cells but {titled} columns (a comma missing? a row "
                                "leaves its last cells empty with their commas, as spreadsheets write it: "
                                "'Ben,320,')")
        for parts, cell in zip(paths, row, strict=False):
            if parts is not None and cell.strip():
                assignments.append((parts, cell_value(cell.strip())))
        values = {parts[0]: value for parts, value in assignments if len(parts) == 1}
        name, reference = values.get("name"), values.get("file")
        assignments = [(parts, value) for parts, value in assignments if parts != ["file"]]
        stem = Path(str(reference)).stem if reference else (slug(name) if isinstance(name, str) else f"row-{number}")
        key = _unique(stem, taken)
        if row_problems:
            entries.append(Entry(key, where, None, row_problems, depends, name=name if isinstance(name, str) else None))
        elif reference:
            path = roster.parent / str(reference)
            entries.append(_from_file(path, key, f"{where} ({reference})", defaults, sessions, None,
                                      [path, *depends], assignments))
        else:
            data = copy.deepcopy(defaults)
            try:
                for parts, value in assignments:
                    set_path(data, parts, value)
            except ValueError as error:
                entries.append(Entry(key, where, None, [f"row {number}: {error}"], depends))
                continue
            entries.append(Entry(key, where, with_group_sessions(data, sessions), [], depends))
    if not entries:
        raise InputError([Problem(FILE, f"{roster.name} has no athlete rows")])
    return entries


# ---- one athlete of a group, for a plan the batch wrote ------------------------------------------
#: Plan names listed at most in a message (a roster of hundreds would fill the screen).
MAX_NAMED = 12


def athlete_of_plan(group: Path, plan_file: Path, plan_athlete: str, defaults_file: Path | None = None) -> tuple[Athlete, Rules]:
    """The athlete a batch planned into ``plan_file``, as the batch saw them: defaults, the
    roster's patch or CSV row and the group's sessions merged in. An athlete written inline in
    a roster has no file of their own, and a patched one is not their file, so this is the only
    way to check such a plan. Found by the athlete's name the plan holds where one entry has
    it (a plan renamed or copied), else by the plan's file name (the batch names plans by
    entry)."""
    roster = read_group(group, defaults_file)
    by_key = next((e for e in roster.entries if e.key == Path(plan_file).stem), None)
    named = [e for e in roster.entries if e.data is not None and e.data.get("name") == plan_athlete]
    # The name the plan holds settles it where the file was renamed or copied (Kim's plan saved
    # as first-10k.json); the file name where names repeat or none matches.
    entry = by_key if by_key in named or len(named) != 1 else named[0]
    if entry is None:
        # The folder's own name: "." (the current folder) has none, and read "no athlete of  has".
        group_name = Path(group).resolve().name or str(group)
        listed = named or roster.entries
        keys = ", ".join(e.key for e in listed[:MAX_NAMED])
        more = f" and {len(listed) - MAX_NAMED} more" if len(listed) > MAX_NAMED else ""
        who = (f"{len(named)} athletes of {group_name} are named {plan_athlete!r} and none has the plan's file "
               f"name {Path(plan_file).stem!r}: give the plan its athlete's file name ({keys}{more})") if named else (
               f"no athlete of {group_name} has the plan's file name {Path(plan_file).stem!r} or the plan's "
               f"athlete {plan_athlete!r} (its plans are named {keys}{more})")
        raise InputError([Problem(FILE, who)])
    if entry.data is None:
        raise InputError([Problem(entry.source, problem) for problem in entry.problems])
    try:
        return athlete_from_mapping(entry.data)
    except InputError as error:
        problems = [Problem(f"{entry.source}: {p.path}", p.message) for p in error.problems]
        if defaults_file is None and any(p.message.startswith(MISSING_KEY) for p in error.problems):
            # a row or file read without the batch's defaults lacks the keys they gave
            problems.append(Problem("--defaults", "not given: if the batch was run with --defaults FILE, "
                                                  "give the same file here"))
        raise InputError(problems) from None


__all__ = ["Entry", "Roster", "athlete_of_plan", "merge", "overlapping_columns", "parse_path", "read_group",
           "set_path", "slug", "with_group_sessions"]
