"""The languages the bot speaks, and how a person asks for one in their own words.

The switch works at any step: the «English» / «العربية» button under help, ``/lang``
(``/lang en``, ``/lang ar``), or typing the language's name as people write it. The
texts here are deliberately not translated: a language is named in itself, and the hint
that the other language exists is written in that other language, for the person who
cannot read this one.
"""

from __future__ import annotations

from conversations.i18n import LOCALES
from domain.normalize import fold_arabic

NAMES = {"ar": "العربية", "en": "English"}

#: One question, readable whichever language the person reads.
QUESTION = "اختر اللغة · Choose your language"

#: A line under the greeting, in the *other* language.
OTHER_LANGUAGE_HINT = {
    "ar": "For English, type «English».",
    "en": "للمتابعة بالعربية اكتب «عربي».",
}

# Compared after fold_arabic: hamza, ta marbuta and alef maqsura variants need no entry.
_TYPED = {
    "en": (
        "english", "in english", "inglish", "engl", "انجليزي", "انجليزيه", "الانجليزي",
        "الانجليزيه", "اللغه الانجليزيه", "بالانجليزي", "بالانجليزيه", "انقليزي", "انكليزي",
        "انجلش", "انقلش",
    ),
    "ar": (
        "arabic", "in arabic", "arabi", "عربي", "العربي", "العربيه", "عربيه",
        "اللغه العربيه", "بالعربي", "بالعربيه",
    ),
}  # fmt: skip
_BY_WORD = {fold_arabic(word): locale for locale, words in _TYPED.items() for word in words}


def language_asked(text: str) -> str | None:
    """The locale a whole message asks for ("English", "انجليزي", "العربية"...), if any."""
    return _BY_WORD.get(fold_arabic(text))


def language_argument(args: str) -> str | None:
    """The locale named after ``/lang``: a code ("en") or a name ("English", "عربي")."""
    code = args.strip().lower()
    return code if code in LOCALES else language_asked(args)


def other_language(locale: str) -> str:
    return next(code for code in LOCALES if code != locale)
