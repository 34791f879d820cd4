"""``periodize schema``: the JSON Schema of the athlete file or the plan, for editors and tools.

Editors (VS Code's YAML extension, for one) complete and check athlete files from this schema,
which comes straight from the pydantic models, so it cannot drift from what the loader accepts.
"""

from __future__ import annotations

import json
import re
from enum import StrEnum
from typing import Annotated, Any

import typer
from pydantic.json_schema import GenerateJsonSchema

from periodize.cli.errors import EXIT_OK, guarded
from periodize.models.athlete import Athlete
from periodize.models.plan import Plan
from periodize.models.rules import Rules

#: The dialect pydantic writes, said in the schema so that a validator need not guess it.
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


class SchemaName(StrEnum):
    athlete = "athlete"
    plan = "plan"


def athlete_rules_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` (the athlete's) with ``rules`` spelled out from :class:`Rules`: every code, each
    with its numbers, ranges and RULES.md defaults, no other keys. The athlete model holds the
    overrides as a raw mapping (they are resolved after the level's defaults), so its own
    schema let editors neither complete nor check a rule's numbers."""
    rules = Rules.model_json_schema(by_alias=True)
    schema.setdefault("$defs", {}).update(rules.pop("$defs", {}))
    rules["title"] = "Rules"
    rules["description"] = ("Overrides of RULES.md's numbers, by rule code (V1: {max_increase_pct: 12}); a soft "
                            "rule also takes weight and enabled. The defaults shown are RULES.md's; beginners "
                            "and masters (50+) start from their own for P4, P5, P14.long_min and V3.")
    # As a definition of its own, null allowed beside it (``allowing_null``: ``rules:`` left empty).
    schema["$defs"]["Rules"] = rules
    schema["properties"]["rules"] = {"title": "Rules", "description": rules["description"],
                                     "anyOf": [{"$ref": "#/$defs/Rules"}, {"type": "null"}]}
    return schema


#: What ``Race.distance`` also reads as text: a number of kilometres, ``km`` or not ("21.1km"),
#: within the number's own range (``Race.distance``: above 0, at most 400; a text distance of
#: "0km" or "500" had passed the schema): 1-399 with any decimals, 400 with only zeros after
#: its point, or below 1 with a digit other than 0.
DISTANCE_TEXT = (r"^\s*(0*([1-9][0-9]?|[1-3][0-9]{2})(\.[0-9]*)?|0*400(\.0*)?|0*\.[0-9]*[1-9][0-9]*)"
                 r"\s*([kK][mM])?\s*$")
#: A date as the loader also reads it: without leading zeros (``2027-3-7``, ``base.calendar_date``),
#: spaces around allowed, and only days its month has (February to the 29th: the loader names a
#: 29th outside a leap year, and a 30th had passed the schema).
DATE_TEXT = (r"^\s*[0-9]{4}-((0?[13578]|1[02])-(0?[1-9]|[12][0-9]|3[01])|(0?[469]|11)-(0?[1-9]|[12][0-9]|30)"
             r"|0?2-(0?[1-9]|1[0-9]|2[0-9]))\s*$")
#: The spaces the loader strips around a word of a choice: ASCII's only, as it reads only ASCII
#: words (``base.in_its_own_case``); a no-break space had passed the schema.
ASCII_SPACE = r"[\t\n\x0b\x0c\r\x1c-\x1f ]*"


def any_case(words: list[str]) -> str:
    """A pattern matching each of ``words`` in any case, spaces around allowed: JSON Schema's
    regular expressions have no case-insensitive flag."""
    def letters(word: str) -> str:
        return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)
    return f"^{ASCII_SPACE}(" + "|".join(letters(word) for word in words) + f"){ASCII_SPACE}$"


def allowing_null(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with ``null`` allowed for each optional key of its models: the loader reads a
    key left empty as absent (``loading.drop_empty_sections``: ``exceptions:`` with every entry
    commented out), which the schema had refused (14 such files)."""
    for model in [schema, *schema.get("$defs", {}).values()]:
        required = set(model.get("required", []))
        for name, field in model.get("properties", {}).items():
            if name not in required:
                model["properties"][name] = nullable(field)
    return schema


def nullable(field: dict[str, Any]) -> dict[str, Any]:
    """``field``'s schema, null allowed."""
    if {"type": "null"} in field.get("anyOf", []):
        return field
    if "anyOf" in field:
        return {**field, "anyOf": [*field["anyOf"], {"type": "null"}]}
    return or_else(field, {"type": "null"})


#: What describes a field rather than constrains it: it stays outside an ``anyOf`` (``or_else``).
DESCRIBING_KEYS = ("title", "description", "default")


def or_else(field: dict[str, Any], alternative: dict[str, Any]) -> dict[str, Any]:
    """``field``'s schema or ``alternative``: ``anyOf`` the two, ``field``'s title, description and
    default kept outside it, where editors show them."""
    outer = {key: field[key] for key in DESCRIBING_KEYS if key in field}
    inner = {key: value for key, value in field.items() if key not in outer}
    return {**outer, "anyOf": [inner, alternative]}


def as_people_write_it(node: Any) -> Any:
    """The athlete schema read as the loader reads files (``StrictModel._as_people_write_it``): a
    word of a choice in any case (``Sun``, ``a``), a date without leading zeros, a distance as
    text. The models' own schema refused what the loader accepts, so an editor flagged valid
    files (``level: Advanced``, ``date: 2027-1-7``, ``distance: 21.1km``); each choice's words
    stay listed first, for completion."""
    if isinstance(node, list):
        return [as_people_write_it(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: as_people_write_it(value) for key, value in node.items()}
    if node.get("type") == "string" and isinstance(node.get("enum"), list):
        return or_else(node, {"type": "string", "pattern": any_case(node["enum"])})
    if node.get("type") == "string" and node.get("format") == "date":
        # The pattern alone: beside a ``format: date`` branch, which a validator need not check
        # (JSON Schema 2020-12 makes formats annotations), any text had passed as a date.
        return {key: value for key, value in node.items() if key != "format"} | {"pattern": DATE_TEXT}
    return node


def athlete_schema() -> dict[str, Any]:
    schema = allowing_null(Athlete.model_json_schema(by_alias=True))  # before the rules' models join it
    schema = athlete_rules_schema(schema)
    distance = schema["$defs"]["Race"]["properties"]["distance"]
    distance["anyOf"].append({"type": "string", "pattern": DISTANCE_TEXT})
    written: dict[str, Any] = as_people_write_it(schema)
    return {"$schema": JSON_SCHEMA_DIALECT, **written}


class WrittenPlanSchema(GenerateJsonSchema):
    """The plan's schema as periodize writes it: every field in every plan, so every field is
    required (``objective`` and ``bound`` null where there is no plan, ``weeks`` empty). The
    model's own (input) schema marked only ``athlete`` and ``status`` required, as ``validate``
    and ``show`` read plans with fields left out, and a tool generating its types from it
    took every contract field as optional."""

    def field_is_required(self, field: Any, total: bool) -> bool:
        if self.mode == "serialization" and field.get("serialization_exclude_if") is None:
            return True
        return super().field_is_required(field, total)


def plan_schema() -> dict[str, Any]:
    schema = {"$schema": JSON_SCHEMA_DIALECT,
              **Plan.model_json_schema(by_alias=True, mode="serialization", schema_generator=WrittenPlanSchema)}
    schema["description"] = ("A plan as periodize writes it (PLAN-OUTPUT.md): every field is in every plan; where "
                             "there is no plan (status infeasible or unknown) objective and bound are null and weeks "
                             "is empty.")
    return schema


def schema_text(name: SchemaName) -> str:
    if name == SchemaName.plan:
        return json.dumps(plan_schema(), indent=2)
    return json.dumps(athlete_schema(), indent=2)


@guarded
def schema_command(
    name: Annotated[SchemaName, typer.Argument(help="Which schema: athlete or plan.", show_default=False)],
) -> int:
    """Print the JSON Schema of the athlete file or of the plan."""
    typer.echo(schema_text(name))
    return EXIT_OK
