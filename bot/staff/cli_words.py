"""What ``tawasul staff`` says about an action's words before anything is done: too few
for the person to read, written in another script than the person's language, or missing
(split from :mod:`bot.staff.cli` when it passed 400 lines)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from bot.staff.cli_args import BadWords
    from bot.staff.views import StaffViews


#: The actions whose words the person reads: a question, a reason, a note with a decision.
_PERSON_READS: Final = frozenset({"ask", "reject", "reopen", "keep", "accept"})


def wordless(views: StaffViews, action: str, text: str) -> str | None:
    """Why ``text`` is not words enough for ``action``, or None: the rule of the staff
    group's prompts (:func:`officers.typed_words.worded`; two words and six letters for
    what the person reads, two letters for a block's reason, which only officers read).
    Found by the notes of session 11: «tawasul staff reject N لا» rejected a request and
    the person read «السبب: لا», though the group refused the same reply. No words at all
    is left to the desk («A question or a reason is required.»); a keep or accept without
    words is allowed (nothing to read)."""
    from officers.typed_words import worded

    _ = views.texts.gettext
    if not text.strip():
        return None
    if action == "block":
        return (
            None
            if worded(text, person_reads=False)
            else str(_("Please write the reason in words."))
        )
    if action not in _PERSON_READS or worded(text):
        return None
    if action == "ask":
        return str(_("Please write the question in a few words: the person will read it."))
    if action == "accept":
        return str(_("Please write the note in a few words: the person will read it."))
    return str(_("Please write the reason in a few words: the person will read it."))


def other_script(views: StaffViews, locale: str, *, question: str | None = None) -> str:
    """Why a rejection (or, with ``question``, a question, shown back first) was not
    sent: its words are not in the script of the language the person reads (``locale``),
    with the option that sends them as they are on a line of its own (pasted whole, no
    direction marks)."""
    _ = views.texts.gettext
    language = {"language": views.language(locale)}
    if question is None:
        said = (
            _(
                "Nothing was sent: the person reads %(language)s, and your reason is not in it. Write it in their language, or add this option to send it as it is:"
            )
            % language
        )
        return f"{said}\n--anyway"
    said = (
        _(
            "Nothing was sent: the person reads %(language)s, and your question is not in it. Write it in their language, or add this option to send it as it is:"
        )
        % language
    )
    from bot.staff.views import PLAIN  # as run_staff's: `tawasul --help` needs none of it

    shown = _("Your question:") + " " + PLAIN.user(question)
    return f"{shown}\n{said}\n--anyway"


def bad_words(views: StaffViews, exc: BadWords, action: str) -> str:
    """What is missing or wrong in an action's words, in the officer's language."""
    _ = views.texts.gettext
    if exc.problem == "no_number":
        return str(_("Please give the request number."))
    if exc.problem == "bad_number":
        return str(_("That is not a request number: please check it."))
    if exc.problem == "several_numbers":
        return str(
            _("Several request numbers were given (%(numbers)s): please give only one.")
        ).replace(
            "%(numbers)s",
            views.texts.gettext(", ").join(exc.numbers),  # the language's list comma
        )
    if action == "ask":
        return str(_("Please write the question for the person."))
    if action == "note":
        return str(_("Please write the note."))
    return str(_("Please write the reason."))
