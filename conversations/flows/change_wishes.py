"""A wish to change an answer already given, typed before the summary: at the documents
step («ابي اغير الوصف», «غلطت في رقم الاقامه», «ابي اعدل رقم جوالي») or at the description
step («غلطت في رقم الاقامه ابي اعدله»). At the documents step the description step comes
again, with what was written and the way to replace it; the numbers are changed at the
summary, after the documents, and the person is told so. Nothing of it is added to, or
taken as, the description. Found by helper 23's fresh-clone probe: each was added
(«أُضيف إلى وصفك») at the documents step, and taken as the description at its step.

The labels are the summary's own options (:func:`change_options`), so the line names the
button the person will see."""

from __future__ import annotations

from conversations.events import Option
from conversations.flow import Ctx, Next, Outcome, Retry
from conversations.flows.summary_words import asks_a_change
from conversations.understanding import understand_choice, words

#: The most words of such a wish; a longer message tells more of the case.
_MOST_WORDS = 8


def change_options(ctx: Ctx) -> tuple[Option, ...]:
    """The summary's options that change the identity number, the mobile number and the
    description, in the summary's order."""
    _ = ctx.texts.gettext
    return (
        Option("e:id", _("Change the identity number")),
        Option("e:phone", _("Change the mobile number")),
        Option("e:desc", _("Change the description")),
    )


def change_at_documents(ctx: Ctx, text: str) -> Outcome | None:
    """The step a change wish in ``text`` leads to, or the line saying where to make it;
    None when ``text`` is no such wish (too long, no word of changing, or it names none
    of the description, the identity number, the mobile number alone)."""
    option = _named(ctx, text)
    if option is None:
        return None
    if option.id == "e:desc":
        return Next("description")
    _ = ctx.texts.gettext
    return Retry(
        _(
            "Nothing was added to your description. You can use «%(option)s» at the summary, which comes after the documents: please send them, then press «Done»."
        )
        % {"option": option.label}
    )


def change_at_description(ctx: Ctx, text: str) -> Outcome | None:
    """At the description step, a short wish to change the identity or mobile number
    («غلطت في رقم الاقامه ابي اعدله»): not the description; the line names the summary's
    option and asks for the description again, in case the number's problem is the
    request itself. Come from the summary (changing the description), the summary comes
    back with the description as it was. None for any other text (a wish to change the
    description is this step's own business)."""
    option = _named(ctx, text)
    if option is None or option.id == "e:desc":
        return None
    _ = ctx.texts.gettext
    if ctx.state.editing:
        line = _("Your description was not changed. You can use «%(option)s» below.")
        return Next("summary", say=(line % {"option": option.label},))
    return Retry(
        "\n".join(
            [
                _(
                    "This was not taken as your description. To correct the number, you can use «%(option)s» at the summary, which comes after the description and the documents."
                )
                % {"option": option.label},
                _(
                    "Now please describe your request in your own words. If the number's problem is what your request is about, please describe it in more detail."
                ),
            ]
        )
    )


def _named(ctx: Ctx, text: str) -> Option | None:
    if len(words(text)) > _MOST_WORDS or not asks_a_change(text):
        return None
    options = change_options(ctx)
    understood = understand_choice(text, [(o.id, o.label) for o in options])
    if understood is None or understood.chosen is None:
        return None
    return next(o for o in options if o.id == understood.chosen)
