"""Each number typed at the first menu means what the person sees numbered there, and a
number they do not see is not taken silently (found by the fresh-clone tester: «5» opened
the help, which the menu shows by name, unnumbered; the README's dialogue even numbered it
«5) مساعدة 6) إلغاء»). Checked as the terminal shows the menu (bot.channels.console.render,
which numbers what WhatsApp's text fallback numbers; Telegram numbers nothing), on the
menu's screens: the first message, a greeting, after «مساعدة» (which adds «ابدأ من جديد»
and the other language), in English."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import pytest

from bot.channels.console import render
from conversations.engine import Engine
from conversations.events import Reply
from conversations.flows.intake import INTAKE
from conversations.i18n import Texts
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore

Opening = Callable[[Chat], Awaitable[None]]


async def _first_message(chat: Chat) -> None:
    await chat.text("السلام عليكم")


async def _start(chat: Chat) -> None:
    await chat.command("start")


async def _after_help(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("مساعدة")


async def _in_english(chat: Chat) -> None:
    await chat.text("Hello")


def _chat() -> Chat:
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), MemoryGateway(), limiter=MemoryLimiter()
    )
    return Chat(engine.handle, channel="console")


def _numbered(reply: Reply, locale: str) -> dict[int, str]:
    """The numbers the terminal shows under ``reply`` and the option id each stands for."""
    shown = render(reply, Texts(locale))
    by_label = {c.label: c.id for c in reply.choices}
    found = re.findall(r"^  (\d+)\) (.+)$", shown, flags=re.MULTILINE)
    return {int(n): by_label[label] for n, label in found}


@pytest.mark.parametrize("opening", [_first_message, _start, _after_help, _in_english])
async def test_every_number_typed_at_the_first_menu_is_the_one_shown(opening: Opening) -> None:
    chat = _chat()
    await opening(chat)
    menu = chat.last[-1]
    locale = "en" if "Individual" in [c.label for c in menu.choices] else "ar"
    numbered = _numbered(menu, locale)
    assert [numbered[n] for n in (1, 2, 3, 4)] == ["ind", "est", "status", "faq"]
    assert "help" not in numbered.values() and "cancel" not in numbered.values()
    for typed in range(1, 10):
        by_number, by_tap = _chat(), _chat()
        await opening(by_number)
        await opening(by_tap)
        said = await by_number.text(str(typed))
        if typed in numbered:
            # the same as tapping the option that number shows
            tapped = await by_tap.tap(numbered[typed])
            assert [r.text for r in said] == [r.text for r in tapped], typed
        else:
            # not shown, not taken: the menu asks again, naming its own options; neither
            # the help nor a cancelled dialogue
            assert "«" in said[-1].text and said[-1].text != menu.text, typed
            assert [c.id for c in said[-1].choices][:4] == ["ind", "est", "status", "faq"]
            help_reply = await by_tap.text("مساعدة" if locale == "ar" else "help")
            assert help_reply[0].text not in [r.text for r in said], typed


@pytest.mark.parametrize("typed", ["1️⃣", "1\u20e3", "١"])
async def test_a_keycap_emoji_at_the_first_menu_is_its_number(typed: str) -> None:
    """Tester 13 (§23): «1️⃣», as people copy numbered menus, got «يُرجى اختيار واحد من ٤
    خيارات»; it is the number it shows (domain.normalize), as «1» is."""
    by_emoji, by_tap = _chat(), _chat()
    await _start(by_emoji)
    await _start(by_tap)
    said = await by_emoji.text(typed)
    tapped = await by_tap.tap("ind")
    assert [r.text for r in said] == [r.text for r in tapped]
