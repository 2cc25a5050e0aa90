"""The location question over two workers: «ماادري» is told what to do and asked again,
«في مصر» on the other worker records outside the Kingdom, and the officer reads it
(session 20's new-user probe: both got «لم أفهم إجابتك»). On real parts: the shared
Redis dialogue store and the requests in SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.events import Command, Contact, Media
from tests.integration.test_their_say import USER, Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_not_knowing_then_a_place_over_two_workers(
    person: Person, desk: StaffDesk, filing: SqlRequestGateway
) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("ind", worker=1)
    await person.says("ابي اجدد اقامة زوجتي", worker=0)
    await person.taps("s:iqama_renew", worker=1)
    said = await person.says("ماادري", worker=0)
    text = "\n".join(r.text for r in said)
    assert "الإجابة الأرجح" in text and text.endswith("أين صاحب الإقامة الآن؟"), text
    said = await person.says("في مصر", worker=1)
    assert "رقم هوية صاحب الطلب" in said[-1].text, said[-1].text
    await person.says("2000000006", worker=0)
    await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    await person.says("انتهت إقامة زوجتي وهي الآن في مصر", worker=0)
    photo = Media(person.origin(), "photo", "file-7", "image/jpeg", 1000, None, "ef" * 32)
    await person.send(photo, worker=1)
    await person.taps("done", worker=0)
    await person.taps("confirm", worker=1)
    (mine,) = await filing.list_for_account("telegram", USER)
    record = await desk.find(mine.number)
    assert record is not None and record.eligibility["location"] == "outside"
