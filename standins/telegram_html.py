"""Telegram's HTML parse mode, as the Bot API stand-in applies it to a sent text: the
visible text and its entities; an unknown or unbalanced tag is a 400 "can't parse
entities", as Telegram answers."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any, Final

from standins.telegram_policies import ApiError

JSON = dict[str, Any]


#: Telegram's HTML tags (https://core.telegram.org/bots/api#html-style) and their entities.
_HTML_ENTITIES: Final = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "span": "spoiler", "tg-spoiler": "spoiler", "a": "text_link", "code": "code", "pre": "pre",
    "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}  # fmt: skip


class _TelegramHTML(HTMLParser):
    """Telegram's HTML parse mode: visible text plus entities (offsets in UTF-16 units).

    The running position is ``_utf16``: ``HTMLParser`` keeps its own ``offset`` (the
    column in the source) and overwrites it as it parses, so it cannot be ours."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._utf16 = 0
        self.open: list[tuple[str, int, dict[str, str | None]]] = []
        self.entities: list[JSON] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_ENTITIES:
            raise ApiError(
                400, f'Bad Request: can\'t parse entities: Unsupported start tag "{tag}"'
            )
        self.open.append((tag, self._utf16, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1][0] != tag:
            raise ApiError(400, f'Bad Request: can\'t parse entities: Unmatched end tag "{tag}"')
        _tag, start, attrs = self.open.pop()
        if self._utf16 > start:
            entity: JSON = {
                "type": _HTML_ENTITIES[tag],
                "offset": start,
                "length": self._utf16 - start,
            }
            if tag == "a":
                entity["url"] = attrs.get("href") or ""
            self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        self._utf16 += len(data.encode("utf-16-le")) // 2

    def parsed(self, text: str) -> tuple[str, list[JSON]]:
        self.feed(text)
        self.close()
        if self.open:
            raise ApiError(
                400, "Bad Request: can't parse entities: Can't find end tag corresponding to "
                f'start tag "{self.open[-1][0]}"',
            )  # fmt: skip
        return "".join(self.parts), sorted(self.entities, key=lambda e: e["offset"])


def visible_text(params: JSON, text: str) -> tuple[str, list[JSON]]:
    """What Telegram shows for `text` under the call's parse_mode."""
    if str(params.get("parse_mode") or "").upper() == "HTML":
        return _TelegramHTML().parsed(text)
    return text, []
