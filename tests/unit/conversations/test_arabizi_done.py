"""«done» in Arabizi («tmam», «5alas», «khalas», «5lass») means what «تمام» and «خلاص» mean:
«Done» at the documents step and «Confirm» at the summary (found by the fresh-clone
tester: at the documents step they were added to the description, and at the summary
«khalas» was refused while «ok» filed the request)."""

from __future__ import annotations

import pytest

from .fakes import Chat, MemoryGateway
from .test_intake import DESCRIPTION, _done_after_a_file_files_the_description, _to_attachments

ARABIZI = ["tmam", "5alas", "khalas", "5lass", "Khalas", "tamam", "5las"]


@pytest.mark.parametrize("typed", ARABIZI)
async def test_arabizi_done_at_the_documents_step_goes_to_the_summary(
    chat: Chat, gateway: MemoryGateway, typed: str
) -> None:
    await _done_after_a_file_files_the_description(chat, gateway, typed)


@pytest.mark.parametrize("typed", [*ARABIZI, "خلاص", "تمام", "ok"])
async def test_arabizi_done_at_the_summary_files_the_request(
    chat: Chat, gateway: MemoryGateway, typed: str
) -> None:
    await _to_attachments(chat)
    await chat.media(ref="p1")
    await chat.tap("done")
    assert "يُرجى مراجعة طلبك" in chat.said
    await chat.text(typed)
    (filed,) = gateway.submissions
    assert filed.description == DESCRIPTION
