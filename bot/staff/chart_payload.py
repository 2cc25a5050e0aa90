"""A chart as JSON in an outbox row: its numbers and its words, so the row alone is enough
to draw it when it is delivered, on any worker, after any restart.

The PNG itself is not stored: drawn when sent, it costs no disk (a weekly report held
while the group is unreachable would otherwise keep a file the media sweep knows nothing
about) and the row stays a few kilobytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from bot.staff.chart_data import ChartData
from officers.charts import ChartTexts


def chart_to_payload(data: ChartData, texts: ChartTexts) -> dict[str, Any]:
    """``{"data": {...}, "texts": {...}}``, JSON-ready (days as ISO strings)."""
    return {
        "data": {
            "days": [day.isoformat() for day in data.days],
            "received": list(data.received),
            "decided": list(data.decided),
            "on_time": {d: list(pair) for d, pair in data.on_time.items()},
            "oldest": [list(pair) for pair in data.oldest],
            "satisfaction": {d: list(pair) for d, pair in data.satisfaction.items()},
        },
        "texts": {**asdict(texts), "departments": dict(texts.departments)},
    }


def chart_from_payload(payload: Any) -> tuple[ChartData, ChartTexts]:
    """The chart back from :func:`chart_to_payload`'s output. Raises ValueError on a
    payload of another shape (a row written by other code, or damaged)."""
    try:
        raw = payload["data"]
        data = ChartData(
            days=[dt.date.fromisoformat(day) for day in raw["days"]],
            received=[int(n) for n in raw["received"]],
            decided=[int(n) for n in raw["decided"]],
            on_time={
                str(d): (int(good), int(total)) for d, (good, total) in raw["on_time"].items()
            },
            oldest=[(str(number), int(days)) for number, days in raw["oldest"]],
            satisfaction={
                str(d): (float(average), int(count))
                for d, (average, count) in raw["satisfaction"].items()
            },
        )
        texts = ChartTexts(**payload["texts"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"not a chart payload: {type(exc).__name__}") from None
    if not (len(data.days) == len(data.received) == len(data.decided)):
        raise ValueError("not a chart payload: days and counts differ in length")
    return data, texts
