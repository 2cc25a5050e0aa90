"""A person's requests as a list shows them («طلباتك» at the status look-up, «ما الطلب الذي
تخصّه ملاحظتك؟»): what tells two requests for one service apart.

Found by the fresh-clone tester (14, §5): «1) 9824034350 · تجديد هوية مقيم» and «2)
6127080163 · تجديد هوية مقيم» — one the person's own iqama, one their wife's — with no
date and no word of whom each is for. A row's label now names whom it is for, as the person
answered «لمن هذا الطلب؟» (the service's own option label, «لي أنا», «تابع لي أو مكفول لدي»:
domain/data/services.json), or for an establishment its worker's identity number masked as
the intake shows it (domain.identity.mask_identity); and the list's text gives each
request's filing day in both calendars, as the rest of the bot writes dates
(conversations.formatting.format_long_date). Labels stay short for the buttons (WhatsApp
cuts a row's title at 24 characters and shows the whole label under it, up to 72); the
dates, too long for a button, go in the text above them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from conversations.flow import Ctx
from conversations.formatting import format_long_date, isolate
from conversations.ports import StatusView
from domain.catalogue import local
from domain.sla import riyadh_date

#: The eligibility question whose answer says whom a request is for.
_FOR_WHOM = "for_whom"
#: How many items a row kept in the dialogue state has (:func:`row_of`); a row kept by an
#: earlier version was [number, service name].
_ROW_ITEMS = 6


def row_of(view: StatusView) -> list[str]:
    """What a list keeps of ``view`` in the dialogue state (JSON, no personal data beyond
    the masked worker's number), rendered in the person's language when shown, so that
    «English» at the list shows it in English: [number, service id, filed at (ISO),
    applicant kind, whom it is for or "", masked worker's number or ""]."""
    return [
        view.number,
        view.service_id,
        view.submitted_at.isoformat(),
        view.applicant_kind,
        view.for_whom or "",
        view.holder,
    ]


def whose(ctx: Ctx, row: Sequence[str]) -> str:
    """Whom the request of ``row`` is for, in the person's words («لي أنا», «فرد من
    أسرتي»), or its worker's masked number for an establishment; "" when nothing says (a
    service that does not ask, an unknown answer)."""
    _ = ctx.texts.gettext
    _number, service_id, _filed, applicant_kind, for_whom, holder = row
    if applicant_kind == "establishment":
        return _("worker %(number)s") % {"number": isolate(holder)} if holder else ""
    if not for_whom:
        return ""
    try:
        service = ctx.catalogue.get(service_id)
    except KeyError:
        return ""
    for question in service.questions_for(applicant_kind):
        if question.id == _FOR_WHOM:
            try:
                return local(question.option(for_whom).label, ctx.locale)
            except KeyError:
                return ""
    return ""


def row_label(ctx: Ctx, row: Sequence[str]) -> str:
    """«9824034350 · تجديد هوية مقيم · تابع لي أو مكفول لدي»: the number, the service and,
    when known, whom it is for."""
    if len(row) != _ROW_ITEMS:
        return " · ".join(row[:2])  # kept by an earlier version: [number, service name]
    try:
        service = local(ctx.catalogue.get(row[1]).name, ctx.locale)
    except KeyError:
        service = row[1]
    who = whose(ctx, row)
    return " · ".join((row[0], service, who) if who else (row[0], service))


def filed_lines(ctx: Ctx, rows: Sequence[Sequence[str]]) -> str:
    """«9824034350: قُدّم يوم الثلاثاء ١٠ جمادى الآخرة ١٤٤٨هـ، الموافق ١ ديسمبر ٢٠٢٦م», one
    line for each of ``rows`` in the list's order (the Riyadh day, both calendars); none for
    a row kept by an earlier version."""
    _ = ctx.texts.gettext
    lines = []
    for row in rows:
        if len(row) != _ROW_ITEMS:
            continue
        day = format_long_date(riyadh_date(dt.datetime.fromisoformat(row[2])), ctx.texts)
        lines.append(_("%(number)s: filed on %(date)s") % {"number": isolate(row[0]), "date": day})
    return "\n".join(lines)
