"""The /stats and weekly charts' words in Arabic, as the staff group's officers read them,
for the tests that draw a chart or carry it through an outbox row."""

from __future__ import annotations

import dataclasses

from officers.charts import ChartTexts

ARABIC = ChartTexts(
    title_days="الطلبات المستلمة والمبتوت فيها يومياً",
    received="الطلبات المستلمة",
    decided="الطلبات المبتوت فيها",
    title_on_time="نسبة البتّ خلال ٧ أيام عمل حسب الإدارة",
    no_decisions="لم يُبتّ في أي طلب",
    title_oldest="أقدم الطلبات المفتوحة",
    days_open="أيام منذ التقديم",
    no_open="لا توجد طلبات مفتوحة.",
    title_satisfaction="الرضا حسب الإدارة (من ٥، وعدد التقييمات)",
    departments={"passports": "الجوازات", "residency": "الإقامة"},
    rtl=True,
)


def arabic_texts(**changed: str) -> ChartTexts:
    """:data:`ARABIC` with some of its words ``changed`` (a chart of another period)."""
    return dataclasses.replace(ARABIC, **changed)
