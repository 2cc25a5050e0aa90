"""Status words and needs do not take over a step that asks for something else (found by
the fresh-clone tester)."""

from __future__ import annotations

from .fakes import Chat
from .test_intake import PHONE, RESIDENT, _to_identity
from .test_status import plain
from .test_status_needs import _chat

DESCRIPTION = "أحتاج تأشيرة خروج وعودة لزيارة أهلي لكن المنصة ترفض الطلب بسبب خطأ"


async def test_a_description_at_the_identity_step_asks_for_the_number_first() -> None:
    # «تأشيرة» was read as a typo of «تأخير» (a delay) and, with «الطلب», as a status
    # question: the look-up took over the identity step
    chat: Chat = _chat()
    await _to_identity(chat)
    await chat.text(DESCRIPTION)
    said = plain(chat.said)
    assert "رقم الطلب" not in said and not any(c.startswith("r:") for c in chat.choice_ids)
    assert "بعد الأرقام" in said and "رقم هوية صاحب الطلب" in said
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    assert "صِف طلبك" in plain(chat.said)  # the request went on where it was
