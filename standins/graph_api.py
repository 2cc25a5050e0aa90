"""A local stand-in for the WhatsApp Cloud API (the Graph API endpoints the bot uses).

An aiohttp server on 127.0.0.1 (a free port) that answers like Meta's servers and records
every call, so pywa talks to it unchanged through TAWASUL_WHATSAPP_API_URL::

    async with GraphAPIStandin() as graph:
        settings = Settings(whatsapp_api_url=graph.api_url, whatsapp_token=graph.token, ...)
        media = graph.add_media(jpeg_bytes, "image/jpeg")   # what GET /{media-id} serves
        ...
        graph.sent_to("966501234567")      # the message bodies sent to that person
        graph.texts("966501234567")        # their text / interactive bodies, in order

Endpoints: ``POST /{version}/{phone-id}/messages`` (text, interactive buttons and lists,
templates, image, document; WhatsApp's limits are enforced and a breach answered with
error 131009 like Meta does), ``POST /{version}/{phone-id}/media`` (upload),
``GET /{version}/{media-id}`` (the media URL, valid 5 minutes, with sha256 and size) and
``GET /download/{media-id}`` (the bytes, with the bearer token). :meth:`fail_next` makes
the next calls of an endpoint fail with a Graph API error; :meth:`hold` parks a message
send until released (a process killed while it waits).
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final

from aiohttp import web

from standins.graph_errors import GraphError
from standins.graph_errors import error_response as _error
from standins.graph_messages import check_message as _check_message
from standins.graph_messages import interactive_choices, message_text
from standins.loopback import LoopbackServer, ParkedCall

JSON = dict[str, Any]

__all__ = [
    "API_VERSION",
    "DEFAULT_PHONE_ID",
    "DEFAULT_TOKEN",
    "JSON",
    "MEDIA_URL_TTL_S",
    "Gate",
    "GraphAPIStandin",
    "GraphCall",
    "GraphError",
    "StoredMedia",
    "interactive_choices",
    "message_text",
]

DEFAULT_TOKEN: Final = "EAAStandinTokenForTawasulTests0000000000"
DEFAULT_PHONE_ID: Final = "106540352242922"
API_VERSION: Final = "v23.0"
MEDIA_URL_TTL_S: Final = 300.0


@dataclass(frozen=True, slots=True)
class GraphCall:
    """One call as the server saw it: the endpoint kind ("messages", "media_upload",
    "media_url", "download"), its path, the JSON body (for messages) and when."""

    kind: str
    path: str
    body: JSON
    at: float


@dataclass(frozen=True, slots=True)
class StoredMedia:
    id: str
    data: bytes
    mime: str
    # what the media URL answer says of the size: None for the truth, 0 to leave it out
    claimed_size: int | None = None

    @property
    def sha256_hex(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def sha256_b64(self) -> str:
        """The form webhooks carry."""
        return base64.b64encode(hashlib.sha256(self.data).digest()).decode()


@dataclass
class _FailNext:
    kind: str
    error: GraphError
    remaining: int


@dataclass
class Gate(ParkedCall):
    """A parked message send (see :meth:`GraphAPIStandin.hold`)."""

    to: str | None

    def matches(self, body: JSON) -> bool:
        if self.used:
            return False
        if self.to is not None and self.to not in (body.get("to"), body.get("recipient")):
            return False
        return not self._let_through()


@dataclass
class GraphAPIStandin(LoopbackServer):
    """The stand-in server. Start with ``async with`` (or :meth:`start` / :meth:`stop`)."""

    max_body_bytes: ClassVar[int] = 128 * 1024 * 1024

    token: str = DEFAULT_TOKEN
    phone_id: str = DEFAULT_PHONE_ID

    calls: list[GraphCall] = field(default_factory=list, init=False)
    media: dict[str, StoredMedia] = field(default_factory=dict, init=False)
    #: media ids downloaded, in order
    downloads: list[str] = field(default_factory=list, init=False)
    _failures: list[_FailNext] = field(default_factory=list, init=False)
    _gates: list[Gate] = field(default_factory=list, init=False)
    _url_tokens: dict[str, tuple[str, float]] = field(default_factory=dict, init=False)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1), init=False)

    # ------------------------------------------------------------------ routes

    def _add_routes(self, app: web.Application) -> None:
        app.router.add_post("/{version}/{phone_id}/messages", self._on_messages)
        app.router.add_post("/{version}/{phone_id}/media", self._on_upload)
        app.router.add_get("/download/{media_id}", self._on_download)
        app.router.add_get("/{version}/{media_id}", self._on_media_url)

    @property
    def api_url(self) -> str:
        """The Graph API base for TAWASUL_WHATSAPP_API_URL (with the version)."""
        return f"{self.url}/{API_VERSION}"

    # ------------------------------------------------------------------ set-up

    def add_media(
        self, data: bytes, mime: str, media_id: str | None = None, claimed_size: int | None = None
    ) -> StoredMedia:
        """Make `data` downloadable as a media id (what a person's photo would be);
        `claimed_size` is the size the media URL answer states (None: the truth)."""
        stored = StoredMedia(media_id or str(10**15 + next(self._ids)), data, mime, claimed_size)
        self.media[stored.id] = stored
        return stored

    def fail_next(
        self,
        kind: str = "messages",
        *,
        code: int = 131000,
        message: str = "Something went wrong",
        status: int = 500,
        count: int = 1,
    ) -> None:
        """Answer the next `count` calls of `kind` ("messages", "media_url", "download",
        "media_upload") with a Graph API error."""
        self._failures.append(_FailNext(kind, GraphError(code, message, status), count))

    def hold(self, to: str | None = None, *, skip: int = 0) -> Gate:
        """Park the next message send (to `to`, if given), after letting `skip` such
        sends through, until the gate is released; before Meta has it: if the caller is
        gone when released (its process was killed), the send is dropped, never made."""
        gate = Gate(to=to, skip=skip)
        self._gates.append(gate)
        return gate

    # ------------------------------------------------------------------ assertions

    def sent(self) -> list[JSON]:
        """Every message body accepted by the messages endpoint, in order."""
        return [c.body for c in self.calls if c.kind == "messages" and "_rejected" not in c.body]

    def sent_to(self, recipient: str) -> list[JSON]:
        return [m for m in self.sent() if recipient in (m.get("to"), m.get("recipient"))]

    def texts(self, recipient: str) -> list[str]:
        """What the person reads, message by message: text bodies, interactive bodies,
        "[template NAME]" and "[image]" / "[document]"."""
        return [message_text(m) for m in self.sent_to(recipient)]

    def last_interactive(self, recipient: str) -> JSON | None:
        for message in reversed(self.sent_to(recipient)):
            if message.get("type") == "interactive":
                interactive: JSON = message["interactive"]
                return interactive
        return None

    # ------------------------------------------------------------------ HTTP

    def _authorised(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bearer {self.token}"

    async def _record(self, kind: str, request: web.Request, body: JSON) -> None:
        self.calls.append(GraphCall(kind, request.path, body, time.monotonic()))
        await self._notify()

    def _injected(self, kind: str) -> GraphError | None:
        for failure in self._failures:
            if failure.kind == kind and failure.remaining > 0:
                failure.remaining -= 1
                return failure.error
        return None

    async def _guard(self, kind: str, request: web.Request, body: JSON) -> web.Response | None:
        if not self._authorised(request):
            await self._record(kind, request, {**body, "_rejected": 401})
            return _error(GraphError(190, "Invalid OAuth access token", 401))
        injected = self._injected(kind)
        if injected is not None:
            await self._record(kind, request, {**body, "_rejected": injected.code})
            return _error(injected)
        return None

    async def _on_messages(self, request: web.Request) -> web.Response:
        try:
            body: JSON = await request.json()
        except ValueError:
            return _error(GraphError(100, "Invalid JSON"))
        refused = await self._guard("messages", request, body)
        if refused is not None:
            return refused
        gate = next((g for g in self._gates if g.matches(body)), None)
        if gate is not None:
            gate.used = True
            if not await gate.park(request):  # the caller died waiting: Meta never got it
                return _error(GraphError(131000, "Something went wrong", 500))
        try:
            if request.match_info["phone_id"] != self.phone_id:
                raise GraphError(100, "Unsupported post request", 400)
            _check_message(body)
        except GraphError as error:
            await self._record("messages", request, {**body, "_rejected": error.code})
            return _error(error)
        await self._record("messages", request, body)
        wamid = "wamid." + base64.b64encode(secrets.token_bytes(24)).decode()
        contact: JSON = (
            {"input": body["to"], "wa_id": body["to"]}
            if body.get("to")
            else {"input": body["recipient"], "user_id": body["recipient"]}
        )
        return web.json_response(
            {"messaging_product": "whatsapp", "contacts": [contact], "messages": [{"id": wamid}]}
        )

    async def _on_upload(self, request: web.Request) -> web.Response:
        refused = await self._guard("media_upload", request, {})
        if refused is not None:
            return refused
        form = await request.post()
        upload = form.get("file")
        if not isinstance(upload, web.FileField):
            return _error(GraphError(100, "Param file is required"))
        data = upload.file.read()
        mime = upload.content_type or str(form.get("type", "application/octet-stream"))
        stored = self.add_media(data, mime)
        await self._record("media_upload", request, {"id": stored.id, "mime": mime})
        return web.json_response({"id": stored.id})

    async def _on_media_url(self, request: web.Request) -> web.Response:
        media_id = request.match_info["media_id"]
        refused = await self._guard("media_url", request, {"id": media_id})
        if refused is not None:
            return refused
        await self._record("media_url", request, {"id": media_id})
        stored = self.media.get(media_id)
        if stored is None:
            return _error(GraphError(100, "Unsupported get request", 400))
        url_token = secrets.token_urlsafe(16)
        self._url_tokens[url_token] = (media_id, time.monotonic() + MEDIA_URL_TTL_S)
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "url": f"{self.url}/download/{media_id}?hash={url_token}",
                "mime_type": stored.mime,
                "sha256": stored.sha256_hex,
                "file_size": len(stored.data)
                if stored.claimed_size is None
                else stored.claimed_size,
                "id": media_id,
            }
        )

    async def _on_download(self, request: web.Request) -> web.Response:
        media_id = request.match_info["media_id"]
        refused = await self._guard("download", request, {"id": media_id})
        if refused is not None:
            return refused
        granted = self._url_tokens.get(request.query.get("hash", ""))
        if granted is None or granted[0] != media_id or granted[1] < time.monotonic():
            return web.Response(status=404, text="URL expired")
        stored = self.media[media_id]
        self.downloads.append(media_id)
        await self._record("download", request, {"id": media_id})
        return web.Response(body=stored.data, content_type=stored.mime)
