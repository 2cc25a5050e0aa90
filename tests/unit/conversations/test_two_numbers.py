"""Two numbers in one message at the identity step (tester 12, §8, on WhatsApp): «رقم
حدودها ٣١٢٣٤٥٦٧٨٩ واقامتي ٢٠٠٠٠٠٠٠٠٦» where a border number is asked got «يجب أن يتكون
الرقم من أرقام فقط», which blamed letters nobody typed. The number of the kind asked for
is taken, said so; when none or several fit, the numbers are named and the person asked
which. Driven through the channel-neutral engine as a WhatsApp chat."""

from __future__ import annotations

import pytest

from conversations.engine import Engine

from .fakes import WhatsAppChat
from .test_intake import _to_identity
from .test_status import plain

DIGITS_ONLY = "أرقام فقط"
ASK_PHONE = "رقم جوال"


async def _visit_visa_for_mother(chat: WhatsAppChat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي امدد زيارة امي")
    await chat.text("ايوه")
    await chat.text("سورية")
    assert "رقم حدود (يبدأ بـ٣)" in chat.said


@pytest.mark.parametrize(
    "typed",
    [
        "رقم حدودها ٣١٢٣٤٥٦٧٨٩ واقامتي ٢٠٠٠٠٠٠٠٠٦",
        "اقامتي 2000000006 ورقم حدود امي 3123456789",
        "3123456789 2000000006",
    ],
)
async def test_the_number_of_the_kind_asked_for_is_taken(engine: Engine, typed: str) -> None:
    chat = WhatsAppChat(engine.handle)
    await _visit_visa_for_mother(chat)
    await chat.text(typed)
    said = plain(chat.said)
    assert DIGITS_ONLY not in said and "حرف" not in said, said
    assert "في رسالتك رقمان، فأخذتُ منهما 3******789، وهو رقم حدود" in said, said
    assert ASK_PHONE in said, said


async def test_two_numbers_of_kinds_asked_for_are_asked_about(engine: Engine) -> None:
    chat = WhatsAppChat(engine.handle)
    await _to_identity(chat)  # an iqama renewal: an iqama number is asked for
    await chat.text("اقامتي ٢٠٠٠٠٠٠٠٠٦ واقامة اخوي ٢٠٠٠٠٠٠٠١٤")
    said = plain(chat.said)
    assert DIGITS_ONLY not in said and ASK_PHONE not in said, said
    assert "في رسالتك رقمان، فأيّهما الرقم المطلوب: 2******006 أو 2******014؟" in said, said
    await chat.text("2000000014")
    assert ASK_PHONE in plain(chat.said)


async def test_one_number_with_spaces_is_still_one_number(engine: Engine) -> None:
    chat = WhatsAppChat(engine.handle)
    await _to_identity(chat)
    await chat.text("رقم اقامتي ٢٠٠٠ ٠٠٠ ٠٠٦")
    said = plain(chat.said)
    assert "رقمان" not in said and ASK_PHONE in said, said


@pytest.mark.parametrize(
    "typed",
    [
        "رقم الحدود حق الوالده ٣٠٠٠٠٠٠٠٠٤ وتاشيرتها تخلص ١٥ ديسمبر",
        "رقم الحدود حق الوالده 3000000004 وتاشيرتها تخلص بعد اسبوعين تقريبا",
    ],
)
async def test_one_number_beside_a_date_is_taken_and_the_words_kept(
    engine: Engine, typed: str
) -> None:
    """Fresh-clone tester 15 (§5, Telegram): «رقم الحدود حق الوالده ٣٠٠٠٠٠٠٠٠٤ وتاشيرتها
    تخلص ١٥ ديسمبر» got «يجب أن يتكون الرقم من أرقام فقط», and the visa's end date never
    reached the description step. A day of the month is no candidate number."""
    chat = WhatsAppChat(engine.handle)
    await _visit_visa_for_mother(chat)
    await chat.text(typed)
    said = plain(chat.said)
    assert DIGITS_ONLY not in said, said
    assert "احتفظتُ بما كتبته" in said and ASK_PHONE in said, said
    state = await engine.store.load(chat.channel, chat.user)
    assert state.answers["identity"] == "3000000004"
    assert "وتاشيرتها تخلص" in state.answers["description_pending"], state.answers


@pytest.mark.parametrize("typed", ["رقم الحدود حق الوالده ٣٠٠٠٠٠٠٠٠٤", "رقم حدودها 3000000004"])
async def test_a_number_named_in_a_few_words_is_not_kept_as_a_description(
    engine: Engine, typed: str
) -> None:
    chat = WhatsAppChat(engine.handle)
    await _visit_visa_for_mother(chat)
    await chat.text(typed)
    said = plain(chat.said)
    assert ASK_PHONE in said and "احتفظتُ بما كتبته" not in said, said


async def test_a_mobile_beside_the_workers_iqama_is_kept_in_the_terminal() -> None:
    """Fresh-clone tester 15 (§7, terminal): «اقامة العامل ٢٠٠٠٠٠٠٠٠٦ وجوالي ٠٥٥٥١٢٣٤٥٦»
    got «في رسالتك رقمان، فأخذتُ منهما 2******006…» and at once «يُرجى كتابة رقم جوالك…»:
    the mobile typed beside the number was not kept, though a first message's is."""
    from conversations.flows.intake import INTAKE
    from domain.catalogue import load_catalogue

    from .fakes import MemoryGateway, MemoryStore, TerminalChat

    engine = Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway())
    chat = TerminalChat(engine.handle)
    await _to_identity(chat)
    await chat.text("اقامتي ٢٠٠٠٠٠٠٠٠٦ وجوالي ٠٥٥٥١٢٣٤٥٦")
    said = plain(chat.said)
    assert "احتفظتُ برقم جوالك" in said and "+966555123456" in said, said
    assert "يُرجى كتابة رقم جوالك" not in "\n".join(r.text for r in chat.last), said
    state = await engine.store.load(chat.channel, chat.user)
    assert state.answers["identity"] == "2000000006"
    # review 15 §7c: one line each, not «رقمان… فأخذتُ منهما» nor «شاركته سابقًا» of a
    # number typed in this very message
    assert "احتفظتُ برقم الهوية" in said and "رقمان" not in said, said
    assert "شاركته سابقًا" not in said, said
