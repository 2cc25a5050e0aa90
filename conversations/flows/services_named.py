"""Which services a message names other than the one chosen: by a slip («لا غلطت ابي
الاقامه مو الجواز»), as wanted in a wish to change («ابي اغير الخدمه لتاشيرة خروج وعوده»),
or whole in a few words («ابي تأشيرة خروج وعودة» where another service is being filled
in). Read by conversations.flows.service_change, which offers the change, and by the
summary."""

from __future__ import annotations

from conversations.flow import Ctx
from conversations.flows.intake_draft import applicant_of, service_of
from conversations.flows.slips import is_slip
from conversations.keywords import not_a_service, not_this
from domain.normalize import fold_arabic

#: The most words of a message naming another service with no word of a wish
#: («ابي تأشيرة خروج وعودة»); a longer one tells a case.
_NAMED_WORDS = 6


def named_whole_instead(ctx: Ctx, text: str) -> list[str]:
    """The services other than the chosen one that a short ``text`` (at most
    :data:`_NAMED_WORDS` words) names whole (Catalogue.named_in_full), best first; empty
    when it names the chosen one too («لا أستطيع تجديد الإقامة، النظام يعطي خطأ») or is
    longer (a case told)."""
    if len(text.split()) > _NAMED_WORDS:
        return []
    current = service_of(ctx).id
    whole = [s.id for s in ctx.catalogue.named_in_full(text, applicant_of(ctx))]
    # the support group's services («النظام يعطي خطأ», a technical issue) are what went
    # wrong with any service: a case, not another service wanted
    named = [s for s in whole if s != current and ctx.catalogue.get(s).group != "support"]
    return [] if current in whole else named


def slip_named(ctx: Ctx, text: str) -> list[str]:
    """The other services a slip («لا غلطت ابي الاقامه مو الجواز») names; none when it
    is no slip, names none, or names the service chosen."""
    if "service" not in ctx.state.answers or not is_slip(text):
        return []
    current = service_of(ctx)
    wanted = affirmed(text)
    matched = ctx.catalogue.match(wanted, limit=3, applicant_kind=applicant_of(ctx))
    if matched and matched[0].id == current.id:
        # «لا غلطت ابي اجدد اقامة زوجتي مو اقامتي»: the service said is the one chosen;
        # the slip corrects the answer asked for, read by the step (review 13 §3). Only
        # the best match: «اجدد جوازي» names the iqama's renewal too, by «اجدد» (tester 14 §4)
        return []
    return named_instead(ctx, text) or [
        s.id
        for s in ctx.catalogue.named_by_word(
            without_number_words(text), current.id, applicant_of(ctx)
        )
    ]


def other_services_named(ctx: Ctx, text: str) -> list[str]:
    """The services other than the chosen one that ``text`` names as wanted («ابي اغير
    الخدمه لتاشيرة خروج وعوده»), best first; empty when it names none."""
    return (
        named_whole_instead(ctx, affirmed(text))
        or named_instead(ctx, affirmed(text))
        or slip_named(ctx, text)
    )


def named_instead(ctx: Ctx, text: str) -> list[str]:
    current = service_of(ctx)
    return [
        s.id
        for s in ctx.catalogue.match(text, limit=3, applicant_kind=applicant_of(ctx))
        # «خدمة أخرى» names the catalogue's «أخرى» by its words, not as the one wanted
        if s.id not in (current.id, "other")
    ]


def affirmed(text: str) -> str:
    """``text`` up to its first «مو»/«not» (keywords.json ``_not_this``): what is wanted,
    without what is not."""
    words = text.split()
    cut = not_this()
    for i, word in enumerate(words):
        if fold_arabic(word) in cut:
            return " ".join(words[:i])
    return text


def without_number_words(text: str) -> str:
    """``text`` without the numbers' words (keywords.json ``_not_a_service``): «رقم الهوية»
    names no service, though «هوية مقيم» is one's name."""
    idle = not_a_service()
    return " ".join(w for w in text.split() if fold_arabic(w) not in idle)
