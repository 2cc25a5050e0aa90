"""How logs name a WhatsApp person, apart from the channel so that the web server, which
every worker with a port runs, names them without importing pywa and httpx (about 9 MB of
a worker that serves Telegram only)."""

from __future__ import annotations

import hashlib


def masked(value: str) -> str:
    """A person (or a wamid, which embeds their number) as logs may name them: a short
    hash, enough to follow one conversation."""
    return "wa:" + hashlib.sha256(value.encode()).hexdigest()[:10]
