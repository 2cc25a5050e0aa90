"""Short messages that ask for something by their words: «بياناتي», «احذف بياناتي»
(:mod:`conversations.my_data`), «أضيف ملاحظة», «أعيدوا النظر» (:mod:`conversations.say_parts`).

The phrases are data (a JSON file of ``{name: [phrase, …]}``); a message asks for a wish
when one of its phrases is in it as whole words, after folding (digits, letter forms,
diacritics: :func:`domain.normalize.fold_arabic`) and without the article «ال», and when the
message is short: a long description that mentions its data is not a request to see it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TypeVar

from domain.normalize import fold_arabic

T = TypeVar("T")


def _key(text: str) -> str:
    words = fold_arabic(text).split()
    return " ".join(w[2:] if w.startswith("ال") and len(w) > 4 else w for w in words)


@cache
def _phrases(path: Path) -> dict[str, tuple[str, ...]]:
    raw: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return {
        name: tuple(_key(str(p)) for p in phrases)
        for name, phrases in raw.items()
        if isinstance(phrases, list)
    }


def wish(text: str, path: Path, wishes: Sequence[tuple[str, T]], *, max_words: int) -> T | None:
    """The first of ``wishes`` ((the phrase list's name in ``path``, what it means), in
    the order given: the first that matches wins) that ``text`` asks for; None when none
    does or the message has more than ``max_words`` words. Raises OSError, ValueError for
    a missing or malformed file, KeyError for a name it lacks."""
    key = _key(text)
    if not key or len(key.split()) > max_words:
        return None
    padded = f" {key} "
    for name, meaning in wishes:
        if any(f" {phrase} " in padded for phrase in _phrases(path)[name]):
            return meaning
    return None
