"""The terminal shows a notice's rating and reconsideration buttons as commands, and those
commands come back as commands, which the dialogue reads as it does on every channel
(conversations.say_commands): a button's data built from typed words turned «/rate N ٥»
into a forged button, «هذا الزر لا يخص هذه الخطوة» (issue 13; fresh-clone tester, fault 2)."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from bot.channels.console import to_event
from bot.channels.console_delivery import ConsoleDelivery
from bot.media_store import MediaStore
from bot.outbox.handlers import OutboxRow
from bot.outbox.queue import replies_to_payload
from conversations.events import Command, Option, Reply
from conversations.their_say import reconsider_option, survey_reply

NUMBER = "4512345671"


def test_the_commands_are_commands(tmp_path: Path) -> None:
    media = MediaStore(tmp_path)
    for line, name, args in (
        (f"/rate {NUMBER} ٥", "rate", f"{NUMBER} ٥"),
        (f"/note {NUMBER}", "note", NUMBER),
        (f"/reconsider {NUMBER}", "reconsider", NUMBER),
        ("/reconsider", "reconsider", ""),
    ):
        event = to_event(line, "local", media)
        assert isinstance(event, Command), line
        assert (event.name, event.args) == (name, args)


def test_a_notice_lists_its_buttons_as_commands() -> None:
    out = io.StringIO()
    notice = Reply("لم يُقبل طلبك", (reconsider_option("ar", NUMBER), Option("x", "زر آخر")))
    payload = {"replies": replies_to_payload([notice, survey_reply("ar", NUMBER)])}
    row = OutboxRow(1, "notify", "console", "local", payload, None, 0)
    asyncio.run(ConsoleDelivery("local", out).deliver(row))
    shown = out.getvalue()
    assert f"/reconsider {NUMBER}  (طلب إعادة النظر)" in shown
    assert f"/rate {NUMBER} 5  (⭐⭐⭐⭐⭐ مُرضٍ جدًا)" in shown
    assert f"/rate {NUMBER} 1" in shown
    assert "زر آخر" not in shown  # a button with no command is not offered
