"""«ما عندي مستندات» at the documents step over two workers: answered with what the
person can do, the draft kept, the words not in the request the officer reads; the
request is filed once a photo comes. On real parts: the shared Redis dialogue store and
the requests in SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.events import Contact, Media
from tests.integration.test_their_say import USER, Person, _half_filled
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_no_documents_is_answered_and_the_draft_kept_over_two_workers(
    person: Person, desk: StaffDesk, filing: SqlRequestGateway
) -> None:
    await _half_filled(person)
    await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    said = await person.says("انتهت إقامتي ولا أستطيع تجديدها من أبشر", worker=0)
    assert "للمستندات التالية" in said[-1].text, said[-1].text
    said = await person.says("ما عندي مستندات", worker=1)
    text = "\n".join(r.text for r in said)
    assert "لا يمكن إرسال هذا الطلب دون مستند واحد" in text and "محفوظ" in text, text
    photo = Media(person.origin(), "photo", "file-9", "image/jpeg", 1000, None, "cd" * 32)
    await person.send(photo, worker=0)
    said = await person.taps("done", worker=1)
    assert "يُرجى مراجعة طلبك" in "\n".join(r.text for r in said)
    assert "ما عندي مستندات" not in "\n".join(r.text for r in said)
    await person.taps("confirm", worker=0)
    (mine,) = await filing.list_for_account("telegram", USER)
    record = await desk.find(mine.number)
    assert record is not None and "ما عندي مستندات" not in record.description
