"""A resident sees a decision only once they have been told of it: not during the
officer's grace (when it can still be undone), and never one undone within it (found by
the fresh-clone tester: «مقبول» showed during the minute, and stayed in the history after
«↩️»)."""

from __future__ import annotations

import datetime as dt

from bot.db.requests_repo import StatusEventRecord
from bot.gateway import told
from domain.status import RequestStatus as S

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
GRACE = dt.timedelta(seconds=60)


def ev(seconds: float, frm: S | None, to: S, kind: str | None = None) -> StatusEventRecord:
    return StatusEventRecord("officer:7", T0 + dt.timedelta(seconds=seconds), frm, to, None, kind)


FILED = ev(0, None, S.RECEIVED)
TAKEN = ev(10, S.RECEIVED, S.UNDER_REVIEW)
ACCEPTED = ev(100, S.UNDER_REVIEW, S.ACCEPTED)


def statuses(events: list[StatusEventRecord], now_s: float) -> list[S]:
    return [e.to_status for e in told(events, GRACE, T0 + dt.timedelta(seconds=now_s))]


def test_a_decision_within_the_grace_is_not_shown_yet() -> None:
    assert statuses([FILED, TAKEN, ACCEPTED], 130) == [S.RECEIVED, S.UNDER_REVIEW]


def test_a_decision_past_the_grace_is_shown() -> None:
    assert statuses([FILED, TAKEN, ACCEPTED], 161)[-1] is S.ACCEPTED


def test_an_undone_decision_never_appears() -> None:
    undone = ev(130, S.ACCEPTED, S.UNDER_REVIEW)
    rejected = ev(400, S.UNDER_REVIEW, S.REJECTED)
    events = [FILED, TAKEN, ACCEPTED, undone, rejected]
    assert statuses(events, 3600) == [S.RECEIVED, S.UNDER_REVIEW, S.REJECTED]


def test_a_reopening_after_the_person_was_told_is_shown() -> None:
    reopened = ev(3000, S.ACCEPTED, S.UNDER_REVIEW)
    events = [FILED, TAKEN, ACCEPTED, reopened]
    assert statuses(events, 4000) == [S.RECEIVED, S.UNDER_REVIEW, S.ACCEPTED, S.UNDER_REVIEW]


def test_notes_change_no_status_and_are_not_listed() -> None:
    note = ev(50, S.UNDER_REVIEW, S.UNDER_REVIEW, kind="note")
    assert statuses([FILED, TAKEN, note], 60) == [S.RECEIVED, S.UNDER_REVIEW]
