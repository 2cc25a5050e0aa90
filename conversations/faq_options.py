"""The buttons of the frequently asked questions: «أسئلة شائعة», a topic's, and the ways
out under a list of topics. Split from :mod:`conversations.questions`."""

from __future__ import annotations

from conversations import knowledge
from conversations.buttons import TOPIC_PREFIX
from conversations.events import Option
from conversations.flow import Ctx

FAQ = "faq"


def faq_option(ctx: Ctx) -> Option:
    """The «أسئلة شائعة» button."""
    _ = ctx.texts.gettext
    return Option(FAQ, _("Frequently asked questions"))


def topic_options(ctx: Ctx, topics: tuple[knowledge.Topic, ...]) -> tuple[Option, ...]:
    """A button for each of ``topics``, titled in the person's language."""
    return tuple(Option(TOPIC_PREFIX + t.id, knowledge.title_text(t, ctx.locale)) for t in topics)


def ways_out(ctx: Ctx) -> tuple[Option, ...]:
    """«رجوع» (to the question the person was on) and «إلغاء» under a list of topics
    (found by the tester: the list had no way out but choosing a topic)."""
    _ = ctx.texts.gettext
    return (Option("back", _("Back")), Option("cancel", _("Cancel")))


def over_topics(offered: list[list[str]]) -> bool:
    """Whether the last list shown was one of topics (the FAQ, «is it one of these?»):
    «رجوع» there goes back to the question under it, not a step further back."""
    return bool(offered) and offered[0][0].startswith(TOPIC_PREFIX)
