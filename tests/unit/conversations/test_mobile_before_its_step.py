"""A mobile number typed alone before the identity number («هل هذه هي الخدمة المطلوبة؟»,
«لمن هذا الطلب؟», the first question) is kept for the phone step where the channel takes a
typed number, and otherwise said to be asked for later; never «لم أتمكن من تحديد الخدمة».
Helper 23's probe: the number was read as words for a service and lost."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore, TerminalChat, WhatsAppChat

NOT_A_SERVICE = "لم أتمكن من تحديد الخدمة"
LATER = "هذا رقم جوال، وسيُطلب في خطوته الخاصة بعد رقم الهوية."


def _engine(gateway: MemoryGateway) -> Engine:
    return Engine(MemoryStore(), INTAKE, load_catalogue(), gateway)


async def _to_identity(chat: Chat) -> None:
    await chat.tap("s:iqama_renew")
    await chat.tap("q:self")
    await chat.tap("q:inside")
    assert "يُرجى كتابة رقم هويتك" in chat.said, chat.said


@pytest.mark.parametrize("kind", [TerminalChat, WhatsAppChat])
async def test_kept_at_the_service_question_where_typed_numbers_are_taken(
    kind: type[Chat],
) -> None:
    gateway = MemoryGateway()
    chat = kind(_engine(gateway).handle)
    await chat.command("start")
    await chat.text("تجديد الاقامة")
    await chat.text("0501234567")
    assert NOT_A_SERVICE not in chat.said and "⁨+966501234567⁩" in chat.said, chat.said
    assert "هل هذه هي الخدمة المطلوبة؟" in chat.said
    await _to_identity(chat)
    await chat.text("2000000006")
    # the phone step is passed: the description is asked for next
    assert "يُرجى وصف طلبك" in chat.said, chat.said
    await chat.text("انتهت صلاحية إقامتي وأحتاج إلى تجديدها قبل السفر")
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].phone == "+966501234567"


@pytest.mark.parametrize(
    ("steps", "question"),
    [
        ((), "هل يُقدَّم الطلب بصفة فرد"),
        (("تجديد الاقامة",), "هل هذه هي الخدمة المطلوبة؟"),
        (("تجديد الاقامة", "!s:iqama_renew"), "لمن هذا الطلب؟"),
    ],
)
async def test_on_telegram_it_is_said_to_come_later(steps: tuple[str, ...], question: str) -> None:
    chat = Chat(_engine(MemoryGateway()).handle)
    await chat.command("start")
    for step in steps:
        await (chat.tap(step[1:]) if step.startswith("!") else chat.text(step))
    await chat.text("٠٥٠١٢٣٤٥٦٧")
    assert chat.said.startswith(LATER) and question in chat.said, chat.said
    assert NOT_A_SERVICE not in chat.said and "لم أفهم" not in chat.said
