"""The person's say after filing, as use cases (issue 13): a note or document joining an
open request, the satisfaction rating and its comment after a decision, one request to
reconsider a rejection. The officers' answer to a reconsideration (reopen, or keep it
rejected) is a use case of :mod:`officers.desk`.

Each is one transaction of a :class:`~officers.say_port.SayStore` on the request's row
lock, like every desk action, so two workers taking the same person's taps cannot both
rate, both ask to reconsider, or lose a note. What the officers must know goes under the
card in the same transaction: a reconsideration's reason, a low rating's comment, and the
notes, in batches (a note opens one message that waits :data:`NOTE_BATCH_S`, and the
notes that follow within that time join it, so officers get one message, sent at the
group's pace, rather than one per line the person types).

The rules themselves, pure, are :mod:`domain.their_say`; refusals raise its
:class:`~domain.their_say.SayRefused`, worded by the dialogues.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Final, Generic, TypeVar

from domain.status import FINAL, RequestStatus
from domain.their_say import (
    MAX_NOTE,
    SayRefused,
    is_low,
    may_add_note,
    may_comment,
    may_rate,
    may_reconsider,
    rated_this_decision,
)
from officers.officer import resident_actor
from officers.say_port import SayRow, SayStore, SayUnit, SayWords

R = TypeVar("R")
F = TypeVar("F")

#: How long a note's staff message waits for more notes to join it (seconds).
NOTE_BATCH_S: Final = 60
#: The audit kinds of a reconsideration asked and of a note (the status left as it was).
RECONSIDER: Final = "reconsider"
NOTE: Final = "note"
#: The audit kind of files sent for a reconsideration after its reason; the row's reason
#: is how many (ASCII digits), worded by whoever shows the trail. Found by the review of
#: session 10: written as a note, they read «إضافة ملاحظة: (ملف واحد)» to the officers and
#: were listed among the person's notes.
RECONSIDER_FILES: Final = "recon_files"
#: The kinds of the person's rows that change nothing an officer decides on: they leave
#: the card's buttons valid (``bot.staff.callbacks.version``, the desk's freshness check).
QUIET_KINDS: Final = frozenset({NOTE, RECONSIDER_FILES})


class TheirSay(Generic[R, F]):
    """The person's say on ``store``; ``words`` word what the officers are told, ``clock``
    gives aware UTC instants, ``grace`` is how long a decision waits before the person is
    told (:attr:`officers.desk_core.DeskCore.decision_grace_s`): until its notice is out
    there is nothing to rate or reconsider, as the officer may still take it back unseen
    (:meth:`_told`)."""

    def __init__(
        self,
        store: SayStore[R, F],
        words: SayWords,
        *,
        clock: Callable[[], dt.datetime],
        grace: dt.timedelta,
        note_batch_s: int = NOTE_BATCH_S,
    ) -> None:
        self._store = store
        self._words = words
        self._clock = clock
        self._grace = grace
        self._note_wait = dt.timedelta(seconds=note_batch_s)

    async def may_say(self, what: str, number: str, channel: str, user_key: str) -> None:
        """Raises :class:`SayRefused` when a "note", "recon" or "comment" could not be
        taken now (see :mod:`domain.their_say`)."""
        async with self._store.transaction() as unit:
            request = await _owned(unit, number, channel, user_key)
            refusal = await self._refusal(unit, what, request)
            if refusal is not None:
                raise SayRefused(number, refusal)

    async def rate(self, number: str, channel: str, user_key: str, rating: int) -> None:
        """Stores the person's satisfaction (1-5) with the request's decision, once per
        decision: after a reopening, the new decision's rating replaces the earlier one on
        the request (and its comment, which officers already saw under the card when it
        was low), so the request counts once, for the decision that stands; each
        decision's rating and comment are also kept on their own
        (:meth:`~officers.say_port.SayUnit.keep_rating`), so the first decision's is not
        lost (raised in session 11)."""
        async with self._store.transaction() as unit:
            request = await _owned(unit, number, channel, user_key)
            refusal = may_rate(
                RequestStatus(request.status),
                rated=await self._rated(unit, request),
                told=await self._told(unit, request),
            )
            if refusal is not None:
                raise SayRefused(number, refusal)
            now, decision = self._clock(), await unit.decision(request)
            request.satisfaction, request.satisfaction_at = rating, now
            request.satisfaction_decision = decision
            request.satisfaction_comment = None
            unit.keep_rating(request, decision=decision, rating=rating, at=now)

    async def comment(self, number: str, channel: str, user_key: str, text: str) -> None:
        """The comment that goes with the rating (cut to :data:`MAX_NOTE`); a low
        rating's comment is posted under the card for the officers."""
        text = text.strip()[:MAX_NOTE]
        async with self._store.transaction() as unit:
            request = await _owned(unit, number, channel, user_key)
            refusal = await self._refusal(unit, "comment", request)
            if refusal is not None:
                raise SayRefused(number, refusal)
            request.satisfaction_comment = text
            await unit.keep_comment(request, text)
            if request.satisfaction is not None and is_low(request.satisfaction) and text:
                unit.word_to_staff(
                    request, self._words.low_rating(number, request.satisfaction, text)
                )

    async def add_note(
        self, number: str, channel: str, user_key: str, text: str, files: Sequence[F]
    ) -> R:
        """The note (cut to :data:`MAX_NOTE`) and its files join the open request and its
        audit trail, and are announced under the card with the notes that follow within
        the batch window; the files go to the officers after the ones it had."""
        text = text.strip()[:MAX_NOTE]
        async with self._store.transaction() as unit:
            request = await _owned(unit, number, channel, user_key)
            refusal = may_add_note(
                RequestStatus(request.status), reconsidering=bool(request.reconsider_reason)
            )
            if refusal is not None:
                raise SayRefused(number, refusal)
            now = self._clock()
            had = await unit.add_files(request, files, at=now)
            audit = self._words.note_audit(text, len(files))
            _same_status(unit, request, resident_actor(channel, user_key), NOTE, audit, now)
            await unit.announce_note(request, text, len(files), at=now, wait=self._note_wait)
            record = await unit.read(request)
            if files:
                unit.send_files(request, first=had, count=len(files))
            return record

    async def reconsider(
        self, number: str, channel: str, user_key: str, reason: str, files: Sequence[F] = ()
    ) -> None:
        """The person asks, once and with a reason (cut to :data:`MAX_NOTE`), for the
        rejection to be reconsidered: the card shows it as a proposal to reopen, and a
        word goes under it, followed by the photos or files they sent with the reason
        (kept with the request's attachments). The word names the officer who rejected it
        (the trail's actor of the rejection), so that officer is alerted: found in session
        14 (§12d), the word reached the group with no one named, and the one who knew the
        case could miss it. An empty reason is refused as "not_decided" (the dialogue never
        sends one)."""
        reason = reason.strip()[:MAX_NOTE]
        if not reason:
            raise SayRefused(number, "not_decided")
        async with self._store.transaction() as unit:
            request = await _owned(unit, number, channel, user_key)
            refusal = await self._refusal(unit, "recon", request)
            if refusal is not None:
                raise SayRefused(number, refusal)
            request.reconsider_reason = reason
            actor = resident_actor(channel, user_key)
            now = self._clock()
            had = await unit.add_files(request, files, at=now)
            decided_by = await unit.decider(request)
            _same_status(unit, request, actor, RECONSIDER, reason, now)
            word = self._words.reconsider(number, reason, len(files), decided_by=decided_by)
            unit.word_to_staff(request, word)
            await unit.refresh_card(request)
            if files:
                unit.send_files(request, first=had, count=len(files))

    async def add_to_reconsideration(
        self, number: str, channel: str, user_key: str, files: Sequence[F]
    ) -> None:
        """Photos or files sent just after the reason (an album whose caption was the
        reason, a photo sent a moment later) join the reconsideration while it still waits
        for the officers: kept with the request's attachments, in its audit trail as
        :data:`RECONSIDER_FILES` with their count, and sent under the card after a word
        saying what they are. Raises
        :class:`SayRefused` ("closed") once the officers have answered it."""
        async with self._store.transaction() as unit:
            request = await _owned(unit, number, channel, user_key)
            waiting = request.status == RequestStatus.REJECTED.value and request.reconsider_reason
            if not waiting:
                raise SayRefused(number, "closed")
            now = self._clock()
            had = await unit.add_files(request, files, at=now)
            actor = resident_actor(channel, user_key)
            _same_status(unit, request, actor, RECONSIDER_FILES, str(len(files)), now)
            unit.word_to_staff(request, self._words.reconsider_files(number, len(files)))
            unit.send_files(request, first=had, count=len(files))

    # ---- internals --------------------------------------------------------------------

    async def _told(self, unit: SayUnit[R, F], request: SayRow) -> bool:
        """Whether the person has been told of the request's decision: its notice is out
        (sent, or taken by a sender), so the officer can no longer take it back unseen.
        Until then the decision may vanish, and a rating or a reconsideration of it would
        be of nothing the person saw. With no grace a decision is final at once.

        Found by review 11 (item 4): this compared this worker's clock with the instant the
        deciding worker wrote (``now - decided >= grace``), so on a worker two hours ahead
        a rating was taken within the grace, before the person was told (and the decision
        could still be undone), and on one behind, a person holding the notice was told
        there was no decision yet. What the outbox recorded of the notice (a fact written
        by the one sender that sent it) decides now, the same on every worker."""
        if RequestStatus(request.status) not in FINAL:
            return False
        if self._grace <= dt.timedelta(0):
            return True
        return not await unit.notice_waiting(request)

    async def _rated(self, unit: SayUnit[R, F], request: SayRow) -> bool:
        """Whether the request's latest decision has been rated (a rating of a decision
        before a reopening does not count)."""
        if request.satisfaction is None:
            return False
        if request.satisfaction_decision is not None:
            return rated_this_decision(
                None,
                None,
                rated=True,
                rated_decision=request.satisfaction_decision,
                decision=await unit.decision(request),
            )
        return rated_this_decision(
            request.satisfaction_at, await unit.decided_at(request), rated=True
        )

    async def _refusal(self, unit: SayUnit[R, F], what: str, request: SayRow) -> str | None:
        """Why a "note", "recon" or "comment" cannot be taken now; None when it can."""
        status = RequestStatus(request.status)
        if what == "note":
            return may_add_note(status, reconsidering=bool(request.reconsider_reason))
        if what == "recon":
            return may_reconsider(
                status,
                asked_before=await unit.reconsidered(request),
                pending=bool(request.reconsider_reason),
                told=await self._told(unit, request),
            )
        return may_comment(
            rated=request.satisfaction is not None,
            commented=request.satisfaction_comment is not None,
        )


async def _owned(unit: SayUnit[R, F], number: str, channel: str, user_key: str) -> SayRow:
    request = await unit.owned(number, channel, user_key)
    if request is None:
        raise SayRefused(number, "not_theirs")
    return request


def _same_status(
    unit: SayUnit[R, F],
    request: SayRow,
    actor: str,
    kind: str,
    reason: str | None,
    now: dt.datetime,
) -> None:
    """An audit row that leaves the status as it was (a note, a reconsideration)."""
    request.updated_at = now
    status = RequestStatus(request.status)
    unit.record(request, actor, status, status, reason, at=now, kind=kind)
