"""Who acted on a request, as officers read it: the Telegram user behind an owner key or
a signature (:func:`telegram_id`) and a name for the history (:func:`actor_name`). The
officer (:class:`officers.officer.Officer`) and the two ways the desk writes who acted
are :mod:`officers.officer`:

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

from conversations.i18n import Texts


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
