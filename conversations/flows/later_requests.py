"""The requests a first message named beside the one filed now («ابي اجدد اقامتي واقامة
زوجتي», «لي ولزوجتي وعيالي», «اقامتي وكمان تأشيرة خروج وعودة»): the person is told
each request is filed on its own, the first one now; once it is filed, its confirmation
names the next and offers it («الطلب التالي»), which starts that request with what the
words said of it (the service, and for whom).

Session 20's new-user probe: «بعد إرساله يمكنك تقديم طلب لكل فرد من أسرتك» was said, but
after the receipt only «طلب جديد» and «حالة طلبي» were offered; the wife was never
mentioned again.

The plan lives in the draft (``answers``), then, once filed, in the dialogue state
(``DialogueState.next_requests``), so any worker finds it."""

from __future__ import annotations

from collections.abc import Sequence

from conversations.events import Choice, Event, Option, Text
from conversations.flow import Ctx
from conversations.flows.early_phone import EARLY_PHONE
from conversations.flows.intake_draft import EARLY_ESTABLISHMENT, EARLY_IDENTITY
from conversations.keywords import is_acknowledgement
from conversations.understanding import understand_choice
from domain.catalogue import local

#: The draft's plan: [service id ("" for the service filed now), for whom ("" unsaid)],
#: the request filed now among them.
LATER = "later_requests"
#: The button under the confirmation that starts the next request.
NEXT = "next_request"
_FAMILY = "family"
_SELF = "self"
#: Another of the establishment's workers named («عمالي»): no «لمن» to answer for it.
WORKER = "worker"
#: The «لمن» answers a next request keeps from the first words.
FOR_WHOM_ANSWERS = frozenset({_FAMILY, _SELF})


def plan(
    ctx: Ctx,
    *,
    several: str | None,
    workers: bool = False,
    by_person: dict[str, str],
    needs: Sequence[str],
    whom_said: str = "",
) -> None:
    """Keeps in the draft the requests the first message named: ``several`` the first
    person's «لمن» when several people were named (the rest are family members, of the
    service to be chosen); ``by_person`` service id -> «لمن» when the words gave each its
    own; ``needs`` the services of two needs said apart, for ``whom_said`` (the «لمن» the
    words gave, "" unsaid); ``workers``: an establishment named several of its workers.
    Nothing kept when they name one request."""
    later: list[list[str]] = [[service, whom] for service, whom in by_person.items()]
    if not later and len(needs) >= 2:
        later = [[service, whom_said] for service in needs]
    if several is not None:
        # the others of several people are family members, of the service chosen
        later.append(["", _FAMILY])
    if workers:
        later.append(["", WORKER])
    if len(later) < 2 and several is None and not workers:
        ctx.state.answers.pop(LATER, None)
        return
    ctx.state.answers[LATER] = later


def after_filing(ctx: Ctx, service_id: str, applicant: str) -> list[list[str]]:
    """The requests still to file once ``service_id`` is filed by ``applicant``
    ("individual" or "establishment"): the draft's plan less the one filed (its service,
    for the «لمن» answered), each as [service id, for whom ("" unsaid), applicant, the
    establishment's number ("" for an individual), the mobile number, "1" when it was
    shared (verified) else "", and the writer's identity number and its kind when this
    request was their own ("" else)]; [] when no plan was kept."""
    later = [list(pair) for pair in ctx.state.answers.get(LATER, [])]
    whom = str(ctx.state.answers.get("eligibility", {}).get("for_whom", ""))
    filed = next((p for p in later if p[0] == service_id and p[1] in ("", whom)), None)
    if filed is None:
        filed = next((p for p in later if p[0] == service_id), None)
    if filed is not None:
        later.remove(filed)
    # an establishment's number goes with its next worker's request, and the mobile number
    # with any next one (used, and said so: helper 21 was asked the mobile again)
    answers = ctx.state.answers
    establishment = str(answers.get("establishment") or "")
    phone = str(answers.get("phone") or "")
    verified = "1" if answers.get("phone_verified", True) else ""
    own = applicant == "individual" and whom == _SELF and answers.get("identity")
    identity = (
        [str(answers["identity"]), str(answers.get("identity_kind", ""))] if own else ["", ""]
    )
    left = [
        [service or service_id, whom_ or "", applicant, establishment, phone, verified, *identity]
        for service, whom_ in later
    ]
    unique: list[list[str]] = []
    for pair in left:
        if pair not in unique:
            unique.append(pair)
    return unique


def next_line(ctx: Ctx, left: Sequence[Sequence[str]]) -> tuple[str, Option] | None:
    """The confirmation's line naming the next request, and its button; None when none
    is left. «your own request» only after a request for someone else."""
    if not left:
        return None
    _ = ctx.texts.gettext
    service_id, whom = left[0][:2]
    name = local(ctx.catalogue.get(service_id).name, ctx.locale)
    button = _("Next request")
    if whom == _FAMILY:
        line = _(
            "You can now file the request for «%(service)s» for the family member you mentioned, with «%(button)s»."
        )
    elif whom == WORKER:
        line = _(
            "You can now file the request for «%(service)s» for another of the workers you mentioned, with «%(button)s»."
        )
    elif whom == _SELF and ctx.state.answers.get("eligibility", {}).get("for_whom") != _SELF:
        line = _("You can now file your own request for «%(service)s», with «%(button)s».")
    else:
        line = _(
            "You can now file the other request you mentioned, «%(service)s», with «%(button)s»."
        )
    return line % {"service": name, "button": button}, Option(NEXT, button)


def take_next(ctx: Ctx, left: Sequence[Sequence[str]]) -> tuple[str, str, str] | None:
    """The next request's service id, «لمن» ("" unsaid) and applicant from ``left`` (as
    :func:`after_filing` gives it), the rest kept in the new draft's plan, the
    establishment's and the mobile number kept as ones sent early (conversations.flows.
    past_service, early_phone);
    None when nothing is left or the service is unknown."""
    if not left or len(left[0]) < 3:
        return None
    service_id, whom, applicant = left[0][:3]
    establishment, phone, verified, identity, kind = (*left[0][3:8], "", "", "", "", "")[:5]
    if not any(s.id == service_id for s in ctx.catalogue.services):
        return None
    if identity and kind and whom == _SELF:
        # the writer's own number again, for their own next request: used, and said so
        # (helper 233: «الطلب التالي» asked for the same iqama number again)
        ctx.state.answers[EARLY_IDENTITY] = {"value": identity, "kind": kind}
    if establishment:
        ctx.state.answers[EARLY_ESTABLISHMENT] = establishment
    if phone:
        ctx.state.answers[EARLY_PHONE] = {"phone": phone, "verified": bool(verified)}
    rest = [list(pair[:2]) for pair in left[1:]]
    if whom == WORKER:
        # «عمالي»: how many is not said, so another worker stays offered after each
        rest.append(["", WORKER])
    if rest:
        # the one started now first, as the plan of a draft holds it
        ctx.state.answers[LATER] = [[service_id, whom], *rest]
    return service_id, whom, applicant


#: The most words a message naming the next request's service has («ابي خروج وعودة»).
_NAMING_WORDS = 6


def typed_next(ctx: Ctx, event: Event) -> Choice | None:
    """Under a confirmation that offers «الطلب التالي», a typed message that takes it: a
    plain yes («ايه»), its words («الطلب الثاني», «التالي»: choices.json ``option_words``,
    before «الثاني» is read as the menu's second option), or the next request's service
    named in a few words («خروج وعودة»); None otherwise. Helper 235: «ايه» got «ليس لدي
    جواب», «ابي الطلب الثاني» started a new request, and the service named was offered
    as a new one, the plan lost."""
    state = ctx.state
    if not isinstance(event, Text) or not any(o[0] == NEXT for o in state.offered):
        return None
    waiting = state.next_requests or []
    if not waiting or is_acknowledgement(event.text):
        # «تمام», «شكرا» under a receipt acknowledge it (answered as thanks), not a yes
        return None
    # every button on screen («طلب جديد» too): its words are no «الطلب التالي»
    understood = understand_choice(event.text, [(o[0], o[1]) for o in state.offered])
    if understood is not None and understood.chosen == NEXT and not understood.by_negation:
        return Choice(event.origin, NEXT)
    service = waiting[0][0]
    if service and len(event.text.split()) <= _NAMING_WORDS:
        named = ctx.catalogue.match(event.text, limit=1)
        if named and named[0].id == service:
            return Choice(event.origin, NEXT)
    return None
