"""Ordinals at the status list: «الاول», «الثاني», «اخر واحد», «first» pick the listed
request.

Review 11, §5: with two requests listed («طلباتك (الأحدث أولًا). اختر أحدها…»), «الاول»
was read as a wish to file «إصدار جواز سفر سعودي» (the word sits in that service's
synonyms: «إصدار لأول مرة»), and «الثاني» / «اخر واحد» were taken for the list's
«رقم طلب آخر», which opened the number prompt. A person pointing at a list names its rows
by their place; the words are data (conversations/data/ordinals.json). The engine reads
them before any other reading of the words (conversations.routing, ``_as_option``), so a
lone ordinal is never a need, a question or another button's label.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from conversations.events import Choice, Event, Text
from conversations.state import DialogueState
from conversations.understanding import content_words, words
from domain.normalize import fold_arabic

#: The list step of the look-up (conversations.flows.status).
LIST_STEP = "pick"
#: A choice id for an ordinal past the rows listed («الثالث» with two): its position after it.
BEYOND = "nth:"
#: The position the data calls "last".
LAST = -1
_DATA = Path(__file__).resolve().parent.parent / "data" / "ordinals.json"


@dataclass(frozen=True, slots=True)
class _Ordinals:
    positions: dict[str, int]
    fillers: frozenset[str]
    menu_words: frozenset[str]


@cache
def _ordinals() -> _Ordinals:
    raw: dict[str, Any] = json.loads(_DATA.read_text(encoding="utf-8"))
    positions: dict[str, int] = {}
    for where, phrases in raw["positions"].items():
        place = LAST if where == "last" else int(where)
        for phrase in phrases:
            positions[" ".join(words(phrase))] = place
    return _Ordinals(
        positions,
        frozenset(" ".join(words(w)) for w in raw["fillers"]),
        frozenset(" ".join(words(w)) for w in raw["menu_words"]),
    )


def ordinal_position(text: str) -> int | None:
    """The place a message names in a list: 1 for «الاول» / «first», 2 for «الثاني»…,
    -1 for «اخر واحد» / «الأخير» / «last»; None when it is not an ordinal alone (with
    fillers only: «الطلب الأول», «اول واحد», «the first one»)."""
    data = _ordinals()
    tokens = content_words(text)
    whole = " ".join(tokens)
    if whole in data.positions:
        return data.positions[whole]
    bare = " ".join(t for t in tokens if t not in data.fillers)
    return data.positions.get(bare) if bare else None


def menu_position(typed: str) -> int | None:
    """The place of the option a message names in a menu: 2 for «2», «رقم 2», «الخيار
    2» (digits already made ASCII, domain.normalize.clean_input) and for «الثاني», -1 for
    «الأخير» (an Arabic ordinal with its article: «ثاني» alone is as likely «another»);
    None for anything else. Helper 233: at the services offered, «رقم 2» was
    not read, and «الاول», «الثاني» were taken for the services their words resemble."""
    tokens = content_words(typed)
    named = bool(tokens) and tokens[0] in _ordinals().menu_words
    if named:
        tokens = tokens[1:]
    if len(tokens) == 1 and tokens[0].isdigit() and len(tokens[0]) <= 3:
        return int(tokens[0])
    rest = " ".join(tokens)
    # with its article, a word of the menu or a filler around it («اول وحده», «الخيار
    # الثاني»: helper 235), an ordinal names a place
    # («واحد ثاني» is «another one»: the ordinal must come first)
    positions = _ordinals().positions
    first = bool(tokens) and tokens[0] in positions
    phrase = " ".join(words(typed)) in positions
    marked = (named and len(tokens) == 1) or (
        not named and len(typed.split()) > 1 and (first or phrase)
    )
    if typed.isascii() or marked or any(w.startswith("ال") for w in fold_arabic(typed).split()):
        return ordinal_position(rest) if rest else None
    # «ثاني» alone at a menu is as likely «another» («شخص ثاني») as «the second»
    return None


def listed_choice(state: DialogueState, event: Event) -> Choice | None:
    """An ordinal typed at the status list as the choice of that row (``r:<number>``),
    or, past the rows listed, as ``nth:<position>`` (the list step says how many there
    are); None anywhere else, and for any other message."""
    if state.flow != "status" or state.step != LIST_STEP or not isinstance(event, Text):
        return None
    place = ordinal_position(event.text)
    if place is None:
        return None
    listed: list[list[str]] = state.answers.get("mine") or []
    if place == LAST:
        place = len(listed)
    if 1 <= place <= len(listed):
        return Choice(event.origin, f"r:{listed[place - 1][0]}")
    return Choice(event.origin, f"{BEYOND}{place}")
