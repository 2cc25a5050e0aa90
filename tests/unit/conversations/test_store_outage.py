"""A photo or file whose turn meets the dialogue store away (conversations.store_outage),
through the engine on the in-memory store made unreachable (``down``, ``save_fails``); the
real Redis version is tests/integration/test_album_outage.py."""

from __future__ import annotations

import pytest

from conversations.engine import Engine, apology
from conversations.flows.intake import INTAKE
from conversations.store import StoreUnavailable
from conversations.store_outage import file_apology
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_intake import PHONE, RESIDENT, _to_attachments, _to_identity


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def gateway() -> MemoryGateway:
    return MemoryGateway()


@pytest.fixture
def engine(store: MemoryStore, gateway: MemoryGateway) -> Engine:
    return Engine(store, INTAKE, load_catalogue(), gateway, store_wait_s=0.0)


async def test_a_photo_waits_for_the_store_and_is_kept(
    engine: Engine, store: MemoryStore, gateway: MemoryGateway
) -> None:
    chat = Chat(engine.handle)
    await _to_attachments(chat)
    await chat.media(album="A1")
    engine.store_wait_s = 30.0
    store.down = 3  # a restart: refused three times, then it answers
    assert await chat.media(album="A1") == []  # the album's rest: kept, no second answer
    await chat.tap("done")
    assert "المرفقات: ملفان" in chat.said
    await chat.tap("confirm")
    assert len(gateway.submissions[0].attachments) == 2


@pytest.mark.parametrize(
    "away",
    [
        ConnectionError("Connection reset by peer"),
        # the port's own word for it (the Redis store turns Redis's connection and timeout
        # errors into it): waited for like a dropped connection
        StoreUnavailable("Redis is loading the dataset in memory"),
    ],
)
async def test_a_photo_whose_save_meets_the_store_away_is_run_again_and_kept(
    engine: Engine, store: MemoryStore, gateway: MemoryGateway, away: Exception
) -> None:
    chat = Chat(engine.handle)
    await _to_attachments(chat)
    await chat.media(album="A1")
    engine.store_wait_s = 30.0
    store.save_fails = [away] * 2
    assert await chat.media(album="A1") == []  # kept on the third try, the album answered once
    assert not store.save_fails
    await chat.tap("done")
    assert "المرفقات: ملفان" in chat.said


async def test_a_photo_whose_turn_fails_otherwise_is_not_run_again(
    engine: Engine, store: MemoryStore
) -> None:
    """Only the store being away is waited for; a refusal or a bug answers at once."""
    chat = Chat(engine.handle)
    await _to_attachments(chat)
    engine.store_wait_s = 30.0
    store.save_fails = [RuntimeError("a bug"), RuntimeError("a bug")]
    await chat.media()
    assert chat.said == file_apology("ar")
    assert len(store.save_fails) == 1  # tried once


async def test_only_files_wait_a_text_is_answered_at_once(
    engine: Engine, store: MemoryStore
) -> None:
    chat = Chat(engine.handle)
    engine.store_wait_s = 30.0
    store.down = 1
    await chat.command("start")
    assert chat.said == apology("ar")


async def test_a_photo_lost_at_the_summary_sends_confirm_back_to_the_documents(
    engine: Engine, store: MemoryStore, gateway: MemoryGateway
) -> None:
    chat = Chat(engine.handle)
    await _to_attachments(chat)
    await chat.media()
    await chat.tap("done")
    assert "تأكيد وإرسال" in str([c.label for c in chat.last[-1].choices])
    store.down = 1
    await chat.media()  # sent while the summary is on screen, and lost
    assert chat.said == file_apology("ar")
    await chat.tap("confirm")
    assert not gateway.submissions
    assert chat.said.startswith("لم تصلنا صورة أو ملف أرسلته")
    assert "without_missing" in chat.choice_ids
    # the person has it no more and says so: the request goes with what it has
    await chat.tap("without_missing")
    assert "المرفقات: ملف واحد" in chat.said
    await chat.tap("confirm")
    assert len(gateway.submissions[0].attachments) == 1


async def test_the_note_is_for_the_person_it_is_about(
    engine: Engine, store: MemoryStore, gateway: MemoryGateway
) -> None:
    lost, other = Chat(engine.handle, user="lost"), Chat(engine.handle, user="other")
    await _to_attachments(lost)
    await _to_attachments(other)
    store.down = 1
    await lost.media()
    await other.media()
    await other.tap("done")
    await other.tap("confirm")
    assert len(gateway.submissions) == 1
    await lost.tap("done")
    assert lost.said.startswith("لم تصلنا صورة")
    await lost.media()
    assert "المتابعة بدونه" not in str([c.label for c in lost.last[-1].choices])
    await lost.tap("done")
    await lost.tap("confirm")
    assert len(gateway.submissions) == 2


async def test_a_photo_lost_before_the_documents_step_leaves_no_note(
    engine: Engine, store: MemoryStore, gateway: MemoryGateway
) -> None:
    """At the identity step a photo is not taken anyway: the draft is not held up."""
    chat = Chat(engine.handle)
    await _to_identity(chat)
    store.down = 1
    await chat.media()
    assert chat.said == file_apology("ar")
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    await chat.text("انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام")
    await chat.media()
    await chat.tap("done")
    assert "المرفقات: ملف واحد" in chat.said
    await chat.tap("confirm")
    assert len(gateway.submissions) == 1


async def test_an_answer_to_an_officer_is_not_sent_silently_without_a_lost_photo(
    engine: Engine, store: MemoryStore, gateway: MemoryGateway
) -> None:
    """The gathering steps (conversations.gathering): the first «send» says a photo is
    missing, and a second one sends without it; a photo sent again goes with the answer."""
    gateway.ask("5038329651", "أرفق صورة الإقامة من الجهتين")
    chat = Chat(engine.handle)
    await chat.tap("ans:5038329651")
    await chat.media(album="B1")
    store.down = 1
    await chat.media(album="B1")
    assert chat.said == file_apology("ar")
    await chat.tap("send")
    assert chat.said.startswith("لم تصلنا صورة أو ملف أرسلته")
    assert not gateway.answers
    await chat.media()  # sent again
    await chat.tap("send")
    assert len(gateway.answers[0].attachments) == 2
    # and when the person has it no more, the second «send» goes without it
    gateway.ask("5038329669", "أرفق صورة الجواز")
    await chat.tap("ans:5038329669")
    await chat.media()
    store.down = 1
    await chat.media()
    await chat.tap("send")
    assert len(gateway.answers) == 1 and "لم تصلنا" in chat.said
    await chat.tap("send")
    assert len(gateway.answers[1].attachments) == 1


async def test_the_note_reaches_the_person_s_turn_on_another_worker(
    store: MemoryStore, gateway: MemoryGateway
) -> None:
    """Two workers on one store: the one that told the person writes the note with the
    first turn it handles once the store answers, so the other worker's «تم» sees it."""
    a = Engine(store, INTAKE, load_catalogue(), gateway, store_wait_s=0.0)
    b = Engine(store, INTAKE, load_catalogue(), gateway, store_wait_s=0.0)
    on_a, on_b = Chat(a.handle, user="lost"), Chat(b.handle, user="lost")
    await _to_attachments(on_a)
    await on_a.media(album="C1")
    store.down = 1
    await on_a.media(album="C1")
    assert on_a.said == file_apology("ar")
    await Chat(a.handle, user="someone else").command("start")  # the store answers again
    await on_b.tap("done")
    assert on_b.said.startswith("لم تصلنا صورة")
    assert not gateway.submissions


async def test_a_telegram_album_sent_again_before_the_documents_pays_back_every_lost_file(
    engine: Engine, store: MemoryStore, gateway: MemoryGateway
) -> None:
    """Two photos lost at the description step, then «رجوع» to the phone step and the two
    sent again as a Telegram album (no count): both are kept, so nothing is missing any
    more. Found in session 11: early_files.keep_early noted only the album's first file
    as sent again, and the documents step still said a photo had not reached us."""
    chat = Chat(engine.handle)
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    for _ in range(2):
        store.down = 1
        await chat.media()
        assert chat.said == file_apology("ar")
    await chat.text("رجوع")
    state = await store.load("test", "u1")
    assert (state.step, state.answers.get("missing_files")) == ("phone", 2)
    await chat.media(album="T1")
    assert await chat.media(album="T1") == []  # the album's rest: kept, answered once
    state = await store.load("test", "u1")
    assert len(state.answers["attachments"]) == 2
    assert "missing_files" not in state.answers, state.answers
    await chat.contact(PHONE)
    await chat.text("انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام")
    assert "لم تصلنا صورة" not in chat.said, chat.said
    await chat.tap("done")
    await chat.tap("confirm")
    assert len(gateway.submissions[0].attachments) == 2
