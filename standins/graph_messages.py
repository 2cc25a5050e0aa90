"""The bodies of the Graph API's messages endpoint: WhatsApp's checks on a message the bot
sends (error 131009 on a breach, as Meta answers) and what a person reads in one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from standins.graph_errors import GraphError

JSON = dict[str, Any]

_LIMITS: Final = {
    "text": 4096,
    "body": 1024,
    "button_title": 20,
    "buttons": 3,
    "rows": 10,
    "row_title": 24,
    "row_description": 72,
    "list_button": 20,
    "section_title": 24,
}


def message_text(message: JSON) -> str:
    """What a person reads in a sent message body: its text, an interactive body's text,
    "[template NAME]", or "[image]" / "[document]"."""
    kind = message.get("type")
    if kind == "text":
        return str(message["text"]["body"])
    if kind == "interactive":
        return str(message["interactive"]["body"]["text"])
    if kind == "template":
        return f"[template {message['template']['name']}]"
    return f"[{kind}]"


def interactive_choices(interactive: JSON) -> list[tuple[str, str]]:
    """(id, title) of the buttons or rows of an interactive message, in order."""
    action = interactive["action"]
    if interactive["type"] == "button":
        return [(b["reply"]["id"], b["reply"]["title"]) for b in action["buttons"]]
    return [(r["id"], r["title"]) for s in action["sections"] for r in s["rows"]]


def check_message(body: JSON) -> None:
    """WhatsApp's checks on a message, as error 131009 (parameter value is not valid)."""

    def invalid(details: str) -> GraphError:
        return GraphError(131009, "Parameter value is not valid", 400, details)

    if body.get("messaging_product") != "whatsapp":
        raise GraphError(100, "The parameter messaging_product is required.")
    if not body.get("to") and not body.get("recipient"):
        raise GraphError(100, "The parameter to is required.")
    kind = body.get("type", "text")
    content = body.get(kind)
    if not isinstance(content, dict):
        raise GraphError(100, f"The parameter {kind} is required.")
    if kind == "text":
        text = content.get("body", "")
        if not text or len(text) > _LIMITS["text"]:
            raise invalid(f"text.body must be 1-{_LIMITS['text']} characters")
    elif kind == "interactive":
        _check_interactive(content, invalid)
    elif kind == "template":
        if not content.get("name") or not content.get("language", {}).get("code"):
            raise invalid("template name and language are required")
    elif kind in ("image", "document"):
        if not content.get("id") and not content.get("link"):
            raise invalid(f"{kind} needs an id or a link")
    else:
        raise GraphError(131051, "Unsupported message type")


def _check_interactive(content: JSON, invalid: Callable[[str], GraphError]) -> None:
    body = content.get("body", {}).get("text", "")
    if not body or len(body) > _LIMITS["body"]:
        raise invalid(f"interactive body must be 1-{_LIMITS['body']} characters")
    action = content.get("action", {})
    if content.get("type") == "button":
        buttons = action.get("buttons", [])
        if not 1 <= len(buttons) <= _LIMITS["buttons"]:
            raise invalid("buttons must have 1-3 items")
        titles = [b["reply"]["title"] for b in buttons]
        if len(set(titles)) != len(titles):
            raise invalid("button titles must be unique")
        ids = [b["reply"]["id"] for b in buttons]
        if len(set(ids)) != len(ids):
            raise invalid("button ids must be unique")
        for title in titles:
            if not 1 <= len(title) <= _LIMITS["button_title"]:
                raise invalid(f"button title {title!r} must be 1-20 characters")
    elif content.get("type") == "list":
        if not 1 <= len(action.get("button", "")) <= _LIMITS["list_button"]:
            raise invalid("list button must be 1-20 characters")
        rows = [r for s in action.get("sections", []) for r in s.get("rows", [])]
        if not 1 <= len(rows) <= _LIMITS["rows"]:
            raise invalid("a list has 1-10 rows in all")
        ids = [r["id"] for r in rows]
        if len(set(ids)) != len(ids):
            raise invalid("row ids must be unique")
        for section in action.get("sections", []):
            if len(section.get("title", "")) > _LIMITS["section_title"]:
                raise invalid("section title must be at most 24 characters")
        for row in rows:
            if not 1 <= len(row.get("title", "")) <= _LIMITS["row_title"]:
                raise invalid(f"row title {row.get('title')!r} must be 1-24 characters")
            if len(row.get("description", "")) > _LIMITS["row_description"]:
                raise invalid("row description must be at most 72 characters")
    else:
        raise invalid(f"interactive type {content.get('type')!r} not supported here")
