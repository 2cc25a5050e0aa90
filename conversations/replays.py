"""A turn whose replies may never have been sent: the replies kept with the state, and
the word that an event is being replayed.

A webhook worker saves a turn's state, then sends its replies. Killed between the two
(SIGKILL, the machine lost), it leaves a saved turn and a person who was never answered;
the update, journalled before the 200, is replayed by another worker once the dead one's
lease runs out (bot.webhook_journal), and the engine, finding the turn saved already, must
not run it again (the answer would be the next step's). So each saved state carries the
replies of its last turn as they were presented, in the same compare-and-set write, and a
replay of that very turn sends them again.

Only a replay does: the webhook layer says so with :func:`replaying` around the handling
of a body it took over from a stopped holder. A platform's own redelivery of an update that
was answered (a WhatsApp retry of a wamid) is not a replay and stays silent. Replies a
holder sent before it was stopped are skipped by the replay (bot.channels.sent_marks counts
them, on Telegram and WhatsApp); the known window: a reply that went out while its answer,
or that count's write, or the journal's close was cut is sent again (measured in the
README's load section).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from typing import Any

from conversations.events import Option, Reply

_REPLAYED: ContextVar[bool] = ContextVar("tawasul_replayed", default=False)


def replayed() -> bool:
    """Whether the event being handled in this task is a replay of a stopped holder's."""
    return _REPLAYED.get()


@contextlib.contextmanager
def replaying(on: bool = True) -> Iterator[None]:
    """Marks what is handled inside the block (in this task and the ones it awaits) as a
    replay when `on`."""
    token = _REPLAYED.set(on)
    try:
        yield
    finally:
        _REPLAYED.reset(token)


def replies_to_json(replies: Sequence[Reply]) -> list[dict[str, Any]]:
    """The replies as plain JSON values (for the dialogue state), every field kept."""
    return [
        {
            "text": r.text,
            "choices": [[o.id, o.label, o.description] for o in r.choices],
            "ask_contact": r.ask_contact,
            "media": list(r.media),
            "locale": r.locale,
            "numbered": r.numbered,
            "follow_up": r.follow_up,
            "contact_keyboard_shown": r.contact_keyboard_shown,
            "stamp": r.stamp,
            "spent": list(r.spent),
            "spent_on": r.spent_on,
        }
        for r in replies
    ]


def replies_from_json(raw: Sequence[dict[str, Any]]) -> list[Reply]:
    """The replies :func:`replies_to_json` wrote."""
    return [
        Reply(
            str(item["text"]),
            choices=tuple(Option(*choice) for choice in item.get("choices", [])),
            ask_contact=bool(item.get("ask_contact", False)),
            media=tuple(item.get("media", ())),
            locale=item.get("locale"),
            numbered=bool(item.get("numbered", True)),
            follow_up=item.get("follow_up"),
            contact_keyboard_shown=bool(item.get("contact_keyboard_shown", False)),
            stamp=item.get("stamp"),
            spent=tuple(item.get("spent", ())),
            spent_on=item.get("spent_on"),
        )
        for item in raw
    ]
