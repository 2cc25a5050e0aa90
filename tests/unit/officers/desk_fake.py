"""An in-memory desk store for the unit tests of :mod:`officers.desk` (the SQL one is
``bot.staff.desk_sql``, tested on SQLite and PostgreSQL in tests/integration).

What it shares with the say's fake (the audit trail, the words and files for the officers,
a transaction on a copy of the world) is in store_fake.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from domain.status import RequestStatus
from officers.desk_port import Change, DeskRow, InternalNote, PendingNotice
from officers.failures import RequestNotFound
from officers.officer import Officer
from tests.unit.officers.store_fake import Event, SharedStore, SharedUnit, SharedWorld

__all__ = ["Event", "FakeStore", "FakeUnit", "FakeWords", "Notice", "Row", "World"]


@dataclass
class Row:
    """A request as the desk sees it (a :class:`officers.desk_port.DeskRow`)."""

    number: str
    due_date: dt.date
    updated_at: dt.datetime
    status: str = RequestStatus.RECEIVED.value
    service_id: str = "iqama_renew"
    channel: str = "telegram"
    user_key: str = "501"
    assigned_to: str | None = None
    assigned_name: str | None = None
    pending_question: str | None = None
    paused_since: dt.datetime | None = None
    decision_reason: str | None = None
    reconsider_reason: str | None = None
    reminded_at: dt.datetime | None = None
    escalated_at: dt.datetime | None = None
    survey_asked_at: dt.datetime | None = None
    satisfaction: int | None = None


@dataclass
class Notice:
    """The person's notification as queued: the status it tells and how."""

    id: int
    number: str
    status: str
    not_before: dt.datetime | None
    due_at: dt.datetime
    reconsider: bool = False
    survey: bool = False
    kept: bool = False
    #: the officer's reason told with a reopening or a kept rejection
    why: str | None = None
    sent: bool = False
    attempts: int = 0
    claimed_until: dt.datetime | None = None


@dataclass
class World(SharedWorld):
    """Everything the store holds."""

    rows: dict[str, Row] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    #: (request number, note) of every officers' internal note kept
    internal_notes: list[tuple[str, InternalNote]] = field(default_factory=list)

    def told(self, number: str) -> list[Notice]:
        return [n for n in self.notices if n.number == number]


class FakeUnit(SharedUnit[World]):
    """One transaction on a copy of the world."""

    async def load(self, number: str) -> Row:
        if number not in self.world.rows:
            raise RequestNotFound(number)
        return self.world.rows[number]

    async def changes(self, request: DeskRow) -> list[Change]:
        return self.world.trail(request.number)

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
        self._notice(
            request, status.value, not_before, reconsider=reconsider, survey=survey, why=why
        )

    def tell_kept(self, request: DeskRow, why: str | None) -> None:
        self._notice(request, request.status, None, kept=True, why=why)

    def add_internal_note(self, request: DeskRow, note: InternalNote) -> None:
        self.world.internal_notes.append((request.number, note))

    async def latest_notice(self, request: DeskRow) -> PendingNotice | None:
        told = self.world.told(request.number)
        if not told:
            return None
        n = told[-1]
        return PendingNotice(
            id=n.id,
            told=n.status,
            sent=n.sent,
            attempts=n.attempts,
            claimed_until=n.claimed_until,
            survey=n.survey,
        )

    async def withdraw(self, notice: PendingNotice) -> None:
        self.world.notices = [n for n in self.world.notices if n.id != notice.id]

    async def read(self, request: DeskRow, *, refresh_card: bool = True) -> Row:
        if refresh_card:
            self.world.cards.append(request.number)
        return dataclasses.replace(self.world.rows[request.number])

    def _notice(
        self,
        request: DeskRow,
        status: str,
        not_before: dt.datetime | None,
        *,
        reconsider: bool = False,
        survey: bool = False,
        kept: bool = False,
        why: str | None = None,
    ) -> None:
        ids = [n.id for n in self.world.notices]
        self.world.notices.append(
            Notice(
                id=max(ids, default=0) + 1,
                number=request.number,
                status=status,
                not_before=not_before,
                due_at=not_before or self.world.now,
                reconsider=reconsider,
                survey=survey,
                kept=kept,
                why=why,
            )
        )


class FakeStore(SharedStore[World, FakeUnit]):
    """The desk's store in memory (a :class:`officers.desk_port.DeskStore`)."""

    def _unit(self, world: World) -> FakeUnit:
        return FakeUnit(world)


class FakeWords:
    """The officers' words, plain, so a test can read who was named."""

    def answered(
        self, number: str, asker: str | None, question: str | None, answer: str, files: int
    ) -> str:
        return f"{asker} asked on {number}: {question} / answer: {answer} / files: {files}"

    def taken_over(
        self, number: str, previous_actor: str, previous_name: str | None, officer: Officer
    ) -> str:
        return f"{previous_name} ({previous_actor}): {number} taken over by {officer.name}"
