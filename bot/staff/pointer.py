"""What an officer is told who tries to decide a request by typing: the way is the buttons
under the request's alert.

Found by the fresh-clone tester: ``/accept N`` in the staff group (no such command; officers
decide with the alert's buttons) got no answer at all, nor did any other unknown command.
Now a command addressed to the bot that it does not know, and a short reply to one of its
alerts that reads as a decision («مقبول», «رفض»), are answered with a pointer to the
buttons and to ``/help``. Other talk stays unanswered: officers talk among themselves in
the group, under alerts too, and a bot answering every message would drown them.

Only officers get the pointer (:class:`bot.staff.auth.OfficerAuth`, as every staff
command); the decision words are data (``bot/staff/data/decision_words.json``).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from aiogram import Bot
from aiogram.types import Message, Update

from bot.staff.callbacks import PREFIX, QUESTION, REASON
from bot.staff.cards import STATUS_MARKS
from bot.staff.group import StaffGroup
from bot.staff.views import HTML
from domain.normalize import fold_arabic, strip_invisible

#: The callback data of a menu's buttons (the reject reasons, the ready questions).
_MENU_BUTTONS = (f"{PREFIX}:{REASON}:", f"{PREFIX}:{QUESTION}:")


@dataclass(frozen=True, slots=True)
class DecisionWords:
    """The words that make a short reply read as a decision, folded
    (:func:`domain.normalize.fold_arabic`), and the longest reply still taken as one."""

    words: frozenset[str]
    max_words: int

    def match(self, text: str) -> bool:
        """Whether ``text`` is a short reply (at most ``max_words`` words) with a decision
        word among them: «مقبول», «تم الرفض», «Rejected.»; not «رفض الكفيل التوقيع، سأتصل
        به غدًا» (officers talking)."""
        words = fold_arabic(text).split()
        return 0 < len(words) <= self.max_words and not self.words.isdisjoint(words)


@functools.cache
def decision_words() -> DecisionWords:
    """The lists of ``bot/staff/data/decision_words.json``, every language together (an
    officer may type in either, whatever the group's language)."""
    raw: Any = json.loads(
        resources.files("bot").joinpath("staff/data/decision_words.json").read_text("utf-8")
    )
    words = frozenset(fold_arabic(w) for words in raw["words"].values() for w in words)
    return DecisionWords(words, int(raw["max_words"]))


def command_word(text: str) -> tuple[str, str | None] | None:
    """The command and the bot it names (``/accept@tawasul_bot`` -> ``("accept",
    "tawasul_bot")``) when ``text`` starts with one, invisible marks before it dropped;
    ``None`` for any other text (a lone «/», «/ ok»)."""
    head = strip_invisible(text.lstrip()).split(maxsplit=1)
    if not head or not head[0].startswith("/") or len(head[0]) < 2:
        return None
    name, _, mention = head[0][1:].partition("@")
    if not name or not name[0].isalpha():
        return None
    return name, mention or None


async def unknown_command(message: Message, bot: Bot) -> bool:
    """A filter: the message is a command addressed to this bot (no ``@name``, or this
    bot's); registered after every known command, so it sees only the unknown ones."""
    found = command_word(message.text or message.caption or "")
    if found is None:
        return False
    mention = found[1]
    if mention is None:
        return True
    me = await bot.me()
    return me.username is not None and mention.casefold() == me.username.casefold()


def is_alert(message: Message | None, bot: Bot) -> bool:
    """Whether ``message`` is one of the bot's request alerts (cards): its own message
    with the card's buttons (``st:…``) or, once decided and without buttons, the status
    mark a card starts with. A prompt, a menu (its reply is the reason or the question:
    :mod:`bot.staff.prompts`), a topic's opening message or an officer's message is not."""
    if message is None or message.from_user is None or message.from_user.id != bot.id:
        return False
    markup = message.reply_markup
    if markup is not None and any(
        (button.callback_data or "").startswith(f"{PREFIX}:")
        and not (button.callback_data or "").startswith(_MENU_BUTTONS)
        for row in markup.inline_keyboard
        for button in row
    ):
        return True
    return (message.text or "").startswith(tuple(STATUS_MARKS.values()))


async def decision_reply(message: Message, bot: Bot) -> bool:
    """A filter: a short reply to one of the bot's alerts that reads as a decision."""
    text = message.text or message.caption or ""
    return is_alert(message.reply_to_message, bot) and decision_words().match(text)


class PointerHandlers(StaffGroup):
    async def on_unknown_command(self, message: Message, event_update: Update, bot: Bot) -> None:
        """``/accept N`` and any other command the bot does not know."""
        if not await self._command_allowed(message, event_update, bot):
            return
        head = self._("There is no such command.")
        await self._send(bot, message, HTML.t(head) + "\n" + self._pointer())

    async def on_decision_reply(self, message: Message, event_update: Update, bot: Bot) -> None:
        """«مقبول» typed as a reply to an alert: the request is not decided by it (a
        non-officer's reply is talk, left unanswered)."""
        if not await self._command_allowed(message, event_update, bot, tell=False):
            return
        head = self._("A reply does not decide a request.")
        await self._send(bot, message, HTML.t(head) + "\n" + self._pointer())

    def _pointer(self) -> str:
        return HTML.t(
            self._(
                "Decide with the buttons under the request's alert in this group: «Take», «Ask for information», «Accept» or «Reject».\n/find NUMBER: the request, with a link to its alert\n/help: all the commands"
            )
        )
