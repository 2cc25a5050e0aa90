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

    def _follow_writing(self, state: DialogueState, event: Event) -> str | None:
        """The language a person writes in, read from their words; the line to put above
        the turn's replies, None for none. Before anything is answered the first words
        choose as soon as the language is clear (found by the tester: «hello» was answered
        in Arabic), and the line is the way back to the other language. Later, a language
        does not flip on one message (found by the fresh-clone tester: one English sentence
        in an Arabic chat switched the whole chat to English, and a long Arabic text an
        English Telegram user to Arabic): a message wholly in the other language (four
        words or more, one script, English words that are English; a mixed or short one
        keeps the language silently) is answered in the person's language with a line, in
        the language they wrote in, saying how to switch (languages.kept_hint); only
        languages.SUSTAINED such messages in a row switch a language read from words or
        the app or left at the default. A language chosen in so many words is never
        switched by words, only offered. Never the person's own words at a step that takes
        them (a description, an answer to an officer, a note): an English error message
        pasted there is content, not a choice."""
        if not isinstance(event, Text) or languages.language_asked(event.text) is not None:
            # «English», «عربي»: the switch itself answers, in the language asked for
            return None
        first = (
            not state.locale_set
            and state.flow == self.flow.name
            and state.step in (*START_STEPS, self.flow.first)
        )
        if first:
            written = languages.written_in(event.text)
        else:
            step = self._flow(state).steps.get(state.step)
            if step is not None and (step.free_text or step.takes_files):
                return None
            written = languages.wholly_in(event.text)
        if written is None:
            return None
        if written == state.locale:
            state.locale_set = True
            state.other_language_run = 0
            return None
        if state.locale_chosen:
            # their choice stands; the way to the language they wrote in is offered
            return languages.kept_hint(written, state.locale)
        if not first:
            state.other_language_run += 1
            if state.other_language_run < languages.SUSTAINED:
                return languages.kept_hint(written, state.locale)
        state.locale_set, state.locale, state.other_language_run = True, written, 0
        return languages.OTHER_LANGUAGE_HINT[written]

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

    def _switch_language(self, ctx: Ctx, wish: str, *, typed: bool = False) -> list[Reply]:
        """Changes the language without losing the place: the current question is
        asked again in the new language; ``wish`` "" offers both languages. A wish
        ``typed`` in words for the language already in use (a remark such as «ما اعرف
        انجليزي» in an Arabic chat) changes nothing but marks it chosen, and says we carry
        on in it; the button and /lang confirm the choice as for a change."""
        state = ctx.state
        if not wish:
            options = tuple(Option(f"lang:{code}", name) for code, name in languages.NAMES.items())
            state.offered = [[o.id, o.label] for o in options]
            return [Reply(languages.QUESTION, choices=options)]
        already = typed and wish == state.locale
        state.locale, state.locale_set, state.locale_chosen = wish, True, True
        state.other_language_run = 0
        _ = ctx.texts.gettext
        if already:
            # found by the fresh-clone tester: «ما اعرف انجليزي» in an Arabic chat was
            # answered «سأكمل معك باللغة العربية», as if the language had changed
            said = Reply(_("No problem, we'll carry on in English."))
        else:
            said = Reply(_("I'll continue in English."))
        if state.step in START_STEPS:
            return [said, *self._restart(ctx)]
        return [said, self._ask(ctx)]

    def _present(self, reply: Reply, locale: str) -> Reply:
        """The reply as the person's language writes numbers (see formatting.present),
        stamped with that language for the words a channel adds itself."""
        digits = self.arabic_digits
        labels = tuple(_labelled(o, present(o.label, locale, digits)) for o in reply.choices)
        text = present(reply.text, locale, digits)
        if text == reply.text and labels == reply.choices and locale == reply.locale:
            # nothing to write differently (an English reply, a reply already presented):
            # the reply itself, not a copy made field by field
            return reply
        return dataclasses.replace(reply, text=text, choices=labels, locale=locale)


def _labelled(option: Option, label: str) -> Option:
    """``option`` with ``label``: itself when the label is the same."""
    return option if label == option.label else dataclasses.replace(option, label=label)
