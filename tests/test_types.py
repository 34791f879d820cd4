"""The package type-checks: mypy over ``periodize/`` with pyproject's ``[tool.mypy]`` settings.

Why a test: CI runs the README's test command and nothing else, and the type hints are only
worth what a checker holds them to (before this test 173 findings had piled up, nearly all
OR-Tools expressions annotated with a type its operators do not accept).
"""

from __future__ import annotations

from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parent.parent


def test_the_package_type_checks(tmp_path: Path) -> None:
    stdout, stderr, status = api.run([
        "--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(tmp_path / "mypy"), str(ROOT / "periodize"),
    ])
    assert status == 0, stdout + stderr
