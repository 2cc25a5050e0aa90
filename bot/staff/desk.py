"""The staff desk's decisions: take, ask for more information, accept, reject, undo,
reopen, and the person's answer. Each is one transaction that moves the status along a
legal path, writes the audit row, and queues what must be sent (the person's notification,
the refreshed staff card, a word to an officer) in the outbox.

Every channel the officers use (the Telegram staff group, ``tawasul staff``) calls this;
none of them changes a request any other way.

**One owner.** A request has one officer at a time: taking, asking about, deciding,
undoing or reopening one somebody else has is refused (:class:`AlreadyTaken`) unless the
officer takes it *over* on purpose (``over=True``: ``/takeover`` in the group, ``--over``
at the terminal), which is audited and tells the first officer
(:meth:`bot.staff.desk_core.DeskCore._claim`). Whoever acts on a request nobody has
becomes its officer. The transaction, the audit rows and that rule are
:mod:`bot.staff.desk_core`; this module is the decisions. The rules themselves, pure,
are :mod:`officers.desk_rules` (with the undo's, :func:`~officers.desk_rules.decision_withdrawable`).

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
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Attachment, OutboxMessage, Request
from bot.db.requests_repo import RequestRecord, resident_actor
from bot.outbox.queue import notify_person, refresh_staff_card, staff_album
from bot.staff.actors import Officer
from bot.staff.callbacks import version
from bot.staff.desk_core import DeskCore
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
)
from bot.staff.their_say import TheirSayDesk
from conversations.notifications import status_name, status_notice
from conversations.ports import AttachmentInfo
from domain.sla import due_date
from domain.status import FINAL, IllegalTransition, RequestStatus, can_move
from officers.desk_rules import decision_withdrawable

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


class StaffDesk(DeskCore, TheirSayDesk):
    """The officers' decisions and the person's answer (see the module's rules)."""

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
            if notice is None or not decision_withdrawable(
                decided=status,
                told=notice.payload.get("status"),
                sent=notice.sent_at is not None,
                attempts=notice.attempts,
                due_at=notice.next_attempt_at,
                claimed_until=notice.claimed_until,
                now=now,
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
