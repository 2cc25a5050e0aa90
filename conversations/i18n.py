"""Translations for the dialogues: gettext catalogues under ``locales/``, Arabic first.

The catalogues are compiled by the build (``make``), never committed. Messages in code are
English msgids; the Arabic catalogue is the text residents read, written in Arabic rather
than translated word for word.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

DOMAIN = "tawasul"
DEFAULT_LOCALE = "ar"
LOCALES = ("ar", "en")
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"


@cache
def translations(locale: str) -> NullTranslations:
    if locale not in LOCALES:
        locale = DEFAULT_LOCALE
    return Translations.load(LOCALES_DIR, [locale], domain=DOMAIN)


@dataclass(frozen=True, slots=True)
class Texts:
    """gettext bound to one locale; flows call ``_ = texts.gettext`` so Babel extracts them."""

    locale: str

    def gettext(self, message: str) -> str:
        return translations(self.locale).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return translations(self.locale).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a message for extraction where it is translated later (tables, data)."""
    return message
