"""«إلغاء» at «ما الطلب الذي تخصّه ملاحظتك؟» (fresh-clone tester 14, §10): the picker had no
«إلغاء» after an earlier cancel, and «إلغاء» there showed the first menu without a word, or,
from the first menu, «تم الإلغاء، ولم يُرسَل الطلب الذي بدأت تعبئته» for a draft nobody was
filling. Now it says nothing was added, and the person is where they were."""

from __future__ import annotations

import pytest

from domain.normalize import clean_input

from .fakes import Chat, MemoryGateway
from .test_intake import RESIDENT, _to_identity
from .test_status import MINE, _view

SECOND = "5000000009"
NOTHING_ADDED = "لم يُضف شيء إلى طلباتك"


@pytest.fixture
def gateway() -> MemoryGateway:
    gateway = MemoryGateway()
    gateway.views[MINE] = (_view(MINE, "under_review"), ("test", "u1"), RESIDENT)
    gateway.views[SECOND] = (_view(SECOND, "received"), ("test", "u1"), RESIDENT)
    return gateway


@pytest.mark.parametrize("before", [["start"], ["start", "إلغاء"]], ids=["menu", "after-cancel"])
async def test_cancel_at_the_note_picker_says_nothing_was_added(
    chat: Chat, gateway: MemoryGateway, before: list[str]
) -> None:
    for step in before:
        await (chat.command(step) if step == "start" else chat.text(step))
    said = await chat.text("ابي الغي طلبي اللي قدمته")
    assert "ما الطلب الذي تخصّه ملاحظتك" in chat.said
    assert "cancel" in [o.id for o in said[-1].choices]
    said = await chat.text("إلغاء")
    text = clean_input(chat.said)
    assert NOTHING_ADDED in text, text
    assert "بدأت تعبئته" not in text and "لم يُرسَل" not in text
    assert "ind" in chat.choice_ids  # the first menu, to go on
    assert gateway.said == []  # no note sent


async def test_cancel_at_the_picker_mid_draft_keeps_the_draft(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_identity(chat)
    asked = chat.said
    await chat.text("ابي اضيف ملاحظة على طلبي")
    assert "ما الطلب الذي تخصّه ملاحظتك" in chat.said
    await chat.text("إلغاء")
    assert NOTHING_ADDED in clean_input(chat.said)
    assert "هل يُحذف" not in chat.said  # the picker ended, not the draft
    assert asked.splitlines()[-1] in chat.said  # the draft's step again


async def test_cancel_at_the_reconsideration_picker_says_none_was_asked(
    chat: Chat, gateway: MemoryGateway
) -> None:
    for number in (MINE, SECOND):
        gateway.views[number] = (
            _view(number, "rejected", reason="ناقص", reconsiderable=True),
            ("test", "u1"),
            RESIDENT,
        )
    await chat.command("start")
    await chat.text("ابي اعادة النظر في طلبي")
    assert {f"recon:{MINE}", f"recon:{SECOND}"} <= set(chat.choice_ids)
    await chat.text("إلغاء")
    assert "لم تُطلب إعادة النظر" in clean_input(chat.said)
    assert "ind" in chat.choice_ids
    assert gateway.said == []
