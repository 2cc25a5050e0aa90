"""Choices on WhatsApp as people expect them, through the real webhook and channel code,
real Redis and SQLite, read back from the Graph API stand-in: help that always arrives,
quick-reply buttons for short decisions, lists that say what they hold, old lists that
still page themselves, and a reply WhatsApp refuses sent again as numbered text."""

from __future__ import annotations

import logging
import time

import pytest

from bot.web import WHATSAPP_KEY
from conversations.events import Option, Reply
from standins.graph_api import StoredMedia, interactive_choices

from .test_whatsapp_webhook import MONA, PNG, Harness, h, walk_to_attachments

__all__ = ["h"]


def _interactive(h: Harness) -> dict[str, object]:
    interactive = h.graph.last_interactive(MONA.wa_id or "")
    assert interactive is not None
    return interactive


async def test_help_at_the_first_question_is_sent_whole(
    h: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await h.send(h.payloads.text(MONA, "هلا"))
    before = len(h.texts(MONA))
    with caplog.at_level(logging.WARNING):
        await h.send(h.payloads.text(MONA, "مساعدة"))
    help_text, question = h.texts(MONA)[before:]
    assert "مساعدة" in help_text or len(help_text) > 40
    ids = [i for i, _ in h.choices(MONA)]
    # «حالة طلبي» is offered by the question and by help: once
    assert ids.count("status") == 1 and {"ind", "est", "restart", "lang:en"} <= set(ids)
    assert "«مساعدة»" in question and "«إلغاء»" in question
    assert "RenderError" not in caplog.text and "plain text" not in caplog.text
    # «؟» is help too, and the row under it works
    await h.send(h.payloads.text(MONA, "؟"))
    await h.send(h.payloads.list_reply(MONA, "ind", "1. فرد"))
    assert "الخدمة" in h.texts(MONA)[-1]


async def test_short_decisions_are_reply_buttons_with_navigation_in_words(h: Harness) -> None:
    await h.send(h.payloads.text(MONA, "مرحبا"))
    await h.send(h.payloads.button_reply(MONA, "ind", "فرد"))
    await h.send(h.payloads.text(MONA, "ابي اجدد اقامتي"))
    await h.send(h.payloads.list_reply(MONA, "s:iqama_renew", "1. تجديد هوية مقيم"))
    # «داخل / خارج المملكة»: two buttons, not a five-row list
    interactive = _interactive(h)
    assert interactive["type"] == "button"
    assert [i for i, _ in h.choices(MONA)] == ["q:inside", "q:outside"]
    assert "«رجوع»" in h.texts(MONA)[-1]
    # the typed word still works: back at «لمن هذا الطلب؟» (its answer taken from «اقامتي»,
    # to change it), three buttons; once more, the suggested service (the iqama's alone:
    # no citizens' service for an iqama, tester 14 §1), two buttons
    await h.send(h.payloads.text(MONA, "رجوع"))
    assert "لمن هذا الطلب؟" in h.texts(MONA)[-1]
    assert [i for i, _ in h.choices(MONA)] == ["q:self", "q:family", "q:someone_else"]
    await h.send(h.payloads.text(MONA, "رجوع"))
    assert "هل هذه هي الخدمة" in h.texts(MONA)[-1]
    assert [i for i, _ in h.choices(MONA)] == ["s:iqama_renew", "none"]


async def test_attachments_step_is_buttons_and_summary_list_says_what_it_holds(
    h: Harness,
) -> None:
    await walk_to_attachments(h, MONA)
    assert _interactive(h)["type"] == "button"
    assert h.choices(MONA)[0][0] == "done"
    photo = h.graph.add_media(PNG, "image/png")
    await h.send(h.payloads.image(MONA, photo.id, photo.sha256_b64))
    await h.send(h.payloads.button_reply(MONA, "done", "تم"))
    interactive = _interactive(h)
    assert interactive["type"] == "list"
    action = interactive["action"]
    assert isinstance(action, dict)
    assert action["button"] == "تأكيد أو تعديل"
    assert [s["title"] for s in action["sections"]] == ["طلبك"]
    ids = [i for i, _ in interactive_choices(interactive)]  # type: ignore[arg-type]
    assert ids[0] == "confirm" and not {"back", "help", "cancel"} & set(ids)


async def test_an_old_more_row_pages_its_own_list(h: Harness) -> None:
    sender = h.app[WHATSAPP_KEY].channel.sender
    await h.send(h.payloads.text(MONA, "مرحبا"))  # opens the window, records the number
    first = Reply("القائمة الأولى", tuple(Option(f"a{i}", f"أ {i}") for i in range(1, 13)))
    second = Reply("القائمة الثانية", tuple(Option(f"b{i}", f"ب {i}") for i in range(1, 13)))
    await sender.deliver(MONA.key, [first])
    old_more = h.choices(MONA)[-1]
    await sender.deliver(MONA.key, [second])
    await h.send(h.payloads.list_reply(MONA, old_more[0], old_more[1]))
    assert [i for i, _ in h.choices(MONA)] == ["a10", "a11", "a12"]
    assert h.texts(MONA)[-1] == "القائمة الأولى"
    # a list nobody knows any more: said so, not silence
    await h.send(h.payloads.list_reply(MONA, "wa:more:deadbeef:9", "المزيد"))
    assert "قديمة" in h.texts(MONA)[-1]


async def test_an_interactive_message_whatsapp_refuses_goes_as_numbered_text(
    h: Harness,
) -> None:
    await h.send(h.payloads.text(MONA, "مرحبا"))
    h.graph.fail_next("messages", code=131009, message="Parameter value is not valid", status=400)
    await h.send(h.payloads.button_reply(MONA, "ind", "فرد"))
    last = h.graph.sent_to(MONA.wa_id or "")[-1]
    assert last["type"] == "text"
    assert "1. " in last["text"]["body"] and "2. " in last["text"]["body"]
    # typing a number answers it
    await h.send(h.payloads.text(MONA, "1"))
    assert h.graph.sent_to(MONA.wa_id or "")[-1]["type"] == "interactive"


async def test_several_files_sent_together_get_one_acknowledgement(h: Harness) -> None:
    await walk_to_attachments(h, MONA)
    p = h.payloads
    photos = [h.graph.add_media(PNG + bytes([i]), "image/png") for i in range(3)]
    at = int(time.time())
    # WhatsApp sends each chosen photo as its own message, a second or two apart, here in
    # one batched payload and in two more payloads
    first = p.messages(
        MONA,
        p.message(MONA, "image", _image(photos[0]), ts=at),
        p.message(MONA, "image", _image(photos[1]), ts=at + 1),
    )
    before = len(h.texts(MONA))
    # posted without waiting for the first to be handled, as they arrive
    assert (await h.post(first)).status == 200
    await h.send(p.image(MONA, photos[2].id, photos[2].sha256_b64, ts=at + 2))
    acks = h.texts(MONA)[before:]
    assert len(acks) == 1 and acks[0].startswith("وصلتني ٣ صور."), acks
    # a file sent a minute later is acknowledged on its own
    late = h.graph.add_media(PNG + b"late", "image/png")
    await h.send(p.image(MONA, late.id, late.sha256_b64, ts=at + 60))
    assert len(h.texts(MONA)) == before + 2
    assert h.texts(MONA)[-1].startswith("وصلتني الصورة.")
    await h.send(p.button_reply(MONA, "done", "تم"))
    assert "٤" in h.texts(MONA)[-1] or "4" in h.texts(MONA)[-1]


def _image(stored: StoredMedia) -> dict[str, str]:
    return {"id": stored.id, "mime_type": stored.mime, "sha256": stored.sha256_b64}


async def test_a_button_of_an_older_message_says_so_and_asks_again(h: Harness) -> None:
    p = h.payloads
    await h.send(p.text(MONA, "مرحبا"))
    await h.send(p.button_reply(MONA, "ind", "فرد"))
    await h.send(p.text(MONA, "ابي اجدد اقامتي"))
    await h.send(p.button_reply(MONA, "s:iqama_renew", "تجديد هوية مقيم"))
    question = h.texts(MONA)[-1]
    # the person scrolls up and taps another service on the older message
    before = len(h.texts(MONA))
    old_tap = p.button_reply(MONA, "s:passport_renew", "تجديد جواز السفر")
    await h.send(old_tap)
    notice, again = h.texts(MONA)[before:]
    assert "رسالة سابقة" in notice
    assert again == question and [i for i, _ in h.choices(MONA)] == ["q:inside", "q:outside"]
    # WhatsApp redelivers that tap: not answered twice
    await h.send(old_tap)
    assert len(h.texts(MONA)) == before + 2
    # and the dialogue did not move: the question is answered as usual
    await h.send(p.button_reply(MONA, "q:inside", "داخل المملكة"))
    assert "رقم" in h.texts(MONA)[-1]  # the identity question
    state = await h.services.engine.store.load("whatsapp", MONA.key)
    assert state.step == "identity" and state.answers["service"] == "iqama_renew"
