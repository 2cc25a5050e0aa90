"""The bot's lines under an officer's prompt or menu: whose buttons a proposal's are, a reply
to «this prompt is for the officer who pressed», the re-asks going when the exchange is
over, and «Cancel» under a typed prompt's proposal.

Tester 12 (§20) and session 12's notes: a colleague pressing «إرسال السؤال» on another
officer's proposal read «هذه الرسالة موجّهة…» (it is a button); the right officer's reply
to that line was dropped without a word; re-asks stayed in the group after the reason was
sent; «إلغاء» under a typed prompt's proposal spoke of «the menu above», which is not
there. Through the real router, the Bot API stand-in, Redis, SQLite and PostgreSQL (the
harness of test_staff_router); two workers are two dispatchers on one Redis and database.
"""

from __future__ import annotations

from pathlib import Path

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.status import RequestStatus
from tests.integration.test_staff_menu_replies import (
    REASON,
    _deleted,
    _feed,
    _proposal,
    _worker,
)
from tests.integration.test_staff_router import (
    COLLEAGUE,
    OFFICER,
    STAFF_CHAT,
    TOPIC,
    Harness,
    _buttons,
    h,
)

__all__ = ["h"]  # the fixture

FOR_WHOM = "هذه الرسالة موجّهة إلى الموظف الذي ضغط الزر."


async def test_a_colleague_is_told_the_buttons_are_not_theirs_and_a_reply_to_that_line_counts(
    h: Harness,
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    other = _worker(h, redis_client, db_sessionmaker, tmp_path)
    number = await h.file()
    await h.press(OFFICER, "no", await h.card(number))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    # a colleague's reply under the menu: told whose it is
    await h.feed(
        h.updates.group_text(COLLEAGUE, STAFF_CHAT, "انتظري", reply_to=menu, thread_id=TOPIC)
    )
    told = h.api.last_message(STAFF_CHAT)
    assert told is not None and told["text"] == FOR_WHOM
    # the officer answers that line (not the menu), on the other worker: it is the reply
    # to the menu, shown back for sending (it was dropped without a word)
    await _feed(
        h, other, h.updates.group_text(OFFICER, STAFF_CHAT, REASON, reply_to=told, thread_id=TOPIC)
    )
    proposal = _proposal(h)
    assert f"هل يُرفَض الطلب رقم {number} بهذا السبب؟" in proposal["text"]
    # the colleague presses «إرسال الرفض»: a button, said so
    await h.press(COLLEAGUE, _buttons(proposal)[0], proposal)
    said = h.answers()[-1].params
    assert said["text"] == "هذان الزرّان مخصّصان للموظف الذي كتب الرد.", said
    assert said["show_alert"] is True
    assert await h.status(number) is RequestStatus.RECEIVED
    # the officer sends it, on the other worker; the colleague's line goes with the menu
    await _feed(h, other, h.updates.callback(OFFICER, _buttons(proposal)[0], message=proposal))
    assert await h.status(number) is RequestStatus.REJECTED
    assert {menu["message_id"], told["message_id"]} <= set(_deleted(h))


async def test_re_asks_go_when_the_reason_is_sent_even_if_one_cannot_be_deleted(
    h: Harness,
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    other = _worker(h, redis_client, db_sessionmaker, tmp_path)
    number = await h.file()
    await h.press(OFFICER, "no", await h.card(number))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    await h.press(OFFICER, "nr:other", menu)  # «سبب آخر (اكتبه)»: a typed prompt
    prompt = h.api.last_message(STAFF_CHAT)
    assert prompt is not None
    reasks = []
    for worker, nod in ((None, "👍"), (other, "لا")):
        raw = h.updates.group_text(OFFICER, STAFF_CHAT, nod, reply_to=prompt, thread_id=TOPIC)
        await (h.feed(raw) if worker is None else _feed(h, worker, raw))
        reask = h.api.last_message(STAFF_CHAT)
        assert reask is not None and "يُرجى كتابة السبب" in reask["text"]
        reasks.append(reask["message_id"])
    assert not set(reasks) & set(_deleted(h))  # still waiting: they stay
    # one of them is too old for Telegram to delete: the others go all the same
    h.api.fail_next(
        "deleteMessage", error_code=400, description="Bad Request: message can't be deleted"
    )
    await _feed(
        h,
        other,
        h.updates.group_text(OFFICER, STAFF_CHAT, REASON, reply_to=prompt, thread_id=TOPIC),
    )
    assert await h.status(number) is RequestStatus.REJECTED
    tried = [c.params["message_id"] for c in h.api.calls if c.method == "deleteMessage"]
    assert set(reasks) <= set(tried)
    # the prompt became the confirmation
    edit = h.api.calls_for(STAFF_CHAT, "editMessageText")[-1]
    assert edit.params["message_id"] == prompt["message_id"]

    # a menu cancelled takes its re-asks with it
    second = await h.file("draft-2")
    await h.press(OFFICER, "no", await h.card(second))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, "👍", reply_to=menu, thread_id=TOPIC))
    reask = h.api.last_message(STAFF_CHAT)
    assert reask is not None and reask["message_id"] != menu["message_id"]
    await _feed(h, other, h.updates.callback(OFFICER, h.data("nr:cancel", menu), message=menu))
    assert reask["message_id"] in _deleted(h)


async def test_cancel_under_a_typed_prompts_proposal_names_no_menu(h: Harness) -> None:
    number = await h.file()
    await h.press(OFFICER, "no", await h.card(number))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    await h.press(OFFICER, "nr:other", menu)
    prompt = h.api.last_message(STAFF_CHAT)
    assert prompt is not None
    english = "Passport copy is not clear, please submit again"
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, english, reply_to=prompt, thread_id=TOPIC)
    )
    proposal = _proposal(h)
    await h.press(OFFICER, _buttons(proposal)[1], proposal)  # «إلغاء»
    said = h.answers()[-1].params["text"]
    assert said == "لم يُرسَل شيء. ولا يزال بالإمكان كتابة السبب ردًّا على رسالتي التي تطلبه."
    assert "القائمة" not in said
    # and so it is: the reason, replied to the prompt, is taken
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, REASON, reply_to=prompt, thread_id=TOPIC)
    )
    assert await h.status(number) is RequestStatus.REJECTED
