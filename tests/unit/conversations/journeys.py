"""The ways into the intake dialogue that many flow tests take: a resident's numbers, and
the steps a test starts from (the identity number, an establishment's number, «لمن هذا
الطلب؟», the documents). Split from test_intake.py, which re-exports them."""

from __future__ import annotations

from .fakes import Chat, MemoryGateway

CITIZEN = "1000000008"
RESIDENT = "2000000006"
PHONE = "+966501234567"
#: what _to_attachments types at the description step
DESCRIPTION = "انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام"


async def _to_identity(chat: Chat, service: str = "iqama_renew") -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي" if service == "iqama_renew" else service)
    await chat.tap(f"s:{service}")
    # answer eligibility questions with their first allowed option
    while any(c.startswith("q:") for c in chat.choice_ids):
        await chat.tap(chat.choice_ids[0])


async def _to_establishment(chat: Chat) -> None:
    """An establishment filing a transfer of services, at the establishment-number step."""
    await chat.command("start")
    await chat.tap("est")
    await chat.text("نقل خدمات")
    await chat.tap("s:transfer_of_services")
    while any(c.startswith("q:") for c in chat.choice_ids):
        await chat.tap(chat.choice_ids[0])


async def _to_whose(chat: Chat) -> None:
    """An individual asking for a new passport, without saying for whom (that is kept,
    test_for_whom_early.py), at «لمن هذا الطلب؟»."""
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي جواز جديد")
    await chat.tap("s:passport_issue")


async def _to_attachments(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    await chat.text(DESCRIPTION)


async def _done_after_a_file_files_the_description(
    chat: Chat, gateway: MemoryGateway, typed: str
) -> None:
    """``typed`` after one photo at the documents step means «Done»: the summary is shown,
    nothing of it added to the description, and «Confirm» files the description as given."""
    await _to_attachments(chat)
    await chat.media(ref="p1")
    await chat.text(typed)
    assert "أُضيف إلى وصفك" not in chat.said
    assert "يُرجى مراجعة طلبك" in chat.said and chat.choice_ids[0] == "confirm"
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert filed.description == DESCRIPTION  # nothing of it appended
