"""Who acts on a request, as the desk writes them: the officer (:class:`Officer`) and the
person who filed it (:func:`resident_actor`).

An officer is identified two ways:

- the *owner key* (``assigned_to`` on the request): ``officer:<telegram id>`` for someone
  acting from the staff group, ``terminal:<name>`` at ``tawasul staff``. It says who has
  the request and stays the same when the person's display name changes.
- the *signature* (the audit trail's ``actor``): the owner key plus the display name at
  the time (``officer:<id>:<name>``), or ``terminal:<name>`` / ``os-user:<name>`` at the
  terminal (the latter when nobody gave ``--officer`` and the operating-system account is
  all that is known). The history reads the name from it, so every line names who acted
  even after the request changed hands.

How these read to an officer (names, mentions) is the staff group's business
(:mod:`bot.staff.actors`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

#: The longest display name kept (the actor column is 160 characters).
MAX_NAME: Final = 120

Origin = Literal["telegram", "terminal", "os_user"]


@dataclass(frozen=True, slots=True)
class Officer:
    """Someone acting on requests: a Telegram user (``id``) or a person at the terminal."""

    id: int
    name: str
    origin: Origin = "telegram"

    @property
    def actor(self) -> str:
        """The owner key written to ``assigned_to``."""
        if self.origin == "telegram":
            return f"officer:{self.id}"
        return f"terminal:{self.name[:MAX_NAME]}"

    @property
    def signature(self) -> str:
        """The audit trail's actor: who, by name."""
        name = self.name[:MAX_NAME]
        if self.origin == "telegram":
            return f"officer:{self.id}:{name}"
        if self.origin == "os_user":
            return f"os-user:{name}"
        return f"terminal:{name}"

    def signed(self, actor: str) -> bool:
        """Whether an audit ``actor`` is this officer (by owner key, whatever the name was)."""
        if self.origin == "telegram":
            return actor == self.actor or actor.startswith(self.actor + ":")
        return actor in (f"terminal:{self.name[:MAX_NAME]}", f"os-user:{self.name[:MAX_NAME]}")


def resident_actor(channel: str, user_key: str) -> str:
    """The audit trail's actor for a person acting from their own chat."""
    return f"resident:{channel}:{user_key}"
