"""Webhook payloads → events, on raw JSON: every entry, change and message; senders by
business-scoped id with the number kept; statuses with and without contacts; signatures."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest

from bot.channels.whatsapp_inbound import (
    DeliveryStatus,
    NumberChange,
    Sender,
    StatusError,
    parse_webhook,
)
from bot.channels.whatsapp_signatures import sha256_matches, verify_signature
from conversations.events import Choice, Command, Contact, Media, Origin, Text, Unsupported
from standins.whatsapp_payloads import PayloadFactory, WaUser, batch, encode, sign

PHONE_ID = "106540352242922"
MONA = WaUser("966501234567", "SA.1000000000000001", "منى")
OLD = WaUser("966561234567", None)
HIDDEN = WaUser(None, "SA.1000000000000009")


@pytest.fixture
def p() -> PayloadFactory:
    return PayloadFactory(PHONE_ID)


def only(payload: dict[str, Any]) -> Any:
    [message] = parse_webhook(payload, phone_id=PHONE_ID).messages
    return message


def test_signature_of_the_raw_body() -> None:
    body = encode({"object": "whatsapp_business_account", "entry": []})
    assert verify_signature("secret", body, sign(body, "secret"))
    assert not verify_signature("secret", body, sign(body, "other"))
    assert not verify_signature("secret", body + b" ", sign(body, "secret"))
    assert not verify_signature("secret", body, None)
    assert not verify_signature("secret", body, "sha1=abc")


def test_checksums_in_base64_or_hex() -> None:
    data = b"photo bytes"
    digest = hashlib.sha256(data).digest()
    assert sha256_matches(base64.b64encode(digest).decode(), data)
    assert sha256_matches(digest.hex(), data)
    assert sha256_matches(digest.hex().upper(), data)
    assert not sha256_matches(base64.b64encode(b"x" * 32).decode(), data)
    assert not sha256_matches("not a checksum!", data)


def test_text_is_keyed_by_business_scoped_id_with_the_number_kept(p: PayloadFactory) -> None:
    message = only(p.text(MONA, "مرحبا"))
    assert message.sender == Sender("SA.1000000000000001", "966501234567")
    assert message.event == Text(
        Origin("whatsapp", "SA.1000000000000001", p.last_wamid, p.last_wamid), "مرحبا"
    )
    assert message.wamid == p.last_wamid and message.timestamp > 0


def test_payload_from_before_business_ids_is_keyed_by_number(p: PayloadFactory) -> None:
    assert only(p.text(OLD, "مرحبا")).sender == Sender("966561234567", "966561234567")


def test_someone_hiding_their_number_has_no_wa_id(p: PayloadFactory) -> None:
    assert only(p.text(HIDDEN, "مرحبا")).sender == Sender("SA.1000000000000009", None)


def test_slash_commands_and_the_first_open_of_the_chat(p: PayloadFactory) -> None:
    assert only(p.text(MONA, "/start")).event.name == "start"
    welcome = p.messages(MONA, p.message(MONA, "request_welcome", {}))
    assert isinstance(only(welcome).event, Command)


def test_button_and_list_replies_are_choices(p: PayloadFactory) -> None:
    assert only(p.button_reply(MONA, "ind", "فرد")).event.id == "ind"
    assert only(p.list_reply(MONA, "s:iqama_renew", "1. تجديد")).event.id == "s:iqama_renew"
    assert isinstance(only(p.list_reply(MONA, "x", "x")).event, Choice)


def test_a_template_quick_reply_is_its_text(p: PayloadFactory) -> None:
    message = only(p.template_button(MONA, "عرض التفاصيل"))
    assert message.quick_reply and isinstance(message.event, Text)
    assert message.event.text == "عرض التفاصيل"


def test_image_and_document_carry_media_id_type_and_announced_checksum(p: PayloadFactory) -> None:
    image = only(p.image(MONA, "1234", "c2hh", mime="image/png", caption="الإقامة"))
    assert isinstance(image.event, Media)
    assert (image.event.kind, image.event.ref, image.event.mime) == ("photo", "1234", "image/png")
    assert image.event.size == 0 and image.event.caption == "الإقامة" and image.sha256 == "c2hh"
    document = only(p.document(MONA, "5678", "c2hh", filename="passport.pdf"))
    assert isinstance(document.event, Media)
    assert (document.event.kind, document.event.file_name) == ("document", "passport.pdf")


def test_voice_location_and_stickers_reach_the_engine_to_be_refused(p: PayloadFactory) -> None:
    voice = only(p.voice(MONA, "1"))
    assert isinstance(voice.event, Media) and voice.event.kind == "voice"
    # with its point, which may answer where the iqama holder is (early_place)
    assert only(p.location(MONA)).event == Unsupported(
        Origin("whatsapp", MONA.key, p.last_wamid, p.last_wamid), "location", (24.7136, 46.6753)
    )
    sticker = p.messages(MONA, p.message(MONA, "sticker", {"id": "9", "mime_type": "image/webp"}))
    assert only(sticker).event.kind == "sticker"


def test_a_reaction_opens_the_window_but_needs_no_answer(p: PayloadFactory) -> None:
    reaction = p.messages(
        MONA, p.message(MONA, "reaction", {"message_id": "wamid.x", "emoji": "👍"})
    )
    message = only(reaction)
    assert message.event is None and message.sender.user_key == MONA.key


def test_a_contact_card_is_own_only_when_it_is_the_senders_number(p: PayloadFactory) -> None:
    def card(wa_id: str) -> dict[str, Any]:
        phones = [{"phone": "+966 50 123 4567", "wa_id": wa_id, "type": "CELL"}]
        return p.messages(
            MONA, p.message(MONA, "contacts", [{"name": {"formatted_name": "م"}, "phones": phones}])
        )

    own = only(card("966501234567")).event
    assert isinstance(own, Contact) and own.is_own and own.phone == "+966501234567"
    other = only(card("966551234567")).event
    assert isinstance(other, Contact) and not other.is_own


def test_a_batched_payload_is_read_whole(p: PayloadFactory) -> None:
    khalid = WaUser("966551234567", "SA.1000000000000002")
    second = p.message(MONA, "text", {"body": "2"}, ts=200)
    first = p.message(MONA, "text", {"body": "1"}, ts=100)
    payload = batch(
        p.messages(MONA, second, first),
        p.text(khalid, "مرحبا"),
        p.wrap(
            p._value(statuses=[]),
            p._value(contacts=[OLD.contact()], messages=[p.message(OLD, "text", {"body": "ب"})]),
        ),
    )
    messages = parse_webhook(payload, phone_id=PHONE_ID).messages
    texts = [(m.sender.user_key, m.event.text) for m in messages if isinstance(m.event, Text)]
    assert texts == [
        (MONA.key, "1"),  # in the order they were written
        (MONA.key, "2"),
        (khalid.key, "مرحبا"),
        (OLD.key, "ب"),
    ]


def test_each_message_of_a_batch_finds_its_own_contact(p: PayloadFactory) -> None:
    khalid = WaUser("966551234567", "SA.1000000000000002")
    value = p._value(
        contacts=[MONA.contact(), khalid.contact()],
        messages=[
            {
                "from": khalid.wa_id,
                "id": "wamid.k",
                "timestamp": "1",
                "type": "text",
                "text": {"body": "ك"},
            },
            {
                "from_user_id": MONA.user_id,
                "id": "wamid.m",
                "timestamp": "2",
                "type": "text",
                "text": {"body": "م"},
            },
        ],
    )
    senders = [m.sender for m in parse_webhook(p.wrap(value), phone_id=PHONE_ID).messages]
    assert senders == [Sender(khalid.key, khalid.wa_id), Sender(MONA.key, MONA.wa_id)]


def test_photos_sent_together_share_an_album(p: PayloadFactory) -> None:
    photos = [
        p.message(MONA, "image", {"id": str(i), "mime_type": "image/jpeg", "sha256": "x"})
        for i in range(3)
    ]
    messages = parse_webhook(p.messages(MONA, *photos), phone_id=PHONE_ID).messages
    albums = {m.event.album_id for m in messages if isinstance(m.event, Media)}
    assert len(albums) == 1 and None not in albums
    assert only(p.image(MONA, "7", "x")).event.album_id is None


def test_statuses_with_and_without_contacts(p: PayloadFactory) -> None:
    errors = [{"code": 131026, "title": "Message undeliverable"}]
    payload = batch(
        p.status("wamid.1", "delivered", MONA, ts=10),
        p.status("wamid.2", "failed", MONA, errors=errors, ts=11),
        p.status("wamid.3", "deleted", MONA),
    )
    assert "contacts" not in payload["entry"][1]["changes"][0]["value"]
    assert parse_webhook(payload, phone_id=PHONE_ID).statuses == [
        DeliveryStatus("wamid.1", "delivered", 10),
        DeliveryStatus("wamid.2", "failed", 11, (StatusError(131026, "Message undeliverable"),)),
    ]


def test_another_business_number_and_garbage_are_skipped(p: PayloadFactory) -> None:
    other = PayloadFactory("999").text(MONA, "مرحبا")
    assert parse_webhook(other, phone_id=PHONE_ID).messages == []
    junks: list[Any] = [
        None,
        [],
        {"object": "page"},
        {"object": "whatsapp_business_account", "entry": "x"},
    ]
    for junk in junks:
        batch_ = parse_webhook(junk, phone_id=PHONE_ID)
        assert batch_.messages == [] and batch_.statuses == []
    no_id = p.messages(MONA, {"from": MONA.wa_id, "type": "text", "text": {"body": "x"}})
    broken = p.messages(MONA, p.message(MONA, "text", {}))
    assert parse_webhook(batch(no_id, broken), phone_id=PHONE_ID).messages == []


def test_an_edit_is_the_new_text_naming_the_message_it_replaces(p: PayloadFactory) -> None:
    item = only(p.edit(MONA, "wamid.original", "2000000006"))
    origin = Origin("whatsapp", MONA.key, p.last_wamid, p.last_wamid, edits="wamid.original")
    assert item.event == Text(origin, "2000000006")


def test_an_edit_without_its_original_or_of_another_kind_asks_nothing(
    p: PayloadFactory,
) -> None:
    broken = p.messages(MONA, p.message(MONA, "edit", {"message": {"type": "text"}}))
    assert only(broken).event is None
    poll = {"original_message_id": "wamid.x", "message": {"type": "poll", "poll": {}}}
    assert only(p.messages(MONA, p.message(MONA, "edit", poll))).event is None


def test_a_changed_number_names_old_and_new_keys(p: PayloadFactory) -> None:
    new = WaUser("966509876543", "SA.1000000000000042")
    item = only(p.changed_number(MONA, new))
    assert item.event is None
    assert item.change == NumberChange(
        "SA.1000000000000001", "SA.1000000000000042", "966501234567", "966509876543"
    )


def test_a_changed_number_before_business_ids_moves_from_number_to_number(
    p: PayloadFactory,
) -> None:
    item = only(p.changed_number(OLD, WaUser("966509876543", None)))
    assert item.change == NumberChange(
        "966561234567", "966509876543", "966561234567", "966509876543"
    )


def test_other_system_notices_move_nobody(p: PayloadFactory) -> None:
    notice = {"body": "…", "type": "customer_identity_changed"}
    item = only(p.messages(MONA, p.message(MONA, "system", notice)))
    assert item.event is None and item.change is None
