"""`tawasul redis migrate-keys`: moves the keys a version before the Redis Cluster hash
tags wrote to their new names.

Renamed (see the README, "Redis Cluster"): a person's dialogue and language
(``tawasul:dlg:CH:USER`` → ``tawasul:dlg:{CH:USER}``, ``tawasul:locale:…`` and the Telegram
reply-keyboard flag ``tawasul:kbd:…`` likewise), their
WhatsApp window, number, unsent answers, menus, offer and album (``tawasul:wa:KIND:USER`` →
``tawasul:wa:KIND:{whatsapp:USER}``), and the webhook journals with their done markers
(``tawasul:tg:inbox`` → ``tawasul:{tg:inbox}``, ``tawasul:wa:inbox`` → ``tawasul:{wa:inbox}``).

Each key is copied whole with DUMP and RESTORE (any type, its remaining TTL kept), then the
old one deleted; a new name that exists already is newer (a bot of the new version wrote
it) and is kept. One key at a time, so it works on a single Redis and on a Cluster (SCAN on
every master). Running it again finds nothing left to move.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from bot.channels.whatsapp_keys import wa_person_key
from conversations.keys import person_tag

log = logging.getLogger(__name__)

_WA_KINDS: Final = ("last_inbound", "wa_id", "pending", "offer", "burst")


def _dialogue(kind: str) -> Callable[[str], str | None]:
    old = re.compile(rf"tawasul:{kind}:([^:{{][^:]*):(.+)")

    def new(name: str) -> str | None:
        found = old.fullmatch(name)
        return f"tawasul:{kind}:{person_tag(*found.groups())}" if found else None

    return new


def _whatsapp(kind: str) -> Callable[[str], str | None]:
    old = re.compile(rf"tawasul:wa:{kind}:([^{{].*)")

    def new(name: str) -> str | None:
        found = old.fullmatch(name)
        return wa_person_key(kind, found.group(1)) if found else None

    return new


def _menu(name: str) -> str | None:
    # the token is the last part (a user key may hold a colon)
    found = re.fullmatch(r"tawasul:wa:menu:([^{].*):([^:]+)", name)
    return f"{wa_person_key('menu', found.group(1))}:{found.group(2)}" if found else None


def _journal(channel: str) -> Callable[[str], str | None]:
    old = re.compile(rf"tawasul:{channel}:inbox(:done:.+)?")

    def new(name: str) -> str | None:
        found = old.fullmatch(name)
        return f"tawasul:{{{channel}:inbox}}{found.group(1) or ''}" if found else None

    return new


#: (SCAN pattern, old name -> new name or None when the name is not an old one)
RENAMES: Final[tuple[tuple[str, Callable[[str], str | None]], ...]] = (
    ("tawasul:dlg:*", _dialogue("dlg")),
    ("tawasul:locale:*", _dialogue("locale")),
    ("tawasul:kbd:*", _dialogue("kbd")),
    *((f"tawasul:wa:{kind}:*", _whatsapp(kind)) for kind in _WA_KINDS),
    ("tawasul:wa:menu:*", _menu),
    ("tawasul:tg:inbox*", _journal("tg")),
    ("tawasul:wa:inbox*", _journal("wa")),
)


@dataclass
class Moved:
    """What a run did: keys moved, keys whose new name existed already (the old one was
    dropped), by SCAN pattern."""

    moved: dict[str, int] = field(default_factory=dict)
    kept_newer: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.moved.values())


async def _move(redis: Redis, old: str, new: str) -> bool | None:
    """Copies ``old`` to ``new`` (unless ``new`` exists) and deletes ``old``: True when it
    copied, False when ``new`` was there already, None when ``old`` expired meanwhile."""
    payload = await redis.dump(old)
    ttl = await redis.pttl(old)
    if payload is None or ttl == -2:
        return None
    copied = True
    try:
        # RESTORE's TTL is in milliseconds, 0 for none (PTTL says -1)
        await redis.restore(new, max(ttl, 0), payload)
    except ResponseError as exc:
        if not str(exc).startswith("BUSYKEY"):
            raise
        copied = False
    await redis.delete(old)
    return copied


async def migrate_keys(redis: Redis, *, batch: int = 500) -> Moved:
    """Moves every key with an old name (see the module's text) to its new name; raises
    RedisError when the server does."""
    done = Moved()
    for pattern, rename in RENAMES:
        async for raw in redis.scan_iter(match=pattern, count=batch):
            old = raw.decode() if isinstance(raw, bytes) else str(raw)
            new = rename(old)
            if new is None or new == old:
                continue
            copied = await _move(redis, old, new)
            if copied is not None:
                tally = done.moved if copied else done.kept_newer
                tally[pattern] = tally.get(pattern, 0) + 1
    log.info("moved %d Redis keys to their hash-tagged names", done.total)
    return done
