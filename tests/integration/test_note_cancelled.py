"""«إلغاء» typed while writing a note to a request that was sent says the note was cancelled
and the request stands; on real parts: two workers on the shared Redis dialogue store, the
requests in SQL (SQLite and PostgreSQL). Found by tester 12 (§4, WhatsApp): the person was
told «تم الإلغاء، ولم يُرسَل أي طلب» about the request they had filed."""

from __future__ import annotations

from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.events import Command
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import USER, Person, _half_filled
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person

NOTHING_SENT = "لم يُرسَل أي طلب"
NOTE_CANCELLED = "أُلغيت الملاحظة"


async def test_a_note_cancelled_says_the_request_stands(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""))
    said = await person.says("ابي اضيف ملاحظة", worker=1)
    assert "يُرجى كتابة ملاحظتك" in said[-1].text or "ملاحظتك" in said[-1].text
    await person.says("الجواز ينتهي بعد شهرين", worker=0)
    said = await person.says("إلغاء", worker=1)
    text = "\n".join(r.text for r in said)
    assert NOTHING_SENT not in text
    assert NOTE_CANCELLED in text and filed.number in text
    record = await desk.find(filed.number)
    assert record is not None and not any(e.kind == "note" for e in record.events)


async def test_a_note_cancelled_over_a_draft_says_so_and_the_draft_comes_back(
    person: Person, filing: SqlRequestGateway
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    question = await _half_filled(person)
    await person.taps(f"note:{filed.number}", worker=1)
    said = await person.says("إلغاء", worker=0)
    text = "\n".join(r.text for r in said)
    assert NOTE_CANCELLED in text and filed.number in text
    assert "لم يُرسل شيء" not in text
    assert said[-1].text == question
