"""Reading athlete and plan files, and turning every way they can be wrong into plain problems.

A runner or coach edits these files by hand, so a mistake must come back as a list of
``path: message`` lines they can act on (``races[1].date: ...``), never as a pydantic dump or a
traceback. All problems found in one pass are reported together, so fixing a file takes one
round trip rather than one per typo.

The format is chosen by the file extension: YAML (.yaml/.yml), JSON (.json) or TOML (.toml).
JSON and TOML carry dates as ISO strings or TOML dates; pydantic parses both the same way.
"""

from __future__ import annotations

import difflib
import json
import os
import stat
import tempfile
import tomllib
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeGuard

import yaml
from pydantic import BaseModel, ValidationError

from periodize.models.athlete import Athlete, CalendarError
from periodize.models.plan import Plan
from periodize.models.rules import HARD_RULE_CODES, Rules, resolve_rules

FILE = "(file)"
#: How deep lists and mappings may nest in an input file: an athlete file nests 4 levels, a
#: roster 6. Far deeper input is refused as one problem, the same whichever parser or stack
#: depth meets it (900 levels overflowed the stack in some callers and not in others).
MAX_NESTING = 64
NESTED_TOO_DEEPLY = f"nested more than {MAX_NESTING} levels deep; no input file of periodize holds that"
#: The largest input file read: a 104-week plan with every exercise is about 1 MB, a roster
#: of a thousand athletes less; a file far beyond is a mistake, read whole into memory.
MAX_INPUT_BYTES = 20_000_000
#: Where to start a file of each kind from, and the keys its top level holds (an empty plan
#: file was told to start from the athlete files in examples/).
START_FROM = {"athlete": "start from one of the files in examples/",
              "plan": "a plan is what `periodize solve --out` writes"}
TOP_KEYS = {"athlete": "name: ..., level: ...", "plan": "athlete: ..., status: ..., weeks: ..."}
SUFFIXES: dict[str, str] = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file: where (``races[1].date``, ``(file)``) and what, and
    in which file where it was read from one (:func:`_problems_in`). A file-level problem reads
    as its message alone, after the file's name: "(file): line 3, column 1: ..." had named
    neither, and in ``validate ATHLETE PLAN`` "status: required key is missing" did not say
    that the plan was the broken file."""

    path: str
    message: str
    file: str | None = None

    def __str__(self) -> str:
        where = self.message if self.path == FILE else f"{self.path}: {self.message}"
        return f"{self.file}: {where}" if self.file else where


class InputError(Exception):
    """Every problem found in an input file; the CLI prints them one per line and exits 2."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


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
    if {"weeks", "status"} <= set(data) and "availability" not in data:
        # A plan where the athlete file belongs (``validate PLAN ATHLETE``): one line saying
        # so, not a screen of unknown keys.
        raise _file_problem(f"{Path(path).name} is a plan, not an athlete file; the athlete file comes first "
                            "(periodize validate ATHLETE PLAN)")
    if looks_like_roster(data):
        raise _file_problem(f"{Path(path).name} is a roster (a group for `periodize batch`), not an athlete file: "
                            "plan it with periodize batch; to check or explain one of its plans, give the plan too "
                            "(periodize validate ROSTER PLAN, periodize explain ROSTER --plan PLAN)")
    return athlete_from_mapping(data)


def looks_like_roster(data: dict[str, Any]) -> bool:
    """A batch's roster (``athletes:``), not one athlete (who has ``availability:``): an
    athlete file with a stray ``athletes:`` key is still an athlete, its key reported."""
    return "athletes" in data and "availability" not in data


def athlete_from_mapping(raw: dict[str, Any]) -> tuple[Athlete, Rules]:
    """Validate an athlete given as a parsed mapping (a file's content, or a what-if scenario
    patched onto one); problems as :func:`load_athlete` reports them."""
    data = drop_empty_sections(raw, Athlete)
    try:
        athlete = Athlete.model_validate(data)
    except ValidationError as error:
        problems = problems_from(error, Athlete)
        problems += _raw_rule_problems(data.get("rules"), known=problems)
        raise InputError(problems) from None
    try:
        rules = resolve_rules(athlete)
    except ValidationError as error:
        raise InputError(problems_from(error, Rules, prefix=("rules",))) from None
    return athlete, rules


def load_plan(path: Path) -> Plan:
    """Read and validate a plan file (normally the JSON ``periodize solve --out`` writes)."""
    data = read_mapping(path, what="plan")
    if "weeks" not in data and {"availability", "volume"} <= set(data):
        raise _file_problem(f"{Path(path).name} is an athlete file, not a plan; a plan is what "
                            "`periodize solve --out` writes")
    with _problems_in(path):
        try:
            return Plan.model_validate(data)
        except ValidationError as error:
            raise InputError(problems_from(error, Plan)) from None


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the whole new one.

    The text goes to a temporary file in the same directory (so ``os.replace`` is a rename on
    one file system), is flushed to disk, and only then replaces ``path``. On any error the
    temporary file is removed and ``path`` is left as it was.

    A symlink's file is replaced, not the link (``--out link.json`` had turned the link into a
    file of its own, leaving its target as it was). A path that is there but no regular file
    (``/dev/null``, ``/dev/stdout``, a FIFO) is written through: renaming over it had replaced
    ``/dev/null`` with a plan for the whole machine, and a device has no old content to keep.
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
        os.chmod(temp_name, 0o666 & ~_umask())
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
    nearest existing folder that takes no new entry. That folder is tried with a temporary
    folder, removed at once, since permission bits say nothing to root or to /proc. A
    ``folder`` (a batch's plans) is tried itself where it exists."""
    if not folder and path.exists() and not is_replaceable(path):
        try:
            with open(path, "a", encoding="utf-8"):
                return None
        except OSError as error:
            return f"cannot write {path}: {error.strerror or error}"
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


def drop_empty_sections(data: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    """Treat an optional key left empty (``exceptions:`` with every entry commented out) as
    absent, so it takes its default instead of failing as "expected a list, got nothing".
    Applied to nested models and lists of models too; required keys are left for pydantic."""
    cleaned: dict[str, Any] = {}
    for key, value in data.items():
        known, annotation = _field_type(model, key) if isinstance(key, str) else (False, None)
        if not known:
            cleaned[key] = value
            continue
        field = next(f for name, f in model.model_fields.items() if key in (name, f.alias))
        if value is None and not field.is_required():
            continue
        inner = _unwrap(annotation)
        if _is_model(inner) and isinstance(value, dict):
            value = drop_empty_sections(value, inner)
        elif typing.get_origin(inner) is list and isinstance(value, list):
            item_type = _unwrap(typing.get_args(inner)[0]) if typing.get_args(inner) else None
            if _is_model(item_type):
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


def read_mapping(path: Path, what: str = "input") -> dict[str, Any]:
    """Parse a file into a dict, or raise :class:`InputError` with one ``(file)`` problem."""
    with _problems_in(path):
        return _read_mapping(Path(path), what)


def _read_mapping(path: Path, what: str) -> dict[str, Any]:
    if not path.exists():
        raise _file_problem(f"{what} file not found: {path}")
    if path.is_dir():
        raise _file_problem(f"{path} is a directory, not {_article(what)} {what} file")
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise _file_problem(f"cannot tell the format of {path.name!r}: use .yaml, .yml, .json or .toml")
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
        raise _file_problem(f"{what} file not found: {path}") from None
    except OSError as error:
        raise _file_problem(f"cannot read {path}: {error.strerror or error}") from None
    if b"\x00" in raw:
        raise _file_problem(f"{path.name} is a binary file, not {_article(kind)} {kind.upper()} {what} file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _file_problem(
            f"{path.name} is not UTF-8 text (byte 0x{raw[error.start]:02x} at position {error.start}); "
            f"save it as UTF-8"
        ) from None
    if not text.strip():
        raise _file_problem(f"{path.name} is empty; {START_FROM.get(what, START_FROM['athlete'])}")
    data = _PARSERS[kind](text)
    if _deeper_than(data, MAX_NESTING):
        raise _file_problem(NESTED_TOO_DEEPLY)
    if data is None:
        raise _file_problem(f"{path.name} holds only comments; {START_FROM.get(what, START_FROM['athlete'])}")
    if not isinstance(data, dict):
        keys = TOP_KEYS.get(what, TOP_KEYS["athlete"])
        raise _file_problem(f"the top level must be a mapping of keys ({keys}), got {_describe(data)}")
    if kind == "yaml":  # JSON and TOML keys are always text
        problems = [Problem(format_path(where), f"key {_yaml_text(key)} is not text; put it in quotes")
                    for where, key in _keys_not_text(data)]
        if problems:
            raise InputError(problems)
    return data


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
            mark = node.start_mark
            tag = _TAG_NAMES.get(node.tag.rsplit(":", 1)[-1], node.tag.rsplit(":", 1)[-1])
            value = node.value if isinstance(node.value, str) else "this value"
            shown = repr(value if len(value) <= 40 else value[:37] + "...")
            raise _file_problem(f"line {mark.line + 1}, column {mark.column + 1}: cannot read "
                                f"{shown} as {_article(tag)} {tag}: {_reason(error)}") from None


#: YAML's tag names as a reader knows them.
_TAG_NAMES = {"timestamp": "date", "int": "whole number", "float": "number", "bool": "true/false value"}


def _construct_mapping_no_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in seen
        except TypeError:  # an unhashable key; construct_mapping reports it
            continue
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (the second one would silently win)", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=True)


_StrictYamlLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping_no_duplicates)


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
        return loader.construct_document(node)
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
        raise _file_problem(f"{where}YAML syntax error: {detail}") from None
    except yaml.YAMLError as error:
        raise _file_problem(f"YAML syntax error: {error}") from None


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise _file_problem(f"line {error.lineno}, column {error.colno}: JSON syntax error: {error.msg}") from None
    except RecursionError:
        raise _file_problem(NESTED_TOO_DEEPLY) from None
    except ValueError as error:  # an integer of thousands of digits
        raise _file_problem(f"JSON value error: {_reason(error)}") from None


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


# --- pydantic errors -> problems --------------------------------------------------------------
def problems_from(error: ValidationError, model: type[BaseModel], prefix: Loc = (),
                  keep: Callable[[Any], bool] | None = None) -> list[Problem]:
    """Translate a ValidationError of ``model`` into problems, one per field path; ``keep``
    picks the pydantic errors that count (a partial athlete's, say, without "missing").

    Union members fail one by one in pydantic (``distance`` as a name or as a number); those
    errors are merged into one problem per path so the reader sees one line, not two.
    """
    grouped: dict[str, list[tuple[dict[str, Any], bool]]] = {}
    order: list[str] = []
    extras: dict[Loc, list[str]] = {}
    calendar: list[Problem] = []
    for item in error.errors(include_url=False):
        if keep is not None and not keep(item):
            continue
        loc, tagged = _structural_loc(model, tuple(item["loc"]))
        ctx = item.get("ctx") or {}
        if isinstance(ctx.get("error"), CalendarError):
            for where, message in ctx["error"].problems:
                calendar.append(Problem(format_path(prefix + loc + tuple(where)), message))
            continue
        if item["type"] == "extra_forbidden" and loc:
            extras.setdefault(loc[:-1], []).append(str(loc[-1]))
        path = format_path(prefix + loc)
        if path not in grouped:
            grouped[path] = []
            order.append(path)
        grouped[path].append((dict(item, loc=loc), tagged))
    problems = [Problem(path, _merged_message(model, grouped[path], extras, prefix)) for path in order]
    return problems + calendar


def format_path(loc: Sequence[str | int]) -> str:
    """``('races', 1, 'date')`` -> ``races[1].date``; the empty path is the whole file."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or FILE


def _merged_message(
    model: type[BaseModel], items: list[tuple[dict[str, Any], bool]], extras: dict[Loc, list[str]], prefix: Loc
) -> str:
    if len(items) == 1 or not all(tagged for _, tagged in items):
        return _message(model, items[0][0], extras, prefix)
    # A union: a bound or value error means the value had the right type for that member.
    specific = [item for item, _ in items if item["type"] not in _TYPE_MISMATCH]
    if specific:
        return _message(model, specific[0], extras, prefix)
    pieces = [piece.replace(" or ", ", ") for piece in dict.fromkeys(_expected(item) for item, _ in items)]
    expected = ", ".join(pieces[:-1]) + " or " + pieces[-1] if len(pieces) > 1 else pieces[0]
    return f"expected {expected}, got {_describe(items[0][0]['input'])}"


_TYPE_MISMATCH: frozenset[str] = frozenset(
    {"literal_error", "enum", "int_type", "int_parsing", "float_type", "float_parsing", "string_type",
     "bool_type", "bool_parsing", "date_type", "date_parsing", "date_from_datetime_parsing",
     "list_type", "dict_type", "model_type", "model_attributes_type", "is_instance_of"}
)


def _expected(item: dict[str, Any]) -> str:
    """What a union member wanted, phrased to follow 'expected'."""
    kind = item["type"]
    ctx = item.get("ctx") or {}
    if kind in ("literal_error", "enum"):
        return str(ctx.get("expected", "one of the listed values"))
    if kind.startswith("int"):
        return "a whole number"
    if kind.startswith("float"):
        return "a number"
    if kind.startswith("bool"):
        return "true or false"
    if kind.startswith("string"):
        return "text"
    if kind.startswith("date"):
        return "a date like 2027-01-04"
    if kind in ("list_type", "tuple_type", "set_type"):
        return "a list"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "a mapping of keys"
    return "another value"


def _message(model: type[BaseModel], item: dict[str, Any], extras: dict[Loc, list[str]], prefix: Loc) -> str:
    """A short, human message for one pydantic error."""
    kind: str = item["type"]
    ctx: dict[str, Any] = item.get("ctx") or {}
    value = item.get("input")
    loc: Loc = item["loc"]
    got = _describe(value)
    if kind == "extra_forbidden":
        return _unknown_key_message(model, loc, prefix)
    if kind == "missing":
        typo = _typo_for(str(loc[-1]) if loc else "", extras.get(loc[:-1], []))
        return "required key is missing" + (f" (is {typo!r} a misspelling of it?)" if typo else "")
    if kind in ("literal_error", "enum"):
        return f"expected {ctx.get('expected', 'one of the listed values')}, got {got}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {got}"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number, got {got}"
    if kind == "finite_number":
        return f"expected a finite number, got {got}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {got}"
    if kind == "string_type":
        return f"expected text, got {got}"
    if kind == "date_from_datetime_inexact":
        return f"expected a date without a time of day, got {got}"
    if kind.startswith("date"):
        return f"expected a date like 2027-01-04, got {got}"
    if kind in ("list_type", "tuple_type", "set_type"):
        return f"expected a list, got {got}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping of keys, got {got}"
    bounds = {"greater_than_equal": ("ge", "at least"), "greater_than": ("gt", "more than"),
              "less_than_equal": ("le", "at most"), "less_than": ("lt", "less than")}
    if kind in bounds:
        key, words = bounds[kind]
        return f"must be {words} {_number(ctx.get(key))}, got {got}"
    if kind == "string_too_short":
        return "must not be empty" if ctx.get("min_length") == 1 else f"must be at least {ctx.get('min_length')} characters"
    if kind in ("too_short", "too_long"):
        return str(item["msg"]).replace("Input", "the list", 1).replace("List", "the list", 1)
    if kind in ("value_error", "assertion_error"):
        message = str(item["msg"])
        for lead in ("Value error, ", "Assertion failed, "):
            message = message.removeprefix(lead)
        return message
    return str(item["msg"])


def _unknown_key_message(model: type[BaseModel], loc: Loc, prefix: Loc) -> str:
    """'unknown key' plus a did-you-mean drawn from the keys valid at that level."""
    key = str(loc[-1]) if loc else "?"
    parent = _type_at(model, loc[:-1])
    valid = _valid_keys(parent)
    if model is Rules and len(loc) == 1:
        suggestion = _typo_for(key, valid)
        hint = f"; did you mean {suggestion}?" if suggestion else "; rule codes are P1-P14, V1-V9, S1-S6, O1-O7"
        return f"unknown rule code {key!r}{hint}"
    if model is Rules:
        code = str(loc[0])
        if key == "enabled" and code in HARD_RULE_CODES:
            return f"{code} is a hard rule and cannot be switched off; loosen its numbers instead"
        if not valid:
            return f"unknown parameter {key!r}: {code} has no numbers to override"
        suggestion = _typo_for(key, valid)
        hint = f"; did you mean {suggestion}?" if suggestion else f"; {code} takes {', '.join(valid)}"
        return f"unknown parameter {key!r}{hint}"
    suggestion = _typo_for(key, valid)
    if suggestion:
        return f"unknown key {key!r}; did you mean {suggestion}?"
    if valid:
        return f"unknown key {key!r}; the keys here are {', '.join(valid)}"
    return f"unknown key {key!r}"


def _typo_for(word: str, candidates: Sequence[str]) -> str | None:
    """The closest candidate, case-insensitively, or None when nothing is close."""
    if not candidates:
        return None
    by_lower = {candidate.lower(): candidate for candidate in candidates}
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[close[0]] if close else None


def _raw_rule_problems(raw: Any, known: list[Problem]) -> list[Problem]:
    """Rule override problems found even when the rest of the athlete is invalid, so one run
    reports everything. Only attempted when ``rules`` is a mapping of mappings (otherwise the
    athlete's own errors already cover it); level defaults are left out here."""
    if not isinstance(raw, Mapping) or not all(isinstance(value, Mapping) for value in raw.values()):
        return []
    if any(problem.path.startswith("rules") for problem in known):
        return []
    try:
        Rules.model_validate(raw)
    except ValidationError as error:
        return problems_from(error, Rules, prefix=("rules",))
    return []


def _number(value: Any) -> str:
    """``10.0`` -> ``10``: bounds read the way the rules write them."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _describe(value: Any) -> str:
    """A short rendering of a bad value for 'got ...'."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# --- walking the models along an error location ------------------------------------------------
def _unwrap(tp: Any) -> Any:
    """Strip Annotated and Optional so the structural type (model, list, dict) shows."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            members = [arg for arg in typing.get_args(tp) if arg is not type(None)]
            if len(members) == 1:
                tp = members[0]
                continue
        return tp


def _is_model(tp: Any) -> TypeGuard[type[BaseModel]]:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _field_type(model: type[BaseModel], key: str) -> tuple[bool, Any]:
    for name, field in model.model_fields.items():
        if key in (name, field.alias):
            return True, field.annotation
    return False, None


def _step(tp: Any, part: str | int) -> tuple[bool, Any]:
    """Follow one loc part. Returns (structural, next type); a non-structural part is a
    pydantic union tag such as ``'constrained-float'``, dropped from the path."""
    tp = _unwrap(tp)
    if tp is None or tp is Any:
        return True, Any
    if _is_model(tp):
        if isinstance(part, str):
            known, annotation = _field_type(tp, part)
            return True, annotation if known else Any
        return False, tp
    origin = typing.get_origin(tp)
    if origin in (list, tuple, set, frozenset, Sequence) and isinstance(part, int):
        args = typing.get_args(tp)
        return True, args[0] if args else Any
    if origin in (dict, Mapping):
        args = typing.get_args(tp)
        return True, args[1] if len(args) == 2 else Any
    return False, tp


def _structural_loc(model: type[BaseModel], loc: Loc) -> tuple[Loc, bool]:
    """The loc without union tags, shown with aliases (``from``); and whether tags were dropped."""
    kept: list[str | int] = []
    tagged = False
    tp: Any = model
    for part in loc:
        structural, next_tp = _step(tp, part)
        if structural:
            unwrapped = _unwrap(tp)
            if _is_model(unwrapped) and isinstance(part, str):
                field = unwrapped.model_fields.get(part)
                part = field.alias if field is not None and field.alias else part
            kept.append(part)
        else:
            tagged = True
        tp = next_tp
    return tuple(kept), tagged


def _type_at(model: type[BaseModel], loc: Loc) -> Any:
    tp: Any = model
    for part in loc:
        _, tp = _step(tp, part)
    return _unwrap(tp)


def _valid_keys(tp: Any) -> list[str]:
    """Keys a model accepts at this level, as the file spells them (alias first)."""
    if not _is_model(tp):
        return []
    return [field.alias or name for name, field in tp.model_fields.items()]


__all__ = [
    "FILE",
    "InputError",
    "Problem",
    "drop_empty_sections",
    "format_path",
    "is_replaceable",
    "load_athlete",
    "load_plan",
    "problems_from",
    "read_mapping",
    "unwritable",
    "write_atomically",
]
