"""The ground every desk action stands on (:mod:`officers.desk`): a transaction on the
request once the officer may act on it, the one-owner rule (:meth:`DeskCore._claim`), the
freshness of a button, the paused clock, and a move along a legal path with its audit row
and the person's notice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable, Collection
from contextlib import asynccontextmanager
from typing import Final, Generic, TypedDict, TypeVar

from domain.sla import add_working_days, riyadh_date, working_days_between
from domain.status import IllegalTransition, RequestStatus, can_move
from domain.their_say import survey_due
from officers.desk_port import DeskRow, DeskStore, DeskUnit, DeskWords
from officers.desk_rules import held_by_another, may_act, still_fresh
from officers.failures import AlreadyTaken, MissingReason, StaleAction
from officers.officer import Officer
from officers.their_say import QUIET_KINDS

log = logging.getLogger(__name__)

R = TypeVar("R")
F = TypeVar("F")

#: How long a decision waits before the person is told, so it can be undone (seconds).
DECISION_GRACE_S: Final = 60


class Acting(TypedDict, total=False):
    """How an officer acts, the same for every action of the desk (keyword arguments):
    ``offered``, the version of the request the action's button was shown for (None or
    absent: no button, nothing to be out of date), and ``over``, whether a request another
    officer has is taken over on purpose (absent: False). See :meth:`DeskCore._claim`."""

    offered: int | None
    over: bool


class DeskCore(Generic[R, F]):
    """What the desk's use cases are made of, on ``store``; ``words`` writes what
    officers are told under a card, ``clock`` gives aware UTC instants, ``holidays`` the
    official holidays the seven working days skip."""

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

    @asynccontextmanager
    async def _acting(
        self, number: str, officer: Officer, how: Acting
    ) -> AsyncIterator[tuple[DeskUnit[R, F], DeskRow]]:
        """A transaction on the request, once ``officer`` may act on it (:meth:`_claim`)."""
        async with self._store.transaction() as unit:
            request = await unit.load(number)
            await self._claim(unit, request, officer, how)
            yield unit, request

    async def _claim(
        self,
        unit: DeskUnit[R, F],
        request: DeskRow,
        officer: Officer,
        how: Acting,
        *,
        ownership_first: bool = False,
    ) -> bool:
        """The one rule for every officer's action, from any door (the staff group's
        buttons, prompts and commands, ``tawasul staff``): a request another officer has
        is acted on only when ``how`` says ``over`` on purpose; otherwise :class:`AlreadyTaken`,
        with nothing changed. A decision first checks that its button is not out of date
        (:class:`StaleAction`: the officer decided on what they saw, and should look
        again); a take (``ownership_first``) first says who has it, which is what a take
        needs to know. Taking over changes hands at once: an audit row (the status
        unchanged, the reason the first officer's name) and a word to the first officer
        under the card. Returns whether hands changed."""
        unknown = set(how) - set(Acting.__annotations__)
        if unknown:  # mypy sees a mistyped keyword; this says it at run time too
            raise TypeError(f"unexpected keyword arguments: {sorted(unknown)}")
        offered, over = how.get("offered"), how.get("over", False)
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
        # the person's notes (and files for a reconsideration) leave the buttons valid
        changes = [
            (c.actor, c.from_status, c.to_status)
            for c in await unit.changes(request)
            if c.kind not in QUIET_KINDS
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
        why: str | None = None,
    ) -> None:
        """Moves the status along a legal path (else :class:`IllegalTransition`), with
        its audit row and, when ``notify``, the person's notice held back by ``delay``
        (``why``: the officer's reason for a reopening, told to the person)."""
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
                why=why,
            )
        log.info("request %s: %s -> %s by %s", request.number, current, to, actor.split(":")[0])

    def _survey_due(self, request: DeskRow, to: RequestStatus) -> bool:
        """Whether the notice asks how satisfied the person is: after a decision, once
        per decision (issue 13; a reopening clears ``survey_asked_at``)."""
        if not survey_due(to, asked_for_this_decision=request.survey_asked_at is not None):
            return False
        request.survey_asked_at = self._clock()
        return True


def required(words: str, missing: str) -> str:
    """The officer's words without their outer blanks; raises
    :class:`~officers.failures.MissingReason` (saying ``missing``) when nothing is left."""
    words = words.strip()
    if not words:
        raise MissingReason(missing)
    return words
