"""The dialogue most flow tests drive: the intake flow over the in-memory store and gateway.
A test module that needs another engine (a clock, a limiter) defines its own ``engine`` or
``chat`` fixture, which overrides these."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore


@pytest.fixture
def gateway() -> MemoryGateway:
    """The requests filed and asked about in one test (``submissions``, questions asked)."""
    return MemoryGateway()


@pytest.fixture
def engine(gateway: MemoryGateway) -> Engine:
    """The intake dialogue on a fresh in-memory store, filing into ``gateway``."""
    return Engine(MemoryStore(), INTAKE, load_catalogue(), gateway)


@pytest.fixture
def chat(engine: Engine) -> Chat:
    """One person (channel ``test``, user ``u1``) talking to ``engine``."""
    return Chat(engine.handle)
