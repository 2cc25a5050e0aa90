"""What the desk's use cases (:mod:`officers.desk`) need from the world, as ports: the
request's row under its lock, its audit trail, and what is queued for people in the same
transaction (the person's notice, a word to the officers, the card's refresh).

``bot.staff.desk_sql`` implements them on SQL and the outbox; the unit tests use an
in-memory fake. Nothing here names a table, a channel or a text: the store writes the
person's notice in their language from the status it is given, and the officers' words
come from a :class:`DeskWords`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Protocol, TypeVar

from domain.status import RequestStatus
from officers.officer import Officer
from officers.trail_port import TrailUnit

#: The request as the store hands it back (``bot``: ``RequestRecord``).
R_co = TypeVar("R_co", covariant=True)
#: A file the person sent with an answer (``conversations``: ``AttachmentInfo``).
F_contra = TypeVar("F_contra", contravariant=True)


class DeskRow(Protocol):
    """The request's row as the use cases read and change it, locked for the transaction
    (``bot``'s SQL ``Request`` is one). Statuses are :class:`RequestStatus` values; every
    instant is aware UTC, dates are Riyadh dates."""

    number: str
    status: str
    service_id: str
    channel: str
    user_key: str
    due_date: dt.date
    updated_at: dt.datetime
    assigned_to: str | None
    assigned_name: str | None
    pending_question: str | None
    paused_since: dt.datetime | None
    decision_reason: str | None
    reconsider_reason: str | None
    reminded_at: dt.datetime | None
    escalated_at: dt.datetime | None
    survey_asked_at: dt.datetime | None
    satisfaction: int | None


@dataclass(frozen=True, slots=True)
class Change:
    """One row of the audit trail: who (a signature), from and to which status values,
    and its kind (None for a change of status or hands, "note", "reconsider", "kept")."""

    actor: str
    from_status: str | None
    to_status: str
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class InternalNote:
    """An officer's note on a request, for the officers only (never sent to the person):
    who wrote it (``author``, an officer's signature), when (aware UTC) and the words."""

    author: str
    at: dt.datetime
    text: str


@dataclass(frozen=True, slots=True)
class PendingNotice:
    """The person's latest notification about a request, as far as an undo needs it:
    ``told`` the status value it tells, whether it was ``sent`` or tried (``attempts``),
    whether a sender holds it (``claimed_until``, None when none), and whether it asks the
    satisfaction question (``survey``). ``id`` names it to :meth:`DeskUnit.withdraw`."""

    id: int
    told: str | None
    sent: bool
    attempts: int
    claimed_until: dt.datetime | None
    survey: bool


class DeskUnit(TrailUnit[DeskRow], Protocol[R_co, F_contra]):
    """One write transaction on one request's lock: everything written through it is
    kept together or not at all, in the order written."""

    async def load(self, number: str) -> DeskRow:
        """The request, locked until the transaction ends. Raises
        :class:`officers.failures.RequestNotFound`."""
        ...

    async def changes(self, request: DeskRow) -> list[Change]:
        """Its audit trail, oldest first, notes and all."""
        ...

    def tell(
        self,
        request: DeskRow,
        status: RequestStatus,
        *,
        not_before: dt.datetime | None,
        reconsider: bool,
        survey: bool,
        why: str | None = None,
    ) -> None:
        """Queues the person's notice of ``status`` (with the request's reason, question
        and due date as they are now), held back until ``not_before``; ``reconsider``
        offers to ask for the rejection to be reconsidered, ``survey`` asks how satisfied
        they are, ``why`` is the officer's reason for reopening a decided request."""
        ...

    def tell_kept(self, request: DeskRow, why: str | None) -> None:
        """Queues the person's notice that the rejection is kept after reconsidering,
        with the officer's reason for keeping it (``why``; None when they gave none)."""
        ...

    def word_to_staff(self, request: DeskRow, html: str) -> None:
        """Queues a message to the officers under the request's card."""
        ...

    def add_internal_note(self, request: DeskRow, note: InternalNote) -> None:
        """Keeps an officer's internal note on it; nothing is queued for anyone."""
        ...

    async def refresh_card(self, request: DeskRow) -> None:
        """Queues a fresh render of the request's card."""
        ...

    async def latest_notice(self, request: DeskRow) -> PendingNotice | None:
        """The person's latest notification about it, locked, or None."""
        ...

    async def withdraw(self, notice: PendingNotice) -> None:
        """Deletes a notification :meth:`latest_notice` found: it is never sent."""
        ...

    async def add_files(
        self, request: DeskRow, files: Sequence[F_contra], *, at: dt.datetime
    ) -> int:
        """Joins the person's files to the request; returns how many it had before."""
        ...

    def send_files(self, request: DeskRow, *, first: int, count: int) -> None:
        """Queues its ``count`` files from the ``first``-th (in filing order) for the
        officers, under the card: that batch only, so batches never overlap."""
        ...

    async def read(self, request: DeskRow, *, refresh_card: bool = True) -> R_co:
        """The request as it stands now in this transaction (its card refreshed first,
        unless ``refresh_card`` is False)."""
        ...


class DeskStore(Protocol[R_co, F_contra]):
    """Where the desk's transactions come from."""

    def transaction(self) -> AbstractAsyncContextManager[DeskUnit[R_co, F_contra]]:
        """A new write transaction; it commits when the block ends without an error."""
        ...


class DeskWords(Protocol):
    """The desk's words to the officers under a card (HTML for the staff group), in the
    staff's language (``bot.staff.announce.Announcer`` is one)."""

    def answered(
        self, number: str, asker: str | None, question: str | None, answer: str, files: int
    ) -> str:
        """The person answered the question ``asker`` (a signature) asked."""
        ...

    def taken_over(
        self, number: str, previous_actor: str, previous_name: str | None, officer: Officer
    ) -> str:
        """The request was taken over from ``previous_actor`` by ``officer``."""
        ...
