"""The line above the main menu about a rejection that may be reconsidered
(conversations.reconsider_parts._with_reconsider_hint): a hint, never a reason for the menu to
fail."""

from __future__ import annotations

import datetime as dt

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from conversations.ports import StatusView
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore

NUMBER = "5038329651"


class _SqlAway(MemoryGateway):
    async def my_requests(self, channel: str, user_key: str) -> list[StatusView]:
        raise ConnectionError("database away")


def _rejected() -> StatusView:
    filed = dt.datetime(2026, 11, 22, 6, 0, tzinfo=dt.UTC)
    return StatusView(NUMBER, "iqama_renew", "rejected", filed, dt.date(2026, 12, 1),
                      reason="ناقص", reconsiderable=True)  # fmt: skip


async def test_the_menu_is_shown_without_the_line_when_the_requests_cannot_be_read() -> None:
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), _SqlAway()).handle)
    await chat.command("start")
    said = await chat.text("السلام عليكم")
    assert "حدث خطأ" not in chat.said
    assert [c.id for c in said[-1].choices][:2] == ["ind", "est"]


async def test_the_line_names_the_request_above_the_menu_not_above_a_retry() -> None:
    gateway = MemoryGateway()
    gateway.views[NUMBER] = (_rejected(), ("test", "u1"), "2000000006")
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)
    await chat.command("start")
    said = await chat.text("xyz")  # not understood: asked again, not the menu anew
    assert not any(NUMBER in r.text for r in said)
    said = await chat.command("start")
    assert NUMBER in said[-2].text and "اطلب إعادة النظر" in said[-2].text
