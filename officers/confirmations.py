"""What an officer is told after acting on a request (take, ask, accept, reject, undo,
reopen, keep a rejection, block, unblock, an internal note), and why an action is refused, for both doors to
the desk: the staff group (``bot.staff``'s buttons, prompts and commands) and the terminal
(``tawasul staff``).

The words are the same wherever the action is the same. Where the doors differ the text
says so on purpose: the staff group names the officer who acted (the whole group reads it)
and points at its own ways back (↩️ on the card, /unblock, /takeover); the terminal speaks
to the one officer at it and points at its commands (``tawasul staff undo``, ``--over``).

Every text is plain (not HTML): the staff group escapes it where it is put in a message.
Names (an officer's, a language's) are used as given; the caller isolates them where the
direction of the text around them matters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, TypeAlias

from officers.words import Gettext

#: ``ngettext`` bound to one language (``Texts(locale).ngettext``).
NGettext: TypeAlias = Callable[[str, str, int], str]
#: The door the officer came through: the staff group or ``tawasul staff``.
Door: TypeAlias = Literal["group", "terminal"]


class Confirmations:
    """The officer's confirmations and refusals in one language, for one door."""

    def __init__(self, gettext: Gettext, ngettext: NGettext, door: Door) -> None:
        self._ = gettext
        self._n = ngettext
        self.door = door

    # ---- done ----------------------------------------------------------------------

    def taken(self, number: str, *, previous: str | None = None, already: bool = False) -> str:
        """A take: ``already`` when the officer had it; ``previous``, the officer it was
        taken over from (they are told)."""
        _ = self._
        if already:
            return _("You already have request %(number)s.") % {"number": number}
        if previous:
            return _("You have taken request %(number)s over from %(officer)s; they are told.") % {
                "number": number,
                "officer": previous,
            }
        return _("You have taken request %(number)s.") % {"number": number}

    def asked(self, number: str, *, other_language: str | None = None) -> str:
        """A question sent; ``other_language``, the name of the language the person reads
        when the question is not written in its script."""
        _ = self._
        text = _(
            "Question sent to the person for request %(number)s. The clock is paused until they answer."
        ) % {"number": number}
        if other_language is not None:
            text += " " + _(
                "Note: the person reads %(language)s, and your question is not in it."
            ) % {"language": other_language}
        return text

    def accepted(self, number: str, officer: str, *, grace_s: int) -> str:
        """An acceptance by ``officer`` (named in the staff group), told to the person after
        ``grace_s`` seconds (the decision's grace, TAWASUL_DECISION_GRACE_S)."""
        _ = self._
        if self.door == "group":
            head = _("Request %(number)s accepted by %(officer)s.")
        else:
            head = _("Request %(number)s accepted.")
        return self._decided(head, number, officer, grace_s)

    def rejected(self, number: str, officer: str, *, grace_s: int) -> str:
        """A rejection, as :meth:`accepted`."""
        _ = self._
        if self.door == "group":
            head = _("Request %(number)s rejected by %(officer)s.")
        else:
            head = _("Request %(number)s rejected.")
        return self._decided(head, number, officer, grace_s)

    def undone(self, number: str) -> str:
        """A decision taken back within its grace: the person never heard of it."""
        return self._("The decision on request %(number)s is undone; the person was not told.") % {
            "number": number
        }

    def reopened(self, number: str, officer: str) -> str:
        """A decided request reopened by the officer, with a reason."""
        _ = self._
        if self.door == "group":
            return _(
                "Request %(number)s reopened by %(officer)s and back under review; it is due again in seven working days."
            ) % {"number": number, "officer": officer}
        return _("Request %(number)s reopened and back under review.") % {"number": number}

    def reopened_as_asked(self, number: str) -> str:
        """A rejected request reopened on the person's request for reconsideration."""
        return self._("Request %(number)s reopened as the person asked; they are told.") % {
            "number": number
        }

    def kept(self, number: str) -> str:
        """A request for reconsideration answered: the rejection stays."""
        return self._("Request %(number)s stays rejected; the person is told.") % {"number": number}

    def blocked(self, number: str, officer: str, *, changed: bool) -> str:
        """The person behind ``number`` blocked by ``officer``; ``changed`` False when they
        were already blocked."""
        _ = self._
        if self.door == "group":
            if not changed:
                return _(
                    "The person behind request %(number)s is already blocked. /unblock %(number)s lifts it."
                ) % {"number": number}
            return _(
                "The person behind request %(number)s is blocked by %(officer)s: their messages are no longer handled, and they are told so once. /unblock %(number)s lifts it."
            ) % {"number": number, "officer": officer}
        if not changed:
            return _("The person behind request %(number)s is already blocked.") % {
                "number": number
            }
        return _(
            "The person behind request %(number)s is blocked: their messages are no longer handled, and they are told so once. tawasul staff unblock %(number)s lifts it."
        ) % {"number": number}

    def unblocked(self, number: str, officer: str, *, changed: bool, by: str = "") -> str:
        """The block lifted by ``officer``; ``by``, who had blocked (said in the staff
        group); ``changed`` False when the person was not blocked."""
        _ = self._
        if not changed:
            return _("The person behind request %(number)s is not blocked.") % {"number": number}
        if self.door == "group":
            return _(
                "The person behind request %(number)s is unblocked by %(officer)s; their messages are handled again. They had been blocked by %(by)s."
            ) % {"number": number, "officer": officer, "by": by}
        return _(
            "The person behind request %(number)s is unblocked; their messages are handled again."
        ) % {"number": number}

    def noted(self, number: str) -> str:
        """An internal note kept on the request: for the officers, never for the person."""
        return self._(
            "Internal note added to request %(number)s. Only officers see it; the person is not told."
        ) % {"number": number}

    # ---- refused -------------------------------------------------------------------

    def not_found(self, number: str) -> str:
        return self._("No request has the number %(number)s.") % {"number": number}

    def cannot_now(self, number: str, status: str) -> str:
        """The request's status (``status``, its label) does not allow the action."""
        return self._("Request %(number)s is «%(status)s»: this cannot be done now.") % {
            "number": number,
            "status": status,
        }

    def nothing_to_undo(self, number: str, status: str) -> str:
        """An undo of a request that is not decided (``status``, its label): undone
        already, or never decided, so nobody was told anything (not «too late»)."""
        return self._("Request %(number)s has no decision to undo; it is «%(status)s».") % {
            "number": number,
            "status": status,
        }

    def decided(self, number: str, status: str) -> str:
        """The request is decided (``status``, its label): nothing but a reopening changes
        it, so the officer is told that, and how at this door. Found by the fresh-clone
        tester: ``tawasul staff ask`` on a rejected request said only that it «cannot be
        done now», as if waiting would help."""
        _ = self._
        if self.door == "group":
            text = _(
                "Request %(number)s is already decided («%(status)s»). To act on it again, reopen it first with ↩️ on its card."
            )
        else:
            text = _(
                "Request %(number)s is already decided («%(status)s»). To act on it again, reopen it first, with the reason: tawasul staff reopen %(number)s REASON"
            )
        return text % {"number": number, "status": status}

    def already_with(self, number: str, officer: str | None) -> str:
        """Another officer has the request: how to take it over at this door."""
        _ = self._
        if self.door == "group":
            text = _(
                "Request %(number)s is already with %(officer)s. To take it over, send /takeover %(number)s"
            )
        else:
            text = _(
                "Request %(number)s is already with %(officer)s. To act on it all the same, add --over: it becomes yours, and they are told."
            )
        return text % {"number": number, "officer": officer or _("an officer")}

    # ---- helpers -------------------------------------------------------------------

    def _decided(self, head: str, number: str, officer: str, grace_s: int) -> str:
        """A decision's confirmation: when the person is told, and how to undo it until
        then at this door."""
        text = head % {"number": number, "officer": officer}
        if grace_s <= 0:
            return text + " " + self._("The person is being told.")
        if self.door == "group":
            note = self._n(
                "The person is told in %(seconds)d second; until then ↩️ on the card undoes it.",
                "The person is told in %(seconds)d seconds; until then ↩️ on the card undoes it.",
                grace_s,
            )
        else:
            note = self._n(
                "The person is told in %(seconds)d second unless you undo it (tawasul staff undo).",
                "The person is told in %(seconds)d seconds unless you undo it (tawasul staff undo).",
                grace_s,
            )
        return text + " " + note % {"seconds": grace_s}
