"""What iqama renewal's «أين صاحب الإقامة الآن؟» reads in words beyond its buttons' and
the other questions' readings: a place alone («في مصر», «هو في الهند») and «I don't know»
(«ماادري»). Found by session 20's new-user probe: both got «لم أفهم إجابتك»."""

from __future__ import annotations

from conversations import knowledge
from conversations.flow import Ctx
from conversations.flows.intake_draft import for_self
from conversations.keywords_early import early_answers

LOCATION = "location"
#: The holder named before the place («هو في الهند»): the place phrases are read after it.
_HOLDER_WORDS = frozenset({"هو", "هي", "هم", "انه", "انها", "he", "she", "he's", "she's"})


def place_alone(text: str, question_id: str) -> str | None:
    """At the location question (``question_id`` "location"), the option id ("inside",
    "outside") a place alone names («في مصر», «بالهند», «هو في الهند»): where the holder
    is, read as the first words' place phrases read «انا في مصر» (keywords.json
    ``early_answers``; «in Egypt» as «I'm in Egypt»); None elsewhere, or when no place is
    named."""
    if question_id != LOCATION:
        return None
    tokens = text.split()
    while tokens and tokens[0] in _HOLDER_WORDS:
        tokens = tokens[1:]
    if not tokens:
        return None
    for writer in ("انا", "i'm"):
        found = early_answers(" ".join([writer, *tokens])).get(LOCATION)
        if found is not None:
            return found
    return None


def not_knowing_line(ctx: Ctx, text: str, question_id: str) -> str | None:
    """At the location question, what «ماادري», «ما اعرف», «I don't know» get: to choose
    the likelier answer and say so in the description, where the officer reads it (no
    seed says what a request whose holder's place is unknown needs, so no rule is
    invented); None for other words or questions."""
    if question_id != LOCATION or not knowledge.says_not_knowing(text):
        return None
    if for_self(ctx):
        # «ماادري» of one's own whereabouts is doubt about which answer fits (in transit,
        # at a border crossing), not a place unknown (helper 21, §8)
        return ctx.texts.gettext(
            "If you are not sure which answer fits you, please choose the more likely one; you can explain in the request's description, where the officer will read it."
        )
    return ctx.texts.gettext(
        "If you don't know where the iqama holder is now, please choose the more likely answer; you can say you are not sure in the request's description, where the officer will read it."
    )
