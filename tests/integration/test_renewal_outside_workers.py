"""An iqama renewal for a holder outside the kingdom, over two workers on the shared Redis
and the database: the usual condition of the renewal is told (seed 004), and the request
is filed all the same, as outside (seed 000)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from conversations.events import Command, Contact
from tests.integration.test_change_wishes_workers import filed_request
from tests.integration.test_their_say import Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_the_condition_is_told_and_the_request_filed_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await person.says("ابي اجدد اقامة زوجتي", worker=0)
    await person.taps("s:iqama_renew", worker=1)
    said = await person.taps("q:outside", worker=0)
    text = "\n".join(r.text for r in said)
    assert "من شروط التجديد المعتادة تواجد صاحب الإقامة داخل المملكة" in text, text
    assert "رقم هوية" in said[-1].text, said[-1].text
    await person.says("2000000014", worker=1)
    await person.send(Contact(person.origin(), "+966501234567", True), worker=0)
    await person.says("زوجتي في مصر وإقامتها انتهت ونحتاج تجديدها قبل عودتها", worker=1)
    filed = await filed_request(person, db_sessionmaker, worker=0)
    assert filed.eligibility["location"] == "outside"


async def test_a_national_id_at_the_question_is_not_kept_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # helper 25: it was «kept» at «أين…؟», then refused at the identity step
    await person.says("ابي اجدد اقامة زوجتي", worker=0)
    await person.taps("s:iqama_renew", worker=1)
    said = await person.says("1098765439", worker=0)
    assert "وهذه الخدمة لا تقبله، فلم يُحفظ" in said[0].text, said[0].text
    said = await person.taps("q:inside", worker=1)
    assert "الرقم الذي أرسلته سابقًا" not in said[-1].text, said[-1].text
    await person.says("2000000014", worker=0)
    await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    await person.says("إقامة زوجتي انتهت ونحتاج تجديدها والنظام يرفض", worker=0)
    filed = await filed_request(person, db_sessionmaker, worker=1)
    assert filed.identity_number == "2000000014"


async def test_a_number_past_two_choices_names_both_over_two_workers(person: Person) -> None:
    # helper 25: «يُرجى اختيار رقم من ١ إلى ٢» read oddly for two
    await person.says("ابي اجدد اقامتي", worker=0)
    said = await person.taps("s:iqama_renew", worker=1)
    assert said[-1].text.endswith("أين أنت الآن؟"), said[-1].text
    said = await person.says("7", worker=0)
    assert "يُرجى اختيار ١ أو ٢" in said[-1].text, said[-1].text
    said = await person.says("2", worker=1)
    assert "للعلم" in said[0].text, said[0].text  # «خارج المملكة», by its number


async def test_an_establishment_is_given_a_workers_example_over_two_workers(
    person: Person,
) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.taps("est", worker=1)
    assert "مثلًا: أبي أجدد إقامة العامل" in said[-1].text, said[-1].text
