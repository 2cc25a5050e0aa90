"""The first reply follows the language the person writes in (found by the fresh-clone
tester: «hello» and «I want to renew my passport» were answered in Arabic). Arabic stays
the default for anything unclear, Arabizi is Arabic, and the person can still switch."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from conversations.languages import OTHER_LANGUAGE_HINT, from_platform, written_in
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore


def _chat(store: MemoryStore | None = None) -> Chat:
    engine = Engine(store or MemoryStore(), INTAKE, load_catalogue(), MemoryGateway())
    return Chat(engine.handle)


async def test_hello_as_the_first_message_is_answered_in_english_with_the_way_back() -> None:
    store = MemoryStore()
    chat = _chat(store)
    await chat.text("hello")
    assert "Welcome to Tawasul" in chat.said and "Individual" in [
        c.label for c in chat.last[-1].choices
    ]
    assert OTHER_LANGUAGE_HINT["en"] in chat.said  # «للمتابعة بالعربية يُرجى كتابة «عربي»»
    assert store.locales[("test", "u1")] == "en"  # kept for the account
    await chat.tap("ind")
    assert "Which service do you need?" in chat.said


async def test_after_an_arabic_start_an_english_need_is_answered_in_english() -> None:
    # the terminal chat and Telegram's /start greet in Arabic before the person types
    chat = _chat()
    await chat.command("start")
    assert "أهلًا بك" in chat.said
    await chat.text("I want to renew my passport")
    assert "Is this the service you need?" in chat.said
    assert chat.choice_ids[0] == "s:passport_renew"
    assert OTHER_LANGUAGE_HINT["en"] in chat.said
    await chat.text("عربي")  # they can still switch
    assert "هل هذه هي الخدمة المطلوبة؟" in chat.said


@pytest.mark.parametrize("first", ["abi ajadid el iqama", "مرحبا", "ok", "2000000006"])
async def test_arabic_arabizi_and_unclear_first_messages_stay_arabic(first: str) -> None:
    chat = _chat()
    await chat.text(first)
    assert "Welcome" not in chat.said and "Individual" not in chat.said


async def test_an_arabic_speaker_is_not_switched_by_a_later_english_word() -> None:
    chat = _chat()
    await chat.text("السلام عليكم")
    await chat.text("hello")
    assert "Individual" not in [c.label for c in chat.last[-1].choices]
    await chat.text("English")  # asking for it still works
    assert "I'll continue in English." in chat.said


def test_written_in_tells_english_from_arabizi() -> None:
    assert written_in("Hello, I need help with my iqama") == "en"
    assert written_in("where is my request") == "en"
    assert written_in("3ayez ta2sheret khorog we 3awda") is None
    assert written_in("bdi jadded el jawaz") is None
    assert written_in("السلام عليكم hello") == "ar"
    assert written_in("Mohammed") is None


def test_the_apps_language_is_english_only_for_english_codes() -> None:
    assert [from_platform(c) for c in ("en", "en-US", "EN_gb", "ar", "ar-SA")] == [
        "en",
        "en",
        "en",
        "ar",
        "ar",
    ]
    assert [from_platform(c) for c in ("ur", "fr", "", None)] == [None, None, None, None]


async def test_an_english_app_is_greeted_in_english_unless_the_words_are_arabic() -> None:
    store = MemoryStore()
    engine = Engine(store, INTAKE, load_catalogue(), MemoryGateway())
    english = Chat(engine.handle, user="u-en")
    english.language = "en"
    await english.command("start")
    assert "Welcome to Tawasul" in english.said and OTHER_LANGUAGE_HINT["en"] in english.said
    await english.text("ابي اجدد جوازي")  # their words, at the first question, choose
    assert "هل هذه هي الخدمة المطلوبة؟" in english.said  # in Arabic, with the way to English
    assert OTHER_LANGUAGE_HINT["ar"] in english.said
    arabic = Chat(engine.handle, user="u-ar")
    arabic.language = "en"
    await arabic.text("السلام عليكم")
    assert "وعليكم السلام" in arabic.said and "Welcome" not in arabic.said


async def test_after_arabic_one_english_sentence_is_answered_in_arabic_with_the_way() -> None:
    # found by the fresh-clone tester: one English sentence in an Arabic chat switched the
    # whole chat to English (an earlier tester's «hello I want to renew» had made it so)
    store = MemoryStore()
    chat = _chat(store)
    await chat.text("السلام عليكم")  # Arabic, read from the first words
    await chat.text("hello I want to renew my passport")
    assert "هل هذه هي الخدمة المطلوبة؟" in chat.said  # still Arabic, the need understood
    assert chat.choice_ids[0] == "s:passport_renew"
    # one line, in the language they wrote in, says how to switch
    assert chat.said.startswith("This chat stays in Arabic. For English, type «English».")
    assert chat.last[-1].locale == "ar" and ("test", "u1") not in store.locales


async def test_english_sustained_over_three_messages_switches_and_arabic_resets_it() -> None:
    store = MemoryStore()
    chat = _chat(store)
    await chat.text("السلام عليكم")
    await chat.tap("ind")
    await chat.text("I need to renew my passport please")
    await chat.text("I want to renew my passport")
    assert "هل هذه هي الخدمة المطلوبة؟" in chat.said  # two in a row: still Arabic
    await chat.text("ابي اجدد الجواز لو سمحت")  # wholly Arabic: the count starts again
    await chat.text("I need to renew my passport please")
    await chat.text("I want to renew my passport")
    assert chat.last[-1].locale == "ar"
    await chat.text("please I need to renew my passport")  # the third in a row
    assert "Is this the service you need?" in chat.said
    assert OTHER_LANGUAGE_HINT["en"] in chat.said  # the way back, in Arabic
    assert store.locales[("test", "u1")] == "en"


async def test_a_long_arabic_text_keeps_an_english_telegram_user_in_english() -> None:
    # found by the fresh-clone tester: an English app's user was switched to Arabic by one
    # long Arabic text
    chat = _chat()
    chat.language = "en"
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد جواز السفر لأنه انتهى الشهر الماضي وأنا مسافر قريبا")
    assert "Is this the service you need?" in chat.said
    assert "تستمر هذه المحادثة بالإنجليزية. للمتابعة بالعربية يُرجى كتابة «عربي»." in chat.said
    assert chat.last[-1].locale == "en"


@pytest.mark.parametrize(
    "mixed", ["hello ابي اجدد الجواز", "ابي renew للجواز", "ok thanks", "passport renew"]
)
async def test_a_mixed_or_short_message_keeps_the_set_language(mixed: str) -> None:
    chat = _chat()
    await chat.text("عربي")  # chosen
    await chat.text(mixed)
    said = chat.said
    assert "Which" not in said and "Individual" not in [c.label for c in chat.last[-1].choices]
    assert OTHER_LANGUAGE_HINT["ar"] not in said


async def test_english_words_at_the_description_step_are_the_description_not_a_switch() -> None:
    chat = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.text("داخل المملكة")
    await chat.text("2000000006")
    await chat.contact("+966501234567")
    assert "يُرجى وصف طلبك" in chat.said
    await chat.text("Absher says: the service is not available for this iqama right now")
    assert "Which" not in chat.said and OTHER_LANGUAGE_HINT["ar"] not in chat.said
    assert "Please" not in chat.said


async def test_a_chosen_language_is_kept_and_the_switch_offered() -> None:
    store = MemoryStore()
    chat = _chat(store)
    await chat.text("عربي")  # chosen in so many words
    await chat.tap("ind")
    await chat.text("hello I want to renew my passport")
    assert "هل هذه هي الخدمة المطلوبة؟" in chat.said  # still Arabic, as they chose
    assert OTHER_LANGUAGE_HINT["ar"] in chat.said  # «For English, type «English».»
    assert (await store.load("test", "u1")).locale == "ar"
    await chat.text("English")
    assert "I'll continue in English." in chat.said


@pytest.mark.parametrize(
    ("first", "answered"),
    [
        ("individual", "Which service do you need?"),
        ("cancel", "Cancelled. Nothing was sent."),
        ("back", "This is the first step."),
        ("menu", "Are you filing as an individual"),
    ],
)
async def test_the_bots_english_words_alone_after_start_are_answered_in_english(
    first: str, answered: str
) -> None:
    """Helper 23's probe: one English word of the bot's own («individual», «cancel»,
    «back») as the first thing typed after /start got an Arabic reply."""
    chat = _chat()
    await chat.command("start")
    await chat.text(first)
    assert answered in chat.said, chat.said


async def test_an_arabic_speakers_cancel_stays_arabic() -> None:
    chat = _chat()
    await chat.command("start")
    await chat.text("ابي اجدد اقامتي")
    await chat.text("cancel")
    assert "هل يُحذف؟" in chat.said and "Cancel" not in chat.said, chat.said
