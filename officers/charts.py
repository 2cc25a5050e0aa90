"""The words of the officers' chart, for ``/stats`` (the last 14 days) and for the weekly
report (the week just ended): one builder, the period's own words passed in, so the two
charts cannot drift apart in the words they share.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from officers.words import N_, Gettext


@dataclass(frozen=True, slots=True)
class ChartTexts:
    """The chart's words in the officer's language, as drawn (``bot.staff.chart``) and as
    kept in an outbox row (``bot.staff.chart_payload``)."""

    title_days: str
    received: str
    decided: str
    title_on_time: str
    no_decisions: str
    title_oldest: str
    days_open: str
    no_open: str
    title_satisfaction: str
    departments: Mapping[str, str]
    rtl: bool


@dataclass(frozen=True, slots=True)
class ChartPeriod:
    """The words that name a chart's period, as msgids (translated by :func:`chart_texts`):
    the per-day panel's title, what the on-time panel says when nothing was decided, and
    the satisfaction panel's title."""

    title_days: str
    no_decisions: str
    title_satisfaction: str


#: ``/stats``: the last 14 days, today included.
LAST_14_DAYS: Final = ChartPeriod(
    title_days=N_("Requests received and decided per day (last 14 days)"),
    no_decisions=N_("No decision in the last 14 days"),
    title_satisfaction=N_("Satisfaction by department (out of 5, how many ratings)"),
)
#: The weekly report: the Sunday-to-Saturday week that ended the day before.
PAST_WEEK: Final = ChartPeriod(
    title_days=N_("Requests received and decided per day (the past week)"),
    no_decisions=N_("No decision in the past week"),
    title_satisfaction=N_("Satisfaction this week by department (out of 5, how many ratings)"),
)


def chart_texts(
    _: Gettext,
    period: ChartPeriod,
    departments: Iterable[str],
    department_name: Callable[[str], str],
    *,
    rtl: bool,
) -> ChartTexts:
    """The chart's words: ``period``'s and the words every chart shares, translated by
    ``_``; ``departments`` (ids, repeats allowed) named by ``department_name``; ``rtl``
    when the language is written right to left (Arabic)."""
    return ChartTexts(
        title_days=_(period.title_days),
        received=_("Requests received"),
        decided=_("Requests decided"),
        title_on_time=_("Decided within 7 working days, by department"),
        no_decisions=_(period.no_decisions),
        title_oldest=_("The oldest open requests"),
        days_open=_("Days since filed"),
        no_open=_("No open requests."),
        title_satisfaction=_(period.title_satisfaction),
        departments={d: department_name(d) for d in departments},
        rtl=rtl,
    )
