"""The languages the bot speaks, and how a person asks for one in their own words.

The switch works at any step: the «English» / «العربية» button under help, ``/lang``
(``/lang en``, ``/lang ar``), typing the language's name as people write it, or asking
for it in words («please answer in English», «كلمني بالعربي»). The names, the phrases
(conversations/data/languages.json) and the welcome's hint are deliberately not
translated: a language is named in itself, and the hint that the other language exists is
written in that other language, for the person who cannot read this one.

Once the person's language is set, it does not flip on one message: a sentence in the other
language is answered in theirs, with a line in the language they wrote in saying how to
switch (:func:`kept_hint`); only :data:`SUSTAINED` messages in a row wholly in the other
language switch a language they did not choose in so many words. A passports service that
speaks Arabic first keeps a person's Arabic over one pasted English error message, and an
English reader over one Arabic sentence copied from a form.
"""

from __future__ import annotations

import dataclasses
import json
import re
from functools import cache, lru_cache
from pathlib import Path

from conversations.events import Reply
from conversations.i18n import DEFAULT_LOCALE, LOCALES, Texts
from domain.normalize import fold_arabic

_DATA = Path(__file__).resolve().parent / "data"
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff]")
# a word of Latin letters (and an apostrophe or hyphen inside: «i'm», «re-entry»)
_LATIN_WORD = re.compile(r"[a-z]+(?:['’-][a-z]+)*")
_COMMAND_WORD = re.compile(r"(?<!\S)/\S+")

NAMES = {"ar": "العربية", "en": "English"}

#: One question, readable whichever language the person reads.
QUESTION = "اختر اللغة · Choose your language"

#: A line under the greeting, in the *other* language.
OTHER_LANGUAGE_HINT = {
    "ar": "For English, type «English».",
    "en": "للمتابعة بالعربية يُرجى كتابة «عربي».",
}


@cache
def _language_data() -> dict[str, dict[str, list[str]]]:
    data: dict[str, dict[str, list[str]]] = json.loads(
        (_DATA / "languages.json").read_text(encoding="utf-8")
    )
    return data


@cache
def _by_word() -> dict[str, str]:
    """A whole message that names a language, folded (conversations/data/languages.json)."""
    names = _language_data()["names"]
    return {fold_arabic(word): locale for locale, words in names.items() for word in words}


@cache
def _requests() -> tuple[tuple[str, str], ...]:
    """(phrase, locale): the phrases that ask for a language within a message, folded and
    padded with spaces, so that they match whole words only."""
    requests = _language_data()["requests"]
    return tuple(
        (f" {fold_arabic(phrase)} ", locale)
        for locale, phrases in requests.items()
        for phrase in phrases
    )


@lru_cache(maxsize=512)
def language_asked(text: str) -> str | None:
    """The locale a message asks for, if any: a whole message naming it ("English",
    "انجليزي", "العربية"), or one that asks in so many words to be answered in it, or says
    the person cannot read the other («I do not read Arabic, please answer in English»,
    «كلمني بالعربي»). Such a request switches at once, as /lang does (found by the
    fresh-clone tester: it was answered in Arabic until the third English message, the
    count for messages that merely are in English). The phrases are data
    (conversations/data/languages.json); a message asking for both languages asks for
    neither.

    Cached: a turn asks it of its message twice, each time looking for every phrase."""
    folded = fold_arabic(text)
    named = _by_word().get(folded)
    if named is not None:
        return named
    padded = f" {folded} "
    found = sorted(
        (
            (padded.find(phrase), phrase, locale)
            for phrase, locale in _requests()
            if phrase in padded
        ),
        key=lambda match: -len(match[1]),
    )
    # a phrase inside a longer one is read as part of it: «arabic please» in «I do not read
    # arabic please answer in english» is not a wish for Arabic
    taken: list[tuple[int, int]] = []
    asked: set[str] = set()
    for start, phrase, locale in found:
        end = start + len(phrase.strip()) + 1
        if all(end <= s or start + 1 >= e for s, e in taken):
            taken.append((start + 1, end))
            asked.add(locale)
    return asked.pop() if len(asked) == 1 else None


def language_argument(args: str) -> str | None:
    """The locale named after ``/lang``: a code ("en") or a name ("English", "عربي")."""
    code = args.strip().lower()
    return code if code in LOCALES else language_asked(args)


def other_language(locale: str) -> str:
    return next(code for code in LOCALES if code != locale)


@cache
def _english_words() -> frozenset[str]:
    raw = json.loads((_DATA / "english_words.json").read_text(encoding="utf-8"))
    return frozenset(word.lower() for word in raw["words"])


def written_in(text: str) -> str | None:
    """The language a message is written in: "ar" when its letters are mostly Arabic,
    "en" when they are Latin and at least a third of its words are everyday English
    (``conversations/data/english_words.json``), None when unclear: digits, a word or
    two of Arabizi («abi ajadid el iqama» is Arabic in Latin letters), a name. A word
    typed as a command («/start») says nothing of the language and is left out."""
    lowered = _COMMAND_WORD.sub(" ", text.lower())
    arabic = len(_ARABIC_LETTER.findall(lowered))
    latin_words = _LATIN_WORD.findall(lowered)
    latin = sum(len(w) for w in latin_words)
    if arabic and arabic >= latin:
        return "ar"
    if not latin_words or arabic or any(ch.isdigit() for ch in lowered):
        # Arabizi writes letters with digits («3ayez», «7abibi»): never taken for English
        return None
    english = sum(w.replace("’", "'") in _english_words() for w in latin_words)
    return "en" if english * 3 >= len(latin_words) else None


#: Words a message needs before it says the person reads its language, once the language
#: is set: «hello», «ok thanks», «go back please», «شكرا» are said by speakers of either.
CLEAR_WORDS = 4
_ARABIC_WORD = re.compile(r"[\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff]+")


def wholly_in(text: str) -> str | None:
    """The language a message is written in when it says so beyond doubt: at least
    :data:`CLEAR_WORDS` words, all in one script, and English words that
    :func:`written_in` reads as English (not Arabizi); None for a mixed message
    («hello ابي اجدد»), a short one or an unclear one."""
    lowered = text.lower()
    arabic = _ARABIC_WORD.findall(lowered)
    latin = _LATIN_WORD.findall(lowered)
    if arabic and latin:
        return None
    if len(arabic) >= CLEAR_WORDS:
        return "ar"
    if len(latin) >= CLEAR_WORDS and written_in(text) == "en":
        return "en"
    return None


#: Messages in a row wholly in the other language (:func:`wholly_in`, none wholly in the
#: person's own between them) that switch a language set but not chosen in so many words:
#: clear, sustained evidence that they read the other one better, not a sentence pasted.
SUSTAINED = 3


def kept_hint(written: str, current: str) -> str:
    """One line in the language ``written`` (the one the person just wrote in): the
    conversation stays in ``current``, and how to switch. It carries the welcome's hint for
    ``current`` (:data:`OTHER_LANGUAGE_HINT`), so it is not added where that hint shows."""
    _ = Texts(written).gettext
    if current == "ar":
        return _("This chat stays in Arabic. For English, type «English».")
    return _("This chat stays in English. To continue in Arabic, type «عربي».")


def from_platform(code: str | None) -> str | None:
    """The language the person's app is set to (an IETF tag as the platform gives it:
    "en", "en-US", "ar-SA"), when it is one we speak; None otherwise. English-set apps
    are greeted in English; any other setting keeps Arabic, the default (many residents
    set their phones to a language we do not speak, and Arabic is the service's own)."""
    if not code:
        return None
    primary = code.strip().lower().replace("_", "-").split("-", 1)[0]
    return primary if primary in LOCALES else None


def unstored_locale(platform: str | None, text: str | None) -> str:
    """The language of an answer given while the person's own cannot be read (it is kept
    in the dialogue store, Redis, which is what is away): the language their app is set to
    where the platform says it (Telegram's ``from.language_code``, :func:`from_platform`),
    else the language the message is written in (:func:`written_in`: everyday English in
    Latin letters reads as English; Arabic, Arabizi, digits or nothing as Arabic), else
    the default, Arabic. A locale code of :data:`~conversations.i18n.LOCALES`."""
    hinted = from_platform(platform)
    if hinted is not None:
        return hinted
    return (written_in(text) if text else None) or DEFAULT_LOCALE


def with_way_back(replies: list[Reply], locale: str, line: str | None = None) -> list[Reply]:
    """``replies`` in ``locale`` with the way to the other language at the top: ``line``
    (:func:`kept_hint`), else the welcome's hint written in that other language; nothing is
    added where the welcome already says it."""
    hint = OTHER_LANGUAGE_HINT[locale]
    if not replies or any(hint in r.text for r in replies):
        return replies
    first = replies[0]
    return [dataclasses.replace(first, text=f"{line or hint}\n{first.text}"), *replies[1:]]
