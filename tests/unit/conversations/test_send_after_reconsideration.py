"""«ارسال» typed after a request to reconsider was sent is answered: it was sent, nothing
more is needed. Found by the fresh-clone tester (fault 6): `/reconsider N`, a reason, a
photo, then «ارسال» got the main menu with no word, where the same word sends an answer
to an officer."""

from __future__ import annotations

import datetime as dt

import pytest

from .test_intake import RESIDENT, _to_identity
from .test_stray_files import NUMBER, Clock, SayGateway, _chat

SENT = "أُرسل بالفعل"


@pytest.mark.parametrize("word", ["ارسال", "إرسال", "تم"])
async def test_send_after_the_reason_and_a_photo_is_acknowledged(word: str) -> None:
    gateway = SayGateway()
    clock = Clock()
    chat = _chat(gateway, clock)
    await chat.command("start")
    await chat.tap(f"recon:{NUMBER}")
    await chat.text("العقد انتهى وعندي ورقة من الكفيل")
    await chat.media(ref="paper")
    assert "أُضيفت صورتك إلى طلب إعادة النظر" in chat.said
    clock.now += dt.timedelta(minutes=1)
    await chat.text(word)
    assert SENT in chat.said and NUMBER in chat.said and "لا يلزمك شيء آخر" in chat.said
    assert "بصفة فرد" not in chat.said  # not the main menu alone
    assert gateway.reasons == ["العقد انتهى وعندي ورقة من الكفيل"]  # nothing sent again


async def test_not_in_a_draft_nor_long_after() -> None:
    gateway = SayGateway()
    clock = Clock()
    chat = _chat(gateway, clock)
    await chat.command("start")
    await chat.tap(f"recon:{NUMBER}")
    await chat.text("العقد انتهى")
    clock.now += dt.timedelta(hours=2)
    await chat.text("ارسال")
    assert SENT not in chat.said
    clock.now -= dt.timedelta(hours=2)
    await _to_identity(chat)  # a new request under way: its step reads what is typed
    await chat.text(RESIDENT)
    await chat.text("تم")
    assert SENT not in chat.said
