"""A yes with a word or two more, under the one service offered («هل هذه هي الخدمة
المطلوبة؟»): that service, unless the words name another whole. Helper 26: «ايه غيرها»
(«yes, change it») under «تأشيرة خروج نهائي», after a change asked for at the summary, was
read as a new need and offered «أخرى» («غير»: «غير ذلك»). A plain yes is the routing's
(conversations.routing_choices); this is the step's reading of the rest."""

from __future__ import annotations

from conversations.choice_words import choice_words
from conversations.flow import Ctx
from conversations.word_keys import words

#: The most words such a yes has («ايوه هذي هي المطلوبة»); a longer message is read anew.
_MOST_WORDS = 4


def yes_to_offered(ctx: Ctx, text: str) -> str | None:
    """The id of the one service offered when ``text`` opens with a yes word and is short,
    naming no other service whole; None otherwise (several offered, no yes first, longer,
    or another service named)."""
    offered: list[str] = list(ctx.state.answers.get("suggestions", []))
    if len(offered) != 1:
        return None
    tokens = words(text)
    if not 0 < len(tokens) <= _MOST_WORDS or tokens[0] not in choice_words().yes:
        return None
    named = ctx.catalogue.named_in_full(text)
    if named and named[0].id not in offered:
        return None
    return offered[0]
