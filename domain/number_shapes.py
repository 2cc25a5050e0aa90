"""What a typed number looks like by its shape alone: the digit count and the first digit.

People paste the wrong one of their numbers into a step (an establishment number where
the worker's iqama is asked, a request number where the identity number is, an iqama
number with a stray letter where the mobile is). The dialogue names what the number looks
like, so the person knows which one to send instead. Shapes, from the numbers' rules:
national ID 1…, iqama 2…, border number 3… (domain.identity), establishment 7…
(domain.identity), request numbers 4/5/6/8/9… with a Luhn check digit
(domain.request_number), Saudi mobiles 05XXXXXXXX, 5XXXXXXXX, 9665XXXXXXXX.
"""

from __future__ import annotations

from typing import Literal

from domain.luhn import luhn_checksum_valid
from domain.normalize import clean_input
from domain.request_number import FIRST_DIGITS

NumberShape = Literal["citizen", "resident", "border", "establishment", "request", "mobile"]

_BY_FIRST_DIGIT: dict[str, NumberShape] = {
    "1": "citizen",
    "2": "resident",
    "3": "border",
    "7": "establishment",
}
# a number named in a few words («رقم المنشأة 7001234567») still is that number; a
# sentence with a number in it is not looked at
_MAX_WORDS = 4


def number_shape(text: str) -> NumberShape | None:
    """The kind of number ``text`` looks like (any digits; letters typed among the digits
    are looked past, since the person meant a number), or None when it looks like none
    of them or is a sentence. A request number must pass its check digit, as a 10-digit
    number starting 4, 5, 6, 8 or 9 is otherwise no known number at all."""
    cleaned = clean_input(text)
    if len(cleaned.split()) > _MAX_WORDS:
        return None
    digits = "".join(ch for ch in cleaned if ch in "0123456789")
    if len(digits) == 10:
        if digits.startswith("05"):
            return "mobile"
        if digits[0] in _BY_FIRST_DIGIT:
            return _BY_FIRST_DIGIT[digits[0]]
        if digits[0] in FIRST_DIGITS and luhn_checksum_valid(digits):
            return "request"
        return None
    mobile = (
        (len(digits) == 9 and digits.startswith("5"))
        or (len(digits) == 12 and digits.startswith("9665"))
        or (len(digits) == 14 and digits.startswith("009665"))
    )
    return "mobile" if mobile else None
