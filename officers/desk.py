"""The desk's use cases: take, ask for more information, accept, reject, undo, reopen,
answer a reconsideration, and the person's answer to a question. Each is one transaction
of a :class:`~officers.desk_port.DeskStore` that moves the status along a legal path,
writes the audit row, and queues what must be sent (the person's notice, the refreshed
staff card, a word to an officer), so every door to the desk (the Telegram staff group,
``tawasul staff``) changes a request the same way and no other.

**One owner.** A request has one officer at a time: taking, asking about, deciding,
undoing or reopening one somebody else has is refused
(:class:`~officers.failures.AlreadyTaken`) unless the officer takes it *over* on purpose
(``over=True``: ``/takeover`` in the group, ``--over`` at the terminal), which is audited
and tells the first officer (:meth:`officers.desk_core.DeskCore._claim`).
Whoever acts on a request nobody has becomes its officer. The rules themselves, pure, are
:mod:`officers.desk_rules`.

**Buttons act on the request as it is now.** An action may say the version it was offered
for (how many audit rows, notes aside, the request had). When other changes were made
since, it is refused with :class:`~officers.failures.StaleAction`, except that the
officer's own take in between does not count (they take, then accept, from the same card).

**Second thoughts.** A decision reaches the person after ``decision_grace_s`` (the
notice is held back until then); until a sender takes the notice :meth:`Desk.undo` takes
it back with no trace for the person.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, TypeVar, Unpack

from domain.sla import due_date
from domain.status import FINAL, IllegalTransition, RequestStatus
from domain.their_say import SayRefused
from officers.desk_core import DECISION_GRACE_S, Acting, DeskCore, required
from officers.desk_port import InternalNote
from officers.desk_rules import decision_withdrawable
from officers.failures import NothingToUndo, NotTheOwner, Taken, TooLateToUndo
from officers.officer import Officer, resident_actor

__all__ = ["DECISION_GRACE_S", "Acting", "Desk"]

R = TypeVar("R")
F = TypeVar("F")

MAX_QUESTION: Final = 1000
MAX_REASON: Final = 1000
#: An officer's internal note is cut to this many characters.
MAX_NOTE: Final = 2000
#: The audit kind of an answer to a reconsideration that keeps the rejection.
KEPT: Final = "kept"


class Desk(DeskCore[R, F]):
    """The officers' decisions and the person's answer (see the module)."""

    # ---- officers ---------------------------------------------------------------------

    async def take(self, number: str, officer: Officer, **how: Unpack[Acting]) -> Taken[R]:
        """Assigns the request; a first take moves it to "under review". Raises
        :class:`~officers.failures.AlreadyTaken` when someone else has it, unless ``over``
        (taking over, which is audited and queues a word to the first officer under the
        card). A decided request can only be taken over (to undo, reopen or answer a
        reconsideration)."""
        async with self._store.transaction() as unit:
            request = await unit.load(number)
            status = RequestStatus(request.status)
            mine = request.assigned_to == officer.actor
            if status in FINAL and (mine or request.assigned_to is None or not how.get("over")):
                raise IllegalTransition(status, RequestStatus.UNDER_REVIEW)
            if mine:
                return Taken(await unit.read(request, refresh_card=False), already=True)
            previous = request.assigned_name
            if await self._claim(unit, request, officer, how, ownership_first=True):
                return Taken(await unit.read(request), previous=previous)
            request.assigned_to, request.assigned_name = officer.actor, officer.name
            if status is RequestStatus.RECEIVED:
                self._move(unit, request, RequestStatus.UNDER_REVIEW, officer.signature)
            else:
                # a take is part of the audit trail too, with the status unchanged
                unit.record(request, officer.signature, status, status, None, at=self._clock())
            return Taken(await unit.read(request))

    async def ask(self, number: str, officer: Officer, question: str, **how: Unpack[Acting]) -> R:
        """Asks the person for more information: the clock stops until they answer.
        Raises :class:`~officers.failures.MissingReason` without a question."""
        question = required(question, "a question is required")
        async with self._acting(number, officer, how) as (unit, request):
            request.pending_question = question[:MAX_QUESTION]
            request.paused_since = self._clock()
            request.assigned_to, request.assigned_name = officer.actor, officer.name
            self._move(unit, request, RequestStatus.NEEDS_INFO, officer.signature, question)
            return await unit.read(request)

    async def accept(
        self, number: str, officer: Officer, note: str | None = None, **how: Unpack[Acting]
    ) -> R:
        """Accepts the request, with an optional note the person reads; they are told
        after the grace period."""
        async with self._acting(number, officer, how) as (unit, request):
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

    async def reject(self, number: str, officer: Officer, reason: str, **how: Unpack[Acting]) -> R:
        """Rejects the request with the reason the person reads; they are told after the
        grace period, and offered to ask once for a reconsideration. Raises
        :class:`~officers.failures.MissingReason` without a reason."""
        reason = required(reason, "a reason is required to reject")
        async with self._acting(number, officer, how) as (unit, request):
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

    async def undo(self, number: str, officer: Officer, **how: Unpack[Acting]) -> R:
        """Takes back a decision the person has not been told of yet: its notification is
        withdrawn and the request is back under review with this officer, in an audit row
        with no reason (which is how the person's history leaves both out,
        :func:`officers.desk_rules.undid_unseen`). Raises
        :class:`TooLateToUndo` once a sender has taken the notification (sent, tried or
        being sent: :func:`officers.desk_rules.decision_withdrawable`), and
        :class:`NothingToUndo` when the request is not decided (undone already, or never
        decided): then nobody was told anything."""
        async with self._store.transaction() as unit:
            request = await unit.load(number)
            status = RequestStatus(request.status)
            if status not in FINAL:
                raise NothingToUndo(number, status)
            await self._claim(unit, request, officer, how)
            # the decision's notification is the request's latest one; what the outbox
            # did with it decides, not this worker's clock (decision_withdrawable)
            notice = await unit.latest_notice(request)
            if notice is None or not decision_withdrawable(
                decided=status,
                told=notice.told,
                sent=notice.sent,
                attempts=notice.attempts,
                claimed_until=notice.claimed_until,
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

    async def reopen(self, number: str, officer: Officer, reason: str, **how: Unpack[Acting]) -> R:
        """Takes a decided request back to review, on purpose and with a reason, which
        the person is told. The seven working days start again from today."""
        return await self._reopen(number, officer, reason, told=True, how=how)

    async def _reopen(
        self, number: str, officer: Officer, reason: str, *, told: bool, how: Acting
    ) -> R:
        """``told``: the reason goes in the person's notice (not when it is their own
        reconsideration's, which they know)."""
        reason = required(reason, "a reason is required to reopen")
        async with self._acting(number, officer, how) as (unit, request):
            request.decision_reason = None
            request.reconsider_reason = None  # a reconsideration asked for is answered
            # the next decision is a new one, whose notice asks how satisfied they are
            request.survey_asked_at = None
            request.due_date = due_date(self._clock(), holidays=self._holidays)
            request.reminded_at = request.escalated_at = None
            request.assigned_to, request.assigned_name = officer.actor, officer.name
            self._move(
                unit,
                request,
                RequestStatus.UNDER_REVIEW,
                officer.signature,
                reason,
                reopen=True,
                why=reason[:MAX_REASON] if told else None,
            )
            return await unit.read(request)

    async def keep_rejected(
        self, number: str, officer: Officer, reason: str = "", **how: Unpack[Acting]
    ) -> R:
        """Answers a reconsideration by keeping the rejection; the person is told, with
        the officer's ``reason`` for keeping it (cut to :data:`MAX_REASON`; the group's
        «keep» button asks for it; without one the notice says the officer gave none). Another officer's request
        needs ``over`` (see :meth:`_claim`). Raises :class:`SayRefused` ("not_rejected")
        when no reconsideration is waiting."""
        why = reason.strip()[:MAX_REASON] or None
        async with self._acting(number, officer, how) as (unit, request):
            if request.status != RequestStatus.REJECTED.value or not request.reconsider_reason:
                raise SayRefused(number, "not_rejected")
            request.reconsider_reason = None
            request.assigned_to, request.assigned_name = officer.actor, officer.name
            status = RequestStatus(request.status)
            now = self._clock()
            request.updated_at = now
            unit.record(request, officer.signature, status, status, why, at=now, kind=KEPT)
            unit.tell_kept(request, why)
            return await unit.read(request)

    async def reopen_on_request(self, number: str, officer: Officer, **how: Unpack[Acting]) -> R:
        """Answers a reconsideration by reopening, with the person's reason as the why;
        the person is told it is being reviewed again. Raises :class:`SayRefused`
        ("not_rejected") when no reconsideration is waiting."""
        async with self._store.transaction() as unit:
            request = await unit.load(number)
            status, reason = request.status, request.reconsider_reason
        if status != RequestStatus.REJECTED.value or not reason:
            raise SayRefused(number, "not_rejected")
        return await self._reopen(number, officer, reason, told=False, how=how)

    async def note(self, number: str, officer: Officer, text: str) -> InternalNote:
        """Adds an internal note to the request, for the officers only: the person is
        never sent it, and nothing of the request changes (its status, officer, clock and
        the version its buttons carry stay as they are), so any officer may write one,
        whoever has the request. Raises :class:`~officers.failures.MissingReason` without
        words, :class:`~officers.failures.RequestNotFound` for an unknown number."""
        text = required(text, "a note needs words")[:MAX_NOTE]
        async with self._store.transaction() as unit:
            request = await unit.load(number)
            note = InternalNote(officer.signature, self._clock(), text)
            unit.add_internal_note(request, note)
            return note

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
                unit.send_files(request, first=had, count=len(attachments))
            return record
