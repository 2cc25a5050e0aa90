"""An emoji sent as a whole answer says yes or no (choices.json ``emoji``): session 25's
probe, where «👍» at «هل أغيّر خدمة طلبك؟» got «لم أفهم» as if nothing had been said. The
summary is not sent on an emoji: sending takes a word or the button
(test_pending_question_again)."""

from __future__ import annotations

import pytest

from conversations.understanding import understand_choice

from .fakes import Chat

CHANGE = [("chg:yes", "تغيير الخدمة"), ("chg:no", "الإبقاء على الخدمة")]


@pytest.mark.parametrize(
    ("sent", "meant"),
    [("👍", "chg:yes"), ("👍🏽", "chg:yes"), ("✔️", "chg:yes"), ("👌", "chg:yes"),
     ("👎", "chg:no"), ("❌", "chg:no"), ("تمام 👍", "chg:yes")],
)  # fmt: skip
def test_an_emoji_answers_yes_or_no(sent: str, meant: str) -> None:
    understood = understand_choice(sent, CHANGE)
    assert understood is not None and understood.chosen == meant


@pytest.mark.parametrize("sent", ["🌹", "😂", "🙏"])
def test_other_emoji_say_nothing(sent: str) -> None:
    assert understand_choice(sent, CHANGE) is None


async def test_a_thumbs_down_keeps_the_service_in_the_dialogue(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.text("ابي تأشيرة خروج وعودة")
    assert "هل أغيّر خدمة طلبك" in chat.said, chat.said
    await chat.text("👎")
    assert chat.last[0].text == "يبقى طلبك لخدمة «تجديد هوية مقيم».", chat.said
    await chat.text("ابي تأشيرة خروج وعودة")
    await chat.text("👍")
    assert "صار طلبك لخدمة «تأشيرة خروج وعودة»" in chat.said, chat.said
