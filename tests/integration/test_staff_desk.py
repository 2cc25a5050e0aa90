"""The staff desk's decisions on a real database (SQLite and PostgreSQL): legal paths only,
an audit row for every change, and the person's notification queued in the same
transaction."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import OutboxMessage
from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.ports import AttachmentInfo
from domain.catalogue import load_catalogue
from domain.status import IllegalTransition, RequestStatus
from officers.failures import (
    AlreadyTaken,
    MissingReason,
    NotTheOwner,
    RequestNotFound,
    StaleAction,
    TooLateToUndo,
)
from officers.officer import Officer
from tests.integration.test_db_requests import submission

OFFICER = Officer(7001, "نورة")
# Sunday 22 Nov 2026, 09:00 Riyadh
SUNDAY = dt.datetime(2026, 11, 22, 6, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(SUNDAY)


@pytest.fixture
def desk(db_sessionmaker: async_sessionmaker[AsyncSession], clock: Clock) -> StaffDesk:
    return StaffDesk(db_sessionmaker, load_catalogue(), clock=clock)


@pytest.fixture
def filing(db_sessionmaker: async_sessionmaker[AsyncSession], clock: Clock) -> SqlRequestGateway:
    return SqlRequestGateway(db_sessionmaker, clock=clock)


async def _outbox(sessions: async_sessionmaker[AsyncSession]) -> list[OutboxMessage]:
    async with sessions() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def test_filing_queues_the_staff_card_with_the_request(
    filing: SqlRequestGateway, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    filed = await filing.submit(submission())
    rows = await _outbox(db_sessionmaker)
    assert [(r.kind, r.channel, r.payload) for r in rows] == [
        ("staff_card", "staff", {"number": filed.number})
    ]


async def test_take_moves_to_review_and_tells_the_person(
    filing: SqlRequestGateway, desk: StaffDesk, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    filed = await filing.submit(submission())
    record = (await desk.take(filed.number, OFFICER)).record
    assert record.status is RequestStatus.UNDER_REVIEW
    assert record.assigned_name == "نورة"
    assert [(e.from_status, e.to_status, e.actor) for e in record.events][-1] == (
        RequestStatus.RECEIVED, RequestStatus.UNDER_REVIEW, "officer:7001:نورة",
    )  # fmt: skip
    notices = [r for r in await _outbox(db_sessionmaker) if r.kind == "notify"]
    assert len(notices) == 1
    assert notices[0].target == "5551001" and notices[0].channel == record.channel
    assert "قيد الدراسة" in notices[0].payload["replies"][0]["text"]
    # the card is refreshed once, not once per change
    cards = [r for r in await _outbox(db_sessionmaker) if r.kind == "staff_card"]
    assert len(cards) == 1


async def test_reject_needs_a_reason_and_final_states_stay_final(
    filing: SqlRequestGateway, desk: StaffDesk, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    filed = await filing.submit(submission())
    with pytest.raises(MissingReason):
        await desk.reject(filed.number, OFFICER, "   ")
    record = await desk.reject(filed.number, OFFICER, "المستندات غير مكتملة")
    assert record.status is RequestStatus.REJECTED
    assert record.decision_reason == "المستندات غير مكتملة"
    with pytest.raises(IllegalTransition):
        await desk.accept(filed.number, OFFICER)
    notice = [r for r in await _outbox(db_sessionmaker) if r.kind == "notify"][-1]
    text = notice.payload["replies"][0]["text"]
    assert "المستندات غير مكتملة" in text and "أبشر" in text  # reason and the branch route
    reopened = await desk.reopen(filed.number, OFFICER, "راجعنا المستندات مرة أخرى")
    assert reopened.status is RequestStatus.UNDER_REVIEW
    accepted = await desk.accept(filed.number, OFFICER)
    assert accepted.status is RequestStatus.ACCEPTED
    assert [e.to_status for e in accepted.events] == [
        RequestStatus.RECEIVED, RequestStatus.REJECTED, RequestStatus.UNDER_REVIEW,
        RequestStatus.ACCEPTED,
    ]  # fmt: skip


async def test_unknown_number_is_not_found(desk: StaffDesk) -> None:
    with pytest.raises(RequestNotFound):
        await desk.take("5000000009", OFFICER)


async def test_waiting_for_the_person_pauses_the_clock(
    filing: SqlRequestGateway, desk: StaffDesk, clock: Clock,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:  # fmt: skip
    filed = await filing.submit(submission())
    assert filed.due_date == dt.date(2026, 12, 1)  # 7 working days after Sunday
    asked = await desk.ask(filed.number, OFFICER, "أرفق صورة الجواز من فضلك")
    assert asked.status is RequestStatus.NEEDS_INFO
    assert asked.pending_question == "أرفق صورة الجواز من فضلك"
    notice = [r for r in await _outbox(db_sessionmaker) if r.kind == "notify"][-1]
    assert "أرفق صورة الجواز" in notice.payload["replies"][0]["text"]
    assert notice.payload["replies"][0]["choices"][0][0] == f"ans:{filed.number}"
    clock.now = SUNDAY + dt.timedelta(days=3)  # answered on Wednesday: 3 working days later
    answered = await desk.answer(
        filed.number, channel="telegram", user_key="5551001", text="أرفقت الصورة",
        attachments=[AttachmentInfo("photo", "file-9", "image/jpeg", 1000, "cd" * 32)],
    )  # fmt: skip
    assert answered.status is RequestStatus.UNDER_REVIEW
    assert answered.pending_question is None and answered.paused_since is None
    # Tuesday 1 Dec moved by the 3 working days waited: Wed 2, Thu 3, (weekend), Sun 6
    assert answered.due_date == dt.date(2026, 12, 6)
    assert [a.ref for a in answered.attachments][-1] == "file-9"
    albums = [r for r in await _outbox(db_sessionmaker) if r.kind == "staff_album"]
    # only the new file follows under the card: the filing's own ones went with it
    assert [r.payload for r in albums] == [
        {"number": filed.number, "first": len(answered.attachments) - 1, "count": 1}
    ]
    assert answered.events[-1].reason == "أرفقت الصورة"


async def test_only_the_owner_can_answer(filing: SqlRequestGateway, desk: StaffDesk) -> None:
    filed = await filing.submit(submission())
    await desk.ask(filed.number, OFFICER, "ما رقم الجواز؟")
    with pytest.raises(NotTheOwner):
        await desk.answer(filed.number, channel="telegram", user_key="999", text="...")
    record = await desk.find(filed.number)
    assert record is not None and record.status is RequestStatus.NEEDS_INFO


async def test_overdue_and_stats(filing: SqlRequestGateway, desk: StaffDesk) -> None:
    late = await filing.submit(submission("a"))
    also_late = await filing.submit(submission("b"))
    waiting = await filing.submit(submission("c"))
    await desk.ask(waiting.number, OFFICER, "سؤال")
    after_due = late.due_date + dt.timedelta(days=1)
    assert await desk.overdue(late.due_date) == []
    overdue = await desk.overdue(after_due)
    # the one waiting for the person is paused, not overdue
    assert {r.number for r in overdue} == {late.number, also_late.number}
    stats = await desk.stats(after_due)
    assert stats.by_status == {"received": 2, "needs_info": 1}
    assert stats.overdue == 2


async def test_two_officers_deciding_at_once_make_one_decision(
    filing: SqlRequestGateway, desk: StaffDesk, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    other = Officer(7002, "خالد")
    for key in ("r1", "r2", "r3"):
        filed = await filing.submit(submission(key))
        outcomes = await asyncio.gather(
            desk.accept(filed.number, OFFICER),
            desk.reject(filed.number, other, "غير مستوفٍ للشروط"),
            return_exceptions=True,
        )
        # the second finds it decided, or (since the first decider has it) another's
        refused = (IllegalTransition, AlreadyTaken)
        assert sum(isinstance(o, refused) for o in outcomes) == 1, outcomes
        record = await desk.find(filed.number)
        assert record is not None
        assert [e.to_status for e in record.events][1:] in (
            [RequestStatus.ACCEPTED], [RequestStatus.REJECTED]
        )  # fmt: skip
    notices = [r for r in await _outbox(db_sessionmaker) if r.kind == "notify"]
    assert len(notices) == 3  # one decision told per request, never two opposite ones


async def test_a_second_take_is_refused_and_taking_over_tells_the_first_officer(
    filing: SqlRequestGateway, desk: StaffDesk, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    filed = await filing.submit(submission())
    await desk.take(filed.number, OFFICER)
    khalid = Officer(7002, "خالد")
    with pytest.raises(AlreadyTaken) as refused:
        await desk.take(filed.number, khalid)
    assert refused.value.name == "نورة"
    assert (await desk.take(filed.number, OFFICER)).already
    taken = await desk.take(filed.number, khalid, over=True)
    record = taken.record
    assert taken.previous == "نورة"
    last = record.events[-1]
    assert last.actor == "officer:7002:خالد" and last.from_status == last.to_status
    assert last.reason == "نورة"
    assert record.assigned_name == "خالد"
    [word] = [r for r in await _outbox(db_sessionmaker) if r.kind == "staff_text"]
    assert 'href="tg://user?id=7001"' in word.payload["html"] and "خالد" in word.payload["html"]


async def test_decisions_reach_the_person_after_the_grace_period_and_can_be_undone(
    filing: SqlRequestGateway,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    desk = StaffDesk(db_sessionmaker, load_catalogue(), clock=clock, decision_grace_s=60)
    filed = await filing.submit(submission())
    accepted = await desk.accept(filed.number, OFFICER)
    # the decider is responsible, though nobody took it
    assert accepted.assigned_name == "نورة"
    [notice] = [r for r in await _outbox(db_sessionmaker) if r.kind == "notify"]
    assert notice.next_attempt_at >= SUNDAY + dt.timedelta(seconds=60)
    undone = await desk.undo(filed.number, OFFICER)
    assert undone.status is RequestStatus.UNDER_REVIEW
    assert not [r for r in await _outbox(db_sessionmaker) if r.kind == "notify"]
    await desk.reject(filed.number, OFFICER, "المستندات غير مكتملة")
    clock.now += dt.timedelta(seconds=61)
    # the dispatcher claims it now: too late
    async with db_sessionmaker() as session, session.begin():
        row = await session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "notify"))
        assert row is not None
        row.attempts = 1
    with pytest.raises(TooLateToUndo):
        await desk.undo(filed.number, OFFICER)


async def test_a_stale_action_is_refused_but_the_officers_own_take_is_not(
    filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    filed = await filing.submit(submission())
    card = await desk.find(filed.number)
    assert card is not None
    offered = len(card.events)
    await desk.take(filed.number, OFFICER, offered=offered)
    # taken, then accepted from the same (not yet refreshed) card
    await desk.accept(filed.number, OFFICER, offered=offered)
    await desk.reopen(filed.number, Officer(7002, "خالد"), "راجعنا المستندات", over=True)
    # the reasons menu shown before the reopening is out of date
    with pytest.raises(StaleAction):
        await desk.reject(filed.number, OFFICER, "مكرر", offered=offered)
    record = await desk.find(filed.number)
    assert record is not None and record.status is RequestStatus.UNDER_REVIEW


async def test_reopening_restarts_the_clock(
    filing: SqlRequestGateway, desk: StaffDesk, clock: Clock
) -> None:
    filed = await filing.submit(submission())
    await desk.accept(filed.number, OFFICER)
    clock.now = SUNDAY + dt.timedelta(days=14)  # Sunday 6 Dec
    reopened = await desk.reopen(filed.number, OFFICER, "معلومة جديدة")
    assert reopened.due_date == dt.date(2026, 12, 15)  # seven working days from 6 Dec
    assert reopened.due_date > filed.due_date
