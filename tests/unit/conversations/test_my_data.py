"""«بياناتي» and «احذف بياناتي» in the real dialogue (issue 14): asked in words or by
button at any step without losing it, the deletion asks first, a «no» deletes nothing, a
«yes» clears the draft and the remembered language and explains the open requests."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from conversations.my_data import (
    Erased,
    HeldBlock,
    HeldData,
    HeldFile,
    HeldRequest,
    data_wish,
)
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore
from .test_intake import RESIDENT, _to_identity

FILED = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


class FakePersonalData:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []

    async def held(self, channel: str, user_key: str, locale: str) -> HeldData:
        self.calls.append(("held", channel, user_key))
        files = (HeldFile("photo", "image/jpeg", "iqama.jpg"),)
        request = HeldRequest(
            "4512345671",
            "iqama_renew",
            "accepted",
            FILED,
            RESIDENT,
            None,
            "+966501234567",
            files,
            redacted=False,
        )
        return HeldData(("+966501234567",), (RESIDENT,), locale, (request,))

    async def erase(self, channel: str, user_key: str) -> Erased:
        self.calls.append(("erase", channel, user_key))
        return Erased(("4512345671",), (("7312345678", "under_review"),), 365)


@pytest.fixture
def data() -> FakePersonalData:
    return FakePersonalData()


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def chat(store: MemoryStore, data: FakePersonalData) -> Chat:
    engine = Engine(store, INTAKE, load_catalogue(), MemoryGateway(), personal_data=data)
    return Chat(engine.handle)


@pytest.mark.parametrize(
    ("text", "wish"),
    [
        ("بياناتي", "mydata"),
        ("ابي اشوف بياناتي الشخصية", "mydata"),
        ("My data", "mydata"),
        ("احذف بياناتي", "mydata:del"),
        ("لو سمحت امسحوا بياناتي", "mydata:del"),
        ("امسح بياناتي لو سمحت", "mydata:del"),
        ("Delete my data please", "mydata:del"),
        ("ابي اجدد اقامتي", None),
    ],
)
def test_wish_words(text: str, wish: str | None) -> None:
    assert data_wish(text) == wish


async def test_my_data_mid_draft_shows_it_and_keeps_the_step(
    chat: Chat, data: FakePersonalData
) -> None:
    await _to_identity(chat)
    await chat.text("بياناتي")
    said = chat.said
    assert "4512345671" in said and RESIDENT in said and "+966501234567" in said
    assert "iqama.jpg" in said and "(JPEG)" in said and "مقبول" in said
    # helper 25: «image/jpeg» and «2026-11-02» read as a machine's, not the service's
    assert "image/jpeg" not in said and "2026-11-02" not in said, said
    assert "قُدّم في ٢٢ جمادى الأولى ١٤٤٨هـ (٢ نوفمبر ٢٠٢٦م)" in said, said
    assert "العربية" in said
    assert data.calls == [("held", "test", "u1")]
    # the identity question is still the one being asked: the number is taken
    await chat.text(RESIDENT)
    assert "share_contact" in chat.choice_ids


async def test_delete_asks_first_and_no_deletes_nothing(
    chat: Chat, data: FakePersonalData, store: MemoryStore
) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.text("احذف بياناتي")
    assert "هل تُحذف بياناتك" in chat.said
    assert chat.choice_ids[:2] == ["mydata:yes", "mydata:no"]
    await chat.text("2")
    assert "لم يُحذف شيء" in chat.said
    assert data.calls == []
    state = await store.load("test", "u1")
    assert state.answers.get("identity")


async def test_delete_yes_clears_draft_and_language_and_explains_open(
    chat: Chat, data: FakePersonalData, store: MemoryStore
) -> None:
    await chat.command("start")
    await chat.text("English")
    await _to_identity(chat)
    await chat.text(RESIDENT)
    assert store.locales[("test", "u1")] == "en:chosen"
    await chat.text("delete my data")
    assert "Delete your data?" in chat.said
    await chat.tap("mydata:yes")
    said = chat.said
    assert data.calls == [("erase", "test", "u1")]
    assert "4512345671" in said
    assert "7312345678" in said and "still being handled" in said and "365" in said
    state = await store.load("test", "u1")
    assert ("test", "u1") not in store.locales
    assert state.locale == "ar" and not state.answers and state.suspended is None
    assert not state.forget_locale


async def test_a_forged_yes_without_asking_is_refused(chat: Chat, data: FakePersonalData) -> None:
    await _to_identity(chat)
    await chat.tap("mydata:yes")
    assert data.calls == []


async def test_an_old_yes_deletes_nothing(chat: Chat, data: FakePersonalData) -> None:
    await chat.command("start")
    await chat.text("احذف بياناتي")
    await chat.tap("mydata:no")
    # the old question's «yes», pressed after «no»: nothing is deleted
    await chat.tap("mydata:yes")
    assert data.calls == []
    await chat.text("احذف بياناتي")
    await chat.tap("mydata:yes")
    assert data.calls == [("erase", "test", "u1")]


async def test_without_the_port_the_words_are_not_read() -> None:
    engine = Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway())
    chat = Chat(engine.handle)
    await chat.command("start")
    await chat.text("احذف بياناتي")
    assert "هل تُحذف بياناتك" not in chat.said


async def test_my_data_is_a_help_button_that_keeps_the_step(
    chat: Chat, data: FakePersonalData
) -> None:
    await _to_identity(chat)
    await chat.text("مساعدة")
    assert "mydata" in chat.choice_ids
    await chat.text("بعدين")  # not an identity number: the step is still the identity
    await chat.tap("mydata")
    assert "4512345671" in chat.said and data.calls == [("held", "test", "u1")]
    await chat.text(RESIDENT)
    assert "share_contact" in chat.choice_ids


async def test_no_help_button_without_the_port() -> None:
    engine = Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway())
    chat = Chat(engine.handle)
    await _to_identity(chat)
    await chat.text("مساعدة")
    assert "mydata" not in chat.choice_ids and "cancel" in chat.choice_ids


async def test_a_typed_yes_answers_the_deletion_question_at_the_status_number_step(
    data: FakePersonalData, store: MemoryStore
) -> None:
    # the fresh-clone tester: at the request-number step of a status look-up, «نعم» to
    # «هل تُحذف بياناتك؟» was read as a wrong request number
    engine = Engine(
        store, INTAKE, load_catalogue(), MemoryGateway(), limiter=MemoryLimiter(),
        personal_data=data,
    )  # fmt: skip
    chat = Chat(engine.handle)
    await chat.command("start")
    await chat.text("حالة طلبي")
    assert (await store.load("test", "u1")).step == "number"
    await chat.text("احذف بياناتي")
    assert "هل تُحذف بياناتك" in chat.said
    await chat.text("لا")
    assert "لم يُحذف شيء" in chat.said and "يتكون من" not in chat.said
    assert data.calls == []
    await chat.text("احذف بياناتي")
    await chat.text("نعم")
    assert data.calls == [("erase", "test", "u1")]
    assert "يتكون من" not in chat.said and "7312345678" in chat.said


async def test_delete_my_data_typed_where_the_my_data_button_is_offered_asks_to_delete(
    chat: Chat, data: FakePersonalData
) -> None:
    # «بياناتي» is a help button's label: «احذف بياناتي» contains it, and the longer
    # phrase (delete) must win over the button it mentions
    await _to_identity(chat)
    await chat.text("مساعدة")
    assert "mydata" in chat.choice_ids
    await chat.text("احذف بياناتي")
    assert "هل تُحذف بياناتك" in chat.said
    assert data.calls == []


class NothingFiled(FakePersonalData):
    async def held(self, channel: str, user_key: str, locale: str) -> HeldData:
        self.calls.append(("held", channel, user_key))
        return HeldData((), (), locale, ())


async def test_my_data_mid_request_names_the_draft_and_asks_the_step_again(
    store: MemoryStore,
) -> None:
    # the fresh-clone tester: «أرقام الهوية: لا يوجد» with an identity number in the draft,
    # and the step's question not asked again after the answer
    engine = Engine(store, INTAKE, load_catalogue(), MemoryGateway(), personal_data=NothingFiled())
    chat = Chat(engine.handle)
    await _to_identity(chat)
    asked = (await chat.text(RESIDENT))[-1]
    replies = await chat.text("بياناتي")
    held = replies[0].text
    assert RESIDENT in held
    assert "أرقام الهوية: لا يوجد" not in held
    assert "الطلب الذي بدأت تعبئته" in held
    assert replies[-1].text == asked.text
    assert [o.id for o in replies[-1].choices] == [o.id for o in asked.choices]


async def test_start_again_at_the_deletion_question_is_no_no(
    chat: Chat, data: FakePersonalData
) -> None:
    # «ابدأ» folds to «ابدا», also a dialect «no»: the words once answered «no» here
    await chat.command("start")
    await chat.text("احذف بياناتي")
    assert "هل تُحذف بياناتك" in chat.said
    await chat.text("ابدأ من جديد")
    assert "لم يُحذف شيء" not in chat.said
    assert chat.choice_ids[:2] == ["ind", "est"]
    assert data.calls == []


async def test_the_lists_in_the_arabic_answer_are_separated_by_the_arabic_comma(
    store: MemoryStore, chat: Chat
) -> None:
    # found by the fresh-clone tester: «بياناتي» listed the draft's numbers with «,»
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.contact("+966551234567")
    held = (await chat.tap("mydata"))[0].text  # the button: the words would be a description
    (draft,) = [line for line in held.splitlines() if "الطلب الذي بدأت تعبئته" in line]
    phones = [line for line in held.splitlines() if line.startswith("أرقام الجوال")]
    for line in (draft, *phones):
        assert "," not in line, line
    assert "، " in draft and "، " in phones[0], (draft, phones)


class _LateEveningData(FakePersonalData):
    """A request filed at 00:30 in Riyadh on 2 December (21:30 UTC on the 1st), and a block
    put at 00:10 on the 2nd and lifted at 00:20 on the 3rd, Riyadh time."""

    async def held(self, channel: str, user_key: str, locale: str) -> HeldData:
        base = await super().held(channel, user_key, locale)
        request = dataclasses.replace(
            base.requests[0], submitted_at=dt.datetime(2026, 12, 1, 21, 30, tzinfo=dt.UTC)
        )
        block = HeldBlock(
            dt.datetime(2026, 12, 1, 21, 10, tzinfo=dt.UTC),
            dt.datetime(2026, 12, 2, 21, 20, tzinfo=dt.UTC),
            request.number,
        )
        return dataclasses.replace(base, requests=(request,), blocks=(block,))


async def test_my_data_dates_are_riyadh_days_after_midnight() -> None:
    """At 00:30 Riyadh time (21:30 UTC the day before) the days were UTC's: a request filed
    just after midnight was said to be filed the day before, and so was a block."""
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), MemoryGateway(), personal_data=_LateEveningData()
    )
    chat = Chat(engine.handle)
    await chat.command("start")
    await chat.text("بياناتي")
    said = chat.said
    # before: «قُدّم في ٢٠٢٦-١٢-٠١» and «حُظرت رسائلك في ٢٠٢٦-١٢-٠١، ثم رُفع الحظر في ٢٠٢٦-١٢-٠٢»
    assert "(٢ ديسمبر ٢٠٢٦م): " in said, said
    assert "(٢ ديسمبر ٢٠٢٦م)، ثم رُفع الحظر في" in said and "(٣ ديسمبر ٢٠٢٦م)" in said, said
    assert "١ ديسمبر" not in said
