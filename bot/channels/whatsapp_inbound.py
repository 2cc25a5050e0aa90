"""WhatsApp Cloud API webhooks → neutral events.

Pure, like :mod:`bot.channels.telegram_inbound`: it reads the webhook JSON and nothing
else, so every payload shape is tested without a network. We parse the raw payload
ourselves rather than through pywa's update types because those read only
``entry[0].changes[0].messages[0]`` (a batched payload would lose the rest), take the sender
of every message from ``contacts[0]`` and fail with a KeyError on status payloads without
a ``contacts`` array (failed statuses have none).

Who is who: since 2026 a message carries the business-scoped user id (BSUID,
``from_user_id``, ``contacts[].user_id``, e.g. ``SA.13491208655302741918``) and, unless the
person hides it behind a username, the phone number as ``from`` / ``contacts[].wa_id``.
The BSUID is the user key when present (it survives a change of number); the wa_id rides
along so the channel can remember it and treat it as the person's verified phone.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

from conversations.events import (
    Choice,
    Command,
    Contact,
    Event,
    Media,
    MediaKind,
    Origin,
    Text,
    Unsupported,
)

log = logging.getLogger(__name__)

CHANNEL: Final = "whatsapp"

#: Statuses recorded against the outbox; others ("deleted", "warning", ...) are ignored.
DELIVERY_STATUSES: Final = frozenset({"sent", "delivered", "read", "failed"})

# Same rule as Telegram's command names, so "/start" typed on WhatsApp works alike.
_COMMAND = re.compile(r"/([A-Za-z0-9_]{1,32})(?:\s+(.*))?", re.DOTALL)

JSON = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Sender:
    """The person behind a message: `user_key` is the BSUID when the payload has one,
    otherwise the wa_id; `wa_id` is their phone number in digits when WhatsApp shares it."""

    user_key: str
    wa_id: str | None


@dataclass(frozen=True, slots=True)
class NumberChange:
    """WhatsApp's notice that a person now has another number and, with it, another
    business-scoped user id (``system`` message ``user_changed_number``; or only another
    user id, ``user_changed_user_id``). `old_key` and `new_key` are user keys as
    :class:`Sender` makes them; the wa_ids are None when the notice does not give them."""

    old_key: str
    new_key: str
    old_wa_id: str | None
    new_wa_id: str | None


@dataclass(frozen=True, slots=True)
class Inbound:
    """One message from a person. `event` is None for messages that need no answer
    (reactions, system notices) but still open the 24-hour window. `sha256` is the media
    checksum the webhook announced (base64 or hex), checked after the download.
    `quick_reply` marks a tap on a template's quick-reply button; `change` is set on a
    notice that the person moved to another number."""

    sender: Sender
    wamid: str
    timestamp: int
    event: Event | None
    sha256: str | None = None
    quick_reply: bool = False
    change: NumberChange | None = None


@dataclass(frozen=True, slots=True)
class StatusError:
    code: int
    title: str


@dataclass(frozen=True, slots=True)
class DeliveryStatus:
    """What became of a message we sent: `wamid` is the id the send call returned."""

    wamid: str
    status: str
    timestamp: int
    errors: tuple[StatusError, ...] = ()


@dataclass(frozen=True, slots=True)
class WebhookBatch:
    messages: list[Inbound]
    statuses: list[DeliveryStatus]


# ------------------------------------------------------------------------ payloads


def parse_webhook(payload: Any, *, phone_id: str | None = None) -> WebhookBatch:
    """Every message and status in a webhook payload, across all entries and changes, in
    the order WhatsApp listed them (messages of one change sorted by timestamp). Values
    for another business number than `phone_id` are skipped; malformed items are skipped
    with a log line that names no one."""
    messages: list[Inbound] = []
    statuses: list[DeliveryStatus] = []
    if not isinstance(payload, Mapping) or payload.get("object") != "whatsapp_business_account":
        return WebhookBatch(messages, statuses)
    for value in _values(payload):
        metadata = value.get("metadata")
        if phone_id is not None and isinstance(metadata, Mapping):
            if str(metadata.get("phone_number_id", "")) != phone_id:
                log.info("webhook value for another phone number id skipped")
                continue
        contacts = [c for c in _list(value.get("contacts")) if isinstance(c, Mapping)]
        found = []
        for raw in _list(value.get("messages")):
            item = _message(raw, contacts)
            if item is not None:
                found.append(item)
        found.sort(key=lambda m: m.timestamp)
        messages.extend(found)
        for raw in _list(value.get("statuses")):
            status = _status(raw)
            if status is not None:
                statuses.append(status)
    return WebhookBatch(_albums(messages), statuses)


def _values(payload: JSON) -> Iterator[JSON]:
    for entry in _list(payload.get("entry")):
        if not isinstance(entry, Mapping):
            continue
        for change in _list(entry.get("changes")):
            if not isinstance(change, Mapping) or change.get("field", "messages") != "messages":
                continue
            value = change.get("value")
            if isinstance(value, Mapping):
                yield value


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _sender(raw: JSON, contacts: list[JSON]) -> Sender | None:
    wa_id = _str(raw.get("from"))
    bsuid = _str(raw.get("from_user_id"))
    contact: JSON | None = None
    for candidate in contacts:
        if (wa_id and candidate.get("wa_id") == wa_id) or (
            bsuid and candidate.get("user_id") == bsuid
        ):
            contact = candidate
            break
    if contact is None and len(contacts) == 1:
        contact = contacts[0]
    if contact is not None:
        bsuid = bsuid or _str(contact.get("user_id"))
        wa_id = wa_id or _str(contact.get("wa_id"))
    key = bsuid or wa_id
    if key is None:
        return None
    return Sender(user_key=key, wa_id=wa_id)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _message(raw: Any, contacts: list[JSON]) -> Inbound | None:
    if not isinstance(raw, Mapping):
        return None
    wamid = _str(raw.get("id"))
    sender = _sender(raw, contacts)
    if wamid is None or sender is None:
        log.warning("webhook message without id or sender skipped")
        return None
    try:
        timestamp = int(raw.get("timestamp", 0))
    except (TypeError, ValueError):
        timestamp = 0
    origin = Origin(channel=CHANNEL, user_key=sender.user_key, event_id=wamid, message_id=wamid)
    kind = str(raw.get("type", ""))
    content = raw.get(kind)
    body: JSON = content if isinstance(content, Mapping) else {}
    inbound = Inbound(sender=sender, wamid=wamid, timestamp=timestamp, event=None)
    try:
        return _translate(inbound, origin, kind, body, raw)
    except (KeyError, TypeError, ValueError):
        log.warning("malformed %s message %s skipped", kind or "untyped", wamid)
        return None


def _translate(inbound: Inbound, origin: Origin, kind: str, body: JSON, raw: JSON) -> Inbound:
    replace = dataclasses.replace
    if kind == "text":
        return replace(inbound, event=_text_event(origin, str(body["body"])))
    if kind == "interactive":
        itype = str(body.get("type", ""))
        if itype in ("button_reply", "list_reply"):
            return replace(inbound, event=Choice(origin=origin, id=str(body[itype]["id"])))
        return replace(inbound, event=Unsupported(origin=origin, kind=itype or "interactive"))
    if kind == "button":
        # a quick-reply button of a template: its text answers like typing it
        return replace(
            inbound, event=Text(origin=origin, text=str(body.get("text", ""))), quick_reply=True
        )
    if kind in _MEDIA_KINDS:
        media, sha256 = _media(origin, kind, body)
        return replace(inbound, event=media, sha256=sha256)
    if kind == "location":
        # its point may answer where the iqama holder is (conversations.flows.early_place)
        lat, lon = body.get("latitude"), body.get("longitude")
        place = None if lat is None or lon is None else (float(lat), float(lon))
        return replace(inbound, event=Unsupported(origin=origin, kind="location", place=place))
    if kind == "contacts":
        return replace(inbound, event=_contact(origin, raw, inbound.sender))
    if kind == "request_welcome":
        # the person opened the chat for the first time: greet them as /start would
        return replace(inbound, event=Command(origin=origin, name="start"))
    if kind == "edit":
        return _edit(inbound, origin, body)
    if kind == "system":
        return replace(inbound, change=_number_change(raw, body, inbound.sender))
    if kind in ("reaction", "ephemeral", "revoke"):
        return inbound
    return replace(inbound, event=Unsupported(origin=origin, kind=kind or "unsupported"))


def _edit(inbound: Inbound, origin: Origin, body: JSON) -> Inbound:
    """An edited text or caption: the new content, as an event whose origin names the
    message it replaces (``edit.original_message_id``)."""
    original = _str(body.get("original_message_id"))
    message = body.get("message")
    if original is None or not isinstance(message, Mapping):
        return inbound
    kind = str(message.get("type", ""))
    if kind != "text" and kind not in _MEDIA_KINDS:
        return inbound
    content = message.get(kind)
    edited = dataclasses.replace(origin, edits=original)
    return _translate(
        inbound, edited, kind, content if isinstance(content, Mapping) else {}, message
    )


def _number_change(raw: JSON, body: JSON, sender: Sender) -> NumberChange | None:
    """The move a ``system`` notice announces; None for other notices. A change of number
    also gives a new business-scoped user id (reported with the previous one); payloads
    without user ids move the person from the old wa_id to the new one."""
    if body.get("type") not in ("user_changed_number", "user_changed_user_id"):
        return None
    old_user_id = _str(body.get("previous_user_id")) or _str(raw.get("from_user_id"))
    new_user_id = _str(body.get("user_id"))
    new_wa_id = _str(body.get("wa_id")) or _str(body.get("new_wa_id"))
    old_key = old_user_id or sender.user_key
    if new_user_id:
        new_key = new_user_id
    elif old_user_id is None and new_wa_id:
        new_key = new_wa_id
    else:
        new_key = old_key  # the same user id, only the number changed
    return NumberChange(old_key, new_key, _str(raw.get("from")), new_wa_id)


def _text_event(origin: Origin, text: str) -> Event:
    match = _COMMAND.fullmatch(text.strip())
    if match is not None:
        return Command(
            origin=origin, name=match.group(1).lower(), args=(match.group(2) or "").strip()
        )
    return Text(origin=origin, text=text)


_MEDIA_KINDS: Final[dict[str, MediaKind]] = {
    "image": "photo",
    "document": "document",
    "video": "video",
    "sticker": "sticker",
    "audio": "audio",
}
_DEFAULT_MIME: Final[dict[str, str]] = {
    "image": "image/jpeg",
    "document": "application/octet-stream",
    "video": "video/mp4",
    "sticker": "image/webp",
    "audio": "audio/ogg",
}


def _media(origin: Origin, kind: str, body: JSON) -> tuple[Media, str | None]:
    media_kind = _MEDIA_KINDS[kind]
    if kind == "audio" and body.get("voice"):
        media_kind = "voice"
    media = Media(
        origin=origin,
        kind=media_kind,
        ref=str(body["id"]),
        mime=_str(body.get("mime_type")) or _DEFAULT_MIME[kind],
        # the webhook does not say how big the file is; the download does
        size=0,
        file_name=_str(body.get("filename")),
        caption=_str(body.get("caption")),
    )
    return media, _str(body.get("sha256"))


def _contact(origin: Origin, raw: JSON, sender: Sender) -> Event:
    """A shared contact card. It is the sender's own number only when WhatsApp ties the
    card's number to the sender's own account (same wa_id); anyone can share anyone's card."""
    for card in _list(raw.get("contacts")):
        for phone in _list(card.get("phones") if isinstance(card, Mapping) else None):
            if not isinstance(phone, Mapping):
                continue
            wa_id = _str(phone.get("wa_id"))
            number = wa_id or _str(phone.get("phone"))
            if number is None:
                continue
            digits = "".join(ch for ch in number if ch.isascii() and ch.isdigit())
            is_own = wa_id is not None and sender.wa_id is not None and wa_id == sender.wa_id
            return Contact(origin=origin, phone="+" + digits, is_own=is_own)
    return Unsupported(origin=origin, kind="contacts")


def _albums(messages: list[Inbound]) -> list[Inbound]:
    """Photos and files one person sent in the same webhook count as one album, so the
    flow answers them once (WhatsApp has no albums; "send several" arrives this way)."""
    counts: dict[str, list[int]] = {}
    for i, item in enumerate(messages):
        if isinstance(item.event, Media) and item.event.kind in ("photo", "document"):
            counts.setdefault(item.sender.user_key, []).append(i)
    result = list(messages)
    for indexes in counts.values():
        if len(indexes) < 2:
            continue
        album = "wa:" + messages[indexes[0]].wamid
        for i in indexes:
            event = result[i].event
            assert isinstance(event, Media)
            result[i] = dataclasses.replace(
                result[i], event=dataclasses.replace(event, album_id=album)
            )
    return result


def _status(raw: Any) -> DeliveryStatus | None:
    if not isinstance(raw, Mapping):
        return None
    wamid, status = _str(raw.get("id")), _str(raw.get("status"))
    if wamid is None or status is None or status not in DELIVERY_STATUSES:
        return None
    errors = []
    for error in _list(raw.get("errors")):
        if isinstance(error, Mapping):
            try:
                code = int(error.get("code", 0))
            except (TypeError, ValueError):
                code = 0
            title = str(error.get("title") or error.get("message") or "")
            errors.append(StatusError(code=code, title=title))
    try:
        timestamp = int(raw.get("timestamp", 0))
    except (TypeError, ValueError):
        timestamp = 0
    return DeliveryStatus(wamid=wamid, status=status, timestamp=timestamp, errors=tuple(errors))
