"""The Luhn (mod 10) check used by Saudi identity numbers and by our request numbers:
it catches every single-digit typo and most swaps of two neighbouring digits."""

from __future__ import annotations

_ASCII_DIGITS = frozenset("0123456789")


def _is_ascii_digits(text: str) -> bool:
    return bool(text) and all(ch in _ASCII_DIGITS for ch in text)


def _luhn_sum(digits: str, *, double_last: bool) -> int:
    total = 0
    for position, ch in enumerate(reversed(digits)):
        value = ord(ch) - ord("0")
        if (position % 2 == 0) == double_last:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total


def luhn_checksum_valid(digits: str) -> bool:
    """True when ``digits`` (ASCII only) ends in a correct Luhn check digit."""
    if not _is_ascii_digits(digits):
        return False
    return _luhn_sum(digits, double_last=False) % 10 == 0


def luhn_check_digit(payload: str) -> str:
    """The digit to append to ``payload`` so that the result passes :func:`luhn_checksum_valid`."""
    if not _is_ascii_digits(payload):
        raise ValueError("payload must be one or more ASCII digits")
    return str((10 - _luhn_sum(payload, double_last=True) % 10) % 10)
