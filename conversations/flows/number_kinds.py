"""The kinds of identity number (national ID, iqama, border number) as a person reads
them, and what is said when a number of a kind the service does not take is typed. Split
from intake_numbers.py (past 400 lines)."""

from __future__ import annotations

from conversations.flow import Ctx
from conversations.flows.intake_draft import applicant_of, identity_kinds, or_words, service_of
from domain.catalogue import Service, local


def kind_names(ctx: Ctx) -> dict[str, str]:
    """Each kind of identity number named as the person reads it, with its first digit."""
    _ = ctx.texts.gettext
    return {
        "citizen": _("a national ID number (starts with 1)"),
        "resident": _("an iqama number (starts with 2)"),
        "border": _("a border number (starts with 3)"),
    }


def wrong_kind(ctx: Ctx, kind: str | None = None) -> str:
    """That the service takes other kinds of number; with the ``kind`` typed, the service
    of the same name that takes it, if one does («إصدار هوية مقيم» for a border number at
    «تجديد هوية مقيم»: the lead's probe, «ما عندي اقامة عندي رقم حدود …» was only told to
    type the right number)."""
    _ = ctx.texts.gettext
    names = kind_names(ctx)
    wanted = [names[k] for k in identity_kinds(ctx)]
    line = _("This service needs %(kinds)s. Please type the right number.") % {
        "kinds": or_words(ctx, wanted)
    }
    other = _namesake_taking(ctx, kind) if kind else None
    if other is None:
        return line
    takes = _(
        "That kind of number is taken by «%(service)s»: to file that instead, write its name here."
    ) % {"service": local(other.name, ctx.locale)}
    return f"{line}\n{takes}"


def _namesake_taking(ctx: Ctx, kind: str) -> Service | None:
    """A service of the same group whose name shares all but one word with this one's
    (its own «هوية مقيم») and that takes numbers of ``kind`` for this applicant."""
    current = service_of(ctx)
    own = set(local(current.name, "ar").split())
    for service in ctx.catalogue.in_group(current.group, applicant_of(ctx)):
        shared = own & set(local(service.name, "ar").split())
        if (
            service.id != current.id
            and kind in service.identity_kinds
            and len(shared) >= len(own) - 1 >= 1
        ):
            return service
    return None
