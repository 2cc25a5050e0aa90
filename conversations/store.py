"""The dialogue store, a port: one record per (channel, user), compare-and-set on a version.

Two updates of one person handled on two workers at once both read version v; only the
first write of v+1 lands, the other is told and re-runs its step on the fresh state, so
no answer is lost. Event ids are claimed before handling so a redelivered update is
handled once.

A claim holds its caller's token while busy and is turned DONE once the turn's state is
saved; the state also keeps the ids of its last turns (``DialogueState.handled``). A
process killed in between (SIGKILL, the machine lost) leaves a busy claim with no saved
turn: the update, replayed from the webhook journal, is handled again instead of being
taken for a duplicate and lost (:func:`unfinished`). Should the first process still be
alive and finish first, the compare-and-set lets only one of the two turns land (the
other finds the id in ``handled`` and says nothing).

The language a person chose belongs to them, not to a draft: the store keeps it apart,
without the draft's TTL, reads it with the state and writes it in the same
compare-and-set as the state that changed it, so a switch of language is never
half-saved. A language chosen in so many words («English», the button, /lang) is kept as
such (``en:chosen``, :func:`locale_value`): once the draft expired, a choice must not count
as merely read from the person's words, which their next message in the other language
would overturn.

A store that cannot be reached raises :class:`StoreUnavailable`, so this layer tells an
outage (wait for it, or say what did not reach us: conversations.store_outage) from a bug
without knowing what the store is made of. The store on Redis is
:class:`bot.redis_store.dialogue.RedisDialogueStore`.
"""

from __future__ import annotations

from typing import Protocol

from conversations.i18n import LOCALES
from conversations.state import DialogueState

#: How long a draft lives after the person's last message (a sliding TTL), in seconds.
DEFAULT_TTL_S = 24 * 3600
#: How long a claimed event id is remembered, in seconds: longer than any platform
#: redelivers an update.
EVENT_TTL_S = 7 * 24 * 3600
#: A claim's value once its turn is saved (the value claims had before); any other value
#: (the claiming call's token) means the turn is being handled, or was, by a process that
#: may have died.
DONE = b"1"


class StoreUnavailable(Exception):
    """The dialogue store (or another store a turn depends on) cannot be reached: a
    refused or dropped connection, a timeout, a server still loading its data. Nothing of
    the call is known to have been written. Implementations raise a subclass of it for
    those failures only; a refusal or a bug raises something else."""


class DialogueStore(Protocol):
    """Where dialogue states live between turns, shared by every worker. Every method
    raises :class:`StoreUnavailable` when the store cannot be reached."""

    async def claim_and_load(
        self, channel: str, user_key: str, event_id: str
    ) -> tuple[bool, DialogueState]:
        """Claims ``event_id`` and reads the person's state with their account's
        language: whether the event is new (not handled, nor being handled by a live
        turn), and the state."""
        ...

    async def load(self, channel: str, user_key: str) -> DialogueState: ...

    async def save(
        self,
        channel: str,
        user_key: str,
        state: DialogueState,
        *,
        remember_locale: bool = False,
        forget_locale: bool = False,
        done: str | None = None,
    ) -> bool:
        """Compare-and-set; with ``remember_locale`` the state's locale also becomes the
        account's, with ``forget_locale`` the account's is dropped, and with ``done`` (an
        event id claimed by :meth:`claim_and_load`) that claim stops being one a replay may
        take over, all in the same atomic write."""
        ...

    async def release(self, channel: str, user_key: str, event_id: str) -> None: ...

    async def move(self, channel: str, old_key: str, new_key: str) -> None:
        """The person now goes by another user key (a new number): their draft and
        language follow, unless the new key has its own already."""
        ...


def unfinished(claim: bytes | str | None, state: DialogueState, event_id: str) -> bool:
    """Whether an event claimed already may be handled again: its claim is still busy
    and no saved turn handled it (the process that claimed it died on the way)."""
    if claim is None or claim in (DONE, DONE.decode()):
        return False
    return event_id not in state.handled


#: How the locale key marks a language chosen in so many words (``en:chosen``).
CHOSEN_MARK = ":chosen"


def locale_value(state: DialogueState) -> str:
    """What the account's locale key holds for ``state``: its language, marked when the
    person chose it in so many words (``DialogueState.locale_chosen``)."""
    return state.locale + CHOSEN_MARK if state.locale_chosen else state.locale


def with_account_locale(state: DialogueState, value: str | None) -> DialogueState:
    """``state`` with the account's language from its locale key's ``value`` (None: no
    key), which wins over the draft's: the draft may be older than the person's last
    choice, or gone after its TTL. A chosen language comes back chosen; a key without the
    mark (a language read from words or the app, or written before the mark existed)
    leaves the draft's own flags as they are."""
    state.locale_remembered = False
    if not value:
        return state
    code, chosen = value.removesuffix(CHOSEN_MARK), value.endswith(CHOSEN_MARK)
    if code in LOCALES:
        state.locale, state.locale_remembered = code, True
        if chosen:
            state.locale_set = state.locale_chosen = True
    return state
