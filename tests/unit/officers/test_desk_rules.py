"""The desk's pure rules: one owner at a time, buttons that act on the request as it is
now, and undoing a decision only while the person has not been told."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.status import RequestStatus
from officers.desk_rules import decision_withdrawable, held_by_another, may_act, still_fresh
from officers.officer import Officer

NOURA = Officer(7, "Noura")
SARA = Officer(8, "Sara")
AT_TERMINAL = Officer(0, "Noura", origin="terminal")
RECEIVED, REVIEW, ACCEPTED = (
    RequestStatus.RECEIVED.value,
    RequestStatus.UNDER_REVIEW.value,
    RequestStatus.ACCEPTED.value,
)
FILED = ("resident:tg:1", None, RECEIVED)


def test_an_officer_acts_on_a_request_nobody_has_or_their_own() -> None:
    assert may_act(None, NOURA, over=False)
    assert may_act(NOURA.actor, NOURA, over=False)
    assert not held_by_another(NOURA.actor, NOURA)


def test_another_officers_request_only_when_taken_over_on_purpose() -> None:
    assert held_by_another(SARA.actor, NOURA)
    assert not may_act(SARA.actor, NOURA, over=False)
    assert may_act(SARA.actor, NOURA, over=True)
    # the same name at the terminal is another owner key than the Telegram account
    assert held_by_another(NOURA.actor, AT_TERMINAL)


def test_a_button_applies_while_nothing_changed_since_it_was_offered() -> None:
    assert still_fresh([FILED], NOURA, offered=1)
    assert not still_fresh([FILED], NOURA, offered=2)  # from a version never reached


def test_the_officers_own_take_leaves_their_buttons_valid_anyone_elses_does_not() -> None:
    took = [FILED, (NOURA.signature, RECEIVED, REVIEW)]
    assert still_fresh(took, NOURA, offered=1)
    assert not still_fresh(took, SARA, offered=1)
    taken_over = [FILED, (NOURA.signature, REVIEW, REVIEW)]  # a takeover: status unchanged
    assert still_fresh(taken_over, NOURA, offered=1)
    # a name changed since the take: the owner key still says it is Noura
    renamed = [FILED, ("officer:7:Noura A.", RECEIVED, REVIEW)]
    assert still_fresh(renamed, NOURA, offered=1)


def test_a_decision_since_makes_even_the_officers_own_button_out_of_date() -> None:
    decided = [FILED, (NOURA.signature, RECEIVED, REVIEW), (NOURA.signature, REVIEW, ACCEPTED)]
    assert not still_fresh(decided, NOURA, offered=1)
    assert still_fresh(decided, NOURA, offered=3)


NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
WAITING = {
    "decided": RequestStatus.ACCEPTED,
    "told": ACCEPTED,
    "sent": False,
    "attempts": 0,
    "claimed_until": None,
}


def test_a_decision_whose_notice_no_sender_took_can_be_undone() -> None:
    assert decision_withdrawable(**WAITING)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "change",
    [
        {"sent": True},
        {"attempts": 1},
        {"claimed_until": NOW},  # a sender holds it
        # a claim that looks lapsed by this worker's clock: the sender's clock wrote it,
        # and it may be delivering the notice still (review 11, §3)
        {"claimed_until": NOW - dt.timedelta(hours=2)},
        {"told": RequestStatus.REJECTED.value},  # another decision's notification
        {"told": None},
    ],
)
def test_too_late_once_the_person_may_have_been_told(change: dict[str, object]) -> None:
    assert not decision_withdrawable(**{**WAITING, **change})  # type: ignore[arg-type]
