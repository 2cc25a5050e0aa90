"""Blocking from the staff group across two workers (issue 14): ``/block`` and ``/unblock``
are for officers, explain their use, name a wrong check digit plainly and read a number
typed in groups or in Arabic-Indic digits; the card's «⛔» asks for the reason, and the
card drawn after a block says so. The harness is tests/integration/abuse_two.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Block, Request
from bot.db.requests_repo import select_requests, to_record, with_related
from bot.staff.cards import CardRenderer
from bot.staff.views import StaffViews
from domain.catalogue import load_catalogue
from tests.integration.abuse_two import (
    OFFICER,
    PERSON,
    STAFF_CHAT,
    STRANGER,
    Two,
    _two,
)
from tests.integration.test_db_requests import submission


@pytest.fixture
async def two(
    redis_url: str,
    redis_client: Redis,  # flushes the database first
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> AsyncIterator[Two]:
    async for harness in _two(redis_url, db_sessionmaker, tmp_path):
        yield harness


async def test_block_commands_are_for_officers_and_explain_their_use(two: Two) -> None:
    number = (await two.filing.submit(submission(user_key=str(PERSON.id)))).number
    # a non-officer is answered politely on either worker, as the buttons answer, with
    # nothing about the request (tester 12, §20: no answer at all, only a log line)
    refused = "أوامر الموظفين متاحة للموظفين المخوّلين في المديرية فقط."
    assert await two.staff(0, f"/block {number} سبب", user=STRANGER) == refused
    assert await two.staff(1, f"/unblock {number}", user=STRANGER) == refused
    assert await two.staff(1, f"/find {number}", user=STRANGER) == refused
    assert await two.count(Block) == 0
    assert "يُرجى كتابة رقم الطلب والسبب" in await two.staff(0, f"/block {number}")
    assert "يُرجى كتابة رقم الطلب والسبب" in await two.staff(0, "/block 123 سبب")
    assert "لا يوجد طلب بالرقم" in await two.staff(1, "/block 4512345671 سبب")
    assert await two.count(Block) == 0
    # a nod or an emoji is no reason, as in reply to «⛔»'s prompt (typed_words; the
    # notes of session 11: «/block N 👍» blocked the person with «👍» as the reason)
    for nod in ("👍", "٣", "x"):
        said = await two.staff(1, f"/block {number} {nod}")
        assert said == "يُرجى كتابة السبب بالكلمات.", said
    assert await two.count(Block) == 0


async def test_a_wrong_check_digit_is_named_plainly_by_block_and_unblock(two: Two) -> None:
    # Found by the review of session 10: a number whose last digit (the check digit) is
    # wrong got the usage line («… the request number after /block»), as if none was typed
    number = (await two.filing.submit(submission(user_key=str(PERSON.id)))).number
    typo = number[:-1] + str((int(number[-1]) + 1) % 10)
    said = await two.staff(0, f"/block {typo} رسائل مسيئة")
    assert said == (
        f"الرقم «{typo}» ليس رقم طلب صحيحًا: رقمه الأخير (رقم التحقق) لا يطابق بقية الأرقام. "
        "يُرجى التحقق منه."
    )
    assert "رقم التحقق" in await two.staff(1, f"/unblock {typo}")
    # an iqama (2…) or a citizen's number (1…) with a wrong check digit, on either worker
    for command, worker in (("/block 2000000007 سبب", 0), ("/unblock 1000000009", 1)):
        said = await two.staff(worker, command)
        assert said.startswith("الرقم «") and "ليس رقم هوية أو إقامة أو حدود صحيحًا" in said
        assert "رقمه الأخير (رقم التحقق) لا يطابق" in said and "برقم الطلب" in said
    # a valid iqama or border number is not a request number: /find lists theirs
    said = await two.staff(1, "/block 2000000006 سبب")
    assert "رقم هوية أو منشأة، وليس رقم طلب" in said and "/find 2000000006" in said
    assert "وليس رقم طلب" in await two.staff(0, "/unblock 3000000000")
    assert "/find 7001234567" in await two.staff(1, "/block 7001234567 سبب")
    # a mobile number is no identity number: the usage line, not «رقم هوية أو منشأة»
    # (review 10, item 8)
    said = await two.staff(0, "/block 0551234567 سبب")
    assert "يُرجى كتابة رقم الطلب والسبب" in said and "رقم هوية" not in said
    said = await two.staff(1, "/unblock 0551234567")
    assert "/unblock 4512345671" in said and "رقم هوية" not in said
    assert await two.count(Block) == 0
    # the right number still blocks
    assert "حُظِر صاحب الطلب" in await two.staff(0, f"/block {number} رسائل مسيئة")


async def test_the_cards_block_button_asks_for_the_reason(two: Two) -> None:
    number = (await two.filing.submit(submission(user_key=str(PERSON.id)))).number
    card_data = f"st:bl:{number}:1"
    await two.bot.send_message(STAFF_CHAT, "🆕 card")
    card = two.api.last_message(STAFF_CHAT)
    assert card is not None
    await two.feed(0, two.updates.callback(STRANGER, card_data, message=card))
    assert await two.count(Block) == 0  # not an officer
    await two.feed(0, two.updates.callback(OFFICER, card_data, message=card))
    prompt = two.api.last_message(STAFF_CHAT)
    assert prompt is not None and "يُرجى كتابة سبب حظر صاحب الطلب" in prompt["text"]
    assert two.api.calls_for(STAFF_CHAT, "sendMessage")[-1].params["reply_markup"]["force_reply"]
    # the reply reaches the other worker: the prompt lives in Redis
    await two.feed(1, two.updates.group_text(OFFICER, STAFF_CHAT, "شتائم", reply_to=prompt))
    async with two.sessions() as session:
        [row] = list(await session.scalars(select(Block)))
    assert row.reason == "شتائم"
    assert "لن تُعالَج رسائله" in (two.api.last_message(STAFF_CHAT) or {})["text"]
    # a second press says it is done already
    await two.feed(1, two.updates.callback(OFFICER, card_data, message=card))
    alert = [c for c in two.api.calls if c.method == "answerCallbackQuery"][-1]
    assert "محظور من قبل" in alert.params["text"]
    assert (await two.says(0, PERSON, "مرحبا"))[0].startswith("نعتذر")


async def test_the_card_drawn_after_a_block_says_so_on_either_worker(two: Two) -> None:
    # The tester's report of session 12 (§16): after /block, the card drawn later (by any
    # worker's outbox, from the shared database) had no word of the block and still
    # offered «⛔ حظر صاحب الطلب».
    number = (await two.filing.submit(submission(user_key=str(PERSON.id)))).number
    cards = CardRenderer(StaffViews(load_catalogue(), locale="ar"))

    async def card() -> tuple[str, list[str]]:
        async with two.sessions() as session:
            request = await session.scalar(select_requests().where(Request.number == number))
            assert request is not None
            [record] = await with_related(session, [to_record(request)])
        drawn = cards.card(record, today=dt.date(2026, 12, 1))
        return drawn.html, [b.data for row in drawn.buttons for b in row]

    html, buttons = await card()
    assert "محظور" not in html and any(d.startswith("st:bl:") for d in buttons)
    await two.staff(0, f"/block {number} رسائل <b>مزعجة</b>")
    html, buttons = await card()
    assert "صاحب الطلب محظور بقرار من نورة العتيبي" in html
    assert "رسائل &lt;b&gt;مزعجة&lt;/b&gt;" in html and f"/unblock {number}" in html
    assert not any(d.startswith("st:bl:") for d in buttons)
    await two.staff(1, f"/unblock {number}")
    html, buttons = await card()
    assert "محظور" not in html and any(d.startswith("st:bl:") for d in buttons)


async def test_block_reads_a_number_typed_in_groups_or_in_arabic_digits(two: Two) -> None:
    """Found by review 11 (item 3): /block read only its first word as the number, so
    «/block 4512 345 670 سبب» or a number in Arabic-Indic digits got the usage line. The
    number is read as /rate reads it: in any digits, in groups or with dashes, the words
    after it the reason."""
    number = (await two.filing.submit(submission(user_key=str(PERSON.id)))).number
    grouped = f"{number[:4]} {number[4:7]} {number[7:]}"
    arabic = grouped.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    said = await two.staff(0, f"/block {arabic} رسائل مسيئة متكررة")
    assert "حُظِر صاحب الطلب" in said and "يُرجى كتابة" not in said
    async with two.sessions() as session:
        [row] = list(await session.scalars(select(Block)))
    assert row.request_number == number and row.reason == "رسائل مسيئة متكررة"
    dashed = f"{number[:4]}-{number[4:7]}-{number[7:]}"
    said = await two.staff(1, f"/unblock {dashed}")
    assert "رُفِع الحظر عن صاحب الطلب" in said
    said = await two.staff(0, f"/block {grouped} احتيال")
    assert "حُظِر صاحب الطلب" in said
    # a number split wrongly still names its check digit, and words alone the usage
    typo = number[:-1] + str((int(number[-1]) + 1) % 10)
    said = await two.staff(1, f"/unblock {typo[:5]} {typo[5:]}")
    assert "رقم التحقق" in said
    assert "يُرجى كتابة رقم الطلب" in await two.staff(0, f"/block {grouped}")
