"""The engine's part that speaks the person's language: their first words choose it,
«English» / «عربي» / ``/lang`` switch it at any step without losing the place, and every
reply is presented as that language writes numbers.

Mixed into :class:`conversations.engine.Engine`; split from it to keep one idea a file.
"""

from __future__ import annotations

import dataclasses

from conversations import languages
from conversations.engine_parts import EngineParts
from conversations.events import Event, Option, Reply, Text
from conversations.flow import Ctx
from conversations.formatting import present
from conversations.reading import START_STEPS
from conversations.state import DialogueState


class LanguageParts(EngineParts):
    """Mixed into :class:`conversations.engine.Engine`."""

    def _follow_writing(self, state: DialogueState, event: Event) -> bool:
        """The first words a person types choose the language they are answered in
        (found by the tester: «hello» was answered in Arabic); True when that changed it.
        Only before anything is answered, and only once the language is clear."""
        if state.locale_set or not isinstance(event, Text) or state.flow != self.flow.name:
            return False
        if state.step not in (*START_STEPS, self.flow.first):
            return False
        if languages.language_asked(event.text) is not None:
            # «English», «عربي»: the switch itself answers, in the language asked for
            return False
        written = languages.written_in(event.text)
        if written is None:
            return False
        state.locale_set = True
        changed, state.locale = state.locale != written, written
        return changed

    def _follow_platform(self, state: DialogueState, event: Event) -> bool:
        """A person whose app is set to English (Telegram's language_code "en…") is
        greeted in English, with the way to Arabic; True when that changed the language.
        A hint only: never over a language the account has (chosen, read from words or
        set by an earlier hint) nor after the first question, and the person's first words
        still choose (:meth:`_follow_writing` runs first and on later turns)."""
        hinted = languages.from_platform(event.origin.language)
        if hinted is None or state.locale_set or state.locale_remembered:
            return False
        if state.flow != self.flow.name or state.step not in (*START_STEPS, self.flow.first):
            return False
        if isinstance(event, Text) and languages.language_asked(event.text) is not None:
            # «English», «عربي»: the switch itself answers, in the language asked for
            return False
        changed, state.locale = state.locale != hinted, hinted
        return changed

    def _switch_language(self, ctx: Ctx, wish: str) -> list[Reply]:
        """Changes the language without losing the place: the current question is
        asked again in the new language; ``wish`` "" offers both languages."""
        state = ctx.state
        if not wish:
            options = tuple(Option(f"lang:{code}", name) for code, name in languages.NAMES.items())
            state.offered = [[o.id, o.label] for o in options]
            return [Reply(languages.QUESTION, choices=options)]
        state.locale, state.locale_set = wish, True
        _ = ctx.texts.gettext
        said = Reply(_("I'll continue in English."))
        if state.step in START_STEPS:
            return [said, *self._restart(ctx)]
        return [said, self._ask(ctx)]

    def _present(self, reply: Reply, locale: str) -> Reply:
        """The reply as the person's language writes numbers (see formatting.present),
        stamped with that language for the words a channel adds itself."""
        labels = tuple(
            dataclasses.replace(o, label=present(o.label, locale, self.arabic_digits))
            for o in reply.choices
        )
        text = present(reply.text, locale, self.arabic_digits)
        return dataclasses.replace(reply, text=text, choices=labels, locale=locale)
