"""A request number and its identity number in one message, from a chat that did not file
it (helper 233: the identity number was asked for again). The identity is checked under
the attempt the look-up paid; a wrong one is a miss like any other."""

from __future__ import annotations

import datetime as dt

import pytest

from conversations.flows.status_identity import identity_beside

from .fakes import Chat, MemoryGateway, MemoryLimiter
from .status_views import FILED, MINE, THEIRS, _chat, _view, plain

HOLDER = "1000000008"
ASKED = "لم يُقدَّم هذا الطلب من هذه المحادثة"


@pytest.fixture
def limiter() -> MemoryLimiter:
    return MemoryLimiter()


@pytest.fixture
def chat(limiter: MemoryLimiter) -> Chat:
    gateway = MemoryGateway()
    gateway.views[THEIRS] = (_view(THEIRS, "rejected"), ("test", "someone-else"), HOLDER)
    gateway.views[MINE] = (_view(MINE, "under_review"), ("test", "u1"), "2000000006")
    return _chat(gateway, limiter, FILED + dt.timedelta(days=1))


@pytest.mark.parametrize(
    "typed",
    [
        f"{THEIRS} {HOLDER}",
        f"حالة طلبي {THEIRS} {HOLDER}",
        f"رقم الطلب {THEIRS} ورقم الهوية {HOLDER}",
        f"{THEIRS}\n{HOLDER}",
    ],
)
async def test_both_numbers_at_once_show_the_status(chat: Chat, typed: str) -> None:
    await chat.command("start")
    await chat.text(typed)
    assert ASKED not in plain(chat.said) and "مرفوض" in plain(chat.said), chat.said


async def test_both_numbers_at_the_number_prompt_show_the_status(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("status")
    await chat.text(f"{THEIRS} {HOLDER}")
    assert ASKED not in plain(chat.said) and "مرفوض" in plain(chat.said), chat.said


async def test_a_wrong_identity_beside_it_is_one_attempt_and_the_prompt_stays(
    chat: Chat, limiter: MemoryLimiter
) -> None:
    await chat.command("start")
    await chat.text(f"{THEIRS} 2000000006")
    assert "لم نجد طلبًا يطابق" in chat.said and "مرفوض" not in plain(chat.said)
    assert sum(limiter.failures.values()) >= 1
    await chat.text(f"{THEIRS} {HOLDER}")  # both again, after the miss
    assert "مرفوض" in plain(chat.said), chat.said


def test_only_one_identity_number_is_read_beside_the_request_number() -> None:
    assert identity_beside(f"{THEIRS} {HOLDER}", THEIRS) == HOLDER
    assert identity_beside(f"{THEIRS} ١٠٠٠٠٠٠٠٠٨", THEIRS) == HOLDER
    assert identity_beside(f"{THEIRS} {HOLDER} 2000000006", THEIRS) is None  # which one?
    assert identity_beside(f"{THEIRS} 1000000009", THEIRS) is None  # not a valid one
    assert identity_beside(THEIRS, THEIRS) is None
