"""One rule for acting on another officer's request, at every door: taking, asking,
accepting, rejecting, undoing, reopening or answering a reconsideration of a request
another officer has is refused unless it is taken over on purpose (``/takeover`` in the
staff group, ``over=True`` at the desk, ``--over`` at the terminal); a take-over is in the
audit trail and the first officer is told under the card.

Two officers through the real staff router (aiogram, the Bot API stand-in, a real Redis,
SQLite and PostgreSQL), and the desk itself for every decision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot.db.models import OutboxMessage
from domain.status import RequestStatus
from officers.failures import AlreadyTaken
from officers.officer import Officer
from tests.integration.test_staff_router import (
    COLLEAGUE,
    GRACE_S,
    OFFICER,
    STAFF_CHAT,
    TOPIC,
    Harness,
    _prompt,
    ask_typed,
    h,
)
from tests.integration.test_their_say import _notice_sent

__all__ = ["h"]  # the fixture

NOURA = Officer(OFFICER.id, "نورة العتيبي")
FAHD = Officer(COLLEAGUE.id, "فهد")


def _alerts(h: Harness) -> list[str]:
    return [c.params.get("text", "") for c in h.answers()]


async def _words(h: Harness) -> list[str]:
    """The words to officers queued under the cards (take-overs, answers)."""
    async with h.sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == "staff_text")
            .order_by(OutboxMessage.id)
        )
        return [str(r.payload["html"]) for r in rows]


async def _takeover(h: Harness, number: str) -> None:
    await h.feed(
        h.updates.group_text(COLLEAGUE, STAFF_CHAT, f"/takeover {number}", thread_id=TOPIC)
    )


# ---- the staff group ----------------------------------------------------------------------


async def test_a_colleague_cannot_decide_a_request_someone_has_without_taking_it_over(
    h: Harness,
) -> None:
    number = await h.file()
    card = await h.card(number)
    await h.press(OFFICER, "take", card)
    card = await h.card(number)

    # accept, reject and ask are refused alike, with who has it and how to take it over;
    # no menu is offered, nothing changes
    for action in ("ok", "no", "ask"):
        await h.press(COLLEAGUE, action, card)
        assert "نورة العتيبي" in _alerts(h)[-1] and f"/takeover {number}" in _alerts(h)[-1]
    assert not h.sent()
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.UNDER_REVIEW
    assert record.assigned_name == "نورة العتيبي" and len(record.events) == 2

    # taken over on purpose: audited, the first officer told, then the colleague decides
    await _takeover(h, number)
    [word] = await _words(h)
    assert f'href="tg://user?id={OFFICER.id}"' in word and "فهد" in word
    await h.press(COLLEAGUE, "no", card)  # the card's buttons still apply: his own take
    await h.press(COLLEAGUE, "nr:0", h.api.last_message(STAFF_CHAT) or {})
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.REJECTED
    assert record.assigned_name == "فهد"
    took_over = record.events[2]
    assert took_over.actor == f"officer:{COLLEAGUE.id}:فهد"
    assert took_over.from_status is took_over.to_status is RequestStatus.UNDER_REVIEW
    assert took_over.reason == "نورة العتيبي"
    assert record.events[3].to_status is RequestStatus.REJECTED


async def test_a_decided_request_is_undone_by_another_officer_only_after_a_takeover(
    h: Harness,
) -> None:
    number = await h.file()
    await h.desk.take(number, NOURA)
    await h.desk.accept(number, NOURA)  # within the grace: it can still be undone
    card = await h.card(number)

    await h.press(COLLEAGUE, "re", card)
    assert "نورة العتيبي" in _alerts(h)[-1] and "/takeover" in _alerts(h)[-1]
    assert await h.status(number) is RequestStatus.ACCEPTED

    # a decided request can be taken over (to undo, reopen or answer the person)
    await _takeover(h, number)
    assert "نورة العتيبي" in h.sent()[-1].params["text"]
    await h.press(COLLEAGUE, "re", card)
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.UNDER_REVIEW
    assert record.assigned_name == "فهد"
    assert len(await _words(h)) == 1


async def test_a_typed_answer_is_refused_once_the_request_was_taken_over(h: Harness) -> None:
    number = await h.file()
    card = await h.card(number)
    await h.press(OFFICER, "take", card)
    await ask_typed(h, OFFICER, await h.card(number))
    prompt = _prompt(h)
    await _takeover(h, number)  # meanwhile, the colleague takes it over
    await h.feed(
        h.updates.group_text(
            OFFICER, STAFF_CHAT, "أرسل صورة الجواز", reply_to=prompt, thread_id=TOPIC
        )
    )
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.UNDER_REVIEW
    assert record.pending_question is None and record.assigned_name == "فهد"
    # refused: the prompt is out of date, and the request is فهد's now
    said = h.sent()[-1].params["text"]
    assert "فهد" in said and "هذا الزر قديم" in said


# ---- the desk: every decision, the same rule --------------------------------------------


async def _rejected_with_reconsideration(h: Harness, number: str) -> None:
    await h.desk.reject(number, NOURA, "المستندات ناقصة")
    # a reconsideration is asked for once the person has been told of the rejection
    h.clock.now += dt.timedelta(seconds=GRACE_S + 1)
    await _notice_sent(h.sessions, number)  # the outbox told them
    await h.desk.reconsider(number, "telegram", "1001", "أرفقت المستندات")


DECISIONS: dict[str, tuple[Callable[[Harness, str], Awaitable[Any]] | None, Any]] = {
    # name: (how the request is prepared after نورة took it, what فهد does)
    "ask": (None, lambda d, n, **o: d.ask(n, FAHD, "ما رقم الجواز؟", **o)),
    "accept": (None, lambda d, n, **o: d.accept(n, FAHD, "تم", **o)),
    "reject": (None, lambda d, n, **o: d.reject(n, FAHD, "ناقص", **o)),
    "undo": (lambda h, n: h.desk.accept(n, NOURA), lambda d, n, **o: d.undo(n, FAHD, **o)),
    "reopen": (
        lambda h, n: h.desk.accept(n, NOURA),
        lambda d, n, **o: d.reopen(n, FAHD, "معلومة جديدة", **o),
    ),
    "keep": (_rejected_with_reconsideration, lambda d, n, **o: d.keep_rejected(n, FAHD, **o)),
    "reopen_on_request": (
        _rejected_with_reconsideration,
        lambda d, n, **o: d.reopen_on_request(n, FAHD, **o),
    ),
}


@pytest.mark.parametrize("decision", list(DECISIONS))
async def test_every_decision_on_another_officers_request_needs_over(
    h: Harness, decision: str
) -> None:
    prepare, act = DECISIONS[decision]
    number = await h.file(user_key="1001")
    await h.desk.take(number, NOURA)
    if prepare is not None:
        await prepare(h, number)
    before = await h.desk.find(number)
    assert before is not None
    words = await _words(h)  # a reconsideration is announced under the card

    with pytest.raises(AlreadyTaken) as refused:
        await act(h.desk, number)
    assert refused.value.name == "نورة العتيبي"
    after = await h.desk.find(number)
    assert after is not None and after.events == before.events
    assert after.status is before.status and after.assigned_name == "نورة العتيبي"
    assert await _words(h) == words

    await act(h.desk, number, over=True)
    after = await h.desk.find(number)
    assert after is not None and after.assigned_name == "فهد"
    took_over = after.events[len(before.events)]
    assert took_over.actor == f"officer:{COLLEAGUE.id}:فهد"
    assert took_over.from_status is took_over.to_status is before.status
    assert took_over.reason == "نورة العتيبي"
    [word] = (await _words(h))[len(words) :]
    assert f'href="tg://user?id={OFFICER.id}"' in word and "فهد" in word


async def test_a_request_nobody_has_needs_no_override(h: Harness) -> None:
    number = await h.file()
    record = await h.desk.reject(number, FAHD, "ناقص")
    assert record.assigned_name == "فهد" and record.status is RequestStatus.REJECTED
    assert await _words(h) == []
