"""The Redis Cluster hash tag every key of one person carries.

Redis Cluster places a key by the part of its name between the first ``{`` and ``}``: the
keys of one person (their dialogue, their language, the WhatsApp window and menus) all
carry ``{channel:user_key}``, so a Lua script or a transaction touching two of them (the
dialogue's compare-and-set writes the state and the language together) runs on one node.
On a single Redis the braces are just characters of the name.
"""

from __future__ import annotations


def person_tag(channel: str, user_key: str) -> str:
    """``{channel:user_key}``, e.g. ``{telegram:123}``: the hash tag of one person's keys."""
    return "{" + f"{channel}:{user_key}" + "}"
