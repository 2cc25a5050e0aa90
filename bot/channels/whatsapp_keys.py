"""A WhatsApp person's Redis keys, apart from the channel so that code naming them (the
key migration every worker runs at start) does not import pywa and httpx (about 9 MB of
a worker's memory that serves Telegram only)."""

from __future__ import annotations

from conversations.keys import person_tag


# A person's keys carry their hash tag (conversations.keys), as their dialogue's do.
def wa_person_key(kind: str, user_key: str) -> str:
    """``tawasul:wa:KIND:{whatsapp:USER_KEY}``: a WhatsApp person's key of that kind."""
    return f"tawasul:wa:{kind}:{person_tag('whatsapp', user_key)}"
