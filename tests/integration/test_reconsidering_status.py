"""A rejected request whose reconsideration waits for the officers is shown as being
reconsidered, with the outcome to come here, not «احجز موعدًا أو قدّم طلبًا جديدًا»; and a
note to it joins it, the person's words kept. Found by tester 13 (§5, Telegram): the status
said «مرفوض» with the branch appointment as the next step, and «ابي اضيف ملاحظة: زوجتي ترجع
يوم ٢٠ ديسمبر» was refused as «ليس لديك طلب مفتوح», the words lost.

On real parts: two workers on the shared Redis dialogue store, the requests and the desk in
SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.events import Command
from officers.officer import Officer
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import OFFICER, USER, Person, _notice_sent
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_a_request_being_reconsidered_says_so_and_takes_a_note(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await desk.reject(filed.number, OFFICER, "المستندات ناقصة")
    await _notice_sent(db_sessionmaker, filed.number)
    await person.send(Command(person.origin(), "start", ""))
    await person.taps(f"recon:{filed.number}", worker=1)
    said = await person.says("ما اقدر اروح الفرع لان زوجتي برا", worker=0)
    assert "أُرسل طلب إعادة النظر" in said[0].text

    said = await person.send(Command(person.origin(), "status", ""), worker=1)
    text = "\n".join(r.text for r in said)
    assert "احجز" not in text and "حجز موعد" not in text, text
    assert "إعادة النظر" in text and "ستُبلَّغ بالنتيجة هنا" in text, text

    said = await person.says("ابي اضيف ملاحظة: زوجتي ترجع يوم ٢٠ ديسمبر", worker=0)
    text = "\n".join(r.text for r in said)
    assert "ليس لديك طلب مفتوح" not in text, text
    assert "زوجتي ترجع يوم ٢٠ ديسمبر" in text
    said = await person.says("ارسال", worker=1)
    assert filed.number in said[0].text
    record = await desk.find(filed.number)
    assert record is not None
    assert [e.reason for e in record.events if e.kind == "note"][-1].endswith(
        "زوجتي ترجع يوم ٢٠ ديسمبر"
    )


async def test_an_officer_taking_it_over_leaves_the_reconsideration_waiting(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Found by the session-16 tester (fault 5): once another officer took the request
    over (audited with its status unchanged), the status read «مرفوض» twice in the history,
    with the branch appointment as the next step, as if the reconsideration were refused."""
    filed = await filing.submit(submission(user_key=USER))
    await desk.reject(filed.number, OFFICER, "المستندات ناقصة")
    await _notice_sent(db_sessionmaker, filed.number)
    await person.send(Command(person.origin(), "start", ""))
    await person.taps(f"recon:{filed.number}", worker=1)
    said = await person.says("دفعت الرسوم وأرفقت الإيصال", worker=0)
    assert "أُرسل طلب إعادة النظر" in said[0].text
    await desk.take(filed.number, Officer(7002, "خالد"), over=True)

    said = await person.send(Command(person.origin(), "status", ""), worker=1)
    text = "\n".join(r.text for r in said)
    assert "احجز" not in text and "حجز موعد" not in text, text
    assert "ستُبلَّغ بالنتيجة هنا" in text, text
    history = text.split("سجل الطلب:")[1]
    assert history.count("مرفوض") == 1, text
