"""Reading athlete and plan files: parsing, the limits on what is read, and validation.

A runner or coach edits these files by hand, so a mistake must come back as a list of
``path: message`` lines they can act on (``races[1].date: ...``, :mod:`periodize.input_problems`),
never as a pydantic dump or a traceback. All problems found in one pass are reported together,
so fixing a file takes one round trip rather than one per typo.

The format is chosen by the file extension: YAML (.yaml/.yml), JSON (.json) or TOML (.toml).
JSON and TOML carry dates as ISO strings or TOML dates; pydantic parses both the same way.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tomllib
import typing
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from periodize.input_problems import (
    FILE,
    MISSING_KEY,
    InputError,
    Loc,
    Problem,
    describe_value,
    field_type,
    format_path,
    is_model,
    problems_from,
    rule_override_problems,
    unwrap_type,
)
from periodize.models.athlete import Athlete
from periodize.models.plan import Plan
from periodize.models.rules import (
    Rules,
    days_past_a_week,
    level_defaults,
    resolve_rules,
)
from periodize.season import (
    peak_below_a_week,
    races_of_no_minutes,
    recovery_past_limits,
)

#: How deep lists and mappings may nest in an input file: an athlete file nests 4 levels, a
#: roster 6. Far deeper input is refused as one problem, the same whichever parser or stack
#: depth meets it (900 levels overflowed the stack in some callers and not in others).
MAX_NESTING = 64
NESTED_TOO_DEEPLY = f"nested more than {MAX_NESTING} levels deep; no input file of periodize holds that"
#: The largest input file read: a 104-week plan with every exercise is about 1 MB, a roster
#: of a thousand athletes less; a file far beyond is a mistake, read whole into memory.
MAX_INPUT_BYTES = 20_000_000
#: Where to start a file of each kind from, and the keys its top level holds (an empty plan
#: file was told to start from the athlete files in examples/). The examples are in the clone,
#: not in an installed package; ``periodize schema athlete`` is in every installation.
START_FROM = {"athlete": "start from one of the files in examples/ of periodize's clone, or from "
                         "`periodize schema athlete`",
              "plan": "a plan is what `periodize solve --out` writes",
              "scenario": "a scenario holds the athlete file's keys it changes (examples/scenarios/ has one)",
              "roster": "a roster holds athletes: (examples/rosters/ has two)",
              "defaults": "defaults hold athlete keys every athlete of the group shares "
                          "(examples/rosters/group-defaults.yaml)"}
TOP_KEYS = {"athlete": "name: ..., level: ...", "plan": "athlete: ..., status: ..., weeks: ..."}
SUFFIXES: dict[str, str] = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}

# --- public entry points ----------------------------------------------------------------------
def load_athlete(path: Path, data: dict[str, Any] | None = None) -> tuple[Athlete, Rules]:
    """Read and validate an athlete file, and resolve its ``rules:`` overrides; ``data`` is
    the file's content where the caller has read it already.

    Raises :class:`InputError` listing every problem found: file-level ones under ``(file)``,
    field problems under their path, rule overrides under ``rules.<code>.<parameter>``.
    """
    if data is None:
        data = read_mapping(path, what="athlete")
    with _problems_in(path):
        return _athlete_of(path, data)


def _athlete_of(path: Path, data: dict[str, Any]) -> tuple[Athlete, Rules]:
    if looks_like_plan(data):
        # A plan where the athlete file belongs (``validate PLAN ATHLETE``): one line saying
        # so, not a screen of unknown keys.
        raise _file_problem(f"{Path(path).name} is a plan, not an athlete file; the athlete file comes first "
                            "(periodize validate ATHLETE PLAN)")
    if looks_like_roster(data):
        raise _roster_not_athlete(path)
    return athlete_from_mapping(data)


def _roster_not_athlete(path: Path) -> InputError:
    return _file_problem(f"{Path(path).name} is a roster (a group for `periodize batch`), not an athlete file: "
                         "plan it with periodize batch; to check or explain one of its plans, give the plan too "
                         "(periodize validate ROSTER PLAN, periodize explain ROSTER --plan PLAN)")


def looks_like_plan(data: dict[str, Any]) -> bool:
    """A plan (``weeks:`` and ``status:``), not an athlete (who has ``availability:``)."""
    return {"weeks", "status"} <= set(data) and "availability" not in data


def looks_like_roster(data: dict[str, Any]) -> bool:
    """A batch's roster (``athletes:``), not one athlete (who has ``availability:``): an
    athlete file with a stray ``athletes:`` key is still an athlete, its key reported."""
    return "athletes" in data and "availability" not in data


def athlete_from_mapping(raw: dict[str, Any]) -> tuple[Athlete, Rules]:
    """Validate an athlete given as a parsed mapping (a file's content, or a what-if scenario
    patched onto one); problems as :func:`load_athlete` reports them."""
    data = drop_empty_sections(raw, Athlete)
    try:
        # By the keys files spell (``from``), not the model's names for them (``from_`` had
        # been read as ``from``); Python code may still build models by name.
        athlete = Athlete.model_validate(data, by_name=False)
    except ValidationError as error:
        problems = problems_from(error, Athlete)
        problems += rule_override_problems(data.get("rules"), known=problems)
        raise InputError(problems) from None
    try:
        rules = resolve_rules(athlete)
    except ValidationError as error:
        raise InputError(_with_level_defaults(problems_from(error, Rules, prefix=("rules",)), athlete)) from None
    contradictions = races_of_no_minutes(athlete) + days_past_a_week(athlete, rules) + recovery_past_limits(athlete, rules)
    if contradictions:
        raise InputError([Problem(format_path(where), message) for where, message in contradictions])
    # Only once the calendar reads: the check builds the season's skeleton.
    if low_peak := peak_below_a_week(athlete, rules):
        raise InputError([Problem(format_path(where), message) for where, message in low_peak])
    return athlete, rules


def _with_level_defaults(problems: list[Problem], athlete: Athlete) -> list[Problem]:
    """A rule's problem with the numbers the athlete's level or age set for it: a beginner's
    ``P4: {min_sessions: 2}`` read "min_sessions 2 is above max_sessions 1", and nothing in the
    file says 1."""
    defaults = level_defaults(athlete)
    out = []
    for problem in problems:
        # A check across a rule's numbers (``rules.P4``), not one number's own (``rules.P14.easy_min``),
        # with only the defaults the file leaves as they are.
        parts = problem.path.split(".")
        code = parts[1] if len(parts) == 2 and parts[0] == "rules" else ""
        numbers = {name: value for name, value in defaults.get(code, {}).items() if name not in athlete.rules.get(code, {})}
        if numbers:
            set_here = ", ".join(f"{name} {value}" for name, value in numbers.items())
            problem = replace(problem, message=f"{problem.message} (this athlete's defaults for {code}: {set_here})")
        out.append(problem)
    return out


def load_plan(path: Path, option: str | None = None) -> Plan:
    """Read and validate a plan file (normally the JSON ``periodize solve --out`` writes);
    ``option`` is the command-line option that named it (``--plan``), if one did."""
    data = read_mapping(path, what="plan", option=option)
    if "weeks" not in data and {"availability", "volume"} <= set(data):
        raise _file_problem(f"{Path(path).name} is an athlete file, not a plan; a plan is what "
                            "`periodize solve --out` writes")
    with _problems_in(path):
        problems: list[Problem] = []
        if "weeks" not in data and data.get("status") in ("optimal", "feasible"):
            # A plan found lists its weeks; without the key, the file had been read as a plan
            # of no weeks, and validate reported P1 (exit 1) where the file is what is wrong.
            problems.append(Problem("weeks", f"{MISSING_KEY} (a plan whose status is {data['status']!r} "
                                             "lists its weeks)"))
        try:
            plan = Plan.model_validate(data)
        except ValidationError as error:
            problems[:0] = problems_from(error, Plan)
        if problems:
            raise InputError(problems)
        return plan


def drop_empty_sections(data: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    """Treat an optional key left empty (``exceptions:`` with every entry commented out) as
    absent, so it takes its default instead of failing as "expected a list, got nothing".
    Applied to nested models and lists of models too; required keys are left for pydantic."""
    cleaned: dict[str, Any] = {}
    for key, value in data.items():
        known, annotation = field_type(model, key) if isinstance(key, str) else (False, None)
        if not known:
            cleaned[key] = value
            continue
        field = next(f for name, f in model.model_fields.items() if key in (name, f.alias))
        if value is None and not field.is_required():
            continue
        inner = unwrap_type(annotation)
        if is_model(inner) and isinstance(value, dict):
            value = drop_empty_sections(value, inner)
        elif typing.get_origin(inner) is list and isinstance(value, list):
            item_type = unwrap_type(typing.get_args(inner)[0]) if typing.get_args(inner) else None
            if is_model(item_type):
                value = [drop_empty_sections(item, item_type) if isinstance(item, dict) else item for item in value]
        cleaned[key] = value
    return cleaned


# --- reading ----------------------------------------------------------------------------------
@contextmanager
def _problems_in(path: Path) -> Iterator[None]:
    """Problems raised inside name ``path`` as given, unless they name it already (``plan.json
    is empty``) or another file."""
    try:
        yield
    except InputError as error:
        raise InputError([problem if problem.file or Path(path).name in problem.message
                          else replace(problem, file=str(path)) for problem in error.problems]) from None


def read_mapping(path: Path, what: str = "input", option: str | None = None) -> dict[str, Any]:
    """Parse a file into a dict, or raise :class:`InputError` with one ``(file)`` problem; its
    format is told by its suffix (a plan's by :func:`_format_of`). A file not found is named
    by ``option``, the command-line option that gave its path, where one did ("--plan: plan
    file not found: x.json"; "plan file not found" alone had not said which option to fix)."""
    with _problems_in(path):
        return _read_mapping(Path(path), what, option)


def _format_of(path: Path, what: str) -> str | None:
    """The parser for ``path``: its suffix's, None where the suffix tells none. A plan is the
    JSON ``solve --out`` writes whatever it is called (plan.out, plan.toml), so it is read as
    JSON unless its suffix says YAML, which reads JSON too (a plan converted to YAML reads as
    well). "use .yaml, .yml, .json or .toml" had refused a plan saved as plan.out, and a JSON
    plan saved as plan.toml had met a TOML syntax error."""
    kind = SUFFIXES.get(path.suffix.lower())
    if what == "plan" and kind != "yaml":
        return "json"
    return kind


def read_text_file(path: Path, what: str, kind: str, option: str | None = None) -> str:
    """The text of an input file, refused as one problem where it is no text file to read: not
    a regular file (a FIFO waits for a writer for ever, /dev/zero never ends), larger than any
    input, binary, or not UTF-8. ``what`` names the file for the messages (athlete, roster,
    ...), ``kind`` its format (YAML, CSV); ``option``: as ``read_mapping``'s. Athlete, plan and
    roster files alike: a CSV roster had been read without these checks (a FIFO hung the batch;
    UTF-16 read "'utf-8' codec can't decode byte 0xff")."""
    try:
        found = os.stat(path)
    except OSError as error:
        raise _file_problem(f"cannot read {path}: {error.strerror or error}") from None
    if not stat.S_ISREG(found.st_mode):  # a FIFO waits for a writer for ever, /dev/zero never ends
        raise _file_problem(f"{path.name} is not a regular file (a device or a pipe); give the {what} file itself")
    if found.st_size > MAX_INPUT_BYTES:
        raise _file_problem(f"{path.name} is {found.st_size:,} bytes, more than any {what} file holds "
                            f"(at most {MAX_INPUT_BYTES:,})")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _not_found(path, what, option) from None
    except OSError as error:
        raise _file_problem(f"cannot read {path}: {error.strerror or error}") from None
    if b"\x00" in raw:
        raise _file_problem(f"{path.name} is a binary file, not {_article(kind.lower())} {kind} {what} file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _file_problem(
            f"{path.name} is not UTF-8 text (byte 0x{raw[error.start]:02x} at position {error.start}); "
            f"save it as UTF-8"
        ) from None
    return text


def _read_mapping(path: Path, what: str, option: str | None = None) -> dict[str, Any]:
    if not path.exists():
        raise _not_found(path, what, option)
    if path.is_dir():
        raise _file_problem(f"{path} is a folder, not {_article(what)} {what} file")
    kind = _format_of(path, what)
    if kind is None and what == "athlete" and path.suffix.lower() == ".csv":
        # A CSV roster where an athlete file belongs: "cannot tell the format" of a file
        # ``batch`` reads.
        raise _roster_not_athlete(path)
    if kind is None:
        raise _file_problem(f"cannot tell the format of {path.name!r}: use .yaml, .yml, .json or .toml")
    text = read_text_file(path, what, kind.upper(), option)
    if not text.strip():
        raise _file_problem(f"{path.name} is empty; {START_FROM.get(what, START_FROM['athlete'])}")
    data = _parsed(text, kind, written_as=SUFFIXES.get(path.suffix.lower()))
    if _deeper_than(data, MAX_NESTING):
        raise _file_problem(NESTED_TOO_DEEPLY)
    if data is None:  # only comments, or a bare null (~)
        start = START_FROM.get(what, START_FROM["athlete"])
        raise _file_problem(f"{path.name} holds no keys, only comments or null; {start}")
    if not isinstance(data, dict):
        keys = TOP_KEYS.get(what, TOP_KEYS["athlete"])
        raise _file_problem(f"the top level must be a mapping of keys ({keys}), got {describe_value(data)}")
    if kind == "yaml":  # JSON and TOML keys are always text
        problems = [Problem(format_path(where), f"key {_yaml_text(key)} is not text; put it in quotes")
                    for where, key in _keys_not_text(data)]
        if problems:
            raise InputError(problems)
    return data


def _parsed(text: str, kind: str, *, written_as: str | None) -> Any:
    """``text`` parsed as ``kind``; where that fails and the file's suffix names another
    format (a plan is read as JSON whatever its suffix, ``_format_of``), as that format. An
    athlete's TOML file given as the plan had read "JSON syntax error: Expecting value"; read as
    TOML, it is named as an athlete file. Where both fail, ``kind``'s error is said."""
    try:
        return _PARSERS[kind](text)
    except InputError as error:
        if written_as is None or written_as == kind:
            raise
        first = error
    try:
        return _PARSERS[written_as](text)
    except InputError:
        raise first from None


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether lists and mappings nest more than ``limit`` levels (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            if depth >= limit:
                return True
            stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return False


def _keys_not_text(data: Any) -> list[tuple[Loc, Any]]:
    """Where a mapping has a key that is not text (YAML reads ``yes:``, ``1:``, ``~:`` and
    ``2027-01-01:`` as a boolean, a number, null and a date), and the key, mapping by
    mapping: pydantic's own message names no key (``Keys should be strings``)."""
    found: list[tuple[Loc, Any]] = []
    stack: list[tuple[Loc, Any]] = [((), data)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, dict):
            found.extend((where, key) for key in node if not isinstance(key, str))
            stack.extend((where + (key,), value) for key, value in node.items() if isinstance(key, str))
        elif isinstance(node, list):
            stack.extend((where + (index,), value) for index, value in enumerate(node))
    return sorted(found, key=lambda item: format_path(item[0]))


def _yaml_text(value: Any) -> str:
    """A value as YAML writes it: ``true``, ``null``, ``2027-01-01``, ``1``."""
    if isinstance(value, bool):
        return str(value).lower()
    return "null" if value is None else str(value)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _file_problem(message: str) -> InputError:
    return InputError([Problem(FILE, message)])


def _not_found(path: Path, what: str, option: str | None) -> InputError:
    """A missing file, named by the option that gave its path where one did (``read_mapping``)."""
    return InputError([Problem(option or FILE, f"{what} file not found: {path}")])


#: What PyYAML's constructors raise, with no place in the file, for a value its tag cannot
#: read (``!!int abc``, ``2027-02-30``, an integer of thousands of digits, ``!!bool maybe``).
YAML_VALUE_ERRORS: tuple[type[Exception], ...] = (ValueError, KeyError, TypeError, OverflowError)


#: libyaml's parser where PyYAML has it (its wheels do): the same nodes, four times faster
#: than the pure-Python one on a 2 MB file (3.0 s against 12.4).
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictYamlLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """SafeLoader that rejects duplicate keys, which plain YAML loading silently overwrites,
    and reports a value its tag cannot read (``!!int abc``, ``2027-02-30``, an integer of
    thousands of digits) at its line and column: PyYAML's constructors raise plain Python
    errors there, with no place in the file."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except YAML_VALUE_ERRORS as error:
            tag = _TAG_NAMES.get(node.tag.rsplit(":", 1)[-1], node.tag.rsplit(":", 1)[-1])
            value = node.value if isinstance(node.value, str) else "this value"
            shown = repr(value if len(value) <= 40 else value[:37] + "...")
            raise _NodeProblem(node, f"cannot read {shown} as {_article(tag)} {tag}: {_reason(error)}") from None


class _NodeProblem(Exception):
    """A YAML value that cannot be read, at its node: ``yaml_value`` finds the node's path in
    the file (``races[1].date``), which the constructor, building values bottom-up, does not
    know. A runner had read "line 29, column 11: cannot read '2027-02-30' as a date" with no
    field named."""

    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.node, self.message = node, message


#: YAML's tag names as a reader knows them.
_TAG_NAMES = {"timestamp": "date", "int": "whole number", "float": "number", "bool": "true/false value"}


#: The tag of YAML's merge key ``<<``, whose value's keys a mapping takes in below its own.
_MERGE_TAG = "tag:yaml.org,2002:merge"


def _construct_mapping_no_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    """A mapping, refused where it gives a key twice itself (``<<`` too). Keys a merge (``<<:
    *base``, or ``<<: [*a, *b]``) brings in are not its own: its own keys override them, and of
    a list of merged mappings the earlier wins, as YAML's merge type defines. The merge is done
    here, not by PyYAML: its 6.0.4 lets the later of ``[*a, *b]`` win, and its flattening built
    an inline merged mapping without this check (``<<: {mon: 60, mon: 5}`` was accepted)."""
    merges = [pair for pair in node.value if pair[0].tag == _MERGE_TAG]
    if len(merges) > 1:
        raise _NodeProblem(merges[1][0], DUPLICATE_KEY.format(key="<<"))
    merged: dict[Any, Any] = {}
    for _, value_node in merges:
        parts = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        for part in reversed(parts):  # the earlier mapping last, so that it wins
            if not isinstance(part, yaml.MappingNode):
                raise _NodeProblem(part, "a merge (<<) takes a mapping or a list of mappings")
            merged.update(loader.construct_object(part, deep=True))
    own = [pair for pair in node.value if pair[0].tag != _MERGE_TAG]
    seen: set[Any] = set()
    for key_node, _ in own:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in seen
        except TypeError:  # an unhashable key; construct_mapping reports it
            continue
        if duplicate:
            raise _NodeProblem(key_node, DUPLICATE_KEY.format(key=key))
        seen.add(key)
    own_node = yaml.MappingNode(node.tag, own, node.start_mark, node.end_mark, node.flow_style)
    return {**merged, **loader.construct_mapping(own_node, deep=True)}


_StrictYamlLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping_no_duplicates)

#: Numbers in exponent notation as YAML 1.2, JSON and TOML write them (``1e3``, ``2.5E-2``):
#: PyYAML reads YAML 1.1, whose floats need a dot and a signed exponent, so ``weight: 1e3`` was
#: the text "1e3" and refused as "expected a whole number", while ``1e-9`` passed as text
#: pydantic then parsed. Quoted, they stay text.
EXPONENT_NUMBER = re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$")
_StrictYamlLoader.add_implicit_resolver("tag:yaml.org,2002:float", EXPONENT_NUMBER, list("-+.0123456789"))


#: Numbers as YAML 1.2 (and JSON and TOML) read them, not as PyYAML's YAML 1.1: a leading zero
#: is no octal (``peak_weekly_minutes: 0200`` was 128 and ``wed: 045`` 37, planned without a
#: word, while ``090``, no octal, was text and refused "write it without quotes"), and colons
#: make no base-60 number (``expected_minutes: 45:30``, a runner's mm:ss, was 2,730 minutes and
#: refused as 273 min/km with no word of the colon; a note of ``6:30`` was 390 and refused as
#: "expected text"). Whole numbers with leading zeros read as decimals; ``45:30`` is text, which
#: a text field takes and a number field refuses with what to write (``input_problems``).
DECIMAL_WITH_LEADING_ZEROS = re.compile(r"^[-+]?0[0-9]+$")
_StrictYamlLoader.add_implicit_resolver("tag:yaml.org,2002:int", DECIMAL_WITH_LEADING_ZEROS, list("-+0"))
#: A signed fraction without its leading zero (``+.5``, ``-.25``): a number in YAML 1.2, text in
#: 1.1, then refused as "write it without quotes", which it had none of.
SIGNED_POINT_FRACTION = re.compile(r"^[-+]\.[0-9]+(?:[eE][-+]?[0-9]+)?$")
_StrictYamlLoader.add_implicit_resolver("tag:yaml.org,2002:float", SIGNED_POINT_FRACTION, list("-+"))


def _no_yaml_1_2_number(text: str) -> bool:
    """Whether YAML 1.1 reads ``text`` as a number where YAML 1.2 (and JSON) read text: a clock
    (``45:30``, base 60 in 1.1), a binary (``0b11101`` was 29) or digits grouped by underscores
    (``2_9`` was 29, ``1_000.5`` 1000.5). Text, a number field says what it takes."""
    return ":" in text or "_" in text or text.lstrip("+-").lower().startswith("0b")


def _construct_int_as_yaml_1_2(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | str:
    text = str(loader.construct_scalar(node))
    if _no_yaml_1_2_number(text):
        return text
    if DECIMAL_WITH_LEADING_ZEROS.match(text):
        return int(text, 10)
    return int(yaml.constructor.SafeConstructor.construct_yaml_int(loader, node))


def _construct_float_as_yaml_1_2(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float | str:
    text = str(loader.construct_scalar(node))
    return text if _no_yaml_1_2_number(text) else float(yaml.constructor.SafeConstructor.construct_yaml_float(loader, node))


_StrictYamlLoader.add_constructor("tag:yaml.org,2002:int", _construct_int_as_yaml_1_2)
_StrictYamlLoader.add_constructor("tag:yaml.org,2002:float", _construct_float_as_yaml_1_2)

#: A key given twice in one mapping: YAML and JSON loaders keep the second value silently (a
#: JSON athlete file with ``"mon": 60, "mon": 10`` was planned on 10 minutes).
DUPLICATE_KEY = "duplicate key {key!r} (the second one would silently win)"


def _node_path(root: yaml.Node, target: yaml.Node) -> Loc | None:
    """Where ``target`` sits under ``root`` as the file spells it (``('races', 1, 'date')``): a
    key node is placed at the key it names. ``None`` where it is under no text key (an alias's
    copy is found at its first place)."""
    stack: list[tuple[yaml.Node, Loc]] = [(root, ())]
    seen: set[int] = set()
    while stack:
        node, loc = stack.pop()
        if node is target:
            return loc
        if id(node) in seen:
            continue
        seen.add(id(node))
        # Children pushed last first, so that they are searched in the file's order and an
        # alias's node is found where it is written, not where it is copied to.
        if isinstance(node, yaml.SequenceNode):
            stack.extend(reversed([(child, loc + (index,)) for index, child in enumerate(node.value)]))
        elif isinstance(node, yaml.MappingNode):
            children: list[tuple[yaml.Node, Loc]] = []
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    continue
                if key is target:
                    return loc + (key.value,)
                children.append((value, loc + (key.value,)))
            stack.extend(reversed(children))
    return None


def _reason(error: Exception) -> str:
    """An error's message for a reader: a missing key's bare name, not its quoted repr, and
    Python's limit on integer digits in words."""
    if isinstance(error, KeyError) and error.args:
        return f"{error.args[0]!s} is not a value it knows"
    if "integer string conversion" in str(error):
        return "more digits than any number periodize reads (4300)"
    return str(error)


#: The most values a YAML file may expand to through its aliases: an athlete file holds a few
#: hundred, a roster of hundreds of athletes some tens of thousands. Nine aliases of nine
#: aliases, eight deep, expand to 43 million and took 51 s to refuse as a wrong athlete.
MAX_YAML_VALUES = 1_000_000


def _expanded_size(node: yaml.Node, sizes: dict[int, int], open_nodes: set[int]) -> int:
    """How many values ``node`` stands for once its aliases are copied out (aliases share one
    node, so each is sized once); a node inside itself is refused, as it has no end."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    if id(node) in open_nodes:
        raise _file_problem(f"line {node.start_mark.line + 1}, column {node.start_mark.column + 1}: "
                            "a YAML alias refers to the value it is part of")
    open_nodes.add(id(node))
    children: list[yaml.Node] = []
    if isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    elif isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    size = 1
    for child in children:
        size += _expanded_size(child, sizes, open_nodes)
        if size > MAX_YAML_VALUES:
            raise _file_problem(f"line {node.start_mark.line + 1}, column {node.start_mark.column + 1}: this value "
                                f"holds more than {MAX_YAML_VALUES:,} values (its aliases copied out), more than any "
                                "athlete file or roster needs")
    open_nodes.discard(id(node))
    sizes[id(node)] = size
    return size


def yaml_value(text: str) -> Any:
    """A YAML text's value as the files are read (duplicate keys refused, aliases sized before
    they are copied out; for a CSV roster's cells too): ``yaml.load`` in its two steps, so that
    the node tree is sized before it is built."""
    loader = _StrictYamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node, {}, set())
        try:
            return loader.construct_document(node)
        except _NodeProblem as problem:
            mark = problem.node.start_mark
            message = f"line {mark.line + 1}, column {mark.column + 1}: {problem.message}"
            where = _node_path(node, problem.node)
            raise InputError([Problem(format_path(where) if where else FILE, message)]) from None
    finally:
        loader.dispose()


def _parse_yaml(text: str) -> Any:
    try:
        return yaml_value(text)
    except RecursionError:
        raise _file_problem(NESTED_TOO_DEEPLY) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        detail = error.problem or error.context or "not valid YAML"
        if mark is not None and _at(text, mark) == "\t":  # "found character '\t' that cannot start any token"
            detail = "a tab; YAML indents with spaces only"
        raise _file_problem(f"{where}YAML syntax error: {detail}") from None
    except yaml.YAMLError as error:
        raise _file_problem(f"YAML syntax error: {error}") from None


class _Duplicated(dict[str, Any]):
    """A JSON object that gave a key twice: ``json`` builds objects bottom-up, so the object
    is marked here and ``_refuse_duplicates`` names its path once the whole value is read."""

    duplicates: list[str]


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``json``'s object hook: the object, marked (``_Duplicated``) where a key repeats. Linear
    in the keys: counting each key's repeats had taken 23 s on an object of 40,000 keys."""
    value = dict(pairs)
    if len(value) == len(pairs):
        return value
    marked = _Duplicated(value)
    marked.duplicates = [key for key, count in Counter(key for key, _ in pairs).items() if count > 1]
    return marked


def _refuse_duplicates(value: Any) -> None:
    """Every key a JSON object gives twice, at the object's path, as YAML's are refused."""
    problems: list[Problem] = []
    stack: list[tuple[Any, Loc]] = [(value, ())]
    while stack:
        item, loc = stack.pop()
        if isinstance(item, _Duplicated):
            problems += [Problem(format_path(loc + (key,)), DUPLICATE_KEY.format(key=key)) for key in item.duplicates]
        if isinstance(item, dict):
            stack.extend((child, loc + (key,)) for key, child in reversed(list(item.items())))
        elif isinstance(item, list):
            stack.extend((child, loc + (index,)) for index, child in reversed(list(enumerate(item))))
    if problems:
        raise InputError(problems)


def _at(text: str, mark: yaml.Mark) -> str:
    """The character at a YAML mark (its line and column), or "" past the text."""
    lines = text.split("\n")  # as YAML counts lines (splitlines also breaks at a form feed)
    line = lines[mark.line] if mark.line < len(lines) else ""
    return line[mark.column] if mark.column < len(line) else ""


def _parse_json(text: str) -> Any:
    marked: list[_Duplicated] = []

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        built = _json_object(pairs)
        if isinstance(built, _Duplicated):
            marked.append(built)
        return built

    try:
        value = json.loads(text, object_pairs_hook=hook)
    except json.JSONDecodeError as error:
        raise _file_problem(f"line {error.lineno}, column {error.colno}: JSON syntax error: {error.msg}") from None
    except RecursionError:
        raise _file_problem(NESTED_TOO_DEEPLY) from None
    except ValueError as error:  # an integer of thousands of digits
        raise _file_problem(f"JSON value error: {_reason(error)}") from None
    if marked:  # the walk only where some object repeated a key
        _refuse_duplicates(value)
    return value


def _parse_toml(text: str) -> Any:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # Python 3.11 puts "(at line N, column M)" inside the message itself.
        raise _file_problem(f"TOML syntax error: {error}") from None
    except RecursionError:
        raise _file_problem(NESTED_TOO_DEEPLY) from None
    except ValueError as error:  # an integer of thousands of digits
        raise _file_problem(f"TOML value error: {_reason(error)}") from None


_PARSERS: dict[str, Callable[[str], Any]] = {"yaml": _parse_yaml, "json": _parse_json, "toml": _parse_toml}


__all__ = [
    "athlete_from_mapping",
    "drop_empty_sections",
    "load_athlete",
    "load_plan",
    "looks_like_plan",
    "looks_like_roster",
    "read_mapping",
    "read_text_file",
    "yaml_value",
]
