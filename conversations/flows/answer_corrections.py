"""A slip that corrects an earlier answer to the service's questions, typed at a later
step («لا لحظه غلطت الطلب مو لي لبنتي» at the description): the answer is changed and
said so, the step asked again, and nothing typed is taken for that step's answer.

Found by helper 22 (§4): at the description step of a passport renewal marked «لي أنا»,
that correction became the description and the request went on as the mother's; putting
it right took five «رجوع». The identity number already typed may be the other person's,
so the person is told where to change it, at the summary (nothing typed is dropped)."""

from __future__ import annotations

from pathlib import Path

from conversations.events import Event, Text
from conversations.flow import Ctx, Next
from conversations.flows.change_wishes import identity_change_label
from conversations.flows.early_phone import EARLY_PHONE
from conversations.flows.intake_draft import WRITER_IDENTITY, question_text, questions_of
from conversations.flows.slips import is_slip
from conversations.formatting import isolate
from conversations.keywords_early import early_answers
from conversations.wishes import wish
from domain.catalogue import local
from domain.identity import mask_identity

_FOR_WHOM = "for_whom"
_KEYWORDS = Path(__file__).resolve().parent.parent / "data" / "keywords.json"
#: The most words a «not mine» message has; a longer one tells more, read as ever.
_NOT_MINE_WORDS = 6


def corrected_answer(ctx: Ctx, event: Event) -> Next | None:
    """The step asked again after an earlier answer changed by a slip in ``event``
    (:func:`conversations.flows.service_change.is_slip` whose words give another allowed
    answer to one of the service's questions, keywords.json ``early_answers``); None for
    any other message, a refused answer (the question's «رجوع» leads there), or before a
    service is chosen."""
    if not isinstance(event, Text) or "service" not in ctx.state.answers:
        return None
    if _not_for_self(ctx, event.text):
        return _ask_for_whom_again(ctx)
    if not is_slip(event.text):
        return None
    said = early_answers(event.text)
    given = ctx.state.answers.setdefault("eligibility", {})
    for question in questions_of(ctx):
        option = next((o for o in question.options if o.id == said.get(question.id)), None)
        if option is None or option.id == given.get(question.id) or not option.allowed:
            continue
        before = given.get(question.id)
        given[question.id] = option.id
        _ = ctx.texts.gettext
        lines = [
            _("As you said, I have changed the answer to «%(question)s» to «%(answer)s».")
            % {"question": question_text(ctx, question), "answer": local(option.label, ctx.locale)}
        ]
        if question.id == _FOR_WHOM and before == "self":
            again = _place_again(ctx, lines)
            if again is not None:
                return again
        if question.id == _FOR_WHOM:
            lines.extend(_identity_line(ctx))
        return Next(ctx.state.step, tuple(lines))
    return None


def _place_again(ctx: Ctx, lines: list[str]) -> Next | None:
    """After «لمن» changed from the writer to someone else: the question that was put to
    the writer («أين أنت الآن؟») asked again of the holder, then the holder's number, the
    writer's mobile kept. Helper 23: «الطلب مو لي، لزوجتي…» kept «داخل المملكة», said of
    the writer, as the wife's place. None when no such question was answered."""
    given = ctx.state.answers.get("eligibility", {})
    questions = questions_of(ctx)
    index = next(
        (i for i, q in enumerate(questions) if q.for_self is not None and q.id in given), None
    )
    if index is None:
        return None
    given.pop(questions[index].id)
    _re_ask(ctx, index)
    return Next("question", tuple(lines))


def _re_ask(ctx: Ctx, index: int) -> None:
    """The service's question ``index`` made the step again, «رجوع» from it going where
    it went before; the writer's mobile kept for after the holder's number (early_phone.
    past_phone)."""
    state = ctx.state
    identity = state.answers.get("identity")
    if isinstance(identity, str) and identity:
        state.answers[WRITER_IDENTITY] = identity
    phone = state.answers.pop("phone", None)
    if phone:
        verified = bool(state.answers.pop("phone_verified", False))
        state.answers[EARLY_PHONE] = {"phone": phone, "verified": verified}
    state.answers["question"] = index
    if "question" in state.history:
        state.history = state.history[: state.history.index("question")]
    state.step = "question"
    state.editing = False


def _identity_line(ctx: Ctx) -> tuple[str, ...]:
    """Where to change the identity number typed before «لمن» changed; nothing when none
    was typed."""
    identity = ctx.state.answers.get("identity")
    if not isinstance(identity, str) or not identity:
        return ()
    line = ctx.texts.gettext(
        "The identity number typed earlier, %(number)s, was for the request as it was; if the request is now for someone else, please change it at the summary, before the request is sent, with «%(option)s»."
    )
    option = identity_change_label(ctx)
    return (line % {"number": isolate(mask_identity(identity)), "option": option},)


def _not_for_self(ctx: Ctx, text: str) -> bool:
    """Whether ``text`` only says that a request marked «لي أنا» is not the writer's
    (keywords.json ``not_for_self``: «الطلب مو لي»), naming no one else."""
    given = ctx.state.answers.get("eligibility", {})
    if given.get(_FOR_WHOM) != "self" or early_answers(text).get(_FOR_WHOM):
        return False
    if ctx.state.step == "question":
        return False  # the question on screen reads its own answers
    return bool(wish(text, _KEYWORDS, (("not_for_self", True),), max_words=_NOT_MINE_WORDS))


def _ask_for_whom_again(ctx: Ctx) -> Next:
    """«لمن هذا الطلب؟» asked again, its answer «لي أنا» dropped; «رجوع» from it goes where
    it went before (the service), the later steps come again after it."""
    state = ctx.state
    index, question = next((i, q) for i, q in enumerate(questions_of(ctx)) if q.id == _FOR_WHOM)
    state.answers.setdefault("eligibility", {}).pop(_FOR_WHOM, None)
    # the writer's mobile stays theirs: used again after the holder's number
    _re_ask(ctx, index)
    line = ctx.texts.gettext(
        "Understood: the request is not yours, so I have removed the answer «%(answer)s»."
    ) % {"answer": local(question.option("self").label, ctx.locale)}
    return Next("question", (line,))
