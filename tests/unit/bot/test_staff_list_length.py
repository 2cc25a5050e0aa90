"""A long list (/overdue and the others) fits in one Telegram message. Found in session 15:
forty overdue lines of «بلاغات التغيب عن العمل» with a late count and an officer's name
came to some 4,700 characters, past Telegram's 4096, so /overdue would have been refused
just when the most requests were late; the lines stopped at forty only."""

from __future__ import annotations

import datetime as dt
import html
import re

from bot.db.requests_repo import RequestRecord
from bot.staff.views import HTML, StaffViews
from domain.catalogue import load_catalogue
from domain.status import RequestStatus
from tests.unit.bot.test_cards import record

TELEGRAM_MAX = 4096


def _late(count: int, *, status: RequestStatus = RequestStatus.UNDER_REVIEW) -> list[RequestRecord]:
    return [
        record(
            number=f"64184070{i:02d}",
            service_id="absence_report",
            status=status,
            assigned_to="officer:7001",
            assigned_name="عبدالرحمن بن عبدالعزيز",
            due_date=dt.date(2026, 9, 1),
        )
        for i in range(count)
    ]


def _more(views: StaffViews, rest: int) -> str:
    return views.texts.ngettext("…and %(count)d more.", "…and %(count)d more.", rest) % {
        "count": rest
    }


def _shown(text: str) -> str:
    """What Telegram counts: the text without its HTML tags and entities."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def test_a_long_overdue_list_fits_in_one_message_and_says_how_many_more() -> None:
    views = StaffViews(load_catalogue(), locale="ar")
    text = views.overdue(_late(45), HTML, today=dt.date(2026, 12, 10))
    assert len(_shown(text)) <= TELEGRAM_MAX
    listed = text.count("<code>")
    assert 20 < listed < 45
    assert text.splitlines()[-1] == _more(views, 45 - listed)


def test_the_paused_ones_after_a_full_list_still_fit() -> None:
    views = StaffViews(load_catalogue(), locale="ar")
    waiting = _late(10, status=RequestStatus.NEEDS_INFO)
    text = views.overdue(_late(45), HTML, today=dt.date(2026, 12, 10), waiting=waiting)
    assert len(_shown(text)) <= TELEGRAM_MAX
    assert text.splitlines()[-1] == _more(views, 10)  # «…و10 طلبات أخرى.»: the paused ones


def test_a_short_list_is_whole() -> None:
    views = StaffViews(load_catalogue(), locale="ar")
    text = views.overdue(_late(3), HTML, today=dt.date(2026, 12, 10))
    assert text.count("<code>") == 3 and len(text.splitlines()) == 4
