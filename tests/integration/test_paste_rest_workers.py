"""A long paste that Telegram's app split, and a line of the person's own sent right after
it, across two webhook workers on one Redis and SQLite (fresh-clone tester 14, fault 2: a
message within 5 s of a description over 4,000 characters got no reply and its words were
lost). Every part is answered; the last one, taken for the rest of the paste, can still be
added with «أضفه إلى وصفي». When the paste was answered lives in Redis with the draft, so
either worker may take the next part."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.db.models import Request
from domain.normalize import clean_input
from tests.integration.test_story_at_service_workers import _questions
from tests.integration.test_telegram_album_count import SARA, Rig, rig
from tests.integration.webhook_steps import say

__all__ = ["rig"]  # the fixture

SENTENCE = "انتهت إقامتي وحاولت التجديد من أبشر فظهرت رسالة خطأ عند سداد الرسوم. "
PASTE = (SENTENCE * 100).strip()  # 6,899 characters: Telegram sends 4096, then the rest
AFTER = "نسيت اقول ان الجواز ينتهي بعد شهرين"
OWN = "والكفيل مسافر ولا يرد على الاتصال"


class Clock:
    """The engine's clock, moved by the test: «a second later» whatever the load."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def tick(self) -> None:
        self.now += dt.timedelta(seconds=1)


async def test_each_part_of_a_split_paste_is_answered_and_a_line_after_it_kept_over_two_workers(
    rig: Rig,
) -> None:
    a, b = await rig.worker(), await rig.worker()
    u = rig.updates
    clock = rig.services.engine.clock = Clock()
    await say(a, u.text(SARA, "/start"))
    await say(b, u.callback(SARA, "ind"))
    await say(a, u.text(SARA, "ابي اجدد اقامتي"))
    if not _questions(rig):  # offered among others rather than taken at once
        await say(b, u.callback(SARA, "s:iqama_renew"))
    workers = [a, b]
    while questions := _questions(rig):
        workers.reverse()
        await say(workers[0], u.callback(SARA, questions[0]))
    await say(a, u.text(SARA, "2000000006"))
    await say(b, u.contact(SARA, "966501234567", own=True))
    before = len(rig.texts())
    await say(a, u.text(SARA, PASTE[:4096]))
    said = clean_input("\n".join(rig.texts()[before:]))
    assert "فاحتفظتُ ببدايته" in said, said
    before = len(rig.texts())
    clock.tick()
    await say(b, u.text(SARA, PASTE[4096:]))  # the rest, on the other worker
    said = clean_input("\n".join(rig.texts()[before:]))
    assert "جزء آخر" not in said and "بقيّتها" in said and "أطول من" not in said, said
    before = len(rig.texts())
    clock.tick()
    await say(a, u.text(SARA, AFTER))  # no longer within a paste: a message of its own
    said = clean_input("\n".join(rig.texts()[before:]))
    assert "أضفتُه في آخر وصفك" in said and "للمستندات" in said, said
    await say(b, rig.photo(51))
    await say(a, u.callback(SARA, "done"))
    await say(b, u.callback(SARA, "confirm"))
    async with rig.services.sessions() as session:
        (filed,) = (await session.scalars(select(Request))).all()
    assert AFTER in filed.description


async def test_the_last_part_can_be_added_from_the_other_worker(rig: Rig) -> None:
    """A line that opens no afterthought («والكفيل مسافر…») a second after the paste's
    start is taken for its rest; «أضفه إلى وصفي», on the other worker, adds it."""
    a, b = await rig.worker(), await rig.worker()
    u = rig.updates
    clock = rig.services.engine.clock = Clock()
    await say(a, u.text(SARA, "/start"))
    await say(b, u.callback(SARA, "ind"))
    await say(a, u.text(SARA, "ابي اجدد اقامتي"))
    if not _questions(rig):
        await say(b, u.callback(SARA, "s:iqama_renew"))
    workers = [a, b]
    while questions := _questions(rig):
        workers.reverse()
        await say(workers[0], u.callback(SARA, questions[0]))
    await say(a, u.text(SARA, "2000000006"))
    await say(b, u.contact(SARA, "966501234567", own=True))
    await say(a, u.text(SARA, PASTE[:4096]))
    clock.tick()
    await say(b, u.text(SARA, OWN))  # a second later: taken for the paste's rest
    said = clean_input("\n".join(rig.texts()[-1:]))
    assert "بقيّتها" in said and "أضفه إلى وصفي" in said, said
    before = len(rig.texts())
    await say(a, u.callback(SARA, "add_rest"))
    said = clean_input("\n".join(rig.texts()[before:]))
    assert "أضفتُه إلى وصفك" in said, said  # it fits beside the kept start
    await say(b, rig.photo(51))
    await say(a, u.callback(SARA, "done"))
    await say(b, u.callback(SARA, "confirm"))
    async with rig.services.sessions() as session:
        (filed,) = (await session.scalars(select(Request))).all()
    assert filed.description.startswith(SENTENCE.strip())
    assert filed.description.endswith(OWN) and len(filed.description) <= 1000
