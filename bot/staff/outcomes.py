"""What a desk action can end in besides success, and the rule for old buttons.

Raised by :class:`bot.staff.desk.StaffDesk`; the staff group and the terminal turn each
into a sentence for the officer. The rules themselves are :mod:`officers.desk_rules`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.db.requests_repo import RequestRecord
from bot.staff.actors import Officer
from officers.desk_rules import held_by_another, still_fresh


def record_fresh(record: RequestRecord, officer: Officer, offered: int | None) -> bool:
    """:func:`still_fresh` for a record read a moment ago (the desk checks again)."""
    if offered is None:
        return False
    changes = [
        (e.actor, None if e.from_status is None else e.from_status.value, e.to_status.value)
        for e in record.events
        if e.kind != "note"  # notes leave an officer's buttons valid (callbacks.version)
    ]
    return still_fresh(changes, officer, offered)


def check_owner(record: RequestRecord, officer: Officer) -> None:
    """Raises :class:`AlreadyTaken` when another officer has the request: the desk's rule
    (:meth:`bot.staff.desk_core.DeskCore._claim`), checked before a menu or a prompt is
    offered (after the button's freshness, as the desk does) so nobody types a reason
    only to be refused. The desk checks again."""
    if held_by_another(record.assigned_to, officer):
        raise AlreadyTaken(record.number, record.assigned_name)


class RequestNotFound(LookupError):
    pass


class NotTheOwner(PermissionError):
    """The person answering is not the one who filed the request."""


class MissingReason(ValueError):
    pass


class AlreadyTaken(PermissionError):
    """Another officer has the request; ``name`` says who."""

    def __init__(self, number: str, name: str | None) -> None:
        super().__init__(number)
        self.number = number
        self.name = name


class StaleAction(RuntimeError):
    """The request changed after the button was offered (taken, decided, reopened, asked)."""

    def __init__(self, number: str) -> None:
        super().__init__(number)
        self.number = number


class TooLateToUndo(RuntimeError):
    """The person has been told already (or the last change is not a decision)."""


@dataclass(frozen=True, slots=True)
class Taken:
    """What a take did: ``previous`` names the officer it was taken over from;
    ``already`` is True when the officer had it already (nothing changed)."""

    record: RequestRecord
    previous: str | None = None
    already: bool = False
