"""A request with a border number names it so at the summary: «تعديل رقم الحدود», not
«تعديل رقم الهوية» beside «رقم الحدود للزائر» (helper 25's probe of a visit visa)."""

from __future__ import annotations

from .fakes import Chat

BORDER = "3000000000"


async def _visit_visa_summary(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي تمديد تأشيرة الزيارة")
    await chat.tap("s:visit_visa_extension")
    await chat.tap("q:syrian")
    await chat.text(BORDER)
    await chat.contact("+966501234567")
    await chat.text("ابي امدد زيارة ابوي لانها بتخلص الاسبوع الجاي")
    await chat.media()
    await chat.tap("done")
    assert "يُرجى مراجعة طلبك" in chat.said, chat.said


async def test_the_summary_offers_to_change_the_border_number(chat: Chat) -> None:
    await _visit_visa_summary(chat)
    labels = {c.id: c.label for c in chat.last[-1].choices}
    assert labels["e:id"] == "تعديل رقم الحدود", labels


async def test_the_label_typed_changes_the_border_number(chat: Chat) -> None:
    await _visit_visa_summary(chat)
    await chat.text("تعديل رقم الحدود")
    assert "رقم حدود (يبدأ بـ٣)" in chat.said, chat.said
    await chat.text(BORDER)
    assert "يُرجى مراجعة طلبك" in chat.said, chat.said


async def test_an_iqama_keeps_the_identity_label(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:inside")
    await chat.text("2000000006")
    await chat.contact("+966501234567")
    await chat.text("اقامتي انتهت وابي اجددها")
    await chat.media()
    await chat.tap("done")
    labels = {c.id: c.label for c in chat.last[-1].choices}
    assert labels["e:id"] == "تعديل رقم الهوية", labels
