"""The request card in the staff group, and the digest that stands in for several cards
when the group's message budget is short.

A card is the request as it stands (rendered by :meth:`bot.staff.views.StaffViews.summary`,
which escapes every piece of text it puts into the HTML) under a status line, with the
buttons the status allows. The buttons carry ``st:<action>:<number>``, which the staff
router (:mod:`bot.staff.router`) reads; that stays far below Telegram's 64-byte limit for
callback_data because request numbers are 10 ASCII digits.

Rendering is pure: the delivery reads the request, renders, and sends or edits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from bot.db.requests_repo import RequestRecord
from bot.staff.actors import actor_name
from bot.staff.callbacks import (
    ACCEPT,
    ASK,
    BLOCK,
    KEEP_REJECTED,
    REJECT,
    REOPEN,
    REOPEN_ASKED,
    TAKE,
    UNBLOCK,
    action_data,
    block_mark,
    version,
)
from bot.staff.views import HTML, StaffViews
from domain.status import FINAL, RequestStatus

#: Telegram's limit for a message text.
MAX_TEXT: Final = 4096
#: Requests listed in one digest message (one button each).
DIGEST_SIZE: Final = 10

#: A mark per status, so a busy group can be scanned by eye.
STATUS_MARKS: Final[Mapping[RequestStatus, str]] = {
    RequestStatus.RECEIVED: "🆕",
    RequestStatus.UNDER_REVIEW: "🔎",
    RequestStatus.NEEDS_INFO: "⏸️",
    RequestStatus.ACCEPTED: "✅",
    RequestStatus.REJECTED: "❌",
}


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str


@dataclass(frozen=True, slots=True)
class StaffMessage:
    """A text in Telegram HTML and its inline keyboard, row by row."""

    html: str
    buttons: tuple[tuple[Button, ...], ...] = ()


class CardRenderer:
    """Cards and digests in the staff group's language."""

    def __init__(self, views: StaffViews) -> None:
        self.views = views
        self._ = views.texts.gettext

    # ---- one request ------------------------------------------------------------------

    def card(self, record: RequestRecord, *, today: dt.date) -> StaffMessage:
        for candidate in _shrinking(record):
            text = self._card_text(candidate, today)
            if len(text) <= MAX_TEXT:
                break
        # the last version is short enough by construction: 400 characters of free text,
        # five times that once escaped, and labels
        return StaffMessage(text, self.buttons(record))

    def _card_text(self, record: RequestRecord, today: dt.date) -> str:
        # the summary starts with the request number; the mark in front of it shows the
        # status at a glance in a busy group
        text = STATUS_MARKS[record.status] + " " + self.views.summary(record, HTML, today=today)
        if record.sender_blocked_by is not None:
            text += "\n\n" + self._blocked_line(record)
        return text

    def _blocked_line(self, record: RequestRecord) -> str:
        """The block standing on the person (who, why: the reason as typed, escaped), and
        how to lift it: the card then offers «Lift the block» instead of «Block»."""
        _ = self._
        by = actor_name(record.sender_blocked_by or "", self.views.texts)
        head = HTML.b("⛔ " + _("The sender is blocked by %(officer)s.") % {"officer": by})
        reason = HTML.b(_("Reason:")) + " " + HTML.user(record.sender_block_reason or "")
        lift = HTML.t(
            _("To lift it: «%(button)s» below, or /unblock %(number)s.")
            % {"button": _("Lift the block"), "number": record.number}
        )
        return "\n".join((head, reason, lift))

    def buttons(self, record: RequestRecord) -> tuple[tuple[Button, ...], ...]:
        """The card's keyboard, row by row (see :meth:`_rows`); no empty row."""
        return tuple(row for row in self._rows(record) if row)

    def _rows(self, record: RequestRecord) -> tuple[tuple[Button, ...], ...]:
        """What can be done now: take while nobody has it; ask while it is open and not
        already waiting for an answer; accept or reject while open; undo or reopen when
        decided; block the sender, or lift the block (the card then says so). Each
        button carries the request's version (see :mod:`bot.staff.callbacks`)."""
        _ = self._
        number, v = record.number, version(record)
        # the person behind the request can be blocked whatever its status (bot.abuse),
        # and a block lifted from the card that says so (session 12's notes: only
        # «/unblock N» was named)
        block = (
            (Button("⛔ " + _("Block the sender"), action_data(BLOCK, number, v)),)
            if record.sender_blocked_by is None
            else (Button("🔓 " + _("Lift the block"), self._lift_data(record, v)),)
        )
        if record.status is RequestStatus.REJECTED and record.reconsider_reason:
            # the person asked for reconsideration: the card proposes to reopen
            return (
                (
                    Button("🔁 " + _("Reopen as asked"), action_data(REOPEN_ASKED, number, v)),
                    Button("🚫 " + _("Keep rejected"), action_data(KEEP_REJECTED, number, v)),
                ),
                block,
            )
        if record.status in FINAL:
            return (
                (Button("↩️ " + _("Undo or reopen"), action_data(REOPEN, number, v)),),
                block,
            )
        rows: list[tuple[Button, ...]] = []
        first: list[Button] = []
        if record.assigned_to is None:
            first.append(Button("✋ " + _("Take"), action_data(TAKE, number, v)))
        if record.status is not RequestStatus.NEEDS_INFO:
            first.append(Button("❓ " + _("Ask for information"), action_data(ASK, number, v)))
        if first:
            rows.append(tuple(first))
        rows.append(
            (
                Button("✅ " + _("Accept"), action_data(ACCEPT, number, v)),
                Button("❌ " + _("Reject"), action_data(REJECT, number, v)),
            )
        )
        rows.append(block)
        return tuple(rows)

    @staticmethod
    def _lift_data(record: RequestRecord, v: int) -> str:
        """«Lift the block»'s callback: the block the card shows, by its mark, so a press
        after it changed lifts nothing (:func:`bot.staff.callbacks.block_mark`)."""
        mark = block_mark(record.sender_blocked_by or "", record.sender_block_reason or "")
        return action_data(UNBLOCK, record.number, v, mark)

    def preview(self, record: RequestRecord) -> str:
        """What the card says at a glance (mark, status, responsible officer): the first
        answer to a tap shows it, before the card itself is edited."""
        _ = self._
        officer = record.assigned_name if record.assigned_to else None
        return _("The card now reads: %(mark)s %(status)s — %(officer)s") % {
            "mark": STATUS_MARKS[record.status],
            "status": self.views.status(record.status),
            "officer": officer or _("nobody yet"),
        }

    # ---- several new requests at once --------------------------------------------------

    def digest(self, records: Sequence[RequestRecord], *, today: dt.date) -> StaffMessage:
        """Up to :data:`DIGEST_SIZE` new requests in one message, a take button each. The
        full card of a request follows when someone takes it."""
        if not 1 <= len(records) <= DIGEST_SIZE:
            raise ValueError(f"a digest lists 1 to {DIGEST_SIZE} requests")
        _ = self._
        head = HTML.b(
            "🆕 "
            + self.views.texts.ngettext(
                "%(count)d new request", "%(count)d new requests", len(records)
            )
            % {"count": len(records)}
        )
        foot = HTML.t(_("Take a request to see its full card and documents."))
        lines = [head]
        size = len(head) + len(foot) + 2
        for record in records:
            line = self.views.line(record, HTML, today=today)
            size += len(line) + 1
            if size > MAX_TEXT:  # never in practice: ten short lines
                break
            lines.append(line)
        lines.append(foot)
        buttons = tuple(
            (
                Button(
                    "✋ " + _("Take %(number)s") % {"number": r.number},
                    action_data(TAKE, r.number, version(r)),
                ),
            )
            for r in records
        )
        return StaffMessage("\n".join(lines), buttons)


def _shrinking(record: RequestRecord) -> list[RequestRecord]:
    """The record as is, then with ever shorter free texts, until a card fits. Cut before
    escaping (escaping can make a text up to five times longer, so the length is measured
    on the HTML, which is never shorter than what Telegram counts)."""

    def cut(text: str | None, limit: int) -> str | None:
        if text is None or len(text) <= limit:
            return text
        return text[:limit] + "…"

    versions = [record]
    for description, question, events, reason, caption in (
        (600, 800, 3, 200, 100),
        (100, 200, 0, 0, 0),
    ):
        versions.append(
            dataclasses.replace(
                record,
                description=cut(record.description, description) or "",
                # the album under the card still carries every caption whole
                attachments=tuple(
                    dataclasses.replace(a, caption=cut(a.caption, caption) if caption else None)
                    for a in record.attachments
                ),
                pending_question=cut(record.pending_question, question),
                decision_reason=cut(record.decision_reason, question),
                # the person's say: the messages under the card carry it whole
                reconsider_reason=cut(record.reconsider_reason, question),
                satisfaction_comment=cut(record.satisfaction_comment, question),
                sender_block_reason=cut(record.sender_block_reason, question),
                events=tuple(
                    dataclasses.replace(e, reason=cut(e.reason, reason))
                    for e in record.events[len(record.events) - events :]
                )
                if events
                else (),
            )
        )
    return versions
