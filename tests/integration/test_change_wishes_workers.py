"""Numbers typed at a step not theirs, over two workers on the shared Redis and the
database: a slip about a number at the description step is not the description, and the
number is corrected at the summary; a mobile at the service question is kept."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Request
from conversations.events import Command, Contact, Media, Reply, Text
from tests.integration.test_their_say import USER, Person, _half_filled
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person

DESCRIBED = "انتهت الإقامة وأحتاج إلى تجديدها قبل السفر"


async def at_summary(person: Person, worker: int = 0) -> list[Reply]:
    """From the documents step: a photo on ``worker``, «تم» on the other; the summary."""
    media = Media(person.origin(), "photo", "file-a", "image/jpeg", 1000, None, "a" * 64)
    await person.send(media, worker=worker)
    return await person.taps("done", worker=1 - worker)


async def filed_request(
    person: Person, sessions: async_sessionmaker[AsyncSession], worker: int = 0
) -> Request:
    """A photo on ``worker``, «تم» on the other, «تأكيد» on ``worker``: the request filed,
    as the database holds it."""
    await at_summary(person, worker)
    await person.taps("confirm", worker=worker)
    async with sessions() as session:
        filed = await session.scalar(select(Request).where(Request.user_key == USER))
    assert filed is not None
    return filed


async def test_a_number_slip_at_the_description_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _half_filled(person)  # identity 2000000006, at the phone step, on worker 0
    await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    said = await person.says("غلطت في رقم الاقامه ابي اعدله", worker=0)
    text = "\n".join(r.text for r in said)
    assert "يمكن تصحيح رقم الهوية الآن" in text and "رقم هويتك" in text, text
    await person.says("2000000014", worker=1)
    await person.send(Contact(person.origin(), "+966501234567", True), worker=0)
    await person.says(DESCRIBED, worker=1)
    filed = await filed_request(person, db_sessionmaker, worker=0)
    assert filed.description == DESCRIBED
    assert filed.identity_number == "2000000014"


async def test_a_replacing_number_at_the_phone_step_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # helper 24's probe: «لا، اكتب بداله: 2000000014» at the phone step was told «back»
    await _half_filled(person)
    said = await person.says("لا، اكتب بداله: 2000000014", worker=1)
    assert "مكان رقم الهوية" in said[-1].text, said[-1].text
    await person.send(Contact(person.origin(), "+966501234567", True), worker=0)
    await person.says(DESCRIBED, worker=1)
    filed = await filed_request(person, db_sessionmaker, worker=0)
    assert filed.identity_number == "2000000014"


async def test_a_mobile_at_the_service_question_is_kept_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Helper 23's probe: a mobile typed at «هل هذه هي الخدمة المطلوبة؟» was read as words
    for a service and lost. On WhatsApp (a typed number, not verified) it is kept for the
    phone step, whichever worker reads what comes next."""

    def typed(text: str) -> Text:
        origin = dataclasses.replace(person.origin(), channel="whatsapp", phone_unverified=True)
        return Text(origin, text)

    await person.send(typed("ابي اجدد اقامتي"), worker=0)
    said = await person.send(typed("0501234567"), worker=1)
    assert "⁨+966501234567⁩" in said[-1].text and "هل هذه هي الخدمة" in said[-1].text
    for step, worker in (("1", 0), ("1", 1)):  # the service; inside («اقامتي»: «لي أنا»)
        said = await person.send(typed(step), worker=worker)
    assert "يُرجى كتابة رقم هويتك" in said[-1].text, said[-1].text
    said = await person.send(typed("2000000006"), worker=1)
    assert "يُرجى وصف طلبك" in said[-1].text, said[-1].text
    await person.send(typed(DESCRIBED), worker=0)
    media = Media(
        dataclasses.replace(person.origin(), channel="whatsapp", phone_unverified=True),
        "photo", "file-a", "image/jpeg", 1000, None, "a" * 64,
    )  # fmt: skip
    await person.send(media, worker=1)
    await person.send(typed("تم"), worker=0)
    await person.send(typed("تأكيد"), worker=1)
    async with db_sessionmaker() as session:
        filed = await session.scalar(select(Request).where(Request.user_key == USER))
    assert filed is not None and filed.phone == "+966501234567" and not filed.phone_verified


async def test_a_replacing_opener_is_not_filed_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # helper 23: «لا، اكتب بداله:» was kept at the start of the new description
    new = "الإقامة منتهية منذ شهر والجواز ساري المفعول"
    await _half_filled(person)
    await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    await person.says(DESCRIBED, worker=0)
    said = await person.says("ابي اغير الوصف", worker=1)
    assert "keep_description" in [c.id for c in said[-1].choices], said[-1].text
    await person.says(f"لا، اكتب بداله: {new}", worker=0)
    filed = await filed_request(person, db_sessionmaker, worker=1)
    assert filed.description == new


async def test_a_case_told_with_a_slip_reaches_the_description_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # helper 23: the reason told with a slip that changed the service was lost
    case = "ابي اصدار تأشيرة خروج وعودة لاني مسافر الاسبوع الجاي لعمرة امي"
    await person.send(Command(person.origin(), "start", ""))
    await person.says("تجديد الاقامة", worker=1)
    await person.taps("s:iqama_renew", worker=0)
    await person.taps("q:self", worker=1)
    await person.says(f"لا غلطت {case}", worker=0)
    said = await person.taps("chg:yes", worker=1)
    assert "احتفظتُ بما كتبته" in "\n".join(r.text for r in said), said
    await person.taps("s:exit_reentry_visa", worker=0)
    await person.taps("q:self", worker=1)
    await person.says("2000000006", worker=0)
    said = await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    assert case in said[-1].text, said[-1].text
    await person.taps("keep_description", worker=0)
    filed = await filed_request(person, db_sessionmaker, worker=1)
    assert filed.description == case
    assert filed.service_id == "exit_reentry_visa"


async def test_two_mobiles_at_the_phone_step_are_offered_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # helper 23's probe: «جوالي … وجوال زوجتي …» got «type just one», both numbers lost
    await _half_filled(person)
    said = await person.says("جوالي 0501234567 وجوال زوجتي 0551234567", worker=1)
    assert "على أيّها يُتواصل معك؟" in said[-1].text, said[-1].text
    await person.taps("ph:1", worker=0)
    await person.says(DESCRIBED, worker=1)
    filed = await filed_request(person, db_sessionmaker, worker=0)
    assert filed.phone == "+966551234567" and not filed.phone_verified


async def test_a_second_mobile_at_the_description_replaces_the_first_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # helper 24's probe: it replaced the first in silence (Telegram: called «shared»)
    await _half_filled(person)
    await person.says("0501234567", worker=1)
    said = await person.says("0551234567", worker=0)
    assert "مكان الرقم ⁨+966501234567⁩" in said[-1].text, said[-1].text
    await person.says(DESCRIBED, worker=1)
    filed = await filed_request(person, db_sessionmaker, worker=0)
    assert filed.phone == "+966551234567" and not filed.phone_verified


async def test_a_wish_to_change_the_mobile_at_its_step_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # helper 25: «ابي اغير رقم الجوال» at the phone step became the whole description
    await _half_filled(person)
    said = await person.says("ابي اغير رقم الجوال", worker=1)
    assert "يُرجى إرسال رقم الجوال الذي يُستعمل لهذا الطلب" in said[-1].text, said[-1].text
    await person.send(Contact(person.origin(), "+966501234567", True), worker=0)
    await person.says(DESCRIBED, worker=1)
    filed = await filed_request(person, db_sessionmaker, worker=0)
    assert filed.description == DESCRIBED


async def test_keep_it_as_it_is_keeps_the_description_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # helper 26: «خلها زي ما هي» under «الإبقاء على وصفي» was told it was too short
    await _half_filled(person)
    await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    await person.says(DESCRIBED, worker=0)
    said = await person.says("ابي اغير الوصف", worker=1)
    assert "keep_description" in [c.id for c in said[-1].choices], said[-1].text
    said = await person.says("خلها زي ما هي", worker=0)
    assert "للمستندات" in said[-1].text, said[-1].text
    filed = await filed_request(person, db_sessionmaker, worker=1)
    assert filed.description == DESCRIBED
