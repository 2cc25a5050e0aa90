"""People on WhatsApp whose number the channel cannot vouch for, who edit what they sent,
or who move to another number — through the real webhook, engine, Redis and SQLite,
read back from the Graph API stand-in and the database.

- A user known only by a username (business-scoped user id, no wa_id) types their mobile
  number, Saudi or another country's with its code; the request records it as not
  verified, the staff card says so, and replies and the decision's notification go to the
  business-scoped id.
- A user whose number WhatsApp gives may put another mobile on the request from the
  summary (not verified), or take the WhatsApp number back.
- An edit of the answer to the current step answers it again; an edit of anything older
  gets a hint.
- ``user_changed_number`` moves the account, the requests, the notifications waiting and
  the dialogue to the new number and user id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis
from sqlalchemy import select

from bot.app import build_services
from bot.db.models import Account, OutboxMessage, Request
from bot.outbox.wiring import build_delivery
from bot.staff.views import HTML, StaffViews
from bot.web import WHATSAPP_KEY, build_web_app
from domain.catalogue import load_catalogue
from officers.officer import Officer
from standins.graph_api import GraphAPIStandin
from standins.whatsapp_payloads import PayloadFactory, WaUser
from tests.integration.test_whatsapp_webhook import (
    DESCRIPTION,
    PNG,
    Harness,
    settings_for,
    walk_to_identity,
)

HIDDEN = WaUser(None, "SA.1000000000000077", "مستخدم باسم")
MONA = WaUser("966501234567", "SA.1000000000000001", "منى")
MONA_NEW = WaUser("966509876543", "SA.1000000000000042", "منى")
TYPE_IT = "يُرجى كتابة رقم جوالك: السعودي"
OFFICER = Officer(7, "سالم")
OLD_EDIT = "لا أستطيع قراءة التعديل على رسالة سابقة"


@pytest.fixture
async def h(tmp_path: Path, redis_url: str, redis_client: Redis) -> AsyncIterator[Harness]:
    async with GraphAPIStandin() as graph:
        async with build_services(settings_for(tmp_path, redis_url, graph)) as services:
            app = build_web_app(services)
            async with (
                TestServer(app, host="127.0.0.1") as server,
                TestClient[web.Request, None](server) as client,
            ):
                app[WHATSAPP_KEY].channel.sender.retry_delay_s = 0.01
                yield Harness(graph, client, PayloadFactory(graph.phone_id), services, app)


def texts(h: Harness, user: WaUser) -> list[str]:
    return h.graph.texts(user.key if user.wa_id is None else user.wa_id)


async def requests(h: Harness) -> list[Request]:
    async with h.services.sessions() as session:
        return list(await session.scalars(select(Request).order_by(Request.id)))


async def send_photo(h: Harness, user: WaUser) -> None:
    photo = h.graph.add_media(PNG, "image/png")
    await h.send(h.payloads.image(user, photo.id, photo.sha256_b64, mime="image/png"))


async def file_request(h: Harness, user: WaUser, phone_answer: str | None) -> None:
    p = h.payloads
    await walk_to_identity(h, user)
    await h.send(p.text(user, "2000000006"))
    if phone_answer is not None:
        await h.send(p.text(user, phone_answer))
    await h.send(p.text(user, DESCRIPTION))
    await send_photo(h, user)
    await h.send(p.button_reply(user, "done", "تم"))
    await h.send(p.button_reply(user, "confirm", "تأكيد وإرسال"))


# ------------------------------------------------------------------ usernames


async def test_a_username_without_a_number_types_it_and_it_is_marked_unverified(
    h: Harness,
) -> None:
    p = h.payloads
    await walk_to_identity(h, HIDDEN)
    await h.send(p.text(HIDDEN, "2000000006"))
    asked = texts(h, HIDDEN)[-1]
    assert asked.startswith(TYPE_IT) and "غير موثّق" in asked
    # the channel gives its name with the event (Origin.channel_name): WhatsApp is named
    assert "لا يصلنا رقمك عبر واتساب" in asked, asked
    # not a mobile: a clear answer, still on the step
    await h.send(p.text(HIDDEN, "12345"))
    assert texts(h, HIDDEN)[-1].startswith("لا يبدو هذا رقم جوال.")
    await h.send(p.text(HIDDEN, "٠٥٥ ١٢٣ ٤٥٦٧"))
    assert "شكرًا لك، تم حفظ رقمك." in texts(h, HIDDEN)
    await h.send(p.text(HIDDEN, DESCRIPTION))
    await send_photo(h, HIDDEN)
    await h.send(p.button_reply(HIDDEN, "done", "تم"))
    summary = texts(h, HIDDEN)[-1]
    assert "الجوال: \u2066+966551234567\u2069 (غير موثّق)" in summary
    await h.send(p.button_reply(HIDDEN, "confirm", "تأكيد وإرسال"))
    [request] = await requests(h)
    assert (request.user_key, request.phone, request.phone_verified) == (
        HIDDEN.key,
        "+966551234567",
        False,
    )
    async with h.services.sessions() as session:
        account = await session.scalar(select(Account).where(Account.user_key == HIDDEN.key))
    assert account is not None and account.verified_phone is None
    # every reply went to the business-scoped id, never to a number
    sent = h.graph.sent_to(HIDDEN.key)
    assert sent and all(m.get("recipient") == HIDDEN.key and "to" not in m for m in sent)
    # the officers see that nobody vouched for the number
    record = await h.services.gateway.get_by_number(request.number)
    assert record is not None
    views = StaffViews(load_catalogue(), locale="ar")
    card = views.summary(record, HTML, today=dt.date(2026, 12, 1))
    assert "+966551234567 (غير موثّق: كتبه صاحب الطلب)" in card


async def test_a_username_may_give_a_mobile_of_another_country(h: Harness) -> None:
    """The fresh-clone tester's resident with a UAE mobile was told «لا يبدو هذا رقم جوال
    سعوديًا» to «+971 50 123 4567» and could not file."""
    await file_request(h, HIDDEN, "+971 50 123 4567")
    assert "شكرًا لك، تم حفظ رقمك." in texts(h, HIDDEN)
    [request] = await requests(h)
    assert (request.phone, request.phone_verified) == ("+971501234567", False)


async def test_a_known_number_may_be_replaced_by_another_mobile_from_the_summary(
    h: Harness,
) -> None:
    """With a wa_id the channel answers the phone step with it; asked again from the
    summary, the step offers it as a button and takes a typed number instead (the
    fresh-clone tester got the WhatsApp number back each time)."""
    p = h.payloads
    await walk_to_identity(h, MONA)
    await h.send(p.text(MONA, "2000000006"))
    await h.send(p.text(MONA, DESCRIPTION))
    await send_photo(h, MONA)
    await h.send(p.button_reply(MONA, "done", "تم"))
    assert "\u2066+966501234567\u2069" in texts(h, MONA)[-1]
    await h.send(p.list_reply(MONA, "e:phone", "تعديل رقم الجوال"))
    asked = h.graph.last_interactive(MONA.wa_id or "")
    assert asked is not None and "رقمك في واتساب هو" in asked["body"]["text"]
    buttons = [b["reply"]["title"] for b in asked["action"]["buttons"]]
    assert buttons == ["رقمي في واتساب"]
    await h.send(p.text(MONA, "00201001234567"))
    assert "\u2066+201001234567\u2069 (غير موثّق)" in texts(h, MONA)[-1]
    await h.send(p.button_reply(MONA, "confirm", "تأكيد وإرسال"))
    [request] = await requests(h)
    assert (request.phone, request.phone_verified) == ("+201001234567", False)


async def test_a_username_can_share_their_own_contact_card(h: Harness) -> None:
    p = h.payloads
    await walk_to_identity(h, HIDDEN)
    await h.send(p.text(HIDDEN, "2000000006"))
    await h.send(p.contact_card(HIDDEN, "+966 55 123 4567", wa_id="966551234567"))
    assert "شكرًا لك، تم حفظ رقمك." in texts(h, HIDDEN)
    state = await h.services.engine.store.load("whatsapp", HIDDEN.key)
    assert state.step == "description"
    assert state.answers["phone"] == "+966551234567"
    assert state.answers["phone_verified"] is False


async def test_a_decision_reaches_a_username_at_their_user_id(h: Harness) -> None:
    await file_request(h, HIDDEN, "0551234567")
    [request] = await requests(h)
    await h.services.desk.take(request.number, OFFICER)
    await h.services.desk.accept(request.number, OFFICER)
    delivery = build_delivery(h.services, None)
    delivery.handlers["whatsapp"] = h.app[WHATSAPP_KEY].delivery
    before = len(h.graph.sent_to(HIDDEN.key))
    await delivery.run_once()
    [notice] = h.graph.sent_to(HIDDEN.key)[before:]
    assert notice["recipient"] == HIDDEN.key and "to" not in notice
    assert request.number in h.graph.texts(HIDDEN.key)[-1]


async def test_a_vouched_number_stays_verified_and_typing_is_still_refused(
    h: Harness,
) -> None:
    await file_request(h, MONA, None)
    [request] = await requests(h)
    assert (request.phone, request.phone_verified) == ("+966501234567", True)


# ------------------------------------------------------------------ edits


async def test_an_edited_wrong_number_answers_the_step_again(h: Harness) -> None:
    p = h.payloads
    await walk_to_identity(h, MONA)
    await h.send(p.text(MONA, "2000000007"))
    wrong = p.last_wamid
    assert texts(h, MONA)[-1].startswith("يبدو أن في الرقم خطأ")
    await h.send(p.edit(MONA, wrong, "2000000006"))
    state = await h.services.engine.store.load("whatsapp", MONA.key)
    assert (state.step, state.answers["identity"]) == ("description", "2000000006")
    # an edit of the (accepted) identity message now is an edit of an older answer
    await h.send(p.edit(MONA, wrong, "1000000008"))
    assert texts(h, MONA)[-1].startswith(OLD_EDIT)
    state = await h.services.engine.store.load("whatsapp", MONA.key)
    assert (state.step, state.answers["identity"]) == ("description", "2000000006")


# ------------------------------------------------------------------ a new number


async def test_a_changed_number_moves_the_account_requests_and_dialogue(h: Harness) -> None:
    p = h.payloads
    await file_request(h, MONA, None)
    [request] = await requests(h)
    # an officer's question waiting to be delivered, and a new draft half filled
    await h.services.desk.take(request.number, OFFICER)
    await h.services.desk.ask(request.number, OFFICER, "أرسل صورة الجواز من فضلك")
    await walk_to_identity(h, MONA)
    await h.send(p.changed_number(MONA, MONA_NEW))

    [moved] = await requests(h)
    assert (moved.user_key, moved.phone) == (MONA_NEW.key, "+966509876543")
    async with h.services.sessions() as session:
        accounts = list(await session.scalars(select(Account)))
        waiting = list(
            await session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.kind == "notify", OutboxMessage.sent_at.is_(None)
                )
            )
        )
    assert [(a.user_key, a.verified_phone) for a in accounts] == [(MONA_NEW.key, "+966509876543")]
    assert waiting and all(row.target == MONA_NEW.key for row in waiting)
    # the draft goes on from the new number where it was
    await h.send(p.text(MONA_NEW, "2000000006"))
    state = await h.services.engine.store.load("whatsapp", MONA_NEW.key)
    assert state.step == "description"
    assert state.answers["phone"] == "+966509876543"
    # status answers and the question reach the new number
    before = len(h.graph.texts(MONA_NEW.wa_id or ""))
    await h.send(p.text(MONA_NEW, f"/status {request.number}"))
    answer = "\n".join(h.graph.texts(MONA_NEW.wa_id or "")[before:])
    assert request.number in answer and "أرسل صورة الجواز من فضلك" in answer
    delivery = build_delivery(h.services, None)
    delivery.handlers["whatsapp"] = h.app[WHATSAPP_KEY].delivery
    await delivery.run_once()
    assert h.graph.sent_to(MONA_NEW.wa_id or "")[-1].get("to") == MONA_NEW.wa_id
    # a redelivered notice changes nothing more
    await h.send(p.changed_number(MONA, MONA_NEW))
    assert [r.user_key for r in await requests(h)] == [MONA_NEW.key]
