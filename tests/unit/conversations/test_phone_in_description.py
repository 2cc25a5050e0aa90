"""A message that is only a mobile number, typed where the person's own words are taken
(the description, the documents), is the request's mobile number, named back, and not
words of the description. Found by tester 10b on WhatsApp: «+44 7700 900123» typed at
«صِف طلبك», after the WhatsApp number had been taken by itself, became the description
(«احتفظت بما كتبت. فضلًا أضف بعض التفاصيل…») and the mobile number was not changed."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.phone_in_words import only_a_phone, phone_of

from .fakes import Chat, MemoryGateway, TerminalChat
from .test_describe import _to_description
from .test_intake import DESCRIPTION
from .test_phone_foreign import WA_NUMBER, VouchedChat, _engine, _to_phone

NOT_ADDED = "لذلك لم أُضِفه إلى وصف طلبك"


@pytest.mark.parametrize(
    "typed",
    ["+20 100 123 4567", "0020 100 123 4567", "+201001234567", "+971 50 123 4567",
     "٠٠٩٧١٥٠١٢٣٤٥٦٧", "0551234567", "055-123-4567", "(055) 123 4567", "\u200e+201001234567"],
)  # fmt: skip
def test_only_a_phone(typed: str) -> None:
    assert only_a_phone(typed)


@pytest.mark.parametrize(
    "typed",
    ["رقمي الجديد 0551234567", "2000000006", "1000000008", "4512345671", "123", "+12",
     "انتهت اقامتي 2025 ورقم الطلب 4512345671", "0551234567 اتصلوا علي", "١٤٤٦"],
)  # fmt: skip
def test_not_only_a_phone(typed: str) -> None:
    assert not only_a_phone(typed)


@pytest.mark.parametrize(
    ("typed", "saved"),
    [("+20 100 123 4567", "+201001234567"), ("00971501234567", "+971501234567"),
     ("0551234567", "+966551234567")],
)  # fmt: skip
async def test_a_mobile_typed_at_the_description_on_whatsapp_is_the_new_contact_number(
    gateway: MemoryGateway, typed: str, saved: str
) -> None:
    engine = _engine(gateway)
    chat = VouchedChat(engine.handle)
    await _to_phone(chat)
    await chat.contact(WA_NUMBER)  # the channel answers the phone step with the wa_id
    assert chat.said.startswith("شكرًا لك، حفظتُ رقم جوالك")
    await chat.text(typed)
    said = chat.said
    assert said.startswith(f"سجّلتُ الرقم \u2068{saved}\u2069 رقمًا للتواصل معك في هذا الطلب"), said
    assert "غير موثّق" in said and "وصف طلبك" in said, said
    state = await engine.store.load("test", "u1")
    assert (state.step, state.answers["phone"], state.answers["phone_verified"]) == (
        "description",
        saved,
        False,
    )
    assert not state.answers.get("description") and not state.answers.get("description_draft")
    # the description that follows is the description, alone
    await chat.text(DESCRIPTION)
    await chat.media()
    await chat.tap("done")
    assert f"الجوال: \u2066{saved}\u2069 (غير موثّق)" in chat.said, chat.said
    assert typed not in chat.said


async def test_the_whatsapp_number_typed_again_stays_verified_and_is_not_words(
    gateway: MemoryGateway,
) -> None:
    engine = _engine(gateway)
    chat = VouchedChat(engine.handle)
    await _to_phone(chat)
    await chat.contact(WA_NUMBER)
    await chat.text("0501234567")
    assert chat.said.startswith(f"\u2068{WA_NUMBER}\u2069 هو رقم الجوال المسجّل في طلبك"), chat.said
    state = await engine.store.load("test", "u1")
    assert (state.answers["phone"], state.answers["phone_verified"]) == (WA_NUMBER, True)
    assert not state.answers.get("description_draft")


async def test_a_description_with_digits_is_still_the_description(gateway: MemoryGateway) -> None:
    engine = _engine(gateway)
    chat = VouchedChat(engine.handle)
    await _to_phone(chat)
    await chat.contact(WA_NUMBER)
    words = "انتهت اقامتي وجوالي الثاني 0551234567 ولم استطع التجديد من ابشر بسبب خطأ في النظام"
    await chat.text(words)
    state = await engine.store.load("test", "u1")
    assert state.step == "attachments" and state.answers["description"] == words
    assert state.answers["phone"] == WA_NUMBER


async def test_a_mobile_at_the_documents_step_is_the_contact_number(gateway: MemoryGateway) -> None:
    engine = _engine(gateway)
    chat = VouchedChat(engine.handle)
    await _to_phone(chat)
    await chat.contact(WA_NUMBER)
    await chat.text(DESCRIPTION)
    await chat.text("+971 50 123 4567")
    assert chat.said.startswith("سجّلتُ الرقم \u2068+971501234567\u2069"), chat.said
    state = await engine.store.load("test", "u1")
    assert state.answers["description"] == DESCRIPTION
    assert state.answers["phone"] == "+971501234567"


async def test_a_number_no_country_has_is_not_words_and_not_taken(gateway: MemoryGateway) -> None:
    # the tester's own «+44 7700 900123» is in the UK's range for drama: no real mobile
    engine = _engine(gateway)
    chat = VouchedChat(engine.handle)
    await _to_phone(chat)
    await chat.contact(WA_NUMBER)
    await chat.text("+44 7700 900123")
    assert chat.said.startswith("يبدو هذا رقم هاتف، " + NOT_ADDED), chat.said
    assert "لا يبدو هذا رقم جوال" in chat.said
    state = await engine.store.load("test", "u1")
    assert state.answers["phone"] == WA_NUMBER and not state.answers.get("description_draft")


async def test_on_telegram_the_shared_number_is_kept_and_named(engine: Engine) -> None:
    chat = Chat(engine.handle)
    await _to_phone(chat)
    await chat.contact("+966501234567")
    await chat.text("+201001234567")
    assert chat.said.startswith("يبدو هذا رقم هاتف، " + NOT_ADDED), chat.said
    assert "\u2068+966501234567\u2069" in chat.said, chat.said
    state = await engine.store.load("test", "u1")
    assert state.answers["phone"] == "+966501234567" and state.answers["phone_verified"]


async def test_in_the_terminal_a_typed_mobile_is_taken_as_the_persons_own(
    engine: Engine,
) -> None:
    chat = TerminalChat(engine.handle)
    await _to_phone(chat)
    await chat.text("0501234567")
    await chat.text("+201001234567")
    state = await engine.store.load("test", "u1")
    assert (state.answers["phone"], state.answers["phone_verified"]) == ("+201001234567", True)
    assert "غير موثّق" not in chat.said


@pytest.mark.parametrize(
    ("typed", "number"),
    [("رقمي ٠٥٥٩٨٧٦٥٤٣", "0559876543"), ("رقمي الجديد 0551234567", "0551234567"),
     ("جوالي: +971501234567", "+971501234567"), ("my number is 0551234567", "0551234567"),
     ("0551234567", "0551234567")],
)  # fmt: skip
def test_a_number_after_words_that_only_name_it_is_that_number(typed: str, number: str) -> None:
    # session 25's probe: «رقمي ٠٥٥…» at the description was kept as its words
    assert phone_of(typed) == number


@pytest.mark.parametrize(
    "typed",
    ["0551234567 اتصلوا علي", "رقمي 2000000006", "رقم الطلب 4512345671", "رقمي",
     "اقامتي انتهت ورقمي 0551234567"],
)  # fmt: skip
def test_other_words_with_a_number_are_no_phone(typed: str) -> None:
    assert phone_of(typed) is None


async def test_my_number_at_the_description_is_the_new_mobile_not_words(chat: Chat) -> None:
    await _to_description(chat)
    await chat.text("رقمي ٠٥٥٩٨٧٦٥٤٣")
    # the number shared from the account stays (a typed one would replace it)
    assert NOT_ADDED in chat.said and "الذي شاركته من حسابك" in chat.said, chat.said
    await chat.text(DESCRIPTION)
    assert "رقمي" not in chat.said, chat.said  # not kept as words of the description
