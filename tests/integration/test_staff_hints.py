"""The staff group's hints name commands an officer can copy and send back as they are.

Found by the fresh-clone tester: the Arabic hints wrapped each command in a left-to-right
mark (U+200E, «أرسل ‎/takeover N»), so the copied text began with an invisible character
and was no command for Telegram or the bot. Each hint here is brought about through the
real staff router (aiogram, the Bot API stand-in, a real Redis, SQLite and PostgreSQL);
the command it shows is taken from the text as sent, checked for direction marks, and sent
back: it must do what the hint says.
"""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from bot.db.models import Block
from bot.staff.router import StaffCommand
from domain.status import RequestStatus
from officers.officer import Officer
from standins.telegram_updates import TgUser
from tests.integration.test_staff_router import COLLEAGUE, OFFICER, STAFF_CHAT, TOPIC, Harness, h

__all__ = ["h"]  # the fixture

#: Direction controls a reader does not see and a copy carries along.
BIDI_CONTROLS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
#: The last command shown in a text, with what follows it on its line.
SHOWN = re.compile(r"(?P<before>.?)(?P<command>/[a-z]+(?: [^\n]*)?)$", re.MULTILINE)


def _command(sent: str) -> str:
    """The command a hint shows, as an officer copies it: from its «/» to the end of its
    line; no direction mark may stand in it or just before it."""
    text = html.unescape(re.sub(r"<[^>]+>", "", sent))
    found = list(SHOWN.finditer(text))
    assert found, f"no command shown in {text!r}"
    last = found[-1]
    assert not BIDI_CONTROLS.search(last.group("before") + last.group("command")), repr(text)
    return last.group("command")


async def _say(h: Harness, user: TgUser, text: str) -> str:
    """Sends ``text`` into the staff group; returns what the bot answered."""
    before = len(h.sent())
    await h.feed(h.updates.group_text(user, STAFF_CHAT, text, thread_id=TOPIC))
    answered = h.sent()[before:]
    assert answered, f"no answer to {text!r}"
    return str(answered[-1].params["text"])


async def test_the_command_a_refusal_shows_takes_the_request_over(h: Harness) -> None:
    number = await h.file()
    card = await h.card(number)
    await h.press(OFFICER, "take", card)
    await h.press(COLLEAGUE, "ok", await h.card(number))
    refusal = str(h.answers()[-1].params["text"])
    command = _command(refusal)
    assert command == f"/takeover {number}"

    await _say(h, COLLEAGUE, command)
    record = await h.desk.find(number)
    assert record is not None and record.assigned_name == "فهد"
    assert record.status is RequestStatus.UNDER_REVIEW


async def test_the_command_a_block_shows_lifts_it(h: Harness) -> None:
    number = await h.file()
    blocked = await _say(h, OFFICER, f"/block {number} رسائل مسيئة")
    assert _command(blocked) == f"/unblock {number}"
    again = await _say(h, OFFICER, f"/block {number} رسائل مسيئة")
    command = _command(again)
    assert command == f"/unblock {number}"

    await _say(h, OFFICER, command)
    async with h.sessions() as session:
        block = await session.scalar(select(Block).where(Block.request_number == number))
    assert block is not None and block.unblocked_at is not None


async def test_every_usage_hint_shows_a_command_the_bot_takes(h: Harness) -> None:
    for bare in ("/takeover", "/unblock", "/find", "/block"):
        usage = await _say(h, OFFICER, bare)
        command = _command(usage)
        assert command.startswith(bare + " ")
        # sent back, the example is a command: answered as one, not with the usage again
        answer = await _say(h, OFFICER, command)
        assert answer != usage


async def test_the_help_shows_each_command_at_the_start_of_its_line(h: Harness) -> None:
    text = html.unescape(re.sub(r"<[^>]+>", "", await _say(h, OFFICER, "/help")))
    assert not BIDI_CONTROLS.search(text)
    for command in ("/find", "/takeover", "/block", "/unblock"):
        assert re.search(rf"^{command} ", text, re.MULTILINE), command


async def test_a_command_pasted_with_direction_marks_is_still_a_command(h: Harness) -> None:
    """Hints already in the group's history carry the marks; a copy of one still works."""
    number = await h.file()
    await h.desk.take(number, Officer(OFFICER.id, "نورة العتيبي"))
    await _say(h, COLLEAGUE, f"\u200e/takeover {number}")
    record = await h.desk.find(number)
    assert record is not None and record.assigned_name == "فهد"


def test_the_staff_command_filter_reads_through_the_marks() -> None:
    for text in ("\u200e/takeover 4512345671", "\u200f\u200e /takeover\u200e 4512345671"):
        command = StaffCommand.extract_command(text)
        assert (command.prefix, command.command) == ("/", "takeover")
        assert command.args is not None and "4512345671" in command.args
