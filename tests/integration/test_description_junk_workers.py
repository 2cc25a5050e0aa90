"""A run of one letter at the description and documents steps, over two workers on the
shared Redis and the database: nothing of it is kept, what was written before is filed."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from conversations.events import Contact
from tests.integration.test_change_wishes_workers import filed_request
from tests.integration.test_their_say import Person, _half_filled
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_a_run_of_one_letter_is_not_filed_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # helper 23's probe: 5000 «ا» were kept, cut to 1000, as the description
    await _half_filled(person)
    await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    await person.says("انتهت إقامتي", worker=0)
    said = await person.says("ا" * 5000, worker=1)
    assert "لا يبدو هذا وصفًا" in said[-1].text, said[-1].text
    await person.says("وحاولت التجديد من أبشر", worker=0)
    said = await person.says("هههههههههههههههههههههههه", worker=1)
    assert "لا تبدو هذه كلمات لوصفك" in said[-1].text, said[-1].text
    filed = await filed_request(person, db_sessionmaker, worker=0)
    assert filed.description == "انتهت إقامتي\nوحاولت التجديد من أبشر"


async def test_one_word_said_again_and_again_is_not_filed_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # helper 24's probe: «ساعدوني» typed 80 times was filed as the description
    await _half_filled(person)
    await person.send(Contact(person.origin(), "+966501234567", True), worker=0)
    said = await person.says(" ".join(["ساعدوني"] * 80), worker=1)
    assert "هذه كلمة واحدة مكررة" in said[-1].text, said[-1].text
    await person.says("انتهت إقامتي وحاولت التجديد من أبشر", worker=0)
    said = await person.says("ساعدوني ساعدوني ساعدوني", worker=1)
    assert "لم يُضف شيء إلى وصفك" in said[-1].text, said[-1].text
    filed = await filed_request(person, db_sessionmaker, worker=0)
    assert filed.description == "انتهت إقامتي وحاولت التجديد من أبشر"


async def test_a_test_word_and_a_number_named_are_not_filed_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # session 25's probe: «abc» and «رقمي ٠٥٥…» were kept as words of the description
    await _half_filled(person)
    await person.says("0551234567", worker=1)  # typed: a number «رقمي» may replace
    said = await person.says("abc", worker=0)
    assert "لذلك لم أحتفظ به" in said[-1].text, said[-1].text
    said = await person.says("رقمي ٠٥٥٩٨٧٦٥٤٣", worker=1)
    assert "+966559876543" in said[0].text, said[0].text
    await person.says("انتهت إقامتي وحاولت التجديد من أبشر", worker=0)
    said = await person.says("test", worker=1)
    assert "لم يُضَف إلى الوصف" in said[-1].text, said[-1].text
    filed = await filed_request(person, db_sessionmaker, worker=0)
    assert filed.description == "انتهت إقامتي وحاولت التجديد من أبشر"
    assert filed.phone == "+966559876543"
