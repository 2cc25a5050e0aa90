"""A photo or file sent where nothing takes one is never dropped without a word (found by
the fresh-clone tester: a photo at the first question got the first question again or a hint
about buttons, and the photo was gone). The person is told it arrived, that it was not
kept, and where such a file is taken; a photo with a request to reconsider goes with it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from conversations.ports import AttachmentInfo, SayRefused
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_intake import RESIDENT, _to_identity

NUMBER = "1234567897"
SUNDAY = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


@dataclass
class SayGateway(MemoryGateway):
    """The desk's say checks for one rejected request of this person's, in memory: one
    reconsideration, which takes files until the officers answer it (``answered``)."""

    reasons: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    answered: bool = False

    async def may_say(self, what: str, number: str, channel: str, user_key: str) -> None:
        if what == "recon" and self.reasons:
            raise SayRefused(number, "already")

    async def reconsider(
        self,
        number: str,
        channel: str,
        user_key: str,
        reason: str,
        files: tuple[AttachmentInfo, ...] = (),
    ) -> None:
        await self.may_say("recon", number, channel, user_key)
        self.reasons.append(reason)
        self.files.extend(f.ref for f in files)

    async def add_to_reconsideration(
        self, number: str, channel: str, user_key: str, files: tuple[AttachmentInfo, ...]
    ) -> None:
        if self.answered or not self.reasons:
            raise SayRefused(number, "closed")
        self.files.extend(f.ref for f in files)


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


async def test_a_photo_at_the_first_question_is_kept_and_the_question_stays() -> None:
    """Before a service is chosen a photo is kept for the request (conversations.flows.
    early_files; it was «وصلت الصورة، لكننا لم نحتفظ بها» before)."""
    chat = _chat()
    await chat.command("start")
    await chat.media()
    assert chat.said.startswith("احتفظتُ بصورتك لطلبك") and "لم نحتفظ" not in chat.said
    # the question is asked again with its buttons, nothing else changed
    assert chat.choice_ids[:2] == ["ind", "est"]
    await chat.tap("ind")
    assert "ما الخدمة المطلوبة" in chat.said


async def test_a_file_as_the_very_first_message_is_kept_before_the_first_question() -> None:
    chat = _chat()
    await chat.media(kind="document", mime="application/pdf")
    assert chat.last[0].text.startswith("احتفظتُ بملفك لطلبك")
    assert chat.choice_ids[:2] == ["ind", "est"]


async def test_an_album_at_the_first_question_gets_one_word() -> None:
    chat = _chat()
    await chat.command("start")
    first = await chat.media(album="a1")
    assert "احتفظتُ بملفاتك لطلبك" in "\n".join(r.text for r in first)
    assert await chat.media(album="a1") == []
    assert await chat.media(album="a1") == []
    # another album later is told again
    assert "احتفظتُ بملفاتك" in "\n".join(r.text for r in await chat.media(album="a2"))


async def test_a_file_at_a_number_step_is_kept_for_the_request_and_keeps_the_step() -> None:
    """Once the service is chosen, a file before the description is kept for the request
    (conversations.flows.early_files; before, «لم نحتفظ به» and dropped)."""
    chat = _chat()
    await _to_identity(chat)
    await chat.media(kind="document", mime="application/pdf")
    assert chat.last[0].text.startswith("احتفظتُ بملفك لطلبك")
    assert "وصل الملف" not in chat.said and "بعد وصف طلبك" not in chat.said
    await chat.text(RESIDENT)  # the step is still the identity number's
    assert "رقم جوالك" in chat.said


async def test_photos_with_a_reconsideration_go_with_it() -> None:
    """Found by the fresh-clone tester: a photo sent while the reason was asked, or right
    after it, was dropped (the bot said so). It joins the reconsideration now."""
    gateway = SayGateway()
    clock = Clock()
    chat = _chat(gateway, clock)
    await chat.command("start")
    await chat.tap(f"recon:{NUMBER}")
    assert "ما سبب طلب إعادة النظر" in chat.said and "صور أو ملفات PDF" in chat.said
    # a photo before the reason: kept, and the reason still asked for
    await chat.media(ref="insurance")
    assert "وصلت صورتك" in chat.said and "الآن كتابة سببك" in chat.said
    assert gateway.reasons == []  # nothing sent without the reason
    await chat.text("أرفقت التأمين في الصفحة الثانية")
    assert gateway.reasons == ["أرفقت التأمين في الصفحة الثانية"]
    assert gateway.files == ["insurance"]
    assert "مع سببك والصور أو الملفات" in chat.said
    # one more photo a moment later joins it, and the person is told
    clock.now += dt.timedelta(minutes=2)
    await chat.media(ref="passport")
    assert "أُضيفت صورتك إلى طلب إعادة النظر" in chat.said and NUMBER in chat.said
    assert gateway.files == ["insurance", "passport"]
    assert gateway.reasons == ["أرفقت التأمين في الصفحة الثانية"]  # nothing else sent
    # once the officers have answered, a photo is a stray one again, said so
    gateway.answered = True
    await chat.media(ref="late")
    assert "لم تُضَف إلى أي طلب" in chat.said and gateway.files == ["insurance", "passport"]


async def test_a_photo_whose_caption_is_the_reason_sends_both_and_its_album_follows() -> None:
    gateway = SayGateway()
    chat = _chat(gateway)
    await chat.command("start")
    await chat.tap(f"recon:{NUMBER}")
    await chat.media(ref="p1", album="a1", caption="الصفحة الثانية فيها التأمين")
    assert gateway.reasons == ["الصفحة الثانية فيها التأمين"] and gateway.files == ["p1"]
    assert "أُرسل طلب إعادة النظر" in chat.said
    # the rest of the album arrives after the reconsideration was sent: it joins it
    first = await chat.media(ref="p2", album="a1")
    assert "أُضيفت صورتك إلى طلب إعادة النظر" in "\n".join(r.text for r in first)
    assert await chat.media(ref="p3", album="a1") == []
    assert gateway.files == ["p1", "p2", "p3"]


async def test_a_photo_long_after_a_reconsideration_is_not_taken_for_it() -> None:
    gateway = SayGateway()
    clock = Clock()
    chat = _chat(gateway, clock)
    await chat.command("start")
    await chat.tap(f"recon:{NUMBER}")
    await chat.text("أرفقت التأمين في الصفحة الثانية")
    clock.now += dt.timedelta(hours=2)
    await chat.command("start")
    await chat.text("إلغاء")
    await chat.media()
    assert "إعادة النظر" not in chat.said and "لم تُضَف إلى أي طلب" in chat.said
    assert gateway.files == []


async def test_english_words_for_a_photo_at_the_first_question() -> None:
    chat = _chat()
    await chat.command("start")
    await chat.text("English")
    await chat.media()
    assert "I have kept your photo for your request" in chat.said
    assert "count among the documents" in chat.said


async def test_the_caption_of_a_photo_sent_first_is_read_as_the_first_message() -> None:
    """Found by the fresh-clone tester: «ابي اجدد اقامتي وهذي صورتها» written with a photo
    as the very first message got the note and the generic first menu; the words were lost.
    They are read as if typed: the same suggestion typing them gives."""
    typed = _chat()
    await typed.text("ابي اجدد اقامتي وهذي صورتها")
    chat = _chat()
    await chat.media(caption="ابي اجدد اقامتي وهذي صورتها")
    assert "احتفظتُ بصورتك" in chat.said
    assert chat.choice_ids == typed.choice_ids
    assert typed.said in chat.said
    assert chat.choice_ids[0] == "s:iqama_renew"
