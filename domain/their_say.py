"""The person's say about their own request after filing it: a note or a document while it
is open, a satisfaction rating once it is decided, one request for a rejection to be
reconsidered. Pure rules (issue 13, "Their say after a decision" and "Writing to the
officer about a request"); the desk enforces them in SQL, the dialogues word them.
"""

from __future__ import annotations

import datetime as dt
from typing import Final, Literal

from domain.status import FINAL, RequestStatus

#: The five answers to «how satisfied are you?», worst first.
RATINGS: Final = (1, 2, 3, 4, 5)
#: A rating at or under this, with a comment, is shown to the officers.
LOW_RATING: Final = 2
#: The longest note, comment or reconsideration reason kept (characters).
MAX_NOTE: Final = 1000
#: Files one note may carry.
MAX_NOTE_FILES: Final = 10

Refusal = Literal["not_theirs", "closed", "not_decided", "already", "not_rejected", "open"]


class SayRefused(LookupError):
    """A note, rating, comment or reconsideration that cannot be taken now, or an answer
    to a reconsideration nobody asked for; ``reason`` is a :data:`Refusal` ("not_theirs"
    for a request that is missing or was filed from another chat: one answer for both, so
    a number cannot be probed)."""

    def __init__(self, number: str, reason: str) -> None:
        super().__init__(number)
        self.number = number
        self.reason = reason


def parse_rating(raw: str) -> int | None:
    """A rating from a button's data ("1".."5"); None for anything else (a forged value)."""
    if len(raw) != 1 or not raw.isascii() or not raw.isdigit():
        return None
    value = int(raw)
    return value if value in RATINGS else None


def is_low(rating: int) -> bool:
    return rating <= LOW_RATING


def survey_due(to: RequestStatus, *, asked_for_this_decision: bool) -> bool:
    """Whether the notice of a move to ``to`` asks how satisfied the person is: only a
    decision, and once per decision. A request reopened (on the person's reconsideration
    or by an officer) and decided again is a new decision, asked about again (found by
    the fresh-clone tester: the final decision after a reconsideration was never asked
    about); ``asked_for_this_decision`` is whether the question went out since the request
    was last reopened, so the same decision is never asked about twice."""
    return to in FINAL and not asked_for_this_decision


def rated_this_decision(
    rated_at: dt.datetime | None,
    decided_at: dt.datetime | None,
    *,
    rated: bool,
    rated_decision: int | None = None,
    decision: int | None = None,
) -> bool:
    """Whether the rating on record (``rated`` whether there is one) is of the request's
    latest decision: a rating of an earlier decision, before a reopening, does not count
    for the new one. The decision is told by its audit-trail entry's id, kept with the
    rating (``rated_decision``) and the latest one's (``decision``): ids are given in
    order by the database, so two workers' clocks never decide it (found by review 10:
    a rating worker's clock behind the deciding worker's made a rating of the current
    decision read as an earlier one's, and a second rating was taken). A rating kept
    before the ids were (``rated_decision`` None) is judged by its instant ``rated_at``
    against the decision's ``decided_at``; without either instant it counts, as it
    always did."""
    if not rated:
        return False
    if rated_decision is not None and decision is not None:
        return rated_decision == decision
    if rated_at is None or decided_at is None:
        return True
    return _aware(rated_at) >= _aware(decided_at)


def _aware(at: dt.datetime) -> dt.datetime:
    """``at`` as an aware instant (SQLite gives back naive UTC)."""
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)


def may_rate(status: RequestStatus, *, rated: bool, told: bool) -> Refusal | None:
    """None when a rating may be given now; else why not. ``told``: the person has been
    told of the decision (its grace, in which an officer may take it back unseen, is
    over): a decision they have not heard of is, for them, no decision yet (found by the
    fresh-clone tester: ``/rate`` was taken in the grace minute after the officer's
    «accept»)."""
    if status not in FINAL or not told:
        return "not_decided"
    if rated:
        return "already"
    return None


def may_comment(*, rated: bool, commented: bool) -> Refusal | None:
    """A comment goes with a rating, once."""
    if not rated:
        return "not_decided"
    if commented:
        return "already"
    return None


def may_add_note(status: RequestStatus, *, reconsidering: bool = False) -> Refusal | None:
    """Notes join requests still open, and a rejection while its reconsideration waits
    for the officers (``reconsidering``: the person is waiting on exactly that request;
    tester 13, §5); a decided request takes none otherwise (a rejection can be asked to be
    reconsidered instead)."""
    if reconsidering and status is RequestStatus.REJECTED:
        return None
    return "closed" if status in FINAL else None


def may_reconsider(
    status: RequestStatus, *, asked_before: bool, pending: bool, told: bool
) -> Refusal | None:
    """A rejection may be asked to be reconsidered once per request, with a reason, once
    the person has been told of it (``told``, as for :func:`may_rate`)."""
    if status is not RequestStatus.REJECTED or not told:
        return "not_rejected"
    if asked_before or pending:
        return "already"
    return None
