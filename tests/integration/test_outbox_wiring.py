"""build_delivery from settings, as `tawasul run` calls it: which handlers, and a card
reaching a department topic of a forum group with nothing but settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from redis.asyncio import Redis

from bot.app import build_services
from bot.channels.telegram import make_bot
from bot.outbox.receipts import WithReceipts
from bot.outbox.telegram_delivery import (
    SkipStaffDelivery,
    TelegramPersonDelivery,
    TelegramStaffDelivery,
)
from bot.outbox.wiring import build_delivery
from bot.settings import Settings, SettingsError, load_settings
from standins.telegram_botapi import TelegramBotAPIStandin
from tests.integration.outbox_support import STAFF_CHAT
from tests.integration.test_db_requests import submission


def settings(
    tmp_path: Path, redis_url: str, api: TelegramBotAPIStandin, **extra: object
) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path,
        redis_url=redis_url,
        telegram_token=api.token,
        telegram_api_url=api.url,
        **extra,  # type: ignore[arg-type]
    )


async def test_a_forum_staff_group_gets_cards_in_department_topics(
    tmp_path: Path, redis_url: str, redis_client: Redis
) -> None:
    async with TelegramBotAPIStandin() as api:
        bot = make_bot(api.token, api.url)
        try:
            config = settings(
                tmp_path, redis_url, api, staff_chat_id=STAFF_CHAT, staff_topics="auto"
            )
            async with build_services(config) as services:
                delivery = build_delivery(services, bot)
                person = delivery.handlers["telegram"]
                # notifications, and receipt cards after them
                assert isinstance(person, WithReceipts)
                assert isinstance(person.inner, TelegramPersonDelivery)
                assert isinstance(delivery.handlers["staff"], TelegramStaffDelivery)
                filed = await services.gateway.submit(submission(attachments=()))
                await delivery.run_once()
        finally:
            await bot.session.close()
        (card,) = api.messages(STAFF_CHAT)
        assert filed.number in card["text"]
        assert api.topics[STAFF_CHAT] == {card["message_thread_id"]: "الإقامة"}


async def test_without_a_staff_group_or_a_bot_staff_rows_are_skipped(
    tmp_path: Path, redis_url: str, redis_client: Redis
) -> None:
    async with TelegramBotAPIStandin() as api:
        bot = make_bot(api.token, api.url)
        try:
            async with build_services(settings(tmp_path, redis_url, api)) as services:
                assert isinstance(
                    build_delivery(services, bot).handlers["staff"], SkipStaffDelivery
                )
                without_bot = build_delivery(services, None)
                assert set(without_bot.handlers) == {"staff"}
                await services.gateway.submit(submission(attachments=()))
                assert await without_bot.run_once() == 1
        finally:
            await bot.session.close()
        assert api.calls == []


@pytest.mark.parametrize(
    ("value", "forum", "topics"),
    [
        ("", False, {}),
        ("auto", True, {}),
        ("passports=12, visas=15", True, {"passports": 12, "visas": 15}),
    ],
)
def test_staff_topics_setting(value: str, forum: bool, topics: dict[str, int]) -> None:
    parsed = Settings(_env_file=None, staff_topics=value)  # type: ignore[call-arg]
    assert parsed.staff_forum is forum and parsed.staff_topic_ids == topics


def test_a_malformed_staff_topics_setting_stops_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAWASUL_STAFF_TOPICS", "passports:12")
    with pytest.raises(SettingsError, match="TAWASUL_STAFF_TOPICS"):
        load_settings()
