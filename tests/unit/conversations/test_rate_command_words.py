"""/rate N followed by a rating of several words (a phrase of rating_words.json), or a
number typed in groups: found by the reviewer (review 10), they were told «رقم الطلب
يتكون من 10 أرقام»."""

from __future__ import annotations

import pytest

from conversations.command_arguments import split_arguments


def test_a_two_word_rating_after_the_number_is_the_rating() -> None:
    assert split_arguments("rate", "4512345671 سيء جدا") == ("4512345671", "سيء جدا")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("4512345671 very bad", ("4512345671", "very bad")),
        ("4512345671 5 stars", ("4512345671", "5 stars")),
        ("451 234 5671 5", ("451 234 5671", "5")),
        ("٤٥١-٢٣٤-٥٦٧١ ٥", ("451-234-5671", "5")),
        ("4512345671", ("4512345671", "")),
        ("45123456710 5", ("45123456710", "5")),  # 11 digits: the number says so
    ],
)
def test_the_number_is_the_first_ten_digits_the_rest_the_rating(
    args: str, expected: tuple[str, str]
) -> None:
    assert split_arguments("rate", args) == expected


def test_a_spaced_number_without_a_rating_is_the_number() -> None:
    number, rating = split_arguments("rate", "451 234 5671")
    assert number.replace(" ", "") == "4512345671", (number, rating)


from conversations.events import Command  # noqa: E402

from .fakes import Chat, MemoryGateway  # noqa: E402
from .test_intake import RESIDENT  # noqa: E402
from .test_status import _view, chat, gateway, limiter, plain  # noqa: E402

__all__ = ["chat", "gateway", "limiter"]

DECIDED = "6418407042"


async def test_rate_with_a_two_word_rating_word_rates(chat: Chat, gateway: MemoryGateway) -> None:
    gateway.views[DECIDED] = (_view(DECIDED, "accepted"), ("test", "u1"), RESIDENT)
    await chat.command("start")
    await chat.send(Command(chat.origin(), "rate", f"{DECIDED} سيء جدا"))
    said = plain(chat.said)
    assert ("rate", DECIDED, "1") in gateway.said, said


async def test_rate_with_a_one_word_rating_word_rates(chat: Chat, gateway: MemoryGateway) -> None:
    gateway.views[DECIDED] = (_view(DECIDED, "accepted"), ("test", "u1"), RESIDENT)
    await chat.command("start")
    await chat.send(Command(chat.origin(), "rate", f"{DECIDED} ممتاز"))
    assert ("rate", DECIDED, "5") in gateway.said, plain(chat.said)


async def test_rate_with_a_spaced_number_and_a_rating_rates(
    chat: Chat, gateway: MemoryGateway
) -> None:
    gateway.views[DECIDED] = (_view(DECIDED, "accepted"), ("test", "u1"), RESIDENT)
    await chat.command("start")
    await chat.send(Command(chat.origin(), "rate", "641 840 7042 ٤"))
    assert ("rate", DECIDED, "4") in gateway.said, plain(chat.said)
