"""Redis going away in the middle of a dialogue (a real server stopped, then started again
on its files): the person is answered with the same apology as when the database is away,
the bot keeps running, and once Redis is back the dialogue goes on where it was, the
draft intact. In the terminal chat (a real `tawasul chat` process), over Telegram
polling (aiogram polling a Bot API stand-in) and on WhatsApp (signed webhooks to the real
endpoint, a Graph API stand-in), where the 500 also makes Meta deliver the message again."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.app import build_services
from bot.channels.telegram import build_dispatcher, make_bot, run_polling
from bot.settings import Settings
from bot.web import build_web_app
from standins.graph_api import GraphAPIStandin
from standins.telegram_botapi import TelegramBotAPIStandin
from standins.telegram_updates import TgUser, UpdateFactory
from standins.whatsapp_payloads import PayloadFactory
from tests.e2e.test_console_chat import STARTUP_S, Session, _env
from tests.integration.test_whatsapp_webhook import MONA, Harness, settings_for
from tests.servers import RedisServer

SORRY = "عذرًا، حدث خطأ من جهتنا"
SORRY_EN = "Sorry, something went wrong on our side"
PERSON = TgUser(5_400_000_001, "ريم")
#: a person whose Telegram app is set to English
ENGLISH_APP = TgUser(5_400_000_002, "Rim", language_code="en")


@pytest.fixture
def outage() -> Iterator[RedisServer]:
    """A Redis of this test's own, with an append-only file as in production."""
    server = RedisServer.start(persistent=True)
    try:
        yield server
    finally:
        server.stop()


def test_the_terminal_chat_apologises_and_goes_on(outage: RedisServer, tmp_path: Path) -> None:
    chat = Session(_env(tmp_path, outage.url))
    try:
        chat.wait_for("1) فرد", STARTUP_S)
        chat.say("1", "ما الخدمة")
        outage.pause()
        chat.say("ابي اجدد اقامتي", SORRY)
        assert chat.proc.poll() is None  # still running
        outage.restart()
        # the draft is where it was: the same answer now leads on
        chat.say("ابي اجدد اقامتي", "1) تجديد هوية مقيم")
        out = chat.close()
    finally:
        if chat.proc.poll() is None:
            chat.kill()
    assert chat.proc.returncode == 0
    assert "Traceback" not in out and "Traceback" not in chat.stderr


async def test_telegram_polling_apologises_and_goes_on(outage: RedisServer, tmp_path: Path) -> None:
    async with TelegramBotAPIStandin() as api:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=tmp_path,
            redis_url=outage.url,
            telegram_token=api.token,
            telegram_api_url=api.url,
        )
        bot = make_bot(api.token, api.url)
        updates = UpdateFactory()

        def seen(person: TgUser = PERSON) -> list[str]:
            """What the person has been shown: each message's text and its buttons."""
            return [
                "\n".join(
                    [m.get("text", "")]
                    + [
                        b["text"]
                        for row in m.get("reply_markup", {}).get("inline_keyboard", [])
                        for b in row
                    ]
                )
                for m in api.messages(person.id)
            ]

        async def say(raw: dict[str, object], expect: str, person: TgUser = PERSON) -> str:
            before = len(seen(person))
            api.queue_update(raw)

            def done() -> bool:
                return any(expect in text for text in seen(person)[before:])

            try:
                async with asyncio.timeout(30):
                    await api.wait_until(done)
            except TimeoutError:
                pytest.fail(f"no {expect!r} after {raw}: {seen(person)[before:]}")
            return "\n".join(seen(person)[before:])

        try:
            async with build_services(settings) as services:
                dispatcher = build_dispatcher(services.engine.handle, services.media)
                polling = asyncio.create_task(run_polling(bot, dispatcher, handle_signals=False))
                try:
                    await say(updates.text(PERSON, "/start"), "فرد")
                    await say(updates.callback(PERSON, "ind"), "ما الخدمة")
                    await asyncio.to_thread(outage.pause)
                    await say(updates.text(PERSON, "ابي اجدد اقامتي"), SORRY)
                    # their language is in Redis: the app's setting says it (issue 11)
                    said = await say(
                        updates.text(ENGLISH_APP, "ابي اجدد اقامتي"), "Sorry", ENGLISH_APP
                    )
                    assert SORRY_EN in said
                    assert not polling.done()  # polling goes on
                    await asyncio.to_thread(outage.restart)
                    answer = await say(updates.text(PERSON, "ابي اجدد اقامتي"), "تجديد هوية مقيم")
                    assert SORRY not in answer
                finally:
                    await dispatcher.stop_polling()
                    await polling
        finally:
            await bot.session.close()


async def test_whatsapp_apologises_and_goes_on(outage: RedisServer, tmp_path: Path) -> None:
    async with GraphAPIStandin() as graph:
        async with build_services(settings_for(tmp_path, outage.url, graph)) as services:
            app = build_web_app(services)
            async with (
                TestServer(app, host="127.0.0.1") as server,
                TestClient[web.Request, None](server) as client,
            ):
                h = Harness(graph, client, PayloadFactory(graph.phone_id), services, app)
                await h.send(h.payloads.text(MONA, "مرحبا"))
                await h.send(h.payloads.button_reply(MONA, "ind", "فرد"))
                assert "ما الخدمة" in h.texts(MONA)[-1]
                await asyncio.to_thread(outage.pause)
                wanted = h.payloads.text(MONA, "ابي اجدد اقامتي")
                before = len(h.texts(MONA))
                response = await h.post(wanted)
                assert response.status == 500  # Meta will deliver it again
                await h.settle()
                assert [SORRY in t for t in h.texts(MONA)[before:]] == [True]
                # their language is in Redis: words in English are answered in English
                before = len(h.texts(MONA))
                response = await h.post(h.payloads.text(MONA, "I want to renew my iqama please"))
                assert response.status == 500
                await h.settle()
                assert [SORRY_EN in t for t in h.texts(MONA)[before:]] == [True]
                await asyncio.to_thread(outage.restart)
                # Meta's redelivery of the same message, now that Redis is back
                before = len(h.texts(MONA))
                await h.send(wanted)
                shown = "\n".join(h.texts(MONA)[before:]) + str(h.choices(MONA))
                assert "تجديد هوية مقيم" in shown and SORRY not in shown
