"""Neutral replies → aiogram method objects: keyboards, limits, splitting."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiogram.methods import SendDocument, SendMediaGroup, SendMessage, SendPhoto
from aiogram.types import (
    FSInputFile,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.channels.telegram_render import (
    DEFAULT_CONTACT_LABEL,
    MAX_TEXT_LENGTH,
    RenderError,
    inline_keyboard,
    render_replies,
    render_reply,
    split_text,
    utf16_len,
)
from conversations.events import Option, Reply

CHAT = 5_123_456_789


def texts(methods: list[object]) -> list[str]:
    return [m.text for m in methods if isinstance(m, SendMessage)]


def test_plain_text_without_parse_mode() -> None:
    [method] = render_reply(CHAT, Reply("<b>مرحبا</b> & أهلا"))
    assert isinstance(method, SendMessage)
    assert method.chat_id == CHAT
    assert method.text == "<b>مرحبا</b> & أهلا"
    # Explicitly None, not the Default("parse_mode") placeholder a bot default could fill.
    assert method.parse_mode is None
    assert method.reply_markup is None


def test_short_labels_two_per_row() -> None:
    options = [Option(f"o{i}", f"خيار {i}") for i in range(5)]
    markup = inline_keyboard(options)
    assert [[b.callback_data for b in row] for row in markup.inline_keyboard] == [
        ["o0", "o1"],
        ["o2", "o3"],
        ["o4"],
    ]
    assert markup.inline_keyboard[0][0].text == "خيار 0"


def test_a_long_label_puts_one_per_row() -> None:
    options = [Option("a", "نعم"), Option("b", "تجديد هوية مقيم خارج المملكة")]
    markup = inline_keyboard(options)
    assert [[b.callback_data for b in row] for row in markup.inline_keyboard] == [["a"], ["b"]]


def test_callback_data_limit_is_in_bytes() -> None:
    inline_keyboard([Option("x" * 64, "ok")])
    with pytest.raises(RenderError, match="65 bytes"):
        inline_keyboard([Option("x" * 65, "too long")])
    # 33 Arabic letters are 66 bytes, although only 33 characters.
    with pytest.raises(RenderError, match="66 bytes"):
        inline_keyboard([Option("ب" * 33, "arabic id")])
    with pytest.raises(RenderError):
        inline_keyboard([Option("", "empty id")])


def test_choices_make_an_inline_keyboard_on_the_message() -> None:
    reply = Reply("اختر الخدمة", (Option("svc:a", "أ"), Option("svc:b", "ب")))
    [method] = render_reply(CHAT, reply)
    assert isinstance(method, SendMessage)
    assert isinstance(method.reply_markup, InlineKeyboardMarkup)


def test_split_prefers_paragraphs_then_lines() -> None:
    para = " ".join(["سطر"] * 500)  # 1999 characters
    text = f"{para}\n\n{para}\n\n{para}"
    parts = split_text(text)
    assert len(parts) == 2
    assert parts[0] == f"{para}\n\n{para}"
    assert parts[1] == para

    lines = "\n".join(f"السطر رقم {i}" for i in range(1000))
    parts = split_text(lines)
    assert all(utf16_len(p) <= MAX_TEXT_LENGTH for p in parts)
    assert "\n".join(parts) == lines  # cut only at line ends
    assert len(parts) > 1


def test_split_hard_cuts_only_without_spaces() -> None:
    parts = split_text("ا" * 9000)
    assert [len(p) for p in parts] == [4096, 4096, 808]


def test_split_counts_utf16_units() -> None:
    # Each emoji is two UTF-16 units: 2100 of them are 4200 units.
    parts = split_text("😀" * 2100)
    assert [len(p) for p in parts] == [2048, 52]


def test_long_text_keyboard_on_the_last_part() -> None:
    reply = Reply(("فقرة " * 600 + "\n\n") * 3, (Option("ok", "تم"),))
    methods = render_reply(CHAT, reply)
    assert len(methods) == 3
    assert all(isinstance(m, SendMessage) for m in methods)
    assert [m.reply_markup is not None for m in methods if isinstance(m, SendMessage)] == [
        False,
        False,
        True,
    ]


def test_empty_text_is_refused() -> None:
    with pytest.raises(RenderError):
        render_reply(CHAT, Reply("  ", (Option("a", "a"),)))


def test_ask_contact_with_a_label_from_the_flow() -> None:
    reply = Reply(
        "شارك رقم جوالك",
        (Option("share_contact", "📱 إرسال رقمي"), Option("cancel", "إلغاء")),
        ask_contact=True,
    )
    [method] = render_reply(CHAT, reply)
    assert isinstance(method, SendMessage)
    markup = method.reply_markup
    assert isinstance(markup, ReplyKeyboardMarkup)
    assert [[(b.text, b.request_contact) for b in row] for row in markup.keyboard] == [
        [("📱 إرسال رقمي", True)],
        [("إلغاء", None)],
    ]
    assert markup.resize_keyboard and markup.one_time_keyboard


def test_the_share_button_is_the_contact_button_wherever_it_stands() -> None:
    # a mobile number to pick (ph:0) or to keep came before it: the flow's label was
    # then a plain text button, and the contact button took the default label
    reply = Reply(
        "أيّ رقم؟",
        (Option("ph:0", "+966501234567"), Option("share_contact", "مشاركة رقمي")),
        ask_contact=True,
    )
    [method] = render_reply(CHAT, reply, contact_label="Share")
    assert isinstance(method, SendMessage) and isinstance(method.reply_markup, ReplyKeyboardMarkup)
    assert [[(b.text, b.request_contact) for b in row] for row in method.reply_markup.keyboard] == [
        [("مشاركة رقمي", True)],
        [("+966501234567", None)],
    ]


def test_ask_contact_falls_back_to_the_default_label() -> None:
    [method] = render_reply(CHAT, Reply("شارك رقمك", ask_contact=True), contact_label="Share")
    assert isinstance(method, SendMessage) and isinstance(method.reply_markup, ReplyKeyboardMarkup)
    assert method.reply_markup.keyboard[0][0].text == "Share"
    [method] = render_reply(CHAT, Reply("شارك رقمك", ask_contact=True))
    assert isinstance(method, SendMessage) and isinstance(method.reply_markup, ReplyKeyboardMarkup)
    assert method.reply_markup.keyboard[0][0].text == DEFAULT_CONTACT_LABEL


def markups(methods: list[object]) -> list[str]:
    names = {
        InlineKeyboardMarkup: "inline",
        ReplyKeyboardMarkup: "contact",
        ReplyKeyboardRemove: "remove",
        type(None): "-",
    }
    return [names[type(m.reply_markup)] for m in methods if isinstance(m, SendMessage)]


def test_keyboard_removed_by_the_first_plain_message() -> None:
    replies = [Reply("شكرا، تم التحقق من رقمك"), Reply("التالي", (Option("a", "أ"),))]
    methods, shown = render_replies(CHAT, replies, reply_keyboard_shown=True)
    assert markups(methods) == ["remove", "inline"]
    assert texts(methods) == ["شكرا، تم التحقق من رقمك", "التالي"]
    assert shown is False


def test_a_later_plain_message_in_the_batch_carries_the_removal() -> None:
    replies = [Reply("اختر", (Option("a", "أ"),)), Reply("ملاحظة")]
    methods, shown = render_replies(CHAT, replies, reply_keyboard_shown=True)
    assert markups(methods) == ["inline", "remove"]
    assert shown is False


def test_a_short_message_carries_the_removal_when_all_have_buttons() -> None:
    # One markup per message, and a message sent with a reply-keyboard markup cannot be
    # edited later: a short message of its own removes the keyboard, first.
    replies = [Reply("صف طلبك", (Option("back", "رجوع"), Option("cancel", "إلغاء")))]
    methods, shown = render_replies(CHAT, replies, reply_keyboard_shown=True, removal_text="تم")
    assert markups(methods) == ["remove", "inline"]
    assert texts(methods) == ["تم", "صف طلبك"]
    assert shown is False


def test_asking_again_keeps_the_keyboard() -> None:
    methods, shown = render_replies(
        CHAT,
        [Reply("الرقم ليس لك", (Option("cancel", "إلغاء"),)), Reply("شارك رقمك", ask_contact=True)],
        reply_keyboard_shown=True,
    )
    # No removal message: the new contact keyboard replaces the old one.
    assert markups(methods) == ["inline", "contact"]
    assert shown is True


def test_no_removal_when_nothing_is_shown() -> None:
    methods, shown = render_replies(
        CHAT, [Reply("مرحبا"), Reply("اختر", (Option("a", "أ"),))], reply_keyboard_shown=False
    )
    assert markups(methods) == ["-", "inline"]
    assert shown is False


def test_no_replies_change_nothing() -> None:
    assert render_replies(CHAT, [], reply_keyboard_shown=True) == ([], True)


def test_media_before_text(tmp_path: Path) -> None:
    photo = tmp_path / "receipt.png"
    photo.write_bytes(b"\x89PNG")
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(b"%PDF")
    methods = render_reply(CHAT, Reply("إيصال الطلب", media=(str(photo), str(pdf))))
    assert [type(m) for m in methods] == [SendPhoto, SendDocument, SendMessage]
    assert isinstance(methods[0], SendPhoto) and isinstance(methods[0].photo, FSInputFile)

    methods = render_reply(CHAT, Reply("", media=tuple(f"AgAC{i}" for i in range(12))))
    assert [type(m) for m in methods] == [SendMediaGroup, SendMediaGroup]
    assert [len(m.media) for m in methods if isinstance(m, SendMediaGroup)] == [10, 2]


def test_a_reply_of_two_lines_carries_the_removal_on_its_first_lines() -> None:
    # tester 10b (item 8): «/status» at the phone step got a bare «حسنًا.» of its own
    # before «اكتب رقم الطلب…»; the answer's own first line carries the removal now
    nav = (Option("back", "رجوع"), Option("cancel", "إلغاء"))
    replies = [
        Reply("طلبك الذي بدأت تعبئته محفوظ، وسنعود إليه بعد ذلك.\nاكتب رقم الطلب (١٠ أرقام).", nav)
    ]
    methods, shown = render_replies(CHAT, replies, reply_keyboard_shown=True, removal_text="حسنًا.")
    assert markups(methods) == ["remove", "inline"]
    assert texts(methods) == [
        "طلبك الذي بدأت تعبئته محفوظ، وسنعود إليه بعد ذلك.",
        "اكتب رقم الطلب (١٠ أرقام).",
    ]
    assert shown is False
    # a later reply of two lines rather than a bare word before the first
    replies = [Reply("صف طلبك", nav), Reply("سطر أول\nسطر ثانٍ", nav)]
    methods, _ = render_replies(CHAT, replies, reply_keyboard_shown=True, removal_text="حسنًا.")
    assert texts(methods) == ["صف طلبك", "سطر أول", "سطر ثانٍ"]
    assert markups(methods) == ["inline", "remove", "inline"]
