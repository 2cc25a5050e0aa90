"""A Telegram update that fails outside the dialogue (the abuse screen's Redis call, a
clean-up after the replies) is answered with the general apology, as WhatsApp's are, once:
not a second time when the update is replayed, and not after the person was answered.
The real webhook endpoint, real Redis and SQLite, the Bot API stand-in (the harness of
test_telegram_webhook)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

import bot.channels.telegram as telegram_module
from bot.channels.telegram_webhook import JOURNAL_KEY
from conversations.i18n import DEFAULT_LOCALE
from conversations.turns import apology
from standins.telegram_updates import TgUser
from tests.integration.test_telegram_webhook import SARA, Harness, h

__all__ = ["h"]  # the fixture

SORRY = apology(DEFAULT_LOCALE)


async def redis_away(*_: Any) -> Any:
    """The abuse screen whose Redis call fails (Redis restarting)."""
    raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


async def test_an_update_failing_outside_the_dialogue_gets_the_apology(h: Harness) -> None:
    w = await h.worker(screen=redis_away)
    assert (await w.post(h.updates.text(SARA, "ابي اجدد اقامتي"))).status == 200
    await w.settle()
    assert h.texts(SARA) == [SORRY]
    assert await h.services.redis.hlen(JOURNAL_KEY) == 0  # closed, not replayed again


async def test_a_replay_of_a_failed_update_does_not_apologise_twice(h: Harness) -> None:
    update = h.updates.text(SARA, "ابي اجدد اقامتي")
    w = await h.worker(screen=redis_away)
    await w.post(update)
    await w.settle()
    assert h.texts(SARA) == [SORRY]
    # the worker was killed after its apology, before the journal was closed: the next
    # process replays the update, which fails again
    await h.services.redis.hset(JOURNAL_KEY, str(update["update_id"]), json.dumps(update))
    again = await h.worker(screen=redis_away)
    await again.settle()
    assert await h.services.redis.hlen(JOURNAL_KEY) == 0, "the update was replayed"
    assert h.texts(SARA) == [SORRY]


async def test_no_apology_after_the_person_was_answered(
    h: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def fails(*_: Any) -> None:
        raise RuntimeError("the clean-up after the replies failed")

    monkeypatch.setattr(telegram_module, "retire_earlier", fails)
    w = await h.worker()
    await w.post(h.updates.text(SARA, "/start"))
    await w.settle()
    texts = h.texts(SARA)
    assert texts, "the greeting went out"
    assert SORRY not in texts


async def test_the_apology_is_in_the_language_of_the_persons_app(h: Harness) -> None:
    """Redis away, the person's language (kept there) is unknown: their app's setting
    says it (issue 11: always Arabic before)."""
    rim = TgUser(5_400_000_009, "Rim", language_code="en-US")
    w = await h.worker(screen=redis_away)
    await w.post(h.updates.text(rim, "ابي اجدد اقامتي"))
    await w.settle()
    assert h.texts(rim) == [apology("en")]
