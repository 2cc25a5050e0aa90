"""A file name from a sender's phone never stops a request's documents reaching the
officers, and one request's unexpected error never fails another's album in the same
batch (the dispatcher and the staff handler against the Bot API stand-in, a real Redis,
SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.requests_repo import SqlRequestGateway
from bot.outbox.queue import STAFF
from conversations.ports import AttachmentInfo
from tests.integration.outbox_support import STAFF_CHAT, Rig, rig
from tests.integration.test_db_requests import submission
from tests.integration.test_outbox_staff import uploaded

PDF = b"%PDF-1.7 scanned iqama"
JPEG = b"\xff\xd8 photo bytes"


@pytest.fixture
async def r(
    db_sessionmaker: async_sessionmaker[AsyncSession], redis_client: Redis, tmp_path: Path
) -> AsyncIterator[Rig]:
    async with rig(db_sessionmaker, redis_client, tmp_path) as value:
        yield value


def whatsapp_files(r: Rig, *names: str | None, tag: str) -> tuple[AttachmentInfo, ...]:
    files = []
    for i, name in enumerate(names):
        data = PDF + f" {tag}-{i}".encode()
        files.append(
            AttachmentInfo("document", f"wamid.{tag}.{i}", "application/pdf", len(data),
                           r.media.save(data), name)
        )  # fmt: skip
    return tuple(files)


def uploaded_names(r: Rig) -> list[str]:
    names = []
    for call in r.api.calls_for(STAFF_CHAT):
        if call.method.lower() == "senddocument":
            names.append(uploaded(call.params, "document")["upload"])
        elif call.method.lower() == "sendmediagroup":
            for item in call.params["media"]:
                names.append(call.params[item["media"].removeprefix("attach://")]["upload"])
    return names


async def test_a_name_with_a_line_break_is_cleaned_and_every_file_goes(
    r: Rig, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    filing = SqlRequestGateway(db_sessionmaker)
    odd = whatsapp_files(r, "scan\r\n.pdf", "\u202eفاتورة\u202c.pdf", "\u200f", tag="a")
    other = whatsapp_files(r, "جواز.pdf", "إقامة.pdf", tag="b")
    await filing.submit(submission("a", channel="whatsapp", user_key="9665001", attachments=odd))
    await filing.submit(submission("b", channel="whatsapp", user_key="9665002", attachments=other))
    await r.drain(r.dispatcher(), channels=[STAFF])
    names = uploaded_names(r)
    fallback = f"document-{odd[2].checksum[:8]}.pdf"  # type: ignore[index]
    assert sorted(names) == sorted(["scan.pdf", "فاتورة.pdf", fallback, "جواز.pdf", "إقامة.pdf"])
    rows = [row for row in await r.rows() if row.kind == "staff_album"]
    assert [row.delivery_status for row in rows] == ["sent", "sent"]


async def test_one_albums_unexpected_error_does_not_fail_the_others(
    r: Rig, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    filing = SqlRequestGateway(db_sessionmaker)
    # a row whose stored checksum is not one (a corrupt row): reading it raises ValueError
    broken = (
        AttachmentInfo("document", "wamid.x", "application/pdf", 10, "not-a-sha256", "x.pdf"),
    )
    fine = whatsapp_files(r, "جواز.pdf", "إقامة.pdf", tag="c")
    bad = await filing.submit(
        submission("x", channel="whatsapp", user_key="9665003", attachments=broken)
    )
    good = await filing.submit(
        submission("c", channel="whatsapp", user_key="9665004", attachments=fine)
    )
    dispatcher = r.dispatcher()
    async with asyncio.timeout(20):
        while not any(
            row.kind == "staff_album" and row.delivery_status == "sent" for row in await r.rows()
        ):
            if await dispatcher.run_once() == 0:
                await asyncio.sleep(0.05)
    await dispatcher.run_once()  # whatever else is due now
    ids = {
        (await r.request(filed.number)).id: name for filed, name in ((bad, "bad"), (good, "good"))
    }
    albums = {ids[row.request_id]: row for row in await r.rows() if row.kind == "staff_album"}
    assert albums["good"].delivery_status == "sent" and albums["good"].attempts == 0
    # the broken one failed on its own: retried later, one attempt counted
    assert albums["bad"].delivery_status == "queued" and albums["bad"].attempts == 1
    assert albums["bad"].last_error == "TemporaryFailure: ValueError"
    assert sorted(uploaded_names(r)) == ["إقامة.pdf", "جواز.pdf"]
