"""The demo's content, one TOML file per part, read with the standard library."""

import tomllib
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent


@cache
def load(name: str) -> dict:
    """The parsed ``demo/data/<name>.toml``; shared between callers, so read it only."""
    with (DATA_DIR / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)
