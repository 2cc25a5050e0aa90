"""The person's say (:mod:`officers.their_say`) against an in-memory store: what a note,
a rating, a comment and a reconsideration change on the request, in its audit trail and
in what the officers are told, and that a refused one changes nothing. (The SQL store,
with two workers: tests/integration/test_their_say*.py.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable

import pytest

from domain.status import RequestStatus
from domain.their_say import MAX_NOTE, SayRefused
from officers.their_say import NOTE_BATCH_S, TheirSay
from tests.unit.officers.say_fake import FakeStore, FakeWords, Row, World

NUMBER = "4512345671"
CHAT = ("telegram", "501")
SUNDAY = dt.datetime(2026, 3, 1, 7, tzinfo=dt.UTC)
GRACE = dt.timedelta(seconds=60)


@pytest.fixture
def world() -> World:
    w = World(now=SUNDAY)
    w.rows[NUMBER] = Row(NUMBER, updated_at=SUNDAY)
    return w


@pytest.fixture
def say(world: World) -> TheirSay[Row, str]:
    return TheirSay(FakeStore(world), FakeWords(), clock=lambda: world.now, grace=GRACE)


def decided(
    world: World, status: RequestStatus, *, ago: dt.timedelta = GRACE, told: bool = True
) -> None:
    """The request was decided ``ago``; ``told``: its notice went out (by default), else
    it still waits in the outbox."""
    row = world.rows[NUMBER]
    row.status, row.decided_at = status.value, world.now - ago
    row.notice_waiting = not told


async def refusal(call: Awaitable[object]) -> str:
    """Why ``call`` was refused (it must be)."""
    with pytest.raises(SayRefused) as refused:
        await call
    assert refused.value.number == NUMBER
    return refused.value.reason


async def test_a_rating_is_stored_once_when_the_person_was_told(
    world: World, say: TheirSay[Row, str]
) -> None:
    assert await refusal(say.rate(NUMBER, *CHAT, 4)) == "not_decided"  # still open
    decided(world, RequestStatus.ACCEPTED, ago=GRACE / 2, told=False)
    # its notice still waits out the grace: no decision for them yet
    assert await refusal(say.rate(NUMBER, *CHAT, 4)) == "not_decided"
    world.now += GRACE
    world.rows[NUMBER].notice_waiting = False  # the outbox sent it
    await say.rate(NUMBER, *CHAT, 4)
    row = world.rows[NUMBER]
    assert (row.satisfaction, row.satisfaction_at) == (4, world.now)
    assert await refusal(say.rate(NUMBER, *CHAT, 1)) == "already"
    assert world.rows[NUMBER].satisfaction == 4


async def test_a_strangers_number_is_refused_as_not_theirs(
    world: World, say: TheirSay[Row, str]
) -> None:
    decided(world, RequestStatus.REJECTED)
    assert await refusal(say.rate(NUMBER, "telegram", "999", 5)) == "not_theirs"
    assert await refusal(say.may_say("recon", NUMBER, "whatsapp", "501")) == "not_theirs"
    missing = TheirSay(FakeStore(World()), FakeWords(), clock=lambda: SUNDAY, grace=GRACE)
    assert await refusal(missing.may_say("note", NUMBER, *CHAT)) == "not_theirs"
    assert world.rows[NUMBER].satisfaction is None and world.events == []


async def test_only_a_low_ratings_comment_goes_to_the_officers(
    world: World, say: TheirSay[Row, str]
) -> None:
    assert await refusal(say.comment(NUMBER, *CHAT, "شكرًا")) == "not_decided"  # no rating
    decided(world, RequestStatus.ACCEPTED)
    await say.rate(NUMBER, *CHAT, 5)
    await say.comment(NUMBER, *CHAT, "  خدمة سريعة  ")
    assert world.rows[NUMBER].satisfaction_comment == "خدمة سريعة"
    assert world.staff_words == []
    assert await refusal(say.comment(NUMBER, *CHAT, "again")) == "already"
    world.rows[NUMBER].satisfaction, world.rows[NUMBER].satisfaction_comment = 2, None
    await say.comment(NUMBER, *CHAT, "انتظرت طويلًا")
    assert world.staff_words == [(NUMBER, f"low {NUMBER} 2: انتظرت طويلًا")]


async def test_a_note_joins_the_open_request_its_trail_and_a_batch_for_the_officers(
    world: World, say: TheirSay[Row, str]
) -> None:
    world.files[NUMBER] = ["earlier.jpg"]
    record = await say.add_note(NUMBER, *CHAT, " " + "و" * (MAX_NOTE + 5), ["a.jpg", "b.pdf"])
    assert record.number == NUMBER and record.updated_at == world.now
    assert world.files[NUMBER] == ["earlier.jpg", "a.jpg", "b.pdf"]
    assert world.albums == [(NUMBER, 1)]  # only the new files go to the officers
    [(_n, change, reason, _at)] = world.events
    assert (change.kind, change.from_status, change.to_status) == ("note", "received", "received")
    assert change.actor == "resident:telegram:501" and reason == "و" * MAX_NOTE + " +2"
    wait = dt.timedelta(seconds=NOTE_BATCH_S)
    assert world.notes == [(NUMBER, "و" * MAX_NOTE, 2, world.now, wait)]
    await say.add_note(NUMBER, *CHAT, "كلمة أخرى", [])
    assert world.albums == [(NUMBER, 1)]  # no files, no album


async def test_a_note_to_a_decided_request_is_refused_and_changes_nothing(
    world: World, say: TheirSay[Row, str]
) -> None:
    decided(world, RequestStatus.ACCEPTED)
    assert await refusal(say.add_note(NUMBER, *CHAT, "نسيت", ["a.jpg"])) == "closed"
    assert world.files == {} and world.events == [] and world.notes == []
    assert await refusal(say.may_say("note", NUMBER, *CHAT)) == "closed"


async def test_a_reconsideration_once_with_a_reason_reaches_the_officers(
    world: World, say: TheirSay[Row, str]
) -> None:
    decided(world, RequestStatus.REJECTED, ago=GRACE / 2, told=False)
    assert await refusal(say.may_say("recon", NUMBER, *CHAT)) == "not_rejected"  # untold
    world.now += GRACE
    world.rows[NUMBER].notice_waiting = False
    await say.may_say("recon", NUMBER, *CHAT)
    assert await refusal(say.reconsider(NUMBER, *CHAT, "   ")) == "not_decided"
    await say.reconsider(NUMBER, *CHAT, " أرفقت التأمين ")
    assert world.rows[NUMBER].reconsider_reason == "أرفقت التأمين"
    [(_n, change, reason, _at)] = world.events
    assert (change.kind, change.to_status, reason) == ("reconsider", "rejected", "أرفقت التأمين")
    assert world.staff_words == [(NUMBER, f"reconsider {NUMBER}: أرفقت التأمين")]
    assert world.cards == [NUMBER]
    assert await refusal(say.reconsider(NUMBER, *CHAT, "مرة ثانية")) == "already"
    assert await refusal(say.may_say("recon", NUMBER, *CHAT)) == "already"
    # answered (kept) since, the reason cleared: still only once
    world.rows[NUMBER].reconsider_reason = None
    assert await refusal(say.may_say("recon", NUMBER, *CHAT)) == "already"
    assert len(world.staff_words) == 1


async def test_photos_with_a_reconsideration_join_the_request_until_it_is_answered(
    world: World, say: TheirSay[Row, str]
) -> None:
    decided(world, RequestStatus.REJECTED)
    world.files[NUMBER] = ["filed-1"]
    # no reconsideration asked yet: nothing to join
    assert await refusal(say.add_to_reconsideration(NUMBER, *CHAT, ["p0"])) == "closed"
    await say.reconsider(NUMBER, *CHAT, "أرفقت التأمين", ["p1", "p2"])
    assert world.files[NUMBER] == ["filed-1", "p1", "p2"]
    # the word first, then the files from the first new one, under the card
    assert world.staff_words == [(NUMBER, f"reconsider {NUMBER}: أرفقت التأمين +2")]
    assert world.albums == [(NUMBER, 1)]
    # one more photo a moment later joins it, noted in the trail, the status unchanged
    await say.add_to_reconsideration(NUMBER, *CHAT, ["p3"])
    assert world.files[NUMBER] == ["filed-1", "p1", "p2", "p3"]
    assert world.staff_words[-1] == (NUMBER, f"reconsider {NUMBER} +1")
    assert world.albums[-1] == (NUMBER, 3)
    # in the trail as files for the reconsideration, with how many: not as a note
    assert [c.kind for c in world.trail(NUMBER)] == ["reconsider", "recon_files"]
    assert world.rows[NUMBER].status == RequestStatus.REJECTED.value
    # answered by the officers: a later photo is refused, nothing kept
    world.rows[NUMBER].reconsider_reason = None
    assert await refusal(say.add_to_reconsideration(NUMBER, *CHAT, ["p4"])) == "closed"
    assert world.files[NUMBER][-1] == "p3"
    # someone else's request is refused as for any say
    stranger = say.add_to_reconsideration(NUMBER, "telegram", "999", ["p5"])
    assert await refusal(stranger) == "not_theirs"


async def test_which_decision_was_rated_is_not_judged_by_two_workers_clocks(
    world: World,
) -> None:
    """Found by review 10 (item 6): the rating's instant (the rating worker's clock) was
    compared with the decision's (the deciding worker's). A rating of the first decision
    on a worker two hours ahead read as a rating of the second decision, made an hour
    later on a worker whose clock is right, and the person was told they had rated it.
    The decision rated is now kept by its trail entry."""
    ahead = TheirSay(
        FakeStore(world), FakeWords(), clock=lambda: world.now + dt.timedelta(hours=2),
        grace=GRACE,
    )  # fmt: skip
    right = TheirSay(FakeStore(world), FakeWords(), clock=lambda: world.now, grace=GRACE)
    decided(world, RequestStatus.REJECTED)
    world.rows[NUMBER].decision = 1
    await ahead.rate(NUMBER, *CHAT, 2)
    assert world.rows[NUMBER].satisfaction_decision == 1
    # reopened on reconsideration and accepted an hour later, on a worker whose clock
    # is right: before the first rating's instant, as that worker's clock read it
    world.now += dt.timedelta(hours=1)
    decided(world, RequestStatus.ACCEPTED)
    world.rows[NUMBER].decision = 2
    await right.rate(NUMBER, *CHAT, 5)
    assert (world.rows[NUMBER].satisfaction, world.rows[NUMBER].satisfaction_decision) == (5, 2)
    assert await refusal(ahead.rate(NUMBER, *CHAT, 1)) == "already"
    assert world.rows[NUMBER].satisfaction == 5


async def test_whether_the_person_was_told_is_not_judged_by_two_workers_clocks(
    world: World,
) -> None:
    """Found by review 11 (item 4): whether the person had been told compared this
    worker's clock with the instant the deciding worker wrote. On a worker two hours
    ahead a rating was taken while the notice still waited (the decision could yet be
    undone unseen); on one two hours behind, a person holding the notice was told there
    was no decision. Whether the notice went out (the outbox's fact) decides now."""
    ahead = TheirSay(
        FakeStore(world), FakeWords(), clock=lambda: world.now + dt.timedelta(hours=2),
        grace=GRACE,
    )  # fmt: skip
    behind = TheirSay(
        FakeStore(world), FakeWords(), clock=lambda: world.now - dt.timedelta(hours=2),
        grace=GRACE,
    )  # fmt: skip
    decided(world, RequestStatus.REJECTED, ago=dt.timedelta(0), told=False)
    assert await refusal(ahead.rate(NUMBER, *CHAT, 2)) == "not_decided"
    assert await refusal(ahead.may_say("recon", NUMBER, *CHAT)) == "not_rejected"
    world.rows[NUMBER].notice_waiting = False  # sent, a moment later
    await behind.may_say("recon", NUMBER, *CHAT)
    await behind.rate(NUMBER, *CHAT, 2)
    assert world.rows[NUMBER].satisfaction == 2
    # with no grace a decision is final at once: nothing waits to be taken back
    no_grace = TheirSay(
        FakeStore(world), FakeWords(), clock=lambda: world.now, grace=dt.timedelta(0)
    )
    world.rows[NUMBER].notice_waiting = True
    await no_grace.may_say("recon", NUMBER, *CHAT)


async def test_a_reconsideration_names_the_officer_who_rejected(
    world: World, say: TheirSay[Row, str]
) -> None:
    """Session 14, §12d: the word under the card named no one, so the officer who rejected
    the request was not alerted; it now carries the rejection's actor (its trail entry)."""
    decided(world, RequestStatus.REJECTED)
    world.rows[NUMBER].decider = "officer:7001:نورة"
    await say.reconsider(NUMBER, *CHAT, "أرفقت التأمين")
    assert world.staff_words == [
        (NUMBER, f"reconsider {NUMBER}: أرفقت التأمين (rejected by officer:7001:نورة)")
    ]
