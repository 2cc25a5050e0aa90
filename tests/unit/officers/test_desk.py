"""The desk's use cases against an in-memory store: what each action changes on the
request, in its audit trail, and in what is queued for the person and the officers, and
that a refused action changes nothing. (The SQL store: tests/integration/test_staff_*.)"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from domain.status import IllegalTransition, RequestStatus
from domain.their_say import SayRefused
from officers.desk import Desk
from officers.desk_port import Change
from officers.failures import (
    AlreadyTaken,
    MissingReason,
    NothingToUndo,
    NotTheOwner,
    RequestNotFound,
    StaleAction,
    TooLateToUndo,
)
from officers.officer import Officer
from tests.unit.officers.desk_fake import Event, FakeStore, FakeWords, Row, World

NUMBER = "4512345671"
NOURA = Officer(7, "Noura")
SARA = Officer(8, "Sara")
AT_TERMINAL = Officer(0, "Huda", origin="terminal")
RECEIVED, REVIEW, NEEDS_INFO, ACCEPTED, REJECTED = (
    RequestStatus.RECEIVED,
    RequestStatus.UNDER_REVIEW,
    RequestStatus.NEEDS_INFO,
    RequestStatus.ACCEPTED,
    RequestStatus.REJECTED,
)
#: Sunday 1 March 2026, 10:00 in Riyadh; filed then, the answer is due Tuesday 10 March
SUNDAY = dt.datetime(2026, 3, 1, 7, tzinfo=dt.UTC)
DUE = dt.date(2026, 3, 10)
GRACE_S = 60
PERSON = "resident:telegram:501"


@pytest.fixture
def world() -> World:
    w = World(now=SUNDAY)
    w.rows[NUMBER] = Row(NUMBER, due_date=DUE, updated_at=SUNDAY)
    w.events.append(by_the_person(None, RECEIVED))
    return w


def by_the_person(
    before: RequestStatus | None, after: RequestStatus, kind: str | None = None
) -> Event:
    """An audit row the person wrote: filing, a note, a reconsideration."""
    change = Change(PERSON, None if before is None else before.value, after.value, kind)
    return Event(NUMBER, change, None, SUNDAY)


@pytest.fixture
def desk(world: World) -> Desk[Row, str]:
    return Desk(
        FakeStore(world),
        FakeWords(),
        clock=lambda: world.now,
        holidays=frozenset(),
        decision_grace_s=GRACE_S,
    )


def row(world: World) -> Row:
    return world.rows[NUMBER]


def statuses(world: World) -> list[str | None]:
    return [c.to_status for c in world.trail(NUMBER)]


def later(world: World, **delta: float) -> None:
    world.now += dt.timedelta(**delta)


# ---- take -----------------------------------------------------------------------------


async def test_a_first_take_puts_the_request_under_review_with_the_officer(
    desk: Desk[Row, str], world: World
) -> None:
    taken = await desk.take(NUMBER, NOURA)

    assert (taken.record.status, taken.record.assigned_name) == (REVIEW.value, "Noura")
    assert not taken.already and taken.previous is None
    assert world.trail(NUMBER)[-1] == Change(NOURA.signature, RECEIVED.value, REVIEW.value)
    assert [n.status for n in world.told(NUMBER)] == [REVIEW.value]  # the person is told
    assert world.cards == [NUMBER]


async def test_taking_ones_own_request_again_changes_nothing(
    desk: Desk[Row, str], world: World
) -> None:
    await desk.take(NUMBER, NOURA)
    trail, told = world.trail(NUMBER), world.told(NUMBER)

    again = await desk.take(NUMBER, NOURA)

    assert again.already
    assert (world.trail(NUMBER), world.told(NUMBER)) == (trail, told)


async def test_a_request_another_officer_has_is_refused_with_their_name_and_left_as_it_was(
    desk: Desk[Row, str], world: World
) -> None:
    await desk.take(NUMBER, NOURA)
    trail, words = world.trail(NUMBER), list(world.staff_words)

    for act in (
        desk.take(NUMBER, SARA),
        desk.ask(NUMBER, SARA, "Which passport?"),
        desk.accept(NUMBER, SARA),
        desk.reject(NUMBER, SARA, "No proof"),
    ):
        with pytest.raises(AlreadyTaken) as refused:
            await act
        assert refused.value.name == "Noura"

    assert row(world).assigned_to == NOURA.actor
    assert (world.trail(NUMBER), world.staff_words) == (trail, words)


async def test_taking_over_changes_hands_audited_and_tells_the_first_officer(
    desk: Desk[Row, str], world: World
) -> None:
    await desk.take(NUMBER, NOURA)

    taken = await desk.take(NUMBER, SARA, over=True)

    assert (taken.previous, taken.record.assigned_to) == ("Noura", SARA.actor)
    assert world.trail(NUMBER)[-1] == Change(SARA.signature, REVIEW.value, REVIEW.value)
    assert world.events[-1].reason == "Noura"
    assert world.staff_words == [(NUMBER, f"Noura ({NOURA.actor}): {NUMBER} taken over by Sara")]


async def test_a_decided_request_is_taken_only_over_from_another_officer(
    desk: Desk[Row, str], world: World
) -> None:
    await desk.accept(NUMBER, NOURA)

    with pytest.raises(IllegalTransition):
        await desk.take(NUMBER, NOURA)
    with pytest.raises(IllegalTransition):
        await desk.take(NUMBER, SARA)
    taken = await desk.take(NUMBER, SARA, over=True)
    assert (taken.record.status, taken.record.assigned_to) == (ACCEPTED.value, SARA.actor)


@pytest.mark.parametrize(
    "act",
    [
        lambda d, **how: d.take(NUMBER, NOURA, **how),
        lambda d, **how: d.ask(NUMBER, NOURA, "?", **how),
        lambda d, **how: d.accept(NUMBER, NOURA, **how),
        lambda d, **how: d.reject(NUMBER, NOURA, "no", **how),
        lambda d, **how: d.reopen(NUMBER, NOURA, "again", **how),
        lambda d, **how: d.keep_rejected(NUMBER, NOURA, **how),
    ],
)
async def test_every_action_refuses_a_mistyped_way_of_acting_and_changes_nothing(
    desk: Desk[Row, str], world: World, act: Any
) -> None:
    """The actions share one set of keywords (officers.desk_core.Acting): «overr» is no
    way to act on another officer's request, at run time as for mypy."""
    await desk.take(NUMBER, SARA)
    trail = world.trail(NUMBER)
    with pytest.raises(TypeError, match="overr"):
        await act(desk, overr=True)
    assert world.trail(NUMBER) == trail and row(world).assigned_name == "Sara"


async def test_a_missing_request_is_said_to_be_missing(desk: Desk[Row, str]) -> None:
    with pytest.raises(RequestNotFound):
        await desk.take("4000000006", NOURA)


# ---- buttons act on the request as it is now ------------------------------------------


async def test_a_button_offered_before_someone_elses_change_is_refused(
    desk: Desk[Row, str], world: World
) -> None:
    offered = len(world.trail(NUMBER))  # the card as Sara saw it
    await desk.take(NUMBER, NOURA)
    await desk.ask(NUMBER, NOURA, "Which passport?")

    with pytest.raises(StaleAction):
        await desk.accept(NUMBER, SARA, offered=offered, over=True)
    assert row(world).status == NEEDS_INFO.value


async def test_the_officers_own_take_since_the_button_does_not_make_it_stale(
    desk: Desk[Row, str], world: World
) -> None:
    offered = len(world.trail(NUMBER))
    await desk.take(NUMBER, NOURA, offered=offered)

    accepted = await desk.accept(NUMBER, NOURA, offered=offered)

    assert accepted.status == ACCEPTED.value


async def test_a_note_from_the_person_leaves_the_officers_buttons_valid(
    desk: Desk[Row, str], world: World
) -> None:
    offered = len(world.trail(NUMBER))
    world.events.append(by_the_person(RECEIVED, RECEIVED, "note"))

    taken = await desk.take(NUMBER, NOURA, offered=offered)

    assert taken.record.status == REVIEW.value


# ---- ask, and the person's answer ------------------------------------------------------


async def test_asking_stops_the_clock_and_the_answer_adds_the_days_waited_back(
    desk: Desk[Row, str], world: World
) -> None:
    asked = await desk.ask(NUMBER, NOURA, "  Which passport?  ")
    assert (asked.status, asked.pending_question) == (NEEDS_INFO.value, "Which passport?")
    assert asked.paused_since == SUNDAY
    assert world.told(NUMBER)[-1].status == NEEDS_INFO.value

    later(world, days=3)  # Wednesday: Monday to Wednesday are three working days waited
    answered = await desk.answer(
        NUMBER, channel="telegram", user_key="501", text=" the green one ", attachments=["p1"]
    )

    assert (answered.status, answered.pending_question, answered.paused_since) == (
        REVIEW.value,
        None,
        None,
    )
    assert answered.due_date == dt.date(2026, 3, 15)  # Tuesday 10th + 3 working days
    assert world.trail(NUMBER)[-1] == Change(PERSON, NEEDS_INFO.value, REVIEW.value)
    assert world.events[-1].reason == "the green one"
    # the person is told in their chat, not by a notice; the officer who asked is named
    assert world.told(NUMBER)[-1].status == NEEDS_INFO.value
    assert world.staff_words[-1] == (
        NUMBER,
        f"{NOURA.signature} asked on {NUMBER}: Which passport? / answer: the green one / files: 1",
    )
    assert (world.files[NUMBER], world.albums) == (["p1"], [(NUMBER, 0)])


async def test_a_question_needs_words(desk: Desk[Row, str], world: World) -> None:
    with pytest.raises(MissingReason):
        await desk.ask(NUMBER, NOURA, "   ")
    assert row(world).status == RECEIVED.value


async def test_only_the_chat_that_filed_may_answer(desk: Desk[Row, str], world: World) -> None:
    await desk.ask(NUMBER, NOURA, "Which passport?")

    with pytest.raises(NotTheOwner):
        await desk.answer(NUMBER, channel="telegram", user_key="999", text="mine")
    assert row(world).status == NEEDS_INFO.value


# ---- decisions and second thoughts -----------------------------------------------------


async def test_an_acceptance_reaches_the_person_after_the_grace_with_the_survey_once(
    desk: Desk[Row, str], world: World
) -> None:
    accepted = await desk.accept(NUMBER, NOURA, "  Collect it Sunday ")

    assert (accepted.status, accepted.decision_reason) == (ACCEPTED.value, "Collect it Sunday")
    notice = world.told(NUMBER)[-1]
    assert (notice.status, notice.not_before) == (ACCEPTED.value, SUNDAY + dt.timedelta(seconds=60))
    assert notice.survey and not notice.reconsider
    assert row(world).survey_asked_at == SUNDAY


async def test_a_rejection_needs_a_reason_and_offers_a_reconsideration_only_once(
    desk: Desk[Row, str], world: World
) -> None:
    with pytest.raises(MissingReason):
        await desk.reject(NUMBER, NOURA, " ")

    await desk.reject(NUMBER, NOURA, "No proof of address")
    first = world.told(NUMBER)[-1]
    assert (first.status, first.reconsider) == (REJECTED.value, True)

    # the person asked once; reopened and rejected again, the offer is not repeated, but
    # the new decision is asked about (once per decision)
    world.events.append(by_the_person(REJECTED, REJECTED, "reconsider"))
    await desk.reopen(NUMBER, NOURA, "Looking again")
    await desk.reject(NUMBER, NOURA, "Still no proof")
    again = world.told(NUMBER)[-1]
    assert (again.status, again.reconsider, again.survey) == (REJECTED.value, False, True)


async def test_a_decision_is_undone_without_a_trace_for_the_person_within_the_grace(
    desk: Desk[Row, str], world: World
) -> None:
    await desk.take(NUMBER, NOURA)
    await desk.accept(NUMBER, NOURA)
    later(world, seconds=30)

    undone = await desk.undo(NUMBER, NOURA)

    assert (undone.status, undone.decision_reason) == (REVIEW.value, None)
    assert [n.status for n in world.told(NUMBER)] == [REVIEW.value]  # the acceptance is gone
    assert row(world).survey_asked_at is None  # the question was never seen: due again
    assert statuses(world)[-2:] == [ACCEPTED.value, REVIEW.value]


async def test_a_decision_the_person_may_have_seen_cannot_be_undone(
    desk: Desk[Row, str], world: World
) -> None:
    await desk.accept(NUMBER, NOURA)
    world.notices[-1].claimed_until = world.now - dt.timedelta(hours=2)  # a sender took it

    with pytest.raises(TooLateToUndo):
        await desk.undo(NUMBER, NOURA)
    assert row(world).status == ACCEPTED.value

    world.notices[-1].claimed_until = None
    world.notices[-1].attempts = 1  # a sender has tried it already
    with pytest.raises(TooLateToUndo):
        await desk.undo(NUMBER, NOURA)
    world.notices[-1].attempts, world.notices[-1].sent = 0, True
    with pytest.raises(TooLateToUndo):
        await desk.undo(NUMBER, NOURA)


async def test_an_undo_is_judged_by_the_notice_not_by_this_workers_clock(
    desk: Desk[Row, str], world: World
) -> None:
    """Found by review 11 (§3): the undo compared the notice's due instant, written by the
    deciding worker's clock, with its own; on a worker two hours ahead a notice nobody had
    taken was «too late». No sender took it: the person was never told, whatever the
    clock says."""
    await desk.accept(NUMBER, NOURA)
    later(world, hours=2)

    undone = await desk.undo(NUMBER, NOURA)

    assert undone.status == REVIEW.value
    assert [n.status for n in world.told(NUMBER)] == []


async def test_an_open_request_has_no_decision_to_undo(desk: Desk[Row, str], world: World) -> None:
    """Not «too late» (the person has been told): nothing was decided, or the decision is
    undone already, and nobody was told anything (found by the fresh-clone tester)."""
    await desk.take(NUMBER, NOURA)
    with pytest.raises(NothingToUndo) as never:
        await desk.undo(NUMBER, NOURA)
    assert never.value.current is REVIEW
    await desk.reject(NUMBER, NOURA, "No proof")
    await desk.undo(NUMBER, NOURA)
    with pytest.raises(NothingToUndo) as again:
        await desk.undo(NUMBER, NOURA)
    assert again.value.current is REVIEW and again.value.number == NUMBER
    assert [n.status for n in world.told(NUMBER)] == [REVIEW.value]


async def test_reopening_starts_the_seven_working_days_again_from_today(
    desk: Desk[Row, str], world: World
) -> None:
    await desk.reject(NUMBER, NOURA, "No proof")
    row(world).reminded_at = row(world).escalated_at = SUNDAY
    world.now = dt.datetime(2026, 3, 8, 7, tzinfo=dt.UTC)  # the next Sunday

    with pytest.raises(MissingReason):
        await desk.reopen(NUMBER, NOURA, "")
    reopened = await desk.reopen(NUMBER, NOURA, "New document arrived")

    assert (reopened.status, reopened.due_date) == (REVIEW.value, dt.date(2026, 3, 17))
    assert (reopened.reminded_at, reopened.escalated_at, reopened.decision_reason) == (
        None,
        None,
        None,
    )
    assert world.told(NUMBER)[-1].status == REVIEW.value
    assert world.events[-1].reason == "New document arrived"


# ---- answering a reconsideration -------------------------------------------------------


async def test_a_reconsideration_is_answered_by_keeping_the_rejection_or_reopening(
    desk: Desk[Row, str], world: World
) -> None:
    await desk.reject(NUMBER, NOURA, "No proof")
    with pytest.raises(SayRefused) as nobody_asked:
        await desk.keep_rejected(NUMBER, NOURA)
    assert nobody_asked.value.reason == "not_rejected"

    row(world).reconsider_reason = "I sent it on Monday"
    kept = await desk.keep_rejected(NUMBER, NOURA)
    assert (kept.status, kept.reconsider_reason) == (REJECTED.value, None)
    assert world.trail(NUMBER)[-1] == Change(
        NOURA.signature, REJECTED.value, REJECTED.value, "kept"
    )
    assert world.told(NUMBER)[-1].kept

    row(world).reconsider_reason = "Please look again"
    reopened = await desk.reopen_on_request(NUMBER, NOURA)
    assert (reopened.status, reopened.reconsider_reason) == (REVIEW.value, None)
    assert world.events[-1].reason == "Please look again"  # the person's reason is the why
    with pytest.raises(SayRefused):
        await desk.reopen_on_request(NUMBER, NOURA)


async def test_the_terminal_and_the_group_are_one_officer_each_by_their_own_key(
    desk: Desk[Row, str], world: World
) -> None:
    await desk.take(NUMBER, AT_TERMINAL)

    with pytest.raises(AlreadyTaken) as refused:
        await desk.accept(NUMBER, NOURA)
    assert refused.value.name == "Huda"
    assert (await desk.accept(NUMBER, AT_TERMINAL)).assigned_to == "terminal:Huda"


# ---- internal notes ------------------------------------------------------------------


async def test_an_internal_note_is_kept_with_who_and_when_and_changes_nothing_else(
    desk: Desk[Row, str], world: World
) -> None:
    await desk.take(NUMBER, NOURA)
    trail, told, cards = world.trail(NUMBER), world.told(NUMBER), list(world.cards)
    later(world, hours=2)

    # any officer may note, whoever has the request: a note decides nothing
    note = await desk.note(NUMBER, SARA, "  اتصلت بصاحب الطلب وسيرسل الصورة مساءً  ")

    assert (note.author, note.at) == (SARA.signature, SUNDAY + dt.timedelta(hours=2))
    assert note.text == "اتصلت بصاحب الطلب وسيرسل الصورة مساءً"
    assert world.internal_notes == [(NUMBER, note)]
    # never sent to the person; the status, officer, trail (so the buttons) and card stay
    assert (world.trail(NUMBER), world.told(NUMBER), world.cards) == (trail, told, cards)
    assert (row(world).status, row(world).assigned_name) == (REVIEW.value, "Noura")
    assert not world.staff_words


async def test_an_internal_note_needs_words_and_a_request(
    desk: Desk[Row, str], world: World
) -> None:
    with pytest.raises(MissingReason):
        await desk.note(NUMBER, NOURA, " \n ")
    with pytest.raises(RequestNotFound):
        await desk.note("1234567897", NOURA, "ملاحظة")
    long = await desk.note(NUMBER, NOURA, "ن" * 5000)
    assert len(long.text) == 2000
    assert [n for _number, n in world.internal_notes] == [long]
