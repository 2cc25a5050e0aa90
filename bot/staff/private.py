"""Officers' commands typed in a private chat with the bot.

The staff commands (``/find``, ``/unassigned``, ``/takeover``…) work in the staff group
only: the residents' router takes every private message, so an officer who typed one to
the bot in private got the residents' welcome. Found by the review of session 10. Now an
officer (checked as for every staff action: :class:`bot.staff.auth.OfficerAuth`, the
group's members and ``TAWASUL_OFFICER_IDS``, cached in Redis for every worker) gets one
short line saying where the command works; anyone else typing the same words is a
resident like any other, and gets the residents' dialogue as before. ``/export`` is made
at the terminal, so its line says how. The residents' own commands (``/start``,
``/help``, ``/note``, ``/rate``, ``/reconsider``, ``/status``, ``/lang``, ``/contact``) are
never intercepted: an officer may have requests of their own. When Redis cannot be read
for the officer check, the message goes on to the residents' router, which apologises.

A middleware on the dispatcher's messages, so that it comes before the residents' router.

The answer is given once per ``update_id`` across workers and restarts: the update is
claimed in Redis (:func:`bot.staff.group.claim_update`, as every staff-group update is)
before the line is sent. Found by review 11: the line went out again when the same update
came a second time. The webhook journal (:mod:`bot.webhook_journal`) turns away a
redelivery only while the update is in hand or after it was closed; an update that was
answered but not closed (its worker killed or stalled past its lease, or cut by the drain's
bound after sending, a poller's update given up at a stop) is replayed by another worker,
on the journal's promise that each handler claims its own update (the residents' engine
claims event ids, the staff group update ids): this middleware claimed none. When Redis
cannot be read, the officer named in ``TAWASUL_OFFICER_IDS`` still gets the line (once
more is better than none); a line that could not be sent gives its claim up, so a
redelivery answers.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Final

from aiogram import Bot, Dispatcher
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramAPIError
from aiogram.types import Message, TelegramObject, Update
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.staff.auth import OfficerAuth
from bot.staff.group import claim_update, unclaim_update
from bot.staff.views import StaffViews
from domain.normalize import strip_invisible

log = logging.getLogger(__name__)

#: The staff group's commands (bot.staff.router), and two an officer may expect there:
#: «/desk», and «/export», which the terminal makes. «/start», «/help» and «/note» (a
#: note on one's own request: conversations.say_commands) are the residents' too, and stay
#: theirs: an officer may file requests of their own.
STAFF_COMMANDS: Final = frozenset(
    {
        "find", "overdue", "waiting", "mine", "unassigned", "takeover", "block",
        "unblock", "stats", "desk", "export",
    }
)  # fmt: skip

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


def staff_command(text: str | None) -> str | None:
    """The staff command a private message is (``"unassigned"`` for «/unassigned@Bot»,
    in any case, invisible marks before it dropped), or None."""
    if not text:
        return None
    head = strip_invisible(text.strip()).split(maxsplit=1)
    if not head or not head[0].startswith("/"):
        return None
    name = head[0][1:].split("@", 1)[0].lower()
    return name if name in STAFF_COMMANDS else None


class OfficersInPrivate:
    """The middleware: ``auth`` says who is an officer, ``views`` the staff's language,
    ``redis`` keeps the updates answered (see the module)."""

    def __init__(self, auth: OfficerAuth, views: StaffViews, redis: Redis) -> None:
        self._auth = auth
        self._views = views
        self._redis = redis

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Message) or event.chat.type != ChatType.PRIVATE:
            return await handler(event, data)
        command = staff_command(event.text)
        bot = data.get("bot")
        if command is None or event.from_user is None or not isinstance(bot, Bot):
            return await handler(event, data)
        try:
            officer = await self._auth.is_officer(bot, event.from_user.id)
        except RedisError:
            # who is an officer is cached in Redis; with Redis away the residents' router
            # answers (its apology asks to send it again) rather than nobody (review 10)
            log.warning("could not tell whether a private /%s came from an officer", command)
            return await handler(event, data)
        if not officer:
            return await handler(event, data)  # a resident who typed the same words
        update = data.get("event_update")
        update_id = update.update_id if isinstance(update, Update) else None
        claimed = False
        if update_id is not None:
            try:
                if not await claim_update(self._redis, update_id):
                    return None  # answered already, by this worker or another
                claimed = True
            except RedisError:
                log.warning("could not claim a private /%s: answered all the same", command)
        try:
            await bot.send_message(event.chat.id, self.line(command))
        except TelegramAPIError as exc:
            log.warning(
                "could not answer an officer's /%s in private (%s: %s)",
                command,
                type(exc).__name__,
                exc.message,
            )
            if claimed and update_id is not None:
                with contextlib.suppress(RedisError):
                    await unclaim_update(self._redis, update_id)
        return None

    def line(self, command: str) -> str:
        """The one line an officer gets for ``/command`` in private."""
        _ = self._views.texts.gettext
        if command == "export":
            return _(
                "The export is made at the terminal, not in Telegram: tawasul staff export --from 2026-12-01 --to 2026-12-31"
            )
        return _(
            "/%(command)s and the other officers' commands work in the staff group, not in a private chat with the bot."
        ) % {"command": command}


def answer_officers_in_private(
    dispatcher: Dispatcher, auth: OfficerAuth, views: StaffViews, redis: Redis
) -> None:
    """Puts :class:`OfficersInPrivate` before every router of ``dispatcher``."""
    dispatcher.message.outer_middleware(OfficersInPrivate(auth, views, redis))
