"""Whether a message asks "where is my request?", in the person's own words.

:func:`is_status_question` scores a message's words (data people maintain:
``conversations/data/status_words.json``, measured on test sets, see the README): a cue
(وصل، صار، يخلص، update...) and the request it is about (طلبي، معاملتي، application...), each
word weighted, so everyday phrasings in any dialect count without listing each sentence.
Words are compared as :mod:`conversations.understanding` keys them (Arabic folding, without
the article or a feminine ة) and within one typo for longer words.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from conversations.understanding import FUZZY_MIN, has_phrase, near, words

_DATA = Path(__file__).resolve().parent / "data"
#: Past this many words a message is a story, read sentence by sentence.
_LONG_WORDS = 15
#: What ends a sentence or a clause in a message (Arabic and Latin punctuation, a new line).
_CLAUSE_END = re.compile(r"[.!?؟،,؛;\n]+")


@dataclass(frozen=True, slots=True)
class _StatusWords:
    cues: dict[str, float]
    objects: dict[str, float]
    phrases: tuple[tuple[str, ...], ...]
    threshold: float
    # real words near a cue, never read as its typo («تأشيرة» is not «تأخير»)
    not_typos: frozenset[str]


@cache
def _status_words() -> _StatusWords:
    raw: dict[str, Any] = json.loads((_DATA / "status_words.json").read_text(encoding="utf-8"))
    return _StatusWords(
        cues={" ".join(words(k)): float(v) for k, v in raw["cues"].items()},
        objects={" ".join(words(k)): float(v) for k, v in raw["objects"].items()},
        phrases=tuple(tuple(words(p)) for p in raw["phrases"]),
        threshold=float(raw["threshold"]),
        not_typos=frozenset(" ".join(words(k)) for k in raw.get("not_typos", ())),
    )


@lru_cache(maxsize=512)
def status_score(text: str) -> float:
    """How much a message reads as "where is my request?" (see status_words.json).

    Cached: several readers of a turn ask it of the same message, and each word not in the
    tables is compared with every cue and object within a typo."""
    data = _status_words()
    tokens = words(text)
    if any(has_phrase(tokens, phrase) for phrase in data.phrases):
        return data.threshold + 1
    clauses = [c for c in _CLAUSE_END.split(text) if c.strip()]
    if len(tokens) > _LONG_WORDS and len(clauses) > 1:
        # a story of several sentences: the cue and the request it is about must meet in
        # one sentence or the next («قدمت طلب…، وللحين ما جاني رد»), not anywhere: «… وما
        # يكمل الطلب، وكلمت الكفيل…، وانا خايف من الغرامة لان التأخير…» is no status
        # question (helper 233's long iqama story was asked for a request number)
        keyed = [words(c) for c in clauses]
        return max(_clause_score(data, a + b) for a, b in pairwise([*keyed, []]))
    return _clause_score(data, tokens)


def _clause_score(data: _StatusWords, tokens: list[str]) -> float:
    """The cue's weight and its object's, added; 0 when either is missing."""
    pairs = [f"{a} {b}" for a, b in pairwise(tokens)]
    cue = max((_weight(t, data.cues, data.not_typos) for t in tokens), default=0.0)
    cue += sum(_weight(pair, data.cues) for pair in pairs)
    about = max((_weight(t, data.objects, data.not_typos) for t in [*tokens, *pairs]), default=0.0)
    # a cue alone («وش صار؟») or an object alone («طلبي») is not enough
    return cue + about if cue and about else 0.0


def is_status_question(text: str) -> bool:
    """True when a message asks where a request stands, in the person's own words."""
    return status_score(text) >= _status_words().threshold


def _weight(token: str, table: dict[str, float], exact: frozenset[str] = frozenset()) -> float:
    if token in table:
        return table[token]
    if token in exact:
        # a real word of its own, not a typo of the table's word next to it
        return 0.0
    # a one-letter preposition written onto the word: «بطلبي», «لطلبي», «عطلبي»
    if len(token) >= 4 and token[0] in "بلعف" and token[1:] in table:
        return table[token[1:]]
    if " " in token or len(token) < FUZZY_MIN:
        return 0.0
    return max((w for k, w in table.items() if " " not in k and near(token, k)), default=0.0)
