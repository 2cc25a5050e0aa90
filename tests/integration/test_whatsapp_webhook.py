"""The WhatsApp webhook end to end inside one process: signed payloads are posted to the
real endpoint (build_web_app on an aiohttp test server on loopback), the real engine answers
(real Redis, SQLite), and what the person would see is read from the Graph API stand-in."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis

from bot.app import Services, build_services
from bot.channels.whatsapp import last_inbound_key
from bot.health import begin_drain
from bot.settings import Settings
from bot.web import QUEUE_KEY, WHATSAPP_KEY, build_web_app
from standins.graph_api import GraphAPIStandin, interactive_choices
from standins.whatsapp_payloads import PayloadFactory, WaUser, batch, encode, sign
from tests import samples

APP_SECRET = "app-secret-for-tests"
VERIFY_TOKEN = "verify-token-for-tests"
PNG = samples.png()
PDF = samples.pdf()
DESCRIPTION = "إقامتي انتهت ويظهر لي خطأ عند التجديد في أبشر"

MONA = WaUser("966501234567", "SA.1000000000000001", "منى")
KHALID = WaUser("966551234567", "SA.1000000000000002", "خالد")
# a payload from before business-scoped ids: the number is the only key
OLD = WaUser("966561234567", None, "سالم")


def settings_for(
    tmp: Path, redis_url: str, graph: GraphAPIStandin, database_url: str | None = None
) -> Settings:
    return Settings(
        data_dir=tmp,
        redis_url=redis_url,
        database_url=database_url,
        telegram_token=None,
        whatsapp_phone_id=graph.phone_id,
        whatsapp_token=graph.token,
        whatsapp_app_secret=APP_SECRET,
        whatsapp_verify_token=VERIFY_TOKEN,
        whatsapp_api_url=graph.api_url,
        whatsapp_template_name="request_update",
        whatsapp_template_lang="ar",
    )


@dataclass
class Harness:
    graph: GraphAPIStandin
    client: TestClient[web.Request, None]
    payloads: PayloadFactory
    services: Services
    app: web.Application

    async def post(self, payload: dict[str, Any], *, secret: str = APP_SECRET) -> ClientResponse:
        body = encode(payload)
        headers = {"X-Hub-Signature-256": sign(body, secret), "Content-Type": "application/json"}
        return await self.client.post("/whatsapp/webhook", data=body, headers=headers)

    async def send(self, payload: dict[str, Any]) -> None:
        """Post and wait until everything queued is handled."""
        response = await self.post(payload)
        assert response.status == 200, await response.text()
        await self.settle()

    async def settle(self) -> None:
        """Until the queue is handled and the receipts' follow-ups its turns released in
        the background are written (bot.outbox.follow_up_releases)."""
        async with asyncio.timeout(30):
            await self.app[QUEUE_KEY].join()
            runtime = self.app.get(WHATSAPP_KEY)
            if runtime is not None:
                await runtime.channel.settled()

    def texts(self, user: WaUser) -> list[str]:
        assert user.wa_id
        return self.graph.texts(user.wa_id)

    def choices(self, user: WaUser) -> list[tuple[str, str]]:
        assert user.wa_id
        interactive = self.graph.last_interactive(user.wa_id)
        assert interactive is not None
        return interactive_choices(interactive)


@pytest.fixture
async def h(tmp_path: Path, redis_url: str, redis_client: Redis) -> AsyncIterator[Harness]:
    async with GraphAPIStandin() as graph:
        settings = settings_for(tmp_path, redis_url, graph)
        async with build_services(settings) as services:
            app = build_web_app(services)
            async with (
                TestServer(app, host="127.0.0.1") as server,
                TestClient[web.Request, None](server) as client,
            ):
                yield Harness(graph, client, PayloadFactory(graph.phone_id), services, app)


async def walk_to_identity(h: Harness, user: WaUser) -> None:
    """Hello, individual, "renew my iqama", the service, inside the kingdom."""
    p = h.payloads
    await h.send(p.text(user, "مرحبا"))
    await h.send(p.button_reply(user, "ind", "فرد"))
    await h.send(p.text(user, "ابي اجدد اقامتي"))
    await h.send(p.list_reply(user, "s:iqama_renew", "1. تجديد هوية مقيم"))
    await h.send(p.button_reply(user, "q:inside", "داخل المملكة"))


async def walk_to_attachments(h: Harness, user: WaUser) -> None:
    await walk_to_identity(h, user)
    await h.send(h.payloads.text(user, "2000000006"))
    await h.send(h.payloads.text(user, DESCRIPTION))


# ------------------------------------------------------------------ verification


async def test_subscription_check_echoes_the_challenge(h: Harness) -> None:
    query = {
        "hub.mode": "subscribe",
        "hub.verify_token": VERIFY_TOKEN,
        "hub.challenge": "1158201444",
    }
    response = await h.client.get("/whatsapp/webhook", params=query)
    assert response.status == 200
    assert await response.text() == "1158201444"


@pytest.mark.parametrize(
    "query",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
        {},
    ],
)
async def test_subscription_check_refuses_a_wrong_token(h: Harness, query: dict[str, str]) -> None:
    response = await h.client.get("/whatsapp/webhook", params=query)
    assert response.status == 403
    assert "1" not in await response.text()


async def test_health_check(h: Harness) -> None:
    response = await h.client.get("/healthz")
    assert response.status == 200
    assert (await response.json())["ok"] is True


# ------------------------------------------------------------------ signatures


async def test_bad_signature_is_refused_and_nothing_happens(h: Harness) -> None:
    payload = h.payloads.text(MONA, "مرحبا")
    forged = await h.post(payload, secret="not-the-app-secret")
    assert forged.status == 403
    body = encode(payload)
    unsigned = await h.client.post("/whatsapp/webhook", data=body)
    assert unsigned.status == 403
    # a valid signature of another body does not pass either
    other = encode(h.payloads.text(MONA, "غيره"))
    swapped = await h.client.post(
        "/whatsapp/webhook", data=body, headers={"X-Hub-Signature-256": sign(other, APP_SECRET)}
    )
    assert swapped.status == 403
    await h.settle()
    assert h.graph.sent() == []
    assert await h.services.redis.get(last_inbound_key(MONA.key)) is None


async def test_signature_is_checked_on_the_raw_body(h: Harness) -> None:
    # the same JSON re-serialised differently is another body: Meta signs bytes, not data
    payload = h.payloads.text(MONA, "مرحبا")
    raw = encode(payload)
    pretty = raw.replace(b",", b", ")
    response = await h.client.post(
        "/whatsapp/webhook", data=pretty, headers={"X-Hub-Signature-256": sign(raw, APP_SECRET)}
    )
    assert response.status == 403


# ------------------------------------------------------------------ conversation


async def test_hello_gets_the_greeting_and_the_first_question(h: Harness) -> None:
    await h.send(h.payloads.text(MONA, "مرحبا"))
    assert len(h.texts(MONA)) == 2  # the greeting, then the first question with its choices
    ids = [choice_id for choice_id, _title in h.choices(MONA)]
    # four real choices (with «أسئلة شائعة») are a list; help and cancel are offered in words
    assert ids == ["ind", "est", "status", "faq"]
    assert h.graph.last_interactive(MONA.wa_id or "")["type"] == "list"  # type: ignore[index]
    assert "«مساعدة»" in h.texts(MONA)[-1] and "«إلغاء»" in h.texts(MONA)[-1]
    assert h.graph.sent_to(MONA.wa_id or "")[0]["to"] == MONA.wa_id
    # the window is open from the message's own time
    assert await h.services.redis.get(last_inbound_key(MONA.key)) is not None


async def test_three_short_choices_are_reply_buttons(h: Harness) -> None:
    await walk_to_identity(h, MONA)
    await h.send(h.payloads.text(MONA, "2000000006"))  # the description step: three choices
    interactive = h.graph.last_interactive(MONA.wa_id or "")
    assert interactive is not None and interactive["type"] == "button"
    assert h.choices(MONA) == [("back", "رجوع"), ("help", "مساعدة"), ("cancel", "إلغاء")]


async def test_a_typed_number_answers_like_the_button(h: Harness) -> None:
    await h.send(h.payloads.text(MONA, "مرحبا"))
    await h.send(h.payloads.text(MONA, "١"))  # Arabic-Indic "1": the first button
    by_typing = h.texts(MONA)[-1]
    await h.send(h.payloads.text(KHALID, "مرحبا"))
    await h.send(h.payloads.button_reply(KHALID, "ind", "فرد"))
    assert h.texts(KHALID)[-1] == by_typing


async def test_long_choices_come_as_a_numbered_list(h: Harness) -> None:
    await h.send(h.payloads.text(MONA, "مرحبا"))
    await h.send(h.payloads.button_reply(MONA, "ind", "فرد"))
    interactive = h.graph.last_interactive(MONA.wa_id or "")
    assert interactive is not None and interactive["type"] == "list"
    rows = [r for s in interactive["action"]["sections"] for r in s["rows"]]
    assert [r["title"].split(". ", 1)[0] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
    for row in rows:
        assert len(row["title"]) <= 24
        if row["title"].endswith("…"):
            # cut at a word: the visible part is the start of the full label in the description
            assert row["description"].startswith(row["title"].split(". ", 1)[1][:-1])


async def test_the_phone_step_is_answered_with_the_whatsapp_number(h: Harness) -> None:
    await walk_to_identity(h, MONA)
    before = len(h.texts(MONA))
    await h.send(h.payloads.text(MONA, "2000000006"))
    after = h.texts(MONA)[before:]
    # the number kept is named: right after the iqama, «تم حفظ رقمك» read as the iqama
    assert after[0] == "شكرًا لك، حفظتُ رقم جوالك \u2068+966501234567\u2069 لطلبك."
    assert "يُرجى وصف طلبك" in after[1]
    # the question about a share-my-number button is never shown on WhatsApp
    assert not any("مشاركة رقمي" in t for t in h.texts(MONA))
    state = await h.services.engine.store.load("whatsapp", MONA.key)
    assert state.answers["phone"] == "+966501234567"
    assert state.step == "description"


async def test_user_without_business_scoped_id_is_keyed_by_number(h: Harness) -> None:
    await h.send(h.payloads.text(OLD, "مرحبا"))
    state = await h.services.engine.store.load("whatsapp", "966561234567")
    assert state.step == "applicant"
    assert len(h.texts(OLD)) == 2


async def test_photo_is_downloaded_checked_and_stored(h: Harness) -> None:
    await walk_to_attachments(h, MONA)
    photo = h.graph.add_media(PNG, "image/png")
    await h.send(h.payloads.image(MONA, photo.id, photo.sha256_b64))
    assert h.graph.downloads == [photo.id]
    assert h.services.media.read(photo.sha256_hex) == PNG
    # files are acknowledged once per burst (several chosen together arrive one by one);
    # one photo is the photo (bot.channels.whatsapp_bursts)
    assert h.texts(MONA)[-1].startswith("وصلتني الصورة.")
    state = await h.services.engine.store.load("whatsapp", MONA.key)
    [stored] = state.answers["attachments"]
    assert stored["ref"] == photo.id
    assert stored["checksum"] == photo.sha256_hex
    assert stored["size"] == len(PNG) and stored["mime"] == "image/png"


async def test_pdf_document_is_accepted(h: Harness) -> None:
    await walk_to_attachments(h, MONA)
    doc = h.graph.add_media(PDF, "application/pdf")
    await h.send(h.payloads.document(MONA, doc.id, doc.sha256_b64, filename="passport.pdf"))
    state = await h.services.engine.store.load("whatsapp", MONA.key)
    [stored] = state.answers["attachments"]
    assert stored["file_name"] == "passport.pdf" and stored["checksum"] == doc.sha256_hex


async def test_a_file_that_does_not_match_its_checksum_is_not_stored(h: Harness) -> None:
    await walk_to_attachments(h, MONA)
    photo = h.graph.add_media(PNG, "image/png")
    wrong = h.graph.add_media(b"something else", "image/png")
    await h.send(h.payloads.image(MONA, photo.id, wrong.sha256_b64))
    assert h.graph.downloads == [photo.id, photo.id]  # tried again once
    assert not h.services.media.exists(photo.sha256_hex)
    # nor is it attached: the person is asked for a photo or PDF again
    state = await h.services.engine.store.load("whatsapp", MONA.key)
    assert state.answers.get("attachments", []) == []


async def test_an_executable_is_refused_without_downloading_it(h: Harness) -> None:
    await walk_to_attachments(h, MONA)
    exe = h.graph.add_media(b"MZ" + b"\0" * 100, "application/x-msdownload")
    await h.send(
        h.payloads.document(
            MONA, exe.id, exe.sha256_b64, filename="a.exe", mime="application/x-msdownload"
        )
    )
    assert h.graph.downloads == []
    assert "لا يمكن قبول" in h.texts(MONA)[-1] or "PDF" in h.texts(MONA)[-1]


async def test_a_replayed_message_is_answered_once(h: Harness) -> None:
    payload = h.payloads.text(MONA, "مرحبا")
    await h.send(payload)
    await h.send(payload)
    assert len(h.texts(MONA)) == 2


async def test_a_batched_payload_is_handled_whole(h: Harness) -> None:
    p = h.payloads
    both = p.messages(
        MONA, p.message(MONA, "text", {"body": "مرحبا"}), p.message(MONA, "text", {"body": "1"})
    )
    await h.send(batch(both, p.text(KHALID, "مرحبا"), p.text(OLD, "مرحبا")))
    assert len(h.texts(KHALID)) == 2 and len(h.texts(OLD)) == 2
    # Mona's two messages, in order: the greeting, then the answer to "1"
    assert len(h.texts(MONA)) == 3
    state = await h.services.engine.store.load("whatsapp", MONA.key)
    assert state.answers.get("applicant") == "individual" or state.step == "group"


async def test_voice_and_location_get_a_polite_word(h: Harness) -> None:
    await h.send(h.payloads.text(MONA, "مرحبا"))
    await h.send(h.payloads.voice(MONA, "9999"))
    await h.send(h.payloads.location(MONA))
    voice, location = h.texts(MONA)[-2:]
    assert "الرسائل الصوتية" in voice
    # before a service is chosen a location is kept for «أين صاحب الإقامة الآن؟»
    # (conversations.flows.early_place), and said so
    assert "يبيّن موقعك أنك داخل المملكة" in location
    assert h.graph.downloads == []


# ------------------------------------------------------------------ files people really send

CAPTION = "بطاقة الإقامة منتهية ولا أستطيع تجديدها من أبشر بسبب رسالة خطأ عند السداد"


async def test_a_file_of_a_kind_not_taken_is_not_downloaded(h: Harness) -> None:
    """An archive is never fetched; a photo sent at the first question is kept for the
    request the person then files (6449024), so it alone is downloaded."""
    await h.send(h.payloads.text(MONA, "مرحبا"))  # the first question
    archive = h.graph.add_media(b"PK\x03\x04" + b"\0" * (5 * 1024 * 1024), "application/zip")
    photo = h.graph.add_media(samples.png(seed=21), "image/png")
    await h.send(
        h.payloads.document(
            MONA, archive.id, archive.sha256_b64, filename="all.zip", mime="application/zip"
        )
    )
    await h.send(h.payloads.image(MONA, photo.id, photo.sha256_b64, mime="image/png"))
    assert h.graph.downloads == [photo.id]
    state = await h.services.engine.store.load("whatsapp", MONA.key)
    assert state.step == "applicant"


async def test_a_photo_with_the_description_in_its_caption(h: Harness) -> None:
    await walk_to_identity(h, MONA)
    await h.send(h.payloads.text(MONA, "2000000006"))
    photo = h.graph.add_media(samples.jpeg(seed=22), "image/jpeg")
    await h.send(h.payloads.image(MONA, photo.id, photo.sha256_b64, caption=CAPTION))
    assert h.graph.downloads == [photo.id]
    state = await h.services.engine.store.load("whatsapp", MONA.key)
    assert state.step == "attachments" and state.answers["description"] == CAPTION
    [stored] = state.answers["attachments"]
    assert stored["checksum"] == photo.sha256_hex and stored["caption"] == CAPTION
    assert any("حُفظ وصفك والملف" in t for t in h.texts(MONA))


async def test_a_photo_sent_as_a_file_without_a_type_is_accepted_by_its_bytes(h: Harness) -> None:
    await walk_to_attachments(h, MONA)
    data = samples.png(seed=23)
    doc = h.graph.add_media(data, "application/octet-stream")
    await h.send(
        h.payloads.document(
            MONA, doc.id, doc.sha256_b64, filename="IMG_2041", mime="application/octet-stream",
            caption="صورة الإقامة",
        )
    )  # fmt: skip
    state = await h.services.engine.store.load("whatsapp", MONA.key)
    [stored] = state.answers["attachments"]
    assert stored["mime"] == "image/png" and stored["caption"] == "صورة الإقامة"
    assert h.services.media.read(stored["checksum"]) == data


async def test_a_file_bigger_than_it_says_is_cut_off_and_refused(h: Harness) -> None:
    await walk_to_attachments(h, MONA)
    data = samples.jpeg(seed=24) + b"\0" * (15 * 1024 * 1024)
    photo = h.graph.add_media(data, "image/jpeg", claimed_size=1024)
    await h.send(h.payloads.image(MONA, photo.id, photo.sha256_b64))
    assert "أكبر من" in h.texts(MONA)[-1]
    assert not h.services.media.exists(photo.sha256_hex)
    state = await h.services.engine.store.load("whatsapp", MONA.key)
    assert state.answers.get("attachments", []) == []


async def test_a_draining_worker_refuses_new_messages_so_whatsapp_delivers_them_again(
    h: Harness,
) -> None:
    await h.send(h.payloads.text(MONA, "مرحبا"))
    begin_drain(h.app, within_s=5)  # what SIGTERM does first (bot.runner)
    ready = await h.client.get("/readyz")
    assert ready.status == 503 and (await ready.json())["failing"] == ["draining"]
    before = len(h.texts(KHALID))
    refused = await h.post(h.payloads.text(KHALID, "مرحبا"))
    assert refused.status == 503
    await asyncio.sleep(0.3)
    assert len(h.texts(KHALID)) == before == 0  # not handled: WhatsApp sends it again
    bad = await h.post(h.payloads.text(KHALID, "مرحبا"), secret="wrong")
    assert bad.status == 403  # the signature is still checked first
