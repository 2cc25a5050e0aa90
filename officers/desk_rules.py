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

from domain.status import RequestStatus


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
    due_at: dt.datetime,
    claimed_until: dt.datetime | None,
    now: dt.datetime,
) -> bool:
    """Whether a decision can still be undone without the person ever hearing of it: its
    notification (telling status value ``told``) is the one of this decision (``decided``),
    waits out its grace (due at ``due_at``, after ``now``), was never sent nor tried
    (``attempts``), and no sender holds it (``claimed_until`` past or None). All instants
    aware."""
    return (
        told == decided.value
        and not sent
        and attempts == 0
        and due_at > now
        and (claimed_until is None or claimed_until < now)
    )
