"""The Telegram channel and the terminal run the same dialogue: the same script gives the
same answers, but for the phone step, worded for each channel's way to give a number. Both
go through the whole real stack (engine, Redis, SQLite); Telegram through aiogram and a
local Bot API stand-in, the terminal through `chat` reading lines."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from aiogram.types import Update

from bot.app import build_services
from bot.channels.console import chat
from bot.channels.telegram import build_dispatcher, make_bot
from bot.logging_setup import configure_logging
from bot.settings import Settings
from conversations.events import Event, Reply
from standins.telegram_botapi import TelegramBotAPIStandin
from standins.telegram_updates import TgUser, UpdateFactory
from tests import samples

PNG = samples.png(seed=4)
DESCRIPTION = "إقامتي انتهت ويظهر لي خطأ عند التجديد في أبشر"
USER = TgUser(5_200_000_001, "منى")


def _settings(tmp: Path, redis_url: str) -> Settings:
    return Settings(data_dir=tmp, redis_url=redis_url, telegram_token=None)


def _same(text: str) -> str:
    # request numbers are random per run; everything else must match
    return re.sub(r"\b\d{10}\b", "<number>", text)


async def _console_answers(tmp: Path, redis_url: str) -> list[tuple[str, list[str]]]:
    photo = tmp / "iqama.png"
    photo.write_bytes(PNG)
    script = [
        "/start", "1", "ابي اجدد اقامتي", "1", "1", "2000000006",
        "/contact +966501234567", DESCRIPTION, f"/photo {photo}", "تم", "1",
    ]  # fmt: skip
    answers: list[tuple[str, list[str]]] = []
    async with build_services(_settings(tmp / "console", redis_url)) as services:

        async def recording(event: Event) -> list[Reply]:
            replies = await services.engine.handle(event)
            answers.extend((r.text, [c.label for c in r.choices]) for r in replies)
            return replies

        await chat(recording, services.media, stdin=io.StringIO("\n".join(script) + "\n"),
                   stdout=io.StringIO())  # fmt: skip
    return answers


def _telegram_answer(call_params: dict[str, Any]) -> tuple[str, list[str]]:
    markup = call_params.get("reply_markup") or {}
    labels = [b["text"] for row in markup.get("inline_keyboard", []) for b in row]
    labels += [b["text"] for row in markup.get("keyboard", []) for b in row]
    return call_params["text"], labels


async def _telegram_answers(tmp: Path, redis_url: str) -> list[tuple[str, list[str]]]:
    updates = UpdateFactory()
    async with (
        TelegramBotAPIStandin() as api,
        build_services(_settings(tmp / "telegram", redis_url)) as services,
    ):
        bot = make_bot(api.token, api.url)
        dp = build_dispatcher(services.engine.handle, services.media)
        api.add_file("photo-1", PNG)
        script = [
            updates.text(USER, "/start"),
            updates.callback(USER, "ind"),
            updates.text(USER, "ابي اجدد اقامتي"),
            updates.callback(USER, "s:iqama_renew"),
            updates.callback(USER, "q:inside"),
            updates.text(USER, "2000000006"),
            updates.contact(USER, "966501234567"),
            updates.text(USER, DESCRIPTION),
            updates.photo(USER, "photo-1", file_size=len(PNG)),
            updates.callback(USER, "done"),
            updates.callback(USER, "confirm"),
        ]
        try:
            for raw in script:
                await dp.feed_update(bot, Update.model_validate(raw, context={"bot": bot}))
        finally:
            await bot.session.close()
        sent = [c.params for c in api.calls_for(USER.id, "sendMessage")]
    return [_telegram_answer(p) for p in sent]


async def test_same_script_same_answers(tmp_path: Path, redis_url: str) -> None:
    console = await _console_answers(tmp_path, redis_url)
    telegram = await _telegram_answers(tmp_path, redis_url)
    # but the phone step, worded for each channel: Telegram's button, the terminal's typing
    [phone] = [i for i, (_t, labels) in enumerate(telegram) if "مشاركة رقمي" in labels]
    assert "بزر «مشاركة رقمي»" in telegram[phone][0]
    assert (
        console[phone][0].startswith("يُرجى كتابة رقم جوالك") and "مشاركة" not in console[phone][0]
    )
    assert telegram[phone][1] == ["مشاركة رقمي", *console[phone][1]]
    del telegram[phone], console[phone]
    assert [_same(t) for t, _ in telegram] == [_same(t) for t, _ in console]
    # the same choices, whether buttons or a numbered list
    for (_t, tg_labels), (_c, console_labels) in zip(telegram, console, strict=True):
        assert tg_labels == console_labels
    # the request number in ASCII digits, isolated left to right inside the Arabic line
    assert "رقم الطلب: \u2066<number>\u2069" in _same(telegram[-1][0])


async def test_logs_never_hold_identity_or_phone(
    tmp_path: Path, redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    configure_logging("DEBUG")  # as the CLI does at start, at its most talkative
    caplog.set_level(logging.DEBUG)
    await _telegram_answers(tmp_path, redis_url)
    assert caplog.records, "the run should have logged something"
    logged = caplog.text
    for secret in ("2000000006", "501234567", DESCRIPTION):
        assert secret not in logged
