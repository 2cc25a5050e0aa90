"""Files a person sends in several batches for one request reach the staff group once
each, with two outbox workers on the real Redis and SQLite/PostgreSQL, through the
Telegram staff delivery and the Bot API stand-in. An album row used to mean "the request's
files from the ``first``-th to the end" when it was sent, so a batch still queued when the
next arrived posted the next one's files too, as did the card's own album for files added
before the card first went out (found by the fresh-clone tester)."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.ports import AttachmentInfo, Note
from domain.catalogue import load_catalogue
from tests.integration.outbox_support import STAFF_CHAT, Rig, rig
from tests.integration.test_db_requests import submission

USER = "5551001"


@pytest.fixture
async def r(
    db_sessionmaker: async_sessionmaker[AsyncSession], redis_client: Redis, tmp_path: Path
) -> AsyncIterator[Rig]:
    async with rig(db_sessionmaker, redis_client, tmp_path) as value:
        yield value


def photos(*refs: str) -> tuple[AttachmentInfo, ...]:
    # Telegram file ids: the delivery sends them as they are, so each is seen in the calls
    return tuple(AttachmentInfo("photo", ref, "image/jpeg", 1000) for ref in refs)


def posted(r: Rig) -> Counter[str]:
    """How many times each file went to the staff group."""
    seen: Counter[str] = Counter()
    for call in r.api.calls_for(STAFF_CHAT):
        params: dict[str, Any] = call.params
        if call.method == "sendPhoto":
            seen[str(params["photo"])] += 1
        elif call.method == "sendMediaGroup":
            media = params["media"]
            for item in json.loads(media) if isinstance(media, str) else media:
                seen[str(item["media"])] += 1
    return seen


async def test_each_file_of_every_batch_is_posted_once_with_two_workers(
    r: Rig, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    filing = SqlRequestGateway(db_sessionmaker)
    desk = StaffDesk(db_sessionmaker, load_catalogue(), clock=r.clock, decision_grace_s=0)
    posted_first = await filing.submit(submission("a", attachments=photos("a0")))
    await r.drain(r.dispatcher())
    assert posted(r) == Counter({"a0": 1})  # the card and its album are out

    # two batches for the posted request, before any worker runs again
    for text, refs in (("الدفعة الأولى", ("a1", "a2")), ("الدفعة الثانية", ("a3", "a4"))):
        await desk.add_note(Note(posted_first.number, "telegram", USER, text, photos(*refs)))
    # a request whose card has not gone out yet gets a batch too
    waiting = await filing.submit(submission("b", user_key=USER, attachments=photos("b0")))
    await desk.add_note(Note(waiting.number, "telegram", USER, "صورة أخرى", photos("b1", "b2")))
    r.clock.advance(desk.note_batch_s + 1)  # the notes' words are due too

    await asyncio.gather(r.drain(r.dispatcher()), r.drain(r.dispatcher()))
    assert posted(r) == Counter({f: 1 for f in ("a0", "a1", "a2", "a3", "a4", "b0", "b1", "b2")})
    # and under their own cards
    cards = {(await r.request(n)).staff_message_id for n in (posted_first.number, waiting.number)}
    replies = {
        c.params["reply_parameters"]["message_id"]
        for c in r.api.calls_for(STAFF_CHAT)
        if c.method in ("sendPhoto", "sendMediaGroup")
    }
    assert replies == cards
