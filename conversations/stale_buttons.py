"""Buttons of an earlier question, told apart from the current question's (found by the
fresh-clone tester: on Telegram every old inline keyboard stays on screen, and a button
from an earlier question, tapped after a request was filed or a draft was cancelled, led
to the first question without a word).

Each reply's buttons carry a **stamp** (:func:`keyboard_stamp`): a short digest of the
question they answer (flow, step and the ids offered). A channel that can carry it with
each button (Telegram's callback_data, :data:`STAMP_SEPARATOR`) sends it back with the tap
(``Choice.stamp``). The stamp is computed from the dialogue state every worker shares, so
nothing is remembered in a process and no Redis read or write is added: a tap whose stamp
is not the current question's is from an earlier message, unless its button works
anywhere (a language, «Help», «Cancel», an officer's «Answer», a rating...). Such a tap
is answered that the button is old, the current question is asked again, nothing the
person gave is touched, and the old message's buttons are taken away where the channel
can (``Reply.spent``, :data:`ALL_BUTTONS`): one edit per stale tap, never one per turn.

The same question asked again (a wrong answer, «رجوع» back to it, the language switched)
keeps its stamp, so its earlier keyboard still works, as it should.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import Final

from conversations.buttons import (
    ANSWER_PREFIX,
    EVERYWHERE,
    LANGUAGE_PREFIX,
    STATUS_PREFIX,
    TOPIC_PREFIX,
)
from conversations.events import Choice, Option, Reply
from conversations.flow import Ctx
from conversations.reading import START_STEPS
from conversations.state import DialogueState
from conversations.their_say import parse_say

#: Between a button's id and its stamp in a channel's button data ("s:iqama_renew~3fa9c2").
STAMP_SEPARATOR: Final = "~"
#: ``Reply.spent``: every button of the tapped message is spent.
ALL_BUTTONS: Final = "*"
#: Hex digits of a stamp: 24 bits, so a stale keyboard passes for the current one about
#: once in 16 million taps.
_STAMP_HEX: Final = 6
#: Buttons that act by themselves at any step, whatever message they are under; «back»
#: is not one (from an old message it would go back from the wrong step).
_ANYWHERE: Final = EVERYWHERE - {"back"}
_ANYWHERE_PREFIXES: Final = (LANGUAGE_PREFIX, ANSWER_PREFIX, STATUS_PREFIX, TOPIC_PREFIX)


def keyboard_stamp(flow: str, step: str, ids: Iterable[str]) -> str:
    """The stamp of the buttons ``ids`` offered at ``flow``/``step``. Buttons that act
    anywhere do not count: the question asked again with help's extra buttons (start over,
    status, the other language) is the same question, and its earlier keyboard still works."""
    return _stamp(flow, step, tuple(ids))


@functools.lru_cache(maxsize=512)
def _stamp(flow: str, step: str, ids: tuple[str, ...]) -> str:
    # cached: the same few questions' keyboards are stamped on every turn (each reply's,
    # and the current question's for every tap), each a digest of its ids once filtered
    own = (i for i in ids if not _acts_anywhere(i))
    key = "\x1f".join((flow, step, *own)).encode()
    return hashlib.blake2s(key, digest_size=8).hexdigest()[:_STAMP_HEX]


def current_stamp(state: DialogueState) -> str:
    """The stamp of the question the person is at: the buttons offered last."""
    return keyboard_stamp(state.flow, state.step, (o[0] for o in state.offered))


def stamped(state: DialogueState, replies: Sequence[Reply]) -> list[Reply]:
    """``replies`` with their buttons stamped for the question ``state`` is at now (the
    state as the turn leaves it)."""
    return [
        dataclasses.replace(
            r, stamp=keyboard_stamp(state.flow, state.step, (o.id for o in r.choices))
        )
        if r.choices
        else r
        for r in replies
    ]


def is_stale(choice: Choice, state: DialogueState) -> bool:
    """Whether ``choice`` was tapped under an earlier question's message: it carries a
    stamp that is not the current question's, and its button does not act by itself."""
    if choice.stamp is None or choice.stamp == current_stamp(state):
        return False
    data = choice.id
    if _acts_anywhere(data):
        return False
    # a second tap on the confirm button after filing has its own answer («already sent»)
    return not (data == "confirm" and state.step == "done")


def stale_replies(
    ctx: Ctx, ask: Callable[[], Reply], restart: Callable[[], list[Reply]]
) -> list[Reply]:
    """The answer to a tap under an earlier question's message: it did nothing, and the
    question the person is at comes again (``ask``), or, with none under way and nothing
    offered (a conversation gone with its TTL), the first question (``restart``). Where
    the person is asked something besides the step (discard the draft? is this an answer
    to the officer?), or before the first question, the buttons offered last come again
    as they are, so that nothing they were asked is lost. The tapped message's buttons are
    spent (:data:`ALL_BUTTONS`)."""
    _ = ctx.texts.gettext
    state = ctx.state
    replies: list[Reply]
    if state.step in START_STEPS or state.confirming or state.held is not None:
        lead = _(
            "That button is from an earlier message, so it did nothing. Please choose from the buttons below, or type what you need."
        )
        offered = tuple(Option(o[0], o[1]) for o in state.offered)
        replies = [Reply(lead, choices=offered)] if offered else [Reply(lead), *restart()]
    else:
        # the words WhatsApp's own check says (bot.channels.whatsapp_channel)
        lead = _("That button is from an earlier message. Here is where we are now:")
        asked = ask()
        replies = [dataclasses.replace(asked, text=f"{lead}\n{asked.text}")]
    replies[0] = dataclasses.replace(replies[0], spent=(ALL_BUTTONS,))
    return replies


def _acts_anywhere(button: str) -> bool:
    return (
        button in _ANYWHERE
        or button.startswith(_ANYWHERE_PREFIXES)
        or parse_say(button) is not None
    )


def split_stamp(data: str) -> tuple[str, str | None]:
    """A channel's button data as (id, stamp); the stamp None when there is none."""
    button, sep, stamp = data.rpartition(STAMP_SEPARATOR)
    if not sep or not button or len(stamp) != _STAMP_HEX:
        return data, None
    return button, stamp


def with_stamp(button: str, stamp: str | None) -> str:
    """A button's data with its stamp, as :func:`split_stamp` reads it."""
    return button if stamp is None else f"{button}{STAMP_SEPARATOR}{stamp}"
