"""A photo or file sent where nothing takes one is never dropped without a word (found by
the fresh-clone tester: a photo at the first question, or right after a reconsideration's
reason, got the first question again or a hint about buttons, and the photo was gone). The
person is told it arrived, that it was not kept, and where such a file is taken."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from conversations.ports import SayRefused
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_intake import RESIDENT, _to_identity

NUMBER = "1234567897"
SUNDAY = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


@dataclass
class SayGateway(MemoryGateway):
    """The desk's say checks for one rejected request of this person's, in memory."""

    reasons: list[str] = field(default_factory=list)

    async def may_say(self, what: str, number: str, channel: str, user_key: str) -> None:
        if what == "recon" and self.reasons:
            raise SayRefused(number, "already")

    async def reconsider(self, number: str, channel: str, user_key: str, reason: str) -> None:
        await self.may_say("recon", number, channel, user_key)
        self.reasons.append(reason)


class Clock:
    def __init__(self) -> None:
        self.now = SUNDAY

    def __call__(self) -> dt.datetime:
        return self.now


def _chat(gateway: MemoryGateway | None = None, clock: Clock | None = None) -> Chat:
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), gateway or MemoryGateway(), clock=clock or Clock()
    )
    return Chat(engine.handle)


async def test_a_photo_at_the_first_question_is_named_and_the_question_stays() -> None:
    chat = _chat()
    await chat.command("start")
    await chat.media()
    assert "وصلت الصورة" in chat.said and "لم نحتفظ بها" in chat.said
    assert "اختر الخدمة أولًا" in chat.said
    # the question is asked again with its buttons, nothing else changed
    assert chat.choice_ids[:2] == ["ind", "est"]
    await chat.tap("ind")
    assert "ما الخدمة التي تحتاجها" in chat.said


async def test_a_photo_as_the_very_first_message_is_named_before_the_first_question() -> None:
    chat = _chat()
    await chat.media(kind="document", mime="application/pdf")
    assert chat.last[0].text.startswith("وصل الملف")
    assert chat.choice_ids[:2] == ["ind", "est"]


async def test_an_album_at_the_first_question_gets_one_word() -> None:
    chat = _chat()
    await chat.command("start")
    first = await chat.media(album="a1")
    assert "وصلت الصورة" in "\n".join(r.text for r in first)
    assert await chat.media(album="a1") == []
    assert await chat.media(album="a1") == []
    # another album later is told again
    assert "وصلت الصورة" in "\n".join(r.text for r in await chat.media(album="a2"))


async def test_a_file_at_a_number_step_says_where_files_go_and_keeps_the_step() -> None:
    chat = _chat()
    await _to_identity(chat)
    await chat.media(kind="document", mime="application/pdf")
    assert "وصل الملف" in chat.said and "بعد وصف طلبك" in chat.said
    await chat.text(RESIDENT)  # the step is still the identity number's
    assert "رقم جوالك" in chat.said


async def test_a_photo_after_a_reconsideration_says_it_was_not_attached_and_how_to_send_it() -> (
    None
):
    gateway = SayGateway()
    clock = Clock()
    chat = _chat(gateway, clock)
    await chat.command("start")
    await chat.tap(f"recon:{NUMBER}")
    assert "لماذا تطلب إعادة النظر" in chat.said
    # a photo instead of the reason: the step takes words, said so
    await chat.media()
    assert "وصلت الصورة" in chat.said and "هذه الخطوة لا تأخذ ملفات" in chat.said
    await chat.text("أرفقت التأمين في الصفحة الثانية")
    assert gateway.reasons == ["أرفقت التأمين في الصفحة الثانية"]
    clock.now += dt.timedelta(minutes=2)
    await chat.media()
    assert "لم تُرفق بطلب إعادة النظر" in chat.said and NUMBER in chat.said
    assert "أضف ملاحظة لطلبي" in chat.said
    assert gateway.reasons == ["أرفقت التأمين في الصفحة الثانية"]  # nothing else sent
    # long after, a photo is no longer taken to be about the reconsideration
    clock.now += dt.timedelta(hours=2)
    await chat.command("start")
    await chat.text("إلغاء")
    await chat.media()
    assert "إعادة النظر" not in chat.said and "لم تُضَف إلى أي طلب" in chat.said


async def test_english_words_for_a_photo_at_the_first_question() -> None:
    chat = _chat()
    await chat.command("start")
    await chat.text("English")
    await chat.media()
    assert "Your photo arrived, but it was not kept" in chat.said
    assert "Choose the service first" in chat.said
