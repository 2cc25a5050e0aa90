"""The messages the bot has in each chat, as the Bot API stand-in holds them: what the
send, edit and delete methods do to them and answer."""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from standins.telegram_files import FileStore
from standins.telegram_html import visible_text
from standins.telegram_policies import ApiError

JSON = dict[str, Any]


@dataclass
class MessageStore(FileStore):
    """The chats' messages (a part of :class:`~standins.telegram_botapi.TelegramBotAPIStandin`)."""

    _messages: dict[int, dict[int, JSON]] = field(
        default_factory=lambda: defaultdict(dict), init=False
    )
    _message_ids: dict[int, Iterator[int]] = field(default_factory=dict, init=False)

    if TYPE_CHECKING:

        @property
        def bot_user(self) -> JSON:
            """The bot as a User (the stand-in says who it is)."""

    def messages(self, chat_id: int) -> list[JSON]:
        """The bot's messages in a chat as Telegram holds them now (after edits)."""
        return list(self._messages[chat_id].values())

    def last_message(self, chat_id: int) -> JSON | None:
        stored = self._messages.get(chat_id)
        if not stored:
            return None
        return stored[max(stored)]

    def _chat(self, chat_id: int) -> JSON:
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "User"}
        return {"id": chat_id, "type": "supergroup", "title": "Staff", "is_forum": True}

    def _new_message(self, params: JSON, **content: Any) -> JSON:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        counter = self._message_ids.setdefault(chat_id, itertools.count(10_001))
        message: JSON = {
            "message_id": next(counter),
            "from": self.bot_user,
            "chat": self._chat(chat_id),
            "date": int(time.time()),
            **content,
        }
        markup = params.get("reply_markup")
        # Telegram echoes only inline keyboards back in the Message.
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        if "message_thread_id" in params:
            # sent into a forum topic (the staff group's department topics)
            message["message_thread_id"] = params["message_thread_id"]
            message["is_topic_message"] = True
        self._messages[chat_id][message["message_id"]] = message
        return message

    def _stored_message(self, params: JSON) -> JSON:
        chat_id, message_id = params.get("chat_id"), params.get("message_id")
        if not isinstance(chat_id, int) or not isinstance(message_id, int):
            raise ApiError(400, "Bad Request: message identifier is not specified")
        message = self._messages.get(chat_id, {}).get(message_id)
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    def _m_deletemessage(self, params: JSON) -> bool:
        message = self._stored_message(params)
        del self._messages[message["chat"]["id"]][message["message_id"]]
        return True

    def _m_sendmessage(self, params: JSON) -> JSON:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        visible, entities = visible_text(params, text)
        if len(visible.encode("utf-16-le")) // 2 > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        if entities:
            return self._new_message(params, text=visible, entities=entities)
        return self._new_message(params, text=visible)

    def _m_editmessagetext(self, params: JSON) -> JSON | bool:
        if "inline_message_id" in params:
            return True
        message = self._stored_message(params)
        visible, entities = visible_text(params, str(params.get("text", "")))
        if len(visible.encode("utf-16-le")) // 2 > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        markup = (
            params.get("reply_markup") if isinstance(params.get("reply_markup"), dict) else None
        )
        if (
            visible == message.get("text")
            and entities == message.get("entities", [])
            and markup == message.get("reply_markup")
        ):
            raise ApiError(
                400, "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup of "
                "the message",
            )  # fmt: skip
        message["text"] = visible
        if entities:
            message["entities"] = entities
        else:
            message.pop("entities", None)
        message["edit_date"] = int(time.time())
        if markup is not None:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        return message

    def _m_editmessagereplymarkup(self, params: JSON) -> JSON | bool:
        if "inline_message_id" in params:
            return True
        message = self._stored_message(params)
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and markup.get("inline_keyboard"):
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        message["edit_date"] = int(time.time())
        return message

    def _m_sendphoto(self, params: JSON) -> JSON:
        stored = self._file_ref(params, params.get("photo"), "photo")
        content: JSON = {"photo": self._photo_sizes(stored)}
        if params.get("caption"):
            content["caption"] = params["caption"]
        return self._new_message(params, **content)

    def _m_senddocument(self, params: JSON) -> JSON:
        value = params.get("document")
        name = "document"
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value.removeprefix("attach://"))
        if isinstance(value, dict):
            name = str(value.get("upload") or name)
        stored = self._file_ref(params, value, "document")
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": name,
            "mime_type": "application/octet-stream",
            "file_size": len(stored.data),
        }
        content: JSON = {"document": document}
        if params.get("caption"):
            content["caption"] = params["caption"]
        return self._new_message(params, **content)

    def _m_sendmediagroup(self, params: JSON) -> list[JSON]:
        media = params.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise ApiError(400, "Bad Request: wrong number of media items (2-10)")
        group_id = str(10**17 + next(self._ids))
        sent = []
        for item in media:
            kind = item.get("type", "photo")
            stored = self._file_ref(params, item.get("media"), kind)
            content: JSON = {"media_group_id": group_id}
            if kind == "photo":
                content["photo"] = self._photo_sizes(stored)
            else:
                content[kind] = {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "file_size": len(stored.data),
                }
            if item.get("caption"):
                content["caption"] = item["caption"]
            sent.append(self._new_message({**params, "reply_markup": None}, **content))
        return sent
