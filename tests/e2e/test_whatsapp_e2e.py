"""A whole request over WhatsApp, from «مرحبا» to the request number, with a photo.

`tawasul run` runs as its own process with WhatsApp configured (real engine, real Redis,
SQLite under a temporary data directory) and its Graph API pointed at the local stand-in.
The test plays WhatsApp's servers: it posts signed webhook payloads to the process's web
server and reads what the person would see from the stand-in."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest
from redis.asyncio import Redis

from standins.graph_api import GraphAPIStandin, interactive_choices, message_text
from standins.whatsapp_payloads import PayloadFactory, WaUser, encode, sign
from tests import samples
from tests.servers import free_port

APP_SECRET = "e2e-app-secret"
PNG = samples.png(seed=16)
DESCRIPTION = "إقامتي انتهت ويظهر لي خطأ عند التجديد في أبشر"
USER = WaUser("966501234567", "SA.2000000000000001", "منى")
QUIET_S = 0.4


class Conversation:
    def __init__(self, graph: GraphAPIStandin, session: aiohttp.ClientSession, url: str) -> None:
        self.graph = graph
        self.session = session
        self.url = url
        self.payloads = PayloadFactory(graph.phone_id)

    def seen(self) -> list[str]:
        return self.graph.texts(USER.wa_id or "")

    async def post(self, payload: dict[str, object]) -> list[str]:
        """Post a signed payload and return what the person got in answer."""
        before = len(self.seen())
        body = encode(payload)
        headers = {"X-Hub-Signature-256": sign(body, APP_SECRET)}
        async with self.session.post(self.url, data=body, headers=headers) as response:
            assert response.status == 200
        async with asyncio.timeout(30):
            await self.graph.wait_until(lambda: len(self.seen()) > before)
            # the answer may take several messages: wait until none comes for a moment
            while True:
                count = len(self.seen())
                await asyncio.sleep(QUIET_S)
                if len(self.seen()) == count:
                    break
        return self.seen()[before:]

    async def tap(self, choice_id: str) -> list[str]:
        """Tap a choice of the last buttons or list, as WhatsApp reports it."""
        interactive = self.graph.last_interactive(USER.wa_id or "")
        assert interactive is not None
        titles = dict(interactive_choices(interactive))
        assert choice_id in titles, f"{choice_id} not offered: {titles}"
        if interactive["type"] == "button":
            return await self.post(self.payloads.button_reply(USER, choice_id, titles[choice_id]))
        return await self.post(self.payloads.list_reply(USER, choice_id, titles[choice_id]))


STARTUP_S = 240


async def _wait_healthy(
    session: aiohttp.ClientSession, url: str, proc: asyncio.subprocess.Process
) -> None:
    # start-up (imports, migrations) took over 60 s on a loaded 2-core machine
    async with asyncio.timeout(STARTUP_S):
        while True:
            assert proc.returncode is None, "tawasul run exited early"
            try:
                async with session.get(url) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)


@pytest.mark.timeout(STARTUP_S + 120)
async def test_a_whole_request_over_whatsapp(
    tmp_path: Path, redis_url: str, redis_client: Redis
) -> None:
    port = free_port()
    async with GraphAPIStandin() as graph:
        photo = graph.add_media(PNG, "image/png")
        # this process's environment without settings of its own, so that libfaketime's
        # (make test-anytime) reaches the bot too: the payloads' timestamps are this
        # process's clock, and a bot on another clock took the person's last message for
        # one over 24 hours old and held the receipt card for a template
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("TAWASUL_")},
            "TAWASUL_DATA_DIR": str(tmp_path / "data"),
            "TAWASUL_REDIS_URL": redis_url,
            "TAWASUL_HTTP_HOST": "127.0.0.1",
            "TAWASUL_HTTP_PORT": str(port),
            "TAWASUL_LOG_LEVEL": "DEBUG",
            "TAWASUL_WHATSAPP_PHONE_ID": graph.phone_id,
            "TAWASUL_WHATSAPP_TOKEN": graph.token,
            "TAWASUL_WHATSAPP_APP_SECRET": APP_SECRET,
            "TAWASUL_WHATSAPP_VERIFY_TOKEN": "e2e-verify",
            "TAWASUL_WHATSAPP_API_URL": graph.api_url,
        }
        log_path = tmp_path / "run.log"
        with log_path.open("wb") as log:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.cli", "run", cwd=tmp_path, env=env,
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            async with aiohttp.ClientSession() as session:
                await _wait_healthy(session, f"{base}/healthz", proc)
                chat = Conversation(graph, session, f"{base}/whatsapp/webhook")
                p = chat.payloads
                assert len(await chat.post(p.text(USER, "مرحبا"))) == 2
                await chat.tap("ind")
                await chat.post(p.text(USER, "ابي اجدد اقامتي"))
                await chat.tap("s:iqama_renew")
                await chat.tap("q:inside")
                thanks, describe = await chat.post(p.text(USER, "2000000006"))
                # the WhatsApp number answered the phone step: no button, no question
                assert thanks.startswith("شكرًا لك، حفظتُ رقم جوالك") and "+966501234567" in thanks
                assert "يُرجى وصف طلبك" in describe
                await chat.post(p.text(USER, DESCRIPTION))
                [received] = await chat.post(p.image(USER, photo.id, photo.sha256_b64))
                assert received.startswith("وصلتني الصورة.")
                summary = (await chat.tap("done"))[-1]
                assert "+966501234567" in summary
                answer = await chat.tap("confirm")
                final = next(t for t in answer if "رقم الطلب" in t)
                # the receipt card follows the text from the outbox
                async with asyncio.timeout(30):
                    await graph.wait_until(lambda: chat.seen()[-1] == "[image]")
        finally:
            proc.send_signal(signal.SIGTERM)
            async with asyncio.timeout(30):
                returncode = await proc.wait()
    assert returncode == 0, log_path.read_text(errors="replace")[-3000:]

    number = re.search(r"\d{10}", final)
    assert number is not None and "رقم الطلب" in final
    db = sqlite3.connect(tmp_path / "data" / "tawasul.sqlite3")
    try:
        channel, user_key, phone = db.execute(
            "SELECT channel, user_key, phone FROM requests WHERE number = ?", (number.group(0),)
        ).fetchone()
        attachments = db.execute("SELECT channel_ref, checksum, size FROM attachments").fetchall()
    finally:
        db.close()
    assert (channel, user_key, phone) == ("whatsapp", USER.user_id, "+966501234567")
    assert attachments == [(photo.id, photo.sha256_hex, len(PNG))]
    assert (
        tmp_path / "data" / "media" / photo.sha256_hex[:2] / photo.sha256_hex
    ).read_bytes() == PNG
    # every reply went to the person's number, and nothing personal reached the log
    assert all(m.get("to") == USER.wa_id for m in graph.sent())
    assert [message_text(m) for m in graph.sent()][-2:] == [final, "[image]"]
    logged = log_path.read_text(errors="replace")
    assert logged, "the process should have logged something"
    # no template configured: start-up says, in one line, what that means
    [notice] = [line for line in logged.splitlines() if "TEMPLATE_NAME is not set" in line]
    assert "waits until they write again" in notice
    for secret in ("966501234567", "501234567", "2000000006", USER.user_id or "", DESCRIPTION):
        assert secret not in logged
