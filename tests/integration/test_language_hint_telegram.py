"""The language a Telegram user's app is set to greets them (found by the fresh-clone
tester: a user whose language_code was "en" got the Arabic welcome on /start), through the
real stack: aiogram, the resident channel, the engine on real Redis and SQLite, the Bot API
stand-in. Arabic stays the default; the hint never overrides what the person writes or
chooses."""

from __future__ import annotations

import pytest

from standins.telegram_updates import TgUser
from tests.integration.telegram_rig import Rig, rig

__all__ = ["rig"]  # the fixture

ARABIC_WELCOME = "أهلًا بك في «تواصل»"
ENGLISH_WELCOME = "Welcome to Tawasul"
WAY_TO_ARABIC = "للمتابعة بالعربية يُرجى كتابة «عربي»"


@pytest.mark.parametrize("code", ["en", "en-US"])
async def test_an_english_telegram_is_greeted_in_english_and_can_switch(
    rig: Rig, code: str
) -> None:
    user = TgUser(5_300_000_201, "John", language_code=code)
    said = await rig.says(user, "/start")
    assert ENGLISH_WELCOME in said and ARABIC_WELCOME not in said
    assert WAY_TO_ARABIC in said  # the usual way to the other language, written in it
    assert "Are you filing as an individual" in said  # the first question, in English too
    said = await rig.says(user, "عربي")
    assert "هل يُقدَّم الطلب بصفة فرد" in said
    # the choice is the account's: a new /start keeps Arabic, the app's English is not
    # read over it
    said = await rig.says(user, "/start")
    assert ARABIC_WELCOME in said and ENGLISH_WELCOME not in said


@pytest.mark.parametrize("code", ["ar", "ur", None])
async def test_any_other_telegram_language_is_greeted_in_arabic(rig: Rig, code: str | None) -> None:
    user = TgUser(5_300_000_202, "Ali", language_code=code)
    said = await rig.says(user, "/start")
    assert ARABIC_WELCOME in said and ENGLISH_WELCOME not in said


async def test_arabic_first_words_win_over_an_english_telegram(rig: Rig) -> None:
    user = TgUser(5_300_000_203, "Sara", language_code="en")
    said = await rig.says(user, "السلام عليكم، أبي أجدد الجواز")
    assert "وعليكم السلام" in said and ENGLISH_WELCOME not in said
    said = await rig.says(user, "/start")  # the language is now theirs, not the app's
    assert ARABIC_WELCOME in said


async def test_the_english_greeting_is_kept_through_the_request(rig: Rig) -> None:
    user = TgUser(5_300_000_204, "Raj", language_code="en")
    await rig.says(user, "/start")
    said = await rig.feed(user, rig.updates.callback(user, "ind"))
    assert "Which service do you need?" in said
    said = await rig.says(user, "/start")
    assert ENGLISH_WELCOME in said


async def test_after_arabic_one_message_in_english_keeps_arabic_with_the_way(rig: Rig) -> None:
    # found by the fresh-clone tester: one English sentence in an Arabic chat switched the
    # whole chat to English
    user = TgUser(5_300_000_205, "Omar", language_code="ar")
    await rig.says(user, "/start")
    said = await rig.says(user, "السلام عليكم")
    assert "وعليكم السلام" in said  # Arabic, set by their words
    said = await rig.says(user, "hello I want to renew")
    assert "أيّ هذه الخدمات هي المطلوبة؟" in said  # answered in Arabic
    assert "This chat stays in Arabic. For English, type «English»." in said
    # a mixed message keeps the language, without the line
    said = await rig.says(user, "ابي renew جواز السفر")
    assert "Which" not in said and "This chat stays" not in said
    said = await rig.says(user, "English")  # the switch, asked for, is made at once
    assert "I'll continue in English." in said
