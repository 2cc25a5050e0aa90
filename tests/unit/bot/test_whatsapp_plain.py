"""WhatsApp's plain-text form of a reply numbers the step's own choices only, as the
engine reads a typed number; the navigation is named (a «3» once meant «Help» there)."""

from __future__ import annotations

from bot.channels.whatsapp_render import Button, OutButtons, OutText, plain_of, render_plain
from conversations.events import Option, Reply
from conversations.i18n import Texts


def test_render_plain_numbers_only_the_steps_choices() -> None:
    reply = Reply(
        "Send the documents.",
        choices=(
            Option("done", "Done"),
            Option("back", "Back"),
            Option("help", "Help"),
            Option("cancel", "Cancel"),
        ),
    )
    (message,) = render_plain(reply, Texts("en"))
    assert isinstance(message, OutText)
    assert "1. Done" in message.body
    assert "2." not in message.body and "3." not in message.body
    assert "«Back», «Help» or «Cancel»" in message.body


def test_plain_of_buttons_names_the_navigation() -> None:
    buttons = (Button("new", "New request"), Button("status", "Status"), Button("help", "Help"))
    body = plain_of(OutButtons("Filed.", buttons)).body
    assert "1. New request" in body and "2. Status" in body
    assert "3." not in body and "• Help" in body
