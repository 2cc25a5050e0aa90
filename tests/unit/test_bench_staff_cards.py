"""bench/load.py --staff-group counts the requests the staff group was told of. When more
new requests are due than the group's 20 a minute allow, the outbox sends digests of up to
ten (bot.outbox.telegram_staff), which name their requests in their take buttons, not in
their first line: the bench read only first lines, and so reported every request announced
in a digest as a missing card (4 of 10 with no fault at all, 22 of 40 under the Bot API
fault) and exited 1 though the group had been told of each."""

from __future__ import annotations

from typing import Any

from bench.load_people import BotMessage
from bot.staff.cards import CardRenderer, StaffMessage
from tests.unit.bot.test_cards import TODAY, cards, record

__all__ = ["cards"]  # the renderer fixture, shared with the cards' own tests


def _sent(message: StaffMessage) -> BotMessage:
    """`message` as the Bot API stand-in records it (bench.load_people.Recorder)."""
    markup: dict[str, Any] = {
        "inline_keyboard": [
            [{"text": b.label, "callback_data": b.data} for b in row] for row in message.buttons
        ]
    }
    return BotMessage(0.0, message.html, markup, {})


def test_a_digest_announces_each_of_its_requests(cards: CardRenderer) -> None:
    numbers = [f"641840711{i}" for i in range(4)]
    digest = _sent(cards.digest([record(number=n) for n in numbers], today=TODAY))
    assert digest.numbers_in_first_line == []  # what the bench read before: none announced
    assert digest.requests_announced == set(numbers)


def test_a_card_announces_its_own_request_only(cards: CardRenderer) -> None:
    card = _sent(cards.card(record(number="6418407120"), today=TODAY))
    # its identity number (2000000006) is on the card too, but names no request
    assert card.requests_announced == {"6418407120"}
