"""Every list has a way out (found by the fresh-clone tester): «رجوع» and «إلغاء» under
the frequently asked questions and under «is it one of these?», and the ways on under a
note's confirmation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from conversations.engine import Engine
from conversations.events import Media
from conversations.flows.intake import INTAKE
from conversations.ports import Note
from conversations.their_say import note_id
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore
from .test_intake import RESIDENT, _to_identity
from .test_status import FILED, MINE, _view, plain


@dataclass
class SayGateway(MemoryGateway):
    """The memory gateway that takes notes (the SQL one is tested in integration)."""

    notes: list[Note] = field(default_factory=list)

    async def may_say(self, what: str, number: str, channel: str, user_key: str) -> None:
        return None

    async def add_note(self, note: Note) -> None:
        self.notes.append(note)


def _chat(gateway: MemoryGateway | None = None) -> Chat:
    gateway = gateway or MemoryGateway()
    gateway.views[MINE] = (_view(MINE, "under_review"), ("test", "u1"), RESIDENT)
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), gateway,
        clock=lambda: FILED + dt.timedelta(days=1), limiter=MemoryLimiter(),
    )  # fmt: skip
    return Chat(engine.handle)


async def test_back_under_the_faq_list_returns_to_the_question_and_numbers_match() -> None:
    chat = _chat()
    await _to_identity(chat)
    await chat.text("أسئلة شائعة")
    assert chat.choice_ids[-2:] == ["back", "cancel"]
    # named under the topics, never numbered (conversations.reading.NAMED_NAV)
    await chat.text("رجوع")
    assert "رقم هويتك" in plain(chat.said)
    await chat.text(RESIDENT)
    assert chat.last[-1].ask_contact  # the draft went on


async def test_cancel_under_the_faq_list_cancels() -> None:
    chat = _chat()
    await chat.command("start")
    await chat.tap("faq")
    await chat.tap("cancel")
    assert "تم الإلغاء" in plain(chat.said)


async def _writing_a_note() -> tuple[Chat, SayGateway]:
    """A person at the note step of their only request (its status shown at once)."""
    gateway = SayGateway()
    chat = _chat(gateway)
    await chat.command("start")
    await chat.tap("status")  # their only request: its status at once
    await chat.tap(note_id(MINE))
    return chat, gateway


async def test_a_sent_note_offers_the_request_and_a_new_one() -> None:
    chat, gateway = await _writing_a_note()
    assert "cancel" in chat.choice_ids  # while writing it
    await chat.text("أرجو الإسراع لأن موعد سفري قريب")
    await chat.tap("send")
    assert [n.text for n in gateway.notes] == ["أرجو الإسراع لأن موعد سفري قريب"]
    assert chat.choice_ids == [f"st:{MINE}", "new"]
    await chat.tap(f"st:{MINE}")
    assert "قيد الدراسة" in plain(chat.said) and MINE in plain(chat.said)


@pytest.mark.parametrize(
    ("locale", "said"),
    [("ar", "تعذّرت علينا قراءة هذا الملف"), ("en", "I couldn't read this file")],
)
async def test_a_damaged_file_in_a_note_is_told_it_could_not_be_read(
    locale: str, said: str
) -> None:
    # found by the fresh-clone tester: a 13-byte PDF was told it was over 10 MB
    gateway = SayGateway()
    chat = _chat(gateway)
    await chat.command("start")
    if locale == "en":
        await chat.text("English")
    await chat.tap("status")  # their only request: its status at once
    await chat.tap(note_id(MINE))
    damaged = Media(chat.origin(), "document", "f1", "application/octet-stream", 13,
                    file_name="iqama.pdf", problem="unreadable")  # fmt: skip
    await chat.send(damaged)
    assert said in chat.said and "10" not in chat.said


async def test_the_same_photo_twice_in_a_note_is_kept_once() -> None:
    chat, gateway = await _writing_a_note()
    await chat.media(ref="tg-a", content=b"receipt")
    await chat.media(ref="tg-b", content=b"receipt")
    assert "أرسلت هذه الصورة من قبل" in chat.said
    await chat.tap("send")
    assert [a.ref for a in gateway.notes[0].attachments] == ["tg-a"]
