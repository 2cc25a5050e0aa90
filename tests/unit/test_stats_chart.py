"""The /stats chart drawn on known numbers: a PNG a phone shows well, and Arabic labels that
come out joined whichever way this matplotlib lays text out."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys

import pytest
from PIL import Image

from bot.staff import chart
from bot.staff.chart import draw_stats_chart, shape, stats_figure
from bot.staff.chart_data import ChartData
from tests.unit.chart_samples import ARABIC

DAYS = [dt.date(2026, 11, 18) + dt.timedelta(days=i) for i in range(14)]
DATA = ChartData(
    DAYS,
    received=[3, 5, 0, 0, 7, 4, 6, 2, 8, 0, 0, 5, 6, 4],
    decided=[1, 2, 0, 0, 4, 5, 3, 3, 6, 0, 0, 4, 5, 2],
    on_time={"passports": (9, 12), "residency": (4, 8)},
    oldest=[("4512345671", 12), ("4598765432", 9), ("4500000017", 3)],
    satisfaction={"passports": (4.2, 10), "residency": (2.5, 4)},
)
TEXTS = ARABIC


def _presentation_forms(text: str) -> int:
    return sum("\ufe70" <= ch <= "\ufeff" for ch in text)


def _plain_letters(text: str) -> int:
    return sum("\u0621" <= ch <= "\u064a" for ch in text)


def _texts(figure: object) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in figure.findobj(Text)]  # type: ignore[attr-defined]


def test_the_chart_is_a_png_a_phone_shows_whole() -> None:
    png = draw_stats_chart(DATA, TEXTS)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (1080, 2160)  # four panels: satisfaction is there
    assert 20_000 < len(png) < 1_000_000
    colours = {c for _, c in image.convert("RGB").getcolors(1_000_000) or []}
    assert (0x2E, 0x9E, 0x6A) in colours and (0x1F, 0x6F, 0x8B) in colours  # both series drawn


def test_without_libraqm_labels_reach_matplotlib_joined_and_in_visual_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(chart, "layout_shapes_arabic", lambda: False)
    drawn = _texts(stats_figure(DATA, TEXTS))
    title = next(t for t in drawn if _presentation_forms(t) > 10 and "14" not in t and len(t) > 20)
    assert _plain_letters(title) == 0  # no letter left unjoined
    assert all(_plain_letters(t) == 0 for t in drawn)


def test_with_libraqm_labels_reach_matplotlib_as_written() -> None:
    """matplotlib 3.11+ joins and orders Arabic itself: shaping it first as well would
    draw every word backwards (DESIGN, "Drawing Arabic into images")."""
    if not chart.layout_shapes_arabic():
        pytest.fail("this environment's matplotlib has no libraqm; the test expects >= 3.11")
    drawn = _texts(stats_figure(DATA, TEXTS))
    assert TEXTS.title_days in drawn and "الجوازات" in drawn
    assert all(_presentation_forms(t) == 0 for t in drawn)


def test_shape_joins_only_when_the_layout_cannot() -> None:
    joined = shape("الجوازات", raqm=False)
    assert _presentation_forms(joined) == len("الجوازات") and _plain_letters(joined) == 0
    assert joined[0] == "ﺕ"  # visual order: the last letter is drawn first, leftmost
    assert shape("الجوازات", raqm=True) == "الجوازات"
    assert shape("100% (9/12)", raqm=False) == "100% (9/12)"


def test_no_decision_yet_is_said_not_drawn_as_empty_bars() -> None:
    empty = ChartData(DAYS, [0] * 14, [0] * 14, {})
    drawn = _texts(stats_figure(empty, TEXTS))
    assert "لم يُبتّ في أي طلب" in drawn and "لا توجد طلبات مفتوحة." in drawn
    assert not any("الرضا" in t for t in drawn)  # no ratings: no satisfaction panel
    assert Image.open(io.BytesIO(draw_stats_chart(empty, TEXTS))).size == (1080, 1620)


def test_the_oldest_open_requests_and_satisfaction_are_named() -> None:
    drawn = _texts(stats_figure(DATA, TEXTS))
    assert {"4512345671", "4598765432", "4500000017"} <= set(drawn)
    assert "4.2/5  (10)" in drawn and "2.5/5  (4)" in drawn


def test_matplotlib_is_not_imported_until_a_chart_is_drawn() -> None:
    code = "import sys, bot.staff.router, bot.staff.commands; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
