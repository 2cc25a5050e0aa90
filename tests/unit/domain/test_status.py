import itertools

import pytest

from domain.status import ALLOWED, IllegalTransition, RequestStatus, can_move, move

S = RequestStatus


def test_statuses_have_stable_string_values() -> None:
    assert [s.value for s in S] == [
        "received",
        "under_review",
        "needs_info",
        "accepted",
        "rejected",
    ]
    assert S("needs_info") is S.NEEDS_INFO


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.RECEIVED, S.UNDER_REVIEW),
        (S.RECEIVED, S.NEEDS_INFO),
        (S.RECEIVED, S.ACCEPTED),
        (S.RECEIVED, S.REJECTED),
        (S.UNDER_REVIEW, S.NEEDS_INFO),
        (S.UNDER_REVIEW, S.ACCEPTED),
        (S.UNDER_REVIEW, S.REJECTED),
        (S.NEEDS_INFO, S.UNDER_REVIEW),
        (S.NEEDS_INFO, S.ACCEPTED),
        (S.NEEDS_INFO, S.REJECTED),
    ],
)
def test_officer_moves_that_are_allowed(current: S, target: S) -> None:
    assert can_move(current, target)
    assert move(current, target) is target


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.UNDER_REVIEW, S.RECEIVED),
        (S.NEEDS_INFO, S.RECEIVED),
        (S.ACCEPTED, S.REJECTED),
        (S.REJECTED, S.ACCEPTED),
        (S.ACCEPTED, S.UNDER_REVIEW),
        (S.REJECTED, S.NEEDS_INFO),
    ],
)
def test_moves_that_are_refused(current: S, target: S) -> None:
    assert not can_move(current, target)
    with pytest.raises(IllegalTransition):
        move(current, target)


def test_no_status_moves_to_itself() -> None:
    for status in S:
        assert not can_move(status, status)


def test_every_status_has_a_rule_and_nothing_leads_back_to_received() -> None:
    assert set(ALLOWED) == set(S)
    for a, b in itertools.product(S, S):
        if b is S.RECEIVED:
            assert not can_move(a, b, reopen=True)


def test_a_decision_is_final_unless_reopened() -> None:
    for decided in (S.ACCEPTED, S.REJECTED):
        assert not any(can_move(decided, t) for t in S)
        assert move(decided, S.UNDER_REVIEW, reopen=True) is S.UNDER_REVIEW
        assert can_move(decided, S.NEEDS_INFO, reopen=True)


def test_reopen_does_not_bypass_the_normal_rules() -> None:
    assert not can_move(S.UNDER_REVIEW, S.RECEIVED, reopen=True)
    assert not can_move(S.ACCEPTED, S.REJECTED, reopen=True)


def test_illegal_transition_is_a_value_error_naming_both_ends() -> None:
    with pytest.raises(ValueError, match=r"accepted.*rejected"):
        move(S.ACCEPTED, S.REJECTED)
