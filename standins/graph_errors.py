"""The Graph API stand-in's error answers, shaped like Meta's."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from aiohttp import web

JSON = dict[str, Any]


@dataclass
class GraphError(Exception):
    """An error answer: HTTP `status` with ``{"error": {"message", "type", "code",
    "fbtrace_id", "error_data"}}``, as the Graph API sends it; `code` is Meta's error code
    (e.g. 131009, a parameter value that is not valid) and `details` its error_data."""

    code: int
    message: str
    status: int = 400
    details: str = ""

    def body(self) -> JSON:
        error: JSON = {
            "message": f"(#{self.code}) {self.message}",
            "type": "OAuthException",
            "code": self.code,
            "fbtrace_id": secrets.token_urlsafe(12),
        }
        if self.details:
            error["error_data"] = {"messaging_product": "whatsapp", "details": self.details}
        return {"error": error}


def error_response(error: GraphError) -> web.Response:
    """`error` as the HTTP answer."""
    return web.json_response(error.body(), status=error.status)
