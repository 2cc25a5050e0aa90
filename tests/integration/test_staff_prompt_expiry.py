"""An officer's prompt or menu nobody answered within its 24 hours is closed: the bot's
lines under it go, a proposal made from it goes, and it says it expired and which button
of the card starts again.

Session 13's notes: the lines under a prompt (re-asks, «this prompt is for…») were
deleted when the prompt was done with, but stayed when it expired, and the prompt itself
looked live though a reply to it did nothing. The deadline is Redis's clock; the sweep is
given «now» (the injected clock) a day ahead rather than waited for. Through the real
router, the Bot API stand-in, Redis, SQLite and PostgreSQL (the harness of
test_staff_router); two workers are two dispatchers on one Redis and database, and each
sweeps.
"""

from __future__ import annotations

import json
from pathlib import Path

from aiogram import Dispatcher
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from bot.staff.desk import StaffDesk
from bot.staff.router import StaffHandlers, staff_into
from domain.catalogue import load_catalogue
from domain.status import RequestStatus
from tests.integration.test_staff_menu_replies import REASON, _deleted, _feed, _proposal
from tests.integration.test_staff_router import (
    COLLEAGUE,
    GRACE_S,
    OFFICER,
    STAFF_CHAT,
    TOPIC,
    Harness,
    _buttons,
    h,
)

__all__ = ["h"]  # the fixture

DAY_MS = 24 * 3600 * 1000
MENU_EXPIRED = (
    "⌛ انتهت مهلة هذه القائمة (تبقى القائمة 24 ساعة)، فلم يُرسَل شيء. "
    "وللمتابعة يُضغط «❌ رفض» في بطاقة الطلب من جديد."
)
PROMPT_EXPIRED = (
    "⌛ انتهت مهلة هذه الرسالة (تنتظر الرسالة الرد 24 ساعة)، فلم يُرسَل شيء. "
    "وللمتابعة يُضغط «{button}» في بطاقة الطلب من جديد."
)


def _worker(
    h: Harness,
    redis: Redis,
    sessions: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> tuple[Dispatcher, StaffHandlers]:
    """Another worker, as ``tawasul run`` wires it: its router and its sweeper."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        staff_chat_id=STAFF_CHAT,
        officer_ids="",
        data_dir=tmp_path,
    )
    desk = StaffDesk(sessions, load_catalogue(), clock=h.clock, decision_grace_s=GRACE_S)
    dp = Dispatcher()
    return dp, staff_into(dp, desk, settings, redis, lambda: None, clock=h.clock)


async def _redis_ms(redis: Redis) -> int:
    seconds, micro = await redis.time()
    return int(seconds) * 1000 + int(micro) // 1000


def _edits(h: Harness) -> dict[int, str]:
    """The last text each of the bot's messages was edited to, by message id."""
    return {
        c.params["message_id"]: c.params["text"]
        for c in h.api.calls_for(STAFF_CHAT, "editMessageText")
    }


async def test_an_expired_menu_and_prompt_are_closed_with_their_lines_once_across_workers(
    h: Harness,
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    one, one_sweeps = _worker(h, redis_client, db_sessionmaker, tmp_path)
    two, two_sweeps = _worker(h, redis_client, db_sessionmaker, tmp_path)
    # request A: the reasons menu, a colleague's reply under it, the officer's reply to it
    # (a proposal, never sent)
    a = await h.file("a")
    await h.press(OFFICER, "no", await h.card(a))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    await _feed(
        h,
        one,
        h.updates.group_text(COLLEAGUE, STAFF_CHAT, "انتظري", reply_to=menu, thread_id=TOPIC),
    )
    for_whom = h.api.last_message(STAFF_CHAT)
    assert for_whom is not None and "موجّهة" in for_whom["text"]
    await _feed(
        h, two, h.updates.group_text(OFFICER, STAFF_CHAT, REASON, reply_to=menu, thread_id=TOPIC)
    )
    proposal = _proposal(h)
    # request B: «⛔»'s typed prompt, and a re-ask under it
    b = await h.file("b")
    await h.press(OFFICER, "bl", await h.card(b))
    prompt = h.api.last_message(STAFF_CHAT)
    assert prompt is not None and "حظر" in prompt["text"]
    await _feed(
        h, one, h.updates.group_text(OFFICER, STAFF_CHAT, "👍", reply_to=prompt, thread_id=TOPIC)
    )
    reask = h.api.last_message(STAFF_CHAT)
    assert reask is not None and reask["message_id"] != prompt["message_id"]
    # request C: a typed prompt answered in time is left as its confirmation
    c = await h.file("c")
    await h.press(OFFICER, "no", await h.card(c))
    c_menu = h.api.last_message(STAFF_CHAT)
    assert c_menu is not None
    await h.press(OFFICER, "nr:other", c_menu)
    c_prompt = h.api.last_message(STAFF_CHAT)
    assert c_prompt is not None
    await _feed(
        h,
        two,
        h.updates.group_text(OFFICER, STAFF_CHAT, REASON, reply_to=c_prompt, thread_id=TOPIC),
    )
    assert await h.status(c) is RequestStatus.REJECTED
    confirmed = _edits(h)[c_prompt["message_id"]]

    # a minute before the deadline nothing is closed
    now = await _redis_ms(redis_client)
    assert await one_sweeps.sweep_expired(h.bot, now_ms=now + DAY_MS - 60_000) == 0
    assert not {for_whom["message_id"], reask["message_id"]} & set(_deleted(h))

    # a day later, both workers sweep: each prompt is closed once
    later = now + DAY_MS + 1_000
    closed = [await w.sweep_expired(h.bot, now_ms=later) for w in (one_sweeps, two_sweeps)]
    assert sorted(closed) == [0, 2]
    gone = set(_deleted(h))
    assert {for_whom["message_id"], reask["message_id"], proposal["message_id"]} <= gone
    edits = _edits(h)
    assert edits[menu["message_id"]] == MENU_EXPIRED
    assert edits[prompt["message_id"]] == PROMPT_EXPIRED.format(button="⛔ حظر صاحب الطلب")
    assert edits[c_prompt["message_id"]] == confirmed  # answered: not called expired
    assert not [
        call
        for call in h.api.calls_for(STAFF_CHAT, "editMessageText")
        if call.params["message_id"] in (menu["message_id"], prompt["message_id"])
        and call.params.get("reply_markup")
    ]  # the menu's buttons are gone
    # nothing was decided or blocked by any of it; a later reply to the prompt does nothing
    assert await h.status(a) is RequestStatus.RECEIVED
    sent = len(h.sent())
    await _feed(
        h, one, h.updates.group_text(OFFICER, STAFF_CHAT, REASON, reply_to=prompt, thread_id=TOPIC)
    )
    assert len(h.sent()) == sent
    # the proposal's «إرسال الرفض», pressed later, sends nothing
    await _feed(h, two, h.updates.callback(OFFICER, _buttons(proposal)[0], message=proposal))
    assert await h.status(a) is RequestStatus.RECEIVED


async def test_a_reply_to_a_prompt_past_its_deadline_is_told_it_expired(
    h: Harness,
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    """Before any sweep came by (none runs in this test), the reply itself closes it."""
    one, _sweeps = _worker(h, redis_client, db_sessionmaker, tmp_path)
    number = await h.file()
    await h.press(OFFICER, "ask", await h.card(number))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    await h.press(OFFICER, "nq:other", menu)  # a question of one's own: a typed prompt
    prompt = h.api.last_message(STAFF_CHAT)
    assert prompt is not None
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, "👍", reply_to=prompt, thread_id=TOPIC))
    reask = h.api.last_message(STAFF_CHAT)
    assert reask is not None
    # its deadline passed (the day is moved, not waited for)
    key = f"tawasul:staff:prompt:{STAFF_CHAT}:{prompt['message_id']}"
    record = json.loads(await redis_client.get(key) or b"{}")
    record["until_ms"] = await _redis_ms(redis_client) - 1
    await redis_client.set(key, json.dumps(record), keepttl=True)
    question = "هل يمكن إرسال صورة أوضح للجواز من فضلك؟"
    await _feed(
        h, one, h.updates.group_text(OFFICER, STAFF_CHAT, question, reply_to=reask, thread_id=TOPIC)
    )
    expired = PROMPT_EXPIRED.format(button="❓ طلب معلومات")
    assert h.api.last_message(STAFF_CHAT)["text"] == expired.removeprefix("⌛ ")  # type: ignore[index]
    assert _edits(h)[prompt["message_id"]] == expired
    assert reask["message_id"] in _deleted(h)
    assert await h.status(number) is RequestStatus.RECEIVED  # the question was not sent


async def test_a_prompt_whose_request_a_colleague_decided_meanwhile_is_closed(
    h: Harness,
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    """Session 14's brief: the reasons menu stayed, live-looking, under a request a
    colleague had accepted meanwhile; only a reply to it told the officer. The sweep
    closes it, on whichever worker sweeps; a prompt whose request did not move stays."""
    one, one_sweeps = _worker(h, redis_client, db_sessionmaker, tmp_path)
    _two, two_sweeps = _worker(h, redis_client, db_sessionmaker, tmp_path)
    decided = await h.file("a")
    card = await h.card(decided)
    await h.press(OFFICER, "no", card)
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    await _feed(
        h,
        one,
        h.updates.group_text(COLLEAGUE, STAFF_CHAT, "انتظري", reply_to=menu, thread_id=TOPIC),
    )
    for_whom = h.api.last_message(STAFF_CHAT)
    assert for_whom is not None
    untouched = await h.file("b")
    await h.press(OFFICER, "no", await h.card(untouched))
    other_menu = h.api.last_message(STAFF_CHAT)
    assert other_menu is not None
    assert await one_sweeps.sweep_expired(h.bot) == 0  # nothing moved yet
    # the colleague accepts the first request on the other worker (✅ twice: nobody
    # reviewed it)
    for _press in range(2):
        await _feed(h, one, h.updates.callback(COLLEAGUE, h.data("ok", card), message=card))
    assert await h.status(decided) is RequestStatus.ACCEPTED
    closed = [await w.sweep_expired(h.bot) for w in (two_sweeps, one_sweeps)]
    assert sorted(closed) == [0, 1]
    shown = _edits(h)[menu["message_id"]]
    assert shown == f"↩️ حالة الطلب رقم {decided} «مقبول»، ولا يمكن تنفيذ هذا الإجراء الآن.", shown
    assert for_whom["message_id"] in _deleted(h)
    assert other_menu["message_id"] not in _edits(h)  # its request did not move: it waits
    # a colleague takes a third request while its question menu waits for the officer
    taken = await h.file("c")
    taken_card = await h.card(taken)
    await h.press(OFFICER, "ask", taken_card)
    ask_menu = h.api.last_message(STAFF_CHAT)
    assert ask_menu is not None
    await _feed(
        h, one, h.updates.callback(COLLEAGUE, h.data("take", taken_card), message=taken_card)
    )
    assert await two_sweeps.sweep_expired(h.bot) == 1
    shown = _edits(h)[ask_menu["message_id"]]
    assert shown.startswith(
        f"↩️ تغيّر الطلب رقم {taken} في أثناء انتظار هذه الرسالة، فلم يُرسَل شيء."
    ), shown
    assert "فهد" in shown  # what the card now says: who has it


async def test_a_shorter_wait_is_the_one_said(
    h: Harness,
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    """Review 14 §6: the expired text said «24 hours» whatever the handler's
    ``prompt_ttl_s``. A worker whose prompts wait two hours closes its menu after two
    hours and says so («تبقى القائمة ساعتين»), on the other worker's sweep too."""
    one, one_sweeps = _worker(h, redis_client, db_sessionmaker, tmp_path)
    _two, two_sweeps = _worker(h, redis_client, db_sessionmaker, tmp_path)
    one_sweeps.prompt_ttl_s = 2 * 3600
    number = await h.file()
    card = await h.card(number)
    await _feed(h, one, h.updates.callback(OFFICER, h.data("no", card), message=card))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None and _buttons(menu)
    now = await _redis_ms(redis_client)
    assert await two_sweeps.sweep_expired(h.bot, now_ms=now + 2 * 3600_000 - 60_000) == 0
    assert await two_sweeps.sweep_expired(h.bot, now_ms=now + 2 * 3600_000 + 1_000) == 1
    assert _edits(h)[menu["message_id"]] == MENU_EXPIRED.replace("24 ساعة", "ساعتين")
