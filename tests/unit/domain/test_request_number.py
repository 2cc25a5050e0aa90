import itertools
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.identity import InvalidIdentityNumber, parse_identity_number
from domain.luhn import luhn_check_digit, luhn_checksum_valid
from domain.request_number import (
    InvalidRequestNumber,
    looks_like_request_number,
    new_request_number,
    parse_request_number,
)


def _valid(payload9: str) -> str:
    return payload9 + luhn_check_digit(payload9)


VALID = _valid("451234567")


@given(st.randoms(use_true_random=False))
def test_new_numbers_are_ten_ascii_digits_with_a_check_digit(rng: random.Random) -> None:
    number = new_request_number(rng)
    assert len(number) == 10
    assert number.isascii() and number.isdigit()
    assert luhn_checksum_valid(number)
    assert parse_request_number(number) == number


@given(st.randoms(use_true_random=False))
def test_new_numbers_cannot_be_taken_for_an_identity_number(rng: random.Random) -> None:
    number = new_request_number(rng)
    assert number[0] not in "01237"
    with pytest.raises(InvalidIdentityNumber):
        parse_identity_number(number)


def test_default_source_is_not_sequential_or_repeating() -> None:
    numbers = [new_request_number() for _ in range(200)]
    assert len(set(numbers)) == 200
    as_ints = sorted(int(n) for n in numbers)
    assert all(b - a != 1 for a, b in itertools.pairwise(as_ints))


def test_same_seed_gives_same_number_so_tests_can_pin_one() -> None:
    assert new_request_number(random.Random(7)) == new_request_number(random.Random(7))


@pytest.mark.parametrize(
    "text",
    [
        VALID,
        VALID.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
        f"{VALID[:4]} {VALID[4:7]}-{VALID[7:]}",
        f"\u200f{VALID}\u200e",
    ],
)
def test_parse_accepts_any_script_and_separators(text: str) -> None:
    assert parse_request_number(text) == VALID


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        (" - ", "empty"),
        ("45123x4567", "not_digits"),
        ("طلبي", "not_digits"),
        (VALID[:-1], "length"),
        (VALID + "0", "length"),
        (VALID[:-1] + str((int(VALID[-1]) + 1) % 10), "checksum"),
        (VALID[1] + VALID[0] + VALID[2:], "checksum"),
    ],
)
def test_parse_rejects_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidRequestNumber) as caught:
        parse_request_number(text)
    assert caught.value.reason == reason


def test_spots_a_number_in_an_arabic_sentence() -> None:
    arabic = VALID.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert looks_like_request_number(f"السلام عليكم وين وصل طلبي رقم {arabic} ؟") == VALID
    assert (
        looks_like_request_number(f"my request {VALID[:3]}-{VALID[3:6]}-{VALID[6:]} please")
        == VALID
    )


def test_does_not_take_an_identity_number_or_phone_for_a_request_number() -> None:
    assert looks_like_request_number("هويتي 1000000008") is None
    assert looks_like_request_number("جوالي 0551234567") is None
    assert looks_like_request_number("رقم الطلب 4512345670") is None or luhn_checksum_valid(
        "4512345670"
    )


def test_finds_the_request_number_next_to_an_identity_number() -> None:
    assert looks_like_request_number(f"هويتي 1000000008 {VALID}") == VALID
    assert looks_like_request_number(f"{VALID} 2000000006") == VALID


def test_digits_glued_to_more_digits_are_not_a_request_number() -> None:
    assert looks_like_request_number(VALID + "1") is None
    assert looks_like_request_number("9" + VALID) is None
    assert looks_like_request_number("مرحبا") is None


@given(st.randoms(use_true_random=False), st.text(alphabet="ابتث جحخ", max_size=20))
def test_every_issued_number_is_found_in_surrounding_text(rng: random.Random, words: str) -> None:
    number = new_request_number(rng)
    assert looks_like_request_number(f"{words} {number} {words}") == number
