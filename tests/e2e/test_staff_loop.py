"""The officers' loop as `tawasul run` composes it: the services from settings, the staff
router in the same Telegram dispatcher as the residents', the outbox dispatcher delivering
cards and notifications to the Bot API stand-in, the schedule in the background. An
officer's tap changes the card at once (the router wakes the dispatcher) and the person
is told. The schedule's clock is pinned to a working morning after 08:00, so the digest
arrives beside the card at whatever hour the test runs."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiogram.types import Update
from redis.asyncio import Redis

from bot.app import build_services
from bot.channels.telegram import build_dispatcher, make_bot
from bot.outbox.wiring import build_delivery
from bot.settings import Settings
from bot.staff.schedule import staff_running
from domain.sla import RIYADH
from standins.telegram_botapi import TelegramBotAPIStandin
from standins.telegram_updates import TgUser, UpdateFactory
from tests.integration.test_db_requests import submission

STAFF_CHAT = -1009876543210
OFFICER = TgUser(7001, "نورة")
PERSON_CHAT = 5551001  # the user_key submission() files from
# The outbox's polling is slow beside the waits for the card's edits: only the router's
# kick can make them that quick, so a missing kick fails, yet the waits stay long enough
# for a loaded machine (the CI-like run here once took more than 1.5 s for an edit).
POLL_S = 30.0
KICKED_S = 15.0
# a Sunday, a working day, just after the digest's hour
SCHEDULE_NOW = dt.datetime(2026, 11, 22, 8, 1, tzinfo=RIYADH).astimezone(dt.UTC)


async def _until(api: TelegramBotAPIStandin, predicate: Callable[[], bool], s: float) -> None:
    async with asyncio.timeout(s):
        await api.wait_until(predicate)


def _message(api: TelegramBotAPIStandin, message_id: int) -> dict[str, Any]:
    """The staff group's message ``message_id`` as it reads now (after edits)."""
    return next(m for m in api.messages(STAFF_CHAT) if m["message_id"] == message_id)


def _buttons(message: dict[str, Any]) -> list[str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row]


async def test_take_and_accept_from_the_card(
    tmp_path: Path, redis_url: str, redis_client: Redis
) -> None:
    async with TelegramBotAPIStandin() as api:
        api.set_member(STAFF_CHAT, OFFICER.id, "member")
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=tmp_path,
            redis_url=redis_url,
            telegram_token=api.token,
            telegram_api_url=api.url,
            staff_chat_id=STAFF_CHAT,
            decision_grace_s=1,  # the person is told a second after the accept
        )
        bot = make_bot(api.token, api.url)
        updates = UpdateFactory()
        try:
            async with build_services(settings) as services:
                delivery = build_delivery(services, bot)
                dispatcher = build_dispatcher(services.engine.handle, services.media)
                stop = asyncio.Event()

                async def tap(data: str, card: dict[str, Any]) -> None:
                    raw = updates.callback(OFFICER, data, message=card)
                    await dispatcher.feed_update(
                        bot, Update.model_validate(raw, context={"bot": bot})
                    )

                async with staff_running(
                    services, dispatcher, kick=delivery.kick, clock=lambda: SCHEDULE_NOW
                ):
                    number = (await services.gateway.submit(submission())).number
                    # polling slower than the edits are expected: only the router's kick
                    # can make them this quick
                    runner = asyncio.create_task(delivery.run_forever(stop, poll_s=POLL_S))
                    try:
                        await _until(
                            api,
                            lambda: any(
                                f"st:take:{number}:1" in _buttons(m)
                                for m in api.messages(STAFF_CHAT)
                            ),
                            10,
                        )
                        [card] = [
                            m
                            for m in api.messages(STAFF_CHAT)
                            if f"st:take:{number}:1" in _buttons(m)
                        ]

                        await tap(f"st:take:{number}:1", card)
                        await _until(
                            api,
                            lambda: (
                                bool(api.calls_for(STAFF_CHAT, "editMessageText"))
                                and bool(api.calls_for(PERSON_CHAT, "sendMessage"))
                            ),
                            KICKED_S,
                        )
                        edited = _message(api, card["message_id"])
                        assert not [b for b in _buttons(edited) if b.startswith("st:take:")]
                        assert f"st:ok:{number}:2" in _buttons(edited)
                        assert "نورة" in edited["text"]
                        assert "قيد الدراسة" in api.texts(PERSON_CHAT)[-1]

                        await tap(f"st:ok:{number}:2", edited)
                        await _until(
                            api,
                            lambda: len(api.calls_for(STAFF_CHAT, "editMessageText")) >= 2,
                            KICKED_S,
                        )
                        final = _message(api, card["message_id"])
                        assert _buttons(final) == [f"st:re:{number}:3", f"st:bl:{number}:3"]
                        # the decision reaches the person after the grace period (and
                        # Telegram's one-a-second limit for their chat), on a later round
                        await _until(
                            api,
                            lambda: len(api.calls_for(PERSON_CHAT, "sendMessage")) >= 2,
                            POLL_S + KICKED_S,
                        )
                        assert "الموافقة" in api.texts(PERSON_CHAT)[-1]
                        # the schedule ran in the same composition: the digest is there too
                        assert any(
                            "الملخص اليومي" in m.get("text", "") for m in api.messages(STAFF_CHAT)
                        )
                    finally:
                        stop.set()
                        await runner
        finally:
            await bot.session.close()
