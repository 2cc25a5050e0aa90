"""What reaches a person chatting in a terminal outside a turn: their notifications (a
decision taken in ``tawasul staff``), with the buttons the terminal shows as commands, and
where the receipt card's picture was saved. Split from :mod:`bot.channels.console`, one
idea a file."""

from __future__ import annotations

import sys
from typing import TextIO

from bot.channels.console import SAY_COMMANDS, render
from bot.outbox.handlers import OutboxRow, RetryAfter
from bot.outbox.queue import replies_from_payload
from conversations.events import Reply
from conversations.i18n import DEFAULT_LOCALE, Texts


class ConsoleDelivery:
    """The outbox handler for people chatting in a terminal: their notifications (a
    decision taken in ``tawasul staff``) are printed in the chat as they arrive."""

    def __init__(self, user_key: str, stdout: TextIO = sys.stdout) -> None:
        self.user_key = user_key
        self.stdout = stdout

    async def deliver(self, row: OutboxRow) -> str | None:
        if row.target != self.user_key:
            # another terminal's person: leave it for the chat that is theirs
            raise RetryAfter(30)
        for reply in replies_from_payload(dict(row.payload)):
            lines = [reply.text]
            lines += [_as_command(c.id, c.label) for c in reply.choices if _as_command(c.id, "")]
            print("\n".join(lines), file=self.stdout)
            print(file=self.stdout, flush=True)
        return None


def _as_command(choice_id: str, label: str) -> str:
    """A notification's button as the command that does the same in a terminal; "" for
    a button that has none."""
    if choice_id.startswith("ans:"):
        return f"  /answer {choice_id.removeprefix('ans:')}  ({label})"
    for command, prefix in SAY_COMMANDS.items():
        if choice_id.startswith(prefix):
            return f"  {command} {' '.join(choice_id.removeprefix(prefix).split(':'))}  ({label})"
    return ""


class ConsoleCardSend:
    """The receipt card in a terminal: where its picture was saved (a terminal cannot
    show it)."""

    def __init__(self, user_key: str, stdout: TextIO = sys.stdout) -> None:
        self.user_key = user_key
        self.stdout = stdout

    async def __call__(self, row: OutboxRow, path: str) -> str | None:
        if row.target != self.user_key:
            raise RetryAfter(30)
        locale = str(row.payload.get("receipt", {}).get("locale", DEFAULT_LOCALE))
        print(render(Reply("", media=(path,)), Texts(locale)).strip(), file=self.stdout)
        print(file=self.stdout, flush=True)
        return None
