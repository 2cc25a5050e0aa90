"""The part of a request's audit trail both the desk's and the person's say's write
transactions (:class:`officers.desk_port.DeskUnit`, :class:`officers.say_port.SayUnit`)
offer: whether a reconsideration was ever asked, and a new row. One definition, so the two
ports cannot drift apart on what a trail row is."""

from __future__ import annotations

import datetime as dt
from typing import Protocol, TypeVar

from domain.status import RequestStatus

#: The request's row as the transaction hands it back (``DeskRow``, ``SayRow``).
Row_contra = TypeVar("Row_contra", contravariant=True)


class TrailUnit(Protocol[Row_contra]):
    """A write transaction's view of the locked request's audit trail."""

    async def reconsidered(self, request: Row_contra) -> bool:
        """Whether the person ever asked for a reconsideration of it."""
        ...

    def record(
        self,
        request: Row_contra,
        actor: str,
        from_status: RequestStatus | None,
        to_status: RequestStatus,
        reason: str | None,
        *,
        at: dt.datetime,
        kind: str | None = None,
    ) -> None:
        """Adds a row to its audit trail (``at``: aware UTC; ``kind`` marks a row that is
        no change of status: a note, a reconsideration, a rejection kept)."""
        ...
