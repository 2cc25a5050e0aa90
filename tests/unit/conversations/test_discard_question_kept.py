"""«Delete it?» asked after /start is still the question when the person comes back
(found by the fresh-clone tester: after quitting the terminal chat and opening it again,
the documents step was shown instead, and the person's «لا», meant as «don't delete», was
taken as «done» and sent them to the summary with the missing-documents warning)."""

from __future__ import annotations

from .fakes import Chat
from .test_intake import PHONE, RESIDENT, _to_identity


async def _at_documents_asked_to_delete(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    await chat.text("النظام يرفض تجديد الاقامة ولا ادري السبب")
    await chat.media(ref="p1")
    await chat.command("start")
    assert "هل يُحذف" in chat.said


async def test_no_after_coming_back_keeps_the_draft_at_the_documents_step(chat: Chat) -> None:
    await _at_documents_asked_to_delete(chat)
    await chat.command("resume")  # the terminal chat opened again
    assert "أهلًا بعودتك" in chat.said and "هل يُحذف" in chat.said
    assert chat.choice_ids == ["discard", "keep"]
    await chat.text("لا")
    assert "يُرجى مراجعة طلبك" not in chat.said and "الملفات الناقصة" not in chat.said
    assert "done" in chat.choice_ids  # the documents step, its file kept
    await chat.media(ref="p2")
    assert chat.said.startswith("وصلتني الصورة.")
    await chat.tap("done")
    assert "المرفقات: ملفان" in chat.said  # the one kept and this one


async def test_yes_after_coming_back_deletes_with_undo(chat: Chat) -> None:
    await _at_documents_asked_to_delete(chat)
    await chat.command("resume")
    await chat.text("نعم")
    assert "undo" in chat.choice_ids
    await chat.text("تراجع")
    assert "استرجعنا طلبك" in chat.said and "done" in chat.choice_ids
