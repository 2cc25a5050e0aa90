"""A request's history as officers read it, one line an audit row, naming who acted
(split from :mod:`bot.staff.views` when it passed 400 lines)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.db.requests_repo import StatusEventRecord
from bot.staff.actors import actor_name
from bot.staff.fmt import Fmt, moment
from bot.staff.say_words import SayWords
from domain.status import FINAL, RequestStatus
from officers.their_say import RECONSIDER, RECONSIDER_FILES

if TYPE_CHECKING:
    from bot.staff.views import StaffViews


def history_line(
    views: StaffViews, event: StatusEventRecord, fmt: Fmt, *, as_asked: bool = False
) -> str:
    """``• when — who: what``, every line naming who acted. ``as_asked``: the event
    is a reopening that answered the person's reconsideration, whose reason is the
    person's words, said as theirs (tester 15: they read as the officer's reason)."""
    _ = views.texts.gettext
    who = actor_name(event.actor, views.texts)
    reason = event.reason
    if as_asked and reason:
        what = _("reopened; the person had asked for reconsideration: %(words)s")
        words = SayWords(views).answer_words(reason, fmt)
        return f"• {fmt.t(moment(event.at))} — {fmt.user(who)}: {fmt.t(what) % {'words': words}}"
    if event.kind == RECONSIDER_FILES:
        what, reason = SayWords(views).reconsider_files_what(reason), None
    elif event.kind is not None:
        what = SayWords(views).event_what(event.kind)
    elif event.from_status is None:
        what = _("filed the request")
    elif event.from_status == event.to_status:
        previous = _legacy_previous(reason)
        what = (
            _("took the request over from %(name)s") % {"name": previous}
            if previous
            else _("took the request")
        )
        reason = None
    elif (
        event.from_status is RequestStatus.RECEIVED
        and event.to_status is RequestStatus.UNDER_REVIEW
    ):
        what = _("took the request")
    elif event.to_status is RequestStatus.NEEDS_INFO:
        what = _("asked the person")
    elif event.from_status is RequestStatus.NEEDS_INFO and event.actor.startswith("resident:"):
        what = _("answered the question")
        if reason:  # quoted, on one line, so a bare «تمام» reads as their word
            said = SayWords(views).answer_words(reason, fmt)
            return f"• {fmt.t(moment(event.at))} — {fmt.user(who)}: {fmt.t(what)}: {said}"
    elif event.to_status is RequestStatus.ACCEPTED:
        what = _("accepted")
    elif event.to_status is RequestStatus.REJECTED:
        what = _("rejected")
    elif event.from_status in FINAL:
        what = _("reopened") if reason else _("undid the decision before the person was told")
    else:
        what = views.status(event.to_status)
    line = f"• {fmt.t(moment(event.at))} — {fmt.user(who)}: {fmt.t(what)}"
    if reason:
        line += f": {fmt.user(reason)}"
    return line


def _legacy_previous(reason: str | None) -> str | None:
    """The previous officer's name in a take event (rows before names were kept wrote
    ``taken`` or ``taken over from <name>``)."""
    if not reason or reason == "taken":
        return None
    return reason.removeprefix("taken over from ")


def reopened_as_asked(events: Sequence[StatusEventRecord]) -> set[int]:
    """The positions of the reopenings that answered a reconsideration: a move from a
    decision back to review whose reason is the words of the reconsideration asked
    before it (``DeskCore.reopen_on_request`` records them as the reason, so older
    trails read the same way)."""
    found: set[int] = set()
    asked: str | None = None
    for at, event in enumerate(events):
        if event.kind == RECONSIDER:
            asked = event.reason
        elif (
            event.kind is None
            and event.from_status in FINAL
            and event.to_status not in FINAL
            and asked
            and event.reason == asked
        ):
            found.add(at)
            asked = None
    return found
