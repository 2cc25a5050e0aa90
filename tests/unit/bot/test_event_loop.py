"""`tawasul run`'s event loop (bot.event_loop): uvloop where installed, asyncio's otherwise,
and the same result either way."""

from __future__ import annotations

import asyncio
import importlib.util

import pytest

from bot import event_loop


async def _loop_module() -> str:
    await asyncio.sleep(0)
    return type(asyncio.get_running_loop()).__module__.split(".")[0]


def test_asyncio_on_request() -> None:
    assert event_loop.run(_loop_module(), loop="asyncio") == "asyncio"


@pytest.mark.skipif(importlib.util.find_spec("uvloop") is None, reason="uvloop not built here")
def test_uvloop_by_default_where_installed() -> None:
    assert event_loop.default_loop() == "uvloop"
    assert event_loop.run(_loop_module()) == "uvloop"


def test_asyncio_by_default_without_uvloop(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "uvloop" else real(name, *a)
    )
    assert event_loop.default_loop() == "asyncio"
    assert event_loop.run(_loop_module()) == "asyncio"
