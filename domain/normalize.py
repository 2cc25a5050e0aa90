"""Arabic-aware text normalisation.

People type on Arabic phone keyboards, paste from Absher or from WhatsApp, and mix scripts:
digits arrive as ASCII, Arabic-Indic or Persian, and copy-paste brings invisible bidi marks
that make ``"١٢٣" != "123"`` and break every ``[0-9]`` check. Everything that compares or
validates user text goes through these functions first.
"""

from __future__ import annotations

import functools
import string
import unicodedata

_ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"  # U+0660..U+0669
_PERSIAN = "۰۱۲۳۴۵۶۷۸۹"  # U+06F0..U+06F9
_DIGITS = str.maketrans(_ARABIC_INDIC + _PERSIAN, "0123456789" * 2)
# Keycap emoji («1️⃣» is «1», VS16, U+20E3), as people copy numbered menus, and «🔟»: the
# digit they show (tester 13, §23: «1️⃣» at the first menu was «يُرجى اختيار واحد…»).
_KEYCAP = "\u20e3"
_KEYCAP_TEN = "\U0001f51f"

# Marks that render as nothing but survive copy-paste from bidi-aware apps and Babel output.
_INVISIBLE = (
    "\u200e\u200f\u061c"  # LRM, RLM, ALM
    "\u200b\u200c\u200d"  # ZWSP, ZWNJ, ZWJ
    "\u2060\ufeff\u00ad"  # word joiner, BOM, soft hyphen
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2066\u2067\u2068\u2069"  # bidi isolates
)
_DROP_INVISIBLE = str.maketrans("", "", _INVISIBLE)

_TATWEEL = "\u0640"
# Harakat, the superscript alef and the Quranic annotation marks: all optional in writing,
# so two spellings of one word must compare equal without them.
_DIACRITICS = (
    "".join(chr(c) for c in range(0x064B, 0x0660))
    + "\u0670"
    + "".join(chr(c) for c in range(0x06D6, 0x06DD))
    + "".join(chr(c) for c in range(0x06DF, 0x06E9))
    + "".join(chr(c) for c in range(0x06EA, 0x06EE))
)
_DROP_MARKS = str.maketrans("", "", _TATWEEL + _DIACRITICS)

# Letters people write interchangeably, above all when the keyboard hides the hamza.
_LETTER_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ؤ": "و",
        "ئ": "ي",
        "ک": "ك",  # Persian/Urdu keyboards
        "ی": "ي",
    }
)

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SEPARATOR_CHARS = _DASHES + "./\\\u06d4\u2044"
_NUMBER_SEPARATORS = str.maketrans("", "", " " + _SEPARATOR_CHARS)


def to_ascii_digits(text: str) -> str:
    """Arabic-Indic and Persian digits become ASCII, and a keycap emoji («1️⃣», «🔟») the
    digits it shows; everything else is kept."""
    if _KEYCAP in text or _KEYCAP_TEN in text:
        text = text.replace("\ufe0f" + _KEYCAP, "").replace(_KEYCAP, "")
        text = text.replace(_KEYCAP_TEN, "10")
    return text.translate(_DIGITS)


def strip_invisible(text: str) -> str:
    """Remove zero-width and bidi control characters."""
    return text.translate(_DROP_INVISIBLE)


def drop_marks(text: str) -> str:
    """``text`` without the characters that render as nothing or sit on a letter:
    zero-width and bidi controls, tatweel and Arabic diacritics. Letters, digits, spaces
    and punctuation are kept as typed (no folding), so a word split by a pasted mark or a
    stray shadda, «fi\u200enal» or «exiّt», is one word again."""
    return text.translate(_DROP_INVISIBLE).translate(_DROP_MARKS)


@functools.lru_cache(maxsize=512)
def clean_input(text: str) -> str:
    """The canonical form of a typed number or command: visible characters, ASCII digits,
    single spaces, no leading or trailing space.

    Cached: the readers of a turn clean its message again and again (nine times a typed
    answer in the profile of bench/dialogue.py)."""
    return " ".join(to_ascii_digits(strip_invisible(text)).split())


@functools.lru_cache(maxsize=512)
def fold_arabic(text: str) -> str:
    """A matching key for free text: two spellings a reader takes for the same words fold
    to the same string. Not for display.

    Cached: one message is folded by every reader that looks at it in a turn (commands,
    buttons typed as words, the language and the knowledge base; about ten times a typed
    message, a character at a time, in the profile of bench/dialogue.py)."""
    folded = clean_input(text).translate(_DROP_MARKS).translate(_LETTER_FOLD).casefold()
    spaced = "".join(" " if _is_separator(ch) else ch for ch in folded)
    return " ".join(spaced.split())


def _is_separator(ch: str) -> bool:
    # Punctuation of any script (، ؛ ؟ « » included) and symbols such as emoji split words
    # just like spaces do.
    return ch in string.punctuation or unicodedata.category(ch)[0] in "PS"


def digits_only(text: str) -> str:
    """Drop the separators people put inside long numbers (spaces, dashes, dots, slashes);
    whatever else remains is kept so the caller can tell what was wrong."""
    return clean_input(text).translate(_NUMBER_SEPARATORS)


def stray_letters(text: str) -> str:
    """The letters typed inside a number: those in the same word as its digits
    («2123456788x» gives «x», «050ABC4567» «ABC», «رقمي2000000006» «رقمي»), and a letter
    standing alone next to it («2123456788 x» gives «x»); several are joined by a space.
    Empty when the number stands apart from whole words («رقم إقامتي ٢٠٠٠ ٠٠٠ ٠٠٦» names
    its number in words). Words split at spaces and punctuation, not at the separators
    people put inside long numbers (dashes, dots, slashes), so «2000-000-00x6» is one word.

    A number with a letter in it is a typing slip, not a number: reading past the letter
    would keep a number the person never checked (found by the fresh-clone tester, whose
    «2123456788x» was kept as an iqama number without a word)."""
    words = "".join(
        "" if ch in _SEPARATOR_CHARS else " " if _is_separator(ch) else ch
        for ch in clean_input(text)
    ).split()
    numeric = [any(ch.isdecimal() for ch in word) for word in words]

    def beside_number(i: int) -> bool:
        return (i > 0 and numeric[i - 1]) or (i + 1 < len(words) and numeric[i + 1])

    return " ".join(
        "".join(ch for ch in word if ch.isalpha())
        for i, word in enumerate(words)
        if (numeric[i] and any(ch.isalpha() for ch in word))
        or (len(word) == 1 and word.isalpha() and beside_number(i))
    )
