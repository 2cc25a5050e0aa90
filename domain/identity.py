"""Saudi identity numbers: national ID, iqama, border number, and the establishment number.

All are 10 digits and the first digit says what the number is. National ID and iqama
numbers end in a Luhn check digit; border numbers and establishment numbers have no check
digit that is public, so for them only the shape can be checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from domain.luhn import luhn_checksum_valid
from domain.normalize import digits_only

IdentityKind = Literal["citizen", "resident", "border"]
InvalidReason = Literal["empty", "not_digits", "length", "prefix", "checksum"]

IDENTITY_LENGTH = 10
_KIND_BY_PREFIX: dict[str, IdentityKind] = {"1": "citizen", "2": "resident", "3": "border"}
_CHECKED_KINDS: frozenset[IdentityKind] = frozenset({"citizen", "resident"})
ESTABLISHMENT_PREFIX = "7"
_ASCII_DIGITS = frozenset("0123456789")


class InvalidIdentityNumber(ValueError):
    """``reason`` tells the dialogue which hint to give the person; ``kind`` is the kind
    the first digit names when only the check digit is wrong (None otherwise)."""

    def __init__(self, reason: InvalidReason, kind: IdentityKind | None = None) -> None:
        super().__init__(reason)
        self.reason: InvalidReason = reason
        self.kind: IdentityKind | None = kind


@dataclass(frozen=True, slots=True)
class IdentityNumber:
    value: str
    kind: IdentityKind


def _ten_digits(text: str) -> str:
    value = digits_only(text)
    if not value:
        raise InvalidIdentityNumber("empty")
    if not all(ch in _ASCII_DIGITS for ch in value):
        raise InvalidIdentityNumber("not_digits")
    if len(value) != IDENTITY_LENGTH:
        raise InvalidIdentityNumber("length")
    return value


def parse_identity_number(text: str) -> IdentityNumber:
    """Parse a national ID (1…), iqama (2…) or border number (3…) typed in any digits."""
    value = _ten_digits(text)
    kind = _KIND_BY_PREFIX.get(value[0])
    if kind is None:
        raise InvalidIdentityNumber("prefix")
    if kind in _CHECKED_KINDS and not luhn_checksum_valid(value):
        raise InvalidIdentityNumber("checksum", kind)
    return IdentityNumber(value=value, kind=kind)


def parse_establishment_number(text: str) -> str:
    """Parse an establishment's unified number (7…), as used in Muqeem."""
    value = _ten_digits(text)
    if not value.startswith(ESTABLISHMENT_PREFIX):
        raise InvalidIdentityNumber("prefix")
    return value


def mask_identity(value: str) -> str:
    """Enough of a number for a person or an officer to recognise it, too little to reuse it:
    the first digit (its kind) and the last three."""
    if len(value) < 5:
        return "*" * len(value)
    return value[0] + "*" * (len(value) - 4) + value[-3:]
