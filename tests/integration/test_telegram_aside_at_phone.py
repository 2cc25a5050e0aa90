"""Tester 10b, item 8: on Telegram, «/status», «/note» or «/reconsider N» typed at the
phone step (the share-my-number keyboard on screen) was answered with a bare «حسنًا.» of
its own, there only to take the keyboard away, before «اكتب رقم الطلب…» or the refusal.
Now the answer is one: a line saying the draft is kept carries the removal, the question
keeps its buttons, and the draft comes back after. Two webhook workers on one Redis and
database, the Bot API stand-in giving the real update shapes."""

from __future__ import annotations

from typing import Any

from domain.normalize import clean_input
from standins.telegram_updates import TgUser
from tests.integration.test_db_requests import submission
from tests.integration.test_telegram_webhook import Harness, Worker, h
from tests.integration.test_their_say import OFFICER

__all__ = ["h"]

KEPT = "طلبك الذي بدأت تعبئته محفوظ، وسنعود إليه بعد ذلك."
REMOVE = {"remove_keyboard": True}


async def _sent(w: Worker, h: Harness, user: TgUser, raw: dict[str, Any]) -> list[dict[str, Any]]:
    """The messages the person got for one update posted to worker ``w``."""
    before = len(h.api.calls_for(user.id, "sendMessage"))
    assert (await w.post(raw)).status == 200
    await w.settle()
    return [c.params for c in h.api.calls_for(user.id, "sendMessage")[before:]]


async def _at_phone_step(h: Harness, w: Worker, user: TgUser) -> None:
    for raw in (
        h.updates.text(user, "/start"),
        h.updates.callback(user, "ind"),
        h.updates.text(user, "ابي اجدد اقامتي"),
        h.updates.callback(user, "s:iqama_renew"),
        h.updates.callback(user, "q:inside"),
        h.updates.text(user, "2000000006"),
    ):
        await _sent(w, h, user, raw)
    asked = h.api.calls_for(user.id, "sendMessage")[-1].params["reply_markup"]
    assert any(b.get("request_contact") for row in asked["keyboard"] for b in row)


def _one_answer(sent: list[dict[str, Any]], question: str) -> None:
    texts = [clean_input(p["text"]) for p in sent]
    assert "حسنًا." not in texts, texts
    removals = [clean_input(p["text"]) for p in sent if p.get("reply_markup") == REMOVE]
    assert removals == [KEPT], texts  # the keyboard taken away by words that say something
    assert question in texts[-1] and "inline_keyboard" in sent[-1]["reply_markup"], texts


async def test_status_at_the_phone_step_is_one_answer_and_the_draft_comes_back(
    h: Harness,
) -> None:
    user = TgUser(5_400_000_201, "سلمى")
    a, b = await h.worker(), await h.worker()
    await _at_phone_step(h, a, user)
    sent = await _sent(b, h, user, h.updates.text(user, "/status"))
    _one_answer(sent, "كتابة رقم الطلب")
    # «رجوع» leaves the look-up: the draft is back at its phone step, on the other worker
    sent = await _sent(a, h, user, h.updates.text(user, "إلغاء"))
    assert "مشاركة رقم جوالك" in clean_input(sent[-1]["text"]), sent


async def test_note_and_reconsider_at_the_phone_step_are_one_answer(h: Harness) -> None:
    user = TgUser(5_400_000_202, "منى")
    filed = await h.services.gateway.submit(submission(user_key=str(user.id)))
    await h.services.desk.take(filed.number, OFFICER)
    a, b = await h.worker(), await h.worker()
    await _at_phone_step(h, a, user)
    sent = await _sent(b, h, user, h.updates.text(user, "/note"))
    _one_answer(sent, "يُرجى كتابة ملاحظتك")
    sent = await _sent(a, h, user, h.updates.text(user, "إلغاء"))
    assert "مشاركة رقم جوالك" in clean_input(sent[-1]["text"]), sent
    # a reconsideration of a request still open: the refusal's own lines carry the removal
    sent = await _sent(b, h, user, h.updates.text(user, f"/reconsider {filed.number}"))
    texts = [clean_input(p["text"]) for p in sent]
    assert "حسنًا." not in texts, texts
    removal = [clean_input(p["text"]) for p in sent if p.get("reply_markup") == REMOVE]
    assert len(removal) == 1 and "لا يمكن طلب إعادة النظر إلا في طلب مرفوض" in removal[0], texts
    assert "inline_keyboard" in sent[-1]["reply_markup"], texts
