"""The status look-up's prompts let go of words, on two workers sharing one Redis and one
database (SQLite and PostgreSQL), fed the real update shapes of Telegram (Bot API
stand-in) and WhatsApp (signed Graph webhook bodies, Graph API stand-in). Tester 11's
fault 1: with a draft waiting at its summary, «ارسال» and «تأكيد» typed at «اكتب رقم
الطلب» on Telegram got «رقم الطلب يتكون من ١٠ أرقام»; on WhatsApp, after a stranger's
request number and a wrong identity number, «تأكيد» and «ارسل الطلب» got «يجب أن يتكون
الرقم من أرقام فقط». Which worker takes the next message does not matter: the misses and
the draft put aside live in the dialogue state, in Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.types import Update
from redis.asyncio import Redis
from sqlalchemy import select

from bot.app import Services, build_services
from bot.channels.telegram import build_dispatcher, make_bot
from bot.db.models import Request
from bot.settings import Settings
from domain.normalize import clean_input
from standins.graph_api import interactive_choices
from standins.telegram_botapi import TelegramBotAPIStandin, fake_file_id
from standins.telegram_updates import TgUser, UpdateFactory
from standins.whatsapp_payloads import WaUser
from tests import samples
from tests.integration.test_abuse_whatsapp import Workers, two
from tests.integration.test_db_requests import submission
from tests.integration.test_whatsapp_webhook import MONA

__all__ = ["two"]

DESCRIPTION = "انتهت إقامتي الشهر الماضي ولم أستطع تجديدها من أبشر"
TEN_DIGITS = "رقم الطلب يتكون من 10 أرقام"
DIGITS_ONLY = "من أرقام فقط"
PROMPT = "كتابة رقم الطلب"
SALEM = TgUser(5_400_000_111, "سالم")


async def _filed(services: Services) -> list[Request]:
    async with services.sessions() as session:
        return list(await session.scalars(select(Request)))


# ---- Telegram ----------------------------------------------------------------------------


@dataclass
class TwoTelegram:
    api: TelegramBotAPIStandin
    bot: Bot
    services: list[Services]
    dps: list[Dispatcher]
    updates: UpdateFactory = field(default_factory=UpdateFactory)

    async def feed(self, worker: int, raw: dict[str, Any]) -> str:
        """One update to ``worker``; what the person read in answer."""
        before = len(self.api.texts(SALEM.id))
        update = Update.model_validate(raw, context={"bot": self.bot})
        await self.dps[worker].feed_update(self.bot, update)
        return clean_input("\n".join(self.api.texts(SALEM.id)[before:]))

    async def says(self, worker: int, text: str) -> str:
        return await self.feed(worker, self.updates.text(SALEM, text))

    def buttons(self) -> list[str]:
        markup = self.api.last_keyboard(SALEM.id) or {}
        rows = markup.get("inline_keyboard", [])
        return [str(b.get("callback_data")).split("~")[0] for row in rows for b in row]


@pytest.fixture
async def tg(
    tmp_path: Path, redis_url: str, redis_client: Redis, db_url: str
) -> AsyncIterator[TwoTelegram]:
    async with TelegramBotAPIStandin() as api, AsyncExitStack() as stack:
        bot = make_bot(api.token, api.url)
        stack.push_async_callback(bot.session.close)
        services, dps = [], []
        for n in range(2):
            settings = Settings(
                _env_file=None,  # type: ignore[call-arg]
                data_dir=tmp_path / f"w{n}",
                redis_url=redis_url,
                database_url=db_url,
                telegram_token=None,
            )
            one = await stack.enter_async_context(build_services(settings))
            dps.append(build_dispatcher(one.engine.handle, one.intake, fetching=one.engine.handle))
            services.append(one)
        yield TwoTelegram(api, bot, services, dps)


async def _tg_to_summary(tg: TwoTelegram) -> None:
    """A ready draft at its summary, each update to the other worker in turn."""
    u = tg.updates
    steps: list[dict[str, Any]] = [
        u.text(SALEM, "/start"),
        u.text(SALEM, "ابي اجدد اقامتي"),
        u.text(SALEM, "1"),
        u.text(SALEM, "1"),
        u.text(SALEM, "2000000006"),
        u.contact(SALEM, "966501234567", own=True),
        u.text(SALEM, DESCRIPTION),
    ]
    file_id = fake_file_id("photo")
    tg.api.add_file(file_id, samples.png())
    steps += [u.photo(SALEM, file_id, file_size=len(samples.png())), u.callback(SALEM, "done")]
    for n, raw in enumerate(steps):
        said = await tg.feed(n % 2, raw)
    assert "يُرجى مراجعة طلبك" in said, said


async def test_telegram_send_words_at_the_number_prompt_send_the_waiting_draft(
    tg: TwoTelegram,
) -> None:
    await _tg_to_summary(tg)
    assert PROMPT in await tg.says(1, "/status")  # nothing filed yet: the prompt
    said = await tg.says(0, "ارسال")
    assert TEN_DIGITS not in said and "تم استلام طلبك" in said, said
    [filed] = await _filed(tg.services[1])
    assert (filed.identity_number, filed.description) == ("2000000006", DESCRIPTION)


async def test_telegram_no_number_and_a_second_miss_offer_the_way_back(tg: TwoTelegram) -> None:
    await _tg_to_summary(tg)
    await tg.says(0, "/status")
    said = await tg.says(1, "12345")
    assert TEN_DIGITS in said and "resume" not in tg.buttons()
    said = await tg.says(0, "123456")  # the second miss, on the other worker
    assert "العودة إلى طلبي" in said and "«رجوع»" in said, said
    assert tg.buttons()[0] == "resume"
    said = await tg.says(1, "ما عندي رقم")
    assert "تم استلام طلبك" in said and "رقم الهوية الذي قُدّم به" in said, said
    said = await tg.feed(0, tg.updates.callback(SALEM, "resume"))
    assert "يُرجى مراجعة طلبك" in said, said
    said = await tg.feed(1, tg.updates.callback(SALEM, "confirm"))
    assert "تم استلام طلبك" in said
    assert len(await _filed(tg.services[0])) == 1


# ---- WhatsApp ----------------------------------------------------------------------------


async def _wa_to_summary(two: Workers, user: WaUser) -> None:
    """As the tester typed it: the need, «1», «1», the iqama (the WhatsApp number taken
    as the mobile), the description, a photo, «تم»; each message to the other worker."""
    for n, text in enumerate(("ابي اجدد اقامتي", "1", "1", "2000000006", DESCRIPTION)):
        said = clean_input("\n".join(await two.says(n % 2, user, text)))
    assert "صور" in said or "المستندات" in said, said
    photo = two.graph.add_media(samples.png(), "image/png")
    await two.answer(1, user, two.payloads.image(user, photo.id, photo.sha256_b64))
    said = clean_input(
        "\n".join(await two.answer(0, user, two.payloads.button_reply(user, "done", "تم")))
    )
    assert "يُرجى مراجعة طلبك" in said, said


async def test_whatsapp_send_words_at_a_strangers_identity_prompt_send_the_draft(
    two: Workers,
) -> None:
    filing = two.services[0].gateway
    theirs = await filing.submit(
        submission(key="other", user_key="999", identity_number="2123456788")
    )
    await _wa_to_summary(two, MONA)
    said = clean_input("\n".join(await two.says(1, MONA, f"وش صار على طلبي {theirs.number}")))
    assert "رقم الهوية" in said, said
    said = clean_input("\n".join(await two.says(0, MONA, "2000000006")))
    assert "لم نجد طلبًا" in said, said
    said = clean_input("\n".join(await two.says(1, MONA, "ما عندي رقم")))
    assert "حفاظًا على خصوصية" in said and DIGITS_ONLY not in said, said
    # the way back is a reply button on WhatsApp
    last = two.graph.last_interactive(MONA.wa_id or "")
    assert last is not None and ("resume", "العودة إلى طلبي") in interactive_choices(last)
    said = clean_input("\n".join(await two.says(0, MONA, "ارسل الطلب")))
    assert DIGITS_ONLY not in said and "تم استلام طلبك" in said, said
    mine = [r for r in await _filed(two.services[1]) if r.number != theirs.number]
    assert [(r.identity_number, r.description) for r in mine] == [("2000000006", DESCRIPTION)]


async def test_whatsapp_a_plain_yes_at_the_prompt_sends_nothing(two: Workers) -> None:
    await _wa_to_summary(two, MONA)
    said = clean_input("\n".join(await two.says(1, MONA, "/status")))
    assert PROMPT in said, said
    said = clean_input("\n".join(await two.says(0, MONA, "ايه")))
    assert "لم يُرسَل بعد" in said and "«تأكيد وإرسال»" in said, said
    assert await _filed(two.services[0]) == []
    said = clean_input("\n".join(await two.says(1, MONA, "تأكيد")))  # at the summary now
    assert "تم استلام طلبك" in said, said


# ---- an emoji at the prompt (1a132f1), on two workers --------------------------------------

SAYS_WHAT = "رقم الطلب المكوّن من 10 أرقام"


async def test_telegram_an_emoji_at_the_number_prompt_says_what_to_type_on_either_worker(
    tg: TwoTelegram,
) -> None:
    """No draft waiting: «👍» at the prompt says what to type and how to leave (not «رقم
    الطلب يتكون من 10 أرقام»), it is not counted as a miss, and the prompt still takes a
    number; each message to the other worker."""
    await tg.says(0, "/start")
    assert PROMPT in await tg.says(1, "/status")  # nothing filed from this chat: the prompt
    for worker, symbol in ((0, "👍"), (1, "🙏")):
        said = await tg.says(worker, symbol)
        assert TEN_DIGITS not in said and SAYS_WHAT in said and "«إلغاء»" in said, said
        assert "resume" not in tg.buttons()
    said = await tg.says(0, "12345")  # the first real miss
    assert TEN_DIGITS in said, said
    said = await tg.says(1, "إلغاء")  # the way out it named
    assert PROMPT not in said, said
    state = await tg.services[0].engine.store.load("telegram", str(SALEM.id))
    assert state.flow != "status", state.flow


async def test_telegram_an_emoji_at_the_list_says_to_choose_on_either_worker(
    tg: TwoTelegram,
) -> None:
    for key in ("emoji-1", "emoji-2"):
        await tg.services[0].gateway.submit(submission(key, user_key=str(SALEM.id)))
    await tg.says(1, "/start")
    said = await tg.says(0, "/status")
    assert "طلباتك" in said, said
    said = await tg.says(1, "👍")
    assert TEN_DIGITS not in said and "اختيار أحد طلباتك" in said and "«إلغاء»" in said, said
    assert [b for b in tg.buttons() if b.startswith("r:")][:2], tg.buttons()
