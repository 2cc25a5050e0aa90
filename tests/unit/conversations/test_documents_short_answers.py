"""Session 16's recheck of the documents step on real short answers (brief item 8, after
3f4fc75's «at most 8 words is only the ask»): that rule (description_words.only_asks) reads
only «ما اعرف رقم…» messages, so a short list of documents is never taken for a question.
«صورة الجواز والإقامة» is an answer (acknowledged, nothing added to the description the
officer reads); «ما عندي ايصال السداد» tells the officer something and is added; a real
question about the documents is answered with their list. This pins what was found."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_describe import _to_description
from .test_intake import DESCRIPTION, _to_attachments

ACK = "يمكنك إرسال المستندات حين تجهز"
ADDED = "أُضيف إلى وصفك"


async def _at_documents() -> tuple[Chat, MemoryGateway]:
    gateway = MemoryGateway()
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)
    await _to_attachments(chat)
    assert "للمستندات" in chat.said
    return chat, gateway


@pytest.mark.parametrize(
    "typed", ["صورة الجواز والإقامة", "صورة الاقامة وصورة الجواز", "الجواز والإقامة"]
)
async def test_a_short_list_of_documents_is_an_answer(typed: str) -> None:
    chat, gateway = await _at_documents()
    await chat.text(typed)
    assert ACK in chat.said and ADDED not in chat.said and "سؤال" not in chat.said, chat.said
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].description == DESCRIPTION


@pytest.mark.parametrize("typed", ["ما عندي ايصال السداد", "عندي الجواز بس"])
async def test_a_short_word_about_the_documents_is_added_for_the_officer(typed: str) -> None:
    chat, gateway = await _at_documents()
    await chat.text(typed)
    assert ADDED in chat.said, chat.said
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].description == f"{DESCRIPTION}\n{typed}"


async def test_a_question_about_the_documents_is_answered_with_their_list() -> None:
    chat, _gateway = await _at_documents()
    await chat.text("ايش المستندات المطلوبة؟")
    assert "المستندات المطلوبة لخدمة «تجديد هوية مقيم»" in chat.said
    assert ADDED not in chat.said


@pytest.mark.parametrize(
    "typed", ["وش المطلوب اصوير؟", "وش المطلوب تصويره؟", "ايش اصور؟", "وش المرفقات المطلوبة؟"]
)
async def test_what_to_photograph_at_the_description_step_is_the_documents(typed: str) -> None:
    """Fresh-clone tester 16 §7: at the description step «وش المطلوب اصوير؟» got «لست
    متأكدًا من المقصود بالسؤال… شروط إصدار الإقامة وتجديدها» while the chosen service's
    documents are known. Answered with them, and the step asked again, nothing kept."""
    gateway = MemoryGateway()
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)
    await _to_description(chat)
    await chat.text(typed)
    assert "المستندات المطلوبة لخدمة «تجديد هوية مقيم»" in chat.said, chat.said
    assert "لست متأكدًا" not in chat.said and "يُرجى وصف طلبك" in chat.said, chat.said
    await chat.text(DESCRIPTION)
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].description == DESCRIPTION


@pytest.mark.parametrize("typed", ["تخطي", "skip"])
async def test_skip_where_documents_are_needed_is_not_described(typed: str) -> None:
    """Found trying the terminal chat (session 22): «تخطي» at the iqama renewal's
    documents, which needs one, was added to the description («أُضيف إلى وصفك»)."""
    chat, gateway = await _at_documents()
    await chat.text(typed)
    assert ADDED not in chat.said and "دون مستند واحد على الأقل" in chat.said, chat.said
    await chat.media()
    await chat.text(typed)  # with a file sent, it is «Done»
    assert "يُرجى مراجعة طلبك" in chat.said, chat.said
    await chat.tap("confirm")
    assert gateway.submissions[0].description == DESCRIPTION


@pytest.mark.parametrize(
    ("typed", "without_one"),
    [
        ("التالي", "يُرجى إرسال مستند واحد على الأقل"),
        ("كمل", "يُرجى إرسال مستند واحد على الأقل"),
        ("next", "يُرجى إرسال مستند واحد على الأقل"),
        ("لاحقا", "دون مستند واحد على الأقل"),
        ("سكيب", "دون مستند واحد على الأقل"),
    ],
)
async def test_next_and_later_are_buttons_not_description(typed: str, without_one: str) -> None:
    """Helper 22's recheck: «التالي», «كمل», «لاحقا», «next» at the documents step were
    added to the description the officer reads."""
    chat, gateway = await _at_documents()
    await chat.text(typed)
    assert ADDED not in chat.said and without_one in chat.said, chat.said
    await chat.media()
    await chat.text(typed)
    assert "يُرجى مراجعة طلبك" in chat.said, chat.said
    await chat.tap("confirm")
    assert gateway.submissions[0].description == DESCRIPTION


async def test_a_wish_to_change_the_description_goes_back_to_it() -> None:
    # helper 23: «ابي اغير الوصف» at the documents step was added to the description
    chat, gateway = await _at_documents()
    await chat.text("ابي اغير الوصف")
    assert ADDED not in chat.said and "keep_description" in chat.choice_ids, chat.said
    await chat.text("ابي اجدد اقامتي قبل السفر والجواز ساري")
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].description == "ابي اجدد اقامتي قبل السفر والجواز ساري"


@pytest.mark.parametrize(
    ("typed", "option"),
    [("غلطت في رقم الاقامه", "«تعديل رقم الهوية»"), ("ابي اعدل رقم جوالي", "«تعديل رقم الجوال»")],
)
async def test_a_wish_to_change_a_number_says_where(typed: str, option: str) -> None:
    chat, gateway = await _at_documents()
    await chat.text(typed)
    assert ADDED not in chat.said and option in chat.said, chat.said
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].description == DESCRIPTION


async def test_a_mistake_told_of_a_document_is_still_added() -> None:
    chat, _gateway = await _at_documents()
    await chat.text("الجواز فيه غلط بالاسم")
    assert ADDED in chat.said
