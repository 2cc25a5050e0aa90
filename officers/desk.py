"""The desk's use cases: take, ask for more information, accept, reject, undo, reopen,
answer a reconsideration, and the person's answer to a question. Each is one transaction
of a :class:`~officers.desk_port.DeskStore` that moves the status along a legal path,
writes the audit row, and queues what must be sent (the person's notice, the refreshed
staff card, a word to an officer), so every door to the desk (the Telegram staff group,
``tawasul staff``) changes a request the same way and no other.

**One owner.** A request has one officer at a time: taking, asking about, deciding,
undoing or reopening one somebody else has is refused (:class:`AlreadyTaken`) unless the
officer takes it *over* on purpose (``over=True``: ``/takeover`` in the group, ``--over``
at the terminal), which is audited and tells the first officer (:meth:`Desk._claim`).
Whoever acts on a request nobody has becomes its officer. The rules themselves, pure, are
:mod:`officers.desk_rules`.

**Buttons act on the request as it is now.** An action may say the version it was offered
for (how many audit rows, notes aside, the request had). When other changes were made
since, it is refused with :class:`StaleAction`, except that the officer's own take in
between does not count (they take, then accept, from the same card).

**Second thoughts.** A decision reaches the person after ``decision_grace_s`` (the
notice is held back until then); until then :meth:`Desk.undo` takes it back with no trace
for the person.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Collection, Sequence
from typing import Final, Generic, TypeVar

from domain.sla import add_working_days, due_date, riyadh_date, working_days_between
from domain.status import FINAL, IllegalTransition, RequestStatus, can_move
from domain.their_say import SayRefused, survey_due
from officers.desk_port import DeskRow, DeskStore, DeskUnit, DeskWords
from officers.desk_rules import decision_withdrawable, held_by_another, may_act, still_fresh
from officers.failures import (
    AlreadyTaken,
    MissingReason,
    NotTheOwner,
    StaleAction,
    Taken,
    TooLateToUndo,
)
from officers.officer import Officer, resident_actor

log = logging.getLogger(__name__)

R = TypeVar("R")
F = TypeVar("F")

#: How long a decision waits before the person is told, so it can be undone (seconds).
DECISION_GRACE_S: Final = 60
MAX_QUESTION: Final = 1000
MAX_REASON: Final = 1000
#: The audit kind of an answer to a reconsideration that keeps the rejection.
KEPT: Final = "kept"


class Desk(Generic[R, F]):
    """The officers' decisions and the person's answer on ``store`` (see the module);
    ``words`` writes what officers are told under a card, ``clock`` gives aware UTC
    instants, ``holidays`` the official holidays the seven working days skip."""

    def __init__(
        self,
        store: DeskStore[R, F],
        words: DeskWords,
        *,
        clock: Callable[[], dt.datetime],
        holidays: Collection[dt.date] | None = None,
        decision_grace_s: int = DECISION_GRACE_S,
    ) -> None:
        self._store = store
        self._words = words
        self._clock = clock
        self._holidays = holidays
        self._grace = dt.timedelta(seconds=decision_grace_s)

    @property
    def decision_grace_s(self) -> int:
        """How long a decision waits before the person is told (seconds)."""
        return int(self._grace.total_seconds())

    # ---- officers ---------------------------------------------------------------------

    async def take(
        self, number: str, officer: Officer, *, offered: int | None = None, over: bool = False
    ) -> Taken[R]:
        """Assigns the request; a first take moves it to "under review". Raises
        :class:`AlreadyTaken` when someone else has it, unless ``over`` (taking over, which
        is audited and queues a word to the first officer under the card). A decided
        request can only be taken over (to undo, reopen or answer a reconsideration)."""
        async with self._store.transaction() as unit:
            request = await unit.load(number)
            status = RequestStatus(request.status)
            mine = request.assigned_to == officer.actor
            if status in FINAL and (mine or request.assigned_to is None or not over):
                raise IllegalTransition(status, RequestStatus.UNDER_REVIEW)
            if mine:
                return Taken(await unit.read(request, refresh_card=False), already=True)
            previous = request.assigned_name
            if await self._claim(unit, request, officer, offered, over=over, ownership_first=True):
                return Taken(await unit.read(request), previous=previous)
            request.assigned_to, request.assigned_name = officer.actor, officer.name
            if status is RequestStatus.RECEIVED:
                self._move(unit, request, RequestStatus.UNDER_REVIEW, officer.signature)
            else:
                # a take is part of the audit trail too, with the status unchanged
                unit.record(request, officer.signature, status, status, None, at=self._clock())
            return Taken(await unit.read(request))

    async def ask(
        self,
        number: str,
        officer: Officer,
        question: str,
        *,
        offered: int | None = None,
        over: bool = False,
    ) -> R:
        """Asks the person for more information: the clock stops until they answer.
        Raises :class:`MissingReason` without a question."""
        question = question.strip()
        if not question:
            raise MissingReason("a question is required")
        async with self._store.transaction() as unit:
            request = await unit.load(number)
            await self._claim(unit, request, officer, offered, over=over)
            request.pending_question = question[:MAX_QUESTION]
            request.paused_since = self._clock()
            request.assigned_to, request.assigned_name = officer.actor, officer.name
            self._move(unit, request, RequestStatus.NEEDS_INFO, officer.signature, question)
            return await unit.read(request)

    async def accept(
        self,
        number: str,
        officer: Officer,
        note: str | None = None,
        *,
        offered: int | None = None,
        over: bool = False,
    ) -> R:
        """Accepts the request, with an optional note the person reads; they are told
        after the grace period."""
        async with self._store.transaction() as unit:
            request = await unit.load(number)
            await self._claim(unit, request, officer, offered, over=over)
            self._decide(request, officer, (note or "").strip()[:MAX_REASON] or None)
            self._move(
                unit,
                request,
                RequestStatus.ACCEPTED,
                officer.signature,
                request.decision_reason,
                delay=self._grace,
            )
            return await unit.read(request)

    async def reject(
        self,
        number: str,
        officer: Officer,
        reason: str,
        *,
        offered: int | None = None,
        over: bool = False,
    ) -> R:
        """Rejects the request with the reason the person reads; they are told after the
        grace period, and offered to ask once for a reconsideration. Raises
        :class:`MissingReason` without a reason."""
        reason = reason.strip()
        if not reason:
            raise MissingReason("a reason is required to reject")
        async with self._store.transaction() as unit:
            request = await unit.load(number)
            await self._claim(unit, request, officer, offered, over=over)
            self._decide(request, officer, reason[:MAX_REASON])
            self._move(
                unit,
                request,
                RequestStatus.REJECTED,
                officer.signature,
                reason,
                delay=self._grace,
                offer_reconsider=not await unit.reconsidered(request),
            )
            return await unit.read(request)

    async def undo(
        self, number: str, officer: Officer, *, offered: int | None = None, over: bool = False
    ) -> R:
        """Takes back a decision the person has not been told of yet: its notification is
        withdrawn and the request is back under review with this officer. Raises
        :class:`TooLateToUndo` once the notification is out (or being sent)."""
        async with self._store.transaction() as unit:
            request = await unit.load(number)
            status = RequestStatus(request.status)
            if status not in FINAL:
                raise TooLateToUndo(number)
            await self._claim(unit, request, officer, offered, over=over)
            now = self._clock()
            # the decision's notification is the request's latest one
            notice = await unit.latest_notice(request)
            if notice is None or not decision_withdrawable(
                decided=status,
                told=notice.told,
                sent=notice.sent,
                attempts=notice.attempts,
                due_at=notice.due_at,
                claimed_until=notice.claimed_until,
                now=now,
            ):
                raise TooLateToUndo(number)
            await unit.withdraw(notice)
            if notice.survey:
                request.survey_asked_at = None  # the person never saw the question
            request.decision_reason = None
            request.assigned_to, request.assigned_name = officer.actor, officer.name
            self._move(
                unit,
                request,
                RequestStatus.UNDER_REVIEW,
                officer.signature,
                None,
                reopen=True,
                notify=False,  # the person never heard of the decision
            )
            return await unit.read(request)

    async def reopen(
        self,
        number: str,
        officer: Officer,
        reason: str,
        *,
        offered: int | None = None,
        over: bool = False,
    ) -> R:
        """Takes a decided request back to review, on purpose and with a reason. The
        seven working days start again from today."""
        reason = reason.strip()
        if not reason:
            raise MissingReason("a reason is required to reopen")
        async with self._store.transaction() as unit:
            request = await unit.load(number)
            await self._claim(unit, request, officer, offered, over=over)
            request.decision_reason = None
            request.reconsider_reason = None  # a reconsideration asked for is answered
            request.due_date = due_date(self._clock(), holidays=self._holidays)
            request.reminded_at = request.escalated_at = None
            request.assigned_to, request.assigned_name = officer.actor, officer.name
            self._move(
                unit, request, RequestStatus.UNDER_REVIEW, officer.signature, reason, reopen=True
            )
            return await unit.read(request)

    async def keep_rejected(
        self, number: str, officer: Officer, *, offered: int | None = None, over: bool = False
    ) -> R:
        """Answers a reconsideration by keeping the rejection; the person is told. Another
        officer's request needs ``over`` (see :meth:`_claim`). Raises :class:`SayRefused`
        ("not_rejected") when no reconsideration is waiting."""
        async with self._store.transaction() as unit:
            request = await unit.load(number)
            await self._claim(unit, request, officer, offered, over=over)
            if request.status != RequestStatus.REJECTED.value or not request.reconsider_reason:
                raise SayRefused(number, "not_rejected")
            request.reconsider_reason = None
            request.assigned_to, request.assigned_name = officer.actor, officer.name
            status = RequestStatus(request.status)
            now = self._clock()
            request.updated_at = now
            unit.record(request, officer.signature, status, status, None, at=now, kind=KEPT)
            unit.tell_kept(request)
            return await unit.read(request)

    async def reopen_on_request(
        self, number: str, officer: Officer, *, offered: int | None = None, over: bool = False
    ) -> R:
        """Answers a reconsideration by reopening, with the person's reason as the why;
        the person is told it is being reviewed again. Raises :class:`SayRefused`
        ("not_rejected") when no reconsideration is waiting."""
        async with self._store.transaction() as unit:
            request = await unit.load(number)
            status, reason = request.status, request.reconsider_reason
        if status != RequestStatus.REJECTED.value or not reason:
            raise SayRefused(number, "not_rejected")
        return await self.reopen(number, officer, reason, offered=offered, over=over)

    async def find_record(self, number: str) -> R:
        """The request as it stands (raises :class:`~officers.failures.RequestNotFound`)."""
        async with self._store.transaction() as unit:
            return await unit.read(await unit.load(number), refresh_card=False)

    async def refresh(self, number: str) -> None:
        """Queues a fresh render of the card (a button was pressed on an old one)."""
        async with self._store.transaction() as unit:
            await unit.refresh_card(await unit.load(number))

    # ---- the person -------------------------------------------------------------------

    async def answer(
        self,
        number: str,
        *,
        channel: str,
        user_key: str,
        text: str,
        attachments: Sequence[F] = (),
    ) -> R:
        """The person's answer to the officer's question: joins the request, restarts the
        clock where it stopped, puts the request back in review, and is announced under
        the card to the officer who asked. Raises :class:`NotTheOwner` when another chat
        filed the request."""
        async with self._store.transaction() as unit:
            request = await unit.load(number)
            if (request.channel, request.user_key) != (channel, user_key):
                raise NotTheOwner(number)
            had = await unit.add_files(request, attachments, at=self._clock())
            asker = await self._asker(unit, request)
            question = request.pending_question
            self._resume_clock(request)
            request.pending_question = None
            self._move(
                unit,
                request,
                RequestStatus.UNDER_REVIEW,
                resident_actor(channel, user_key),
                text.strip() or None,
                notify=False,  # the person is told in the chat they answered from
            )
            unit.word_to_staff(
                request,
                self._words.answered(
                    request.number, asker, question, text.strip(), len(attachments)
                ),
            )
            record = await unit.read(request)
            if attachments:
                # the new files follow the announcement under the card
                unit.send_files(request, first=had)
            return record

    # ---- internals --------------------------------------------------------------------

    async def _claim(
        self,
        unit: DeskUnit[R, F],
        request: DeskRow,
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
            await self._check_fresh(unit, request, officer, offered)
        if not may_act(previous_actor, officer, over=over):
            raise AlreadyTaken(request.number, previous)
        if ownership_first:
            await self._check_fresh(unit, request, officer, offered)
        if not theirs or previous_actor is None:  # (None: for the type checker)
            return False
        request.assigned_to, request.assigned_name = officer.actor, officer.name
        status = RequestStatus(request.status)
        unit.record(request, officer.signature, status, status, previous, at=self._clock())
        unit.word_to_staff(
            request, self._words.taken_over(request.number, previous_actor, previous, officer)
        )
        log.info("request %s taken over by %s", request.number, officer.signature.split(":")[0])
        return True

    async def _check_fresh(
        self, unit: DeskUnit[R, F], request: DeskRow, officer: Officer, offered: int | None
    ) -> None:
        if offered is None:
            return
        # notes leave an officer's buttons valid (a note changes nothing they decide on)
        changes = [
            (c.actor, c.from_status, c.to_status)
            for c in await unit.changes(request)
            if c.kind != "note"
        ]
        if not still_fresh(changes, officer, offered):
            raise StaleAction(request.number)

    async def _asker(self, unit: DeskUnit[R, F], request: DeskRow) -> str | None:
        """The signature of whoever asked the open question."""
        for change in reversed(await unit.changes(request)):
            if change.to_status == RequestStatus.NEEDS_INFO.value:
                return change.actor
        return None

    def _decide(self, request: DeskRow, officer: Officer, reason: str | None) -> None:
        """What a decision changes besides the status: the clock runs again, no question
        is open, the reason is kept, and whoever decides is responsible for the decision,
        whoever had taken it."""
        self._resume_clock(request)
        request.pending_question = None
        request.decision_reason = reason
        request.assigned_to, request.assigned_name = officer.actor, officer.name

    def _resume_clock(self, request: DeskRow) -> None:
        """The days spent waiting for the person are added back to the due date."""
        if request.paused_since is None:
            return
        waited = working_days_between(
            riyadh_date(request.paused_since), riyadh_date(self._clock()), self._holidays
        )
        if waited > 0:
            request.due_date = add_working_days(request.due_date, waited, self._holidays)
        request.paused_since = None

    def _move(
        self,
        unit: DeskUnit[R, F],
        request: DeskRow,
        to: RequestStatus,
        actor: str,
        reason: str | None = None,
        *,
        reopen: bool = False,
        notify: bool = True,
        delay: dt.timedelta | None = None,
        offer_reconsider: bool = False,
    ) -> None:
        """Moves the status along a legal path (else :class:`IllegalTransition`), with
        its audit row and, when ``notify``, the person's notice held back by ``delay``."""
        current = RequestStatus(request.status)
        if not can_move(current, to, reopen=reopen):
            raise IllegalTransition(current, to)
        now = self._clock()
        request.status = to.value
        request.updated_at = now
        unit.record(request, actor, current, to, reason, at=now)
        if notify:
            unit.tell(
                request,
                to,
                not_before=now + delay if delay else None,
                reconsider=offer_reconsider,
                survey=self._survey_due(request, to),
            )
        log.info("request %s: %s -> %s by %s", request.number, current, to, actor.split(":")[0])

    def _survey_due(self, request: DeskRow, to: RequestStatus) -> bool:
        """Whether the notice asks how satisfied the person is: after a decision, once
        per request (issue 13)."""
        if not survey_due(
            to,
            asked_before=request.survey_asked_at is not None,
            rated=request.satisfaction is not None,
        ):
            return False
        request.survey_asked_at = self._clock()
        return True
