"""A WhatsApp webhook worker killed between two replies of one turn, with a live worker
beside it (two apps on one real Redis and SQLite, as two `tawasul run` processes, and the
Graph API stand-in): the live worker's replay sends the replies not sent yet, and none the
person already has (bot.channels.sent_marks, as on Telegram). And one killed just after
journalling a message, before its 200: the person's next message, on the live worker, does
not go ahead of it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis

from bot.app import build_services
from bot.web import INBOX_APP_KEY, INBOX_KEY, QUEUE_KEY, WHATSAPP_KEY, build_web_app
from standins.graph_api import GraphAPIStandin
from standins.whatsapp_payloads import PayloadFactory, encode, sign
from tests.integration.test_whatsapp_webhook import APP_SECRET, KHALID, MONA, settings_for

#: long enough that a live app never loses a body it is handling: both apps share this
#: test's event loop, and on a loaded machine a stall of half a second let the other app
#: take over a body in hand (the product's lease is 10 s, bot.webhook_journal.LEASE_S)
LEASE_S = 5.0


async def _until(condition: Callable[[], bool], timeout_s: float = 60) -> None:
    async with asyncio.timeout(timeout_s):
        while not condition():  # noqa: ASYNC110 (the stand-in records calls)
            await asyncio.sleep(0.05)


async def test_a_worker_killed_between_two_replies_has_the_rest_sent_not_the_first_again(
    tmp_path: Path, redis_url: str, redis_client: Redis
) -> None:
    """A new person's «مرحبا» is answered with more than one message. The dying worker
    sends the first; the second is held at the Graph API when it dies. The live worker
    replays the body once its lease ran out: the person gets the rest, each message once."""
    assert MONA.wa_id
    async with (
        GraphAPIStandin() as graph,
        build_services(settings_for(tmp_path, redis_url, graph)) as services,
        AsyncExitStack() as stack,
    ):
        apps: list[web.Application] = []
        clients: list[TestClient[web.Request, None]] = []
        for _ in range(2):
            app = build_web_app(services, lease_s=LEASE_S)
            server = TestServer(app, host="127.0.0.1")
            client = TestClient[web.Request, None](server)
            await client.start_server()
            apps.append(app)
            clients.append(client)
        dying, live = clients
        stack.push_async_callback(live.close)
        payloads = PayloadFactory(graph.phone_id)
        # what a new person's «مرحبا» is answered with when nothing goes wrong
        assert KHALID.wa_id
        await _post(live, payloads.text(KHALID, "مرحبا"))
        async with asyncio.timeout(60):
            await apps[1][QUEUE_KEY].join()
        usual = graph.texts(KHALID.wa_id)
        assert len(usual) >= 2, usual

        second = graph.hold(MONA.wa_id, skip=1)
        body = encode(payloads.text(MONA, "مرحبا"))
        headers = {"X-Hub-Signature-256": sign(body, APP_SECRET)}
        assert (await dying.post("/whatsapp/webhook", data=body, headers=headers)).status == 200
        async with asyncio.timeout(30):
            await second.arrived.wait()
        first = graph.texts(MONA.wa_id)
        assert len(first) == 1, first
        # SIGKILL: the accepted body stays in the journal, its lease renewed by no one
        apps[0][INBOX_APP_KEY].pending.clear()
        closing = asyncio.create_task(dying.close())  # its sweeps and sends stop with it

        # the live worker replays the body once the lease has run out and sends the rest
        await _until(lambda: len(graph.texts(MONA.wa_id or "")) > 1)

        async def journal_empty() -> None:
            while await redis_client.hlen(INBOX_KEY):  # noqa: ASYNC110 (Redis has no event)
                await asyncio.sleep(0.05)

        # closed once the replay is handled: nothing is left for anyone to send again
        async with asyncio.timeout(60):
            await journal_empty()
            await apps[1][QUEUE_KEY].join()
        texts = graph.texts(MONA.wa_id)
        assert texts[0] == first[0], texts
        # each message once: as many as the usual answer, none twice
        assert len(texts) == len(usual), (texts, usual)
        assert len(set(texts)) == len(texts), texts
        await _until(second.caller_gone)
        second.release()  # the dying worker's send: its caller is gone, Meta never gets it
        await _until(lambda: second.dropped)
        await closing
        assert graph.texts(MONA.wa_id) == texts
        # and the person goes on from there
        await _post(live, payloads.button_reply(MONA, "ind", "فرد"))
        await _until(lambda: len(graph.texts(MONA.wa_id or "")) > len(texts))
        async with asyncio.timeout(60):  # nothing in hand when the worker stops
            await apps[1][QUEUE_KEY].join()


async def _post(client: TestClient[web.Request, None], payload: dict[str, Any]) -> None:
    body = encode(payload)
    headers = {"X-Hub-Signature-256": sign(body, APP_SECRET)}
    assert (await client.post("/whatsapp/webhook", data=body, headers=headers)).status == 200


async def test_a_message_journalled_by_a_worker_killed_at_once_is_not_overtaken(
    tmp_path: Path, redis_url: str, redis_client: Redis
) -> None:
    """The dying worker journals Mona's «مرحبا» and dies right after (no 200: Meta will
    deliver it again, later). Her next message, on the live worker, must wait for it:
    the body is taken over once the dead worker's lease has run out, and handled first.
    When the journal and the person's line were two Redis calls, a worker that died
    between them left the message out of her line, and the next one was handled first
    (the WhatsApp side of 3be8743's Telegram finding)."""
    assert MONA.wa_id
    async with (
        GraphAPIStandin() as graph,
        build_services(settings_for(tmp_path, redis_url, graph)) as services,
        AsyncExitStack() as stack,
    ):
        apps: list[web.Application] = []
        clients: list[TestClient[web.Request, None]] = []
        for _ in range(2):
            app = build_web_app(services, lease_s=LEASE_S)
            server = TestServer(app, host="127.0.0.1")
            client = TestClient[web.Request, None](server)
            await client.start_server()
            apps.append(app)
            clients.append(client)
        dying, live = clients
        stack.push_async_callback(live.close)
        # the order the channel (shared by both apps, as the engine is) is given them
        order: list[str] = []
        on_message = services_channel(apps[1]).on_message

        async def recorded(item: Any) -> None:
            order.append(item.wamid)
            await on_message(item)

        for app in apps:
            services_channel(app).on_message = recorded  # type: ignore[method-assign]
        payloads = PayloadFactory(graph.phone_id)
        first, second = payloads.text(MONA, "مرحبا"), payloads.text(MONA, "فرد")

        # the dying worker: killed as soon as its journal has the body
        inbox = apps[0][INBOX_APP_KEY]
        keep = inbox.keep
        kept = asyncio.Event()

        async def keep_then_die(*args: Any, **kwargs: Any) -> str | None:
            entry = await keep(*args, **kwargs)
            kept.set()
            await asyncio.Event().wait()  # SIGKILL: nothing more of this request
            return entry

        inbox.keep = keep_then_die  # type: ignore[method-assign]
        posting = asyncio.create_task(_post(dying, first))
        async with asyncio.timeout(30):
            await kept.wait()
        inbox.pending.clear()  # its lease is renewed by no one from here
        posting.cancel()
        await asyncio.gather(posting, return_exceptions=True)
        closing = asyncio.create_task(dying.close())

        # her next message, on the live worker
        await _post(live, second)
        await _until(lambda: len(order) >= 2)
        async with asyncio.timeout(60):
            while await redis_client.hlen(INBOX_KEY):  # noqa: ASYNC110 (Redis has no event)
                await asyncio.sleep(0.05)
            await apps[1][QUEUE_KEY].join()
        await closing
        wamids = [_wamid(first), _wamid(second)]
        assert order == wamids, order
        # the greeting's answer, then the answer to «فرد»: the individual's path
        texts = graph.texts(MONA.wa_id)
        assert texts, texts


def services_channel(app: web.Application) -> Any:
    """The WhatsApp channel the app serves."""
    return app[WHATSAPP_KEY].channel


def _wamid(payload: dict[str, Any]) -> str:
    wamid = payload["entry"][0]["changes"][0]["value"]["messages"][0]["id"]
    assert isinstance(wamid, str)
    return wamid
