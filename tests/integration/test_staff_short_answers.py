"""How officers read a short answer to their question (SQLite and PostgreSQL): quoted, so a
bare «تمام» reads as the person's word, and marked when it brings nothing else. Found by
the review of session 10: «الرد: تمام» under the card, and «الرد على السؤال: تمام» in the
card's history, read like the bot's own «OK» rather than the person's reply."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import OutboxMessage
from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from bot.staff.views import PLAIN, StaffViews
from domain.catalogue import load_catalogue
from officers.officer import Officer
from tests.integration.test_db_requests import ATTACHMENTS, submission

NOURA = Officer(7001, "نورة")
USER = "5551001"
TODAY = dt.date(2026, 12, 1)


async def _announcements(sessions: async_sessionmaker[AsyncSession]) -> list[str]:
    async with sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == "staff_text")
            .order_by(OutboxMessage.id)
        )
        return [r.payload["html"] for r in rows if r.payload["html"].startswith("💬")]


async def test_a_bare_ok_is_quoted_and_said_to_bring_nothing_else(
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    filing = SqlRequestGateway(db_sessionmaker)
    desk = StaffDesk(db_sessionmaker, load_catalogue())
    numbers = []
    for key, answer, files in (
        ("a", "تمام", ()),
        ("b", "ok", ATTACHMENTS[:1]),  # with a photo it brought something: just quoted
        ("c", "الجواز ساري حتى 2027", ()),
        ("d", "نعم\nتمام", ()),
    ):
        number = (await filing.submit(submission(key, user_key=USER))).number
        await desk.ask(number, NOURA, "هل أرسلت صورة الجواز؟")
        await desk.answer(number, channel="telegram", user_key=USER, text=answer,
                          attachments=files)  # fmt: skip
        numbers.append(number)

    bare, with_photo, words, two_lines = await _announcements(db_sessionmaker)
    assert "<b>الرد:</b> «\u2068تمام\u2069» فقط، دون أي تفاصيل" in bare
    assert "<b>الرد:</b> «\u2068ok\u2069»\n" in with_photo and "فقط" not in with_photo
    assert "<b>الرد:</b> «\u2068الجواز ساري حتى 2027\u2069»" in words
    assert "<b>الرد:</b>\n<blockquote>" in two_lines  # its lines kept

    views = StaffViews(load_catalogue(), locale="ar")
    history = []
    for number in numbers:
        record = await desk.find(number)
        assert record is not None
        text = views.summary(record, PLAIN, today=TODAY)
        (line,) = [x for x in text.splitlines() if "الرد على السؤال" in x]
        history.append(line.split(" — ", 1)[1])
    assert history == [
        "صاحب الطلب: الرد على السؤال: «تمام»",
        "صاحب الطلب: الرد على السؤال: «ok»",
        "صاحب الطلب: الرد على السؤال: «الجواز ساري حتى 2027»",
        "صاحب الطلب: الرد على السؤال: «نعم، تمام»",  # one line: the list comma joins them
    ]
    english = StaffViews(load_catalogue(), locale="en")
    record = await desk.find(numbers[3])
    assert record is not None
    assert "the person: answered the question: «نعم, تمام»" in english.summary(
        record, PLAIN, today=TODAY
    )
