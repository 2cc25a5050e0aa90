"""The terminal's goodbye (Ctrl-D, Ctrl-C) after the chosen service was refused says only
what is true. Found by fresh users in sessions 14–15: a resident told that «تجديد جواز
السفر» is for Saudi citizens only, or a visitor of another nationality refused a visit
visa extension, left and read «مع السلامة. الطلب الذي بدأته محفوظ…», though no request
could be begun there; what is kept is the way to choose another service. A number typed
and kept (a resident's iqama, offered to the next service) is still said kept."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.channels.console import chat, kept_draft
from bot.media_store import MediaStore
from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue
from tests.unit.conversations.fakes import MemoryGateway, MemoryStore

BEGUN = "الطلب الذي بدأته محفوظ"
ANOTHER = "مع السلامة. يمكنك اختيار خدمة أخرى بتشغيل المحادثة مرة أخرى متى احتجت إليها."


async def _goodbye(tmp_path: Path, lines: str) -> tuple[str, str]:
    store = MemoryStore()
    engine = Engine(store, INTAKE, load_catalogue(), MemoryGateway())
    out = io.StringIO()
    await chat(engine.handle, MediaStore(tmp_path), stdin=io.StringIO(lines), stdout=out,
               kept=lambda: kept_draft(store, "local"))  # fmt: skip
    return out.getvalue(), out.getvalue().rstrip().splitlines()[-1]


@pytest.mark.parametrize(
    ("lines", "refusal"),
    [
        # «انا مقيم» at the number step of a service for citizens only
        ("/start\n1\nتجديد جواز\n1\n1\nانا مقيم\n", "للمواطنين السعوديين فقط"),
        # a visitor of another nationality: the visit visa extension is refused
        ("/start\n1\nتمديد زيارة\n1\nمصري\n", "السورية واليمنية فقط"),
    ],
)
async def test_after_a_refused_service_no_request_is_said_kept(
    tmp_path: Path, lines: str, refusal: str
) -> None:
    said, goodbye = await _goodbye(tmp_path, lines)
    assert refusal in said
    assert BEGUN not in goodbye
    assert goodbye == ANOTHER, goodbye


async def test_a_number_kept_after_the_refusal_is_still_said_kept(tmp_path: Path) -> None:
    said, goodbye = await _goodbye(tmp_path, "/start\n1\nتجديد جواز\n1\n1\n2000000006\n")
    assert "للمواطنين السعوديين فقط" in said
    assert goodbye == "مع السلامة. ما أدخلته محفوظ، ويمكنك المتابعة بتشغيل المحادثة مرة أخرى."


async def test_a_service_chosen_and_not_refused_is_still_a_request_begun(tmp_path: Path) -> None:
    _, goodbye = await _goodbye(tmp_path, "/start\n1\nتجديد جواز\n1\n")
    assert BEGUN in goodbye
