"""Staff buttons' callback data and the HTML the staff group reads (pure functions)."""

from __future__ import annotations

import pytest

from bot.staff.callbacks import (
    MAX_VERSION,
    StaffAction,
    action_data,
    block_mark,
    parse_callback,
    reason_callback,
    reject_reasons,
)
from bot.staff.views import HTML, PLAIN, mention, script_mismatch
from conversations.i18n import Texts
from domain.request_number import new_request_number

NUMBER = "4512345671"


def test_number_is_a_valid_request_number() -> None:
    assert parse_callback(f"st:take:{NUMBER}:3") == StaffAction("take", NUMBER, 3)


@pytest.mark.parametrize("action", ["take", "ask", "ok", "no", "re", "bl"])
def test_card_actions_carry_the_version_they_were_offered_for(action: str) -> None:
    number = new_request_number()
    assert parse_callback(action_data(action, number, 12)) == StaffAction(action, number, 12)


def test_buttons_from_before_versions_parse_without_one() -> None:
    # answered as out of date by the router, never acted on as they are
    assert parse_callback(f"st:ok:{NUMBER}") == StaffAction("ok", NUMBER, None)
    assert parse_callback(f"st:nr:{NUMBER}:2") == StaffAction("nr", NUMBER, None, "2")


def test_lift_the_block_names_the_block_the_card_showed() -> None:
    mark = block_mark("officer:7001:نورة", "رسائل مسيئة")
    assert parse_callback(action_data("ub", NUMBER, 3, mark)) == StaffAction("ub", NUMBER, 3, mark)
    assert block_mark("officer:7001:نورة", "رسائل تهديد") != mark  # laid again, another why
    assert block_mark("officer:7002:سارة", "رسائل مسيئة") != mark  # by someone else
    # a card from before marks parses without one: answered as out of date, never lifted
    assert parse_callback(f"st:ub:{NUMBER}:3") == StaffAction("ub", NUMBER, 3, None)
    assert parse_callback(f"st:ub:{NUMBER}:3:XYZ") is None
    assert len(action_data("ub", NUMBER, MAX_VERSION, mark).encode()) <= 64


@pytest.mark.parametrize("choice", ["0", "4", "other", "cancel"])
def test_reason_choices(choice: str) -> None:
    assert parse_callback(reason_callback(NUMBER, 7, choice)) == StaffAction(
        "nr", NUMBER, 7, choice
    )


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "st",
        "st:take",
        f"xx:take:{NUMBER}:1",
        f"st:TAKE:{NUMBER}:1",
        f"st:nr:{NUMBER}",  # a reason without the choice
        f"st:ok:{NUMBER}:0:0",  # only nr has a fifth part
        f"st:ok:{NUMBER}:x",  # the version is digits
        f"st:ok:{NUMBER}:123456",  # and short
        f"st:nr:{NUMBER}:1:١",  # Arabic-Indic index
        f"st:nr:{NUMBER}:1:-1",
        f"st:nr:{NUMBER}:1:0:0",
        "st:take:4512345674:1",  # checksum
        "st:take:451234567:1",  # length
        "st:take:٤٥١٢٣٤٥٦٧١:1",  # not the canonical ASCII form a card writes
        "st:take: 4512345671:1",
        "st:take:4512-345671:1",
    ],
)
def test_anything_else_is_refused(data: str | None) -> None:
    assert parse_callback(data) is None


def test_buttons_fit_telegram() -> None:
    for i, _reason in enumerate(reject_reasons()):
        assert len(reason_callback(NUMBER, MAX_VERSION, i).encode()) <= 64
    assert len(reason_callback(NUMBER, MAX_VERSION, "cancel").encode()) <= 64
    with pytest.raises(ValueError):
        action_data("take", "٦" * 40, 1)  # Arabic-Indic digits are two bytes each


def test_reject_reasons_have_both_languages() -> None:
    reasons = reject_reasons()
    assert len({r.id for r in reasons}) == len(reasons) >= 5
    for reason in reasons:
        assert reason.text("ar") and reason.text("en") and reason.text("ar") != reason.text("en")
        assert reason.text("fr") == reason.text("ar")  # unknown language: Arabic


def test_html_escapes_text_and_attributes() -> None:
    assert HTML.t('<a href="x">&') == '&lt;a href="x"&gt;&amp;'
    assert HTML.b("<b>") == "<b>&lt;b&gt;</b>"
    # a link's text (an officer's name) is also isolated, issue 15.9
    assert HTML.link('"><script>', 'https://t.me/c/1/2?"') == (
        '<a href="https://t.me/c/1/2?&quot;">\u2068"&gt;&lt;script&gt;\u2069</a>'
    )
    assert PLAIN.b("<b>") == "<b>" and PLAIN.t("&") == "&"


def test_mention_only_for_telegram_officers() -> None:
    texts = Texts("ar")
    assert mention("officer:7001", "<نورة>", HTML, texts) == (
        '<a href="tg://user?id=7001">\u2068&lt;نورة&gt;\u2069</a>'
    )
    # names are isolated (issue 15.9)
    assert mention("officer:0:noura", "noura", HTML, texts) == "\u2068noura\u2069"  # terminal
    assert mention("officer:٧٠٠١", "x", HTML, texts) == "\u2068x\u2069"
    assert mention(None, None, HTML, texts) == "لم يتولّه أحد بعد"


def test_a_description_cannot_reverse_the_terminal_line() -> None:
    shown = PLAIN.user("طلبي \u202e+966500000001")
    assert "\u202e" not in shown and "⟦U+202E⟧" in shown
    assert "\u202e" not in HTML.user("abc\u202edef")


def test_script_mismatch_flags_a_question_in_the_other_language() -> None:
    assert script_mismatch("ما تاريخ انتهاء الإقامة؟", "en")
    assert not script_mismatch("When does the iqama expire?", "en")
    assert script_mismatch("When does the iqama expire?", "ar")
    assert not script_mismatch("ما تاريخ انتهاء iqama؟", "ar")
