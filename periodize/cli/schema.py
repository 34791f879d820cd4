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
from pydantic.json_schema import GenerateJsonSchema

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
    schema = Plan.model_json_schema(by_alias=True, mode="serialization", schema_generator=WrittenPlanSchema)
    schema["description"] = ("A plan as periodize writes it (PLAN-OUTPUT.md): every field is in every plan; where "
                             "there is no plan (status infeasible or unknown) objective and bound are null and weeks "
                             "is empty.")
    return schema


def schema_text(name: SchemaName) -> str:
    if name == SchemaName.plan:
        return json.dumps(plan_schema(), indent=2)
    return json.dumps(athlete_rules_schema(MODELS[name].model_json_schema(by_alias=True)), indent=2)


@guarded
def schema_command(
    name: Annotated[SchemaName, typer.Argument(help="Which schema: athlete or plan.", show_default=False)],
) -> int:
    """Print the JSON Schema of the athlete file or of the plan."""
    typer.echo(schema_text(name))
    return EXIT_OK
