import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.luhn import luhn_check_digit, luhn_checksum_valid


@pytest.mark.parametrize("number", ["1000000008", "2000000006", "1010101010", "79927398713"])
def test_known_valid_numbers_pass(number: str) -> None:
    assert luhn_checksum_valid(number)


@pytest.mark.parametrize("number", ["1000000007", "2000000005", "79927398710", "", "12a4", "١٢٣"])
def test_wrong_or_non_ascii_numbers_fail(number: str) -> None:
    assert not luhn_checksum_valid(number)


def test_check_digit_of_known_payloads() -> None:
    assert luhn_check_digit("100000000") == "8"
    assert luhn_check_digit("200000000") == "6"
    assert luhn_check_digit("7992739871") == "3"


@pytest.mark.parametrize("payload", ["", "12 3", "١٢٣"])
def test_check_digit_refuses_non_digits(payload: str) -> None:
    with pytest.raises(ValueError):
        luhn_check_digit(payload)


@given(st.text(alphabet="0123456789", min_size=1, max_size=30))
def test_appending_the_check_digit_makes_a_valid_number(payload: str) -> None:
    assert luhn_checksum_valid(payload + luhn_check_digit(payload))


@given(
    st.text(alphabet="0123456789", min_size=2, max_size=20),
    st.data(),
)
def test_any_single_digit_typo_is_caught(payload: str, data: st.DataObject) -> None:
    number = payload + luhn_check_digit(payload)
    position = data.draw(st.integers(min_value=0, max_value=len(number) - 1))
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != number[position]]))
    typo = number[:position] + wrong + number[position + 1 :]
    assert not luhn_checksum_valid(typo)
