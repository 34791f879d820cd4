"""``periodize schema``: the JSON Schema of the athlete file or the plan, for editors and tools.

Editors (VS Code's YAML extension, for one) complete and check athlete files from this schema,
which comes straight from the pydantic models, so it cannot drift from what the loader accepts.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from pydantic import BaseModel

from periodize.cli.errors import EXIT_OK, guarded
from periodize.models.athlete import Athlete
from periodize.models.plan import Plan


class SchemaName(StrEnum):
    athlete = "athlete"
    plan = "plan"


MODELS: dict[SchemaName, type[BaseModel]] = {SchemaName.athlete: Athlete, SchemaName.plan: Plan}


def schema_text(name: SchemaName) -> str:
    return json.dumps(MODELS[name].model_json_schema(by_alias=True), indent=2)


@guarded
def schema_command(
    name: Annotated[SchemaName, typer.Argument(help="Which schema: athlete or plan.", show_default=False)],
) -> int:
    """Print the JSON Schema of the athlete file or of the plan."""
    typer.echo(schema_text(name))
    return EXIT_OK
