"""The status answer and the person's say agree on whether they were told of a decision,
and an undo asks the same fact: what the outbox did with the decision's notice, never one
worker's clock against an instant another worker wrote (review 11, §3).

Found by review 11: /status decided «told» by ``now - decided >= grace`` on the answering
worker's clock while rating and reconsideration asked the outbox (0489032). On a worker
two hours ahead, /status showed «مرفوض» with «طلب إعادة النظر» while the notice still
waited, and /reconsider refused it; on one two hours behind, a person holding the notice
saw «قيد الدراسة» and no offer. The undo compared ``due_at`` and ``claimed_until``,
written by other workers' clocks, with its own: a worker ahead took back a decision whose
notice a sender was delivering. Workers here are desks and engines whose injected clocks
disagree, on one database (SQLite and PostgreSQL) and one Redis.
"""

from __future__ import annotations

import datetime as dt

import pytest
from redis.asyncio import Redis
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import OutboxMessage, Request
from bot.db.requests_repo import SqlRequestGateway
from bot.gateway import Gateway
from bot.redis_store.attempts import RedisAttemptLimiter
from bot.redis_store.dialogue import RedisDialogueStore
from bot.staff.desk import StaffDesk, TooLateToUndo
from conversations.engine import Engine
from conversations.events import Command
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue
from domain.normalize import clean_input
from domain.status import RequestStatus
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import OFFICER, SUNDAY, USER, Clock, Person, _notice_sent

HOURS_2 = dt.timedelta(hours=2)
OFFER = "طلب إعادة النظر"


@pytest.fixture
def clock() -> Clock:
    return Clock(SUNDAY)


def _desk(
    sessions: async_sessionmaker[AsyncSession], clock: Clock, offset: dt.timedelta
) -> StaffDesk:
    return StaffDesk(
        sessions, load_catalogue(), clock=lambda: clock.now + offset, decision_grace_s=60
    )


def _worker(redis: Redis, filing: SqlRequestGateway, desk: StaffDesk, clock: Clock) -> Engine:
    """A worker whose gateway and desk run on ``desk``'s clock (the engine's own is the
    dialogue's, the same on every worker here)."""
    return Engine(
        RedisDialogueStore(redis),
        INTAKE,
        load_catalogue(),
        Gateway(filing, desk),
        clock=clock,
        limiter=RedisAttemptLimiter(redis),
    )


async def _command(person: Person, name: str, args: str, worker: int) -> str:
    said = await person.send(Command(person.origin(), name, args), worker)
    return clean_input("\n".join(r.text for r in said))


async def _status(person: Person, number: str, worker: int) -> tuple[str, list[str]]:
    said = await person.send(Command(person.origin(), "status", number), worker)
    return clean_input("\n".join(r.text for r in said)), [c.label for r in said for c in r.choices]


async def test_status_and_reconsideration_ask_the_outbox_on_workers_whose_clocks_disagree(
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    filing = SqlRequestGateway(db_sessionmaker, clock=clock)
    ahead = _desk(db_sessionmaker, clock, HOURS_2)
    behind = _desk(db_sessionmaker, clock, -HOURS_2)
    person = Person([_worker(redis_client, filing, d, clock) for d in (ahead, behind)])
    early = await filing.submit(submission("k1", user_key=USER))
    late = await filing.submit(submission("k2", user_key=USER, service_id="passport_renew"))
    await person.send(Command(person.origin(), "start", ""))

    # decided on the worker behind; its notice waits out the grace. On the worker ahead
    # (four hours «after» by its clock): no decision yet, and nothing to reconsider
    await behind.reject(early.number, OFFICER, "المستندات ناقصة")
    said, offered = await _status(person, early.number, worker=0)
    assert "مرفوض" not in said and "الحالة: تم الاستلام" in said, said
    assert OFFER not in offered
    said = await _command(person, "reconsider", early.number, worker=0)
    assert "ما سبب طلب إعادة النظر" not in said, said

    # decided on the worker ahead, its notice sent: the worker behind (four hours
    # «before» it) shows the rejection the person holds, and takes the reconsideration
    await ahead.reject(late.number, OFFICER, "الصورة غير واضحة")
    await _notice_sent(db_sessionmaker, late.number)
    said, offered = await _status(person, late.number, worker=1)
    assert "الحالة: مرفوض" in said and "الصورة غير واضحة" in said, said
    assert OFFER in offered
    said = await _command(person, "reconsider", late.number, worker=1)
    assert "ما سبب طلب إعادة النظر" in said, said


async def test_an_undone_decision_stays_out_of_the_history_whatever_the_clocks(
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    """Decided on the worker behind, undone on the one ahead (four hours «after» by its
    clock, but the notice never went): the person never hears of it, and the history of
    the decision that follows, once sent, shows that one alone."""
    filing = SqlRequestGateway(db_sessionmaker, clock=clock)
    ahead = _desk(db_sessionmaker, clock, HOURS_2)
    behind = _desk(db_sessionmaker, clock, -HOURS_2)
    person = Person([_worker(redis_client, filing, d, clock) for d in (ahead, behind)])
    filed = await filing.submit(submission("k1", user_key=USER))
    await person.send(Command(person.origin(), "start", ""))
    await behind.accept(filed.number, OFFICER)
    undone = await ahead.undo(filed.number, OFFICER)  # was: «too late» by its clock
    assert undone.status is RequestStatus.UNDER_REVIEW
    said, _offered = await _status(person, filed.number, worker=0)
    assert "مقبول" not in said and "الحالة: تم الاستلام" in said, said
    await behind.reject(filed.number, OFFICER, "المستندات ناقصة")
    await _notice_sent(db_sessionmaker, filed.number)
    view = await Gateway(filing, ahead).status_for_owner(filed.number, "telegram", USER)
    assert view is not None and view.status == RequestStatus.REJECTED.value
    assert [what for _at, what in view.history] == ["received", "rejected"]


async def test_a_notice_a_sender_holds_is_not_undone_by_a_worker_whose_clock_is_ahead(
    db_sessionmaker: async_sessionmaker[AsyncSession], clock: Clock
) -> None:
    """A sender took the notice (claimed for 30 s by its clock); on a worker two hours
    ahead the claim looked lapsed and the decision was taken back while the person was
    being told."""
    filing = SqlRequestGateway(db_sessionmaker, clock=clock)
    right, ahead = (
        _desk(db_sessionmaker, clock, dt.timedelta(0)),
        _desk(db_sessionmaker, clock, HOURS_2),
    )
    filed = await filing.submit(submission("k1", user_key=USER))
    await right.reject(filed.number, OFFICER, "المستندات ناقصة")
    async with db_sessionmaker.begin() as session:
        request_id = await session.scalar(select(Request.id).where(Request.number == filed.number))
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.request_id == request_id, OutboxMessage.kind == "notify")
            .values(claimed_until=SUNDAY + dt.timedelta(seconds=90))
        )
    with pytest.raises(TooLateToUndo):
        await ahead.undo(filed.number, OFFICER)
    record = await right.find(filed.number)
    assert record is not None and record.status is RequestStatus.REJECTED
