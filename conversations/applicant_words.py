"""Who files, as a story typed at the first question says it: an establishment
(«مؤسستي تبي تشتكي على الموظف…»), an individual («…ولدي…»), or neither said. The words
are data people maintain (``conversations/data/applicant_words.json``). Found in review 16
(§3): such a story naming no service was filed as a person's without asking."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Literal

from conversations.understanding import has_phrase, words

_DATA = Path(__file__).resolve().parent / "data" / "applicant_words.json"

Applicant = Literal["individual", "establishment"]


def _phrases(items: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(words(item)) for item in items if words(item))


@cache
def _lists() -> dict[Applicant, tuple[tuple[str, ...], ...]]:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    return {
        "establishment": _phrases(raw["establishment"]),
        "individual": _phrases(raw["individual"]),
    }


def _says(tokens: list[str], phrases: tuple[tuple[str, ...], ...]) -> bool:
    # «وعمالي»: the conjunction written onto the word
    bare = [t[1:] if len(t) >= 4 and t.startswith("و") else t for t in tokens]
    return any(has_phrase(tokens, p) or has_phrase(bare, p) for p in phrases)


def applicant_said(text: str) -> Applicant | None:
    """ "establishment" or "individual" when ``text`` says only that one by its listed
    words; None when it says neither or both (the person is asked)."""
    tokens = words(text)
    said = [kind for kind, phrases in _lists().items() if _says(tokens, phrases)]
    return said[0] if len(said) == 1 else None


@cache
def _no_establishment() -> tuple[tuple[str, ...], ...]:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    return _phrases(raw["no_establishment"])


def says_no_establishment(text: str) -> bool:
    """Whether ``text``, at the establishment's number, says there is none or the worker is
    a household's («ما عندي رقم منشأة», «هي خادمة في البيت»; applicant_words.json
    ``no_establishment``): such a request is an individual's."""
    return _says(words(text), _no_establishment())


@cache
def _household_workers() -> tuple[tuple[str, ...], ...]:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    return _phrases(raw["household_workers"])


def names_household_worker(text: str) -> bool:
    """Whether ``text`` names a household's worker («عامل منزلي», «شغالة», «سائق خاص»;
    applicant_words.json ``household_workers``), whom an individual sponsors."""
    return _says(words(text), _household_workers())
