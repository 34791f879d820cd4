"""What is wrong with an input file, as lines a runner or coach can act on: a
:class:`Problem` is a path in the file and a message (``races[1].date: ...``), and
:func:`problems_from` turns a pydantic ValidationError into them, one line per field path,
with "did you mean" for a mistyped key. The path is walked along the models, so it reads as
the file spells it (aliases, no union tags)."""

from __future__ import annotations

import difflib
import os
import re
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, TypeGuard

from pydantic import BaseModel, ValidationError

from periodize.models.athlete import CalendarError
from periodize.models.base import calendar_date, is_date_shaped
from periodize.models.rules import HARD_RULE_CODES, Rules

FILE = "(file)"
#: A problem's message where the file lacks a key the athlete needs (a misspelling may follow).
MISSING_KEY = "required key is missing"
Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file: where (``races[1].date``, ``(file)``) and what, and
    in which file where it was read from one (``loading`` tags the problems of each file it
    reads). A file-level problem reads as its message alone, after the file's name: "(file):
    line 3, column 1: ..." had named neither, and in ``validate ATHLETE PLAN`` "status:
    required key is missing" did not say that the plan was the broken file."""

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
    problems = [Problem(path, _merged_message(model, grouped[path], extras)) for path in order]
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
    model: type[BaseModel], items: list[tuple[dict[str, Any], bool]], extras: dict[Loc, list[str]]
) -> str:
    if len(items) == 1 or not all(tagged for _, tagged in items):
        return _message(model, items[0][0], extras)
    # A union: a bound or value error means the value had the right type for that member.
    specific = [item for item, _ in items if item["type"] not in _TYPE_MISMATCH]
    if specific:
        return _message(model, specific[0], extras)
    pieces = [piece.replace(" or ", ", ") for piece in dict.fromkeys(_expected(item) for item, _ in items)]
    expected = ", ".join(pieces[:-1]) + " or " + pieces[-1] if len(pieces) > 1 else pieces[0]
    return f"expected {expected}, got {describe_value(items[0][0]['input'])}"


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


def _message(model: type[BaseModel], item: dict[str, Any], extras: dict[Loc, list[str]]) -> str:
    """A short, human message for one pydantic error."""
    kind: str = item["type"]
    ctx: dict[str, Any] = item.get("ctx") or {}
    value = item.get("input")
    loc: Loc = item["loc"]
    got = describe_value(value)
    if kind == "extra_forbidden":
        return _unknown_key_message(model, loc)
    if kind == "missing":
        typo = _typo_for(str(loc[-1]) if loc else "", extras.get(loc[:-1], []))
        return MISSING_KEY + (f" (is {typo!r} a misspelling of it?)" if typo else "")
    if kind in ("literal_error", "enum"):
        return f"expected {ctx.get('expected', 'one of the listed values')}, got {got}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {got}{_clock_hint(value)}"
    if kind == "int_parsing_size":  # 1e308 for minutes: "Unable to parse input string as an integer, ..."
        return f"expected a whole number of a size periodize reads, got {got}"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number, got {got}{_clock_hint(value)}"
    if kind == "finite_number":
        return f"expected a finite number, got {got}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {got}"
    if kind == "string_type":
        return f"expected text, got {got}"
    if kind == "date_from_datetime_inexact":
        return f"expected a date without a time of day, got {got}"
    if kind.startswith("date"):
        return f"expected a date like 2027-01-04, got {got}{why_not_a_date(value)}"
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


#: A time written as a clock (h:mm, mm:ss, h:mm:ss), which YAML 1.1 read as a base-60 number.
_CLOCK = re.compile(r"[0-9]+(:[0-5]?[0-9])+(\.[0-9]*)?")


def _clock_hint(value: Any) -> str:
    """What to write instead of a clock where a number belongs: ``expected_minutes: 45:30``."""
    if isinstance(value, str) and _CLOCK.fullmatch(value.strip()):
        return "; write it as one number, not as h:mm or mm:ss (minutes: 1:30:00 is 90; 45:30 is 45.5)"
    return ""


def why_not_a_date(value: Any) -> str:
    """``: day is out of range for month`` where ``value`` is shaped as a date but is none, as
    the YAML reader says it: JSON's ``"2027-02-30"`` had read only "expected a date like
    2027-01-04", which it looks like."""
    if not isinstance(value, str) or not is_date_shaped(value):
        return ""
    try:
        calendar_date(value)
    except ValueError as error:
        return f": {error}"
    return ""


def _unknown_key_message(model: type[BaseModel], loc: Loc) -> str:
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


def unknown_key_on_path(model: type[BaseModel], parts: Sequence[str | int]) -> str | None:
    """What is wrong with a key path such as ``volume.peak_weekly_minute`` before any value is
    read: the first key ``model`` does not know, in the words a file's unknown key gets ("did
    you mean ...?"); None where every key is known. ``rules.CODE.param`` is read against
    :class:`Rules`. Why: a CSV roster's column names a key for every row, and a mistyped one
    had been reported athlete by athlete."""
    if len(parts) > 1 and parts[0] == "rules":
        return unknown_key_on_path(Rules, parts[1:])
    tp: Any = model
    for index, part in enumerate(parts):
        here = unwrap_type(tp)
        if isinstance(part, str) and is_model(here) and part not in _valid_keys(here):
            return _unknown_key_message(model, tuple(parts[:index + 1]))
        _, tp = _step(tp, part)
    return None


def _typo_for(word: str, candidates: Sequence[str]) -> str | None:
    """The closest candidate, case-insensitively, or None when nothing is close."""
    if not candidates:
        return None
    by_lower = {candidate.lower(): candidate for candidate in candidates}
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=3, cutoff=0.6)
    if not close:
        return None
    # Of the close ones, the one sharing the most leading words (split at "_"), the closest in
    # letters first on a tie: "share_pct_5_plus" is nearer in letters to share_pct_4 than to
    # share_pct_5_or_more, which it means. Whole words, not letters: by letters "ercovery_max"
    # had begun like easy_max, not recovery_max.
    def leading_words(candidate: str) -> int:
        return len(os.path.commonprefix([candidate.split("_"), word.lower().split("_")]))
    return by_lower[max(close, key=leading_words)]


def rule_override_problems(raw: Any, known: list[Problem]) -> list[Problem]:
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


def describe_value(value: Any) -> str:
    """A short rendering of a bad value for 'got ...'."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, time):  # TOML's bare 07:32:00 ("got datetime.time(7, 32)" had read)
        return f"the time of day {value.isoformat()}"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# --- walking the models along an error location ------------------------------------------------
def unwrap_type(tp: Any) -> Any:
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


def is_model(tp: Any) -> TypeGuard[type[BaseModel]]:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def field_type(model: type[BaseModel], key: str) -> tuple[bool, Any]:
    for name, field in model.model_fields.items():
        if key in (name, field.alias):
            return True, field.annotation
    return False, None


def _step(tp: Any, part: str | int) -> tuple[bool, Any]:
    """Follow one loc part. Returns (structural, next type); a non-structural part is a
    pydantic union tag such as ``'constrained-float'``, dropped from the path."""
    tp = unwrap_type(tp)
    if tp is None or tp is Any:
        return True, Any
    if is_model(tp):
        if isinstance(part, str):
            known, annotation = field_type(tp, part)
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
            unwrapped = unwrap_type(tp)
            if is_model(unwrapped) and isinstance(part, str):
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
    return unwrap_type(tp)


def _valid_keys(tp: Any) -> list[str]:
    """Keys a model accepts at this level, as the file spells them (alias first)."""
    if not is_model(tp):
        return []
    return [field.alias or name for name, field in tp.model_fields.items()]


__all__ = ["FILE", "MISSING_KEY", "InputError", "Loc", "Problem", "describe_value", "field_type", "format_path", "is_model",
           "problems_from", "rule_override_problems", "unknown_key_on_path", "unwrap_type", "why_not_a_date"]
