"""The desk's rules asked of a record read a moment ago, before a menu or a prompt is
offered (the desk asks again when it acts). The rules themselves are
:mod:`officers.desk_rules`; what an action can end in, :mod:`officers.failures`.
"""

from __future__ import annotations

from bot.db.requests_repo import RequestRecord
from officers.desk_rules import held_by_another, still_fresh
from officers.failures import AlreadyTaken
from officers.officer import Officer
from officers.their_say import QUIET_KINDS


def record_fresh(record: RequestRecord, officer: Officer, offered: int | None) -> bool:
    """:func:`still_fresh` for a record read a moment ago (the desk checks again)."""
    if offered is None:
        return False
    changes = [
        (e.actor, None if e.from_status is None else e.from_status.value, e.to_status.value)
        for e in record.events
        if e.kind not in QUIET_KINDS  # the person's notes leave the buttons valid
    ]
    return still_fresh(changes, officer, offered)


def check_owner(record: RequestRecord, officer: Officer) -> None:
    """Raises :class:`AlreadyTaken` when another officer has the request: the desk's rule
    (:meth:`officers.desk.Desk._claim`), checked before a menu or a prompt is
    offered (after the button's freshness, as the desk does) so nobody types a reason
    only to be refused. The desk checks again."""
    if held_by_another(record.assigned_to, officer):
        raise AlreadyTaken(record.number, record.assigned_name)
