"""A button tapped under an earlier question's message is told apart from the current
question's (found by the fresh-clone tester: on Telegram old keyboards stay on screen, and
a button from an earlier question led to the first question without a word). The buttons
carry the stamp of the question they answer (conversations.stale_buttons); a stale tap
does nothing, says so, and asks the current question again, losing nothing."""

from __future__ import annotations

from conversations.engine import Engine
from conversations.events import Choice, Reply
from conversations.flows.intake import INTAKE
from conversations.stale_buttons import ALL_BUTTONS, split_stamp, with_stamp
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_intake import RESIDENT, _to_identity

OLD = "That button is from an earlier message"


def _chat(store: MemoryStore | None = None) -> Chat:
    engine = Engine(store or MemoryStore(), INTAKE, load_catalogue(), MemoryGateway())
    return Chat(engine.handle)


def _stamp(replies: list[Reply]) -> str:
    """The stamp of the last keyboard among ``replies``, as a channel renders it."""
    stamp = [r.stamp for r in replies if r.choices][-1]
    assert stamp is not None
    return stamp


async def _tap(chat: Chat, button: str, stamp: str) -> list[Reply]:
    return await chat.send(Choice(chat.origin(), button, stamp))


async def _english(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("English")


async def test_a_button_of_an_earlier_question_does_nothing_and_the_question_comes_again() -> None:
    store = MemoryStore()
    chat = _chat(store)
    await _english(chat)
    applicant = _stamp(chat.last)
    await _tap(chat, "ind", applicant)
    assert "Which service do you need?" in chat.said
    # «منشأة» under the first question, tapped now: not read as an answer to this one
    await _tap(chat, "est", applicant)
    assert chat.last[0].text.startswith(f"{OLD}. Here is where we are now:")
    assert "Which service do you need?" in chat.said
    assert chat.last[0].spent == (ALL_BUTTONS,)  # the old message's buttons go
    state = await store.load("test", "u1")
    assert (state.step, state.answers.get("applicant")) == ("group", "individual")


async def test_back_from_an_earlier_message_does_not_go_back_from_here() -> None:
    store = MemoryStore()
    chat = _chat(store)
    await _to_identity(chat)
    service_question = [r for r in chat.last if r.choices]
    await chat.text(RESIDENT)
    assert "رقم جوالك" in chat.said
    # «رجوع» under the identity question, tapped at the phone step
    await _tap(chat, "back", _stamp(service_question))
    assert "رقم جوالك" in chat.said and "من رسالة سابقة" in chat.said
    state = await store.load("test", "u1")
    assert state.step == "phone" and state.answers["identity"] == RESIDENT


async def test_the_current_question_s_buttons_work_and_keep_working_when_it_is_asked_again() -> (
    None
):
    chat = _chat()
    await _english(chat)
    await chat.tap("ind")
    groups = _stamp(chat.last)
    await chat.text("ok")  # not an answer: the same question again, the same stamp
    assert _stamp(chat.last) == groups
    await _tap(chat, "g:residency", groups)
    assert OLD not in chat.said and "Choose the service" in chat.said


async def test_buttons_that_work_anywhere_work_from_any_message() -> None:
    chat = _chat()
    await _english(chat)
    old = _stamp(chat.last)
    await chat.tap("ind")
    await _tap(chat, "help", old)
    assert OLD not in chat.said and "lang:ar" in chat.choice_ids
    await _tap(chat, "lang:ar", old)
    assert "ما الخدمة المطلوبة" in chat.said


async def test_after_a_cancel_an_old_button_does_not_start_a_request_unasked() -> None:
    store = MemoryStore()
    chat = _chat(store)
    await _english(chat)
    await chat.tap("ind")
    groups = _stamp(chat.last)
    await chat.tap("cancel")
    assert "Cancelled" in chat.said
    await _tap(chat, "g:residency", groups)
    assert chat.last[0].text.startswith(f"{OLD}, so it did nothing.")
    assert chat.choice_ids == ["new"]  # the buttons of where they are, as they were
    assert (await store.load("test", "u1")).step == "done"


async def test_a_conversation_gone_with_its_ttl_meets_an_old_button_with_the_first_question() -> (
    None
):
    store = MemoryStore()
    chat = _chat(store)
    await _english(chat)
    await chat.tap("ind")
    groups = _stamp(chat.last)
    store.expire("test", "u1")
    await _tap(chat, "g:residency", groups)
    assert chat.last[0].text.startswith(OLD)
    assert "ind" in chat.choice_ids  # the first question


async def test_the_discard_question_survives_a_stale_tap() -> None:
    chat = _chat()
    await _to_identity(chat)
    service_question = _stamp(chat.last)
    await chat.text(RESIDENT)
    await chat.text("إلغاء")
    assert chat.choice_ids[:2] == ["discard", "keep"]
    await _tap(chat, "q:inside", service_question)
    assert "من رسالة سابقة" in chat.said and chat.choice_ids[:2] == ["discard", "keep"]
    await chat.tap("keep")
    assert "رقم جوالك" in chat.said


async def test_a_tap_without_a_stamp_is_read_as_before() -> None:
    # the terminal and WhatsApp send no stamp: nothing changes for them
    chat = _chat()
    await _english(chat)
    await chat.tap("ind")
    await chat.tap("est")
    assert OLD not in chat.said
    assert "doesn't belong to this step" in chat.said


def test_a_stamp_travels_in_the_button_data_and_comes_back() -> None:
    assert split_stamp(with_stamp("s:iqama_renew", "3fa9c2")) == ("s:iqama_renew", "3fa9c2")
    assert split_stamp("s:iqama_renew") == ("s:iqama_renew", None)
    assert split_stamp("rate:1234567897:5") == ("rate:1234567897:5", None)
    assert with_stamp("ind", None) == "ind"


async def test_the_question_asked_again_with_help_s_extra_buttons_is_the_same_question() -> None:
    chat = _chat()
    await _english(chat)
    await chat.tap("ind")
    groups = _stamp(chat.last)
    await chat.text("help")  # the question again, with start over, status, Arabic...
    assert "lang:ar" in chat.choice_ids and _stamp(chat.last) == groups
    await _tap(chat, "g:residency", groups)
    assert OLD not in chat.said and "Choose the service" in chat.said
