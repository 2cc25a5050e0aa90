"""The weekly report's outbox key and its chart surviving the trip through an outbox row's
JSON. (When it is due and which week it covers: tests/unit/officers/test_weekly.py.)"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from PIL import Image

from bot.staff.chart import draw_stats_chart
from bot.staff.chart_payload import chart_from_payload, chart_to_payload
from bot.staff.weekly import weekly_key
from officers.report_figures import ChartData
from tests.unit.chart_samples import arabic_texts

SUNDAY = dt.date(2026, 11, 29)


def test_the_report_is_kept_once_per_sunday() -> None:
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
