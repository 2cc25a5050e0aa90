"""Decisions and questions made after WhatsApp's 24-hour window, with no template
configured (the default): nothing is dropped. The notification waits in the outbox, is
counted for the staff digest, and is the first thing the person gets when they next
write, before the dialogue answers them.

Two workers share one Redis and one SQLite database, as in production: worker A's
dispatcher finds the window closed, worker B's webhook receives the person's next
message and delivers what waited. Everything runs through the real web app, channel,
outbox dispatcher and staff desk; the person's side is read from the Graph API stand-in.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis
from sqlalchemy import select, update

from bot.app import Services, build_services
from bot.channels.whatsapp import last_inbound_key
from bot.db.models import OutboxMessage
from bot.outbox.dispatcher import OutboxDispatcher
from bot.outbox.whatsapp_delivery import WHATSAPP
from bot.outbox.window_wait import WAITING_FOR_WINDOW
from bot.redis_store.dialogue import RedisDialogueStore
from bot.staff.reports import StaffReports
from bot.staff.schedule import StaffSchedule
from bot.web import WHATSAPP_KEY, build_web_app
from domain.catalogue import load_catalogue
from domain.sla import riyadh_date
from officers.officer import Officer
from standins.graph_api import GraphAPIStandin
from standins.whatsapp_payloads import PayloadFactory
from tests.integration.test_db_requests import submission

from .test_whatsapp_webhook import MONA, Harness, settings_for

OFFICER = Officer(7001, "نورة")
DAY_S = 24 * 3600


@dataclass
class Workers:
    a: Harness
    b: Harness

    @property
    def graph(self) -> GraphAPIStandin:
        return self.a.graph

    def dispatcher(self, worker: Harness) -> OutboxDispatcher:
        delivery = worker.app[WHATSAPP_KEY].delivery
        assert delivery is not None
        return OutboxDispatcher(worker.services.sessions, {WHATSAPP: delivery})

    async def rows(self) -> list[OutboxMessage]:
        async with self.a.services.sessions() as session:
            found = await session.scalars(
                select(OutboxMessage).where(OutboxMessage.channel == WHATSAPP)
            )
            return list(found)


@contextlib.asynccontextmanager
async def _worker(services: Services, graph: GraphAPIStandin) -> AsyncIterator[Harness]:
    app = build_web_app(services)
    async with (
        TestServer(app, host="127.0.0.1") as server,
        TestClient[web.Request, None](server) as client,
    ):
        yield Harness(graph, client, PayloadFactory(graph.phone_id), services, app)


@pytest.fixture
async def w(
    tmp_path: Path, redis_url: str, redis_client: Redis, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[Workers]:
    async with GraphAPIStandin() as graph:
        settings = settings_for(tmp_path, redis_url, graph).model_copy(
            # decisions go out at once here (their grace period is tested elsewhere)
            update={"whatsapp_template_name": None, "decision_grace_s": 0}
        )
        async with (
            build_services(settings) as one,
            build_services(settings, migrate=False) as two,
            _worker(one, graph) as a,
            _worker(two, graph) as b,
        ):
            yield Workers(a, b)


async def _filed_by_mona_who_then_went_quiet(w: Workers) -> str:
    await w.a.send(w.a.payloads.text(MONA, "مرحبا"))
    filed = await w.a.services.gateway.submit(
        submission(channel=WHATSAPP, user_key=MONA.key, phone="+" + (MONA.wa_id or ""))
    )
    # filed as her confirming turn would: that turn also drops the note, made at «مرحبا»,
    # that her chat had no request (conversations.known_requests.filed), which a request
    # written straight into the database leaves standing for an hour
    store = RedisDialogueStore(w.a.services.redis)
    state = await store.load(WHATSAPP, MONA.key)
    state.no_requests_at = None
    assert await store.save(WHATSAPP, MONA.key, state)
    # her last message was 25 hours ago
    await w.a.services.redis.set(last_inbound_key(MONA.key), int(time.time()) - DAY_S - 3600)
    return filed.number


async def test_a_decision_after_the_window_waits_and_comes_first_when_the_person_writes(
    w: Workers, caplog: pytest.LogCaptureFixture
) -> None:
    number = await _filed_by_mona_who_then_went_quiet(w)
    desk = w.a.services.desk
    await desk.take(number, OFFICER)
    await desk.reject(number, OFFICER, "المستندات غير مكتملة")
    seen = len(w.a.texts(MONA))
    await w.dispatcher(w.a).run_once()

    # nothing could be sent, nothing was dropped: both notices wait, in order
    assert len(w.a.texts(MONA)) == seen
    rows = await w.rows()
    assert [r.sent_at for r in rows] == [None, None]
    assert {r.delivery_status for r in rows} == {"queued"}
    assert rows[0].last_error == WAITING_FOR_WINDOW
    reports = StaffReports(w.a.services.sessions)
    assert await reports.waiting_for_window() == 1  # the second is queued behind the first
    # the staff digest says how many wait
    schedule = StaffSchedule(w.a.services.sessions, w.a.services.redis, load_catalogue())
    now = dt.datetime.now(dt.UTC)
    assert await schedule.digest(riyadh_date(now), now)
    async with w.a.services.sessions() as session:
        html = await session.scalar(
            select(OutboxMessage.payload).where(OutboxMessage.kind == "staff_text")
        )
    assert html is not None
    assert "إشعارات تنتظر أن يكتب صاحبها (واتساب):</b> 1" in html["html"]

    # days later she writes to the other worker: what waited comes before the greeting
    await w.b.send(w.b.payloads.text(MONA, "السلام عليكم"))
    after = w.b.texts(MONA)[seen:]
    assert "أثناء غيابك" in after[0]
    assert number in after[1] and "قيد الدراسة" in after[1]
    assert number in after[2] and "المستندات غير مكتملة" in after[2]
    # the decision's satisfaction question, sent now that the window is open (issue 13)
    assert number in after[3] and "ما مدى رضاك" in after[3]
    # then the dialogue answers her message
    assert len(after) >= 5 and "فرد" in after[-1]
    # no notice twice: after them the request is named only by the line that says it may
    # still be reconsidered, which comes with the first menu (a39e409)
    named = [text for text in after[4:] if number in text]
    assert len(named) == 1 and "اطلب إعادة النظر" in named[0]
    assert not any("المستندات غير مكتملة" in text or "ما مدى رضاك" in text for text in after[4:])
    rows = await w.rows()
    assert all(r.delivery_status == "sent" and r.sent_at is not None for r in rows)
    assert await reports.waiting_for_window() == 0
    # told once: the next message gets only the dialogue
    await w.a.send(w.a.payloads.text(MONA, "مساعدة"))
    assert sum("المستندات غير مكتملة" in t for t in w.a.texts(MONA)) == 1
    assert "PermanentFailure" not in caplog.text


async def test_an_officers_question_after_the_window_waits_with_its_answer_button(
    w: Workers,
) -> None:
    number = await _filed_by_mona_who_then_went_quiet(w)
    await w.a.services.desk.ask(number, OFFICER, "أرفق صورة الجواز من فضلك")
    await w.dispatcher(w.b).run_once()
    seen = len(w.a.texts(MONA))
    await w.dispatcher(w.a).run_once()  # a second look changes nothing
    assert len(w.a.texts(MONA)) == seen
    await w.a.send(w.a.payloads.text(MONA, "هلا"))
    after = w.a.texts(MONA)[seen:]
    assert "أثناء غيابك" in after[0]
    assert "أرفق صورة الجواز من فضلك" in after[1]
    interactive = [m for m in w.graph.sent_to(MONA.wa_id or "") if m.get("type") == "interactive"]
    assert any(f"ans:{number}" in str(m["interactive"]["action"]) for m in interactive), (
        "the question comes with its answer button"
    )
    assert (await w.rows())[0].delivery_status == "sent"


async def test_a_later_row_not_yet_due_is_not_sent_early(w: Workers) -> None:
    number = await _filed_by_mona_who_then_went_quiet(w)
    await w.a.services.desk.ask(number, OFFICER, "أرفق صورة الجواز من فضلك")
    await w.dispatcher(w.a).run_once()  # the question now waits for her window
    await w.a.services.desk.accept(number, OFFICER)
    # the acceptance is in its grace period (the officer may still undo it)
    async with w.a.services.sessions.begin() as session:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.channel == WHATSAPP, OutboxMessage.last_error.is_(None))
            .values(next_attempt_at=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5))
        )
    seen = len(w.a.texts(MONA))
    await w.b.send(w.b.payloads.text(MONA, "هلا"))
    after = w.b.texts(MONA)[seen:]
    assert "أرفق صورة الجواز من فضلك" in after[1]
    assert not any("قبول" in text for text in after)
    question, accepted = await w.rows()
    assert question.sent_at is not None and accepted.sent_at is None
