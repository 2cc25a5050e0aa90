"""The officers' layer stays channel-neutral: no module of ``officers/`` imports the bot,
a channel's library or SQL, so its rules and texts can be used by any door and tested
without a chat or a database."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3] / "officers"
#: what the outside world is made of (README, "Layout": bot -> officers -> domain)
FORBIDDEN = ("bot", "conversations", "aiogram", "pywa", "sqlalchemy", "redis", "aiohttp")


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
    return names


def test_officers_import_only_domain_and_the_standard_library() -> None:
    files = sorted(ROOT.rglob("*.py"))
    assert len(files) >= 3  # the layer is there, not an empty glob
    wrong = [
        f"{path.relative_to(ROOT.parent)}: {name}"
        for path in files
        for name in _imports(path)
        if name.split(".")[0] in FORBIDDEN
    ]
    assert wrong == []
