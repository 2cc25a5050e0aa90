import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.identity import (
    IdentityNumber,
    InvalidIdentityNumber,
    mask_identity,
    parse_establishment_number,
    parse_identity_number,
)
from domain.luhn import luhn_check_digit


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("1000000008", "1000000008", "citizen"),
        ("2000000006", "2000000006", "resident"),
        ("1010101010", "1010101010", "citizen"),
        ("١٠٠٠٠٠٠٠٠٨", "1000000008", "citizen"),
        ("۲۰۰۰۰۰۰۰۰۶", "2000000006", "resident"),
        (" 1000 000 008 ", "1000000008", "citizen"),
        ("٢٠٠٠-٠٠٠-٠٠٦", "2000000006", "resident"),
        ("\u200f1000000008\u200e", "1000000008", "citizen"),
        ("3123456789", "3123456789", "border"),
        ("3000000001", "3000000001", "border"),
    ],
)
def test_valid_numbers_in_any_script_parse_to_ascii(text: str, value: str, kind: str) -> None:
    assert parse_identity_number(text) == IdentityNumber(value=value, kind=kind)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   \u200f ", "empty"),
        ("- -", "empty"),
        ("10000o0008", "not_digits"),
        ("رقم هويتي", "not_digits"),
        ("100000000", "length"),
        ("10000000080", "length"),
        ("٠٥٥١٢٣٤٥٦٧", "prefix"),
        ("4000000004", "prefix"),
        ("7000000002", "prefix"),
        ("1000000007", "checksum"),
        ("2000000005", "checksum"),
        ("١٠١٠١٠١٠١١", "checksum"),
    ],
)
def test_invalid_numbers_say_why(text: str, reason: str) -> None:
    with pytest.raises(InvalidIdentityNumber) as caught:
        parse_identity_number(text)
    assert caught.value.reason == reason
    assert isinstance(caught.value, ValueError)


def test_prefix_is_checked_before_checksum() -> None:
    # 9000000000 fails both; the person must hear that the number cannot be an ID at all.
    with pytest.raises(InvalidIdentityNumber) as caught:
        parse_identity_number("9000000001")
    assert caught.value.reason == "prefix"


@given(st.sampled_from("12"), st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_every_luhn_valid_citizen_or_resident_number_parses(first: str, middle: str) -> None:
    payload = first + middle
    number = payload + luhn_check_digit(payload)
    parsed = parse_identity_number(number)
    assert parsed.value == number
    assert parsed.kind == {"1": "citizen", "2": "resident"}[first]


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_border_numbers_need_no_check_digit(rest: str) -> None:
    assert parse_identity_number("3" + rest).kind == "border"


def test_establishment_number() -> None:
    assert parse_establishment_number("7001234567") == "7001234567"
    assert parse_establishment_number("٧٠٠١ ٢٣٤ ٥٦٧") == "7001234567"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("7x01234567", "not_digits"),
        ("700123456", "length"),
        ("1000000008", "prefix"),
    ],
)
def test_invalid_establishment_numbers_say_why(text: str, reason: str) -> None:
    with pytest.raises(InvalidIdentityNumber) as caught:
        parse_establishment_number(text)
    assert caught.value.reason == reason


def test_mask_keeps_kind_and_last_three_digits() -> None:
    assert mask_identity("1000000008") == "1******008"
    assert mask_identity("2123456789") == "2******789"
    assert mask_identity("123") == "***"


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_mask_never_shows_the_middle(value: str) -> None:
    masked = mask_identity(value)
    assert len(masked) == len(value)
    assert masked[1:7] == "******"
