"""The ``/stats`` chart: a PNG an officer reads on a phone. Top: requests received and
decided per day over the last 14 days; bottom: per department, the share of decisions made
within the 7 working days.

Drawn with matplotlib (Agg, no display), which is imported here on first use only: it costs
tens of megabytes and a second of start-up that a worker which never draws a chart should
not pay. Drawing is CPU work; call :func:`draw_stats_chart` off the event loop
(``asyncio.to_thread``).

Arabic: matplotlib from 3.11 lays text out with libraqm (``ft2font.__libraqm_version__``),
which joins the letters and orders right-to-left runs itself; older ones draw code points
one by one, so the label must be joined (``arabic_reshaper``) and put in visual order
(``bidi``) first. Doing both would draw the words backwards (see DESIGN, "Drawing Arabic into
images"), so :func:`shape` does one or the other. The font is Amiri (both scripts), found as
the receipt card finds it.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from typing import Any

from bot.fonts import font_file
from bot.staff.chart_data import ChartData
from officers.charts import ChartTexts

#: Width in inches at :data:`DPI` (1080 pixels, a phone's screen width); each panel adds
#: :data:`PANEL_IN` of height (three panels: 1080 x 1620, with satisfaction four: 1080 x 2160).
WIDTH_IN = 7.2
PANEL_IN = 3.6
DPI = 150

_RECEIVED = "#1f6f8b"
_DECIDED = "#2e9e6a"
_LATE = "#d9dde1"


@cache
def layout_shapes_arabic() -> bool:
    """True when this matplotlib joins and orders Arabic itself (built with libraqm)."""
    from matplotlib import ft2font

    return bool(getattr(ft2font, "__libraqm_version__", None))


def shape(text: str, *, raqm: bool | None = None) -> str:
    """``text`` as it must be handed to matplotlib to come out joined and right to left."""
    if raqm is None:
        raqm = layout_shapes_arabic()
    if raqm or not any("\u0600" <= ch <= "\u06ff" for ch in text):
        return text
    import arabic_reshaper
    from bidi.algorithm import get_display

    return str(get_display(arabic_reshaper.reshape(text)))


def draw_stats_chart(data: ChartData, texts: ChartTexts) -> bytes:
    """The chart as PNG bytes, 1080 pixels wide. Raises what matplotlib raises."""
    out = io.BytesIO()
    stats_figure(data, texts).savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def stats_figure(data: ChartData, texts: ChartTexts) -> Any:
    """The chart as a matplotlib ``Figure`` (its texts are what will be drawn)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    font = FontProperties(fname=str(font_file()), size=13)
    bold = FontProperties(fname=str(font_file(bold=True)), size=16)
    panels = 4 if data.satisfaction else 3
    figure = Figure(figsize=(WIDTH_IN, PANEL_IN * panels), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(panels, 1, height_ratios=(1.3, 1, 1, 1)[:panels])
    _per_day(axes[0], data, texts, font, bold)
    _on_time(axes[1], data, texts, font, bold)
    _oldest(axes[2], data, texts, font, bold)
    if data.satisfaction:
        _satisfaction(axes[3], data, texts, font, bold)
    return figure


def _per_day(ax: Any, data: ChartData, texts: ChartTexts, font: Any, bold: Any) -> None:
    xs = list(range(len(data.days)))
    width = 0.4
    ax.bar(
        [x - width / 2 for x in xs],
        data.received,
        width,
        color=_RECEIVED,
        label=shape(texts.received),
    )
    ax.bar(
        [x + width / 2 for x in xs], data.decided, width, color=_DECIDED, label=shape(texts.decided)
    )
    ax.set_title(shape(texts.title_days), fontproperties=bold)
    ax.set_xticks(xs, [_day(d) for d in data.days], rotation=60, fontproperties=font)
    ax.yaxis.get_major_locator().set_params(integer=True)
    for tick in ax.get_yticklabels():
        tick.set_fontproperties(font)
    ax.legend(prop=font, loc="upper right" if texts.rtl else "upper left", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    if texts.rtl:
        ax.invert_xaxis()  # time runs right to left for an Arabic reader
    ax.grid(axis="y", color=_LATE, linewidth=0.8)
    ax.set_axisbelow(True)


def _on_time(ax: Any, data: ChartData, texts: ChartTexts, font: Any, bold: Any) -> None:
    ax.set_title(shape(texts.title_on_time), fontproperties=bold)
    ax.spines[["top", "right"]].set_visible(False)
    if not data.on_time:
        ax.set_axis_off()
        ax.text(0.5, 0.5, shape(texts.no_decisions), ha="center", va="center", fontproperties=font)
        return
    names = [shape(texts.departments.get(d, d)) for d in data.on_time]
    shares = [100 * good / total for good, total in data.on_time.values()]
    ys = list(range(len(names)))
    ax.barh(ys, [100] * len(ys), color=_LATE, height=0.6)
    ax.barh(ys, shares, color=_DECIDED, height=0.6)
    ax.set_yticks(ys, names, fontproperties=font)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"], fontproperties=font)
    # the figures sit at the far end from the names, so the two never overlap
    for y, share, (good, total) in zip(ys, shares, data.on_time.values(), strict=True):
        ax.text(98, y, f"{share:.0f}%  ({good}/{total})", va="center", ha="right",
                fontproperties=font, color="black")  # fmt: skip
    ax.tick_params(axis="y", length=0, pad=8)
    if texts.rtl:
        ax.invert_xaxis()
        ax.yaxis.tick_right()
        ax.spines["left"].set_visible(False)
        ax.spines["right"].set_visible(True)
        for label in ax.texts:
            label.set_horizontalalignment("left")


def _oldest(ax: Any, data: ChartData, texts: ChartTexts, font: Any, bold: Any) -> None:
    ax.set_title(shape(texts.title_oldest), fontproperties=bold)
    ax.spines[["top", "right"]].set_visible(False)
    if not data.oldest:
        ax.set_axis_off()
        ax.text(0.5, 0.5, shape(texts.no_open), ha="center", va="center", fontproperties=font)
        return
    ys = list(range(len(data.oldest)))
    ax.barh(ys, [days for _, days in data.oldest], color=_RECEIVED, height=0.6)
    ax.set_yticks(ys, [number for number, _ in data.oldest], fontproperties=font)
    ax.invert_yaxis()
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel(shape(texts.days_open), fontproperties=font)
    for tick in ax.get_xticklabels():
        tick.set_fontproperties(font)
    ax.tick_params(axis="y", length=0, pad=8)
    if texts.rtl:
        _mirror(ax)


def _satisfaction(ax: Any, data: ChartData, texts: ChartTexts, font: Any, bold: Any) -> None:
    ax.set_title(shape(texts.title_satisfaction), fontproperties=bold)
    ax.spines[["top", "right"]].set_visible(False)
    names = [shape(texts.departments.get(d, d)) for d in data.satisfaction]
    ys = list(range(len(names)))
    averages = [average for average, _ in data.satisfaction.values()]
    ax.barh(ys, [5] * len(ys), color=_LATE, height=0.6)
    ax.barh(ys, averages, color=_DECIDED, height=0.6)
    ax.set_yticks(ys, names, fontproperties=font)
    ax.invert_yaxis()
    ax.set_xlim(0, 5)
    ax.set_xticks([0, 1, 2, 3, 4, 5], ["0", "1", "2", "3", "4", "5"], fontproperties=font)
    for y, (average, count) in zip(ys, data.satisfaction.values(), strict=True):
        ax.text(4.9, y, f"{average:.1f}/5  ({count})", va="center", ha="right",
                fontproperties=font)  # fmt: skip
    ax.tick_params(axis="y", length=0, pad=8)
    if texts.rtl:
        _mirror(ax)
        for label in ax.texts:
            label.set_horizontalalignment("left")


def _mirror(ax: Any) -> None:
    """Bars grow from the right and the names stand on the right, for an Arabic reader."""
    ax.invert_xaxis()
    ax.yaxis.tick_right()
    ax.spines["left"].set_visible(False)
    ax.spines["right"].set_visible(True)


def _day(day: dt.date) -> str:
    return f"{day.day}/{day.month}"
