"""The staff desk's decisions: take, ask for more information, accept, reject, undo,
reopen, and the person's answer. Each is one transaction that moves the status along a
legal path, writes the audit row, and queues what must be sent (the person's notification,
the refreshed staff card, a word to an officer) in the outbox.

Every channel the officers use (the Telegram staff group, ``tawasul staff``) calls this;
none of them changes a request any other way.

**One owner.** A request has one officer at a time: taking, asking about, deciding,
undoing or reopening one somebody else has is refused (:class:`AlreadyTaken`) unless the
officer takes it *over* on purpose (``over=True``: ``/takeover`` in the group, ``--over``
at the terminal), which is audited and tells the first officer (:meth:`StaffDesk._claim`).
Whoever acts on a request nobody has becomes its officer.

**Buttons act on the request as it is now.** An action may say the version it was offered
for (:func:`version`: how many audit rows the request had). When other changes were made
since, it is refused with :class:`StaleAction`, except that the officer's own take in
between does not count (they take, then accept, from the same card).

**Second thoughts.** A decision reaches the person after ``decision_grace_s`` (the outbox
row's ``next_attempt_at``); until then :meth:`StaffDesk.undo` takes it back with no trace
for the person.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable, Collection, Sequence
from contextlib import asynccontextmanager

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import SQLITE_BEGIN
from bot.db.models import Attachment, OutboxMessage, Request, StatusEvent, utcnow
from bot.db.requests_repo import RequestRecord, resident_actor
from bot.outbox.queue import notify_person, refresh_staff_card, staff_album, staff_text
from bot.staff.actors import Officer
from bot.staff.announce import Announcer
from bot.staff.callbacks import version
from bot.staff.outcomes import (
    AlreadyTaken,
    MissingReason,
    NotTheOwner,
    RequestNotFound,
    StaleAction,
    Taken,
    TooLateToUndo,
    check_owner,
    record_fresh,
    still_fresh,
)
from bot.staff.queries import DeskQueries
from bot.staff.say_words import SayWords
from bot.staff.their_say import TheirSayDesk
from conversations.formatting import Digits
from conversations.notifications import status_name, status_notice
from conversations.ports import AttachmentInfo
from domain.catalogue import Catalogue, local
from domain.sla import add_working_days, due_date, riyadh_date, working_days_between
from domain.status import FINAL, IllegalTransition, RequestStatus, can_move

log = logging.getLogger(__name__)

__all__ = [
    "AlreadyTaken",
    "MissingReason",
    "NotTheOwner",
    "Officer",
    "RequestNotFound",
    "StaffDesk",
    "StaleAction",
    "Taken",
    "TooLateToUndo",
    "check_owner",
    "record_fresh",
    "version",
]

MAX_QUESTION = 1000
MAX_REASON = 1000
#: How long a decision waits before the person is told, so it can be undone.
DECISION_GRACE_S = 60


class StaffDesk(TheirSayDesk, DeskQueries):
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

    # ---- officers ---------------------------------------------------------------------

    async def take(
        self, number: str, officer: Officer, *, offered: int | None = None, over: bool = False
    ) -> Taken:
        """Assigns the request; a first take moves it to "under review". Raises
        :class:`AlreadyTaken` when someone else has it, unless ``over`` (taking over, which
        is audited and queues a word to the first officer under the card). A decided
        request can only be taken over (to undo, reopen or answer a reconsideration)."""
        async with self._transaction() as session:
            request = await self._load(session, number)
            status = RequestStatus(request.status)
            mine = request.assigned_to == officer.actor
            if status in FINAL and (mine or request.assigned_to is None or not over):
                raise IllegalTransition(status, RequestStatus.UNDER_REVIEW)
            if mine:
                return Taken(await self._reloaded(session, request, refresh=False), already=True)
            previous = request.assigned_name
            if await self._claim(
                session, request, officer, offered, over=over, ownership_first=True
            ):
                return Taken(await self._reloaded(session, request), previous=previous)
            request.assigned_to, request.assigned_name = officer.actor, officer.name
            if status is RequestStatus.RECEIVED:
                self._move(session, request, RequestStatus.UNDER_REVIEW, officer.signature)
            else:
                # a take is part of the audit trail too, with the status unchanged
                self._event(session, request, officer.signature, status, status, None)
            return Taken(await self._reloaded(session, request))

    async def ask(
        self,
        number: str,
        officer: Officer,
        question: str,
        *,
        offered: int | None = None,
        over: bool = False,
    ) -> RequestRecord:
        question = question.strip()
        if not question:
            raise MissingReason("a question is required")
        async with self._transaction() as session:
            request = await self._load(session, number)
            await self._claim(session, request, officer, offered, over=over)
            request.pending_question = question[:MAX_QUESTION]
            request.paused_since = self._clock()
            request.assigned_to, request.assigned_name = officer.actor, officer.name
            self._move(session, request, RequestStatus.NEEDS_INFO, officer.signature, question)
            return await self._reloaded(session, request)

    async def accept(
        self,
        number: str,
        officer: Officer,
        note: str | None = None,
        *,
        offered: int | None = None,
        over: bool = False,
    ) -> RequestRecord:
        async with self._transaction() as session:
            request = await self._load(session, number)
            await self._claim(session, request, officer, offered, over=over)
            self._resume_clock(request)
            request.pending_question = None
            request.decision_reason = (note or "").strip()[:MAX_REASON] or None
            self._decided_by(request, officer)
            self._move(
                session,
                request,
                RequestStatus.ACCEPTED,
                officer.signature,
                request.decision_reason,
                delay=self._grace,
            )
            return await self._reloaded(session, request)

    async def reject(
        self,
        number: str,
        officer: Officer,
        reason: str,
        *,
        offered: int | None = None,
        over: bool = False,
    ) -> RequestRecord:
        reason = reason.strip()
        if not reason:
            raise MissingReason("a reason is required to reject")
        async with self._transaction() as session:
            request = await self._load(session, number)
            await self._claim(session, request, officer, offered, over=over)
            self._resume_clock(request)
            request.pending_question = None
            request.decision_reason = reason[:MAX_REASON]
            self._decided_by(request, officer)
            self._move(
                session,
                request,
                RequestStatus.REJECTED,
                officer.signature,
                reason,
                delay=self._grace,
                offer_reconsider=not await self._reconsidered(session, request),
            )
            return await self._reloaded(session, request)

    async def undo(
        self, number: str, officer: Officer, *, offered: int | None = None, over: bool = False
    ) -> RequestRecord:
        """Takes back a decision the person has not been told of yet: its notification is
        withdrawn and the request is back under review with this officer. Raises
        :class:`TooLateToUndo` once the notification is out (or being sent)."""
        async with self._transaction() as session:
            request = await self._load(session, number)
            status = RequestStatus(request.status)
            if status not in FINAL:
                raise TooLateToUndo(number)
            await self._claim(session, request, officer, offered, over=over)
            now = self._clock()
            # the decision's notification is the request's latest one
            notice = await session.scalar(
                select(OutboxMessage)
                .where(OutboxMessage.request_id == request.id, OutboxMessage.kind == "notify")
                .order_by(OutboxMessage.id.desc())
                .limit(1)
                .with_for_update()
            )
            if (
                notice is None
                or notice.sent_at is not None
                or notice.attempts > 0
                or notice.next_attempt_at <= now
                or (notice.claimed_until is not None and notice.claimed_until >= now)
                or notice.payload.get("status") != status.value
            ):
                raise TooLateToUndo(number)
            await session.delete(notice)
            if notice.payload.get("survey"):
                request.survey_asked_at = None  # the person never saw the question
            request.decision_reason = None
            request.assigned_to, request.assigned_name = officer.actor, officer.name
            self._move(
                session,
                request,
                RequestStatus.UNDER_REVIEW,
                officer.signature,
                None,
                reopen=True,
                notify=False,  # the person never heard of the decision
            )
            return await self._reloaded(session, request)

    async def reopen(
        self,
        number: str,
        officer: Officer,
        reason: str,
        *,
        offered: int | None = None,
        over: bool = False,
    ) -> RequestRecord:
        """Takes a decided request back to review, on purpose and with a reason. The
        seven working days start again from today."""
        reason = reason.strip()
        if not reason:
            raise MissingReason("a reason is required to reopen")
        async with self._transaction() as session:
            request = await self._load(session, number)
            await self._claim(session, request, officer, offered, over=over)
            request.decision_reason = None
            request.reconsider_reason = None  # a reconsideration asked for is answered
            request.due_date = due_date(self._clock(), holidays=self._holidays)
            request.reminded_at = request.escalated_at = None
            request.assigned_to, request.assigned_name = officer.actor, officer.name
            self._move(
                session, request, RequestStatus.UNDER_REVIEW, officer.signature, reason, reopen=True
            )
            return await self._reloaded(session, request)

    async def refresh(self, number: str) -> None:
        """Queues a fresh render of the card (a button was pressed on an old one)."""
        async with self._transaction() as session:
            await refresh_staff_card(session, await self._load(session, number))

    # ---- the person -------------------------------------------------------------------

    async def answer(
        self,
        number: str,
        *,
        channel: str,
        user_key: str,
        text: str,
        attachments: Sequence[AttachmentInfo] = (),
    ) -> RequestRecord:
        """The person's answer to the officer's question: joins the request, restarts the
        clock where it stopped, puts the request back in review, and is announced under
        the card to the officer who asked."""
        async with self._transaction() as session:
            request = await self._load(session, number)
            if (request.channel, request.user_key) != (channel, user_key):
                raise NotTheOwner(number)
            now = self._clock()
            had = await session.scalar(
                select(func.count(Attachment.id)).where(Attachment.request_id == request.id)
            )
            for item in attachments:
                session.add(
                    Attachment(
                        request_id=request.id, kind=item.kind, channel_ref=item.ref,
                        mime=item.mime, size=item.size, checksum=item.checksum,
                        file_name=item.file_name, caption=item.caption, created_at=now,
                    )
                )  # fmt: skip
            asker = await self._asker(session, request)
            question = request.pending_question
            self._resume_clock(request)
            request.pending_question = None
            self._move(
                session,
                request,
                RequestStatus.UNDER_REVIEW,
                resident_actor(channel, user_key),
                text.strip() or None,
                notify=False,  # the person is told in the chat they answered from
            )
            self._staff_word(
                session,
                request,
                self._announcer.answered(
                    request.number, asker, question, text.strip(), len(attachments)
                ),
            )
            record = await self._reloaded(session, request)
            if attachments:
                # the new files follow the announcement under the card
                staff_album(session, request, first=int(had or 0))
            return record

    # ---- internals --------------------------------------------------------------------

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
        theirs = previous_actor is not None and previous_actor != officer.actor
        if not ownership_first:
            await self._check_fresh(session, request, officer, offered)
        if theirs and not over:
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

    def _move(
        self,
        session: AsyncSession,
        request: Request,
        to: RequestStatus,
        actor: str,
        reason: str | None = None,
        *,
        reopen: bool = False,
        notify: bool = True,
        delay: dt.timedelta | None = None,
        offer_reconsider: bool = False,
    ) -> None:
        current = RequestStatus(request.status)
        if not can_move(current, to, reopen=reopen):
            raise IllegalTransition(current, to)
        now = self._clock()
        request.status = to.value
        request.updated_at = now
        self._event(session, request, actor, current, to, reason)
        if notify:
            replies = status_notice(
                locale=request.locale,
                number=request.number,
                service_name=self.service_name(request.service_id, request.locale),
                status=to,
                due=request.due_date,
                reason=request.decision_reason,
                question=request.pending_question,
                arabic_digits=self._arabic_digits,
            )
            if offer_reconsider:
                replies = self._with_reconsider(request, replies)
            survey = self._survey_due(request, to)
            notify_person(
                session,
                request,
                [*replies, *survey],
                status=to.value,
                status_label=status_name(to.value, request.locale),
                not_before=now + delay if delay else None,
                survey=bool(survey),
            )
        log.info("request %s: %s -> %s by %s", request.number, current, to, actor.split(":")[0])

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
