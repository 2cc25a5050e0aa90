"""``/note`` with the note on the same line, and ``/rate ٥`` with no request number.
Found by the fresh-clone tester (tester 10b, faults 1 and 4): «/note N الجواز ينتهي قريب»
and, at a draft's summary, «/note الجواز ينتهي بعد شهرين» were told «رقم الطلب يتكون من
10 أرقام» and the words were kept nowhere; «/rate ٥» was called a mistyped number."""

from __future__ import annotations

from conversations.events import Command

from .fakes import Chat, MemoryGateway
from .test_intake import RESIDENT, _to_identity
from .test_status import MINE, _view, chat, gateway, limiter, plain

__all__ = ["chat", "gateway", "limiter"]

WORDS = "الجواز ينتهي قريب"
TEN_DIGITS = "رقم الطلب يتكون من 10 أرقام"


async def _note(chat: Chat, args: str) -> str:
    await chat.send(Command(chat.origin(), "note", args))
    return plain(chat.said)


async def test_note_with_its_number_and_words_keeps_the_words_as_the_note(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await chat.command("start")
    said = await _note(chat, f"{MINE} {WORDS}")
    assert TEN_DIGITS not in said and "لم تُرسل بعد" in said, said
    assert not any(s[0] == "note" for s in gateway.said)  # sent only when they send it
    await chat.text("ارسال")
    assert ("note", MINE, WORDS) in gateway.said, plain(chat.said)


async def test_note_with_words_and_no_number_mid_request_goes_to_the_one_open_request(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)  # a draft, now at the phone step
    said = await _note(chat, "الجواز ينتهي بعد شهرين")
    assert TEN_DIGITS not in said and MINE in said, said
    await chat.text("ارسال")
    assert ("note", MINE, "الجواز ينتهي بعد شهرين") in gateway.said, plain(chat.said)
    # and the draft comes back
    assert chat.last[-1].ask_contact, plain(chat.said)


async def test_note_with_a_wrong_number_says_so_and_keeps_the_words(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await chat.command("start")
    said = await _note(chat, f"925448130 {WORDS}")
    assert TEN_DIGITS in said, said
    assert f"note:{MINE}" in chat.choice_ids, chat.choice_ids  # which request, asked
    await chat.tap(f"note:{MINE}")
    assert "لم تُرسل بعد" in plain(chat.said), plain(chat.said)
    await chat.text("ارسال")
    assert ("note", MINE, WORDS) in gateway.said, plain(chat.said)


async def test_rate_with_only_a_rating_rates_the_one_decided_request(
    chat: Chat, gateway: MemoryGateway
) -> None:
    gateway.views[MINE] = (_view(MINE, "accepted"), ("test", "u1"), RESIDENT)
    await chat.command("start")
    await chat.send(Command(chat.origin(), "rate", "٥"))
    assert TEN_DIGITS not in plain(chat.said), plain(chat.said)
    assert ("rate", MINE, "5") in gateway.said, plain(chat.said)


async def test_rate_with_only_a_rating_and_no_decided_request_asks_for_the_number(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await chat.command("start")
    await chat.send(Command(chat.origin(), "rate", "٥"))
    said = plain(chat.said)
    assert TEN_DIGITS not in said and "/rate" in said, said
    assert not any(s[0] == "rate" for s in gateway.said)
