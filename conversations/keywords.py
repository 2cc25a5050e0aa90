"""Typed equivalents of the buttons every step offers (cancel, back, help, restart)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from domain.normalize import fold_arabic

_FILE = Path(__file__).resolve().parent / "data" / "keywords.json"


@cache
def _keywords() -> dict[str, frozenset[str]]:
    raw: dict[str, object] = json.loads(_FILE.read_text(encoding="utf-8"))
    return {
        action: frozenset(fold_arabic(word) for word in words)
        for action, words in raw.items()
        if not action.startswith("_") and isinstance(words, list)
    }


def global_action(text: str) -> str | None:
    """The action ("cancel", "back", "help", "restart") a typed message asks for, if any."""
    folded = fold_arabic(text)
    for action, words in _keywords().items():
        if action != "status" and folded in words:
            return action
    return None


def mentions_status(text: str) -> bool:
    """True when a message asks about a request's status, in any of the usual wordings."""
    padded = f" {fold_arabic(text)} "
    return any(f" {phrase} " in padded for phrase in _keywords()["status"])
