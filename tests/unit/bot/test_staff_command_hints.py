"""Every staff-group text that names a command shows it so it can be copied and sent back:
no direction mark in it or just before it (the fresh-clone tester's «‎/takeover N» was no
command), and in Arabic at the start of its own line, where it reads left to right without
one (mid-sentence, an Arabic line would show «takeover/»)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[3]
#: The staff router's commands (bot.staff.router).
STAFF_COMMANDS = (
    "find", "overdue", "waiting", "mine", "unassigned", "takeover", "block", "unblock",
    "stats", "help", "note",
)  # fmt: skip
MENTION = re.compile(rf"(?P<before>.?)/(?:{'|'.join(STAFF_COMMANDS)})\b[^\n]*")
BIDI_CONTROLS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def _staff_hints(locale: str) -> list[tuple[str, str]]:
    path = ROOT / "locales" / locale / "LC_MESSAGES" / "tawasul.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    found = []
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and any(MENTION.search(i) for i in ids):
            found += [(ids[0], s) for s in strings]
    return found


@pytest.mark.parametrize("locale", ["ar", "en"])
def test_no_direction_mark_stands_in_or_before_a_staff_command(locale: str) -> None:
    hints = _staff_hints(locale)
    assert len(hints) >= 10  # the help, the usages, the refusals, the blocks
    for msgid, text in hints:
        for mention in MENTION.finditer(text):
            assert not BIDI_CONTROLS.search(mention.group(0)), (msgid, text)


def test_an_arabic_hint_starts_a_line_with_each_command() -> None:
    for msgid, text in _staff_hints("ar"):
        for mention in MENTION.finditer(text):
            assert mention.group("before") in ("", "\n"), (msgid, text)


#: Any command a text names: the staff group's and the resident's (/lang, /contact, …).
ANY_COMMAND = re.compile(r"(?P<before>.?)/[a-z_]+\b[^\n]*")


def test_every_arabic_text_that_names_a_command_starts_a_line_with_it() -> None:
    """The resident's hints too: «أو اكتب ⁦/lang⁩» wrapped the command in isolates, which
    Telegram's clients do not take for a command, and «اكتب /contact ثم رقمك» showed
    «contact/» mid-sentence (found by h-staff and the fresh-clone tester)."""
    path = ROOT / "locales" / "ar" / "LC_MESSAGES" / "tawasul.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    named = 0
    for message in catalogue:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings if message.id else ():
            for mention in ANY_COMMAND.finditer(text):
                named += 1
                assert mention.group("before") in ("", "\n"), (message.id, text)
                assert not BIDI_CONTROLS.search(mention.group(0)), (message.id, text)
    assert named >= 12  # the staff group's hints, /lang and /contact
