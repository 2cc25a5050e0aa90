"""Words to officers that the desk queues under a request's card: the person answered the
question (mentioning the officer who asked, so Telegram notifies them), and a request was
taken over (mentioning the officer who had it).

Telegram HTML, every piece of text escaped (see :mod:`bot.staff.views`); the person's words
are isolated so their direction cannot reorder the line around them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Final

from bot.staff.actors import actor_name, telegram_id
from bot.staff.say_words import SayWords
from bot.staff.views import HTML, StaffViews
from conversations.formatting import isolate
from conversations.i18n import DEFAULT_LOCALE
from domain.catalogue import Catalogue
from officers.officer import Officer

#: How much of the person's answer is quoted in the announcement (the card has it all).
MAX_QUOTED: Final = 600


class Announcer:
    def __init__(
        self,
        catalogue: Catalogue,
        *,
        locale: str | None = None,
        holidays: Collection[dt.date] | None = None,
    ) -> None:
        self.views = StaffViews(catalogue, locale=locale or DEFAULT_LOCALE, holidays=holidays)

    def _officer(self, actor: str | None, name: str | None = None) -> str:
        """A mention of the officer when they are on Telegram, their name otherwise."""
        texts = self.views.texts
        if not actor:
            return HTML.t(texts.gettext("an officer"))
        display = name or actor_name(actor, texts)
        user_id = telegram_id(actor)
        if user_id is None:
            return HTML.user(display)
        return HTML.link(display, f"tg://user?id={user_id}")

    def answered(
        self, number: str, asker: str | None, question: str | None, answer: str, files: int
    ) -> str:
        _ = self.views.texts.gettext
        lines = [
            "💬 "
            + HTML.t(_("%(officer)s, the person answered your question on request %(number)s."))
            % {"officer": self._officer(asker), "number": HTML.code(number)}
        ]
        if question:
            lines.append(HTML.b(_("Question:")) + " " + HTML.t(isolate(question[:MAX_QUOTED])))
        if answer.strip() and len(answer.strip().splitlines()) > 1:
            # an answer of several lines keeps them, under the label
            quoted = answer if len(answer) <= MAX_QUOTED else answer[:MAX_QUOTED] + "…"
            lines += [HTML.b(_("Answer:")), HTML.quote(quoted.strip())]
        elif answer.strip():
            words = SayWords(self.views).answer_words(answer, HTML, files=files)
            lines.append(HTML.b(_("Answer:")) + " " + words)
        if files:
            lines.append(
                HTML.t(
                    self.views.texts.ngettext(
                        "%(count)d new file follows.", "%(count)d new files follow.", files
                    )
                    % {"count": files}
                )
            )
        lines.append(HTML.t(_("The request is back under review; its clock runs again.")))
        return "\n".join(lines)

    def taken_over(
        self, number: str, previous_actor: str, previous_name: str | None, officer: Officer
    ) -> str:
        _ = self.views.texts.gettext
        return "🔁 " + HTML.t(
            _("%(previous)s, request %(number)s has been taken over by %(officer)s.")
        ) % {
            "previous": self._officer(previous_actor, previous_name),
            "number": HTML.code(number),
            "officer": HTML.user(officer.name),
        }
