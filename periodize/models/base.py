"""What every model of the input and plan files shares: a boolean or text is never read as a
number, nor a number or text as a boolean.

YAML reads ``yes``, ``no``, ``on``, ``true`` and ``false`` as booleans, and pydantic's lax mode
takes a boolean for an integer or a float (``current_weekly_minutes: true`` was 1 minute,
``rules: {V1: {max_increase_pct: true}}`` 1 %), and text that parses as one (``"10"``, a plan's
``"minutes": "70"``). Strict mode would refuse them, but also the dates JSON writes as text, so
booleans and numbers in quotes are refused here, and only where the field does not take a
boolean or text itself (a race's ``distance`` takes ``"21.1km"``); and the other way round, a
field that takes only a boolean refuses numbers and text (``enabled: 0``, a plan's ``deload:
"yes"``). Numbers typed on the command line are read as numbers before they reach a model
(``whatif --add-race``'s minutes). A number is not a date either: pydantic reads one as
seconds since 1970 (``start: 0`` was 1970-01-01).
"""

from __future__ import annotations

import enum
import re
import typing
from datetime import date, datetime
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationInfo, field_validator


def _kinds(annotation: Any) -> set[Any]:
    """The plain types a field annotation is made of (``int | None`` -> ``{int, NoneType}``;
    ``Literal[0, 1, 2]`` -> ``{int}``, where ``True == 1`` would pass)."""
    arguments = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Literal:
        return {type(argument) for argument in arguments}
    arguments = tuple(argument for argument in arguments if not isinstance(argument, str))
    return {annotation} if not arguments else set().union(*map(_kinds, arguments))


@cache
def wants_a_number_not_a_boolean(annotation: Any) -> bool:
    """Whether a field typed ``annotation`` takes numbers but not booleans (pydantic would
    coerce a boolean to 1 or 0 there); fields of other kinds refuse a boolean themselves."""
    kinds = _kinds(annotation)
    return bool(kinds & {int, float}) and not kinds & {bool, Any}


@cache
def wants_a_number_not_text(annotation: Any) -> bool:
    """Whether a field typed ``annotation`` takes numbers but not text (pydantic's lax mode
    would parse ``"10"`` as 10)."""
    kinds = _kinds(annotation)
    return bool(kinds & {int, float}) and not kinds & {str, Any}


def _reads_as_a_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _is_a_number(value: Any) -> bool:
    """A number, or text that reads as one (a boolean is neither: pydantic refuses it as a date)."""
    if isinstance(value, str):
        return _reads_as_a_number(value)
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@cache
def wants_only_a_boolean(annotation: Any) -> bool:
    """Whether a field typed ``annotation`` takes a boolean and nothing else (``bool``,
    ``bool | None``): every format periodize reads writes booleans as booleans."""
    return _kinds(annotation) - {type(None)} == {bool}


@cache
def wants_a_date_not_a_number(annotation: Any) -> bool:
    """Whether a field typed ``annotation`` takes a date and no number or text of its own:
    pydantic reads a number there, or text that is one, as seconds since 1970. ``start: 0`` was
    read as 1970-01-01 and the season then refused at the last race's date as 2,994 weeks
    long; ``1803859200`` (or a CSV roster's ``"1803859200"``) was 2027-03-01 without a word, and
    ``20270301`` read "expected a date without a time of day", which it has none of."""
    kinds = _kinds(annotation)
    return date in kinds and not kinds & {int, float, str, Any}


#: A date as people write it: year, month and day, with or without leading zeros (2027-3-7).
_CALENDAR_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")  # ASCII digits: \d took Arabic-Indic ones


def is_date_shaped(text: str) -> bool:
    """Whether ``text`` is written as a date (``2027-3-7``, ``2027-02-30``), right or wrong."""
    return _CALENDAR_DATE.fullmatch(text.strip()) is not None


@cache
def takes_a_date(annotation: Any) -> bool:
    """Whether a field typed ``annotation`` takes a date (``date``, ``date | None``)."""
    return date in _kinds(annotation)


def calendar_date(text: str) -> date:
    """The date ``text`` names, leading zeros optional: YAML reads only ``2027-03-07`` as a date
    and ISO (pydantic, ``date.fromisoformat``) asks for them, but a coach writes ``2027-3-7``
    and had read "expected a date like 2027-01-04". Raises ValueError with the reason where
    the numbers name no day ("day is out of range for month") or the text is no date."""
    match = _CALENDAR_DATE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"expected a date like 2027-01-04, got {text!r}")
    return date(*map(int, match.groups()))


def _is_a_date_time(value: Any) -> bool:
    """A date with a time of day: a datetime (YAML and TOML read them), or text that starts
    as a date and goes on with a time (JSON's ``"2027-05-16T00:00:00Z"``)."""
    if isinstance(value, datetime):
        return True
    return isinstance(value, str) and re.fullmatch(r"\s*[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[T ].*[0-9]:[0-9].*", value) is not None


def _word_choices(annotation: Any) -> tuple[str, ...]:
    """The words a field typed ``annotation`` takes: a Literal's text and a StrEnum's values,
    through ``| None`` and other unions (``Weekday | None`` -> the seven days)."""
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return tuple(str(member.value) for member in annotation)
    arguments = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Literal:
        return tuple(argument for argument in arguments if isinstance(argument, str))
    if typing.get_origin(annotation) in (list, tuple, set, dict):
        return ()
    return tuple(word for argument in arguments for word in _word_choices(argument))


@cache
def _choices_by_folded_case(annotation: Any) -> dict[str, str]:
    return {word.casefold(): word for word in _word_choices(annotation)}


def in_its_own_case(value: Any, annotation: Any) -> Any:
    """``value`` with each word a field of ``annotation`` takes written as the field writes it
    (``Sun`` -> ``sun``, ``a`` -> ``A``, ``Gym`` -> ``gym``; in a list, ``[Tue, THU]``), other
    values unchanged for the field to judge. Why: a file typed by hand capitalises; the words
    are names, not codes whose case means something, and a race's distance already read
    ``Half`` as ``half``."""
    if isinstance(value, str) and value.isascii():  # not lookalikes: "ſun" (long s) and the Kelvin sign's "10K"
        return _choices_by_folded_case(annotation).get(value.strip().casefold(), value)
    if isinstance(value, list) and typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        return [in_its_own_case(element, item) for element in value]
    return value


class NoBooleanNumbers(BaseModel):
    """Refuses a boolean, or a number in quotes, where a field wants a number (see the module)."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_boolean_for_a_number(cls, value: Any, info: ValidationInfo) -> Any:
        field = info.field_name
        if field is None:
            return value
        # Any: typeshed's TypeForm is not Hashable, which the caches below ask for (annotations are).
        annotation: Any = cls.model_fields[field].annotation
        if isinstance(value, bool) and wants_a_number_not_a_boolean(annotation):
            raise ValueError(f"expected a number, got the boolean {str(value).lower()}")
        if isinstance(value, str) and wants_a_number_not_text(annotation) and _reads_as_a_number(value):
            # Text that is no number at all ("3O0") is left to pydantic's own message.
            whole = float not in _kinds(annotation)
            number = "a whole number" if whole else "a number"
            if "_" in value:  # YAML 1.1's grouped digits, text in YAML 1.2 (loading): say the whole fix
                digits = value.strip().replace("_", "")
                fix = (f"write it as {digits}, without underscores or quotes" if not whole or float(digits).is_integer()
                       else "write a whole number, without underscores or quotes")
                raise ValueError(f"expected {number}, got {value!r}; {fix}")
            raise ValueError(f"expected {number}, got the text {value!r}; write it without quotes")
        if wants_a_date_not_a_number(annotation) and _is_a_number(value):
            shown = f"the text {value!r}" if isinstance(value, str) else f"the number {value!r}"
            raise ValueError(f"expected a date like 2027-01-04, got {shown}; write the date as YYYY-MM-DD")
        if takes_a_date(annotation) and _is_a_date_time(value):
            # pydantic takes a date-time at midnight (any time zone) as its date and refuses it
            # at any other time: 2027-05-16T00:00:00+09:00 had been read as 2027-05-16.
            raise ValueError(f"expected a date without a time of day, got {value!s}; write the date as YYYY-MM-DD")
        if not isinstance(value, bool) and value is not None and wants_only_a_boolean(annotation):
            # The other way round: pydantic took 1, 0, "yes" and "off" as booleans.
            raise ValueError(f"expected true or false, got {value!r}")
        if isinstance(value, dict) and typing.get_origin(annotation) is dict:  # a plan's objective_terms
            numbers = wants_a_number_not_a_boolean(typing.get_args(annotation)[1])
            for key, item in value.items():
                if numbers and isinstance(item, bool):
                    raise ValueError(f"{key}: expected a number, got the boolean {str(item).lower()}")
                if numbers and isinstance(item, str) and _reads_as_a_number(item):
                    raise ValueError(f"{key}: expected a number, got the text {item!r}; write it without quotes")
        return value
