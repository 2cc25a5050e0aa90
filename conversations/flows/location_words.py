"""What iqama renewal's «أين صاحب الإقامة الآن؟» reads in words beyond its buttons' and
the other questions' readings: a place alone («في مصر», «هو في الهند») and «I don't know»
(«ماادري»). Found by session 20's new-user probe: both got «لم أفهم إجابتك»."""

from __future__ import annotations

from conversations import knowledge
from conversations.flow import Ctx
from conversations.flows.intake_draft import for_self
from conversations.formatting import isolate
from conversations.keywords_early import early_answers
from conversations.understanding import answer_words

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


#: The words a typed answer to a service's question was read from, when the engine read
#: them as a button (conversations.routing_choices), for the step to see; one turn only.
TYPED_ANSWER = "typed_answer"
#: The words typed at the location question, when they say more than where («برا بس
#: راجع بكرة», «في مصر»), kept for the summary and the officer.
PLACE_WORDS = "place_words"
#: Words that only say inside or outside: a message of these alone says nothing more.
_WHERE_ONLY = frozenset(
    key
    for w in ("داخل", "خارج", "برا", "بره", "جوا", "جوه", "المملكة", "السعودية", "الحين",
              "inside", "outside", "kingdom", "saudi", "now")
    for key in answer_words(w)
)  # fmt: skip


def keep_place_words(ctx: Ctx, text: str | None) -> None:
    """Keeps ``text``, the answer typed at the location question, when it says more than
    inside or outside (helper 21, §9: «في مصر» and «برا بس راجع بكرة» were recorded
    «خارج المملكة» and the rest was lost to the officer); a button, or a bare answer,
    drops what an earlier one kept."""
    answers = ctx.state.answers
    more = [w for w in answer_words(text or "") if w not in _WHERE_ONLY]
    if text and more:
        answers[PLACE_WORDS] = text.strip()
    else:
        answers.pop(PLACE_WORDS, None)


def place_words_line(ctx: Ctx) -> str | None:
    """The line naming the words kept by :func:`keep_place_words`, for the summary and
    the request's description; None when none were kept."""
    said = ctx.state.answers.get(PLACE_WORDS)
    if not said:
        return None
    return ctx.texts.gettext("Written about where: «%(words)s»") % {"words": isolate(str(said))}
