"""What a resident types at the number steps of a request (the identity, the mobile) is
read as they meant it, or they are told plainly what was not taken: found by the
fresh-clone tester at the terminal. Driven through the channel-neutral engine."""

from __future__ import annotations

import dataclasses

import pytest

from conversations.engine import Engine
from conversations.events import Origin
from conversations.flows.describe import KEEP
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_intake import PHONE, RESIDENT, _to_identity
from .test_status import plain

#: passes the check digit once the letter is dropped, as the tester's did
LETTERED = "2123456788x"


class WhatsAppChat(Chat):
    """A chat on a channel that cannot vouch for a phone number: it is typed."""

    def origin(self, event_id: str | None = None) -> Origin:
        return dataclasses.replace(super().origin(event_id), phone_unverified=True)


@pytest.fixture
def gateway() -> MemoryGateway:
    return MemoryGateway()


@pytest.fixture
def engine(gateway: MemoryGateway) -> Engine:
    return Engine(MemoryStore(), INTAKE, load_catalogue(), gateway)


@pytest.mark.parametrize("typed", [LETTERED, "٢١٢٣٤٥٦٧٨٨x", "رقم اقامتي 2123456788x"])
async def test_a_letter_in_the_identity_number_is_named_and_the_number_not_taken(
    engine: Engine, gateway: MemoryGateway, typed: str
) -> None:
    chat = Chat(engine.handle)
    await _to_identity(chat)
    await chat.text(typed)
    said = plain(chat.said)
    assert "يوجد حرف بين الأرقام" in said and "x" in said, said
    assert "شارك رقم جوالك" not in said  # still at the identity step
    # the number, typed again in digits (with the spaces and dashes people use), goes on
    await chat.text("٢٠٠٠-٠٠٠ ٠٠٦")
    assert "شارك رقم جوالك" in plain(chat.said)
    await chat.contact(PHONE)
    await chat.text("انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام")
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].identity_number == RESIDENT


async def test_a_letter_in_a_typed_mobile_number_is_named(engine: Engine) -> None:
    chat = WhatsAppChat(engine.handle)
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.text("0501234567x")
    said = plain(chat.said)
    assert "يوجد حرف بين الأرقام" in said and "x" in said, said
    await chat.text("0501234567")
    assert "صِف طلبك" in plain(chat.said)


@pytest.mark.parametrize("typed", [RESIDENT, "٢٠٠٠ ٠٠٠ ٠٠٦", "رقم اقامتي 2000000006"])
async def test_the_identity_number_typed_again_at_the_phone_step_is_recognised(
    engine: Engine, gateway: MemoryGateway, typed: str
) -> None:
    chat = Chat(engine.handle)
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.text(typed)
    said = plain(chat.said)
    # the tester was told «the number must come from your own account», as if it were a
    # mobile number typed instead of shared
    assert "من حسابك" not in said, said
    assert "هذا رقم الهوية الذي أدخلته من قبل" in said and "مشاركة رقمي" in said
    assert "share_contact" in chat.choice_ids  # the share button stays
    await chat.contact(PHONE)
    await chat.text("انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام")
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    filed = gateway.submissions[0]
    assert (filed.identity_number, filed.phone) == (RESIDENT, PHONE)


async def test_the_identity_number_typed_where_a_mobile_is_typed(engine: Engine) -> None:
    chat = WhatsAppChat(engine.handle)
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.text(RESIDENT)
    said = plain(chat.said)
    assert "هذا رقم الهوية الذي أدخلته من قبل" in said and "05XXXXXXXX" in said, said
    # another identity number: the request keeps the first, and «back» changes it
    await chat.text("1000000008")
    said = plain(chat.said)
    assert "يبدو هذا رقم هوية" in said and "2******006" in said and "رجوع" in said, said
    await chat.text("0501234567")
    assert "صِف طلبك" in plain(chat.said)


async def test_the_establishment_number_typed_again_at_the_phone_step(engine: Engine) -> None:
    chat = Chat(engine.handle)
    await chat.command("start")
    await chat.tap("est")
    await chat.text("نقل خدمات")
    await chat.tap("s:transfer_of_services")
    while any(c.startswith("q:") for c in chat.choice_ids):
        await chat.tap(chat.choice_ids[0])
    await chat.text("7001234567")
    await chat.text(RESIDENT)
    await chat.text("700-123-4567")
    said = plain(chat.said)
    assert "هذا رقم المنشأة الذي أدخلته من قبل" in said and "من حسابك" not in said, said
    await chat.contact(PHONE)
    assert "صِف طلبك" in plain(chat.said)


#: the fresh-clone tester's words at the identity step
EARLY = "لا أستطيع تجديد الإقامة، النظام يعطي خطأ"


async def _early_description(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text(EARLY)
    said = plain(chat.said)
    assert "احتفظت" in said and "رقم هوية صاحب الطلب" in said, said
    await chat.text(RESIDENT)
    await chat.contact(PHONE)


async def test_a_description_typed_at_the_identity_step_is_offered_at_its_step(
    engine: Engine, gateway: MemoryGateway
) -> None:
    chat = Chat(engine.handle)
    await _early_description(chat)
    # shown with «Keep my description», so it need not be typed again
    assert EARLY in plain(chat.said) and KEEP in chat.choice_ids
    await chat.tap(KEEP)
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].description == EARLY


async def test_the_early_description_can_be_replaced_or_kept_by_a_word(
    engine: Engine, gateway: MemoryGateway
) -> None:
    chat = Chat(engine.handle)
    await _early_description(chat)
    # a short new text asks for more and loses nothing; «تم» then keeps the early words
    await chat.text("شكرا")
    assert KEEP in chat.choice_ids
    await chat.text("تم")
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].description == EARLY
    # in another chat, a new text replaces it
    other = Chat(engine.handle, user="u2")
    await _early_description(other)
    await other.text("انتهت إقامتي ولا أستطيع تجديدها من أبشر")
    await other.media()
    await other.tap("done")
    await other.tap("confirm")
    assert gateway.submissions[1].description == "انتهت إقامتي ولا أستطيع تجديدها من أبشر"


async def test_an_early_description_on_two_messages_is_kept_whole(
    engine: Engine, gateway: MemoryGateway
) -> None:
    chat = Chat(engine.handle)
    await _to_identity(chat)
    await chat.text("أريد تجديد إقامة زوجتي")
    await chat.text("النظام يعطي خطأ عند الدفع")
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    await chat.tap(KEEP)
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].description == "أريد تجديد إقامة زوجتي\nالنظام يعطي خطأ عند الدفع"
