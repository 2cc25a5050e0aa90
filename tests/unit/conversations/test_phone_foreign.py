"""Mobile numbers of other countries at the phone step, and another number than the one
WhatsApp vouches for.

Found by the fresh-clone tester: a WhatsApp user whose number is not shared (a username)
could give only a Saudi 05… number, though a resident may keep a mobile of their home
country (+971, +20, +92…): «لا يبدو هذا رقم جوال سعوديًا» to each; and one whose WhatsApp
number is known could never give another one (the channel answered the phone step with
the WhatsApp number again, also from the summary's «تعديل رقم الجوال»). The rule is
domain.phone.normalise_mobile, the same on every channel that takes a typed number."""

from __future__ import annotations

import dataclasses

import pytest

from conversations.engine import Engine
from conversations.events import Origin
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore, TerminalChat, WhatsAppChat
from .test_intake import DESCRIPTION, RESIDENT

WRONG = "لا يبدو هذا رقم جوال"
LANDLINE = "يبدو هذا رقم هاتف ثابت"
SAVED = "شكرًا لك، تم حفظ رقمك."
WA_NUMBER = "+966501234567"


class VouchedChat(Chat):
    """A WhatsApp chat whose number WhatsApp vouches for (a wa_id): what the channel puts
    on each event (bot.channels.whatsapp_channel)."""

    def origin(self, event_id: str | None = None) -> Origin:
        return dataclasses.replace(
            super().origin(event_id), vouched_phone=WA_NUMBER, channel_name="WhatsApp"
        )


def _engine(gateway: MemoryGateway) -> Engine:
    return Engine(MemoryStore(), INTAKE, load_catalogue(), gateway)


async def _to_phone(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:inside")
    await chat.text(RESIDENT)


async def _to_summary(chat: Chat) -> None:
    await chat.text(DESCRIPTION)
    await chat.media()
    await chat.tap("done")


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("+971 50 123 4567", "+971501234567"),
        ("00201001234567", "+201001234567"),
        ("‏+92 300 1234567", "+923001234567"),
        ("+٤٤ ٧٩١١ ١٢٣٤٥٦", "+447911123456"),
        ("٠٥٥ ١٢٣ ٤٥٦٧", "+966551234567"),
    ],
)
async def test_a_hidden_number_may_be_a_mobile_of_any_country(typed: str, kept: str) -> None:
    gateway = MemoryGateway()
    chat = WhatsAppChat(_engine(gateway).handle)
    await _to_phone(chat)
    assert "أو رقم دولة أخرى مع مفتاحها" in chat.said
    await chat.text(typed)
    assert SAVED in chat.said, chat.said
    await _to_summary(chat)
    assert f"{kept}\u2069 (غير موثّق)" in chat.said
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert (filed.phone, filed.phone_verified) == (kept, False)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("+9665012345", WRONG),  # too short for a Saudi mobile
        ("01001234567", WRONG),  # an Egyptian mobile without its country code
        ("12345", WRONG),
        ("+966112345678", LANDLINE),  # Riyadh landline
        ("+20 2 2345 6789", LANDLINE),  # Cairo landline
    ],
)
async def test_a_number_that_is_no_mobile_is_refused_politely(typed: str, said: str) -> None:
    chat = WhatsAppChat(_engine(MemoryGateway()).handle)
    await _to_phone(chat)
    await chat.text(typed)
    assert chat.said.startswith(said), chat.said
    assert SAVED not in chat.said
    if said == WRONG:
        assert "من دولة أخرى مع مفتاحها يبدأ بـ + أو" in chat.said
    # still on the step: a good number is taken
    await chat.text("+971501234567")
    assert SAVED in chat.said


async def test_a_foreign_contact_card_shared_early_is_kept_for_a_hidden_number() -> None:
    gateway = MemoryGateway()
    chat = WhatsAppChat(_engine(gateway).handle)
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.contact("+971501234567", own=False)
    assert "احتفظتُ برقم جوالك" in chat.said
    await chat.tap("s:iqama_renew")
    await chat.tap("q:inside")
    await chat.text(RESIDENT)
    await _to_summary(chat)
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert (filed.phone, filed.phone_verified) == ("+971501234567", False)


async def test_the_terminal_takes_a_foreign_mobile_by_the_same_rule() -> None:
    gateway = MemoryGateway()
    chat = TerminalChat(_engine(gateway).handle)
    await _to_phone(chat)
    await chat.text("+966112345678")
    assert chat.said.startswith(LANDLINE)
    await chat.text("+92 300 1234567")
    assert "شكرًا لك، حفظتُ رقم جوالك \u2068+923001234567\u2069 لطلبك." in chat.said
    await _to_summary(chat)
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert (filed.phone, filed.phone_verified) == ("+923001234567", True)


async def _vouched_at_summary(gateway: MemoryGateway) -> VouchedChat:
    chat = VouchedChat(_engine(gateway).handle)
    await _to_phone(chat)
    # the first time the channel answers the step itself with the WhatsApp number
    assert chat.last[-1].ask_contact
    await chat.contact(WA_NUMBER)
    # the number is named: right after the iqama, «تم حفظ رقمك» read as the iqama
    assert f"شكرًا لك، حفظتُ رقم جوالك \u2068{WA_NUMBER}\u2069 لطلبك." in chat.said
    await _to_summary(chat)
    assert f"{WA_NUMBER}\u2069" in chat.said and "غير موثّق" not in chat.said
    return chat


async def test_another_mobile_than_the_whatsapp_one_can_be_given_from_the_summary() -> None:
    gateway = MemoryGateway()
    chat = await _vouched_at_summary(gateway)
    await chat.tap("e:phone")
    asked = chat.last[-1]
    # asked in words, with the WhatsApp number as a choice: no share request the channel
    # would answer by itself
    assert not asked.ask_contact and "own_phone" in chat.choice_ids
    assert "رقمك في واتساب هو" in chat.said and WA_NUMBER in chat.said
    await chat.text("+971 50 123 4567")
    assert SAVED in chat.said
    assert "\u2066+971501234567\u2069 (غير موثّق)" in chat.said  # back at the summary
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert (filed.phone, filed.phone_verified) == ("+971501234567", False)


async def test_the_whatsapp_number_can_be_taken_back_and_stays_verified() -> None:
    gateway = MemoryGateway()
    chat = await _vouched_at_summary(gateway)
    await chat.tap("e:phone")
    await chat.text("0112345678")  # a landline: refused, still asked
    assert chat.said.startswith(LANDLINE) and "«رقمي في واتساب»" in chat.said
    await chat.text("0551234567")
    await chat.tap("e:phone")
    await chat.tap("own_phone")
    assert SAVED in chat.said and "غير موثّق" not in chat.said
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert (filed.phone, filed.phone_verified) == (WA_NUMBER, True)


async def test_someone_elses_card_shared_early_on_whatsapp_names_no_button() -> None:
    """WhatsApp has no «Share my number» button: someone else's card shared before the
    phone step was answered as on Telegram, asking to press it."""
    gateway = MemoryGateway()
    chat = VouchedChat(_engine(gateway).handle)
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.contact("+971501234567", own=False)
    assert "هذا رقم شخص آخر، لذلك لم أحتفظ به" in chat.said
    assert "مشاركة رقمي" not in chat.said and "رقمك في واتساب" in chat.said
    await chat.tap("s:iqama_renew")
    await chat.tap("q:inside")
    await chat.text(RESIDENT)
    assert chat.last[-1].ask_contact  # the channel answers it with the WhatsApp number
