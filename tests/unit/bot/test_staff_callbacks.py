"""Staff buttons' callback data and the HTML the staff group reads (pure functions)."""

from __future__ import annotations

import pytest

from bot.staff.router import StaffAction, parse_callback, reason_callback, reject_reasons
from bot.staff.views import HTML, PLAIN, mention
from conversations.i18n import Texts
from domain.request_number import new_request_number

NUMBER = "4512345671"


def test_number_is_a_valid_request_number() -> None:
    assert parse_callback(f"st:take:{NUMBER}") == StaffAction("take", NUMBER)


@pytest.mark.parametrize("action", ["take", "ask", "ok", "no", "re"])
def test_card_actions(action: str) -> None:
    number = new_request_number()
    assert parse_callback(f"st:{action}:{number}") == StaffAction(action, number)


@pytest.mark.parametrize("choice", ["0", "4", "other", "cancel"])
def test_reason_choices(choice: str) -> None:
    assert parse_callback(reason_callback(NUMBER, choice)) == StaffAction("nr", NUMBER, choice)


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "st",
        "st:take",
        f"xx:take:{NUMBER}",
        f"st:TAKE:{NUMBER}",
        f"st:nr:{NUMBER}",  # a reason without the choice
        f"st:ok:{NUMBER}:0",  # only nr has a fourth part
        f"st:nr:{NUMBER}:١",  # Arabic-Indic index
        f"st:nr:{NUMBER}:-1",
        f"st:nr:{NUMBER}:0:0",
        "st:take:4512345674",  # checksum
        "st:take:451234567",  # length
        "st:take:٤٥١٢٣٤٥٦٧١",  # not the canonical ASCII form a card writes
        "st:take: 4512345671",
        "st:take:4512-345671",
    ],
)
def test_anything_else_is_refused(data: str | None) -> None:
    assert parse_callback(data) is None


def test_reason_buttons_fit_telegram() -> None:
    for i, _reason in enumerate(reject_reasons()):
        assert len(reason_callback(NUMBER, i).encode()) <= 64
    assert len(reason_callback(NUMBER, "cancel").encode()) <= 64


def test_reject_reasons_have_both_languages() -> None:
    reasons = reject_reasons()
    assert len({r.id for r in reasons}) == len(reasons) >= 5
    for reason in reasons:
        assert reason.text("ar") and reason.text("en") and reason.text("ar") != reason.text("en")
        assert reason.text("fr") == reason.text("ar")  # unknown language: Arabic


def test_html_escapes_text_and_attributes() -> None:
    assert HTML.t('<a href="x">&') == '&lt;a href="x"&gt;&amp;'
    assert HTML.b("<b>") == "<b>&lt;b&gt;</b>"
    assert HTML.link('"><script>', 'https://t.me/c/1/2?"') == (
        '<a href="https://t.me/c/1/2?&quot;">"&gt;&lt;script&gt;</a>'
    )
    assert PLAIN.b("<b>") == "<b>" and PLAIN.t("&") == "&"


def test_mention_only_for_telegram_officers() -> None:
    texts = Texts("ar")
    assert mention("officer:7001", "<نورة>", HTML, texts) == (
        '<a href="tg://user?id=7001">&lt;نورة&gt;</a>'
    )
    assert mention("officer:0:noura", "noura", HTML, texts) == "noura"  # the terminal
    assert mention("officer:٧٠٠١", "x", HTML, texts) == "x"
    assert mention(None, None, HTML, texts) == "لم يتولّه أحد بعد"
