"""What a person is told who says they do not know an identity number («ما اعرف رقم
الحدود حقه وين الاقيه؟», «ما اعرف رقم اقامة ابوي»; the words: description_words.json
``unknown_number``): the number their request has, if any (masked), and where that kind of
number is written. Said at the description step (conversations.flows.describe) and at any
other step (conversations.questions), where it was taken for a question about checking an
iqama's validity in Absher."""

from __future__ import annotations

from conversations.flow import Ctx
from conversations.flows.change_wishes import identity_change_label
from conversations.flows.intake_draft import identity_kinds
from conversations.formatting import isolate
from domain.identity import mask_identity

#: The kinds of number in the order their lines are given when the kind is not known.
_KINDS = ("border", "resident", "citizen")


def number_unknown_lines(ctx: Ctx, kind: str) -> list[str]:
    """The lines for a person who does not know an identity number: the number typed at
    the number step (masked) and that it can be changed at the summary, when one was
    typed; where ``kind`` of number is written (description_words.KINDS; "identity" is
    the kind typed, and every kind's line when none was typed yet). Where a number is
    written is what the documents show, not a seed's rule (tester 13, §12)."""
    _ = ctx.texts.gettext
    answers = ctx.state.answers
    typed = answers.get("identity")
    lines = []
    if typed:
        lines.append(
            _(
                "Your request has the number typed at the number step, %(number)s. If you are not sure of it, you can change it at the summary, before the request is sent, with «%(option)s»."
            )
            % {"number": isolate(mask_identity(str(typed))), "option": identity_change_label(ctx)}
        )
    where = {
        "border": _("A border number is printed on the entry stamp in the passport."),
        "resident": _("An iqama number is written on the resident identity card (iqama)."),
        "citizen": _("A national ID number is written on the national identity card."),
    }
    if kind == "identity":
        kind = str(answers.get("identity_kind") or "")
    if kind in where:
        lines.append(where[kind])
    else:
        lines.extend(where[k] for k in _step_kinds(ctx))
    return lines


def _step_kinds(ctx: Ctx) -> tuple[str, ...]:
    """The kinds of number to say where they are written when the person named none: at
    the identity step, those it takes (sessions 14-15: an iqama-only step was told of
    national IDs and border numbers too); else all three."""
    if ctx.state.step != "identity" or not ctx.state.answers.get("service"):
        return _KINDS
    taken = set(identity_kinds(ctx))
    return tuple(k for k in _KINDS if k in taken) or _KINDS
