"""A voice note, a sticker, a video or a location at the phone step is told what the step
needs, the number (found by tester 13, §18, Telegram: a voice note there was answered
«عذرًا، لا أستطيع الاستماع إلى الرسائل الصوتية حاليًا. يُرجى كتابة إجابتك.», though the step's answer
is the «مشاركة رقمي» button, not anything written)."""

from __future__ import annotations

import pytest

from conversations.engine import Engine

from .fakes import Chat, TerminalChat
from .test_intake import PHONE, RESIDENT, _to_identity


async def _to_phone(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        ("voice", "لا أستطيع الاستماع إلى الرسائل الصوتية"),
        ("sticker", "لا يمكن استخدام الملصقات هنا"),
        ("video", "لا يمكنني استخدام هذا النوع"),
    ],
)
async def test_a_voice_note_at_the_button_phone_step_is_told_the_button(
    engine: Engine, kind: str, said: str
) -> None:
    chat = Chat(engine.handle)
    await _to_phone(chat)
    await chat.media(kind=kind, mime="audio/ogg" if kind == "voice" else "image/webp")  # type: ignore[arg-type]
    assert said in chat.said, chat.said
    assert "كتابة إجابتك" not in chat.said and "ملفات PDF" not in chat.said, chat.said
    assert "«مشاركة رقمي»" in chat.said, chat.said
    assert chat.last[-1].ask_contact  # still the phone step, its button there
    await chat.contact(PHONE)
    assert "الوصف" in chat.said or "وصف طلبك" in chat.said


async def test_a_location_at_the_button_phone_step_is_told_the_button(engine: Engine) -> None:
    chat = Chat(engine.handle)
    await _to_phone(chat)
    await chat.unsupported("location")
    assert "الموقع غير مطلوب هنا" in chat.said
    assert "كتابة إجابتك" not in chat.said and "«مشاركة رقمي»" in chat.said, chat.said


async def test_where_the_number_is_typed_a_voice_note_is_asked_for_the_number(
    engine: Engine,
) -> None:
    chat = TerminalChat(engine.handle)
    await _to_phone(chat)
    await chat.media(kind="voice", mime="audio/ogg")
    assert "لا أستطيع الاستماع" in chat.said
    assert "رقم جوالك: يُرجى كتابته" in chat.said and "كتابة إجابتك" not in chat.said, chat.said
