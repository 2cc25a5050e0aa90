"""Raw Telegram ``Update`` JSON, shaped like what Telegram sends (a webhook body or one
element of getUpdates' result), for tests, benchmarks and the Bot API stand-in.

    user = TgUser(424242, "سارة")
    updates = UpdateFactory()
    updates.text(user, "/start")
    updates.callback(user, "svc_iqama_renew", message=api.last_message(user.id))
    updates.photo(user, file_id, file_size=len(jpeg), media_group_id="13715...")

Update ids grow by one per update, as Telegram's do; message ids grow per chat.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from standins.telegram_botapi import fake_file_id

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class TgUser:
    """A Telegram user; in a private chat the chat id is the user id."""

    id: int
    first_name: str = "محمد"
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "ar"

    def as_json(self) -> JSON:
        user: JSON = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name is not None:
            user["last_name"] = self.last_name
        if self.username is not None:
            user["username"] = self.username
        if self.language_code is not None:
            user["language_code"] = self.language_code
        return user

    def private_chat(self) -> JSON:
        chat: JSON = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name is not None:
            chat["last_name"] = self.last_name
        if self.username is not None:
            chat["username"] = self.username
        return chat


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _unique_id(file_id: str) -> str:
    digest = hashlib.sha256(file_id.encode()).digest()[:12]
    return "AQAD" + base64.urlsafe_b64encode(digest).decode().rstrip("=")


#: The user Telegram puts in ``from`` of a message an anonymous admin posts in a group.
GROUP_ANONYMOUS_BOT: JSON = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}


@dataclass
class UpdateFactory:
    """Builds updates with increasing update ids (starting at `first_update_id`)."""

    first_update_id: int = 700_000_000
    _update_ids: Iterator[int] = field(init=False)
    _message_ids: dict[int, Iterator[int]] = field(init=False)

    def __post_init__(self) -> None:
        self._update_ids = itertools.count(self.first_update_id)
        self._message_ids = defaultdict(lambda: itertools.count(1))

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def _message(self, user: TgUser, chat: JSON | None, **content: Any) -> JSON:
        chat = chat if chat is not None else user.private_chat()
        message: JSON = {
            "message_id": next(self._message_ids[chat["id"]]),
            "from": user.as_json(),
            "chat": chat,
            "date": int(time.time()),
            **content,
        }
        return {"update_id": self.next_update_id(), "message": message}

    # ------------------------------------------------------------------ messages

    def text(self, user: TgUser, text: str, *, chat: JSON | None = None) -> JSON:
        """A text message; a leading /command gets its bot_command entity, as Telegram
        adds it."""
        content: JSON = {"text": text}
        if text.startswith("/") and len(text) > 1:
            command = text.split(maxsplit=1)[0]
            content["entities"] = [
                {"offset": 0, "length": _utf16_len(command), "type": "bot_command"}
            ]
        return self._message(user, chat, **content)

    def group_text(
        self,
        user: TgUser,
        chat_id: int,
        text: str,
        title: str = "Staff",
        *,
        reply_to: JSON | None = None,
        thread_id: int | None = None,
        anonymous: bool = False,
    ) -> JSON:
        """A text in a (forum) supergroup; `reply_to` is the message answered (e.g. the
        bot's ``api.last_message(chat_id)``), `thread_id` the forum topic it is posted in.
        `anonymous`: posted by an admin who "remains anonymous", as Telegram sends it: from
        @GroupAnonymousBot, with the group itself as ``sender_chat``."""
        chat: JSON = {"id": chat_id, "type": "supergroup", "title": title}
        if thread_id is not None:
            chat["is_forum"] = True
        raw = self.text(user, text, chat=chat)
        message = raw["message"]
        if anonymous:
            message["from"] = dict(GROUP_ANONYMOUS_BOT)
            message["sender_chat"] = dict(chat)
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return raw

    def photo(
        self,
        user: TgUser,
        file_id: str | None = None,
        *,
        file_size: int = 85_000,
        width: int = 1280,
        height: int = 960,
        media_group_id: str | None = None,
        caption: str | None = None,
    ) -> JSON:
        """A photo: Telegram sends several sizes, smallest first; `file_id` and
        `file_size` are those of the largest (the one worth downloading)."""
        file_id = file_id or fake_file_id("photo")
        sizes: list[JSON] = []
        for scale in (90, 320, 800):
            if scale >= max(width, height):
                continue
            w, h = (
                (scale, height * scale // width)
                if width >= height
                else (
                    width * scale // height,
                    scale,
                )
            )
            small_id = f"{file_id[:-6]}s{scale:05d}"
            sizes.append(
                {
                    "file_id": small_id,
                    "file_unique_id": _unique_id(small_id),
                    "file_size": max(1, file_size * scale // max(width, height) // 4),
                    "width": w,
                    "height": h,
                }
            )
        sizes.append(
            {
                "file_id": file_id,
                "file_unique_id": _unique_id(file_id),
                "file_size": file_size,
                "width": width,
                "height": height,
            }
        )
        content: JSON = {"photo": sizes}
        if media_group_id is not None:
            content["media_group_id"] = media_group_id
        if caption is not None:
            content["caption"] = caption
        return self._message(user, None, **content)

    def document(
        self,
        user: TgUser,
        file_id: str | None = None,
        *,
        file_name: str = "passport.pdf",
        mime_type: str = "application/pdf",
        file_size: int = 240_000,
        media_group_id: str | None = None,
        caption: str | None = None,
    ) -> JSON:
        file_id = file_id or fake_file_id("document")
        document = {
            "file_name": file_name,
            "mime_type": mime_type,
            "file_id": file_id,
            "file_unique_id": _unique_id(file_id),
            "file_size": file_size,
        }
        content: JSON = {"document": document}
        if media_group_id is not None:
            content["media_group_id"] = media_group_id
        if caption is not None:
            content["caption"] = caption
        return self._message(user, None, **content)

    def contact(
        self,
        user: TgUser,
        phone_number: str = "966501234567",
        *,
        own: bool = True,
        other_user_id: int | None = None,
        first_name: str | None = None,
    ) -> JSON:
        """A shared contact. ``own=True`` is what the request_contact button sends (the
        sender's own user_id, the number without "+"); otherwise a contact card of
        someone else (`other_user_id`, or none when not a Telegram user)."""
        contact: JSON = {
            "phone_number": phone_number,
            "first_name": first_name or user.first_name,
        }
        if own:
            contact["user_id"] = user.id
        elif other_user_id is not None:
            contact["user_id"] = other_user_id
        return self._message(user, None, contact=contact)

    def sticker(self, user: TgUser, file_id: str | None = None, emoji: str = "👍") -> JSON:
        file_id = file_id or fake_file_id("sticker")
        sticker = {
            "width": 512,
            "height": 512,
            "emoji": emoji,
            "set_name": "HotCherry",
            "is_animated": True,
            "is_video": False,
            "type": "regular",
            "file_id": file_id,
            "file_unique_id": _unique_id(file_id),
            "file_size": 31_000,
        }
        return self._message(user, None, sticker=sticker)

    def voice(self, user: TgUser, file_id: str | None = None, duration: int = 4) -> JSON:
        file_id = file_id or fake_file_id("voice")
        voice = {
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_id": file_id,
            "file_unique_id": _unique_id(file_id),
            "file_size": 12_000,
        }
        return self._message(user, None, voice=voice)

    def video_note(self, user: TgUser, file_id: str | None = None, duration: int = 6) -> JSON:
        """A round video message, as Telegram's in-chat camera button sends it."""
        file_id = file_id or fake_file_id("video_note")
        video_note = {
            "duration": duration,
            "length": 384,
            "file_id": file_id,
            "file_unique_id": _unique_id(file_id),
            "file_size": 210_000,
        }
        return self._message(user, None, video_note=video_note)

    def location(self, user: TgUser, latitude: float = 24.7136, longitude: float = 46.6753) -> JSON:
        return self._message(user, None, location={"latitude": latitude, "longitude": longitude})

    def edited(self, original: JSON, text: str) -> JSON:
        """The person edits a text they sent (`original`, an update made here): Telegram
        sends an ``edited_message`` update of its own, with the same message_id and
        date, the new text and an ``edit_date``."""
        message = dict(original["message"])
        content: JSON = {"text": text, "edit_date": int(time.time())}
        message.pop("entities", None)
        if text.startswith("/") and len(text) > 1:
            command = text.split(maxsplit=1)[0]
            content["entities"] = [
                {"offset": 0, "length": _utf16_len(command), "type": "bot_command"}
            ]
        message.update(content)
        return {"update_id": self.next_update_id(), "edited_message": message}

    def edited_caption(self, original: JSON, caption: str) -> JSON:
        """The person edits the caption of a photo or file they sent."""
        message = {**original["message"], "caption": caption, "edit_date": int(time.time())}
        return {"update_id": self.next_update_id(), "edited_message": message}

    def my_chat_member(self, user: TgUser, *, blocked: bool, bot_id: int = 123456789) -> JSON:
        """The person blocked (``blocked=True``: the bot becomes "kicked") or unblocked
        the bot in their private chat."""
        bot = {"id": bot_id, "is_bot": True, "first_name": "Tawasul", "username": "TawasulBot"}
        member: JSON = {"user": bot, "status": "member"}
        kicked: JSON = {"user": bot, "status": "kicked", "until_date": 0}
        update: JSON = {
            "chat": user.private_chat(),
            "from": user.as_json(),
            "date": int(time.time()),
            "old_chat_member": member if blocked else kicked,
            "new_chat_member": kicked if blocked else member,
        }
        return {"update_id": self.next_update_id(), "my_chat_member": update}

    # ------------------------------------------------------------------ callbacks

    def callback(self, user: TgUser, data: str, *, message: JSON | None = None) -> JSON:
        """A tap on an inline button. `message` is the bot message carrying the keyboard
        (e.g. ``api.last_message(user.id)`` from the stand-in); a minimal one is made up
        when it is not given."""
        if message is None:
            message = {
                "message_id": next(self._message_ids[user.id]),
                "from": {"id": 123456789, "is_bot": True, "first_name": "Tawasul"},
                "chat": user.private_chat(),
                "date": int(time.time()),
                "text": "…",
            }
        update_id = self.next_update_id()
        query = {
            "id": str(4_000_000_000_000_000_000 + update_id),
            "from": user.as_json(),
            "message": message,
            "chat_instance": str(-(5_000_000_000_000_000_000 + user.id)),
            "data": data,
        }
        return {"update_id": update_id, "callback_query": query}
