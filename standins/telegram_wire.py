"""The Bot API's wire format as the stand-in reads and answers it: a call's parameters
(aiogram sends every call as a form, some values JSON-serialised) and the JSON answer."""

from __future__ import annotations

import json
from typing import Any, Final

from aiohttp import web

JSON = dict[str, Any]

# Parameters that arrive JSON-serialised in form data (aiogram sends every call as a form).
_JSON_PARAMS: Final = frozenset(
    {
        "reply_markup",
        "media",
        "entities",
        "caption_entities",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
        "commands",
        "scope",
    }
)
_INT_PARAMS: Final = frozenset(
    {
        "chat_id",
        "message_id",
        "offset",
        "limit",
        "timeout",
        "from_chat_id",
        "message_thread_id",
        "user_id",
        "max_connections",
    }
)
_BOOL_PARAMS: Final = frozenset(
    {"drop_pending_updates", "show_alert", "disable_notification", "protect_content"}
)


async def read_params(request: web.Request) -> JSON:
    """The call's parameters from the query, a JSON body or a form, decoded (an uploaded
    file becomes ``{"upload": filename, "size": n, "data": bytes}``)."""
    raw: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        # typed already; a number or an object may still come as a string (Telegram
        # takes both), so it is read as a form's fields are
        raw.update(await request.json())
    elif request.can_read_body:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                data = value.file.read()
                raw[key] = {"upload": value.filename, "size": len(data), "data": data}
            else:
                raw[key] = value
    params: JSON = {}
    for key, value in raw.items():
        if isinstance(value, str) and key in _JSON_PARAMS:
            params[key] = json.loads(value)
        elif isinstance(value, str) and key in _INT_PARAMS and _is_int(value):
            params[key] = int(value)
        elif isinstance(value, str) and key in _BOOL_PARAMS:
            params[key] = value == "true"
        else:
            params[key] = value
    return params


def answer(body: JSON | list[JSON], status: int) -> web.Response:
    """`body` as the HTTP answer (bytes, i.e. uploads echoed back, become null)."""
    return web.json_response(body, status=status, dumps=_dumps)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_no_bytes)


def _no_bytes(value: Any) -> Any:
    if isinstance(value, bytes):
        return None
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _is_int(value: str) -> bool:
    return value.lstrip("-").isdigit()
