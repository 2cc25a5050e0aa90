"""A mobile typed on Telegram, where «مشاركة رقمي» shares the account's own number: taken
as a contact number, shown to the officer as not verified, with the same checks as a typed
number anywhere (domain.phone.normalise_mobile: phonenumbers; 05…, +9665…, Arabic-Indic
digits). Found by fresh users in sessions 14–15: at «تعديل رقم الجوال» a typed number was
refused («حرصًا على حمايتك، يجب أن يكون الرقم من حسابك أنت»), so there was no way to give a
second number to be called on. The shared number stays the verified one."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_intake import DESCRIPTION, PHONE
from .test_phone_typed import _to_phone

REFUSED = "يجب أن يكون الرقم من حسابك"


async def _at_summary(gateway: MemoryGateway) -> Chat:
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)
    await _to_phone(chat)
    await chat.contact(PHONE)
    await chat.text(DESCRIPTION)
    await chat.media()
    await chat.tap("done")
    assert "يُرجى مراجعة طلبك" in chat.said
    return chat


@pytest.mark.parametrize(
    "typed", ["0555123456", "٠٥٥٥١٢٣٤٥٦", "+966555123456", "رقمي 055 512 3456"]
)
async def test_a_mobile_typed_at_change_the_mobile_is_taken_not_verified(typed: str) -> None:
    gateway = MemoryGateway()
    chat = await _at_summary(gateway)
    await chat.tap("e:phone")
    assert chat.last[-1].ask_contact  # the button still shares the account's number
    assert "اكتب" in chat.said or "كتابة" in chat.said, chat.said  # and typing is offered
    await chat.text(typed)
    assert REFUSED not in chat.said
    assert "+966555123456" in chat.said and "غير موثّق" in chat.said, chat.said
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert (filed.phone, filed.phone_verified) == ("+966555123456", False)


async def test_a_landline_or_a_short_number_typed_is_said_wrong_and_the_button_offered() -> None:
    chat = await _at_summary(MemoryGateway())
    await chat.tap("e:phone")
    await chat.text("0112345678")
    assert "هاتف ثابت" in chat.said and "«مشاركة رقمي»" in chat.said, chat.said
    await chat.text("05012")
    assert "لا يبدو هذا رقم جوال" in chat.said and REFUSED not in chat.said
    await chat.contact(PHONE)  # the shared number, as before: verified
    assert "يُرجى مراجعة طلبك" in chat.said


async def test_a_mobile_typed_at_the_first_phone_step_is_a_contact_number() -> None:
    gateway = MemoryGateway()
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)
    await _to_phone(chat)
    await chat.text("٠٥٥٥١٢٣٤٥٦")
    assert REFUSED not in chat.said and "يُرجى وصف طلبك" in chat.said, chat.said
    await chat.text(DESCRIPTION)
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert (filed.phone, filed.phone_verified) == ("+966555123456", False)
