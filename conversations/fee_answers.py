"""A question about a service's fee that no seed answers («كم رسوم الخروج والعودة»): said
honestly that the amount is not in the sources (no seed gives a fee but the iqama's late
fines), and where the question can go: to the directorate's officers, as an inquiry
request («أخرى»: seed 004, «تتيح الخدمة تقديم الاستفسارات»), its words kept as the
request's description; or, asked about the request being filled in, in its description.

Session 18's faults list: only «ليس لدي جواب عن هذا السؤال». Session 20's new-user probe:
the honest line was a dead end; mid-request it suggested writing a question about another
service into this request's description."""

from __future__ import annotations

from conversations import knowledge
from conversations.events import Option
from conversations.flow import Ctx
from conversations.flows.description_text import PENDING
from conversations.two_needs import names_an_object, says_a_wish
from domain.catalogue import local
from domain.normalize import fold_arabic

#: Where the last turn asked «رسوم أيّ خدمة؟»: that turn's event id.
WHICH_FEE = "fee_which_asked"
#: The most words a service's name given as that answer has («تجديد هوية مقيم»...).
_MAX_NAME_WORDS = 6
#: The inquiry service: a passports matter not listed, routed by the officer.
INQUIRY = "other"
#: The fee question asked at the first question, kept for the inquiry it may become.
ASKED = "fee_question"
#: How a service's button is named in the lists of services (flows.intake_service).
_SERVICE_OPTION = "s:"


def service_asked_about(ctx: Ctx, text: str) -> str | None:
    """The service a question of price, time or place (``text``) is about: the one it
    names; for a question of price, the one its words name besides the words of price,
    or the request being filled in when they name none, or name it among others («رسوم التجديد كم؟» in an iqama renewal); None when
    neither. Helper 22: «كم الرسوم؟» in an iqama renewal was answered about «خدمات
    التابعين» (its «رسوم» matched «رسوم المرافقين»), «رسوم التجديد كم؟» about the
    passport's renewal."""
    if not knowledge.asks_fee(text, loose=True):  # asked of a question already read as one
        return next((s.id for s in ctx.catalogue.match(text, limit=1)), None)
    rest = knowledge.without_fee_words(text)
    named = [s.id for s in ctx.catalogue.match(rest, limit=3)]
    current = ctx.state.answers.get("service")
    filling = isinstance(current, str) and any(s.id == current for s in ctx.catalogue.services)
    if filling and (not named or current in named):
        return str(current)
    if len(named) > 1 and not names_an_object(fold_arabic(rest).lower()):
        # «بكم التجديد»: what is done, not what to (no iqama, passport, visa...), which
        # several services share (helper 23: the passport's renewal was assumed)
        return None
    return named[0] if named else None


def ask_which_fee(ctx: Ctx) -> None:
    """Remember that this turn asked «رسوم أيّ خدمة؟», for :func:`fee_service_named` on
    the next turn (by the turn's event id: an answer two turns later is no answer to it)."""
    ctx.state.answers[WHICH_FEE] = ctx.origin.event_id


def fee_service_named(ctx: Ctx, text: str, *, placed: str | None = None) -> str | None:
    """The fee question ``text`` answers when the last turn asked «رسوم أيّ خدمة؟» and it
    names a service in a few words and wishes nothing («تجديد الاقامة»; not «ابي اجدد
    اقامتي», which asks to file it): ``text`` with the word of price, for the question's
    reading; None otherwise. Session 26's probe: the service's name alone started a
    request, and the fee question was left unanswered.

    ``placed``: where ``text`` names an option by its place («الاول», «رقم 2»), the id of
    the option it picks in the menu shown, "" when it picks none. A service's option is
    the one priced; any other is the menu's to take. Helper 235: «الاول» under the
    services offered priced the citizens' passport («أول جواز» is its synonym)."""
    asked = ctx.state.answers.pop(WHICH_FEE, None)
    if asked is None or not ctx.state.handled or ctx.state.handled[-1] != asked:
        return None
    if placed is not None:
        if not placed.startswith(_SERVICE_OPTION):
            return None
        text = local(ctx.catalogue.get(placed.removeprefix(_SERVICE_OPTION)).name, ctx.locale)
    if len(text.split()) > _MAX_NAME_WORDS or says_a_wish(text) or knowledge.asks_fee(text):
        return None
    if not ctx.catalogue.match(text, limit=1) and not names_an_object(fold_arabic(text).lower()):
        # «الاقامه» alone names what the fee is for, though no one service (helper 26)
        return None
    return f"{ctx.texts.gettext('How much are the fees of')} {text}"


def fee_unknown(ctx: Ctx, service_id: str) -> str:
    """That the amount of ``service_id``'s fees is not in the sources, and no more: said
    while the service is being chosen, where the question above the services is the way
    on."""
    name = local(ctx.catalogue.get(service_id).name, ctx.locale)
    return ctx.texts.gettext(
        "The amount of the fees for «%(service)s» is not in the sources I rely on, so I won't quote a figure that may be wrong."
    ) % {"service": name}


def fee_line(ctx: Ctx, service_id: str, *, mid_request: bool) -> str:
    """That the amount of ``service_id``'s fees is not in the sources, and what the
    person can do: ask the officers (:func:`inquiry_option`) or file the service below;
    ``mid_request``, write it in the description when it is about the request being
    filled in, else ask once this request is sent."""
    _ = ctx.texts.gettext
    name = local(ctx.catalogue.get(service_id).name, ctx.locale)
    current = ctx.state.answers.get("service")
    if mid_request and current == service_id:
        line = _(
            "The amount of the fees for «%(service)s» is not in the sources I rely on, so I won't quote a figure that may be wrong. You can write your question in your request's description, and the officer who handles it will answer."
        )
    elif mid_request:
        line = _(
            "The amount of the fees for «%(service)s» is not in the sources I rely on, so I won't quote a figure that may be wrong. Once this request is sent, you can ask the passports officers about it in a request of «%(inquiry)s»."
        )
    else:
        line = _(
            "The amount of the fees for «%(service)s» is not in the sources I rely on, so I won't quote a figure that may be wrong. You can ask the passports officers with «%(ask)s»: your question is sent as an inquiry request and answered; or file the request itself below."
        )
    inquiry = local(ctx.catalogue.get(INQUIRY).name, ctx.locale)
    return line % {"service": name, "inquiry": inquiry, "ask": _("Ask an officer")}


def inquiry_option(ctx: Ctx, file_prefix: str, text: str) -> Option:
    """The «سؤال موظف» button that files ``text`` (kept in the draft, :data:`ASKED`) as
    an inquiry request."""
    ctx.state.answers[ASKED] = text.strip()
    return Option(file_prefix + INQUIRY, ctx.texts.gettext("Ask an officer"))


def asked_question(ctx: Ctx) -> str:
    """The fee question kept by :func:`inquiry_option`, "" when none."""
    return str(ctx.state.answers.get(ASKED, ""))


def keep_as_description(ctx: Ctx, question: str) -> str | None:
    """Keeps ``question`` for the new inquiry's description step (offered there, as words
    told before a service are) and says so; None when there is none."""
    if not question:
        return None
    ctx.state.answers[PENDING] = question
    return ctx.texts.gettext(
        "I have kept your question: it will be offered as your request's description, and you can change it before the request is sent."
    )
