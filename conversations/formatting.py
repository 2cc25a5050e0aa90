"""How numbers, dates and quoted text read in a message, in each language.

Two kinds of number appear in what the bot says, and they are treated differently:

- *Quantities and dates* ("٣ أيام عمل", "٢١ جمادى الآخرة ١٤٤٨هـ") are words for the reader:
  in Arabic they are written in the digits the setting asks for (Arabic-Indic by default,
  ``TAWASUL_ARABIC_DIGITS=latn`` for Western digits).
- *Identifiers* (request, identity, establishment and phone numbers) are data the person
  copies into Absher, a bank form or back into this chat. They stay in ASCII digits in
  every language, because many systems refuse Arabic-Indic digits (ours accepts both), and
  in Arabic text they are wrapped in a left-to-right isolate (LRI … PDI) so that a
  "+966…" keeps its plus sign in front and a number never swaps places with the words
  or numbers around it.

:func:`present` applies both rules to a finished message, so a flow writes plain ``%d``
placeholders and cannot forget either rule. Text the person typed and the bot echoes is
wrapped by :func:`isolate` first; nothing inside an isolate is touched.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Literal

from babel.dates import get_day_names, get_month_names
from hijridate import Gregorian

from conversations.i18n import DEFAULT_LOCALE, Texts

Digits = Literal["arab", "latn"]
DIGIT_SYSTEMS: tuple[Digits, ...] = ("arab", "latn")
RTL_LOCALES = frozenset({"ar"})

LRI = "\u2066"  # left-to-right isolate
RLI = "\u2067"  # right-to-left isolate
FSI = "\u2068"  # first-strong isolate: the direction of its first letter
PDI = "\u2069"  # pop directional isolate
_OPENERS = frozenset(LRI + RLI + FSI)
# Everything that could break out of, or into, an isolate when it comes from the person.
_BIDI_CONTROLS = str.maketrans(
    "", "", "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e" + LRI + RLI + FSI + PDI
)

_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# Nine digits or more (with an optional leading "+") is an identifier: no count or date in
# a message is that long, and every identifier the bot shows (request, identity,
# establishment, E.164 phone) is at least ten digits.
_NUMBERS = re.compile(r"(\+?[0-9]{9,})|[0-9]+")


def digits_for(locale: str, arabic_digits: Digits) -> Digits:
    """The digits quantities are written in for ``locale``."""
    return arabic_digits if locale == "ar" else "latn"


def to_digits(text: str, digits: Digits) -> str:
    """ASCII digits in ``text`` written in ``digits`` (no isolate awareness)."""
    return text.translate(_ARABIC_INDIC) if digits == "arab" else text


def ltr(text: str) -> str:
    """``text`` as one left-to-right unit inside any paragraph."""
    return f"{LRI}{text}{PDI}"


def isolate(text: str) -> str:
    """Text the person wrote, quoted inside a message: each line in its own first-strong
    isolate, so an English answer inside an Arabic sentence (or the reverse) keeps its own
    direction, and :func:`present` leaves its digits as they were typed. Bidi controls the
    person pasted are dropped from the quote so it cannot leak into the bot's sentence."""
    return "\n".join(f"{FSI}{line.translate(_BIDI_CONTROLS)}{PDI}" for line in text.split("\n"))


@functools.lru_cache(maxsize=1024)
def present(text: str, locale: str, arabic_digits: Digits) -> str:
    """A finished message as the person should see it in ``locale`` (see the module doc).
    English text is returned unchanged.

    Cached: most of what is presented is the same text again (questions, button labels),
    and this walks it a character at a time, for every reply and label of every turn."""
    if locale not in RTL_LOCALES:
        return text
    digits = digits_for(locale, arabic_digits)

    def number(match: re.Match[str]) -> str:
        if match.group(1):
            return ltr(match.group(1))
        return to_digits(match.group(0), digits)

    out: list[str] = []
    plain: list[str] = []
    depth = 0
    for ch in text:
        if depth == 0 and ch not in _OPENERS:
            plain.append(ch)
            continue
        if plain:
            out.append(_NUMBERS.sub(number, "".join(plain)))
            plain.clear()
        out.append(ch)
        if ch in _OPENERS:
            depth += 1
        elif ch == PDI:
            depth -= 1
        elif ch == "\n":
            depth = 0  # an isolate never crosses a paragraph (UAX #9, BD8)
    if plain:
        out.append(_NUMBERS.sub(number, "".join(plain)))
    return "".join(out)


# ---- dates ----------------------------------------------------------------------------


def _babel_locale(locale: str) -> str:
    # Saudi Arabic month names and week days; English as written in the kingdom
    return "ar_SA" if locale == "ar" else "en"


@functools.cache
def _day_names(locale: str) -> tuple[str, ...]:
    # Babel's lookup took ~65 µs a call (Locale.parse, its data's layers); the names are
    # the same every time (issue 12's profile of a turn)
    names = get_day_names("wide", locale=_babel_locale(locale))
    return tuple(str(names[i]) for i in range(7))


@functools.cache
def _month_names(locale: str) -> tuple[str, ...]:
    names = get_month_names("wide", locale=_babel_locale(locale))
    return ("", *(str(names[i]) for i in range(1, 13)))


def weekday_name(day: dt.date, locale: str) -> str:
    return _day_names(locale)[day.weekday()]


def format_gregorian(day: dt.date, texts: Texts) -> str:
    """ "1 December 2026" / "1 ديسمبر 2026م" (ASCII digits: see :func:`present`)."""
    _ = texts.gettext
    month = _month_names(texts.locale)[day.month]
    # Built from parts rather than a Babel pattern: Babel puts RLM marks in Arabic dates,
    # which people then paste back.
    return _("%(day)d %(month)s %(year)d") % {"day": day.day, "month": month, "year": day.year}


def format_hijri(day: dt.date, texts: Texts) -> str:
    """The Umm al-Qura date: "21 Jumada al-Akhirah 1448 AH" / "21 جمادى الآخرة 1448هـ"."""
    _ = texts.gettext
    hijri_day, month, year = _hijri(day, "ar" if texts.locale == "ar" else "en")
    return _("%(day)d %(month)s %(year)d AH") % {"day": hijri_day, "month": month, "year": year}


@functools.lru_cache(maxsize=256)
def _hijri(day: dt.date, language: Literal["ar", "en"]) -> tuple[int, str, int]:
    # ~25 µs a conversion, for the few days a process shows (today, the due dates)
    hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    return hijri.day, str(hijri.month_name(language)), hijri.year


def format_long_date(day: dt.date, texts: Texts) -> str:
    """The day of the week with both calendars, in the order the language puts them:
    "Tuesday, 1 December 2026 (21 Jumada al-Akhirah 1448 AH)" /
    "الثلاثاء 21 جمادى الآخرة 1448هـ، الموافق 1 ديسمبر 2026م"."""
    _ = texts.gettext
    return _("%(weekday)s, %(gregorian)s (%(hijri)s)") % {
        "weekday": weekday_name(day, texts.locale),
        "gregorian": format_gregorian(day, texts),
        "hijri": format_hijri(day, texts),
    }


def format_day(day: dt.date, texts: Texts) -> str:
    """Both calendars without the weekday, for a day in a list: "2 November 2026 (22
    Jumada al-Ula 1448 AH)" / "22 جمادى الأولى 1448هـ (2 نوفمبر 2026م)"."""
    _ = texts.gettext
    return _("%(gregorian)s (%(hijri)s)") % {
        "gregorian": format_gregorian(day, texts),
        "hijri": format_hijri(day, texts),
    }


def format_due_date(day: dt.date, locale: str = DEFAULT_LOCALE) -> str:
    """The due date as a sentence shows it (both calendars)."""
    return format_long_date(day, Texts(locale))


def or_list(texts: Texts, items: list[str]) -> str:
    """«a, b or c» in the person's language; one item as it is."""
    _ = texts.gettext
    if len(items) == 1:
        return items[0]
    return _("%(first)s or %(last)s") % {"first": _(", ").join(items[:-1]), "last": items[-1]}
