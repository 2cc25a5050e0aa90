"""The desk's rules, pure: who may act on a request, and whether a button still applies.

The desk (:mod:`officers.desk_core`) reads the request and its audit trail from its store
in its transaction and asks these; the staff group asks them too before it offers a menu or a
prompt, so nobody types a reason only to be refused (the desk asks again when it acts).

**One owner.** A request has one officer at a time: an officer may act on one nobody has
or their own; one another officer has only when they take it over on purpose (``/takeover``
in the group, ``--over`` at the terminal).

**Buttons act on the request as it is now.** A button says the version it was offered for:
how many audit rows (notes aside) the request had. It still applies when nothing changed
since, or only this officer's own take (they take, then decide, from the same card).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from domain.status import FINAL, RequestStatus


class Acting(Protocol):
    """The officer acting, as the rules need them (:class:`officers.officer.Officer` is one)."""

    @property
    def actor(self) -> str:
        """The owner key written to the request's ``assigned_to``."""
        ...

    def signed(self, actor: str) -> bool:
        """Whether an audit trail's ``actor`` is this officer."""
        ...


def held_by_another(assigned_to: str | None, officer: Acting) -> bool:
    """Whether the request's owner key ``assigned_to`` is another officer's: then
    ``officer`` may act on it only by taking it over."""
    return assigned_to is not None and assigned_to != officer.actor


def may_act(assigned_to: str | None, officer: Acting, *, over: bool) -> bool:
    """The one-owner rule: nobody's, the officer's own, or taken over on purpose."""
    return over or not held_by_another(assigned_to, officer)


def still_fresh(
    changes: Sequence[tuple[str, str | None, str]], officer: Acting, offered: int
) -> bool:
    """Whether an action offered at version ``offered`` still applies to a request whose
    audit trail is ``changes`` ((actor, from status, to status) values, oldest first, notes
    left out): nothing happened since, or only this officer taking it (a take writes
    received -> under review, a takeover the same status twice)."""
    if offered > len(changes):
        return False
    for actor, before, after in changes[offered:]:
        took = before == after or (
            before == RequestStatus.RECEIVED.value and after == RequestStatus.UNDER_REVIEW.value
        )
        if not (took and officer.signed(actor)):
            return False
    return True


def decision_withdrawable(
    *,
    decided: RequestStatus,
    told: str | None,
    sent: bool,
    attempts: int,
    claimed_until: dt.datetime | None,
) -> bool:
    """Whether a decision can still be undone without the person ever hearing of it: its
    notification (telling status value ``told``) is the one of this decision (``decided``),
    was never sent nor tried (``attempts``), and no sender has taken it (``claimed_until``
    None: a sender clears its claim only when it gives the row back untried or writes
    what came of it).

    Only what the outbox stored decides, never an instant against this worker's clock
    (review 11, §3): ``due_at > now`` and a claim «lapsed» by ``claimed_until < now``
    compared instants other workers wrote with this one's clock, so a worker two hours
    ahead called a notice still waiting «too late», and could have taken one a sender was
    delivering for a dead claim. The grace is the least a decision waits; until a sender
    takes its notice it is undone unseen, which is the same fact
    :meth:`officers.their_say.TheirSay._told` reads for the person."""
    return told == decided.value and not sent and attempts == 0 and claimed_until is None


def undid_unseen(
    from_status: RequestStatus | None, to_status: RequestStatus, reason: str | None
) -> bool:
    """Whether a move of the audit trail is an undo (:meth:`officers.desk.Desk.undo`): out
    of a decision with no reason. A reopening always has one (the officer's, or the
    person's reconsideration), so the trail alone tells the two apart, on any worker: an
    undo's decision was never told (its notice was withdrawn before any sender took it)."""
    return from_status in FINAL and to_status not in FINAL and not (reason or "").strip()
