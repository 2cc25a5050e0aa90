"""What a person is told when a limit holds back a new request (bot.abuse.filing): how
many requests the day allows and when they can send theirs, at a Riyadh clock time, today
or tomorrow. The draft is kept, so sending it later costs one tap."""

from __future__ import annotations

import datetime as dt

from conversations.flow import Ctx
from conversations.ports import FilingPaused
from domain.sla import RIYADH, riyadh_date


def filing_paused(ctx: Ctx, paused: FilingPaused) -> str:
    _ = ctx.texts.gettext
    ngettext = ctx.texts.ngettext
    # the next whole minute, so «from 14:05» is never a minute early
    at = ctx.now + dt.timedelta(seconds=paused.wait_s + 59)
    local = at.astimezone(RIYADH)
    time = f"{local.hour:02d}:{local.minute:02d}"
    if riyadh_date(at) == riyadh_date(ctx.now):
        when = _("today from %(time)s, Riyadh time") % {"time": time}
    else:
        when = _("tomorrow from %(time)s, Riyadh time") % {"time": time}
    if paused.per == "identity":
        said = ngettext(
            "%(count)d request has been filed with this identity number in the last 24 hours, the most allowed.",
            "%(count)d requests have been filed with this identity number in the last 24 hours, the most allowed.",
            paused.count,
        )
    else:
        said = ngettext(
            "You have filed %(count)d request in the last 24 hours, the most allowed.",
            "You have filed %(count)d requests in the last 24 hours, the most allowed.",
            paused.count,
        )
    kept = _("Your request is kept here: you can send it %(when)s.") % {"when": when}
    return said % {"count": paused.count} + " " + kept
