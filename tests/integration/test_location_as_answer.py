"""A location shared while answering an officer's question («هل صاحب الإقامة داخل المملكة
الآن؟») is taken as words of the answer (inside or outside the Kingdom, never the point),
sent with it. Found by tester 13 (§21, WhatsApp): it got «الموقع غير مطلوب هنا. يُرجى كتابة
إجابتك» while the officer waited for exactly that.

On real parts: two workers on the shared Redis dialogue store, the desk in SQL (SQLite and
PostgreSQL)."""

from __future__ import annotations

from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.events import Command, Unsupported
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import OFFICER, USER, Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person

RIYADH = (24.7136, 46.6753)


async def test_a_location_answers_where_the_holder_is(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""))
    await desk.ask(filed.number, OFFICER, "هل صاحب الإقامة داخل المملكة الآن؟")
    said = await person.taps(f"ans:{filed.number}", worker=1)
    assert "داخل المملكة الآن" in said[-1].text
    said = await person.send(Unsupported(person.origin(), "location", RIYADH), worker=0)
    text = "\n".join(r.text for r in said)
    assert "غير مطلوب" not in text, text
    assert "داخل المملكة" in text
    said = await person.says("ارسال", worker=1)
    assert filed.number in said[0].text
    record = await desk.find(filed.number)
    assert record is not None
    answer = str(record.events[-1].reason)
    assert "داخل المملكة" in answer and "24.7" not in answer, answer


async def test_a_location_sent_without_pressing_answer_is_taken_as_the_answer(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    """Tester 14, §5: most people reply without the button; the location shared as the
    first reply to «هل صاحب الإقامة داخل المملكة الآن؟» got «الموقع غير مطلوب هنا»."""
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""), worker=1)
    await desk.ask(filed.number, OFFICER, "هل صاحب الإقامة داخل المملكة الآن؟")
    said = await person.send(Unsupported(person.origin(), "location", RIYADH), worker=0)
    text = "\n".join(r.text for r in said)
    assert "غير مطلوب" not in text, text
    assert "داخل المملكة" in text and filed.number in text, text
    said = await person.says("ارسال", worker=1)
    assert filed.number in said[0].text
    record = await desk.find(filed.number)
    assert record is not None
    answer = str(record.events[-1].reason)
    assert "داخل المملكة" in answer and "24.7" not in answer, answer
