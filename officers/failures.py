"""What a desk action can end in besides success (:mod:`officers.desk`), and what a take
did. The staff group and the terminal turn each into a sentence for the officer
(:mod:`officers.confirmations`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from domain.status import IllegalTransition, RequestStatus

#: The request as the store hands it back after an action (``bot``: ``RequestRecord``).
R = TypeVar("R")


class RequestNotFound(LookupError):
    """No request has this number."""


class NotTheOwner(PermissionError):
    """The person answering is not the one who filed the request."""


class MissingReason(ValueError):
    """A question, a rejection or a reopening came without its words."""


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


class NothingToUndo(IllegalTransition):
    """The request is not decided (``current``, its status): there is no decision to undo,
    and nobody was told anything. Found by the fresh-clone tester: a second ``tawasul
    staff undo`` was refused as :class:`TooLateToUndo`, «the person has been told», which
    was false. An :class:`IllegalTransition` (to "under review"), so a door that does not
    name it still refuses it as a move the request's status does not allow."""

    def __init__(self, number: str, current: RequestStatus) -> None:
        super().__init__(current, RequestStatus.UNDER_REVIEW)
        self.number = number


@dataclass(frozen=True, slots=True)
class Taken(Generic[R]):
    """What a take did: ``previous`` names the officer it was taken over from;
    ``already`` is True when the officer had it already (nothing changed)."""

    record: R
    previous: str | None = None
    already: bool = False
