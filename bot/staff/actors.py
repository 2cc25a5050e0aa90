"""Who acts on a request, as the audit trail records them and as officers read them.

An officer is identified two ways:

- the *owner key* (``Request.assigned_to``): ``officer:<telegram id>`` for someone acting
  from the staff group, ``terminal:<name>`` at ``tawasul staff``. It says who has the request
  and stays the same when the person's display name changes.
- the *signature* (``StatusEvent.actor``): the owner key plus the display name at the time
  (``officer:<id>:<name>``), or ``terminal:<name>`` / ``os-user:<name>`` at the terminal (the
  latter when nobody gave ``--officer`` and the operating-system account is all that is
  known). The history reads the name from it, so every line names who acted even after the
  request changed hands.

Older rows (``officer:<id>`` without a name, ``officer:0:<name>`` from the first terminal
desk) are read too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from conversations.i18n import Texts

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


def telegram_id(actor: str | None) -> int | None:
    """The Telegram user id in an owner key or signature, or None (terminal, person)."""
    if not actor:
        return None
    kind, _, rest = actor.partition(":")
    user_id = rest.split(":", 1)[0]
    if kind == "officer" and user_id.isascii() and user_id.isdigit() and int(user_id) > 0:
        return int(user_id)
    return None


def actor_name(actor: str, texts: Texts) -> str:
    """Who an audit ``actor`` is, in words for the history: the officer's name (marked as
    the terminal where it was), "the person" for the one who filed, "the system"."""
    _ = texts.gettext
    kind, _sep, rest = actor.partition(":")
    if kind == "officer":
        user_id, _sep, name = rest.partition(":")
        if not name:
            return _("an officer")
        if user_id == "0":  # the first terminal desk wrote officer:0:<name>
            return _("%(name)s (terminal)") % {"name": name}
        return name
    if kind == "terminal":
        return _("%(name)s (terminal)") % {"name": rest}
    if kind == "os-user":
        return _("%(name)s (terminal, operating-system user)") % {"name": rest}
    if kind == "resident":
        return _("the person")
    return _("the system")
