"""The staff desk: the officers' use cases (:class:`officers.desk.Desk`) on the SQL store
(:mod:`bot.staff.desk_sql`), with what officers read (:class:`bot.staff.queries.DeskQueries`)
and the person's say after filing (:class:`bot.staff.their_say.TheirSayDesk`).

Every door the officers use (the Telegram staff group, ``tawasul staff``) and the
residents' dialogues (their answers, notes and ratings, through :mod:`bot.gateway`) act
through one :class:`StaffDesk`; none of them changes a request any other way. The rules
are :mod:`officers.desk` and :mod:`officers.desk_rules`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import SQLITE_BEGIN
from bot.db.models import Request, utcnow
from bot.db.requests_repo import RequestRecord
from bot.outbox.queue import refresh_staff_card
from bot.staff.announce import Announcer
from bot.staff.callbacks import version
from bot.staff.desk_sql import SqlDeskStore
from bot.staff.outcomes import check_owner, record_fresh
from bot.staff.queries import DeskQueries
from bot.staff.say_words import SayWords
from bot.staff.their_say import TheirSayDesk
from conversations.formatting import Digits
from conversations.ports import AttachmentInfo
from domain.catalogue import Catalogue
from domain.status import FINAL, RequestStatus
from officers.desk import DECISION_GRACE_S, Desk
from officers.failures import (
    AlreadyTaken,
    MissingReason,
    NotTheOwner,
    RequestNotFound,
    StaleAction,
    Taken,
    TooLateToUndo,
)
from officers.officer import Officer

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


class StaffDesk(Desk[RequestRecord, AttachmentInfo], DeskQueries, TheirSayDesk):
    """The desk on ``sessions``: the catalogue names services, ``clock`` gives aware UTC
    instants, ``holidays`` the days the seven working days skip, ``arabic_digits`` how the
    person's notices write numbers, ``decision_grace_s`` how long a decision waits before
    the person is told, ``staff_locale`` the officers' language."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        catalogue: Catalogue,
        *,
        clock: Callable[[], dt.datetime] = utcnow,
        holidays: Collection[dt.date] | None = None,
        arabic_digits: Digits = "arab",
        decision_grace_s: int = DECISION_GRACE_S,
        staff_locale: str | None = None,
    ) -> None:
        DeskQueries.__init__(self, sessions, catalogue, clock=clock, holidays=holidays)
        announcer = Announcer(catalogue, locale=staff_locale, holidays=holidays)
        self._sql = SqlDeskStore(sessions, catalogue, arabic_digits)
        self._say = SayWords(announcer.views)
        Desk.__init__(
            self,
            self._sql,
            announcer,
            clock=clock,
            holidays=holidays,
            decision_grace_s=decision_grace_s,
        )

    async def refresh_sender(self, number: str) -> int:
        """:func:`refresh_sender_cards` on this desk's database."""
        return await refresh_sender_cards(self._sessions, number)


async def refresh_sender_cards(sessions: async_sessionmaker[AsyncSession], number: str) -> int:
    """Queues a fresh render of the cards of the person who filed ``number``: that
    request's card and those of their other open requests (a block or an unblock changes
    what each says and offers: :mod:`bot.staff.cards`). Decided requests other than
    ``number`` are left as drawn: their cards are in nobody's way, and a person with many
    would spend the group's edits. Returns how many were queued. Raises
    :class:`RequestNotFound`. Found by tester 12 and session 12's notes: a block showed
    on a card only at its next redraw, for whatever other reason."""
    async with sessions() as session, session.begin():
        await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
        named = await session.scalar(select(Request).where(Request.number == number))
        if named is None:
            raise RequestNotFound(number)
        rows = list(
            await session.scalars(
                select(Request)
                .where(
                    Request.channel == named.channel,
                    Request.user_key == named.user_key,
                    or_(Request.id == named.id, Request.status.in_(_OPEN)),
                )
                .order_by(Request.id)
            )
        )
        for row in rows:
            await refresh_staff_card(session, row)
    return len(rows)


_OPEN = [s.value for s in RequestStatus if s not in FINAL]
