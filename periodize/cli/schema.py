"""``periodize schema``: the JSON Schema of the athlete file or the plan, for editors and tools.

Editors (VS Code's YAML extension, for one) complete and check athlete files from this schema,
which comes straight from the pydantic models, so it cannot drift from what the loader accepts.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

import typer
from pydantic import BaseModel

from periodize.cli.errors import EXIT_OK, guarded
from periodize.models.athlete import Athlete
from periodize.models.plan import Plan
from periodize.models.rules import Rules


class SchemaName(StrEnum):
    athlete = "athlete"
    plan = "plan"


MODELS: dict[SchemaName, type[BaseModel]] = {SchemaName.athlete: Athlete, SchemaName.plan: Plan}


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
    schema["properties"]["rules"] = rules
    return schema


def schema_text(name: SchemaName) -> str:
    schema = MODELS[name].model_json_schema(by_alias=True)
    return json.dumps(athlete_rules_schema(schema) if name == SchemaName.athlete else schema, indent=2)


@guarded
def schema_command(
    name: Annotated[SchemaName, typer.Argument(help="Which schema: athlete or plan.", show_default=False)],
) -> int:
    """Print the JSON Schema of the athlete file or of the plan."""
    typer.echo(schema_text(name))
    return EXIT_OK
