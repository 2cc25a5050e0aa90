"""Officers' internal notes from the staff group: ``/note NUMBER text``. Only officers
may write one (checked like every staff command: :class:`bot.staff.auth.OfficerAuth`);
the note is kept by the desk (:meth:`officers.desk.Desk.note`), shown with who wrote it and
when in ``/find NUMBER`` and ``tawasul staff show``, and never sent to the person.
"""

from __future__ import annotations

from aiogram import Bot
from aiogram.filters import CommandObject
from aiogram.types import Message, Update

from bot.staff.group import StaffGroup, officer_of
from bot.staff.views import HTML
from domain.request_number import InvalidRequestNumber, parse_request_number
from officers.failures import MissingReason, RequestNotFound


class NoteHandlers(StaffGroup):
    async def on_note(
        self, message: Message, command: CommandObject, event_update: Update, bot: Bot
    ) -> None:
        if not await self._command_allowed(message, event_update, bot):
            return
        assert message.from_user is not None  # checked by _command_allowed
        # the note may run over several lines: the number is the first word, whatever
        # blank follows it
        words = (command.args or "").split(maxsplit=1)
        number_text, text = [*words, "", ""][:2]
        try:
            number = parse_request_number(number_text)
        except InvalidRequestNumber:
            number = ""
        await self._send(bot, message, await self._note(number, text, message))

    async def _note(self, number: str, text: str, message: Message) -> str:
        """Keeps the note; what the group is told, in HTML."""
        _ = self._
        assert message.from_user is not None
        usage = _(
            "Write the request number and the note after /note, for example: /note 4512345671 called the person, the photo comes tonight"
        )
        if not number:
            return HTML.t(usage)
        try:
            note = await self._desk.note(number, officer_of(message.from_user), text)
        except RequestNotFound:
            return HTML.t(self._not_found(number))
        except MissingReason:
            return HTML.t(usage)
        return HTML.t(self._confirm.noted(number)) + "\n" + HTML.quote(note.text)
