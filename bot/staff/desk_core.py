"""The staff desk's ground every action stands on: one write transaction with the
request's row locked, the audit rows, the one-owner rule (:meth:`DeskCore._claim`), the
freshness of a button, the paused clock, and a word to the officers under the card.

:class:`bot.staff.desk.StaffDesk` (the officers' decisions and the person's answer) and
:class:`bot.staff.their_say.TheirSayDesk` (the person's say after filing) are built on it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable, Collection
from contextlib import asynccontextmanager

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import SQLITE_BEGIN
from bot.db.models import Request, StatusEvent, utcnow
from bot.db.requests_repo import RequestRecord
from bot.outbox.queue import refresh_staff_card, staff_text
from bot.staff.actors import Officer
from bot.staff.announce import Announcer
from bot.staff.outcomes import AlreadyTaken, RequestNotFound, StaleAction
from bot.staff.queries import DeskQueries
from bot.staff.say_words import SayWords
from conversations.formatting import Digits
from domain.catalogue import Catalogue, local
from domain.sla import add_working_days, riyadh_date, working_days_between
from domain.status import RequestStatus
from officers.desk_rules import held_by_another, may_act, still_fresh

log = logging.getLogger(__name__)

#: How long a decision waits before the person is told, so it can be undone.
DECISION_GRACE_S = 60


class DeskCore(DeskQueries):
    """What every desk action is made of (see the module); the catalogue names services,
    ``decision_grace_s`` is how long a decision waits before the person is told."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        catalogue: Catalogue,
        *,
        clock: Callable[[], dt.datetime] = utcnow,
        holidays: Collection[dt.date] | None = None,
        arabic_digits: Digits = "arab",
        decision_grace_s: int = DECISION_GRACE_S,
        staff_locale: str | None = None,
    ) -> None:
        super().__init__(sessions, catalogue, clock=clock, holidays=holidays)
        self._arabic_digits: Digits = arabic_digits
        self._grace = dt.timedelta(seconds=decision_grace_s)
        self._announcer = Announcer(catalogue, locale=staff_locale, holidays=holidays)
        self._say = SayWords(self._announcer.views)

    @property
    def decision_grace_s(self) -> int:
        return int(self._grace.total_seconds())

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncSession]:
        """One write transaction; on SQLite it takes the write lock at BEGIN."""
        async with self._sessions() as session, session.begin():
            await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
            yield session

    async def _load(self, session: AsyncSession, number: str) -> Request:
        # the row lock makes two officers' decisions (or a decision and the person's
        # answer) take turns on PostgreSQL; SQLite is serialised by BEGIN IMMEDIATE
        request = await session.scalar(
            select(Request).where(Request.number == number).with_for_update()
        )
        if request is None:
            raise RequestNotFound(number)
        return request

    async def _history(self, session: AsyncSession, request: Request) -> list[StatusEvent]:
        rows = await session.scalars(
            select(StatusEvent).where(StatusEvent.request_id == request.id).order_by(StatusEvent.id)
        )
        return list(rows)

    async def _check_fresh(
        self, session: AsyncSession, request: Request, officer: Officer, offered: int | None
    ) -> None:
        if offered is None:
            return
        history = await self._history(session, request)
        # notes leave an officer's buttons valid (see bot.staff.callbacks.version)
        changes = [(e.actor, e.from_status, e.to_status) for e in history if e.kind != "note"]
        if not still_fresh(changes, officer, offered):
            raise StaleAction(request.number)

    async def _claim(
        self,
        session: AsyncSession,
        request: Request,
        officer: Officer,
        offered: int | None,
        *,
        over: bool,
        ownership_first: bool = False,
    ) -> bool:
        """The one rule for every officer's action, from any door (the staff group's
        buttons, prompts and commands, ``tawasul staff``): a request another officer has
        is acted on only when ``over`` says so on purpose; otherwise :class:`AlreadyTaken`,
        with nothing changed. A decision first checks that its button is not out of date
        (:class:`StaleAction`: the officer decided on what they saw, and should look
        again); a take (``ownership_first``) first says who has it, which is what a take
        needs to know. Taking over changes hands at once: an audit row (the status
        unchanged, the reason the first officer's name) and a word to the first officer
        under the card. Returns whether hands changed."""
        previous_actor, previous = request.assigned_to, request.assigned_name
        theirs = held_by_another(previous_actor, officer)
        if not ownership_first:
            await self._check_fresh(session, request, officer, offered)
        if not may_act(previous_actor, officer, over=over):
            raise AlreadyTaken(request.number, previous)
        if ownership_first:
            await self._check_fresh(session, request, officer, offered)
        if not theirs or previous_actor is None:  # (None: for the type checker)
            return False
        request.assigned_to, request.assigned_name = officer.actor, officer.name
        status = RequestStatus(request.status)
        self._event(session, request, officer.signature, status, status, previous)
        self._staff_word(
            session,
            request,
            self._announcer.taken_over(request.number, previous_actor, previous, officer),
        )
        log.info("request %s taken over by %s", request.number, officer.signature.split(":")[0])
        return True

    async def _asker(self, session: AsyncSession, request: Request) -> str | None:
        """The signature of whoever asked the open question."""
        for event in reversed(await self._history(session, request)):
            if event.to_status == RequestStatus.NEEDS_INFO.value:
                return event.actor
        return None

    def _decided_by(self, request: Request, officer: Officer) -> None:
        """Whoever decides is responsible for the decision, whoever had taken it."""
        request.assigned_to, request.assigned_name = officer.actor, officer.name

    def _staff_word(self, session: AsyncSession, request: Request, html: str) -> None:
        """A message to the officers under the request's card (in its topic)."""
        staff_text(
            session,
            html,
            reply_to=request.staff_message_id,
            thread=request.staff_thread_id,
            department=self._department(request.service_id),
        )

    def _department(self, service_id: str) -> str | None:
        try:
            return self._catalogue.get(service_id).department
        except KeyError:
            return None

    def _resume_clock(self, request: Request) -> None:
        """The days spent waiting for the person are added back to the due date."""
        if request.paused_since is None:
            return
        waited = working_days_between(
            riyadh_date(request.paused_since), riyadh_date(self._clock()), self._holidays
        )
        if waited > 0:
            request.due_date = add_working_days(request.due_date, waited, self._holidays)
        request.paused_since = None

    def _event(
        self,
        session: AsyncSession,
        request: Request,
        actor: str,
        current: RequestStatus | None,
        to: RequestStatus,
        reason: str | None,
    ) -> None:
        session.add(
            StatusEvent(
                request_id=request.id, actor=actor, at=self._clock(),
                from_status=None if current is None else current.value, to_status=to.value,
                reason=reason,
            )
        )  # fmt: skip

    async def _reloaded(
        self, session: AsyncSession, request: Request, *, refresh: bool = True
    ) -> RequestRecord:
        if refresh:
            await refresh_staff_card(session, request)
        await session.flush()
        record = await self._read(session, request.id, fresh=True)
        assert record is not None
        return record

    def service_name(self, service_id: str, locale: str) -> str:
        return local(self._catalogue.get(service_id).name, locale)
