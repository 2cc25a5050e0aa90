"""Another service named whole at the summary, over two workers on the shared Redis and
the database: the service is chosen again, what was given kept, and the request is filed
for the new service (it was told only «لم يُرسَل طلبك. يُرجى اختيار ما يلزم تعديله…»)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Request
from conversations.events import Contact, Media
from tests.integration.test_their_say import USER, Person, _half_filled
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_a_service_named_at_the_summary_is_chosen_again_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _half_filled(person)
    await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    await person.says("ابي اسافر لاهلي والمنصة ترفض طلب التأشيرة", worker=0)
    photo = Media(person.origin(), "photo", "file-s", "image/jpeg", 1000, None, "b" * 64)
    await person.send(photo, worker=1)
    said = await person.taps("done", worker=0)
    assert "confirm" in [c.id for c in said[-1].choices]
    said = await person.says("ابي تأشيرة خروج وعودة", worker=1)
    assert "لنختر الخدمة من جديد" in said[0].text, said[0].text
    said = await person.taps("s:exit_reentry_visa", worker=0)
    # the service's own questions, then back to the summary with what was kept
    while any(c.id.startswith("q:") for c in said[-1].choices):
        said = await person.taps(said[-1].choices[0].id, worker=1)
    if not any(c.id == "confirm" for c in said[-1].choices):
        said = await person.taps("done", worker=0)
    assert "confirm" in [c.id for c in said[-1].choices], said[-1].text
    await person.taps("confirm", worker=1)
    async with db_sessionmaker() as session:
        filed = await session.scalar(select(Request).where(Request.user_key == USER))
    assert filed is not None and filed.service_id == "exit_reentry_visa"
