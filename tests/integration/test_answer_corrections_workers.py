"""«لا غلطت هو لزوجتي» at a later step over two workers on the shared Redis and SQL
(SQLite and PostgreSQL): helper 22 (§4), the correction was kept as the description and
the request filed as the writer's. The answer changes on one worker; the other files it."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Request
from conversations.events import Contact, Media
from tests.integration.test_their_say import USER, Person, _half_filled
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_whose_request_corrected_mid_request_is_filed_so_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _half_filled(person)  # an iqama renewal «لي أنا», at the phone step, worker 0
    said = await person.says("لا غلطت هو لزوجتي", worker=1)
    text = "\n".join(r.text for r in said)
    assert "إلى «تابع لي أو مكفول لدي»" in text, text
    # the place was the writer's (helper 23): asked of the holder, then her number
    assert "أين صاحب الإقامة الآن؟" in said[-1].text, said[-1].text
    await person.taps("q:inside", worker=0)
    await person.says("2000000014", worker=1)
    said = await person.send(Contact(person.origin(), "+966501234567", True), worker=0)
    said = await person.says("اقامة زوجتي انتهت الشهر الماضي وابي اجددها", worker=1)
    media = Media(person.origin(), "photo", "file-a", "image/jpeg", 1000, None, "a" * 64)
    await person.send(media, worker=0)
    said = await person.taps("done", worker=1)
    assert "لمن هذا الطلب؟ تابع لي أو مكفول لدي" in said[-1].text, said[-1].text
    await person.taps("confirm", worker=0)
    async with db_sessionmaker() as session:
        filed = await session.scalar(select(Request).where(Request.user_key == USER))
    assert filed is not None
    assert filed.eligibility["for_whom"] == "family" and "غلطت" not in filed.description


async def test_a_correction_naming_a_son_is_no_change_of_service_over_two_workers(
    person: Person,
) -> None:
    # helper 22's recheck: «جواز لولدي» is a synonym of a passport's issue, so «لا غلطت
    # الطلب لولدي مو لي» was offered that service instead of the answer changed
    await _half_filled(person)
    said = await person.says("لا غلطت الطلب لولدي مو لي", worker=1)
    text = "\n".join(r.text for r in said)
    assert "إلى «تابع لي أو مكفول لدي»" in text and "هل أغيّر خدمة طلبك" not in text, text
    said = await person.taps("q:inside", worker=0)
    assert "رقم هوية صاحب الطلب نفسه" in said[-1].text, said[-1].text


@pytest.mark.parametrize("typed", ["الطلب مو لي", "مب حقي"])
async def test_not_mine_naming_no_one_asks_again_over_two_workers(
    person: Person, typed: str
) -> None:
    # helper 22's recheck: «الطلب مو لي» alone was kept as the description (helper 23:
    # «مب حقي» too)
    await _half_filled(person)
    await person.send(Contact(person.origin(), "+966501234567", True), worker=0)
    said = await person.says(typed, worker=1)
    text = "\n".join(r.text for r in said)
    assert "فأزلتُ إجابة «لي أنا»" in text and said[-1].text.startswith("لمن هذا الطلب؟"), text
    said = await person.taps("q:family", worker=0)
    assert "أين صاحب الإقامة الآن؟" in said[-1].text, said[-1].text


async def test_not_mine_keeps_the_writers_mobile_over_two_workers(person: Person) -> None:
    await _half_filled(person)
    await person.send(Contact(person.origin(), "+966501234567", True), worker=0)
    await person.says("الطلب مو لي", worker=1)
    await person.taps("q:family", worker=0)
    await person.taps("q:inside", worker=1)
    said = await person.says("2000000014", worker=0)
    text = "\n".join(r.text for r in said)
    assert "سأستخدم رقم الجوال" in text and "يُرجى وصف طلبك" in said[-1].text, text


async def test_the_writers_own_number_is_named_over_two_workers(person: Person) -> None:
    # helper 23's recheck: the writer's iqama was taken as the wife's
    await _half_filled(person)  # the writer's iqama typed, at the phone step
    await person.send(Contact(person.origin(), "+966501234567", True), worker=0)
    await person.says("مب حقي", worker=1)
    await person.taps("q:family", worker=0)
    await person.taps("q:inside", worker=1)
    said = await person.says("2000000006", worker=0)  # _half_filled's, the writer's own
    assert "هذا هو الرقم الذي كتبته حين كان الطلب لك" in said[-1].text, said[-1].text
