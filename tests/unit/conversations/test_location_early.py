"""Where the iqama holder is, said in the first words, answers iqama renewal's «أين صاحب
الإقامة الآن؟» (found by the fresh-clone tester: «ابي اجدد اقامتي وانا في الرياض» was
still asked it). The words are data (conversations/data/keywords.json, ``early_answers``
under ``location:inside`` / ``location:outside``): a place said of where the person is,
never a city named alone («فرع الرياض»)."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from conversations.keywords_early import early_answers
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_intake import DESCRIPTION, PHONE, RESIDENT

WHERE = "أين صاحب الإقامة الآن؟"
WHERE_SELF = "أين أنت الآن؟"  # asked so of one's own request (helper 21, §8)


def _chat() -> tuple[Chat, MemoryGateway]:
    gateway = MemoryGateway()
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle), gateway


@pytest.mark.parametrize(
    ("first", "label", "option"),
    [
        ("ابي اجدد اقامتي وانا في الرياض", "داخل المملكة", "inside"),
        ("السلام عليكم اقامتي انتهت وانا بجدة", "داخل المملكة", "inside"),
        ("ابي اجدد اقامتي وانا برا المملكة", "خارج المملكة", "outside"),
        ("اقامتي انتهت وانا في مصر ابي اجددها", "خارج المملكة", "outside"),
    ],
)
async def test_a_place_in_the_first_words_answers_where_and_is_filed(
    first: str, label: str, option: str
) -> None:
    chat, gateway = _chat()
    await chat.text(first)
    await chat.tap("s:iqama_renew")
    assert f"سجّلتُ إجابة «{WHERE_SELF}»: «{label}»" in chat.said
    assert "q:inside" not in chat.choice_ids  # not asked
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    await chat.text(DESCRIPTION)
    await chat.media()
    await chat.tap("done")
    assert f"{WHERE_SELF} {label}" in chat.said  # the summary shows it
    await chat.tap("confirm")
    assert gateway.submissions[0].eligibility["location"] == option


async def test_english_words_and_back_to_change_it() -> None:
    chat, _gateway = _chat()
    await chat.text("I need to renew my iqama, I'm in Jeddah")
    await chat.tap("s:iqama_renew")
    assert "«Where are you now?»: «Inside the kingdom»" in chat.said
    await chat.text("back")
    assert "Where are you now?" in chat.said and "q:outside" in chat.choice_ids


@pytest.mark.parametrize(
    "words",
    [
        "ابي اجدد اقامتي",
        "ابي اجدد اقامتي من فرع الرياض",  # a city, not where the person is
        "انا في الرياض واقامة زوجتي وهي برا المملكة",  # both: asked
        # said of someone else (helper 235): not where the holder is
        "ابي اجدد اقامتي والكفيل مسافر برا المملكة",
        "ابي اجدد اقامتي وولدي برا المملكة",
        "renew my iqama, my sponsor is outside the kingdom",
    ],
)
def test_no_place_or_two_places_answer_nothing(words: str) -> None:
    assert "location" not in early_answers(words)


@pytest.mark.parametrize(
    ("typed", "option"),
    [
        ("دخل المملكه", "inside"),
        ("داخل الممكله", "inside"),
        ("دخلت السعودية", "inside"),
        ("خرج المملكه", "outside"),
        ("خارح المملكة", "outside"),
    ],
)
async def test_a_typo_of_inside_or_outside_answers_the_place(typed: str, option: str) -> None:
    """Session 15 (fresh users): «دخل المملكه» at «أين صاحب الإقامة الآن؟» was asked
    «أيّها المقصود: «داخل المملكة» أو «خارج المملكة»؟» (only «المملكة» was read)."""
    store = MemoryStore()
    chat = Chat(Engine(store, INTAKE, load_catalogue(), MemoryGateway()).handle)
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    assert WHERE_SELF in chat.said
    await chat.text(typed)
    assert "أيّها المقصود" not in chat.said and "رقم هويتك" in chat.said, chat.said
    state = await store.load("test", "u1")
    assert state.answers["eligibility"]["location"] == option


NOTE = "من شروط التجديد المعتادة تواجد صاحب الإقامة داخل المملكة"


@pytest.mark.parametrize(("tapped", "noted"), [("q:outside", True), ("q:inside", False)])
async def test_renewing_from_outside_is_told_the_usual_condition(tapped: str, noted: bool) -> None:
    # seed 000 takes the renewal inside or outside; seed 004 lists «تواجد العامل داخل
    # أراضي المملكة» among its conditions: the person is told, and the request goes on
    chat, gateway = _chat()
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    said = await chat.tap(tapped)
    assert (NOTE in said[0].text) is noted, said
    assert "رقم هويتك" in said[-1].text
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    await chat.text(DESCRIPTION)
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].eligibility["location"] == tapped[2:]


@pytest.mark.parametrize(
    "first", ["ابي اجدد اقامتي وانا برا المملكة", "ابي اجدد اقامة زوجتي وهي برا"]
)
async def test_outside_said_in_the_first_words_is_told_the_condition_too(first: str) -> None:
    chat, _gateway = _chat()
    await chat.text(first)
    await chat.tap("s:iqama_renew")
    assert "«خارج المملكة»" in chat.said and NOTE in chat.said, chat.said
    assert "q:outside" not in chat.choice_ids


async def test_a_national_id_at_an_iqamas_question_is_said_not_taken_at_once() -> None:
    # helper 25: «احتفظتُ برقم الهوية 1******439» at «أين أنت الآن؟», then refused a step on
    chat, _gateway = _chat()
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    said = await chat.text("1098765439")
    assert "هو رقم هوية وطنية، وهذه الخدمة لا تقبله، فلم يُحفظ" in said[0].text, said
    assert "احتفظتُ" not in chat.said and "q:inside" in chat.choice_ids
    await chat.tap("q:inside")
    assert "الرقم الذي أرسلته سابقًا" not in chat.said and "رقم إقامة" in chat.said, chat.said


async def test_a_place_said_of_the_sponsor_is_asked_of_the_writer() -> None:
    # helper 235: «الكفيل مسافر برا المملكة» filled «أين أنت الآن؟» as «خارج المملكة»
    chat, _gateway = _chat()
    await chat.text("ابي اجدد اقامتي والكفيل مسافر برا المملكة")
    await chat.tap("s:iqama_renew")
    assert chat.said.endswith(WHERE_SELF) and "q:outside" in chat.choice_ids, chat.said
    assert "خارج المملكة»" not in chat.said, chat.said


def test_a_place_said_with_a_pronoun_or_of_oneself_still_answers() -> None:
    assert early_answers("ابي اجدد اقامة زوجتي وهي برا")["location"] == "outside"
    # the wife is the holder of a request for her; the sponsor is never the holder
    assert early_answers("ابي اجدد اقامة زوجتي خارج المملكة")["location"] == "outside"
    assert "location" not in early_answers("ابي اجدد اقامة زوجتي والكفيل برا المملكة")
    said = early_answers("اجدد اقامتي وانا خارج المملكة والكفيل داخل المملكة")
    assert said["location"] == "outside"
