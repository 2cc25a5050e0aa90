"""«وش صار على طلبي» at the note prompt gets the request's status and the note stays, its
words shown with the prompt (tester 14, §10: it got «لست متأكدًا مما تسأل عنه… مدة معالجة
طلبات تواصل», and coming back showed the bare prompt). Two workers on the shared Redis
dialogue store, the requests in SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.events import Command
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import USER, Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_a_status_question_at_the_note_prompt_is_answered_and_the_note_kept(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""))
    said = await person.says("ابي اضيف ملاحظة لطلبي", worker=0)
    assert "يُرجى كتابة ملاحظتك" in said[-1].text
    await person.says("الجواز ينتهي بعد شهرين", worker=1)
    said = await person.says("وش صار على طلبي", worker=0)
    text = "\n".join(r.text for r in said)
    assert "لست متأكدًا" not in text and "هل هو" not in text, text
    assert filed.number in text and "تم الاستلام" in text, text
    assert "الجواز ينتهي بعد شهرين" in said[-1].text  # the note, shown with its prompt
    await person.says("ارسال", worker=1)
    record = await desk.find(filed.number)
    assert record is not None
    [note] = [e for e in record.events if e.kind == "note"]
    assert note.reason == "الجواز ينتهي بعد شهرين"
