"""«ما اعرف رقم اقامتي» at the summary over two workers (helper 25): answered where the
number is, the summary kept, and «تأكيد» on the other worker files the number given. On
real parts: the shared Redis dialogue store and SQL (SQLite and PostgreSQL). «وين اجيب رقم
الاقامة» at a question is answered the same way."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from conversations.events import Command, Contact
from tests.integration.test_change_wishes_workers import at_summary
from tests.integration.test_their_say import Person, _half_filled, _request
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_not_knowing_the_number_at_the_summary_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _half_filled(person)  # identity 2000000006, at the phone step, on worker 0
    await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    await person.says("انتهت الإقامة وأحتاج إلى تجديدها قبل السفر", worker=0)
    await at_summary(person, worker=1)
    said = await person.says("ما اعرف رقم اقامتي", worker=1)
    text = "\n".join(r.text for r in said)
    assert "رقم الإقامة مكتوب على بطاقة هوية مقيم" in text, text
    assert "يُرجى مراجعة طلبك" in said[-1].text, said[-1].text
    said = await person.taps("confirm", worker=0)
    number = next(
        line.split("⁦")[1].split("⁩")[0] for r in said for line in r.text.splitlines()
        if line.startswith("رقم الطلب")
    )  # fmt: skip
    filed = await _request(db_sessionmaker, number)
    assert filed.identity_number == "2000000006"


async def test_where_to_find_the_number_at_a_question_over_two_workers(person: Person) -> None:
    # the lead's probe: «وين اجيب رقم الاقامة» at «أين أنت الآن؟» got two FAQ guesses
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("ind", worker=1)
    await person.says("ابي اجدد اقامتي", worker=0)
    await person.taps("s:iqama_renew", worker=1)
    said = await person.says("وين اجيب رقم الاقامة", worker=0)
    text = "\n".join(r.text for r in said)
    assert "رقم الإقامة مكتوب على بطاقة هوية مقيم" in text, text
    said = await person.taps("q:inside", worker=1)
    assert "رقم هويتك" in said[-1].text, said[-1].text


async def test_a_border_number_at_a_renewal_names_the_issue_over_two_workers(
    person: Person,
) -> None:
    # the lead's probe: «ما عندي اقامة عندي رقم حدود …» was told where the number is written
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("ind", worker=1)
    await person.says("ابي اجدد اقامتي", worker=0)
    await person.taps("s:iqama_renew", worker=1)
    await person.taps("q:inside", worker=0)
    said = await person.says("ما عندي اقامة عندي رقم حدود 3000000001", worker=1)
    text = "\n".join(r.text for r in said)
    assert "تقبله خدمة «إصدار هوية مقيم»" in text and "ختم الدخول" not in text, text
    said = await person.says("إصدار هوية مقيم", worker=0)
    assert "chg:yes" in [c.id for c in said[-1].choices], said[-1].text
