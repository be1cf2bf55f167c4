"""Locate and read the files in the project's top-level ``resources/`` folder."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a file below ``resources/``; raises FileNotFoundError naming it when absent."""
    path = RESOURCES_DIR.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"resource file missing: {path.relative_to(RESOURCES_DIR.parent)}")
    return path


@cache
def load_toml(*parts: str) -> dict[str, Any]:
    """Parse a TOML file below ``resources/`` (cached: resources do not change at run time)."""
    with resource_path(*parts).open("rb") as fh:
        return tomllib.load(fh)
