"""What officers read of the person's say (issue 13): the notes under the card, a request to
reconsider, a low rating's comment, the lines of the summary that show them, and the
satisfaction per department in ``/stats`` and the digest.

Telegram HTML or plain text through :class:`bot.staff.fmt.Fmt`; every word the person
wrote is escaped and isolated where it is put in, so it can neither become markup nor
reorder the line around it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from bot.db.requests_repo import RequestRecord
from bot.staff.actors import actor_name
from bot.staff.fmt import HTML, Fmt, label, mention
from conversations.formatting import isolate
from conversations.keywords import is_acknowledgement

if TYPE_CHECKING:
    from bot.staff.views import StaffViews

#: How much of a note is quoted in the staff message (the audit trail keeps it whole).
MAX_QUOTED: Final = 600
#: The notes listed in a summary, newest last.
MAX_NOTES_SHOWN: Final = 5


def _cut(text: str, limit: int = MAX_QUOTED) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


class SayWords:
    def __init__(self, views: StaffViews) -> None:
        self.views = views
        self.texts = views.texts

    # ---- under the card ---------------------------------------------------------------

    def note_audit(self, text: str, files: int) -> str | None:
        """The note as the audit trail keeps it: the words, and how many files came."""
        parts = [text] if text else []
        if files:
            parts.append(
                self.texts.ngettext("(%(count)d file)", "(%(count)d files)", files)
                % {"count": files}
            )
        return " ".join(parts) or None

    def notes(self, number: str, notes: Sequence[Mapping[str, Any]]) -> str:
        """One staff message for the notes the person sent within the batch window."""
        _ = self.texts.gettext
        head = "📝 " + HTML.t(
            self.texts.ngettext(
                "The person added a note to request %(number)s:",
                "The person added %(count)d notes to request %(number)s:",
                len(notes),
            )
        ) % {"number": HTML.code(number), "count": len(notes)}
        lines = [head]
        files = 0
        for note in notes:
            text = str(note.get("text") or "")
            files += int(note.get("files") or 0)
            if text:
                lines.append("• " + HTML.t(isolate(_cut(text))))
        if files:
            lines.append(HTML.t(self._files_follow(files)))
        lines.append(HTML.t(_("Nothing changed in its status; the card shows the notes.")))
        return "\n".join(lines)

    def reconsider(
        self, number: str, reason: str, files: int = 0, *, decided_by: str | None = None
    ) -> str:
        _ = self.texts.gettext
        lines = [
            "🔁 "
            + HTML.t(_("The person asks for request %(number)s to be reconsidered."))
            % {"number": HTML.code(number)},
            HTML.b(_("Their reason:")) + " " + HTML.t(isolate(_cut(reason))),
        ]
        if decided_by and not decided_by.startswith(("resident:", "system")):
            # a mention notifies the officer who rejected it, from the staff group (§12d)
            who = mention(decided_by, actor_name(decided_by, self.texts), HTML, self.texts)
            lines.append(HTML.t(_("Rejected by %(officer)s.")) % {"officer": who})
        if files:
            lines.append(HTML.t(self._files_follow(files)))
        lines.append(HTML.t(_("Use the buttons on the card: reopen it, or keep it rejected.")))
        return "\n".join(lines)

    def reconsider_files(self, number: str, files: int) -> str:
        return "\n".join(
            [
                "🔁 "
                + HTML.t(
                    self.texts.gettext(
                        "The person sends more for their request to reconsider request %(number)s."
                    )
                )
                % {"number": HTML.code(number)},
                HTML.t(self._files_follow(files)),
            ]
        )

    def _files_follow(self, files: int) -> str:
        return self.texts.ngettext(
            "%(count)d new file follows.", "%(count)d new files follow.", files
        ) % {"count": files}

    def low_rating(self, number: str, rating: int, comment: str) -> str:
        _ = self.texts.gettext
        return "\n".join(
            [
                "⚠️ "
                + HTML.t(_("Low satisfaction (%(rating)d of 5) on request %(number)s."))
                % {"rating": rating, "number": HTML.code(number)},
                HTML.b(_("The person's comment:")) + " " + HTML.t(isolate(_cut(comment))),
            ]
        )

    # ---- in the summary ---------------------------------------------------------------

    def event_what(self, kind: str) -> str:
        """What an audit row that left the status as it was records."""
        _ = self.texts.gettext
        if kind == "note":
            return _("added a note")
        if kind == "reconsider":
            return _("asked for the rejection to be reconsidered")
        if kind == "kept":
            return _("kept the rejection after reconsidering")
        return kind

    def answer_words(self, answer: str, fmt: Fmt, *, files: int | None = None) -> str:
        """The person's answer to an officer's question as it reads after «Answer:» or
        «answered the question:»: in quotation marks, on one line (its lines joined by the
        language's list comma), cut at :data:`MAX_QUOTED`. An answer that is only an
        acknowledgement («تمام», «ok») that came with no file (``files`` 0; None when
        unknown, as in the card's history) says so (««تمام» فقط، دون تفاصيل»):
        found by the review of session 10, a bare «تمام» after «الرد:» read like the bot's
        own word, not the person's reply that brought nothing the officer asked for."""
        _ = self.texts.gettext
        lines = (" ".join(line.split()) for line in answer.splitlines())
        words = _cut(_(", ").join(line for line in lines if line))
        if files == 0 and is_acknowledgement(answer):
            quoted = _("«%(answer)s» only, with no details")
        else:
            quoted = _("«%(answer)s»")
        return fmt.t(quoted) % {"answer": fmt.user(words)}

    def reconsider_files_what(self, count: str | None) -> str:
        """What an audit row of files sent for a reconsideration records: that the person
        attached a file or photo, and how many (``count``, the row's reason, in digits)."""
        if count is None or not count.isdigit() or not int(count):
            return self.texts.gettext("attached files to the request for reconsideration")
        return self.texts.ngettext(
            "attached %(count)d file (a photo or a document) to the request for reconsideration",
            "attached %(count)d files (photos or documents) to the request for reconsideration",
            int(count),
        ) % {"count": int(count)}

    def summary_lines(self, record: RequestRecord, fmt: Fmt) -> list[str]:
        """The person's notes (newest last), an open reconsideration, and their rating."""
        _ = self.texts.gettext
        lines: list[str] = []
        notes = [e for e in record.events if e.kind == "note" and e.reason]
        if notes:
            lines.append(fmt.b(_("The person's notes:")))
            lines += [
                "• " + fmt.user(_cut(" ".join((e.reason or "").split()), 300))
                for e in notes[-MAX_NOTES_SHOWN:]
            ]
        if record.reconsider_reason:
            title = "🔁 " + _("The person asks for reconsideration")
            lines.append(fmt.b(title + ":") + " " + fmt.user(_cut(record.reconsider_reason)))
        if record.satisfaction is not None:
            rating = _("%(rating)d of 5") % {"rating": record.satisfaction}
            lines.append(label(fmt, _("The person's satisfaction"), rating))
            if record.satisfaction_comment:
                lines.append(
                    fmt.b(_("Their comment:")) + " " + fmt.user(_cut(record.satisfaction_comment))
                )
        return lines

    # ---- counts -----------------------------------------------------------------------

    def satisfaction(
        self,
        by_department: Mapping[str, tuple[float, int]],
        fmt: Fmt,
        title: str | None = None,
    ) -> list[str]:
        """``title`` (by default ``Satisfaction by department:``) and a line each: the
        average and how many."""
        _ = self.texts.gettext
        lines = [fmt.b(title or _("Satisfaction by department (average of 5):"))]
        if not by_department:
            return [*lines, fmt.t("• " + _("no ratings yet"))]
        for department, (average, count) in sorted(by_department.items()):
            lines.append(
                fmt.t(
                    "• "
                    + self.texts.ngettext(
                        "%(department)s: %(average).1f (%(count)d rating)",
                        "%(department)s: %(average).1f (%(count)d ratings)",
                        count,
                    )
                    % {
                        "department": self.views.department(department),
                        "average": average,
                        "count": count,
                    }
                )
            )
        return lines
