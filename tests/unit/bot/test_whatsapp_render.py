"""Replies → WhatsApp messages: buttons or numbered lists, titles cut at a word within
WhatsApp's limits, long lists paged with «More», long texts split."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.channels.whatsapp_render import (
    MAX_BODY,
    MAX_ROW_TITLE,
    MAX_TEXT,
    MORE_PREFIX,
    Button,
    OutButtons,
    OutList,
    OutMedia,
    OutText,
    RenderError,
    Row,
    list_page,
    render_reply,
    shorten,
    validate,
)
from conversations.events import Option, Reply
from conversations.i18n import Texts

AR = Texts("ar")


def test_shorten_cuts_at_a_word_and_marks_it() -> None:
    label = "مشكلة تقنية في خدمة إلكترونية"
    short, cut = shorten(label, 20)
    assert cut and short.endswith("…") and len(short) <= 20
    head = short[:-1]
    assert label.startswith(head) and label[len(head)] == " "  # a whole word ends there


def test_shorten_leaves_a_fitting_label_alone() -> None:
    assert shorten("تجديد هوية مقيم", 24) == ("تجديد هوية مقيم", False)


def test_shorten_cuts_inside_a_single_overlong_word_only_as_a_last_resort() -> None:
    short, cut = shorten("ا" * 30, 10)
    assert cut and short == "ا" * 9 + "…"


def test_up_to_three_short_choices_are_buttons() -> None:
    reply = Reply(
        "هل أنت فرد أم منشأة؟",
        (Option("ind", "فرد"), Option("est", "منشأة"), Option("cancel", "إلغاء")),
    )
    [message] = render_reply(reply, AR)
    assert message == OutButtons(
        reply.text, (Button("ind", "فرد"), Button("est", "منشأة"), Button("cancel", "إلغاء"))
    )


def test_a_label_too_long_for_a_button_makes_a_list_rather_than_a_cut_button() -> None:
    reply = Reply(
        "اختر:", (Option("tech", "مشكلة تقنية في خدمة إلكترونية"), Option("other", "أخرى"))
    )
    [message] = render_reply(reply, AR)
    assert isinstance(message, OutList)
    first, second = message.rows
    assert first.title.startswith("1. ") and first.title.endswith("…")
    assert len(first.title) <= MAX_ROW_TITLE
    assert first.description == "مشكلة تقنية في خدمة إلكترونية"  # the whole label
    assert second == Row("other", "2. أخرى", "")
    assert (message.button, message.section) == ("اختيار", "الخيارات")


def test_rows_are_numbered_in_the_order_of_the_choices() -> None:
    options = tuple(Option(f"o{i}", f"خيار {i}", "وصف") for i in range(1, 7))
    [message] = render_reply(Reply("اختر:", options), AR)
    assert isinstance(message, OutList)
    assert [r.title for r in message.rows] == [f"{i}. خيار {i}" for i in range(1, 7)]
    assert [r.id for r in message.rows] == [o.id for o in options]
    assert all(r.description == "وصف" for r in message.rows)


def test_more_than_ten_choices_are_paged_with_more() -> None:
    options = [Option(f"o{i}", f"خيار {i}") for i in range(1, 24)]
    [page1] = render_reply(Reply("اختر:", tuple(options)), AR, token="t0k3n")
    assert isinstance(page1, OutList) and len(page1.rows) == 10
    assert page1.rows[-1] == Row(f"{MORE_PREFIX}t0k3n:9", "المزيد")
    page2 = list_page("اختر:", options, 9, AR, "t0k3n")
    assert page2.rows[0].title == "10. خيار 10" and page2.rows[-1].id == f"{MORE_PREFIX}t0k3n:18"
    page3 = list_page("اختر:", options, 18, AR, "t0k3n")
    assert [r.id for r in page3.rows] == [f"o{i}" for i in range(19, 24)]  # the rest, no More


def test_ten_choices_fit_one_list_without_more() -> None:
    options = tuple(Option(f"o{i}", f"خيار {i}") for i in range(1, 11))
    [message] = render_reply(Reply("اختر:", options), AR, token="x")
    assert isinstance(message, OutList) and len(message.rows) == 10
    assert not any(r.id.startswith(MORE_PREFIX) for r in message.rows)


def test_more_than_ten_choices_need_a_token() -> None:
    options = tuple(Option(f"o{i}", f"خيار {i}") for i in range(1, 12))
    with pytest.raises(RenderError):
        render_reply(Reply("اختر:", options), AR)


def test_a_long_question_keeps_its_end_as_the_interactive_body() -> None:
    text = ("فقرة طويلة من الشرح. " * 80) + "\n\nهل تؤكد؟"
    *head, last = render_reply(Reply(text, (Option("y", "نعم"), Option("n", "لا"))), AR)
    assert all(isinstance(m, OutText) and len(m.body) <= MAX_TEXT for m in head)
    assert isinstance(last, OutButtons) and len(last.body) <= MAX_BODY
    assert last.body.endswith("هل تؤكد؟")


def test_a_long_text_is_split_into_messages() -> None:
    text = "\n\n".join(["سطر " * 300] * 5)
    parts = render_reply(Reply(text), AR)
    assert len(parts) > 1 and all(isinstance(p, OutText) and len(p.body) <= MAX_TEXT for p in parts)


def test_the_share_contact_choice_is_never_a_whatsapp_button() -> None:
    reply = Reply(
        "شارك رقمك",
        (Option("share_contact", "مشاركة رقمي"), Option("cancel", "إلغاء")),
        ask_contact=True,
    )
    [message] = render_reply(reply, AR)
    assert message == OutButtons("شارك رقمك", (Button("cancel", "إلغاء"),))


def test_media_first_then_text(tmp_path: Path) -> None:
    photo, pdf = tmp_path / "receipt.png", tmp_path / "receipt.pdf"
    photo.write_bytes(b"png")
    pdf.write_bytes(b"pdf")
    out = render_reply(Reply("إيصالك", media=(str(photo), str(pdf))), AR)
    assert out == [
        OutMedia("image", str(photo), photo),
        OutMedia("document", str(pdf), pdf),
        OutText("إيصالك"),
    ]


@pytest.mark.parametrize(
    "reply",
    [
        Reply("", (Option("a", "أ"),)),
        Reply("اختر", (Option("a", "أ"), Option("b", "ب"), Option("c", "ج"), Option("", "د"))),
        Reply("اختر", (Option("", "أ"),)),
        Reply("اختر", (Option("a", "  "),)),
        Reply("اختر", (Option(MORE_PREFIX + "x", "أ"),)),
        Reply(""),
    ],
)
def test_replies_whatsapp_would_refuse_are_caught_before_sending(reply: Reply) -> None:
    with pytest.raises(RenderError):
        render_reply(reply, AR)


@pytest.mark.parametrize(
    "message",
    [
        OutText("x" * (MAX_TEXT + 1)),
        OutButtons("؟", (Button("a", "x" * 21),)),
        OutButtons("؟", tuple(Button(str(i), str(i)) for i in range(4))),
        OutButtons("x" * (MAX_BODY + 1), (Button("a", "أ"),)),
        OutList("؟", "الخيارات", "", tuple(Row(str(i), str(i)) for i in range(11))),
        OutList("؟", "الخيارات", "", (Row("a", "x" * 25),)),
        OutList("؟", "الخيارات", "", (Row("a", "أ", "x" * 73),)),
        OutList("؟", "x" * 21, "", (Row("a", "أ"),)),
    ],
)
def test_validate_enforces_whatsapp_limits(message: OutText | OutButtons | OutList) -> None:
    with pytest.raises(RenderError):
        validate(message)
