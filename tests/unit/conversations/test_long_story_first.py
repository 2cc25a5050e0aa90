"""A story longer than a description may be, told at the first question and naming no
service (helper 22's probe: a 3000-character account got «يُرجى اختيار واحد من ٤
خيارات», every word lost): its start is kept for the description, said so, and the
question asked again."""

from __future__ import annotations

import pytest

from conversations.flows.description_text import MAX_DESCRIPTION

from .fakes import Chat, MemoryGateway
from .test_intake import PHONE

STORY = (
    "والله تعبت من المراجعات كل مرة اروح الفرع يقولون لي راجعنا بعدين وما احد يرد على "
    "الجوال ولا على الايميل "
) * 30


@pytest.mark.parametrize("started", [True, False])
async def test_its_start_is_kept_and_filed(
    chat: Chat, gateway: MemoryGateway, started: bool
) -> None:
    if started:
        await chat.command("start")
    await chat.text(STORY)
    said = chat.said
    assert "فاحتفظتُ ببدايته" in said and "يُرجى اختيار واحد" not in said, said
    assert chat.choice_ids[:2] == ["ind", "est"]
    await chat.tap("ind")
    await chat.tap("g:support")
    await chat.tap("s:other")
    while any(c.startswith("q:") for c in chat.choice_ids):
        await chat.tap(chat.choice_ids[0])
    await chat.text("2000000006")
    await chat.contact(PHONE)
    assert "keep_description" in chat.choice_ids, chat.said
    await chat.tap("keep_description")
    if "done" in chat.choice_ids:
        await chat.tap("done")
    await chat.tap("confirm")
    filed = gateway.submissions[0].description
    assert filed.startswith("والله تعبت من المراجعات") and len(filed) <= MAX_DESCRIPTION
