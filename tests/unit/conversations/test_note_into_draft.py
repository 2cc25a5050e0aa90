"""``/note words`` with no open request, in the middle of a request being filled in: the
words join that request's description, never dropped. Found by tester 11 (fault 10): on
WhatsApp, «/note الجواز ينتهي بعد شهرين» at a draft's summary with nothing filed yet got
«ليس لديك طلب مفتوح لتضيف إليه ملاحظة.», then the summary, and the words were lost."""

from __future__ import annotations

import pytest

from conversations.events import Command

from .fakes import Chat, TerminalChat, WhatsAppChat
from .test_status_prompt_exits import DESCRIPTION, PHONE, RESIDENT, _setup, _to_summary, plain

WORDS = "الجواز ينتهي بعد شهرين"
ADDED = "أضفتُ كلماتك إلى وصف الطلب الذي تعبّئه"


async def _note(chat: Chat, args: str) -> str:
    await chat.send(Command(chat.origin(), "note", args))
    return plain(chat.said)


@pytest.mark.parametrize("kind", [Chat, WhatsAppChat, TerminalChat])
async def test_note_words_at_the_summary_join_the_drafts_description(kind: type[Chat]) -> None:
    chat, gateway = _setup(kind)
    await _to_summary(chat)
    said = await _note(chat, WORDS)
    assert ADDED in said and "لم يُرسَل بعد" in said, said
    assert WORDS in said and "فضلًا راجع طلبك" in said  # the summary shows them
    assert chat.choice_ids[0] == "confirm"
    await chat.tap("confirm")
    [filed] = gateway.submissions
    assert filed.description == f"{DESCRIPTION}\n{WORDS}"


async def test_note_words_before_the_description_are_kept_for_it() -> None:
    chat, gateway = _setup()
    await chat.command("start")
    for typed in ("ابي اجدد اقامتي", "1", "1", RESIDENT):
        await chat.text(typed)  # at the phone step
    said = await _note(chat, WORDS)
    assert "ليس لديك طلب مُرسَل" in said and "احتفظتُ بما كتبته" in said, said
    assert chat.last[-1].ask_contact  # the phone step asked again
    await chat.contact(PHONE)
    assert WORDS in plain(chat.said)  # offered at the description step
    assert not gateway.submissions


async def test_note_words_with_a_wrong_number_and_no_request_join_the_description() -> None:
    chat, gateway = _setup()
    await _to_summary(chat)
    said = await _note(chat, f"925448130 {WORDS}")
    assert "10 أرقام" in said and ADDED in said, said
    await chat.tap("confirm")
    assert gateway.submissions[0].description.endswith(WORDS)
