"""domain.phone.normalise_mobile: a Saudi mobile however typed, or any country's mobile
written with its country code; landlines and local forms of foreign numbers refused with
a reason the dialogue words (conversations.flows.intake_phone.mobile_problem)."""

from __future__ import annotations

import pytest

from domain.phone import InvalidPhoneNumber, normalise_mobile, written_internationally


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("0501234567", "+966501234567"),
        ("٠٥٠١٢٣٤٥٦٧", "+966501234567"),
        ("+966 50 123 4567", "+966501234567"),
        ("00966501234567", "+966501234567"),
        ("+971 50 123 4567", "+971501234567"),  # UAE
        ("00201001234567", "+201001234567"),  # Egypt, with the international prefix
        ("+92 300 1234567", "+923001234567"),  # Pakistan
        ("+91 98765 43210", "+919876543210"),  # India
        ("+1 202 555 0123", "+12025550123"),  # the US does not tell mobiles apart
        ("\u200f+63 917 123 4567", "+639171234567"),  # pasted with an RLM
    ],
)
def test_mobiles_of_any_country_are_taken(typed: str, e164: str) -> None:
    assert normalise_mobile(typed) == e164


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("+966112345678", "landline"),
        ("0112345678", "landline"),
        ("+20 2 2345 6789", "landline"),
        ("+9665012345", "invalid"),
        ("+971501234567x", "invalid"),
        ("01001234567", "local"),  # Egypt's national form: Saudi by default, and invalid
        ("", "local"),
    ],
)
def test_what_is_not_a_mobile_says_why(typed: str, reason: str) -> None:
    with pytest.raises(InvalidPhoneNumber) as caught:
        normalise_mobile(typed)
    assert caught.value.reason == reason


def test_written_internationally() -> None:
    assert written_internationally("+971501234567")
    assert written_internationally(" ٠٠٩٧١٥٠١٢٣٤٥٦٧")
    assert not written_internationally("0501234567")
