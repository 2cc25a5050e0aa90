"""Services only Saudi citizens may file (domain/data/services.json: a national ID alone;
the Saudi passport's services), met by a resident or a visitor.

Found by tester 14 (§1): «ابي اجدد جوازي» from a resident led to «تجديد جواز السفر»; the
iqama number typed there got «هذه الخدمة تتطلب رقم هوية وطنية (يبدأ بـ١)», «انا مقيم مو
سعودي ابي اجدد جوازي» was kept as the description and the same question asked again, and
nothing said the service was for citizens nor what to do instead. «ابي اجدد اقامتي» was
offered the same service. Now such a service is listed with «(للمواطنين فقط)»; a need
that names an iqama or a resident is not offered it; and at its number step an iqama or
border number, or words saying the person is not a citizen, get what the service is for,
the residents' services to choose instead and the way there («اختيار خدمة أخرى»).

The words are data (conversations/data/residents.json)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from conversations.flow import Ctx
from conversations.flows.intake_draft import applicant_of, service_of
from conversations.formatting import isolate
from conversations.keywords_early import early_answers
from conversations.understanding import words
from domain.catalogue import Service, local
from domain.identity import mask_identity

_DATA = Path(__file__).resolve().parent / "data" / "residents.json"

#: Shown at a citizens-only service's number step once a resident's number or words met
#: it (the dialogue state, so on any worker): the step offers «Choose another service».
NOT_CITIZEN = "not_citizen"
#: Set when the words that named the need said the person is not a citizen («انا مقيم ابي
#: اجدد جوازي»): a citizens-only service chosen from them says so at its number step at
#: once, before any number is typed.
SAID_NOT_CITIZEN = "said_not_citizen"
#: The choice that leaves a citizens-only service for another.
OTHER_SERVICE = "other_service"
_FOR_WHOM = "for_whom"
_SELF = "self"
#: The most residents' services named in the explanation.
SERVICES_NAMED = 4
#: Set (to :data:`RESIDENTS`) while «أيّ هذه الخدمات…» offers the residents' services in
#: place of a citizens-only one the words named: the offer's heading says so.
SUGGESTED_AS = "suggested_as"
RESIDENTS = "residents"


@dataclass(frozen=True, slots=True)
class _Words:
    iqama: tuple[tuple[str, ...], ...]
    not_citizen: tuple[tuple[str, ...], ...]
    negations: frozenset[str]


@cache
def _words() -> _Words:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))

    def phrases(name: str) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(words(p)) for p in raw[name] if words(p))

    return _Words(
        iqama=phrases("iqama"),
        not_citizen=phrases("not_citizen"),
        negations=frozenset(k for w in raw["negations"] for k in words(w)),
    )


def _said(tokens: Sequence[str], phrases: tuple[tuple[str, ...], ...], no: frozenset[str]) -> bool:
    for phrase in phrases:
        size = len(phrase)
        for i in range(len(tokens) - size + 1):
            if tuple(tokens[i : i + size]) != phrase:
                continue
            # «مو مقيم»: the opposite, unless the phrase itself is the negation («مو سعودي»)
            if i and tokens[i - 1] in no and phrase[0] not in no:
                continue
            return True
    return False


def names_iqama(text: str) -> bool:
    """Whether ``text`` names an iqama («اقامتي», «اقامة زوجتي», «my iqama»): a need that
    does is not offered a citizens-only service."""
    data = _words()
    return _said(words(text), data.iqama, data.negations)


def says_not_citizen(text: str) -> bool:
    """Whether ``text`` says the person is not a Saudi citizen («انا مقيم», «مو سعودي»,
    «I'm a resident»); «مو مقيم» does not."""
    data = _words()
    return _said(words(text), data.not_citizen, data.negations)


def said_of_the_applicant(ctx: Ctx) -> bool:
    """Whether the person's words that they are no citizen («انا مقيم ابي اجدد جوازي»)
    are about whom the request is for: on their own request, or before «لمن هذا الطلب؟»
    is answered. Review of session 15: «انا مقيم وابي اجدد جواز زوجتي السعودية» was told
    «للمواطنين فقط», though the applicant is the Saudi wife (since 8070ff2)."""
    if not ctx.state.answers.get(SAID_NOT_CITIZEN):
        return False
    eligibility = ctx.state.answers.get("eligibility") or {}
    return bool(eligibility.get(_FOR_WHOM, _SELF) == _SELF)


def resident_for_self(ctx: Ctx, question_id: str, text: str) -> bool:
    """Whether ``text`` at «لمن هذا الطلب؟» (``question_id``) of a citizens-only service
    says the person is no citizen and names nobody else («انا مقيم», «انا مقيمة مو
    سعودية»): the request is their own, and the number step says what the service is
    for and what to choose instead. Session 15 (fresh users): «انا مقيم» there got «لم
    أفهم إجابتك». Records the words (:data:`SAID_NOT_CITIZEN`) when it answers True."""
    if question_id != _FOR_WHOM or "service" not in ctx.state.answers:
        return False
    if not service_of(ctx).citizens_only or not says_not_citizen(text):
        return False
    if early_answers(text).get(_FOR_WHOM, _SELF) != _SELF:
        return False
    ctx.state.answers[SAID_NOT_CITIZEN] = True
    return True


def listed_name(ctx: Ctx, service: Service) -> str:
    """The service's name as a list offers it: «(للمواطنين فقط)» after a citizens-only
    one's, so a resident sees it is not theirs before choosing it."""
    name = local(service.name, ctx.locale)
    if not service.citizens_only:
        return name
    return ctx.texts.gettext("%(service)s (citizens only)") % {"service": name}


def residents_services(ctx: Ctx, applicant: str) -> list[Service]:
    """The services ``applicant`` may file for a resident and not for a citizen (the
    iqama's, the visas', the dependants'...), in the catalogue's order, the first
    :data:`SERVICES_NAMED`."""
    found = [
        s
        for s in ctx.catalogue.services
        if applicant in s.applicants
        and "resident" in s.identity_kinds
        and "citizen" not in s.identity_kinds
    ]
    return found[:SERVICES_NAMED]


def for_citizens_line(ctx: Ctx, service: Service) -> str:
    """«خدمة «…» للمواطنين السعوديين فقط، فهي لجواز السفر السعودي…»: the service is for
    Saudi citizens, and why (services.json ``citizens_why``)."""
    _ = ctx.texts.gettext
    name = local(service.name, ctx.locale)
    return _why(ctx, service, _("«%(service)s» is for Saudi citizens only") % {"service": name})


def _why(ctx: Ctx, service: Service, first: str) -> str:
    _ = ctx.texts.gettext
    why = local(service.citizens_why, ctx.locale) if service.citizens_why else ""
    return _("%(said)s: %(why)s.") % {"said": first, "why": why} if why else f"{first}."


def residents_first(
    ctx: Ctx, text: str, matches: Sequence[Service]
) -> tuple[list[Service], str | None]:
    """The services a need names, for a resident: when ``text`` says the person is no
    citizen and is about their own request («انا مقيم ابي اجدد جوازي») and the best match
    is for citizens only, the others alone when the words say the request is their own
    («جوازي»), else the others first, with the line saying what that service is for, to
    say above them; otherwise ``matches`` as they are and None.

    Session 15: that message listed «تجديد جواز السفر» first, though a resident renewing
    a passport renews another country's (services.json ``notes`` of passport_renew); then
    it was listed last, under the line saying it is for citizens only, which offered the
    person a service just said not to be theirs (session 18's faults list)."""
    found = list(matches)
    if not found or not found[0].citizens_only or not says_not_citizen(text):
        return found, None
    if early_answers(text).get(_FOR_WHOM, _SELF) != _SELF:
        # «انا مقيم وابي اجدد جواز زوجتي السعودية»: the applicant may well be a citizen
        return found, None
    rest = [s for s in found if not s.citizens_only]
    if early_answers(text).get(_FOR_WHOM) != _SELF or not rest:
        # «انا مقيم ابي اجدد جواز»: whose passport is not said, so it may be a Saudi
        # relative's: listed after the resident's services
        return [*rest, *(s for s in found if s.citizens_only)], for_citizens_line(ctx, found[0])
    # the words named a passport, not these: each resident's service offered alike under
    # a heading that does not say one is the need (session 20's new-user probe: «هل هذه
    # هي الخدمة المطلوبة؟ 1) تجديد هوية مقيم», never asked for)
    offered = [*rest, *(s for s in residents_services(ctx, applicant_of(ctx)) if s not in rest)]
    ctx.state.answers[SUGGESTED_AS] = RESIDENTS
    return offered[:SERVICES_NAMED], for_citizens_line(ctx, found[0])


def not_for_residents(
    ctx: Ctx, service: Service, applicant: str, number: str = "", kind: str = ""
) -> str:
    """What a resident or visitor who reached citizens-only ``service`` is told: the
    number typed (``number``, of ``kind`` "resident" or "border") or their words met a
    service for Saudi citizens, why (services.json ``citizens_why``), the residents'
    services to choose instead with «Choose another service», and a national ID if the
    request is for a citizen after all."""
    _ = ctx.texts.gettext
    names = {"resident": _("an iqama number"), "border": _("a border number")}
    name = local(service.name, ctx.locale)
    if number and kind in names:
        first = _(
            "The number you typed (%(number)s) is %(kind)s, and «%(service)s» is for Saudi citizens only"
        ) % {"number": isolate(mask_identity(number)), "kind": names[kind], "service": name}
        lines = [_why(ctx, service, first)]
    else:
        lines = [for_citizens_line(ctx, service)]
    others = [f"«{local(s.name, ctx.locale)}»" for s in residents_services(ctx, applicant)]
    if others:
        lines.append(
            _(
                "Residents' services here include %(services)s: to choose one, you can press «%(other)s»."
            )
            % {"services": _(", ").join(others), "other": _("Choose another service")}
        )
    lines.append(
        _(
            "If the request is for a Saudi citizen, please type their national ID number (starts with 1)."
        )
    )
    return "\n".join(lines)
