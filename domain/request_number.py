"""Request numbers: what a person writes down, reads over the phone and types back to ask
for their status.

Ten ASCII digits, the last a Luhn check digit so a mistyped number is caught before any
lookup. The other nine are random (never sequential) so a number says nothing about how
many requests exist and cannot be guessed from another one. The first digit is never 1, 2,
3 or 7: those start identity, iqama, border and establishment numbers, which are also ten
Luhn-valid digits and which people paste into the same chat, so a request number can be
told from them at a glance.
"""

from __future__ import annotations

import random
import re
import secrets
from typing import Literal

from domain.luhn import luhn_check_digit, luhn_checksum_valid
from domain.normalize import clean_input, digits_only

REQUEST_NUMBER_LENGTH = 10
FIRST_DIGITS = "45689"
_ASCII_DIGITS = frozenset("0123456789")

InvalidReason = Literal["empty", "not_digits", "length", "checksum"]

# A run of digits in which single spaces or dashes may separate groups ("4512 345 678").
_DIGIT_RUN = re.compile(r"[0-9]+(?:[ \-\u2010-\u2015][0-9]+)*")
_GROUP_SEPARATOR = re.compile(r"[ \-\u2010-\u2015]")


class InvalidRequestNumber(ValueError):
    def __init__(self, reason: InvalidReason) -> None:
        super().__init__(reason)
        self.reason: InvalidReason = reason


def new_request_number(rng: random.Random | secrets.SystemRandom | None = None) -> str:
    """A fresh random request number. Uniqueness is the store's job (retry on a clash)."""
    source = rng if rng is not None else secrets.SystemRandom()
    payload = source.choice(FIRST_DIGITS) + "".join(
        str(source.randrange(10)) for _ in range(REQUEST_NUMBER_LENGTH - 2)
    )
    return payload + luhn_check_digit(payload)


def parse_request_number(text: str) -> str:
    """The canonical request number in ``text`` (any digits, spaces and dashes allowed)."""
    value = digits_only(text)
    if not value:
        raise InvalidRequestNumber("empty")
    if not all(ch in _ASCII_DIGITS for ch in value):
        raise InvalidRequestNumber("not_digits")
    if len(value) != REQUEST_NUMBER_LENGTH:
        raise InvalidRequestNumber("length")
    if not luhn_checksum_valid(value):
        raise InvalidRequestNumber("checksum")
    return value


def looks_like_request_number(text: str) -> str | None:
    """Spot a request number inside a free sentence ("وين وصل طلبي ٤٥١٢٣٤٥٦٧٨"), or None.

    Only whole digit groups are joined, so the tail of a phone number next to it never
    becomes part of a candidate.
    """
    for run in _DIGIT_RUN.finditer(clean_input(text)):
        groups = _GROUP_SEPARATOR.split(run.group())
        for start in range(len(groups)):
            candidate = ""
            for group in groups[start:]:
                candidate += group
                if len(candidate) >= REQUEST_NUMBER_LENGTH:
                    break
            if (
                len(candidate) == REQUEST_NUMBER_LENGTH
                and candidate[0] in FIRST_DIGITS
                and luhn_checksum_valid(candidate)
            ):
                return candidate
    return None


def mistyped_request_number(text: str) -> str | None:
    """Ten digits inside a sentence that start as a request number does but whose check
    digit fails («وش صار على طلبي ٥٠٢٢٤٧٧٠١٢»), to be named as mistyped rather than
    ignored (tester 13 §14); None when the text holds none, or holds a valid one."""
    if looks_like_request_number(text) is not None:
        return None
    for run in _DIGIT_RUN.finditer(clean_input(text)):
        candidate = "".join(_GROUP_SEPARATOR.split(run.group()))
        if (
            len(candidate) == REQUEST_NUMBER_LENGTH
            and candidate.isascii()
            and candidate[0] in FIRST_DIGITS
            and not luhn_checksum_valid(candidate)
        ):
            return candidate
    return None
