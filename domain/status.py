"""The life of a request as the person sees it, and which moves an officer may make."""

from __future__ import annotations

from enum import StrEnum


class RequestStatus(StrEnum):
    RECEIVED = "received"
    UNDER_REVIEW = "under_review"
    NEEDS_INFO = "needs_info"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


FINAL: frozenset[RequestStatus] = frozenset({RequestStatus.ACCEPTED, RequestStatus.REJECTED})

ALLOWED: dict[RequestStatus, frozenset[RequestStatus]] = {
    RequestStatus.RECEIVED: frozenset(
        {
            RequestStatus.UNDER_REVIEW,
            RequestStatus.NEEDS_INFO,
            RequestStatus.ACCEPTED,
            RequestStatus.REJECTED,
        }
    ),
    RequestStatus.UNDER_REVIEW: frozenset(
        {RequestStatus.NEEDS_INFO, RequestStatus.ACCEPTED, RequestStatus.REJECTED}
    ),
    RequestStatus.NEEDS_INFO: frozenset(
        {RequestStatus.UNDER_REVIEW, RequestStatus.ACCEPTED, RequestStatus.REJECTED}
    ),
    RequestStatus.ACCEPTED: frozenset(),
    RequestStatus.REJECTED: frozenset(),
}

# A decision is final for the person; only a deliberate reopening (a supervisor correcting
# a mistake) puts the request back in review.
REOPEN_TO: frozenset[RequestStatus] = frozenset(
    {RequestStatus.UNDER_REVIEW, RequestStatus.NEEDS_INFO}
)


class IllegalTransition(ValueError):
    def __init__(self, current: RequestStatus, target: RequestStatus) -> None:
        super().__init__(f"cannot move a request from {current} to {target}")
        self.current = current
        self.target = target


def can_move(current: RequestStatus, target: RequestStatus, reopen: bool = False) -> bool:
    if target in ALLOWED[current]:
        return True
    return reopen and current in FINAL and target in REOPEN_TO


def move(current: RequestStatus, target: RequestStatus, reopen: bool = False) -> RequestStatus:
    """``target`` when the move is allowed; :class:`IllegalTransition` otherwise."""
    if not can_move(current, target, reopen=reopen):
        raise IllegalTransition(current, target)
    return target
