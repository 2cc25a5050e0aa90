"""What the bot says back to small talk, and around throwing a draft away.

Small talk is answered in kind («السلام عليكم» → «وعليكم السلام»; «شكرًا» → «العفو»)
instead of being read as an answer to the current question. A draft with the person's
own data is deleted only after they confirm, and can be brought back for
:data:`UNDO_MINUTES` (it is kept in the dialogue state, in Redis, until then).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

from conversations.events import Option, Reply, Text
from conversations.flow import Ctx
from conversations.keywords import courtesy
from conversations.state import DialogueState
from domain.normalize import fold_arabic

UNDO_MINUTES = 30
_THANKS_DATA = Path(__file__).resolve().parent / "data" / "thanks_replies.json"
_GREETING_DATA = Path(__file__).resolve().parent / "data" / "greeting_replies.json"
# the full welcome is not repeated to someone who saw it this recently
WELCOME_AGAIN_AFTER = dt.timedelta(hours=12)


def salute(ctx: Ctx, kind: str, said: str = "") -> str:
    """The answer to a greeting ("salam", "greeting"), to thanks ("thanks") or to a
    goodbye ("goodbye"); ``said``, the person's words, answered in kind where the custom
    has a reply of its own («الله يعطيك العافية» → «الله يعافيك»: tester 13, §11)."""
    _ = ctx.texts.gettext
    if kind == "salam":
        return _("And peace be upon you.")
    if kind == "thanks":
        custom = thanks_in_kind(said)
        if custom == "well":
            return _("God keep you well; glad to help.")
        if custom == "reward":
            # «جزاكم الله خير» → «وإياك»
            return _("And to you; glad to help.")
        if custom == "safe":
            # «تسلم» → «الله يسلمك»
            return _("God keep you safe; glad to help.")
        return _("You're welcome, glad to help.")
    if kind == "goodbye":
        return _("Goodbye, and take care. Write any time you need us.")
    custom = greeting_in_kind(said)
    if custom is not None:
        return {
            "hala": _("Hi there."),  # «هلا» → «هلا بك»
            "marhaba": _("Hello there."),  # «مرحبا» → «مرحبًا بك»
            "morning": _("Good morning."),  # «صباح الخير» → «صباح النور»
            "evening": _("Good evening."),  # «مساء الخير» → «مساء النور»
        }[custom]
    if ctx.state.history:
        # mid-request («hello?» at «ما جنسية الزائر؟»): greeted back briefly, not welcomed
        # as if just arrived (tester 16 §12); the question follows as ever
        return _("Hello.")
    return _("Hello, and welcome.")


@cache
def _greeting_replies() -> tuple[tuple[str, frozenset[str]], ...]:
    raw: dict[str, Any] = json.loads(_GREETING_DATA.read_text(encoding="utf-8"))
    return tuple(
        (kind, frozenset(fold_arabic(w).lower() for w in raw[kind]))
        for kind in ("hala", "marhaba", "morning", "evening")
    )


def greeting_in_kind(said: str) -> str | None:
    """ "hala", "marhaba", "morning" or "evening": the custom reply a greeting opening
    ``said`` asks for («هلا» → «هلا بك», data/greeting_replies.json); None otherwise."""
    words = fold_arabic(said).lower().split()
    if words and words[0] == "يا":
        words = words[1:]
    for kind, starts in _greeting_replies():
        if words and (words[0] in starts or " ".join(words[:2]) in starts):
            return kind
    return None


def greeted_back(ctx: Ctx, event: object, replies: list[Reply]) -> list[Reply]:
    """``replies`` with the greeting said back above them when ``event`` began with one
    («السلام عليكم ابي اعرف وش صار على طلب اخوي», «hi, my iqama expired…») and no reply
    has it yet: parts of the dialogue that answer the rest (a status question, a
    knowledge answer) left it out (tester 13, §18). A hello under the full welcome shown
    this turn is answered by the welcome itself, as at a new start."""
    if not replies or not isinstance(event, Text):
        return replies
    kind, rest = courtesy(event.text)
    if kind not in ("salam", "greeting") or not rest:
        return replies
    line = salute(ctx, kind, event.text)
    shown = ctx.state.welcome_turn
    welcomed = shown is not None and bool(shown) and shown[0] == ctx.origin.event_id
    if any(line in reply.text for reply in replies) or (kind == "greeting" and welcomed):
        return replies
    return [dataclasses.replace(replies[0], text=f"{line}\n{replies[0].text}"), *replies[1:]]


def wished_well(said: str) -> bool:
    """Whether ``said`` thanks in words the custom answers with its own («يعطيكم العافية»
    → «الله يعافيك», «جزاكم الله خير» → «وإياك», «تسلم» → «الله يسلمك»: data/
    thanks_replies.json), anywhere in it, beside a rating word too («ممتاز جزاكم الله
    خير»): then :func:`salute` answers it in kind."""
    return thanks_in_kind(said) is not None


@cache
def _thanks_replies() -> tuple[tuple[str, tuple[str, ...]], ...]:
    raw: dict[str, Any] = json.loads(_THANKS_DATA.read_text(encoding="utf-8"))
    return tuple(
        (kind, tuple(fold_arabic(w).lower() for w in raw[kind]))
        for kind in ("well", "reward", "safe")
    )


def thanks_in_kind(said: str) -> str | None:
    """ "well", "reward" or "safe": the custom reply the first such word of ``said`` asks
    for (see :func:`wished_well`); None when it has none."""
    replies = _thanks_replies()
    for word in fold_arabic(said).lower().split():
        for bare in (word, word.removeprefix("و"), word.removeprefix("ال")):
            for kind, starts in replies:
                if bare.startswith(starts):
                    return kind
    return None


def wants_welcome(state: DialogueState, now: dt.datetime) -> bool:
    """True when the full welcome should be shown (and notes that it was)."""
    seen = _when(state.welcomed)
    if seen is not None and now - seen < WELCOME_AGAIN_AFTER:
        return False
    state.welcomed = now.isoformat()
    return True


def welcome_on_screen(state: DialogueState) -> bool:
    """True when the person's last turn showed the full welcome, in the language they are
    answered in now: with the first question under it (the caller checks the step), the
    welcome is still the last thing on their screen."""
    shown = state.welcome_turn
    if not shown or not state.handled or state.handled[-1] != shown[0]:
        return False
    return shown[1] == state.locale


def ask_discard(ctx: Ctx) -> tuple[str, tuple[Option, ...]]:
    """The question before a draft with the person's data is deleted."""
    _ = ctx.texts.gettext
    return (
        _(
            "This deletes the request you have been filling in, with the numbers, words and files you sent. Delete it?"
        ),
        (Option("discard", _("Yes, delete it")), Option("keep", _("No, continue"))),
    )


def keep_for_undo(state: DialogueState, now: dt.datetime) -> None:
    """Puts the draft aside so «Undo» can bring it back for a while."""
    state.discarded = {"draft": state.snapshot(), "at": now.isoformat()}


def undo_note(ctx: Ctx) -> tuple[str, Option]:
    _ = ctx.texts.gettext
    return (
        ctx.texts.ngettext(
            "Deleted. Changed your mind? Press «Bring the request back» within %(count)d minute to have it as you left it.",
            "Deleted. Changed your mind? Press «Bring the request back» within %(count)d minutes to have it as you left it.",
            UNDO_MINUTES,
        )
        % {"count": UNDO_MINUTES},
        Option("undo", _("Bring the request back")),
    )


def take_back(state: DialogueState, now: dt.datetime) -> bool:
    """Brings the deleted draft back if it is recent enough; a draft being filled in now
    takes its place (so nothing is lost either way). False when too late or none."""
    saved, state.discarded = state.discarded, None
    at = _when(saved.get("at")) if saved else None
    if saved is None or at is None or now - at > dt.timedelta(minutes=UNDO_MINUTES):
        return False
    current: dict[str, Any] | None = state.snapshot() if state.has_data() else None
    for name, value in saved["draft"].items():
        setattr(state, name, value)
    if current is not None:
        state.discarded = {"draft": current, "at": now.isoformat()}
    return True


def _when(iso: object) -> dt.datetime | None:
    if not isinstance(iso, str):
        return None
    try:
        return dt.datetime.fromisoformat(iso)
    except ValueError:
        return None
