"""/metrics of a running web app (aiohttp on loopback, real Redis, SQLite, the Bot API
stand-in) after a person files a request through the Telegram webhook: the figures an
operator reads, with no personal data among them."""

from __future__ import annotations

import datetime as dt

import pytest
from prometheus_client.parser import text_string_to_metric_families
from redis.exceptions import ResponseError
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from bot.health import HEALTH_KEY
from domain.catalogue import load_catalogue
from tests.integration.test_telegram_webhook import OMAR, SARA, Harness, Worker, h
from tests.samples import png

__all__ = ["h"]

PNG = png()
DEPARTMENT = load_catalogue().get("iqama_renew").department


async def scrape(w: Worker) -> tuple[str, dict[tuple[str, tuple[tuple[str, str], ...]], float]]:
    """The page, and each sample by (name, labels)."""
    page = await (await w.client.get("/metrics")).text()
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(page)
        for s in family.samples
    }
    return page, samples


def value(
    samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str
) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def file_a_request(h: Harness, w: Worker) -> None:
    h.api.add_file("photo-1", PNG)
    for raw in (
        h.updates.text(SARA, "/start"),
        h.updates.callback(SARA, "ind"),
        h.updates.text(SARA, "ابي اجدد اقامتي"),
        h.updates.callback(SARA, "s:iqama_renew"),
        h.updates.callback(SARA, "q:inside"),
        h.updates.text(SARA, "2000000006"),
        h.updates.contact(SARA, "966501234567"),
        h.updates.text(SARA, "انتهت إقامتي وأريد تجديدها من داخل المملكة"),
        h.updates.photo(SARA, "photo-1", file_size=len(PNG)),
        h.updates.callback(SARA, "done"),
        h.updates.callback(SARA, "confirm"),
    ):
        assert (await w.post(raw)).status == 200
        await w.settle()


async def test_open_and_overdue_requests_by_department(h: Harness) -> None:
    w = await h.worker()
    _, before = await scrape(w)
    assert value(before, "tawasul_requests_open", department=DEPARTMENT) == 0
    await file_a_request(h, w)
    figures = w.app[HEALTH_KEY].requests
    assert figures is not None
    figures.max_age_s = 0  # the first scrape read before the filing
    page, after = await scrape(w)
    assert value(after, "tawasul_requests_open", department=DEPARTMENT) == 1
    assert value(after, "tawasul_requests_overdue", department=DEPARTMENT) == 0
    # every department has its series; the others stay at 0
    departments = {labels for (name, labels) in after if name == "tawasul_requests_open"}
    assert len(departments) == len({s.department for s in load_catalogue().services})
    for secret in ("2000000006", "501234567", str(SARA.id), SARA.first_name):
        assert secret not in page
    # a month later (seven working days are at most eleven calendar days) it is overdue;
    # within the cache's age a scrape storm reads the database once, so it shows later
    figures.clock = lambda: dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    figures.max_age_s = 3600
    _, cached = await scrape(w)
    assert value(cached, "tawasul_requests_overdue", department=DEPARTMENT) == 0
    figures.max_age_s = 0
    _, late = await scrape(w)
    assert value(late, "tawasul_requests_overdue", department=DEPARTMENT) == 1
    assert value(late, "tawasul_requests_open", department=DEPARTMENT) == 1


async def test_redis_and_sql_errors_and_429s_are_counted(h: Harness) -> None:
    w = await h.worker()
    _, before = await scrape(w)
    redis = h.services.redis
    await redis.set("tawasul:test:word", "not a number")
    with pytest.raises(ResponseError):
        await redis.incr("tawasul:test:word")
    async with h.services.sessions() as session:
        with pytest.raises(OperationalError):
            await session.execute(text("SELECT missing FROM nowhere"))
    # Telegram refuses a reply once with 429: the reply goes after retry_after, counted
    h.api.fail_next("sendMessage", retry_after=1)
    assert (await w.post(h.updates.text(OMAR, "/start"))).status == 200
    await w.settle()
    assert h.texts(OMAR), "the person is answered all the same"
    _, after = await scrape(w)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert (
        grew("tawasul_redis_errors_total", operation="INCRBY") == 1
    )  # redis-py sends INCR as INCRBY
    assert grew("tawasul_sql_errors_total", operation="select") == 1
    assert grew("tawasul_rate_limited_total", channel="telegram") == 1
    assert grew("tawasul_rate_limited_total", channel="whatsapp") == 0
    assert grew("tawasul_updates_handled_total", channel="telegram", outcome="ok") == 1
    assert value(after, "tawasul_webhook_queue_depth", channel="telegram") == 0
