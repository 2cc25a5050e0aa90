"""Edited messages: which edits answer a step again, and which only get a hint.

A person who corrects a message instead of sending it again (a mistyped identity number)
expects the correction to count. It counts when it edits the message that answered the
step they are on (kept in the dialogue state as ``answered``); an edit of anything older
would change an answer that already led elsewhere, so it gets a short hint and changes
nothing. An edited photo never counts as a new file.

Updates of one person may run on two workers at once (webhooks), so an edit can arrive
before its original is handled; :func:`await_original` waits a moment for it, reading the
shared state (``seen``: the person's recent message ids).
"""

from __future__ import annotations

import asyncio
import copy
import pickle

from conversations.events import Event, Media, Origin
from conversations.flow import Ctx, Finish, Next, Outcome
from conversations.state import DialogueState
from conversations.store import DialogueStore

# how long an edit waits for its original, which another worker may still be handling
EDIT_WAIT_S = 2.0
EDIT_WAIT_STEP_S = 0.05
# message ids remembered per person, to tell "not handled yet" from "long ago"
SEEN_MAX = 20


async def await_original(
    store: DialogueStore, origin: Origin, state: DialogueState
) -> DialogueState:
    """The state once the message `origin` edits has been handled, or after
    :data:`EDIT_WAIT_S` (then it is an old message, or one from before the state's TTL)."""
    waited = 0.0
    while origin.edits not in state.seen and waited < EDIT_WAIT_S:
        await asyncio.sleep(EDIT_WAIT_STEP_S)
        waited += EDIT_WAIT_STEP_S
        state = await store.load(origin.channel, origin.user_key)
    return state


def is_old_edit(state: DialogueState, event: Event) -> bool:
    """An edit that must not be read as an answer: of anything but the message that
    answered the current step, or of a photo or file."""
    edits = event.origin.edits
    if edits is None:
        return False
    return isinstance(event, Media) or state.answered != [state.flow, state.step, edits]


def saw(state: DialogueState, origin: Origin) -> None:
    """Remembers a message id, so an edit of it is known not to be early."""
    if origin.message_id is not None and origin.message_id not in state.seen:
        state.seen = [*state.seen[-(SEEN_MAX - 1) :], origin.message_id]


def answers_before(state: DialogueState) -> bytes:
    """The answers as they are before a step reads a message (what an edit of that message
    goes back to), frozen: :func:`answered` thaws them only when the step stays.

    Every turn pays for this, and most never need it (the step moves on), so it is a pickle
    (about a tenth of ``copy.deepcopy``'s time, which the profile of bench/dialogue.py
    showed once per turn); the bytes never leave this process (the state is JSON)."""
    return pickle.dumps(state.answers, pickle.HIGHEST_PROTOCOL)


def answered(state: DialogueState, event: Event, outcome: Outcome, before: bytes) -> None:
    """Called once a step read `event`: the message stays editable while the step stays,
    and the answers from before it (:func:`answers_before`) are kept for its edit."""
    message = event.origin.edits or event.origin.message_id
    if isinstance(outcome, Next | Finish) or message is None:
        state.answered, state.answered_from = None, None
        return
    if state.answered != [state.flow, state.step, message]:
        # a second edit of the same message goes back to before the first one too
        # our own bytes, made this turn in this process
        state.answered_from = pickle.loads(before)
    state.answered = [state.flow, state.step, message]


def take_back(state: DialogueState, event: Event) -> None:
    """An edit of the current step's answer replaces it: what that message added (a part
    of a description written in several messages, say) is taken back first."""
    if event.origin.edits is not None and state.answered_from is not None:
        state.answers = copy.deepcopy(state.answered_from)


def settle(state: DialogueState) -> None:
    """At the end of a turn: an answer to a step the person has left is no longer the
    current step's (back, cancel, another flow)."""
    if state.answered is not None and state.answered[:2] != [state.flow, state.step]:
        state.answered, state.answered_from = None, None


def old_edit_hint(ctx: Ctx) -> str:
    """What an edit of an earlier message is told: to send the answer again, and how an
    earlier answer is changed there: at the summary by its own rows («تعديل الوصف»…),
    elsewhere with «Back». Found by tester 12 (§20): at the summary it pointed to «رجوع»,
    which the summary does not offer."""
    _ = ctx.texts.gettext
    if ctx.state.step == "summary" and ctx.state.flow == "intake":
        return _(
            "I can't read changes to an earlier message. To change your request, choose what "
            "to change below (the description: «Change the description»), or send it as it is."
        )
    return _(
        "I can't read changes to an earlier message. Please send your answer again as a "
        "new message (to change an earlier answer, use «Back»)."
    )
