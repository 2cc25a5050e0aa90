"""The say buttons and words (issue 13): button data parsed strictly, the satisfaction
question within WhatsApp's and Telegram's limits in both languages, and a note or a
reconsideration asked for in the person's own words (and only then)."""

from __future__ import annotations

import pytest

from bot.channels.telegram_render import inline_keyboard
from bot.channels.whatsapp_render import (
    MAX_BUTTON_TITLE,
    MAX_ROW_TITLE,
    OutList,
    render_reply,
    validate,
)
from conversations.buttons import check_button
from conversations.events import Choice, Origin
from conversations.i18n import Texts
from conversations.say_parts import say_wish
from conversations.their_say import THEIR_SAY_DATA, parse_say, reconsider_option, survey_reply
from conversations.wishes import negated

NUMBER = "4512345671"


def test_say_buttons_parse_to_their_request_and_rating() -> None:
    assert parse_say(f"rate:{NUMBER}:4") == ("rate", NUMBER, 4)
    assert parse_say(f"note:{NUMBER}") == ("note", NUMBER, None)
    assert parse_say(f"recon:{NUMBER}") == ("recon", NUMBER, None)


@pytest.mark.parametrize(
    "data",
    [f"rate:{NUMBER}:9", f"rate:{NUMBER}", f"rate:{NUMBER}:4:1", "note:4512345672",
     "recon:12", "note:", f"rated:{NUMBER}:4", "note:٤٥١٢٣٤٥٦٧١x"],
)  # fmt: skip
def test_forged_or_garbled_say_buttons_are_refused(data: str) -> None:
    assert parse_say(data) is None
    refused = check_button(Choice(Origin("telegram", "1", "e"), data), [], Texts("ar"))
    assert isinstance(refused, str)  # a polite refusal, not a guess


def test_a_say_button_works_at_any_step() -> None:
    button = Choice(Origin("telegram", "1", "e"), f"rate:{NUMBER}:5")
    assert check_button(button, ["confirm", "edit"], Texts("ar")) == button


@pytest.mark.parametrize("locale", ["ar", "en"])
def test_the_survey_fits_whatsapp_and_telegram(locale: str) -> None:
    reply = survey_reply(locale, NUMBER)
    assert [c.id for c in reply.choices] == [f"rate:{NUMBER}:{r}" for r in (1, 2, 3, 4, 5)]
    texts = Texts(locale)
    messages = render_reply(reply, texts)
    listed = [m for m in messages if isinstance(m, OutList)]
    assert listed and len(listed[0].rows) == 5
    for message in messages:
        validate(message)
    assert all(len(row.title) <= MAX_ROW_TITLE for row in listed[0].rows)
    keyboard = inline_keyboard(reply.choices)
    assert len([b for row in keyboard.inline_keyboard for b in row]) == 5
    assert len(reconsider_option(locale, NUMBER).label) <= MAX_BUTTON_TITLE


def test_the_survey_is_in_the_persons_language() -> None:
    assert "ما مدى رضاك" in survey_reply("ar", NUMBER).text
    assert "How satisfied" in survey_reply("en", NUMBER).text


@pytest.mark.parametrize(
    ("text", "wish"),
    [
        ("أضف ملاحظة لطلبي", "note"),
        ("ابي اضيف ملاحظة على طلبي", "note"),
        ("أبغى أرفق مستند", "note"),
        ("ابي اضيف مستند", "note"),
        ("add a note to my request please", "note"),
        ("أطلب إعادة النظر في طلبي", "recon"),
        ("ابي اتظلم", "recon"),
        ("please reconsider my request", "recon"),
        ("مرحبا", None),
        ("تجديد الاقامة", None),
        # a reconsideration said not to be wanted is no wish for one (session 12)
        ("ما ابي اعادة النظر", None),
        ("مو تظلم، بس سؤال", None),
        ("no need to appeal", None),
        ("ما ابي اعادة النظر، ابي اضيف ملاحظة", "note"),
        # a long description that happens to mention a note is not a wish
        (
            "عندي مشكلة في الجواز واريد ان اضيف ملاحظة بخصوص الاسم المكتوب في الصفحة الاولى منه",
            None,
        ),
    ],
)
def test_own_words_ask_for_a_note_or_a_reconsideration(text: str, wish: str | None) -> None:
    assert say_wish(text) == wish


@pytest.mark.parametrize(
    ("text", "declined"),
    [
        ("ما ابي اعادة النظر، شكرا على سرعة الرد", True),
        ("ما عندي تظلم بس الرد كان واضح", True),
        ("no need to appeal, thanks", True),
        ("I don't want to appeal", True),
        ("ابي اتظلم، انا ما اقدر اروح الفرع لاني مريض", False),
        ("ليش ما قبلتوا طلبي؟ ابي اتظلم", False),
        ("please reconsider my request", False),
        ("الموظف ما رد علي", False),
    ],
)
def test_a_reconsideration_after_a_negation_is_declined(text: str, declined: bool) -> None:
    """Review 12 §1: «ما ابي اعادة النظر» at the comment prompt sent the reconsideration."""
    assert negated(text, THEIR_SAY_DATA, "reconsider", "reconsider_negations", within=4) is declined
