"""The channel's name reaches the dialogue with the event, from the channel
(``Origin.channel_name``), as the person's number does: conversations/ names no channel in
a text a person sees (DESIGN: no channel in conversations/). Found in session 11's review
of tester 10b's report: intake_phone and early_phone wrote «واتساب» into the phone step's
words themselves. The person still reads «رقمك في واتساب» on WhatsApp (and the WhatsApp
webhook tests, through the real channel, check it), and nothing of it on Telegram."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from babel.messages.extract import extract_from_dir

from conversations.events import Origin

from .fakes import Chat, MemoryGateway, WhatsAppChat
from .test_phone_foreign import WA_NUMBER, VouchedChat, _engine, _to_phone, _to_summary

ROOT = Path(__file__).resolve().parents[3]
CHANNEL_WORDS = ("whatsapp", "telegram", "واتساب", "واتس", "تيليجرام", "تلغرام", "تليجرام")


def test_no_text_of_the_dialogue_names_a_channel() -> None:
    named = []
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT / "conversations",
        method_map=[("**.py", "python")],
        keywords={"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)},
    ):
        for text in message if isinstance(message, tuple) else (message,):
            if any(word in text.lower() for word in CHANNEL_WORDS):
                named.append(text)
    assert named == []


class ElsewhereChat(Chat):
    """A channel that vouches for the number, under another name (here Telegram's, whose
    name the catalogue translates): the words name what the event names."""

    def origin(self, event_id: str | None = None) -> Origin:
        return dataclasses.replace(
            super().origin(event_id), vouched_phone=WA_NUMBER, channel_name="Telegram"
        )


async def _asked_again(chat: Chat) -> None:
    await _to_phone(chat)
    await chat.contact(WA_NUMBER)
    await _to_summary(chat)
    await chat.tap("e:phone")


async def test_whatsapp_is_named_in_arabic_and_english() -> None:
    chat = VouchedChat(_engine(MemoryGateway()).handle)
    await _asked_again(chat)
    assert chat.said.startswith("رقمك في واتساب هو \u2068+966501234567\u2069."), chat.said
    assert [o.label for o in chat.last[-1].choices][:1] == ["رقمي في واتساب"]
    english = VouchedChat(_engine(MemoryGateway()).handle, user="u2")
    await english.text("English")
    await _asked_again(english)
    assert english.said.startswith("Your number on WhatsApp is \u2068+966501234567\u2069.")
    assert [o.label for o in english.last[-1].choices][:1] == ["My WhatsApp number"]


async def test_the_name_is_the_one_the_event_brings() -> None:
    chat = ElsewhereChat(_engine(MemoryGateway()).handle)
    await _asked_again(chat)
    assert chat.said.startswith("رقمك في تيليجرام هو"), chat.said
    assert "واتساب" not in chat.said
    assert [o.label for o in chat.last[-1].choices][:1] == ["رقمي في تيليجرام"]
    await chat.text("0112345678")  # a landline: the button is named in the hint too
    assert "«رقمي في تيليجرام»" in chat.said and "واتساب" not in chat.said


async def test_a_username_on_whatsapp_is_told_whatsapp_does_not_give_the_number() -> None:
    class UsernameChat(WhatsAppChat):
        def origin(self, event_id: str | None = None) -> Origin:
            return dataclasses.replace(super().origin(event_id), channel_name="WhatsApp")

    chat = UsernameChat(_engine(MemoryGateway()).handle)
    await _to_phone(chat)
    assert "لا يصلنا رقمك عبر واتساب، لذلك سيظهر للموظف أنه غير موثّق." in chat.said


async def test_telegram_asks_for_the_button_and_names_no_channel() -> None:
    chat = Chat(_engine(MemoryGateway()).handle)
    await _to_phone(chat)
    assert chat.said.startswith("يُرجى مشاركة رقم جوالك بزر «مشاركة رقمي»"), chat.said
    assert chat.last[-1].ask_contact
    assert not any(word in chat.said for word in ("واتساب", "هذا التطبيق", "تيليجرام"))
    await chat.contact("+971501234567", own=False)
    assert "واتساب" not in chat.said and "مشاركة رقمي" in chat.said
