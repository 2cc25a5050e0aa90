"""The rules of the person's say after filing (issue 13): a rating once after a decision, a
comment with it, notes only while open, one reconsideration of a rejection."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.status import RequestStatus
from domain.their_say import (
    is_low,
    may_add_note,
    may_comment,
    may_rate,
    may_reconsider,
    parse_rating,
    rated_this_decision,
    survey_due,
)

S = RequestStatus


@pytest.mark.parametrize(("raw", "rating"), [("1", 1), ("5", 5), ("0", None), ("6", None),
                                             ("٥", None), ("55", None), ("", None), ("a", None)])  # fmt: skip
def test_a_rating_is_one_ascii_digit_from_1_to_5(raw: str, rating: int | None) -> None:
    assert parse_rating(raw) == rating


def test_only_one_and_two_are_low() -> None:
    assert [r for r in range(1, 6) if is_low(r)] == [1, 2]


def test_the_survey_follows_each_decision_once() -> None:
    assert survey_due(S.ACCEPTED, asked_for_this_decision=False)
    assert survey_due(S.REJECTED, asked_for_this_decision=False)
    assert not survey_due(S.REJECTED, asked_for_this_decision=True)
    assert not survey_due(S.UNDER_REVIEW, asked_for_this_decision=False)
    assert not survey_due(S.NEEDS_INFO, asked_for_this_decision=False)


def test_a_rating_counts_for_the_decision_it_followed() -> None:
    first = dt.datetime(2026, 11, 22, 6, tzinfo=dt.UTC)
    again = first + dt.timedelta(days=2)  # reopened on reconsideration, decided again
    rated = first + dt.timedelta(hours=1)
    assert rated_this_decision(rated, first, rated=True)
    assert not rated_this_decision(rated, again, rated=True)
    assert rated_this_decision(again + dt.timedelta(minutes=1), again, rated=True)
    assert not rated_this_decision(None, first, rated=False)
    assert rated_this_decision(None, None, rated=True)  # rows from before the instants
    # SQLite gives naive UTC back
    assert not rated_this_decision(rated.replace(tzinfo=None), again, rated=True)


def test_the_decision_rated_is_told_by_its_trail_entry_not_by_clocks() -> None:
    # review 10: the rating worker's clock behind the deciding worker's, or ahead of it
    decided = dt.datetime(2026, 11, 22, 6, tzinfo=dt.UTC)
    behind = decided - dt.timedelta(minutes=10)
    assert rated_this_decision(behind, decided, rated=True, rated_decision=7, decision=7)
    ahead = decided + dt.timedelta(hours=3)
    assert not rated_this_decision(ahead, decided, rated=True, rated_decision=7, decision=9)
    assert not rated_this_decision(None, None, rated=False, rated_decision=7, decision=7)
    # a rating kept before the entries were: by its instant, as before
    assert not rated_this_decision(behind, decided, rated=True, rated_decision=None, decision=7)


def test_a_rating_needs_a_decision_and_is_given_once() -> None:
    assert may_rate(S.ACCEPTED, rated=False, told=True) is None
    assert may_rate(S.UNDER_REVIEW, rated=False, told=True) == "not_decided"
    assert may_rate(S.REJECTED, rated=True, told=True) == "already"
    # decided, but the person has not been told yet (the decision's grace): not yet
    assert may_rate(S.ACCEPTED, rated=False, told=False) == "not_decided"


def test_a_comment_goes_with_a_rating_once() -> None:
    assert may_comment(rated=True, commented=False) is None
    assert may_comment(rated=False, commented=False) == "not_decided"
    assert may_comment(rated=True, commented=True) == "already"


def test_notes_join_open_requests_only() -> None:
    for status in (S.RECEIVED, S.UNDER_REVIEW, S.NEEDS_INFO):
        assert may_add_note(status) is None
    for status in (S.ACCEPTED, S.REJECTED):
        assert may_add_note(status) == "closed"


def test_a_rejection_is_reconsidered_once() -> None:
    assert may_reconsider(S.REJECTED, asked_before=False, pending=False, told=True) is None
    assert may_reconsider(S.REJECTED, asked_before=True, pending=False, told=True) == "already"
    assert may_reconsider(S.REJECTED, asked_before=False, pending=True, told=True) == "already"
    assert (
        may_reconsider(S.ACCEPTED, asked_before=False, pending=False, told=True) == "not_rejected"
    )
    assert (
        may_reconsider(S.UNDER_REVIEW, asked_before=False, pending=False, told=True)
        == "not_rejected"
    )
    # a rejection not told yet (an officer may still take it back) is not one for them
    assert (
        may_reconsider(S.REJECTED, asked_before=False, pending=False, told=False) == "not_rejected"
    )
