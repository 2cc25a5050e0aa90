"""A photo after a decision, on the in-memory parts: asked about within a week of the
decision (conversations.forgotten_files.DECIDED_RECENTLY), taken for a new request as before
long after it; a rejection being reconsidered takes it as a note, as an open request does."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from conversations.ports import RECONSIDERATION_ASKED
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore
from .test_intake import RESIDENT
from .test_status import FILED, MINE, _view

DECIDED = FILED + dt.timedelta(days=2)


def _chat(gateway: MemoryGateway, now: dt.datetime) -> Chat:
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), gateway, limiter=MemoryLimiter(),
        clock=lambda: now,
    )  # fmt: skip
    return Chat(engine.handle)


def _decided(status: str, *, later: tuple[tuple[dt.datetime, str], ...] = ()) -> MemoryGateway:
    """A request of the person's decided (``status``) at ``DECIDED``, then ``later``."""
    gateway = MemoryGateway()
    history = ((FILED, "received"), (DECIDED, status), *later)
    view = dataclasses.replace(_view(MINE, status), history=history)
    gateway.views[MINE] = (view, ("test", "u1"), RESIDENT)
    return gateway


@pytest.mark.parametrize(("days", "asked"), [(1, True), (7, True), (8, False), (30, False)])
async def test_an_acceptance_is_asked_about_within_a_week(days: int, asked: bool) -> None:
    chat = _chat(_decided("accepted"), DECIDED + dt.timedelta(days=days))
    await chat.command("start")
    await chat.media()
    assert ("صدر القرار في طلبك" in chat.said) is asked, chat.said
    assert ("احتفظتُ بصورتك" in chat.said) is not asked


async def test_a_rejection_being_reconsidered_takes_the_photo_as_a_note() -> None:
    later = ((DECIDED + dt.timedelta(hours=1), RECONSIDERATION_ASKED),)
    gateway = _decided("rejected", later=later)
    chat = _chat(gateway, DECIDED + dt.timedelta(days=1))
    await chat.command("start")
    await chat.media(ref="clearer")
    assert f"note:{MINE}" in chat.choice_ids and "هل أضيفها" in chat.said
    await chat.tap(f"note:{MINE}")
    assert "لم تُرسل بعد" in chat.said


def test_the_window_is_data_with_its_source() -> None:
    """The week after a decision in which a file is asked about was a constant in code
    (session 16's brief, item 10): it is kept in conversations/data/forgotten_files.json,
    with why it is that long, where the people who keep the data can change it."""
    import json
    from pathlib import Path

    from conversations import forgotten_files

    data = Path(forgotten_files.__file__).parent / "data" / "forgotten_files.json"
    raw = json.loads(data.read_text(encoding="utf-8"))
    assert forgotten_files.DECIDED_RECENTLY == dt.timedelta(days=raw["decided_recently_days"])
    assert raw["decided_recently_days"] == 7 and "RATING_WINDOW" in raw["_source"]
