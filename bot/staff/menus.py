"""The menus the bot offers an officer under a card: the reject reasons
(:mod:`bot.staff.buttons`) and the ready questions (:mod:`bot.staff.questions`). Both are
one button per choice, then «type your own» and «Cancel» side by side, so one builder
makes both and they cannot drift apart."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

#: The choice ids of the last row (a choice's own id is its index or its data-file id).
OTHER = "other"
CANCEL = "cancel"


def pick_menu(
    choices: Iterable[tuple[int | str, str]],
    data: Callable[[int | str], str],
    *,
    other: str,
    cancel: str,
) -> InlineKeyboardMarkup:
    """A keyboard: a row per ``(choice id, label)``, then ``other`` and ``cancel`` (their
    labels, already translated); ``data`` makes a choice id's callback data (Telegram's
    64 bytes are checked there)."""
    rows = [[InlineKeyboardButton(text=label, callback_data=data(id_))] for id_, label in choices]
    rows.append(
        [
            InlineKeyboardButton(text=other, callback_data=data(OTHER)),
            InlineKeyboardButton(text=cancel, callback_data=data(CANCEL)),
        ]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)
