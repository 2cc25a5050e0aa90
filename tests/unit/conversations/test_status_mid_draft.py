"""A status look-up in the middle of a draft: the card, then the draft's question, and a
typed number answers the question, not the card (helper 21, §13)."""

from __future__ import annotations

import datetime as dt

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore
from .test_status import FILED, MINE, RESIDENT, _view, plain


def _chat() -> Chat:
    gateway = MemoryGateway()
    gateway.views[MINE] = (_view(MINE, "under_review"), ("test", "u1"), RESIDENT)
    now = FILED + dt.timedelta(days=1)
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), gateway, clock=lambda: now, limiter=MemoryLimiter()
    )
    return Chat(engine.handle)


async def test_the_cards_options_are_unnumbered_buttons_above_the_drafts_question() -> None:
    chat = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي خروج وعودة")
    await chat.tap("s:exit_reentry")
    await chat.text(f"وش صار على طلبي {MINE}")
    card, *_, question = chat.last
    assert "قيد الدراسة" in plain(card.text) and card.choices
    assert not card.numbered  # shown as buttons, no «1)» to clash with the question's
    assert question.numbered and question.choices
    await chat.text("1")  # the draft's first option, as the last list numbers it
    assert "ملاحظة" not in plain(chat.said)
    await chat.tap(card.choices[0].id)  # the card's button still does what it says
    assert "ملاحظة" in plain(chat.said), chat.said
