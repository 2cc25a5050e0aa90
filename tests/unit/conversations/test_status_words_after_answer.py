"""After a status answer, «رقم طلب آخر» and «ارسال» are read for what they say, not as a
service search. Typed at «أيّ هذه الخدمات هي المطلوبة؟» (a need typed after the answer), or
right after the answer when it had no «رقم طلب آخر» button (a request picked from the
list), «رقم طلب آخر» got «هل هذه هي الخدمة المطلوبة؟ أخرى» and «ارسال» the
services again or the first question, with no word that nothing was waiting to be sent."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore, TerminalChat, WhatsAppChat
from .test_intake import RESIDENT
from .test_status import FILED, MINE, THEIRS, _view, plain

PROMPT = "كتابة رقم الطلب"
WHICH = "أيّ هذه الخدمات هي المطلوبة؟"
NOTHING = "لا يوجد لديك طلب بانتظار الإرسال"
CHANNELS = [Chat, WhatsAppChat, TerminalChat]


def _setup(kind: type[Chat] = Chat) -> tuple[Chat, MemoryGateway]:
    """Two requests filed from this chat: the look-up lists them."""
    gateway = MemoryGateway()
    gateway.views[MINE] = (_view(MINE, "under_review"), ("test", "u1"), RESIDENT)
    gateway.views[THEIRS] = (_view(THEIRS, "rejected"), ("test", "u1"), RESIDENT)
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), gateway, limiter=MemoryLimiter(),
        clock=lambda: FILED,
    )  # fmt: skip
    return kind(engine.handle), gateway


async def _answered(chat: Chat) -> None:
    """A status answer: the list, then the second request picked."""
    await chat.command("start")
    await chat.text("وين طلبي")
    await chat.tap(f"r:{THEIRS}")
    assert f"الطلب رقم {THEIRS}" in plain(chat.said)


async def _at_which_services(chat: Chat) -> list[str]:
    await _answered(chat)
    await chat.text("ابي اجدد")
    assert WHICH in plain(chat.said), chat.said
    return chat.choice_ids


@pytest.mark.parametrize("kind", CHANNELS)
@pytest.mark.parametrize("words", ["رقم طلب آخر", "رقم طلب اخر", "ابي رقم طلب ثاني"])
async def test_another_request_number_at_which_services_opens_the_number_prompt(
    kind: type[Chat], words: str
) -> None:
    chat, _gateway = _setup(kind)
    await _at_which_services(chat)
    await chat.text(words)
    said = plain(chat.said)
    assert PROMPT in said and WHICH not in said and "هل هذه هي الخدمة" not in said, said
    await chat.text(MINE)
    assert f"الطلب رقم {MINE}" in plain(chat.said)


@pytest.mark.parametrize("kind", CHANNELS)
async def test_another_request_number_right_after_the_answer_opens_the_number_prompt(
    kind: type[Chat],
) -> None:
    chat, _gateway = _setup(kind)
    await _answered(chat)
    await chat.text("رقم طلب آخر")
    said = plain(chat.said)
    assert PROMPT in said and "هل هذه هي الخدمة" not in said, said


@pytest.mark.parametrize("kind", CHANNELS)
@pytest.mark.parametrize("word", ["ارسال", "ارسل الطلب", "تأكيد"])
async def test_send_at_which_services_says_nothing_waits_and_what_to_do(
    kind: type[Chat], word: str
) -> None:
    chat, gateway = _setup(kind)
    offered = await _at_which_services(chat)
    await chat.text(word)
    said = plain(chat.said)
    assert NOTHING in said and "«تأكيد وإرسال»" in said, said
    # the services are still offered: nothing the person chose is lost
    assert WHICH in said and chat.choice_ids == offered, said
    assert not gateway.submissions


@pytest.mark.parametrize("kind", CHANNELS)
async def test_send_right_after_the_answer_says_nothing_waits(kind: type[Chat]) -> None:
    chat, gateway = _setup(kind)
    await _answered(chat)
    await chat.text("ارسال")
    said = plain(chat.said)
    assert NOTHING in said and "«تأكيد وإرسال»" in said, said
    assert not gateway.submissions


async def test_send_after_filing_says_the_request_went_already() -> None:
    """With a request filed from this chat in this dialogue, it is named."""
    chat, gateway = _setup()
    await chat.command("start")
    for typed in ("ابي اجدد اقامتي", "1", "1", RESIDENT):
        await chat.text(typed)
    await chat.contact("+966501234567")
    await chat.text("انتهت إقامتي الشهر الماضي ولم أستطع تجديدها من أبشر")
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    [submission] = gateway.submissions
    filed = gateway.by_key[submission.idempotency_key].number
    await chat.text("ارسال")
    said = plain(chat.said)
    assert f"سبق إرسال طلبك رقم {filed}" in said, said
    assert len(gateway.submissions) == 1


async def test_in_english_another_request_number_and_send() -> None:
    chat, _gateway = _setup()
    await chat.command("start")
    await chat.text("English")
    await chat.text("where is my request")
    await chat.tap(f"r:{THEIRS}")
    await chat.text("send")
    assert "There is no request waiting to be sent" in chat.said, chat.said
    assert "«Confirm and send»" in chat.said, chat.said
    await chat.text("another request number")
    assert "Type the request number" in chat.said, chat.said
