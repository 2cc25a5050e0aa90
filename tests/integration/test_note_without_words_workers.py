"""«👍» in a note over two workers is not kept as its words (helper 233); the words typed
next on the other worker are the note the desk records. On real parts: the shared Redis
dialogue store and SQL (SQLite and PostgreSQL)."""

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


async def test_an_emoji_alone_is_not_a_note_over_two_workers(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.taps(f"note:{filed.number}", worker=1)
    assert "يُرجى كتابة ملاحظتك" in said[-1].text
    said = await person.says("👍", worker=0)
    assert "لم تصلني كلمات في هذه الرسالة" in said[-1].text, said[-1].text
    await person.says("تاريخ انتهاء الإقامة ١٥ ديسمبر", worker=1)
    said = await person.says("ارسل", worker=0)
    assert "أُضيفت ملاحظتك" in said[0].text, said[0].text
    record = await desk.find(filed.number)
    assert record is not None
    assert [e.reason for e in record.events if e.kind == "note"] == [
        "تاريخ انتهاء الإقامة ١٥ ديسمبر"
    ]
