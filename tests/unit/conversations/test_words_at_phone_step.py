"""Words typed at the phone step are answered as words (found by the fresh-clone tester:
«ابي اسافر لمصر الشهر الجاي» was answered «حرصًا على حمايتك، يجب أن يكون الرقم من حسابك
أنت», as if a number had been typed): a sentence is kept for the description, as at the
other number steps, and the person is told the step needs their number."""

from __future__ import annotations

from conversations.engine import Engine

from .fakes import Chat, WhatsAppChat
from .test_intake import PHONE, RESIDENT, _to_identity

SENTENCE = "ابي اسافر لمصر الشهر الجاي"


async def _to_phone(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)


async def test_a_sentence_at_the_phone_step_is_kept_for_the_description(engine: Engine) -> None:
    chat = Chat(engine.handle)
    await _to_phone(chat)
    await chat.text(SENTENCE)
    assert "حرصًا على حمايتك" not in chat.said
    assert "احتفظتُ بما كتبته" in chat.said and "مشاركة رقمي" in chat.said
    assert chat.last[-1].ask_contact  # still the phone step, its button there
    await chat.contact(PHONE)
    assert "هذا ما كتبته سابقًا" in chat.said and SENTENCE in chat.said


async def test_a_word_at_the_phone_step_is_not_taken_for_a_number(engine: Engine) -> None:
    chat = Chat(engine.handle)
    await _to_phone(chat)
    await chat.text("بكره")
    assert "حرصًا على حمايتك" not in chat.said
    assert "ما كتبته ليس رقم جوال" in chat.said and "مشاركة رقمي" in chat.said
    assert chat.last[-1].ask_contact


async def test_in_english_a_sentence_at_the_phone_step(engine: Engine) -> None:
    chat = Chat(engine.handle)
    await chat.text("English")
    await _to_phone(chat)
    await chat.text("I want to travel to Egypt next month")
    assert "For your protection" not in chat.said
    assert "I have kept what you wrote" in chat.said and "Share my number" in chat.said
    await chat.text("later")
    assert "What you wrote is not a mobile number." in chat.said


async def test_where_the_number_is_typed_words_are_not_called_letters_in_it(
    engine: Engine,
) -> None:
    chat = WhatsAppChat(engine.handle)
    await _to_phone(chat)
    await chat.text(SENTENCE)
    assert "احتفظتُ بما كتبته" in chat.said and "٠٥XXXXXXXX" in chat.said
    await chat.text("بكره")
    assert "ما كتبته ليس رقم جوال" in chat.said and "بين الأرقام" not in chat.said
    await chat.text("0501234567")
    assert "هذا ما كتبته سابقًا" in chat.said and SENTENCE in chat.said
