"""The staff group as the Bot API stand-in keeps it: who is a member, its forum topics,
and what admins do to it under the bot (delete or close a topic, upgrade the group, remove
or mute the bot), answered the way Telegram answers the bot's next call there."""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from standins.telegram_messages import JSON, MessageStore
from standins.telegram_policies import SENDING, ApiError


@dataclass
class GroupChanges(MessageStore):
    """The group's state (a part of :class:`~standins.telegram_botapi.TelegramBotAPIStandin`)."""

    # (chat id, user id) -> getChatMember status; anyone else has "left"
    _members: dict[tuple[int, int], str] = field(default_factory=dict, init=False)
    #: forum topics created through the API: chat id -> {message_thread_id: name}
    topics: dict[int, dict[int, str]] = field(default_factory=lambda: defaultdict(dict), init=False)
    #: what admins did to the staff group
    closed_topics: set[tuple[int, int]] = field(default_factory=set, init=False)
    deleted_topics: set[tuple[int, int]] = field(default_factory=set, init=False)
    migrated: dict[int, int] = field(default_factory=dict, init=False)
    removed_from: set[int] = field(default_factory=set, init=False)
    muted_in: set[int] = field(default_factory=set, init=False)

    def set_member(self, chat_id: int, user_id: int, status: str = "member") -> None:
        """What getChatMember answers for `user_id` in `chat_id` ("creator",
        "administrator", "member", "restricted", "left", "kicked")."""
        self._members[(chat_id, user_id)] = status

    # ------------------------------------------------------------------ the group changes
    # What admins do to a group under the bot, answered the way Telegram answers the
    # bot's next call there.

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        """An admin deletes a forum topic: sends into it get "message thread not found"."""
        self.topics[chat_id].pop(thread_id, None)
        self.deleted_topics.add((chat_id, thread_id))

    def close_topic(self, chat_id: int, thread_id: int) -> None:
        """An admin closes a topic: sends into it get TOPIC_CLOSED until it is reopened."""
        self.closed_topics.add((chat_id, thread_id))

    def migrate(self, chat_id: int, new_chat_id: int) -> None:
        """The group is upgraded to a supergroup: every call to the old id gets a 400 with
        ``migrate_to_chat_id``."""
        self.migrated[chat_id] = new_chat_id

    def remove_bot(self, chat_id: int) -> None:
        """The bot is removed from the group (403 on every call) until :meth:`add_bot`."""
        self.removed_from.add(chat_id)

    def add_bot(self, chat_id: int) -> None:
        self.removed_from.discard(chat_id)
        self.muted_in.discard(chat_id)

    def mute_bot(self, chat_id: int) -> None:
        """The bot's rights are reduced: it may no longer post in the group."""
        self.muted_in.add(chat_id)

    def _group_refusal(self, method: str, params: JSON) -> ApiError | None:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int) or chat_id > 0:
            return None
        if chat_id in self.migrated:
            return ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=self.migrated[chat_id],
            )
        if chat_id in self.removed_from:
            return ApiError(403, "Forbidden: bot was kicked from the supergroup chat")
        name = method.lower()
        if chat_id in self.muted_in and name in SENDING:
            return ApiError(400, "Bad Request: not enough rights to send text messages to the chat")
        thread = params.get("message_thread_id")
        if isinstance(thread, int) and name in SENDING:
            if (chat_id, thread) in self.deleted_topics:
                return ApiError(400, "Bad Request: message thread not found")
            if (chat_id, thread) in self.closed_topics and name != "reopenforumtopic":
                return ApiError(400, "Bad Request: TOPIC_CLOSED")
        return None

    def _m_getchatmember(self, params: JSON) -> JSON:
        chat_id, user_id = params.get("chat_id"), params.get("user_id")
        if not isinstance(chat_id, int) or not isinstance(user_id, int):
            raise ApiError(400, "Bad Request: invalid user_id specified")
        status = self._members.get((chat_id, user_id))
        bot = user_id == getattr(self, "bot_id", None)
        if status is None:
            # the bot itself in a group: an administrator, restricted once muted
            # (:meth:`mute_bot`); anyone else unknown has left
            status = (
                ("restricted" if chat_id in self.muted_in else "administrator")
                if bot and chat_id < 0
                else "left"
            )
        user = {"id": user_id, "is_bot": bot, "first_name": "User"}
        member: JSON = {"status": status, "user": user}
        if status == "administrator":
            member |= {
                "can_be_edited": False, "is_anonymous": False, "can_manage_chat": True,
                "can_delete_messages": True, "can_manage_video_chats": True,
                "can_restrict_members": True, "can_promote_members": False,
                "can_change_info": True, "can_invite_users": True, "can_post_stories": False,
                "can_edit_stories": False, "can_delete_stories": False,
                "can_send_welcome_messages": False,
            }  # fmt: skip
        elif status == "creator":
            member["is_anonymous"] = False
        elif status == "restricted":
            member |= {
                "is_member": True, "can_send_messages": False, "can_send_audios": False,
                "can_send_documents": False, "can_send_photos": False,
                "can_send_videos": False, "can_send_video_notes": False,
                "can_send_voice_notes": False, "can_send_polls": False,
                "can_send_other_messages": False, "can_add_web_page_previews": False,
                "can_react_to_messages": False, "can_edit_tag": False, "can_change_info": False, "can_invite_users": False,
                "can_pin_messages": False, "can_manage_topics": False, "until_date": 0,
            }  # fmt: skip
        elif status == "kicked":
            member["until_date"] = 0
        return member

    def _m_getchat(self, params: JSON) -> JSON:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        # The Bot API's ChatFullInfo: id, type, accent_color_id, max_reaction_count and
        # accepted_gift_types are always there (the rest is optional); aiogram 3.x
        # refuses an answer without any of them.
        return {
            **self._chat(chat_id),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": True,
                "limited_gifts": True,
                "unique_gifts": True,
                "premium_subscription": True,
                "gifts_from_channels": True,
            },
        }

    def _m_createforumtopic(self, params: JSON) -> JSON:
        chat_id, name = params.get("chat_id"), params.get("name")
        if not isinstance(chat_id, int) or chat_id > 0:
            raise ApiError(400, "Bad Request: the chat is not a forum")
        if not isinstance(name, str) or not 1 <= len(name) <= 128:
            raise ApiError(400, "Bad Request: TOPIC_NAME_INVALID")
        thread_id = next(self._message_ids.setdefault(chat_id, itertools.count(10_001)))
        self.topics[chat_id][thread_id] = name
        return {"message_thread_id": thread_id, "name": name, "icon_color": 7322096}

    def _m_reopenforumtopic(self, params: JSON) -> bool:
        chat_id, thread_id = params.get("chat_id"), params.get("message_thread_id")
        if not isinstance(chat_id, int) or not isinstance(thread_id, int):
            raise ApiError(400, "Bad Request: TOPIC_ID_INVALID")
        if (chat_id, thread_id) in self.deleted_topics:
            raise ApiError(400, "Bad Request: TOPIC_ID_INVALID")
        if (chat_id, thread_id) not in self.closed_topics:
            raise ApiError(400, "Bad Request: TOPIC_NOT_MODIFIED")
        self.closed_topics.discard((chat_id, thread_id))
        return True

    def _m_deleteforumtopic(self, params: JSON) -> bool:
        chat_id, thread_id = params.get("chat_id"), params.get("message_thread_id")
        if not isinstance(chat_id, int) or thread_id not in self.topics.get(chat_id, {}):
            raise ApiError(400, "Bad Request: TOPIC_ID_INVALID")
        del self.topics[chat_id][thread_id]
        return True
