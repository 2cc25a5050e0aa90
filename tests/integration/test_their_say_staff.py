"""Issue 13 in the staff group, through the real outbox dispatcher and the Telegram staff
delivery against the Bot API stand-in: the person's notes reach the group as one message
under the card once the batch window has passed, however many they sent within it, and a
reconsideration turns the card's buttons into the proposal to reopen."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.requests_repo import SqlRequestGateway
from bot.staff.callbacks import version
from bot.staff.desk import StaffDesk
from bot.staff.fmt import PLAIN
from bot.staff.views import StaffViews
from conversations.ports import Note
from domain.catalogue import load_catalogue
from officers.officer import Officer
from tests.integration.outbox_support import STAFF_CHAT, Rig, rig
from tests.integration.test_db_requests import ATTACHMENTS, submission

OFFICER = Officer(7001, "نورة")
USER = "5551001"


@pytest.fixture
async def r(
    db_sessionmaker: async_sessionmaker[AsyncSession], redis_client: Redis, tmp_path: Path
) -> AsyncIterator[Rig]:
    async with rig(db_sessionmaker, redis_client, tmp_path) as value:
        yield value


async def test_notes_within_the_window_are_one_message_under_the_card(
    r: Rig, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    filing = SqlRequestGateway(db_sessionmaker)
    desk = StaffDesk(db_sessionmaker, load_catalogue(), clock=r.clock, decision_grace_s=0)
    filed = await filing.submit(submission(user_key=USER))
    await r.drain(r.dispatcher())
    card_id = (await r.request(filed.number)).staff_message_id
    assert card_id is not None
    before = len(r.api.calls_for(STAFF_CHAT))
    for text in ("الملاحظة الأولى", "الثانية <b>مهمة</b>", "الثالثة"):
        await desk.add_note(Note(filed.number, "telegram", USER, text))
        r.clock.advance(5)
    # inside the window nothing is posted: the notes wait for each other
    await r.dispatcher().run_once()
    assert len(r.api.calls_for(STAFF_CHAT)) == before
    r.clock.advance(desk.note_batch_s)
    await r.drain(r.dispatcher())
    [sent] = r.api.calls_for(STAFF_CHAT)[before:]
    assert sent.method == "sendMessage"
    assert sent.params["reply_parameters"]["message_id"] == card_id
    text = sent.params["text"]
    assert "3 ملاحظات" in text and "الملاحظة الأولى" in text and "الثالثة" in text
    assert "&lt;b&gt;مهمة&lt;/b&gt;" in text  # the person's markup stays text
    # a reconsideration after a rejection: the card's buttons become the proposal
    await desk.reject(filed.number, OFFICER, "المستندات ناقصة")
    await desk.reconsider(filed.number, "telegram", USER, "أرفقت التأمين")
    await r.drain(r.dispatcher())
    card = {m["message_id"]: m for m in r.api.messages(STAFF_CHAT)}[card_id]
    datas = [b["callback_data"] for row in card["reply_markup"]["inline_keyboard"] for b in row]
    assert [d.split(":")[1] for d in datas] == ["rr", "kr", "bl"]
    assert "يطلب إعادة النظر" in card["text"]


async def test_files_sent_for_a_reconsideration_read_as_files_not_as_a_note(
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    # Found by the review of session 10: a photo sent just after the reason of a
    # reconsideration was kept in the trail as a note, so the officers read «صاحب الطلب:
    # إضافة ملاحظة: (ملف واحد)» in the history and «(ملف واحد)» among the person's notes.
    filing = SqlRequestGateway(db_sessionmaker)
    desk = StaffDesk(db_sessionmaker, load_catalogue(), decision_grace_s=0)
    filed = await filing.submit(submission(user_key=USER))
    await desk.reject(filed.number, OFFICER, "المستندات ناقصة")
    await desk.reconsider(filed.number, "telegram", USER, "أرفقت التأمين")
    before = await desk.find(filed.number)
    assert before is not None
    await desk.add_to_reconsideration(filed.number, "telegram", USER, ATTACHMENTS[:2])
    record = await desk.find(filed.number)
    assert record is not None
    for locale, said, not_said in (
        ("ar", "صاحب الطلب: إرفاق ملفين (صور أو مستندات) بطلب إعادة النظر", "إضافة ملاحظة"),
        ("en", "the person: attached 2 files (photos or documents) to the request for "
         "reconsideration", "added a note"),
    ):  # fmt: skip
        views = StaffViews(load_catalogue(), locale=locale)
        text = views.summary(record, PLAIN, today=dt.date(2026, 12, 1))
        history = text.split("\n")
        assert any(line.endswith(said) for line in history), text
        assert not_said not in text and "(2" not in text and "(ملفان)" not in text
        assert "ملاحظات صاحب الطلب" not in text and "The person's notes" not in text
    # files sent for it change nothing the officers decide on: the card's buttons stay valid
    assert version(record) == version(before)
