"""Tester 12, §20, the resident's small gaps: what the documents step says to a voice note
or a location (it wants photos or PDFs, not a written answer); what an edit of an earlier
message is told at the summary (its rows, not «رجوع» it does not offer); and an English
need with «absher shows error» offered «Technical issue», as its Arabic equivalent is."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.events import Unsupported
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore, WhatsAppChat
from .test_edits import HINT, Person
from .test_intake import DESCRIPTION, PHONE, RESIDENT

WANTS = "المطلوب في هذه الخطوة صور المستندات أو ملفات PDF، ثم الضغط على «تم» بعد إرسالها كلها."


async def _at_documents(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:inside")
    await chat.text(RESIDENT)
    await chat.text(PHONE) if isinstance(chat, WhatsAppChat) else await chat.contact(PHONE)
    await chat.text(DESCRIPTION)
    assert "done" in chat.choice_ids


@pytest.mark.parametrize("make", [Chat, WhatsAppChat])
async def test_a_voice_note_or_a_location_at_the_documents_is_told_what_the_step_wants(
    make: type[Chat],
) -> None:
    chat = make(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)
    await _at_documents(chat)
    await chat.media(kind="voice", mime="audio/ogg")
    assert chat.said.startswith("عذرًا، لا أستطيع الاستماع إلى الرسائل الصوتية حاليًا.")
    assert WANTS in chat.said and "إجابتك" not in chat.said
    await chat.send(Unsupported(chat.origin(), "location", (24.71, 46.68)))
    assert "الموقع غير مطلوب هنا" in chat.said and WANTS in chat.said
    assert "إجابتك" not in chat.said and "done" in chat.choice_ids
    await chat.media(kind="sticker", mime="image/webp")
    assert WANTS in chat.said and "إجابتك" not in chat.said


async def test_a_voice_note_elsewhere_still_asks_for_a_typed_answer() -> None:
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:inside")
    await chat.media(kind="voice", mime="audio/ogg")
    assert "يُرجى كتابة إجابتك" in chat.said and WANTS not in chat.said


async def test_an_edit_at_the_summary_points_to_its_rows_not_back() -> None:
    person = Person()
    await person.say("/start")
    await person.chat.tap("ind")
    await person.say("ابي اجدد اقامتي")
    await person.chat.tap("s:iqama_renew")
    await person.chat.tap("q:inside")
    await person.say(RESIDENT)
    await person.chat.contact(PHONE)
    typed, _ = await person.say(DESCRIPTION)
    await person.chat.media()
    await person.chat.tap("done")
    assert await person.step() == "summary"
    said = await person.edit(typed, "وصف آخر")
    assert said.startswith(HINT) and "«تعديل الوصف»" in said and "«رجوع»" not in said
    assert "e:desc" in person.chat.choice_ids  # the summary's rows are still there


async def test_an_english_need_with_absher_showing_an_error_is_offered_technical_issue() -> None:
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)
    chat.language = "en"
    await chat.text("Hi I want to renew my iqama but absher shows error")
    assert "s:technical_issue" in chat.choice_ids and "s:iqama_renew" in chat.choice_ids
