"""«إعادة إرسال المستندات» at the summary: the files sent are set aside, not dropped, until
new ones come. Helper 233: the button emptied the draft's files without a word, and
«رجوع» from the documents step came back to «المرفقات: لا يوجد».

The files set aside live in the dialogue state (Redis), so any worker restores them:
on «رجوع» before a new file is sent, or on «تم» with none sent. The first new file makes
the replacement final.
"""

from __future__ import annotations

from typing import Any

from conversations.flow import Ctx, Next, Outcome

#: The draft's files while the person sends the documents again.
SET_ASIDE = "files_set_aside"


def send_again(ctx: Ctx) -> Outcome:
    """The documents step, with the files sent so far set aside and said to be: «رجوع»
    keeps them (a draft with none goes there without a word about them)."""
    answers = ctx.state.answers
    sent: list[dict[str, Any]] = answers.get("attachments") or []
    answers["attachments"] = []
    if not sent:
        return Next("attachments")
    answers[SET_ASIDE] = sent
    line = ctx.texts.ngettext(
        "The %(count)d file you sent before is set aside: send the documents again. To keep it as it was, press «Back».",
        "The %(count)d files you sent before are set aside: send the documents again. To keep them as they were, press «Back».",
        len(sent),
    ) % {"count": len(sent)}
    return Next("attachments", (line,))


def restore(ctx: Ctx) -> str | None:
    """Puts the files set aside back when no new one was sent, and says so; when new files
    came, says they replace the old (dropped then); None when nothing was set aside."""
    answers = ctx.state.answers
    if answers.get(SET_ASIDE) and answers.get("attachments"):
        # new files came: they replace the old, and that is said (helper 235: «رجوع»
        # after a new photo dropped the old ones without a word)
        answers.pop(SET_ASIDE)
        count = len(answers["attachments"])
        return ctx.texts.ngettext(
            "The %(count)d file you sent now replaces those sent before.",
            "The %(count)d files you sent now replace those sent before.",
            count,
        ) % {"count": count}
    sent: list[dict[str, Any]] | None = answers.pop(SET_ASIDE, None)
    if not sent:
        return None
    answers["attachments"] = sent
    return ctx.texts.ngettext(
        "The %(count)d file you sent before is kept as it was.",
        "The %(count)d files you sent before are kept as they were.",
        len(sent),
    ) % {"count": len(sent)}
