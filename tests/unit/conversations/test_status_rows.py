"""Two requests for one service are told apart in «طلباتك» and in «ما الطلب الذي تخصّه
ملاحظتك؟» (fresh-clone tester 14, §5: «1) 9824034350 · تجديد هوية مقيم» and «2) 6127080163 ·
تجديد هوية مقيم», one the person's own iqama and one their wife's, with no date and no word
of whom each is for). Each button names whom it is for, and the text the day each was
filed in both calendars; no identity number in clear."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from conversations.engine import Engine
from conversations.events import Reply
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue
from domain.normalize import clean_input

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore, TerminalChat, WhatsAppChat
from .test_intake import RESIDENT
from .test_status import FILED, MINE, _view

WIFES = "5000000009"


def _engine(gateway: MemoryGateway) -> Engine:
    return Engine(
        MemoryStore(), INTAKE, load_catalogue(), gateway, limiter=MemoryLimiter(),
        clock=lambda: FILED + dt.timedelta(days=3),
    )  # fmt: skip


@pytest.fixture
def gateway() -> MemoryGateway:
    """Two «تجديد هوية مقيم» filed from this chat: the person's own, then their wife's a
    day later (newest first in the list)."""
    gateway = MemoryGateway()
    wifes = dataclasses.replace(
        _view(WIFES, "received", for_whom="family"), submitted_at=FILED + dt.timedelta(days=1)
    )
    gateway.views[WIFES] = (wifes, ("test", "u1"), "2123456788")
    gateway.views[MINE] = (_view(MINE, "under_review", for_whom="self"), ("test", "u1"), RESIDENT)
    return gateway


def _labels(reply: Reply, prefix: str) -> dict[str, str]:
    return {
        o.id.removeprefix(prefix): clean_input(o.label)
        for o in reply.choices
        if o.id.startswith(prefix)
    }


@pytest.mark.parametrize("kind", [Chat, WhatsAppChat, TerminalChat])
async def test_the_status_list_says_whom_each_is_for_and_when_it_was_filed(
    gateway: MemoryGateway, kind: type[Chat]
) -> None:
    chat = kind(_engine(gateway).handle)
    await chat.command("start")
    said = await chat.text("وش صار على طلبي")
    labels = _labels(said[-1], "r:")
    assert labels[MINE].endswith("تجديد هوية مقيم · لي أنا"), labels
    assert labels[WIFES].endswith("تجديد هوية مقيم · تابع لي أو مكفول لدي"), labels
    text = clean_input(said[-1].text)
    # each filing day, Hijri and Gregorian, as the bot writes dates
    assert f"{MINE}: قُدّم يوم الأحد 12 جمادى الآخرة 1448هـ، الموافق 22 نوفمبر 2026م" in text, text
    assert f"{WIFES}: قُدّم يوم الاثنين 13 جمادى الآخرة 1448هـ، الموافق 23 نوفمبر 2026م" in text
    everything = text + " ".join(labels.values())
    assert RESIDENT not in everything and "2123456788" not in everything
    # the second row still answers «الثاني» / «2»
    await chat.text("2")
    assert f"الطلب رقم {MINE}" in clean_input(chat.said)


async def test_in_english_the_list_is_in_english(gateway: MemoryGateway) -> None:
    chat = Chat(_engine(gateway).handle)
    await chat.command("start")
    await chat.text("وش صار على طلبي")
    said = await chat.text("English")
    labels = _labels(said[-1], "r:")
    assert labels[WIFES].endswith("Renew an iqama · My dependant"), labels
    assert "filed on Monday, 23 November 2026 (13 Jumada al-Akhirah 1448 AH)" in clean_input(
        said[-1].text
    )


async def test_the_note_picker_says_whom_each_is_for_and_when_it_was_filed(
    gateway: MemoryGateway,
) -> None:
    chat = Chat(_engine(gateway).handle)
    await chat.command("start")
    said = await chat.text("ابي الغي طلبي اللي قدمته")
    assert "ما الطلب الذي تخصّه ملاحظتك" in said[-1].text
    labels = _labels(said[-1], "note:")
    assert labels[MINE].endswith("· لي أنا") and labels[WIFES].endswith("· تابع لي أو مكفول لدي")
    text = clean_input(said[-1].text)
    assert f"{MINE}: قُدّم يوم الأحد 12 جمادى الآخرة 1448هـ" in text, text
    assert "الموافق 23 نوفمبر 2026م" in text


async def test_an_establishments_rows_name_the_worker_masked() -> None:
    gateway = MemoryGateway()
    for number, worker in ((MINE, "2000000006"), (WIFES, "2123456788")):
        view = _view(
            number,
            "received",
            applicant_kind="establishment",
            holder=worker[0] + "******" + worker[-3:],
        )
        gateway.views[number] = (view, ("test", "u1"), worker)
    chat = Chat(_engine(gateway).handle)
    await chat.command("start")
    said = await chat.text("وش صار على طلبي")
    labels = _labels(said[-1], "r:")
    assert labels[MINE].endswith("· العامل 2******006") and labels[WIFES].endswith("788"), labels
    assert "2000000006" not in " ".join(labels.values())


async def test_a_list_kept_by_the_earlier_version_still_shows() -> None:
    """A person at the list when the new version starts: their list, kept as [number,
    service name], is shown as it was."""
    gateway = MemoryGateway()
    gateway.views[MINE] = (_view(MINE, "under_review"), ("test", "u1"), RESIDENT)
    gateway.views[WIFES] = (_view(WIFES, "received"), ("test", "u1"), RESIDENT)
    store = MemoryStore()
    engine = Engine(
        store, INTAKE, load_catalogue(), gateway, limiter=MemoryLimiter(), clock=lambda: FILED
    )
    chat = Chat(engine.handle)
    await chat.command("start")
    await chat.text("وش صار على طلبي")
    state = await store.load("test", "u1")
    state.answers["mine"] = [[MINE, "تجديد هوية مقيم"], [WIFES, "تجديد هوية مقيم"]]
    assert await store.save("test", "u1", state)
    said = await chat.text("English")  # the list shown again from what was kept
    assert _labels(said[-1], "r:") == {
        MINE: f"{MINE} · تجديد هوية مقيم",
        WIFES: f"{WIFES} · تجديد هوية مقيم",
    }
    await chat.text("2")
    assert f"request {WIFES}" in clean_input(chat.said).lower() or WIFES in chat.said
