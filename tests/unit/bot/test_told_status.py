"""A resident sees a decision only once they have been told of it: not while its notice
waits in the outbox (when it can still be undone), and never one undone (found by the
fresh-clone tester: «مقبول» showed during the minute, and stayed in the history after
«↩️»). Whether the notice waits is the outbox's fact, not a clock (review 11, §3)."""

from __future__ import annotations

import datetime as dt

from bot.db.requests_repo import StatusEventRecord
from bot.gateway import told
from domain.status import RequestStatus as S

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def ev(
    seconds: float, frm: S | None, to: S, kind: str | None = None, reason: str | None = None
) -> StatusEventRecord:
    return StatusEventRecord("officer:7", T0 + dt.timedelta(seconds=seconds), frm, to, reason, kind)


FILED = ev(0, None, S.RECEIVED)
TAKEN = ev(10, S.RECEIVED, S.UNDER_REVIEW)
ACCEPTED = ev(100, S.UNDER_REVIEW, S.ACCEPTED)


def statuses(events: list[StatusEventRecord], *, waiting: bool = False) -> list[S]:
    return [e.to_status for e in told(events, decision_waiting=waiting)]


def test_a_decision_whose_notice_waits_is_not_shown_yet() -> None:
    assert statuses([FILED, TAKEN, ACCEPTED], waiting=True) == [S.RECEIVED, S.UNDER_REVIEW]


def test_a_decision_whose_notice_went_is_shown() -> None:
    assert statuses([FILED, TAKEN, ACCEPTED])[-1] is S.ACCEPTED


def test_an_undone_decision_never_appears_however_late_the_undo() -> None:
    """An undo is the move out of a decision with no reason; the instants do not count
    (one worker's clock may be hours from another's)."""
    undone = ev(4 * 3600, S.ACCEPTED, S.UNDER_REVIEW)
    rejected = ev(-3600, S.UNDER_REVIEW, S.REJECTED)
    events = [FILED, TAKEN, ACCEPTED, undone, rejected]
    assert statuses(events) == [S.RECEIVED, S.UNDER_REVIEW, S.REJECTED]
    assert statuses(events, waiting=True) == [S.RECEIVED, S.UNDER_REVIEW]


def test_a_reopening_is_shown_however_soon() -> None:
    """A reopening has a reason (the officer's, or the person's reconsideration): both
    notices go, so both are shown, even a second after the decision."""
    reopened = ev(101, S.ACCEPTED, S.UNDER_REVIEW, reason="نراجع المستندات من جديد")
    events = [FILED, TAKEN, ACCEPTED, reopened]
    assert statuses(events) == [S.RECEIVED, S.UNDER_REVIEW, S.ACCEPTED, S.UNDER_REVIEW]


def test_notes_change_no_status_and_are_not_listed() -> None:
    note = ev(50, S.UNDER_REVIEW, S.UNDER_REVIEW, kind="note")
    assert statuses([FILED, TAKEN, note]) == [S.RECEIVED, S.UNDER_REVIEW]


def test_an_officer_taking_a_request_over_is_no_step_of_the_persons_history() -> None:
    """A take (over) is audited with the status unchanged (officers.desk.take): after a
    rejection it showed a second «مرفوض», and a decision whose notice waited, or that was
    undone after a take-over, came out as told (session-16 tester, fault 5)."""
    rejected = ev(100, S.UNDER_REVIEW, S.REJECTED, reason="الإيصال ناقص")
    taken_over = ev(200, S.REJECTED, S.REJECTED)
    assert statuses([FILED, TAKEN, rejected, taken_over]) == [
        S.RECEIVED,
        S.UNDER_REVIEW,
        S.REJECTED,
    ]
    assert statuses([FILED, TAKEN, rejected, taken_over], waiting=True) == [
        S.RECEIVED,
        S.UNDER_REVIEW,
    ]
    over_then_undone = [FILED, TAKEN, ACCEPTED, ev(110, S.ACCEPTED, S.ACCEPTED)]
    over_then_undone.append(ev(120, S.ACCEPTED, S.UNDER_REVIEW))
    assert statuses(over_then_undone) == [S.RECEIVED, S.UNDER_REVIEW]
    under_review_over = ev(50, S.UNDER_REVIEW, S.UNDER_REVIEW)
    assert statuses([FILED, TAKEN, under_review_over]) == [S.RECEIVED, S.UNDER_REVIEW]
