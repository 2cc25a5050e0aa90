"""A reconsideration asked in words with its reason in the same message keeps that reason:
it is shown and sent with «ارسال», never asked for again blank (tester 14, §13, WhatsApp:
«ليش رفضتوه؟ الرقم صحيح والله ابي اتظلم» got «ما سبب طلب إعادة النظر…؟»). Two workers on
the shared Redis dialogue store, the requests in SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.events import Command
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import OFFICER, USER, Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person

SAID = "ليش رفضتوه؟ الرقم صحيح والله ابي اتظلم"


async def test_the_reason_in_the_same_message_is_kept_and_sent(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await desk.reject(filed.number, OFFICER, "المستندات ناقصة")
    await person.send(Command(person.origin(), "start", ""))
    said = await person.says(SAID, worker=0)
    text = "\n".join(r.text for r in said)
    assert "الرقم صحيح والله" in text, text
    await person.says("ارسال", worker=1)
    record = await desk.find(filed.number)
    assert record is not None and record.reconsider_reason == SAID


async def test_a_bare_wish_still_asks_for_the_reason(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await desk.reject(filed.number, OFFICER, "المستندات ناقصة")
    await person.send(Command(person.origin(), "start", ""))
    said = await person.says("ابي اتظلم", worker=1)
    assert "سبب" in said[-1].text
    record = await desk.find(filed.number)
    assert record is not None and record.reconsider_reason is None
