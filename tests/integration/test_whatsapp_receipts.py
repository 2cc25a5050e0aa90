"""The receipt card on WhatsApp: the confirmation text with the request number is sent in
the turn, the card follows from the outbox (drawn in the card's process pool) as an
uploaded image, and a media upload the Graph API fails costs neither the text nor, after
a few tries, anything else (webhook app on loopback, Graph API stand-in, real Redis,
SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis
from sqlalchemy import select

from bot.app import build_services
from bot.db.models import OutboxMessage
from bot.outbox.dispatcher import OutboxDispatcher
from bot.outbox.receipts import CARD_ATTEMPTS, ReceiptQueue, WithReceipts
from bot.outbox.whatsapp_cards import WhatsAppCardSend
from bot.outbox.whatsapp_delivery import WHATSAPP
from bot.web import QUEUE_KEY, WHATSAPP_KEY, build_web_app
from conversations.events import Reply
from standins.graph_api import GraphAPIStandin
from standins.whatsapp_payloads import PayloadFactory
from tests.integration.outbox_support import ShiftedClock
from tests.integration.test_whatsapp_webhook import (
    MONA,
    PNG,
    Harness,
    settings_for,
    walk_to_attachments,
)

NUMBER_LINE = re.compile(r"رقم الطلب: \u2066?\d{10}")


@pytest.fixture
async def h(
    tmp_path: Path, redis_url: str, redis_client: Redis, db_url: str
) -> AsyncIterator[Harness]:
    async with GraphAPIStandin() as graph:
        settings = settings_for(tmp_path, redis_url, graph, database_url=db_url)
        async with build_services(settings) as services:
            app = build_web_app(services)
            async with (
                TestServer(app, host="127.0.0.1") as server,
                TestClient[web.Request, None](server) as client,
            ):
                app[WHATSAPP_KEY].channel.sender.retry_delay_s = 0.01
                yield Harness(graph, client, PayloadFactory(graph.phone_id), services, app)


def outbox(h: Harness, clock: ShiftedClock) -> OutboxDispatcher:
    runtime = h.app[WHATSAPP_KEY]
    assert runtime.delivery is not None
    sender = runtime.channel.sender
    handler = WithReceipts(runtime.delivery, h.services.cards, WhatsAppCardSend(sender))
    return OutboxDispatcher(h.services.sessions, {WHATSAPP: handler}, clock=clock)


async def drain(dispatcher: OutboxDispatcher) -> None:
    async with asyncio.timeout(30):
        while await dispatcher.run_once():
            pass


async def file_request(h: Harness) -> None:
    await walk_to_attachments(h, MONA)
    photo = h.graph.add_media(PNG, "image/png")
    await h.send(h.payloads.image(MONA, photo.id, photo.sha256_b64))
    await h.send(h.payloads.button_reply(MONA, "done", "تم"))
    await h.send(h.payloads.button_reply(MONA, "confirm", "تأكيد وإرسال"))


def images(h: Harness) -> list[int]:
    return [i for i, m in enumerate(h.graph.sent_to(MONA.wa_id or "")) if m["type"] == "image"]


def confirmation_at(h: Harness) -> int:
    (at,) = [i for i, text in enumerate(h.texts(MONA)) if NUMBER_LINE.search(text)]
    return at


async def test_the_card_follows_the_text_as_an_uploaded_image(h: Harness) -> None:
    clock = ShiftedClock()
    await file_request(h)
    assert images(h) == []  # the turn sent the words only
    await drain(outbox(h, clock))
    (card_at,) = images(h)
    assert confirmation_at(h) < card_at
    image = h.graph.sent_to(MONA.wa_id or "")[card_at]
    assert h.graph.media[image["image"]["id"]].data.startswith(b"\x89PNG")


async def test_a_failing_media_upload_costs_the_card_only(h: Harness) -> None:
    clock = ShiftedClock()
    h.graph.fail_next("media_upload", code=131053, message="Media upload error", count=99)
    await file_request(h)
    dispatcher = outbox(h, clock)
    await drain(dispatcher)
    for _ in range(CARD_ATTEMPTS):
        clock.advance(3600)
        await drain(dispatcher)
    async with h.services.sessions() as session:
        (card,) = await session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "receipt")
        )
    assert card.delivery_status == "failed"  # dropped after its tries, with a log line
    assert images(h) == []
    # the person has the request number, once
    assert sum(bool(NUMBER_LINE.search(t)) for t in h.texts(MONA)) == 1
    # and what comes after is not held back: the next message is answered as usual
    await h.send(h.payloads.text(MONA, "مرحبا"))
    assert "مرحبًا بك" in h.texts(MONA)[-2]  # greeted back in kind (15400cd)


async def test_a_reply_whose_picture_cannot_be_uploaded_still_gets_its_words_out(
    h: Harness, tmp_path: Path
) -> None:
    await h.send(h.payloads.text(MONA, "مرحبا"))
    picture = tmp_path / "card.png"
    picture.write_bytes(PNG)
    h.graph.fail_next("media_upload", code=131053, message="Media upload error", count=99)
    sender = h.app[WHATSAPP_KEY].channel.sender
    await sender.send(MONA.key, [Reply("إيصال طلبك", media=(str(picture),)), Reply("وبعد")])
    assert h.texts(MONA)[-2:] == ["إيصال طلبك", "وبعد"]


async def test_the_turn_ends_without_waiting_for_the_cards_release(
    h: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 12, as on Telegram: the receipt's release (a second write transaction after
    the text is out: on SQLite a second wait for the write lock) no longer holds the
    confirming turn; the person has the request number while the release still waits,
    and a stop's drain (the channel's ``settled``) waits for it to be written."""
    gate = asyncio.Event()
    original = ReceiptQueue.release

    async def slow(self: ReceiptQueue, key: str, *, delivered: bool) -> None:
        await gate.wait()
        await original(self, key, delivered=delivered)

    monkeypatch.setattr(ReceiptQueue, "release", slow)
    await walk_to_attachments(h, MONA)
    photo = h.graph.add_media(PNG, "image/png")
    await h.send(h.payloads.image(MONA, photo.id, photo.sha256_b64))
    await h.send(h.payloads.button_reply(MONA, "done", "تم"))
    response = await h.post(h.payloads.button_reply(MONA, "confirm", "تأكيد وإرسال"))
    assert response.status == 200
    async with asyncio.timeout(10):  # before: the turn waited for the gate
        await h.app[QUEUE_KEY].join()
    assert sum(bool(NUMBER_LINE.search(t)) for t in h.texts(MONA)) == 1
    settling = asyncio.create_task(h.app[WHATSAPP_KEY].channel.settled())
    await asyncio.sleep(0.05)
    assert not settling.done()  # a drain waits for the release
    gate.set()
    async with asyncio.timeout(10):
        await settling
    await drain(outbox(h, ShiftedClock()))
    assert len(images(h)) == 1  # the card, made due by the release, goes out
