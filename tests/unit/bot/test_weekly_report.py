"""When the weekly report is due (Sunday from 08:00 Riyadh time, that Sunday only), which
week it covers, and its chart surviving the trip through an outbox row's JSON."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from PIL import Image

from bot.staff.chart import draw_stats_chart
from bot.staff.chart_data import ChartData
from bot.staff.chart_payload import chart_from_payload, chart_to_payload
from bot.staff.weekly import report_day, week_before, weekly_key
from domain.sla import RIYADH
from tests.unit.chart_samples import arabic_texts

SUNDAY = dt.date(2026, 11, 29)


def riyadh(day: dt.date, hh: int, mm: int = 0, ss: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm, ss), RIYADH).astimezone(dt.UTC)


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (riyadh(SUNDAY, 7, 59, 59), None),
        (riyadh(SUNDAY, 8, 0), SUNDAY),
        (riyadh(SUNDAY, 8, 1), SUNDAY),
        (riyadh(SUNDAY, 15, 30), SUNDAY),  # down at 08:00: caught up that afternoon
        (riyadh(SUNDAY, 23, 59, 59), SUNDAY),
        (riyadh(SUNDAY + dt.timedelta(days=1), 0, 0), None),  # not on Monday
        (riyadh(SUNDAY + dt.timedelta(days=1), 8, 0), None),
        (riyadh(SUNDAY - dt.timedelta(days=1), 8, 0), None),  # Saturday
        (riyadh(SUNDAY - dt.timedelta(days=2), 8, 0), None),  # Friday
    ],
)
def test_due_on_sunday_from_eight_riyadh_time(now: dt.datetime, due: dt.date | None) -> None:
    assert report_day(now) == due


def test_riyadh_time_not_the_servers() -> None:
    # 05:00 UTC is 08:00 in Riyadh; 04:59 UTC is not yet, whatever zone the host is in
    assert report_day(dt.datetime(2026, 11, 29, 5, 0, tzinfo=dt.UTC)) == SUNDAY
    assert report_day(dt.datetime(2026, 11, 29, 4, 59, tzinfo=dt.UTC)) is None
    # Saturday 23:30 UTC is already Sunday 02:30 in Riyadh: too early still
    assert report_day(dt.datetime(2026, 11, 28, 23, 30, tzinfo=dt.UTC)) is None
    new_york = dt.timezone(dt.timedelta(hours=-5))
    assert report_day(dt.datetime(2026, 11, 29, 0, 0, tzinfo=new_york)) == SUNDAY


def test_the_week_is_sunday_to_saturday_before_the_report() -> None:
    first, last = week_before(SUNDAY)
    assert (first, last) == (dt.date(2026, 11, 22), dt.date(2026, 11, 28))
    assert first.strftime("%A") == "Sunday" and last.strftime("%A") == "Saturday"
    assert weekly_key(SUNDAY) == "weekly:2026-11-29"


DATA = ChartData(
    [dt.date(2026, 11, 22) + dt.timedelta(days=i) for i in range(7)],
    received=[3, 5, 0, 0, 7, 4, 6],
    decided=[1, 2, 0, 0, 4, 5, 3],
    on_time={"passports": (9, 12), "residency": (4, 3)},
    oldest=[("4512345671", 12)],
    satisfaction={"passports": (4.5, 2)},
)
TEXTS = arabic_texts(
    title_days="الطلبات المستلمة والمبتوت فيها يوميًا (الأسبوع الماضي)",
    no_decisions="لم يُبتّ في أي طلب خلال الأسبوع الماضي",
    title_satisfaction="رضا المستفيدين هذا الأسبوع",
)


def test_the_chart_goes_through_json_and_draws_the_same() -> None:
    stored = json.loads(json.dumps(chart_to_payload(DATA, TEXTS)))
    data, texts = chart_from_payload(stored)
    assert data == DATA and texts == TEXTS
    image = Image.open(io.BytesIO(draw_stats_chart(data, texts)))
    assert image.format == "PNG" and image.width == 1080


@pytest.mark.parametrize(
    "damaged",
    [
        {},
        {"data": {}, "texts": {}},
        {"texts": {}, "data": {**chart_to_payload(DATA, TEXTS)["data"], "days": ["Sunday"]}},
        {**chart_to_payload(DATA, TEXTS), "texts": {"title_days": "x"}},
        {
            **chart_to_payload(DATA, TEXTS),
            "data": {**chart_to_payload(DATA, TEXTS)["data"], "received": [1]},
        },
    ],
)
def test_a_damaged_chart_payload_is_refused_not_drawn_wrong(damaged: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="not a chart payload"):
        chart_from_payload(damaged)
