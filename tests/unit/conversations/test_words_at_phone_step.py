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


async def test_why_the_number_and_a_broken_button_are_answered_not_kept(
    engine: Engine,
) -> None:
    """Tester 13 (§6): «ما ابي اشارك رقمي، ليش تحتاجونه؟» got «ليس لدي جواب عن هذا
    السؤال», «الزر ما يشتغل عندي» was kept as the description and «مساعدة» gave the general
    help only. Now each says why the number is needed and what to do when the button does
    not work, the button stays, and nothing of it reaches the description."""
    chat = Chat(engine.handle)
    await _to_phone(chat)
    await chat.text("ما ابي اشارك رقمي، ليش تحتاجونه؟")
    assert "ليس لدي جواب" not in chat.said
    assert "نحتاج رقم جوالك لأن المديرية" in chat.said and "في التطبيق على الجوال" in chat.said
    assert chat.last[-1].ask_contact
    await chat.text("الزر ما يشتغل عندي")
    assert "احتفظتُ بما كتبته" not in chat.said
    assert "وإن لم يظهر الزر أو لم يستجب" in chat.said and "لا يمكن متابعة الطلب" in chat.said
    await chat.text("مساعدة")
    assert "نحتاج رقم جوالك لأن المديرية" in chat.said and chat.last[-1].ask_contact
    await chat.contact(PHONE)
    # the description step asks afresh: no complaint is offered as «وصفي»
    assert "ليش تحتاجونه" not in chat.said and "الزر ما يشتغل" not in chat.said
    assert "الإبقاء على وصفي" not in chat.said


async def test_a_story_at_the_phone_step_is_still_kept(engine: Engine) -> None:
    chat = Chat(engine.handle)
    await _to_phone(chat)
    await chat.text("ليش ما اقدر اجدد اقامتي من ابشر")
    assert "احتفظتُ بما كتبته" in chat.said or "ليس لدي جواب" in chat.said
    assert "نحتاج رقم جوالك لأن المديرية" not in chat.said
