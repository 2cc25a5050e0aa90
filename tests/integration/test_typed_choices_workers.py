"""Words typed for a button or in place of one, over two workers on the shared Redis and
SQL (SQLite and PostgreSQL): «ولا وحده» under the services offered is «لا شيء مما سبق»,
and a lone «1» at the note step is no note (helper 235: the first got «لم أتمكن من تحديد
الخدمة المقصودة», the second became the note sent)."""

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


async def test_none_of_them_in_words_over_two_workers(person: Person) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("ind", worker=1)
    said = await person.says("ابي خروج وعودة او تجديد اقامة", worker=0)
    assert "none" in [c.id for c in said[-1].choices]
    said = await person.says("ولا وحده", worker=1)
    assert "g:residency" in [c.id for c in said[-1].choices], said[-1].text


async def test_a_number_alone_is_no_note_over_two_workers(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.says("ابي اضيف ملاحظة على طلبي", worker=1)
    said = await person.says("1", worker=0)
    assert "لا يُضاف رقم وحده إلى ملاحظتك" in said[-1].text, said[-1].text
    await person.says("الجواز الجديد وصل", worker=1)
    await person.says("ارسال", worker=0)
    record = await desk.find(filed.number)
    assert record is not None
    assert [e.reason for e in record.events if e.kind == "note"] == ["الجواز الجديد وصل"]
