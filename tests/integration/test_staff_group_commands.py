"""The staff group's commands through the real staff router (the harness of
test_staff_router: aiogram, the Bot API stand-in, a real Redis, SQLite and PostgreSQL):
``/find``, ``/overdue``, ``/stats`` and its chart, and a stranger's commands. Moved out of
test_staff_router.py (692 lines, past the ~400-line limit) unchanged."""

from __future__ import annotations

import datetime as dt
import io
import logging
from html.parser import HTMLParser
from typing import Any

import pytest
from PIL import Image

from domain.request_number import new_request_number
from domain.sla import riyadh_date
from standins.telegram_updates import TgUser
from tests.integration.test_staff_router import (
    ARABIC_INDIC,
    OFFICER,
    STAFF_CHAT,
    STRANGER,
    SUNDAY,
    TOPIC,
    Harness,
    h,
)

__all__ = ["h"]  # the fixture


# ---- commands -----------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text += data


async def test_find_with_arabic_digits_escapes_the_description(h: Harness) -> None:
    description = 'جوازي <b>منتهي</b> وهذا <a href="x">رابط</a> & المزيد'
    number = await h.file(description=description)
    spaced = f"{number[:4]} {number[4:]}".translate(ARABIC_INDIC)
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, f"/find {spaced}", thread_id=TOPIC))

    [call] = h.sent()
    text = call.params["text"]
    assert call.params["parse_mode"] == "HTML"
    assert call.params["message_thread_id"] == TOPIC
    assert number in text and "تجديد هوية مقيم" in text
    assert "&lt;b&gt;منتهي&lt;/b&gt;" in text
    assert '&lt;a href="x"&gt;رابط&lt;/a&gt;' in text
    assert "&amp; المزيد" in text
    parser = _Tags()
    parser.feed(text)
    assert {tag for tag, _ in parser.tags} <= {"b", "code", "blockquote", "a"}
    assert all(dict(attrs).get("href") != "x" for _, attrs in parser.tags)
    # what the officer reads is the person's text, unchanged
    assert description in parser.text


async def test_find_unknown_and_mistyped_numbers(h: Harness) -> None:
    number = await h.file()
    other = new_request_number()
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, f"/find {other}"))
    await h.feed(
        h.updates.group_text(
            OFFICER, STAFF_CHAT, f"/find {number[:-1]}{(int(number[-1]) + 1) % 10}"
        )
    )
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, "/find"))
    texts = [c.params["text"] for c in h.sent()]
    assert other in texts[0]
    assert "خطأ" in texts[1]
    assert "/find" in texts[2]


async def test_commands_from_a_stranger_show_nothing(h: Harness) -> None:
    # nothing of the request or the counts; only that the commands are the officers'
    # (tester 12, §20: no answer at all before 5658f4b)
    number = await h.file()
    await h.feed(h.updates.group_text(STRANGER, STAFF_CHAT, f"/find {number}"))
    await h.feed(h.updates.group_text(STRANGER, STAFF_CHAT, "/stats"))
    refused = "أوامر الموظفين متاحة للموظفين المخوّلين في المديرية فقط."
    assert [c.params["text"] for c in h.sent()] == [refused, refused]
    assert not h.api.calls_for(STAFF_CHAT, "sendPhoto")


async def test_overdue_and_stats(h: Harness) -> None:
    late = await h.file("late", description="<script>")
    await h.desk.take(late, _officer_of(OFFICER))
    h.clock.now = SUNDAY + dt.timedelta(days=14)  # two weeks on: the first is overdue
    fresh = await h.file("fresh", service_id="exit_reentry_visa")
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, "/overdue"))
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, "/stats"))
    overdue, stats = (c.params["text"] for c in h.sent())
    assert late in overdue and fresh not in overdue
    assert "أيام عمل" in overdue or "يوم عمل" in overdue
    assert "نورة العتيبي" in overdue
    # its due date as the officers' other Arabic lines write dates, not ISO (session 15)
    assert "موعده 1 ديسمبر 2026م" in overdue and "2026-12-01" not in overdue
    assert "قيد الدراسة: 1" in stats and "جديد: 1" in stats
    assert "متأخرة:</b> 1" in stats


async def test_stats_sends_a_chart_after_the_text(h: Harness) -> None:
    decided = await h.file("decided", service_id="passport_renew")
    await h.file("open", service_id="exit_reentry_visa")
    await h.desk.take(decided, _officer_of(OFFICER))
    await h.desk.accept(decided, _officer_of(OFFICER))
    h.clock.now = SUNDAY + dt.timedelta(days=1)
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, "/stats"))
    calls = [c for c in h.api.calls if c.chat_id == STAFF_CHAT and c.method.startswith("send")]
    assert [c.method for c in calls] == ["sendMessage", "sendPhoto"]
    photo = calls[1].params["photo"]
    if isinstance(photo, str):  # multipart: the field names the attached part
        photo = calls[1].params[photo.removeprefix("attach://")]
    image = Image.open(io.BytesIO(photo["data"]))
    assert image.format == "PNG" and image.size == (1080, 1620)  # no rating yet: 3 panels
    data = await h.desk.chart_data(riyadh_date(h.clock()))
    assert data.days[-2:] == [dt.date(2026, 11, 22), dt.date(2026, 11, 23)]
    assert sum(data.received) == 2 and data.received[-2] == 2
    assert sum(data.decided) == 1 and data.decided[-2] == 1
    assert data.on_time == {"passports": (1, 1)}
    [(oldest, days)] = data.oldest
    assert oldest != decided and days == 1
    assert data.satisfaction == {}  # nobody has rated yet: the chart has no satisfaction panel


async def test_stats_text_stands_when_the_chart_fails(
    h: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_: object) -> bytes:
        raise RuntimeError("no font")

    monkeypatch.setattr("bot.staff.commands.draw_stats_chart", broken)
    with caplog.at_level(logging.WARNING, logger="bot.staff.commands"):
        await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, "/stats"))
    [stats] = h.sent()
    assert "قيد الدراسة" in stats.params["text"]
    assert h.api.calls_for(STAFF_CHAT, "sendPhoto") == []
    [line] = [r for r in caplog.records if "chart" in r.getMessage()]
    assert "RuntimeError: no font" in line.getMessage()


def _officer_of(user: TgUser) -> Any:
    from officers.officer import Officer

    return Officer(user.id, f"{user.first_name} {user.last_name or ''}".strip())
