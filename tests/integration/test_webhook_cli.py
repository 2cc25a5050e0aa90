"""``tawasul webhook set | info | delete`` against the Bot API stand-in on loopback."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.channels.telegram import ALLOWED_UPDATES, build_dispatcher
from bot.channels.telegram_webhook_admin import run_webhook
from bot.media_store import MediaStore
from bot.settings import Settings
from conversations.events import Event, Reply
from standins.telegram_botapi import TelegramBotAPIStandin
from standins.telegram_updates import TgUser, UpdateFactory

URL = "https://bot.example.sa/telegram/webhook"
SECRET = "deploy_secret-42"


@pytest.fixture
async def api() -> AsyncIterator[TelegramBotAPIStandin]:
    async with TelegramBotAPIStandin() as api:
        yield api


def settings_for(tmp: Path, api: TelegramBotAPIStandin, **extra: object) -> Settings:
    return Settings(
        data_dir=tmp,
        telegram_token=api.token,
        telegram_api_url=api.url,
        telegram_webhook_url=URL,
        telegram_webhook_secret=SECRET,
        telegram_webhook_max_connections=60,
        **extra,  # type: ignore[arg-type]
    )


async def test_set_registers_everything_the_bot_needs_and_keeps_pending_updates(
    tmp_path: Path, api: TelegramBotAPIStandin
) -> None:
    api.queue_update(UpdateFactory().text(TgUser(5_100_000_009), "مرحبا"))
    out = io.StringIO()
    assert await run_webhook(settings_for(tmp_path, api), "set", out) == 0
    assert api.webhook is not None
    assert api.webhook["url"] == URL
    assert api.webhook["secret_token"] == SECRET
    assert api.webhook["max_connections"] == 60
    assert api.webhook["allowed_updates"] == list(ALLOWED_UPDATES)
    assert not api.webhook.get("drop_pending_updates")
    report = out.getvalue()
    assert f"url: {URL}" in report and "pending updates: 1" in report
    assert SECRET not in report  # the secret is not printed


async def test_allowed_updates_cover_every_handler_the_residents_router_has() -> None:
    async def handle(event: Event) -> list[Reply]:
        return []

    dispatcher = build_dispatcher(handle, MediaStore(Path("/nonexistent")))
    assert set(dispatcher.resolve_used_update_types()) <= set(ALLOWED_UPDATES)
    assert {"edited_message", "my_chat_member"} <= set(ALLOWED_UPDATES)


async def test_info_prints_the_pending_count_and_the_last_error(
    tmp_path: Path, api: TelegramBotAPIStandin
) -> None:
    settings = settings_for(tmp_path, api)
    assert await run_webhook(settings, "set", io.StringIO()) == 0
    api.webhook_last_error = "Connection timed out"
    out = io.StringIO()
    assert await run_webhook(settings, "info", out) == 0
    assert "pending updates: 0" in out.getvalue()
    assert "Connection timed out" in out.getvalue()


async def test_delete_keeps_pending_updates_and_polling_works_again(
    tmp_path: Path, api: TelegramBotAPIStandin
) -> None:
    settings = settings_for(tmp_path, api)
    assert await run_webhook(settings, "set", io.StringIO()) == 0
    api.queue_update(UpdateFactory().text(TgUser(5_100_000_009), "مرحبا"))
    out = io.StringIO()
    assert await run_webhook(settings, "delete", out) == 0
    assert api.webhook is None
    assert "url: (none: polling)" in out.getvalue()
    assert "pending updates: 1" in out.getvalue()


async def test_set_without_the_settings_says_which(
    tmp_path: Path, api: TelegramBotAPIStandin
) -> None:
    settings = Settings(data_dir=tmp_path, telegram_token=api.token, telegram_api_url=api.url)
    out = io.StringIO()
    assert await run_webhook(settings, "set", out) == 2
    assert "TAWASUL_TELEGRAM_WEBHOOK_URL" in out.getvalue()
    assert api.webhook is None
