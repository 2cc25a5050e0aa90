"""`tawasul run` by webhook, as deployed: one real process with the webhook settings, a
Bot API stand-in on loopback for its replies. It does not poll; Telegram's calls (here the
test's) reach it on TAWASUL_HTTP_PORT with the secret token; health and metrics answer on
the same port; SIGTERM stops it cleanly."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

import aiohttp
import pytest

from bot.channels.telegram_webhook import SECRET_HEADER, WEBHOOK_PATH
from standins.telegram_botapi import TelegramBotAPIStandin
from standins.telegram_updates import TgUser, UpdateFactory
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
PERSON = TgUser(5_300_000_002, "ريم")
SECRET = "e2e_webhook-secret"
# start-up (imports, migrations) on the 2-core machine shared by several test runs
STARTUP_S = 240


@pytest.mark.timeout(STARTUP_S + 120)
async def test_run_serves_the_webhook_and_does_not_poll(tmp_path: Path, redis_url: str) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with TelegramBotAPIStandin() as api, aiohttp.ClientSession() as http:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TAWASUL_")}
        env |= {
            "TAWASUL_TELEGRAM_TOKEN": api.token,
            "TAWASUL_TELEGRAM_API_URL": api.url,
            "TAWASUL_TELEGRAM_WEBHOOK_URL": "https://bot.example.sa/telegram/webhook",
            "TAWASUL_TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TAWASUL_HTTP_PORT": str(port),
            "TAWASUL_REDIS_URL": redis_url,
            "TAWASUL_DATA_DIR": str(tmp_path),
            "TAWASUL_LOG_LEVEL": "WARNING",
            "TAWASUL_STAFF_SCHEDULE": "off",
        }
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", cwd=ROOT, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            async with asyncio.timeout(STARTUP_S):
                while True:
                    try:
                        async with http.get(f"{base}/readyz") as ready:
                            if ready.status == 200:
                                break
                    except aiohttp.ClientConnectionError:
                        pass
                    await asyncio.sleep(0.5)
            update = UpdateFactory(first_update_id=920_000_000).text(PERSON, "/start")
            async with http.post(
                f"{base}{WEBHOOK_PATH}", data=json.dumps(update), headers={SECRET_HEADER: "no"}
            ) as refused:
                assert refused.status == 401
            async with http.post(
                f"{base}{WEBHOOK_PATH}",
                data=json.dumps(update),
                headers={SECRET_HEADER: SECRET, "Content-Type": "application/json"},
            ) as accepted:
                assert accepted.status == 200
            async with asyncio.timeout(30):
                await api.wait_until(lambda: bool(api.calls_for(PERSON.id, "sendMessage")))
            assert "getUpdates" not in api.methods()
            assert "deleteWebhook" not in api.methods()  # registration is a deploy step
            async with http.get(f"{base}/metrics") as metrics:
                text = await metrics.text()
            assert 'tawasul_updates_handled_total{channel="telegram",outcome="ok"} 1.0' in text
            assert str(PERSON.id) not in text
        finally:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
                async with asyncio.timeout(30):
                    await proc.wait()
        assert proc.returncode == 0, (await proc.communicate())[1].decode()[-2000:]
