"""A mobile number shared before the phone step is kept, and the phone step passed saying
so (found by the fresh-clone tester: a contact shared, or ``/contact`` typed, at the service
step was answered «لا أحتاج إلى رقم جوال في هذه الخطوة» and dropped, though an identity number
typed early is kept)."""

from __future__ import annotations

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore, WhatsAppChat
from .test_intake import DESCRIPTION, PHONE, RESIDENT

KEPT = "احتفظتُ برقم جوالك"
USED = "سأستخدم رقم الجوال الذي شاركته سابقًا"
ASK_SHARE = "يُرجى مشاركة رقم جوالك بزر «مشاركة رقمي»"


async def _to_service(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")


async def _file_from_identity(chat: Chat) -> None:
    await chat.tap("s:iqama_renew")
    await chat.tap("q:inside")
    await chat.text(RESIDENT)


async def _finish(chat: Chat) -> None:
    await chat.text(DESCRIPTION)
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")


async def test_a_contact_shared_at_the_service_step_is_kept_and_the_phone_step_passed(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_service(chat)
    await chat.contact(PHONE)
    assert KEPT in chat.said and "+966501234567" in chat.said
    assert "هل هذه هي الخدمة المطلوبة؟" in chat.said  # the same question again
    assert "s:iqama_renew" in chat.choice_ids
    await _file_from_identity(chat)
    assert USED in chat.said and ASK_SHARE not in chat.said
    assert "يُرجى وصف طلبك" in chat.said  # straight on to the description
    await _finish(chat)
    filed = gateway.submissions[0]
    assert (filed.phone, filed.phone_verified) == (PHONE, True)


async def test_someone_elses_number_is_not_kept_and_said_so(chat: Chat) -> None:
    await _to_service(chat)
    await chat.contact("+966509999999", own=False)
    assert "هذا رقم شخص آخر، لذلك لم أحتفظ به" in chat.said
    await _file_from_identity(chat)
    assert ASK_SHARE in chat.said  # asked at its step, as before


async def test_a_contact_as_the_first_message_is_kept(chat: Chat) -> None:
    await chat.contact(PHONE)
    assert KEPT in chat.said and "أهلًا بك في «تواصل»" in chat.said
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await _file_from_identity(chat)
    assert USED in chat.said and "يُرجى وصف طلبك" in chat.said


async def test_with_an_early_identity_number_both_are_used(chat: Chat) -> None:
    await chat.command("start")
    await chat.text(RESIDENT)  # kept for the identity step
    await chat.contact(PHONE)
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:inside")
    assert "سأستخدم رقم الهوية الذي أرسلته سابقًا" in chat.said
    assert USED in chat.said and "يُرجى وصف طلبك" in chat.said


async def test_cancel_asks_before_deleting_a_kept_number(chat: Chat) -> None:
    await _to_service(chat)
    await chat.contact(PHONE)
    await chat.text("إلغاء")
    assert "هل يُحذف" in chat.said and "تم الإلغاء" not in chat.said


async def test_on_whatsapp_a_shared_card_is_kept_as_not_verified(gateway: MemoryGateway) -> None:
    chat = WhatsAppChat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)
    await _to_service(chat)
    await chat.contact("0501234567", own=False)
    assert KEPT in chat.said
    await _file_from_identity(chat)
    assert USED in chat.said
    await _finish(chat)
    filed = gateway.submissions[0]
    assert (filed.phone, filed.phone_verified) == (PHONE, False)
