"""WhatsAppSender against the Graph API stand-in and a real Redis: normal messages inside
the 24-hour window, the template outside it (the replies then wait for the person's next
message), long lists paged with «More», limits and retries."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis

from bot.app import build_services
from bot.channels.whatsapp import WhatsAppSender, WindowClosed, last_inbound_key
from bot.web import WHATSAPP_KEY, build_web_app
from conversations.events import Option, Reply
from standins.graph_api import GraphAPIStandin, interactive_choices
from standins.whatsapp_payloads import PayloadFactory, WaUser
from tests.integration.test_whatsapp_webhook import MONA, PNG, Harness, settings_for

HIDDEN = WaUser(None, "SA.1000000000000009", "مستخدم باسم")
NOTICE = Reply("تم قبول طلبك رقم 6418407042.")


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


def sender(h: Harness) -> WhatsAppSender:
    return h.app[WHATSAPP_KEY].channel.sender


async def test_inside_the_window_a_notification_is_a_normal_message(h: Harness) -> None:
    await h.send(h.payloads.text(MONA, "مرحبا"))
    wamid = await sender(h).send(MONA.key, [NOTICE], template_params=("6418407042",))
    assert wamid.startswith("wamid.")
    assert h.texts(MONA)[-1] == NOTICE.text
    assert not any(m["type"] == "template" for m in h.graph.sent())


async def test_outside_the_window_the_template_goes_and_the_details_wait(h: Harness) -> None:
    two_days_ago = int(time.time()) - 2 * 24 * 3600
    await h.send(h.payloads.text(MONA, "مرحبا", ts=two_days_ago))
    before = len(h.texts(MONA))
    await sender(h).send(MONA.key, [NOTICE], template_params=("6418407042", "مقبول"))
    [template] = h.graph.sent_to(MONA.wa_id or "")[before:]
    assert template["type"] == "template"
    assert template["template"]["name"] == "request_update"
    assert template["template"]["language"] == {"code": "ar"}
    params = template["template"]["components"][0]["parameters"]
    assert [p["text"] for p in params] == ["6418407042", "مقبول"]
    # the person answers the template: the details come first, then the dialogue goes on
    await h.send(h.payloads.text(MONA, "مرحبا"))
    after = h.texts(MONA)[before + 1 :]
    assert after[0] == NOTICE.text
    assert len(after) == 2  # the notice, then the dialogue's answer to the message


async def test_the_template_quick_reply_shows_the_details_only(h: Harness) -> None:
    # no message from Mona yet, so no number known: the template goes to her user id
    await sender(h).send(MONA.key, [NOTICE])
    assert h.graph.texts(MONA.key) == ["[template request_update]"]
    await h.send(h.payloads.template_button(MONA, "عرض التفاصيل"))
    assert h.texts(MONA) == [NOTICE.text]
    # told once: a replayed tap or a later message does not repeat them
    await h.send(h.payloads.text(MONA, "مرحبا"))
    assert h.texts(MONA).count(NOTICE.text) == 1


async def test_without_a_template_a_closed_window_is_an_error(h: Harness) -> None:
    plain = sender(h)
    no_template = WhatsAppSender(plain.wa, plain.redis, template_name=None)
    with pytest.raises(WindowClosed):
        await no_template.send(MONA.key, [NOTICE])
    assert h.graph.sent() == []


async def test_someone_without_a_visible_number_is_reached_by_user_id(h: Harness) -> None:
    await h.send(h.payloads.text(HIDDEN, "مرحبا"))
    sent = h.graph.sent_to(HIDDEN.key)
    assert len(sent) == 2
    assert all(m.get("recipient") == HIDDEN.key and "to" not in m for m in sent)


async def test_a_long_list_is_paged_with_more(h: Harness) -> None:
    await h.send(h.payloads.text(MONA, "مرحبا"))
    options = tuple(Option(f"o{i}", f"الخيار رقم {i}") for i in range(1, 16))
    await sender(h).send(MONA.key, [Reply("اختر من القائمة:", choices=options)])
    first = h.choices(MONA)
    assert len(first) == 10
    assert [title for _id, title in first[:9]] == [f"{i}. الخيار رقم {i}" for i in range(1, 10)]
    more_id, more_title = first[-1]
    assert more_title == "المزيد"
    await h.send(h.payloads.list_reply(MONA, more_id, more_title))
    second = h.choices(MONA)
    assert [choice_id for choice_id, _title in second] == [f"o{i}" for i in range(10, 16)]
    assert second[0][1] == "10. الخيار رقم 10"
    # a redelivered «More» tap does not send the page twice
    lists = len(h.graph.sent_to(MONA.wa_id or ""))
    await h.send(h.payloads.list_reply(MONA, more_id, more_title))
    assert len(h.graph.sent_to(MONA.wa_id or "")) == lists + 1  # the new tap only


async def test_long_text_and_long_body_are_split_within_the_limits(h: Harness) -> None:
    await h.send(h.payloads.text(MONA, "مرحبا"))
    before = len(h.texts(MONA))
    paragraph = "سطر طويل من النص العربي للتجربة. " * 40
    text = "\n\n".join([paragraph] * 5) + "\n\nهل تريد المتابعة؟"
    await sender(h).send(
        MONA.key, [Reply(text, choices=(Option("yes", "نعم"), Option("no", "لا")))]
    )
    sent = h.graph.sent_to(MONA.wa_id or "")[before:]
    assert [m["type"] for m in sent][-1] == "interactive"
    assert all(m["type"] == "text" and len(m["text"]["body"]) <= 4096 for m in sent[:-1])
    body = sent[-1]["interactive"]["body"]["text"]
    assert len(body) <= 1024 and body.endswith("هل تريد المتابعة؟")


async def test_a_passing_graph_api_error_is_retried(h: Harness) -> None:
    await h.send(h.payloads.text(MONA, "مرحبا"))
    h.graph.fail_next("messages", code=131000, status=500)
    await sender(h).send(MONA.key, [NOTICE])
    assert h.texts(MONA)[-1] == NOTICE.text


async def test_a_photo_in_a_reply_is_uploaded_and_sent(h: Harness, tmp_path: Path) -> None:
    await h.send(h.payloads.text(MONA, "مرحبا"))
    receipt = tmp_path / "receipt.png"
    receipt.write_bytes(PNG)
    await sender(h).send(MONA.key, [Reply("إيصال طلبك", media=(str(receipt),))])
    image, caption = h.graph.sent_to(MONA.wa_id or "")[-2:]
    assert image["type"] == "image"
    assert h.graph.media[image["image"]["id"]].data == PNG
    assert caption["text"]["body"] == "إيصال طلبك"


async def test_an_old_message_does_not_close_the_window(h: Harness) -> None:
    await h.send(h.payloads.text(MONA, "مرحبا"))
    recent = await h.services.redis.get(last_inbound_key(MONA.key))
    await h.send(h.payloads.text(MONA, "قديمة", ts=int(time.time()) - 3 * 24 * 3600))
    assert await h.services.redis.get(last_inbound_key(MONA.key)) == recent
    assert await sender(h).window_open(MONA.key)


async def test_interactive_choices_reach_the_graph_api_as_sent(h: Harness) -> None:
    await h.send(h.payloads.text(MONA, "مرحبا"))
    await sender(h).send(
        MONA.key, [Reply("نعم أم لا؟", choices=(Option("y", "نعم"), Option("n", "لا")))]
    )
    interactive = h.graph.last_interactive(MONA.wa_id or "")
    assert interactive is not None and interactive_choices(interactive) == [
        ("y", "نعم"),
        ("n", "لا"),
    ]
