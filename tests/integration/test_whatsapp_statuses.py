"""Delivery callbacks (sent, delivered, read, failed) posted to the real webhook land on the
outbox row of the message, on SQLite and PostgreSQL; failed deliveries are scheduled again
a few times, then reported failed."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis
from sqlalchemy import select

from bot.app import build_services
from bot.channels.whatsapp import last_inbound_key
from bot.db.models import OutboxMessage, utcnow
from bot.web import build_web_app
from standins.graph_api import GraphAPIStandin
from standins.whatsapp_payloads import PayloadFactory, batch
from tests.integration.test_whatsapp_webhook import MONA, Harness, settings_for


@pytest.fixture
async def h(
    tmp_path: Path, redis_url: str, redis_client: Redis, db_url: str
) -> AsyncIterator[Harness]:
    async with GraphAPIStandin() as graph:
        settings = settings_for(tmp_path, redis_url, graph, database_url=db_url)
        async with build_services(settings, migrate=False) as services:
            app = build_web_app(services)
            async with (
                TestServer(app, host="127.0.0.1") as server,
                TestClient[web.Request, None](server) as client,
            ):
                yield Harness(graph, client, PayloadFactory(graph.phone_id), services, app)


async def _row(h: Harness, wamid: str, *, attempts: int = 1) -> int:
    async with h.services.sessions.begin() as session:
        row = OutboxMessage(
            kind="notify",
            channel="whatsapp",
            target=MONA.key,
            payload={"number": "6418407042", "status": "accepted", "replies": []},
            attempts=attempts,
            sent_at=utcnow(),
            provider_message_id=wamid,
            delivery_status="sent",
        )
        session.add(row)
        await session.flush()
        return row.id


async def _get(h: Harness, row_id: int) -> OutboxMessage:
    async with h.services.sessions() as session:
        row = await session.scalar(select(OutboxMessage).where(OutboxMessage.id == row_id))
        assert row is not None
        return row


async def test_delivered_then_read_even_out_of_order(h: Harness) -> None:
    row_id = await _row(h, "wamid.notify-1")
    p = h.payloads
    # "read" can overtake "delivered"; a late "delivered" must not move it back
    await h.send(p.status("wamid.notify-1", "read", MONA))
    await h.send(p.status("wamid.notify-1", "delivered", MONA))
    row = await _get(h, row_id)
    assert row.delivery_status == "read"
    assert row.sent_at is not None and row.last_error is None


async def test_a_failed_delivery_without_contacts_is_scheduled_again(h: Harness) -> None:
    row_id = await _row(h, "wamid.notify-2", attempts=1)
    errors = [{"code": 131000, "title": "Something went wrong"}]
    payload = h.payloads.status("wamid.notify-2", "failed", MONA, errors=errors)
    assert "contacts" not in payload["entry"][0]["changes"][0]["value"]
    before = utcnow()
    await h.send(payload)
    row = await _get(h, row_id)
    assert row.sent_at is None and row.claimed_until is None
    assert row.delivery_status == "queued"
    assert row.last_error == "131000 Something went wrong"
    assert row.next_attempt_at > before + dt.timedelta(seconds=30)


async def test_a_delivery_failing_again_and_again_is_reported(h: Harness) -> None:
    row_id = await _row(h, "wamid.notify-3", attempts=3)
    errors = [{"code": 131000, "title": "Something went wrong"}]
    await h.send(h.payloads.status("wamid.notify-3", "failed", MONA, errors=errors))
    row = await _get(h, row_id)
    assert row.delivery_status == "failed"
    assert row.sent_at is not None  # not sent again


async def test_a_permanent_failure_is_reported_at_once(h: Harness) -> None:
    row_id = await _row(h, "wamid.notify-4", attempts=1)
    errors = [{"code": 131026, "title": "Message undeliverable"}]
    await h.send(h.payloads.status("wamid.notify-4", "failed", MONA, errors=errors))
    row = await _get(h, row_id)
    assert row.delivery_status == "failed" and row.last_error == "131026 Message undeliverable"


async def test_outside_the_window_the_retry_goes_as_a_template(h: Harness) -> None:
    await h.services.redis.set(last_inbound_key(MONA.key), "1700000000")
    row_id = await _row(h, "wamid.notify-5", attempts=1)
    errors = [{"code": 131047, "title": "Re-engagement message"}]
    await h.send(h.payloads.status("wamid.notify-5", "failed", MONA, errors=errors))
    assert await h.services.redis.get(last_inbound_key(MONA.key)) is None
    assert (await _get(h, row_id)).delivery_status == "queued"


async def test_statuses_in_one_batch_each_reach_their_row(h: Harness) -> None:
    first, second = await _row(h, "wamid.a"), await _row(h, "wamid.b")
    p = h.payloads
    await h.send(batch(p.status("wamid.a", "delivered", MONA), p.status("wamid.b", "read", MONA)))
    assert (await _get(h, first)).delivery_status == "delivered"
    assert (await _get(h, second)).delivery_status == "read"


async def test_status_of_an_untracked_message_changes_nothing(h: Harness) -> None:
    row_id = await _row(h, "wamid.tracked")
    await h.send(h.payloads.status("wamid.conversation-reply", "read", MONA))
    assert (await _get(h, row_id)).delivery_status == "sent"


async def test_a_row_the_dispatcher_sent_fine_still_stops_failing_in_the_end(h: Harness) -> None:
    """The dispatcher leaves attempts at 0 after a send the platform accepted; failures
    reported later must still run out, not requeue the row for ever."""
    row_id = await _row(h, "wamid.notify-9", attempts=0)
    errors = [{"code": 131000, "title": "Something went wrong"}]
    statuses: list[str] = []
    for _ in range(6):
        await h.send(h.payloads.status("wamid.notify-9", "failed", MONA, errors=errors))
        statuses.append((await _get(h, row_id)).delivery_status)
        if statuses[-1] == "failed":
            break
        async with h.services.sessions.begin() as session:  # the dispatcher resends it
            row = await session.get(OutboxMessage, row_id)
            assert row is not None
            row.sent_at, row.delivery_status = utcnow(), "sent"
    assert statuses[-1] == "failed" and len(statuses) <= 3
