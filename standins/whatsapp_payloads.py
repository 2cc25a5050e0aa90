"""Raw WhatsApp Cloud API webhook payloads, shaped like Meta's (2026: with business-scoped
user ids), and their signatures — for tests and benchmarks::

    payloads = PayloadFactory(phone_id=graph.phone_id)
    user = WaUser("966501234567", "SA.1000000000000001", "منى")
    body = payloads.text(user, "مرحبا")
    raw = encode(body)
    headers = {"X-Hub-Signature-256": sign(raw, APP_SECRET)}

Each message gets a fresh wamid (:attr:`PayloadFactory.last_wamid`); :func:`batch` puts
several payloads into one, as several entries, the way WhatsApp sometimes delivers them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any, Final

JSON = dict[str, Any]

DEFAULT_WABA_ID: Final = "102290129340398"
DEFAULT_DISPLAY_PHONE: Final = "966110000000"


def encode(payload: JSON) -> bytes:
    """The raw body as Meta sends it (compact JSON, UTF-8, non-ASCII escaped)."""
    return json.dumps(payload, separators=(",", ":")).encode()


def sign(body: bytes, app_secret: str) -> str:
    """The ``X-Hub-Signature-256`` header for `body`."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class WaUser:
    """A WhatsApp user: `wa_id` (their number in digits; None for someone who hides it
    behind a username) and `user_id` (their business-scoped user id; None for payloads
    from before 2026)."""

    wa_id: str | None
    user_id: str | None
    name: str = "مستخدم"

    @property
    def key(self) -> str:
        """The user key the bot files them under: the BSUID, else the wa_id."""
        key = self.user_id or self.wa_id
        assert key is not None
        return key

    def contact(self) -> JSON:
        contact: JSON = {"profile": {"name": self.name}}
        if self.wa_id:
            contact["wa_id"] = self.wa_id
        if self.user_id:
            contact["user_id"] = self.user_id
        return contact


@dataclass
class PayloadFactory:
    phone_id: str
    display_phone: str = DEFAULT_DISPLAY_PHONE
    waba_id: str = DEFAULT_WABA_ID
    last_wamid: str = field(default="", init=False)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1), init=False)

    def wamid(self) -> str:
        # Real wamids are base64 of a protobuf holding the number; opaque is enough here.
        raw = f"tawasul-test-{next(self._ids)}-{time.time_ns()}".encode()
        self.last_wamid = "wamid." + base64.b64encode(raw).decode()
        return self.last_wamid

    def _value(self, **content: Any) -> JSON:
        return {
            "messaging_product": "whatsapp",
            "metadata": {
                "display_phone_number": self.display_phone,
                "phone_number_id": self.phone_id,
            },
            **content,
        }

    def wrap(self, *values: JSON) -> JSON:
        """A payload with one entry and one change per value."""
        return {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": self.waba_id,
                    "changes": [{"value": v, "field": "messages"} for v in values],
                }
            ],
        }

    def message(
        self, user: WaUser, kind: str, content: JSON | list[JSON], *, ts: int | None = None
    ) -> JSON:
        """One message object (for :meth:`messages`)."""
        message: JSON = {
            "id": self.wamid(),
            "timestamp": str(ts if ts is not None else int(time.time())),
            "type": kind,
        }
        if user.wa_id:
            message["from"] = user.wa_id
        if user.user_id:
            message["from_user_id"] = user.user_id
        if kind:
            message[kind] = content
        return message

    def messages(self, user: WaUser, *messages: JSON) -> JSON:
        """A payload with several messages of one person in one change."""
        return self.wrap(self._value(contacts=[user.contact()], messages=list(messages)))

    def _single(self, user: WaUser, kind: str, content: JSON, ts: int | None) -> JSON:
        return self.messages(user, self.message(user, kind, content, ts=ts))

    def text(self, user: WaUser, body: str, *, ts: int | None = None) -> JSON:
        return self._single(user, "text", {"body": body}, ts)

    def image(
        self,
        user: WaUser,
        media_id: str,
        sha256: str,
        *,
        mime: str = "image/jpeg",
        caption: str | None = None,
        ts: int | None = None,
    ) -> JSON:
        content: JSON = {"id": media_id, "mime_type": mime, "sha256": sha256}
        if caption:
            content["caption"] = caption
        return self._single(user, "image", content, ts)

    def document(
        self,
        user: WaUser,
        media_id: str,
        sha256: str,
        *,
        filename: str = "document.pdf",
        mime: str = "application/pdf",
        caption: str | None = None,
        ts: int | None = None,
    ) -> JSON:
        content: JSON = {"id": media_id, "mime_type": mime, "sha256": sha256, "filename": filename}
        if caption:
            content["caption"] = caption
        return self._single(user, "document", content, ts)

    def button_reply(self, user: WaUser, choice_id: str, title: str) -> JSON:
        content = {"type": "button_reply", "button_reply": {"id": choice_id, "title": title}}
        return self._single(user, "interactive", content, None)

    def list_reply(self, user: WaUser, choice_id: str, title: str, description: str = "") -> JSON:
        row: JSON = {"id": choice_id, "title": title}
        if description:
            row["description"] = description
        content = {"type": "list_reply", "list_reply": row}
        return self._single(user, "interactive", content, None)

    def template_button(self, user: WaUser, text: str, payload: str = "") -> JSON:
        return self._single(user, "button", {"text": text, "payload": payload or text}, None)

    def edit(self, user: WaUser, original_wamid: str, body: str) -> JSON:
        """The person edits a text they sent: a message of type ``edit`` with its own
        wamid, naming the original and carrying the new message."""
        content: JSON = {
            "original_message_id": original_wamid,
            "message": {"type": "text", "text": {"body": body}},
        }
        return self._single(user, "edit", content, None)

    def contact_card(self, user: WaUser, phone: str, *, wa_id: str | None = None) -> JSON:
        """A shared contact card; `wa_id` is set when the number is on WhatsApp."""
        number: JSON = {"phone": phone, "type": "CELL"}
        if wa_id:
            number["wa_id"] = wa_id
        card = {"name": {"formatted_name": "أنا", "first_name": "أنا"}, "phones": [number]}
        return self.messages(user, self.message(user, "contacts", [card]))

    def changed_number(self, user: WaUser, new: WaUser) -> JSON:
        """WhatsApp's notice that `user` now has `new`'s number (and, since a change of
        number regenerates it, `new`'s business-scoped user id). System notices come
        without a ``contacts`` array."""
        system: JSON = {
            "body": f"User {user.name} changed from {user.wa_id} to {new.wa_id}",
            "type": "user_changed_number",
        }
        if new.wa_id:
            system["wa_id"] = new.wa_id
        if new.user_id:
            system["user_id"] = new.user_id
        if user.user_id:
            system["previous_user_id"] = user.user_id
        message = self.message(user, "system", system)
        return self.wrap(self._value(messages=[message]))

    def voice(self, user: WaUser, media_id: str) -> JSON:
        content = {"id": media_id, "mime_type": "audio/ogg; codecs=opus", "voice": True}
        return self._single(user, "audio", content, None)

    def location(self, user: WaUser) -> JSON:
        return self._single(user, "location", {"latitude": 24.7136, "longitude": 46.6753}, None)

    def status(
        self,
        wamid: str,
        status: str,
        user: WaUser,
        *,
        errors: list[JSON] | None = None,
        with_contacts: bool | None = None,
        ts: int | None = None,
    ) -> JSON:
        """A status callback. Failed ones come without ``contacts`` (as Meta sends them)
        unless `with_contacts` says otherwise."""
        item: JSON = {
            "id": wamid,
            "status": status,
            "timestamp": str(ts if ts is not None else int(time.time())),
        }
        if user.wa_id:
            item["recipient_id"] = user.wa_id
        if user.user_id:
            item["recipient_user_id"] = user.user_id
        if status != "failed":
            item["pricing"] = {"billable": True, "pricing_model": "PMP", "category": "utility"}
        if errors:
            item["errors"] = errors
        value = self._value(statuses=[item])
        if with_contacts if with_contacts is not None else status != "failed":
            value["contacts"] = [user.contact()]
        return self.wrap(value)


def batch(*payloads: JSON) -> JSON:
    """Several payloads as one, each as its own entry."""
    return {
        "object": "whatsapp_business_account",
        "entry": [entry for p in payloads for entry in p["entry"]],
    }
