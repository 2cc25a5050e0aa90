"""A mobile number typed alone at the description step on WhatsApp, after the WhatsApp
number was taken by itself, is the request's new mobile number, named back, and not the
description. Found by tester 10b: «+44 7700 900123» at «صِف طلبك» became the description
and the mobile was not changed. Two web apps on one real Redis and one database (SQLite and
PostgreSQL), as two `tawasul run` workers, fed real Cloud API webhook payloads; the
request is read back from the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer
from redis.asyncio import Redis
from sqlalchemy import select

from bot.app import build_services
from bot.db.models import Request
from bot.web import build_web_app
from standins.graph_api import GraphAPIStandin
from standins.whatsapp_payloads import PayloadFactory
from tests.integration.test_whatsapp_album_count import Client, Workers
from tests.integration.test_whatsapp_webhook import DESCRIPTION, MONA, settings_for


@pytest.fixture
async def w(
    tmp_path: Path, redis_url: str, redis_client: Redis, db_url: str
) -> AsyncIterator[Workers]:
    async with (
        GraphAPIStandin() as graph,
        build_services(settings_for(tmp_path, redis_url, graph, database_url=db_url)) as services,
        AsyncExitStack() as stack,
    ):
        apps, clients = [], []
        for _ in range(2):
            app = build_web_app(services)
            server = await stack.enter_async_context(TestServer(app, host="127.0.0.1"))
            clients.append(await stack.enter_async_context(Client(server)))
            apps.append(app)
        yield Workers(graph, services, apps, clients, PayloadFactory(graph.phone_id))


async def test_a_mobile_typed_at_the_description_is_the_new_contact_number(w: Workers) -> None:
    p = w.payloads
    await w.say(p.text(MONA, "مرحبا"))
    await w.say(p.button_reply(MONA, "ind", "فرد"), worker=1)
    await w.say(p.text(MONA, "ابي اجدد اقامتي"))
    await w.say(p.list_reply(MONA, "s:iqama_renew", "1. تجديد هوية مقيم"), worker=1)
    await w.say(p.button_reply(MONA, "q:inside", "داخل المملكة"))
    await w.say(p.text(MONA, "2000000006"), worker=1)
    # the WhatsApp number was taken by itself, and the description is asked for
    assert "\u2068+966501234567\u2069" in "\n".join(w.texts()[-2:])
    before = len(w.texts())
    await w.say(p.text(MONA, "+20 100 123 4567"), worker=0)
    said = w.texts()[before:]
    assert len(said) == 1 and said[0].startswith(
        # the number the account gave is replaced, and named (helper 24's probe)
        "سجّلتُ الرقم \u2068+201001234567\u2069 رقمًا للتواصل معك في هذا الطلب"
        " مكان الرقم \u2068+966501234567\u2069، ولم أُضِفه إلى الوصف."
        " وسيظهر للموظف أنه رقم مكتوب غير موثّق.\nوالآن يُرجى وصف طلبك بالكلمات"
    ), said
    # the other worker reads the number from the shared dialogue state
    await w.say(p.text(MONA, DESCRIPTION), worker=1)
    photo = w.photo(1)
    await w.say(photo, worker=0)
    await w.say(p.button_reply(MONA, "done", "تم"), worker=1)
    assert "الجوال: \u2066+201001234567\u2069 (غير موثّق)" in w.texts()[-1], w.texts()[-1]
    await w.say(p.button_reply(MONA, "confirm", "تأكيد وإرسال"))
    async with w.services.sessions() as session:
        [request] = list(await session.scalars(select(Request)))
    assert (request.phone, request.phone_verified) == ("+201001234567", False)
    assert request.description == DESCRIPTION


async def test_someone_elses_card_is_not_the_new_contact_number(w: Workers) -> None:
    """Review 11, §13: a sponsor's card shared at the description, the documents or the
    summary replaced the request's mobile on WhatsApp, while Telegram refused it. Real
    contact-card payloads (another person's wa_id, then MONA's own), on either worker."""
    p = w.payloads
    await w.say(p.text(MONA, "مرحبا"))
    await w.say(p.button_reply(MONA, "ind", "فرد"), worker=1)
    await w.say(p.text(MONA, "ابي اجدد اقامتي"))
    await w.say(p.list_reply(MONA, "s:iqama_renew", "1. تجديد هوية مقيم"), worker=1)
    await w.say(p.button_reply(MONA, "q:inside", "داخل المملكة"))
    await w.say(p.text(MONA, "2000000006"), worker=1)

    def sponsor() -> dict[str, Any]:
        return p.contact_card(MONA, "+20 100 123 4567", wa_id="201001234567")

    before = len(w.texts())
    await w.say(sponsor(), worker=0)
    said = w.texts()[before:]
    assert len(said) == 1 and said[0].startswith(
        "بطاقة الاتصال هذه ليست لرقمك في واتساب، لذلك لم أعتمدها رقمًا للتواصل معك في هذا الطلب،"
        " ويبقى رقم الجوال المسجّل في طلبك \u2068+966501234567\u2069. وإن أردت أن نتواصل معك على"
        " \u2068+201001234567\u2069 بدلًا منه، فيمكنك كتابته هنا في رسالة.\n"
    ), said
    # her own card, on the other worker: the number the request already has
    await w.say(p.contact_card(MONA, "+966 50 123 4567", wa_id=MONA.wa_id), worker=1)
    assert w.texts()[-1].startswith("\u2068+966501234567\u2069 هو رقم الجوال المسجّل في طلبك.")
    await w.say(p.text(MONA, DESCRIPTION), worker=1)
    await w.say(w.photo(1), worker=0)
    await w.say(p.button_reply(MONA, "done", "تم"), worker=1)
    before = len(w.texts())
    await w.say(sponsor(), worker=0)  # at the summary: changed from there if meant
    said = "\n".join(w.texts()[before:])
    assert "فيمكنك اختيار «تعديل رقم الجوال» من ملخص الطلب وكتابته هناك." in said, said
    assert "الجوال: \u2066+966501234567\u2069" in said and "غير موثّق" not in said, said
    await w.say(p.button_reply(MONA, "confirm", "تأكيد وإرسال"), worker=1)
    async with w.services.sessions() as session:
        [request] = list(await session.scalars(select(Request)))
    assert (request.phone, request.phone_verified) == ("+966501234567", True)
