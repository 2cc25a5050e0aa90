"""A callback query Telegram no longer takes («query is too old», after a restart or a
slow turn) is an expected line in the log, without a traceback (issue 11: a traceback at
INFO read as a fault to whoever watched the workers)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import AnswerCallbackQuery

from bot.staff.group import answer

TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


class _Query:
    def __init__(self) -> None:
        self.asked: list[dict[str, Any]] = []

    async def answer(self, **kwargs: Any) -> None:
        self.asked.append(kwargs)
        raise TelegramBadRequest(method=AnswerCallbackQuery(callback_query_id="7"), message=TOO_OLD)


async def test_a_query_too_old_is_one_line_without_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    query = _Query()
    with caplog.at_level(logging.DEBUG, logger="bot.staff.group"):
        await answer(query, "تم")  # type: ignore[arg-type]
    assert query.asked == [{"text": "تم", "show_alert": False}]
    (line,) = [r for r in caplog.records if r.name == "bot.staff.group"]
    assert line.levelno == logging.INFO and line.exc_info is None
    assert "query is too old" in line.getMessage()
