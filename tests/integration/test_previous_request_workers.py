"""«طلبي السابق» at the first menu, over two workers on the shared Redis and SQL (SQLite and
PostgreSQL): the status of the request this chat sent, not «هذه هي الخطوة الأولى» (helper
235: its «السابق» was read as «رجوع»)."""

from __future__ import annotations

from bot.db.requests_repo import SqlRequestGateway
from conversations.events import Command
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import USER, Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_my_previous_request_is_its_status_over_two_workers(
    person: Person, filing: SqlRequestGateway
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says("طلبي السابق", worker=1)
    text = "\n".join(r.text for r in said)
    assert filed.number in text and "الخطوة الأولى" not in text, text
    # a complaint of no reply asks the same (helper 235: only a FAQ was offered)
    said = await person.says("انتم ليش ما تردون علي من اسبوع", worker=0)
    text = "\n".join(r.text for r in said)
    assert filed.number in text and "kb:" not in str([c.id for c in said[-1].choices]), text
