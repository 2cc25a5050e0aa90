"""The requests the status tests look up: one of the test chat's own (:data:`MINE`),
another chat's (:data:`THEIRS`), their views, and a chat on an engine at a given instant.
Split from test_status.py, which re-exports them."""

from __future__ import annotations

import datetime as dt

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from conversations.ports import StatusView
from domain.catalogue import load_catalogue
from domain.normalize import clean_input

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore

MINE = "5038329651"


def plain(text: str) -> str:
    """The words as a person reads them: any digits, no invisible direction marks."""
    return clean_input(text)


THEIRS = "6418407042"
FILED = dt.datetime(2026, 11, 22, 6, 0, tzinfo=dt.UTC)


def _view(number: str, status: str, **extra: object) -> StatusView:
    return StatusView(
        number=number, service_id="iqama_renew", status=status, submitted_at=FILED,
        due_date=dt.date(2026, 12, 1), history=((FILED, "received"),), **extra,  # type: ignore[arg-type]
    )  # fmt: skip


def _chat(gateway: MemoryGateway, limiter: MemoryLimiter, now: dt.datetime) -> Chat:
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), gateway, clock=lambda: now, limiter=limiter
    )
    return Chat(engine.handle)
