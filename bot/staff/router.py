"""The staff group on Telegram: officers act on request cards and ask about requests.

The pieces:

- :mod:`bot.staff.callbacks`: what a button carries (``st:<action>:<number>:<version>``);
- :mod:`bot.staff.buttons`: the taps on cards, digests and the reject-reasons menu;
- :mod:`bot.staff.prompts`: the question or reason an officer types as a reply;
- :mod:`bot.staff.stray`: one typed without replying (or replied to the request's card),
  when it is clear what it answers;
- :mod:`bot.staff.commands`: ``/find``, ``/waiting``, ``/mine``, ``/unassigned``,
  ``/overdue``, ``/takeover``, ``/stats``, ``/help``;
- :mod:`bot.staff.notes`: ``/note``, an officers' internal note on a request;
- :mod:`bot.staff.pointer`: an unknown command, or a reply to an alert that reads as a
  decision, is pointed to the alert's buttons.

Each decision goes through :class:`bot.staff.desk.StaffDesk`, the only way to change a
request. The card itself is edited by the outbox dispatcher from the row the desk queues;
this router only wakes the dispatcher (``kick``) so the edit goes out at once.

Every update is claimed with ``SET NX`` in Redis first, so one redelivered by Telegram is
handled once by whichever worker gets it; prompts and confirmations live in Redis too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from aiogram import Dispatcher, F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandObject
from redis.asyncio import Redis

from bot.abuse.blocks import BlockList
from bot.channels.aiogram_filters import on_loop
from bot.db.models import utcnow
from bot.settings import Settings, holidays_of
from bot.staff.auth import OfficerAuth
from bot.staff.buttons import ButtonHandlers
from bot.staff.callbacks import PREFIX, StaffAction, parse_callback, reject_reasons
from bot.staff.commands import CommandHandlers
from bot.staff.desk import StaffDesk
from bot.staff.group import Kick
from bot.staff.notes import NoteHandlers
from bot.staff.pointer import PointerHandlers, decision_reply, unknown_command
from bot.staff.private import answer_officers_in_private
from bot.staff.stray import StrayHandlers, replies_to_card, replies_to_nothing
from bot.staff.views import StaffViews
from conversations.i18n import DEFAULT_LOCALE
from domain.catalogue import load_catalogue
from domain.normalize import strip_invisible

__all__ = [
    "StaffAction",
    "StaffHandlers",
    "parse_callback",
    "reject_reasons",
    "staff_into",
    "staff_router",
]


class StaffHandlers(ButtonHandlers, CommandHandlers, NoteHandlers, PointerHandlers, StrayHandlers):
    """Every handler of the staff group, on one desk, Redis and chat."""


class StaffCommand(Command):
    """A staff command, also when it was pasted with invisible direction marks around it.

    The group's hints once wrapped their commands in left-to-right marks (U+200E); an
    officer who copied «\u200e/takeover N» sent a text aiogram's :class:`Command` does not
    take for a command (its first character is not «/»), and nothing answered. The hints
    no longer carry marks; messages already in the group's history still do, so the marks
    before the command and inside its word are dropped here. The arguments are left as
    typed: each handler reads its number with ``parse_request_number``, which ignores them.
    """

    @classmethod
    def extract_command(cls, text: str) -> CommandObject:
        head, _, rest = text.lstrip().partition(" ")
        head = strip_invisible(head)
        if not head:  # marks alone before the space: the command is the next word
            head, _, rest = strip_invisible(rest).lstrip().partition(" ")
        return super().extract_command(f"{head} {rest}" if rest else head)


def staff_router(
    desk: StaffDesk,
    settings: Settings,
    redis: Redis,
    kick: Kick,
    *,
    locale: str = DEFAULT_LOCALE,
    clock: Callable[[], dt.datetime] = utcnow,
    blocks: BlockList | None = None,
) -> Router:
    """A router for the staff group (``TAWASUL_STAFF_CHAT_ID``), to include into the
    Telegram dispatcher next to the residents' router."""
    return _staff_router(desk, settings, redis, kick, locale=locale, clock=clock, blocks=blocks)[0]


def _staff_router(
    desk: StaffDesk,
    settings: Settings,
    redis: Redis,
    kick: Kick,
    *,
    locale: str = DEFAULT_LOCALE,
    clock: Callable[[], dt.datetime] = utcnow,
    blocks: BlockList | None = None,
) -> tuple[Router, StaffHandlers]:
    """:func:`staff_router`, and its handlers (what sweeps the expired prompts)."""
    chat_id = settings.staff_chat_id
    if chat_id is None:
        raise ValueError("TAWASUL_STAFF_CHAT_ID is not set")
    handlers = StaffHandlers(
        desk,
        OfficerAuth(redis, staff_chat_id=chat_id, officer_ids=settings.officers),
        redis,
        kick,
        chat_id=chat_id,
        views=StaffViews(load_catalogue(), locale=locale, holidays=holidays_of(settings)),
        clock=clock,
    )
    handlers.blocks = blocks or BlockList(desk.sessions, redis)
    router = Router(name="telegram_staff")
    # on_loop: aiogram would run a bare magic filter in a thread, for every update
    in_group = F.chat.type.in_({ChatType.GROUP, ChatType.SUPERGROUP})
    router.message.filter(on_loop((F.chat.id == chat_id) & in_group))
    router.callback_query.filter(
        on_loop((F.message.chat.id == chat_id) & F.data.startswith(f"{PREFIX}:"))
    )
    router.callback_query.register(handlers.on_callback)
    router.message.register(handlers.on_find, StaffCommand("find"))
    router.message.register(handlers.on_overdue, StaffCommand("overdue"))
    router.message.register(handlers.on_waiting, StaffCommand("waiting"))
    router.message.register(handlers.on_mine, StaffCommand("mine"))
    router.message.register(handlers.on_unassigned, StaffCommand("unassigned"))
    router.message.register(handlers.on_takeover, StaffCommand("takeover"))
    router.message.register(handlers.on_block, StaffCommand("block"))
    router.message.register(handlers.on_unblock, StaffCommand("unblock"))
    router.message.register(handlers.on_note, StaffCommand("note"))
    router.message.register(handlers.on_stats, StaffCommand("stats"))
    router.message.register(handlers.on_help, StaffCommand("help", "start"))
    # after every known command: the commands it sees are unknown ones
    router.message.register(handlers.on_unknown_command, unknown_command)
    # a reply to a request's card, when a prompt of the officer waits for that request
    # (before the pointer: a reason may hold a decision word); anything else passes on
    router.message.register(handlers.on_card_reply, replies_to_card)
    router.message.register(handlers.on_decision_reply, decision_reply)
    # a reason typed without replying to its menu or prompt (bot.staff.stray), then the
    # replies to the bot's prompts
    router.message.register(handlers.on_talk, replies_to_nothing)
    router.message.register(handlers.on_reply, on_loop(F.reply_to_message))
    return router, handlers


def staff_into(
    dispatcher: Dispatcher,
    desk: StaffDesk,
    settings: Settings,
    redis: Redis,
    kick: Kick,
    *,
    locale: str = DEFAULT_LOCALE,
    clock: Callable[[], dt.datetime] = utcnow,
) -> StaffHandlers:
    """The staff group's router into ``dispatcher``, and before every router the answer to
    an officer who types a staff command in a private chat (:mod:`bot.staff.private`).
    Returns the router's handlers (their :meth:`~StaffHandlers.sweep_expired` closes the
    prompts nobody answered in time)."""
    router, handlers = _staff_router(desk, settings, redis, kick, locale=locale, clock=clock)
    dispatcher.include_router(router)
    auth = OfficerAuth(redis, staff_chat_id=settings.staff_chat_id, officer_ids=settings.officers)
    views = StaffViews(load_catalogue(), locale=locale, holidays=holidays_of(settings))
    answer_officers_in_private(dispatcher, auth, views, redis)
    return handlers
