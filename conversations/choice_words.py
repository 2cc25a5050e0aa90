"""``conversations/data/choices.json``, read once: the yes and no words, fillers, each
option's own words, the negations and the emoji that answer yes or no. Split from
:mod:`conversations.understanding`, which weighs a typed answer with them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from conversations.word_keys import words

_DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True, slots=True)
class ChoiceWords:
    yes: frozenset[str]
    no: frozenset[str]
    fillers: frozenset[str]
    # words of a label that do not name its option (they may name another)
    not_in_labels: frozenset[str]
    # «قلت لك», «سبق وذكرت»: dropped from the start of an answer, longest first
    said_before: tuple[tuple[str, ...], ...]
    yes_options: tuple[str, ...]
    no_options: tuple[str, ...]
    option_words: dict[str, frozenset[str]]
    # "<question id>:<option id>" -> the words that answer that question that way
    question_words: dict[str, frozenset[str]]
    # «is not» words: an option's word right after one is not a mention of it
    negations: frozenset[str]
    # «is not» words before a choice's word («مو داخل», «ما دخل»): ``negations`` less «غير»
    # («غير الرقم» is "change the number"), with the verbal «ما», «لم»
    choice_negations: frozenset[str]
    # questions whose refused answer a sentence at the refusal step changes
    sentence_questions: frozenset[str]
    # option id -> the words by which a sentence names it (nationality adjectives only)
    sentence_words: dict[str, frozenset[str]]
    # «قدر», «يستطيع», «سمحوا»: an ability whose denial («ما قدر دخول») denies the option after it
    abilities: frozenset[str]
    # «لا», «لن»: words that deny an ability though they deny no option («لا، داخل» corrects)
    ability_negations: frozenset[str]
    # option ids shown beside a question's answers («حالة طلبي»): never «the other» of a denial
    side_options: frozenset[str]
    # option id -> words that, in the same message, keep it from being read («اقامتي خلصت»)
    not_with: dict[str, frozenset[str]]
    # an emoji -> the word it says as an answer («👍»: «نعم»)
    emoji: dict[str, str]


def _keys(items: Iterable[str]) -> frozenset[str]:
    return frozenset(" ".join(words(item)) for item in items)


@cache
def choice_words() -> ChoiceWords:
    raw: dict[str, Any] = json.loads((_DATA / "choices.json").read_text(encoding="utf-8"))
    return ChoiceWords(
        yes=_keys(raw["yes"]),
        no=_keys(raw["no"]),
        fillers=_keys(raw["fillers"]),
        not_in_labels=_keys(raw.get("not_in_labels", [])),
        said_before=_leads(raw.get("said_before", []), _keys(raw["fillers"])),
        yes_options=tuple(raw["yes_options"]),
        no_options=tuple(raw["no_options"]),
        option_words={k: _keys(v) for k, v in raw["option_words"].items()},
        question_words={k: _keys(v) for k, v in raw.get("question_words", {}).items()},
        negations=_keys(raw.get("negations", [])),
        choice_negations=_keys(raw.get("choice_negations", [])),
        sentence_questions=frozenset(raw.get("sentence_questions", [])),
        side_options=frozenset(raw.get("side_options", [])),
        abilities=_keys(raw.get("abilities", [])),
        ability_negations=_keys(raw.get("ability_negations", [])),
        sentence_words={k: _keys(v) for k, v in raw.get("sentence_words", {}).items()},
        not_with={k: _keys(v) for k, v in raw.get("not_with", {}).items()},
        emoji={k: v for k, v in raw.get("emoji", {}).items() if not k.startswith("_")},
    )


#: Skin tones and the emoji presentation selector: «👍🏽» and «✔️» are «👍» and «✔».
_EMOJI_MODIFIERS = re.compile("[\U0001f3fb-\U0001f3ff\ufe0f]")


def emoji_as_words(text: str, data: ChoiceWords) -> str:
    """``text`` with each emoji of choices.json ``emoji`` written as the word it says
    («👍» -> «نعم», «👎» -> «لا»), which the word readers would otherwise drop as no
    word at all (session 25's probe: «👍» at a yes-or-no question got «لم أفهم»)."""
    if not _has_emoji(text, tuple(data.emoji)):
        return text  # nearly every message: nothing to write out
    text = _EMOJI_MODIFIERS.sub("", text)
    for sign, word in data.emoji.items():
        if sign in text:
            text = text.replace(sign, f" {word} ")
    return text


def _leads(items: Iterable[str], fillers: frozenset[str]) -> tuple[tuple[str, ...], ...]:
    # compared with a message's words once its fillers are gone, so without them too
    leads = {tuple(w for w in words(item) if w not in fillers) for item in items}
    return tuple(sorted((lead for lead in leads if lead), key=len, reverse=True))


@lru_cache(maxsize=512)
def _has_emoji(text: str, signs: tuple[str, ...]) -> bool:
    # cached: a typed answer is read by several readers of a turn
    return any(sign in text for sign in signs)
