"""Officers' internal notes from the staff group (``/note NUMBER text``), end to end through
aiogram, the Bot API stand-in, a real Redis and SQLite and PostgreSQL: kept with who wrote
it and when (the injected clock), shown in ``/find NUMBER`` escaped, written only by
officers, and never sent to the person nor changing the request."""

from __future__ import annotations

import datetime as dt
import html
import re

from sqlalchemy import func, select

from bot.db.models import OutboxMessage
from bot.staff.fmt import moment
from domain.status import RequestStatus
from officers.officer import Officer
from tests.integration.test_staff_hints import _say
from tests.integration.test_staff_router import (
    COLLEAGUE,
    OFFICER,
    STAFF_CHAT,
    STRANGER,
    SUNDAY,
    TOPIC,
    Harness,
    h,
)

__all__ = ["h"]  # the fixture

WORDS = "اتصلتُ به <b>هاتفيًا</b> & سيرسل الصورة\nمساءً"


async def _outbox(h: Harness) -> int:
    async with h.sessions() as session:
        return int(await session.scalar(select(func.count(OutboxMessage.id))) or 0)


async def test_an_officers_note_is_kept_shown_in_find_and_never_sent(h: Harness) -> None:
    number = await h.file()
    await h.desk.take(number, Officer(OFFICER.id, "نورة العتيبي"))
    card = await h.card(number)  # its buttons carry the version before the note
    queued = await _outbox(h)
    h.clock.now = SUNDAY + dt.timedelta(hours=3)

    # a colleague notes it, whoever has the request
    said = await _say(h, COLLEAGUE, f"/note {number} {WORDS}")
    assert f"أُضيفت ملاحظة داخلية إلى الطلب رقم {number}" in said
    assert "&lt;b&gt;هاتفيًا&lt;/b&gt; &amp;" in said and "<b>هاتفيًا" not in said

    [note] = await h.desk.internal_notes(number)
    assert note.author == f"officer:{COLLEAGUE.id}:فهد" and note.text == WORDS
    assert note.at == SUNDAY + dt.timedelta(hours=3)
    # nothing for the person, nothing of the request changed
    assert await _outbox(h) == queued
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.UNDER_REVIEW
    assert record.assigned_name == "نورة العتيبي" and len(record.events) == 2

    found = await _say(h, OFFICER, f"/find {number}")
    assert "ملاحظات داخلية (للموظفين وحدهم، لا يراها صاحب الطلب):" in found
    assert moment(note.at) in found and "فهد" in found
    assert "&lt;b&gt;هاتفيًا&lt;/b&gt;" in found and "<b>هاتفيًا" not in found
    assert "مساءً" in html.unescape(found)

    # the card's buttons are still valid: a note decides nothing
    await h.press(OFFICER, "ok", card)
    assert await h.status(number) is RequestStatus.ACCEPTED


async def test_only_officers_note_and_a_note_needs_a_request_and_words(h: Harness) -> None:
    number = await h.file()
    before = len(h.sent())
    await h.feed(h.updates.group_text(STRANGER, STAFF_CHAT, f"/note {number} نص", thread_id=TOPIC))
    # told the commands are the officers', politely and with nothing of the request
    [refused] = h.sent()[before:]
    assert refused.params["text"] == "أوامر الموظفين متاحة للموظفين المخوّلين في المديرية فقط."
    assert await h.desk.internal_notes(number) == []

    usage = await _say(h, OFFICER, f"/note {number}")
    assert "يُرجى كتابة رقم الطلب والملاحظة بعد الأمر" in usage
    assert await _say(h, OFFICER, "/note ملاحظة") == usage
    unknown = await _say(h, OFFICER, "/note 4512345671 ملاحظة")
    assert "لا يوجد طلب بالرقم 4512345671" in unknown
    assert await h.desk.internal_notes(number) == []


async def test_a_find_past_telegrams_limit_comes_in_parts_that_each_fit(h: Harness) -> None:
    """Found by tester 15: a request's «show» in the group with a long description and the
    officers' notes was more than Telegram's 4096 characters of shown text, refused as too
    long, and the officer got nothing. It comes in parts cut at line breaks, each within
    the limit (counted as Telegram counts, on the text shown: «&» is 5 characters of HTML),
    the card's link under the last, nothing lost."""
    description = " ".join(f"كلمة{n} & <ملاحظة>" for n in range(120))  # 2000+ shown
    number = await h.file(description=description)
    colleague = Officer(COLLEAGUE.id, "فهد")
    for n in range(5):
        await h.desk.note(number, colleague, f"ملاحظة {n}: " + "اتصلت & انتظرت " * 30)
    before = len(h.sent())
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, f"/find {number}", thread_id=TOPIC))
    parts = [str(c.params["text"]) for c in h.sent()[before:]]
    assert len(parts) == 2, parts
    shown = [html.unescape(re.sub(r"<[^>]+>", "", p)) for p in parts]
    assert all(len(s.encode("utf-16-le")) // 2 <= 4096 for s in shown)
    assert shown[0].startswith(f"الطلب رقم {number}")
    whole = "\n".join(shown)
    assert "كلمة0 & <ملاحظة>" in whole and "ملاحظة 4: اتصلت & انتظرت" in whole
    assert "سجل الطلب:" in whole
