"""The description and documents steps as people really use them: words in a photo's
caption, a description in several messages, a paste split by the chat app, photos before
words. Driven by neutral events with an injected clock."""

from __future__ import annotations

import datetime as dt

import pytest

from conversations.engine import Engine
from conversations.events import Media
from conversations.flows.description_text import MAX_DESCRIPTION, PASTE_WINDOW_S
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_intake import _to_attachments

RESIDENT = "2000000006"
PHONE = "+966501234567"
CAPTION = "بطاقة الإقامة منتهية ولا أستطيع تجديدها من أبشر بسبب رسالة خطأ عند السداد"
FIRST = "انتهت صلاحية إقامتي الشهر الماضي وحاولت التجديد من أبشر"
SECOND = "لكن تظهر رسالة خطأ عند سداد الرسوم…"
# a Friday night in Riyadh: the steps read no calendar, whatever the instant
START = dt.datetime(2026, 12, 4, 20, 59, 30, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def gateway() -> MemoryGateway:
    return MemoryGateway()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def chat(gateway: MemoryGateway, clock: Clock) -> Chat:
    engine = Engine(MemoryStore(), INTAKE, load_catalogue(), gateway, clock=clock)
    return Chat(engine.handle)


async def _to_description(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    while any(c.startswith("q:") for c in chat.choice_ids):
        await chat.tap(chat.choice_ids[0])
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    assert "يُرجى وصف طلبك" in chat.said


async def _file(chat: Chat, gateway: MemoryGateway) -> None:
    await chat.tap("done")
    assert "يُرجى مراجعة طلبك" in chat.said
    await chat.tap("confirm")
    assert len(gateway.submissions) == 1


async def test_a_photo_whose_caption_is_the_description(chat: Chat, gateway: MemoryGateway) -> None:
    await _to_description(chat)
    await chat.media(ref="card", caption=CAPTION)
    assert "حُفظ وصفك والملف" in chat.said
    assert "للمستندات" in chat.said  # on to the documents, the photo already counted
    await _file(chat, gateway)
    (filed,) = gateway.submissions
    assert filed.description == CAPTION
    assert [(a.ref, a.caption) for a in filed.attachments] == [("card", CAPTION)]


@pytest.mark.parametrize("kind", ["photo", "document"])
async def test_a_file_sent_before_the_words_is_kept(
    chat: Chat, gateway: MemoryGateway, kind: str
) -> None:
    await _to_description(chat)
    mime = "image/jpeg" if kind == "photo" else "application/pdf"
    await chat.media(kind=kind, mime=mime, ref="early")  # type: ignore[arg-type]
    assert "احتفظت بملفك" in chat.said and "يُرجى وصف طلبك" in chat.said
    await chat.text(FIRST)
    assert "للمستندات" in chat.said
    await _file(chat, gateway)
    (filed,) = gateway.submissions
    assert filed.description == FIRST and [a.ref for a in filed.attachments] == ["early"]


async def test_an_album_before_the_words_gets_one_answer(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_description(chat)
    answers = [await chat.media(ref=f"p{i}", album="a1") for i in range(3)]
    assert [len(a) for a in answers] == [1, 0, 0]
    await chat.text(FIRST)
    await _file(chat, gateway)
    assert [a.ref for a in gateway.submissions[0].attachments] == ["p0", "p1", "p2"]


async def test_a_caption_in_an_album_describes_and_the_album_is_answered_once(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_description(chat)
    first = await chat.media(ref="p0", album="a2", caption=CAPTION)
    rest = [await chat.media(ref=f"p{i}", album="a2") for i in (1, 2)]
    assert len(first) == 2 and rest == [[], []]
    await _file(chat, gateway)
    assert gateway.submissions[0].description == CAPTION
    assert len(gateway.submissions[0].attachments) == 3


async def test_a_short_caption_is_kept_and_the_next_words_complete_it(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_description(chat)
    await chat.media(ref="card", caption="الإقامة")
    assert "احتفظت بملفك" in chat.said and "احتفظت بما كتبت" in chat.said
    await chat.text("منتهية ولا أستطيع تجديدها")
    assert "للمستندات" in chat.said
    await _file(chat, gateway)
    assert gateway.submissions[0].description == "الإقامة\nمنتهية ولا أستطيع تجديدها"


async def test_a_description_in_two_messages_keeps_both(
    chat: Chat, gateway: MemoryGateway, clock: Clock
) -> None:
    await _to_description(chat)
    await chat.text(FIRST)
    assert "لإضافة شيء إلى وصفك" in chat.said  # the documents question says how to add
    clock.advance(4)
    await chat.text(SECOND)
    assert "أُضيف إلى وصفك" in chat.said
    await chat.media(ref="p1")
    await _file(chat, gateway)
    assert gateway.submissions[0].description == f"{FIRST}\n{SECOND}"


async def test_a_short_start_is_completed_by_the_next_message(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_description(chat)
    await chat.text("انتهت إقامتي")
    assert "احتفظت بما كتبت" in chat.said
    await chat.text("ولا أستطيع تجديدها من أبشر")
    assert "للمستندات" in chat.said
    await chat.media()
    await _file(chat, gateway)
    assert gateway.submissions[0].description == "انتهت إقامتي\nولا أستطيع تجديدها من أبشر"


async def test_a_long_paste_split_in_parts_gets_one_full_answer(
    chat: Chat, gateway: MemoryGateway, clock: Clock
) -> None:
    chat.splits_texts_at = 4096  # an app that splits a long paste, as Telegram's do
    await _to_description(chat)
    # Telegram splits a 5,000-character paste into 4096 + 904: judged as one whole
    paste = ("انتهت إقامتي وحاولت التجديد من أبشر فظهرت رسالة خطأ عند سداد الرسوم " * 72)[:5000]
    parts = [paste[:4096], paste[4096:]]
    await chat.text(parts[0])
    # its start is kept and shown (test_long_description.py), in one answer
    assert "أطول من ١٠٠٠ حرف" in chat.said
    clock.advance(1)
    # the rest of the same paste: answered in a line, not judged again as too long
    said = await chat.text(parts[1])
    assert len(said) == 1 and "بقيّتها" in chat.said and "أطول من" not in chat.said
    # a new, shorter description a while later is judged on its own
    clock.advance(PASTE_WINDOW_S + 30)
    await chat.text(FIRST)
    assert "للمستندات" in chat.said
    await chat.media()
    await _file(chat, gateway)
    assert gateway.submissions[0].description == FIRST


async def test_the_limit_applies_to_the_whole_description(
    chat: Chat, gateway: MemoryGateway, clock: Clock
) -> None:
    await _to_description(chat)
    start = ("وصف طويل " * 100)[:800]  # 800 characters: on to the documents
    await chat.text(start)
    clock.advance(0.5)
    # the rest of a paste: too much for the whole, one answer for its two parts
    said = await chat.text(("وبعدها راجعت الفرع وطلبوا أوراقًا " * 10)[:300])
    assert len(said) == 1 and "لم تُضف" in chat.said
    clock.advance(0.5)
    # a 300-character text cannot be a part of a split paste: answered, not dropped
    said = await chat.text(("ثم رجعت للبيت ولم أفهم المطلوب " * 10)[:300])
    assert len(said) == 1 and "لم تُضف" in chat.said
    clock.advance(PASTE_WINDOW_S + 1)
    await chat.text("الرسوم مدفوعة")  # a short addition later still fits
    assert "أُضيف إلى وصفك" in chat.said
    await chat.media()
    await _file(chat, gateway)
    described = gateway.submissions[0].description
    assert described == f"{start}\nالرسوم مدفوعة" and len(described) <= MAX_DESCRIPTION


async def test_a_video_with_the_description_keeps_the_words_not_the_video(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_description(chat)
    await chat.media(kind="video", mime="video/mp4", ref="clip", caption=CAPTION)
    # the words are the description; the video is refused in the same answer
    assert "حُفظ وصفك" in chat.said and "لا يمكن قبول هذا النوع" in chat.said
    assert "للمستندات" in chat.said
    await chat.media(ref="card")
    await _file(chat, gateway)
    (filed,) = gateway.submissions
    assert filed.description == CAPTION and [a.ref for a in filed.attachments] == ["card"]


async def test_a_file_kept_out_by_the_daily_allowance_is_explained(chat: Chat) -> None:
    await _to_description(chat)
    await chat.text(FIRST)
    await chat.send(Media(chat.origin(), "photo", "late", "image/jpeg", 0, problem="quota"))
    assert "أقصى ما يُقبل من الملفات في يوم واحد" in chat.said


async def test_the_same_photo_sent_three_times_is_kept_once() -> None:
    # found by the fresh-clone tester: one photo sent three times became three attachments
    gateway = MemoryGateway()
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)
    await _to_attachments(chat)
    photo = b"the same passport page"
    await chat.media(content=photo, ref="tg-file-a")
    assert "وصلتني الصورة" in chat.said
    for ref in ("tg-file-b", "tg-file-c"):  # a channel gives each sending its own id
        await chat.media(content=photo, ref=ref)
        assert "أرسلت هذه الصورة من قبل" in chat.said
    await chat.media(content=b"another page")  # a different file is taken
    assert "وصلتني الصورة" in chat.said
    await chat.tap("done")
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert [a.ref for a in filed.attachments] == ["tg-file-a", filed.attachments[1].ref]
    assert len({a.checksum for a in filed.attachments}) == 2


async def test_a_damaged_file_at_the_documents_step_is_told_it_could_not_be_read() -> None:
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)
    await _to_attachments(chat)
    damaged = Media(chat.origin(), "document", "f1", "application/octet-stream", 13,
                    file_name="iqama.pdf", problem="unreadable")  # fmt: skip
    await chat.send(damaged)
    assert "تعذّرت علينا قراءة هذا الملف" in chat.said
    assert "ميغابايت" not in chat.said and "هذا النوع" not in chat.said


async def test_done_words_at_the_description_step_are_not_the_description(
    chat: Chat, gateway: MemoryGateway
) -> None:
    # found by the fresh-clone tester: «تم» was kept, and the officer read «الوصف: تم / …»
    await _to_description(chat)
    for word in ("تم", "خلاص", "done"):
        await chat.text(word)
        assert "لم يصلني وصف طلبك بعد" in chat.said, word
        assert "احتفظت بما كتبت" not in chat.said
    await chat.text(FIRST)
    assert "للمستندات" in chat.said
    await chat.media()
    await _file(chat, gateway)
    assert gateway.submissions[0].description == FIRST


async def test_done_after_a_short_start_asks_for_more_and_keeps_it(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_description(chat)
    await chat.text("تجديد")
    await chat.text("تم")
    # too short to go on, said so; nothing typed is lost, and «تم» is not said kept
    # (session 20's probe: «احتفظت بما كتبت» read as if «تم» had been kept)
    said = chat.said
    assert "ما كتبته حتى الآن قصير" in said and "احتفظت بما كتبت" not in said, said
    await chat.text("الإقامة من أبشر لا يعمل")
    await chat.media()
    await _file(chat, gateway)
    assert gateway.submissions[0].description == "تجديد\nالإقامة من أبشر لا يعمل"


async def test_done_when_changing_the_description_keeps_the_one_given(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_description(chat)
    await chat.text(FIRST)
    await chat.media()
    await chat.tap("done")
    await chat.tap("e:desc")
    await chat.text("خلاص")
    assert "يُرجى مراجعة طلبك" in chat.said  # on, as if nothing needed changing
    assert "خلاص" not in chat.said
    await chat.tap("confirm")
    assert gateway.submissions[0].description == FIRST


@pytest.mark.parametrize("blank", ["     ", "\u200f\u200e\u200b", "🙏", "ـــــ"])
async def test_a_message_with_no_words_is_not_said_to_be_kept(
    chat: Chat, gateway: MemoryGateway, blank: str
) -> None:
    # found by the fresh-clone tester: spaces or RLM/LRM/ZWSP only got «احتفظت بما كتبت»
    await _to_description(chat)
    await chat.text(blank)
    assert "لم أجد كلمات في هذه الرسالة" in chat.said and "احتفظت بما كتبت" not in chat.said
    await chat.text(FIRST)
    assert "للمستندات" in chat.said
    await chat.media()
    await _file(chat, gateway)
    assert gateway.submissions[0].description == FIRST  # nothing of the blank is kept


async def test_emoji_do_not_make_up_the_minimum(chat: Chat, gateway: MemoryGateway) -> None:
    # found by the fresh-clone tester: 16 «🙏» passed as the whole description
    await _to_description(chat)
    await chat.text("🙏" * 16)
    assert "لم أجد كلمات في هذه الرسالة" in chat.said and "للمستندات" not in chat.said
    await chat.text("جواز 🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏")
    assert "احتفظت بما كتبت" in chat.said and "للمستندات" not in chat.said
    await chat.text("انتهت إقامتي ولا أستطيع التجديد")
    assert "للمستندات" in chat.said


async def test_no_words_after_a_short_start_keeps_the_start(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_description(chat)
    await chat.text("انتهت إقامتي")
    await chat.text("   ")
    assert "لم أجد كلمات في هذه الرسالة" in chat.said and "ما كتبته قبلها محفوظ" in chat.said
    await chat.text("ولا أستطيع تجديدها من أبشر")
    await chat.media()
    await _file(chat, gateway)
    assert gateway.submissions[0].description == "انتهت إقامتي\nولا أستطيع تجديدها من أبشر"


async def test_a_line_of_tatweel_at_the_documents_step_is_not_added(
    chat: Chat, gateway: MemoryGateway
) -> None:
    # found by the fresh-clone tester: «ـــــ» was «أُضيف إلى وصفك»
    await _to_description(chat)
    await chat.text(FIRST)
    await chat.text("ـــــ")
    assert "أُضيف إلى وصفك" not in chat.said and "لم أجد كلمات في هذه الرسالة" in chat.said
    await chat.media()
    await _file(chat, gateway)
    assert gateway.submissions[0].description == FIRST


@pytest.mark.parametrize("nod", ["ok", "تمام", "طيب", "اوكي"])
async def test_a_nod_before_the_description_is_not_its_first_line(
    chat: Chat, gateway: MemoryGateway, nod: str
) -> None:
    """Fresh-clone tester 15 (§11): «ok» then the real text at the description step gave
    «الوصف: ok / الوالده تبي تمدد…» on the summary and the officer's card."""
    await _to_description(chat)
    await chat.text(nod)
    assert "يُرجى وصف طلبك" in chat.said and "احتفظتُ بما كتبته" not in chat.said, chat.said
    await chat.text(CAPTION)
    await chat.media(ref="p1")
    await _file(chat, gateway)
    assert gateway.submissions[0].description == CAPTION
