"""What the use cases of the person's say (:mod:`officers.their_say`) need from the world,
as ports: the person's own request under its row lock, when it was decided, its audit
trail, and what is queued for the officers in the same transaction.

``bot.staff.their_say`` implements them on SQL and the outbox (through the desk's own
transaction, ``bot.staff.desk_sql``); the unit tests use an in-memory fake. Nothing here
names a table, a channel or a text: the officers' words come from a :class:`SayWords`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from typing import Protocol, TypeVar

from officers.trail_port import TrailUnit

#: The request as the store hands it back (``bot``: ``RequestRecord``).
R_co = TypeVar("R_co", covariant=True)
#: A file the person sent with a note (``conversations``: ``AttachmentInfo``).
F_contra = TypeVar("F_contra", contravariant=True)


class SayRow(Protocol):
    """The person's request as these use cases read and change it, locked for the
    transaction (``bot``'s SQL ``Request`` is one). ``status`` is a
    :class:`RequestStatus` value; instants are aware UTC."""

    number: str
    status: str
    updated_at: dt.datetime
    satisfaction: int | None
    satisfaction_at: dt.datetime | None
    #: the audit-trail entry (its id) of the decision the rating is about
    satisfaction_decision: int | None
    satisfaction_comment: str | None
    reconsider_reason: str | None


class SayUnit(TrailUnit[SayRow], Protocol[R_co, F_contra]):
    """One write transaction on one request's lock: everything written through it is
    kept together or not at all."""

    async def owned(self, number: str, channel: str, user_key: str) -> SayRow | None:
        """The request numbered ``number`` when this chat (``channel``, ``user_key``)
        filed it, locked until the transaction ends; None for a missing request and for
        someone else's alike (one answer, after the same work, so none can be probed)."""
        ...

    async def decided_at(self, request: SayRow) -> dt.datetime | None:
        """When the request last moved into the status it has now (a change of hands
        since leaves the status as it was), or None when its trail shows no such move."""
        ...

    async def notice_waiting(self, request: SayRow) -> bool:
        """Whether the person's notice of the request's current decision still waits to go:
        queued, never tried, held by no sender. False when none waits (sent, being sent, or
        none queued). A fact the sender writes, read the same by every worker: no clock."""
        ...

    async def decider(self, request: SayRow) -> str | None:
        """Who made that move: the audit trail's actor of the entry :meth:`decided_at`
        dates (``officer:<id>:<name>`` from the staff group, ``terminal:<name>`` …), or
        None when its trail shows no such move."""
        ...

    async def decision(self, request: SayRow) -> int | None:
        """The id of the audit-trail entry of that move (the one :meth:`decided_at` dates),
        or None when its trail shows no such move."""
        ...

    def keep_rating(
        self, request: SayRow, *, decision: int | None, rating: int, at: dt.datetime
    ) -> None:
        """Keeps the ``rating`` (1-5) of one decision (``decision``: its trail entry's id),
        beside the ratings of the request's earlier decisions, which a later one never
        replaces there (only the request's own columns hold the decision that stands)."""
        ...

    async def keep_comment(self, request: SayRow, text: str) -> None:
        """The comment on the request's latest kept rating (the one just given)."""
        ...

    def word_to_staff(self, request: SayRow, html: str) -> None:
        """Queues a message to the officers under the request's card."""
        ...

    async def refresh_card(self, request: SayRow) -> None:
        """Queues a fresh render of the request's card."""
        ...

    async def add_files(
        self, request: SayRow, files: Sequence[F_contra], *, at: dt.datetime
    ) -> int:
        """Joins the person's files to the request; returns how many it had before."""
        ...

    def send_files(self, request: SayRow, *, first: int, count: int) -> None:
        """Queues its ``count`` files from the ``first``-th (in filing order) for the
        officers, under the card: that batch only, so batches never overlap."""
        ...

    async def announce_note(
        self, request: SayRow, text: str, files: int, *, at: dt.datetime, wait: dt.timedelta
    ) -> None:
        """Joins a note (its ``text`` and how many ``files``) to the request's message to
        the officers still waiting to go, or queues one that waits ``wait`` from ``at``
        for the notes that follow, so the officers get one message for a burst of notes."""
        ...

    async def read(self, request: SayRow) -> R_co:
        """The request as it stands now in this transaction (its card not refreshed)."""
        ...


class SayStore(Protocol[R_co, F_contra]):
    """Where these use cases' transactions come from."""

    def transaction(self) -> AbstractAsyncContextManager[SayUnit[R_co, F_contra]]:
        """A new write transaction; it commits when the block ends without an error."""
        ...


class SayWords(Protocol):
    """The words to the officers about the person's say (HTML for the staff group), in
    the staff's language (``bot.staff.say_words.SayWords`` is one)."""

    def note_audit(self, text: str, files: int) -> str | None:
        """What the audit trail keeps of a note (None: nothing beyond its kind)."""
        ...

    def reconsider(
        self, number: str, reason: str, files: int, *, decided_by: str | None = None
    ) -> str:
        """The person asks for the rejection of ``number`` to be reconsidered, with
        ``files`` photos or files that follow the word; ``decided_by``, the audit actor of
        the rejection, is named so that the officer who decided is alerted (§12d)."""
        ...

    def reconsider_files(self, number: str, files: int) -> str:
        """The person sends ``files`` more photos or files for their reconsideration."""
        ...

    def low_rating(self, number: str, rating: int, comment: str) -> str:
        """A low rating of ``number`` came with this comment."""
        ...
