"""The officers' ready questions: «Ask for information» on a card offers the usual questions
for the request's service (``bot/staff/data/ready_questions.json``, Arabic and English),
then «Another question (type it)», which opens the typed prompt as before, and «Cancel». It is built
like the reject-reasons menu (:mod:`bot.staff.buttons`, both by
:func:`bot.staff.menus.pick_menu`): the menu is a reply to the card, a pick
asks the desk at once, and the person reads the question in their own language, fixed when
it is asked.

A button carries the question's id (``st:nq:<number>:<version>:<id>``), not its place in
the list, so a question added to a service or to the common ones never turns a menu already
on screen into another question.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from aiogram import Bot
from aiogram.types import CallbackQuery

from bot.staff.callbacks import QUESTION, StaffAction, action_data
from bot.staff.group import answer
from bot.staff.menus import CANCEL, OTHER
from bot.staff.proposals import ProposalHandlers
from bot.staff.views import HTML, script_mismatch
from conversations.i18n import DEFAULT_LOCALE
from domain.status import FINAL, IllegalTransition, RequestStatus
from officers.failures import StaleAction
from officers.officer import Officer

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReadyQuestion:
    id: str
    texts: dict[str, str]

    def text(self, locale: str) -> str:
        return self.texts.get(locale) or self.texts[DEFAULT_LOCALE]


@cache
def _data() -> tuple[dict[str, tuple[ReadyQuestion, ...]], tuple[ReadyQuestion, ...]]:
    raw: Any = json.loads(
        resources.files("bot.staff")
        .joinpath("data/ready_questions.json")
        .read_text(encoding="utf-8")
    )

    def read(items: list[dict[str, str]]) -> tuple[ReadyQuestion, ...]:
        return tuple(
            ReadyQuestion(str(item["id"]), {k: str(v) for k, v in item.items() if k != "id"})
            for item in items
        )

    services = {service: read(items) for service, items in raw["services"].items()}
    return services, read(raw["common"])


def ready_questions(service_id: str) -> tuple[ReadyQuestion, ...]:
    """The questions offered for a request of ``service_id``: the service's own first, then
    the common ones (an unknown service gets the common ones only)."""
    services, common = _data()
    return (*services.get(service_id, ()), *common)


def ready_question(service_id: str, question_id: str) -> ReadyQuestion | None:
    for question in ready_questions(service_id):
        if question.id == question_id:
            return question
    return None


class QuestionHandlers(ProposalHandlers):
    async def _question_picker(
        self, bot: Bot, query: CallbackQuery, number: str, offered: int, officer: Officer
    ) -> None:
        """The menu of ready questions, as a reply to the card."""
        _ = self._
        record = await self._record(number)
        if record.status in FINAL:
            raise IllegalTransition(record.status, RequestStatus.NEEDS_INFO)
        await self._offer_menu(
            bot, query, number, officer, kind="ask", version=offered,
            template=_("%(officer)s, what should the person be asked about request %(number)s? Pick a usual question or type your own."),
            choices=((q.id, q.text(self._views.locale)) for q in ready_questions(record.service_id)),
            data=lambda choice: action_data(QUESTION, number, offered, choice),
            other=_("Another question (type it)"),
        )  # fmt: skip

    async def _question_chosen(
        self, bot: Bot, query: CallbackQuery, action: StaffAction, officer: Officer
    ) -> None:
        _ = self._
        number, choice, offered = action.number, action.choice, action.version
        assert offered is not None
        if choice == CANCEL:
            await self._close_menu(bot, query, _("Question cancelled."))
            return
        record = await self._record(number)
        if record.status in FINAL:
            raise IllegalTransition(record.status, RequestStatus.NEEDS_INFO)
        if record.status is RequestStatus.NEEDS_INFO:
            raise StaleAction(number)  # one question at a time
        if choice == OTHER:
            await self._close_menu(bot, query)
            await self._prompt(
                bot, query, "ask", number, offered, officer,
                _("%(officer)s, type your question about request %(number)s for the person, as a reply to this message."),
                placeholder=_("Your question to the person"),
            )  # fmt: skip
            return
        question = ready_question(record.service_id, choice or "")
        if question is None:
            log.warning("unknown ready question from user %s ignored", officer.id)
            await answer(query)
            return
        # the person reads the question in their own language, fixed now
        text = question.text(record.locale)
        asked = await self._desk.ask(number, officer, text, offered=offered)
        await self._menu_answered(bot, query)
        done = _(
            "Question sent to the person for request %(number)s. The clock is paused until they answer."
        ) % {"number": number}
        if script_mismatch(text, asked.locale):
            done += " " + _(
                "Note: the person reads %(language)s, and your question is not in it."
            ) % {"language": self._views.language(asked.locale)}
        await self._edit(
            bot, query.message, HTML.t(done) + "\n" + HTML.b(_("Question:")) + " " + HTML.user(text)
        )
        await answer(query, done + "\n" + self._cards.preview(asked))
        await self._wake()
