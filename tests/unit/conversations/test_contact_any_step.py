"""A number shared (Telegram's contact, a WhatsApp card, the terminal's ``/contact``) at
any step of a request: kept for the phone step before it, the request's new contact
number after it, and a number that is not a mobile said to be none, with what a mobile
looks like. Found by tester 11 in the terminal: ``/contact 0501234567`` at «صِف طلبك» and
a landline ``/contact 0412345678`` at the identity step were both told «لا أحتاج إلى رقم
جوال في هذه الخطوة», while ``/contact 00201001234567`` at the identity step was kept."""

from __future__ import annotations

import pytest

from conversations.engine import Engine

from .fakes import Chat, MemoryGateway, TerminalChat
from .test_intake import DESCRIPTION, RESIDENT
from .test_phone_foreign import LANDLINE, WA_NUMBER, WRONG, VouchedChat, _engine, _to_phone

NOT_NEEDED = "لا أحتاج إلى رقم جوال"
DESCRIBE = "صف طلبك"


async def _terminal_at_description(engine: Engine) -> TerminalChat:
    chat = TerminalChat(engine.handle)
    await _to_phone(chat)
    await chat.contact("0501234567")
    state = await engine.store.load("test", "u1")
    assert (state.step, state.answers["phone"]) == ("description", "+966501234567")
    return chat


async def test_a_mobile_given_at_the_description_is_the_requests_new_number(
    engine: Engine, gateway: MemoryGateway
) -> None:
    chat = await _terminal_at_description(engine)
    await chat.contact("0551234567")
    said = chat.said
    assert said.startswith("سجّلتُ الرقم \u2068+966551234567\u2069 رقمًا للتواصل معك في هذا الطلب."), (
        said
    )
    assert NOT_NEEDED not in said and "غير موثّق" not in said
    assert "صِف طلبك" in said or "صف طلبك" in said or "وصف" in said, said
    state = await engine.store.load("test", "u1")
    assert (state.step, state.answers["phone"], state.answers["phone_verified"]) == (
        "description",
        "+966551234567",
        True,
    )
    await chat.text(DESCRIPTION)
    await chat.contact("+201001234567")  # at the documents step too
    assert chat.said.startswith("سجّلتُ الرقم \u2068+201001234567\u2069"), chat.said
    await chat.media()
    await chat.tap("done")
    assert "\u2066+201001234567\u2069" in chat.said, chat.said
    await chat.contact("0551234567")  # and at the summary, which shows it
    assert chat.said.startswith("سجّلتُ الرقم \u2068+966551234567\u2069"), chat.said
    assert "\u2066+966551234567\u2069" in chat.said, chat.said
    await chat.tap("confirm")
    assert gateway.submissions[0].phone == "+966551234567"


async def test_the_same_number_again_is_said_to_be_the_requests(engine: Engine) -> None:
    chat = await _terminal_at_description(engine)
    await chat.contact("٠٥٠١٢٣٤٥٦٧")
    assert chat.said.startswith("\u2068+966501234567\u2069 هو رقم الجوال المسجّل في طلبك."), (
        chat.said
    )


@pytest.mark.parametrize(
    ("typed", "said"), [("0412345678", WRONG), ("0114123456", LANDLINE), ("+20 2 2345 6789", LANDLINE)]
)  # fmt: skip
async def test_a_number_that_is_not_a_mobile_is_said_so_at_every_step(
    engine: Engine, typed: str, said: str
) -> None:
    chat = TerminalChat(engine.handle)
    await _to_phone(chat)  # the identity step is answered; now at the phone step
    await chat.contact(typed)
    assert chat.said.startswith(said), chat.said
    assert "٠٥" in chat.said and NOT_NEEDED not in chat.said
    await chat.contact("0501234567")
    await chat.contact(typed)  # at the description
    assert chat.said.startswith(said), chat.said
    assert "٠٥" in chat.said and NOT_NEEDED not in chat.said
    state = await engine.store.load("test", "u1")
    assert (state.step, state.answers["phone"]) == ("description", "+966501234567")


@pytest.mark.parametrize(("typed", "said"), [("0412345678", WRONG), ("0114123456", LANDLINE)])
async def test_a_landline_before_the_phone_step_is_not_a_mobile(
    engine: Engine, typed: str, said: str
) -> None:
    chat = TerminalChat(engine.handle)
    await _to_phone(chat)
    await chat.text("رجوع")  # back at the identity step
    await chat.contact(typed)
    assert chat.said.startswith(said), chat.said
    assert NOT_NEEDED not in chat.said
    state = await engine.store.load("test", "u1")
    assert state.step == "identity" and "phone_early" not in state.answers
    await chat.contact("00201001234567")  # a mobile there is kept, as before
    assert chat.said.startswith("احتفظتُ برقم جوالك \u2068+201001234567\u2069 لطلبك."), chat.said


async def test_on_telegram_the_accounts_number_changes_it_and_another_persons_does_not(
    engine: Engine,
) -> None:
    chat = Chat(engine.handle)
    await _to_phone(chat)
    await chat.contact("+966501234567")
    await chat.contact("+966551234567", own=False)
    assert chat.said.startswith("هذا رقم شخص آخر، لذلك لم أحتفظ به."), chat.said
    assert "\u2068+966501234567\u2069" in chat.said
    await chat.text(DESCRIPTION)
    await chat.contact("+966551234567")
    assert chat.said.startswith("سجّلتُ الرقم \u2068+966551234567\u2069"), chat.said
    state = await engine.store.load("test", "u1")
    assert (state.answers["phone"], state.answers["phone_verified"]) == ("+966551234567", True)


async def test_on_whatsapp_a_card_of_another_mobile_is_taken_as_not_verified(
    gateway: MemoryGateway,
) -> None:
    engine = _engine(gateway)
    chat = VouchedChat(engine.handle)
    await _to_phone(chat)
    await chat.contact(WA_NUMBER)
    await chat.contact("+201001234567", own=False)
    assert chat.said.startswith("سجّلتُ الرقم \u2068+201001234567\u2069"), chat.said
    assert "غير موثّق" in chat.said
    state = await engine.store.load("test", "u1")
    assert (state.answers["phone"], state.answers["phone_verified"]) == ("+201001234567", False)
    await chat.contact(WA_NUMBER)  # the WhatsApp number itself: verified again
    state = await engine.store.load("test", "u1")
    assert (state.answers["phone"], state.answers["phone_verified"]) == (WA_NUMBER, True)


async def test_in_english(engine: Engine) -> None:
    chat = TerminalChat(engine.handle)
    await chat.command("start")
    await chat.text("English")
    await chat.tap("ind")
    await chat.text("renew my iqama")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:inside")
    await chat.text(RESIDENT)
    await chat.contact("0501234567")
    await chat.contact("0551234567")
    assert chat.said.startswith(
        "I have saved \u2068+966551234567\u2069 as the mobile number of your request."
    ), chat.said
