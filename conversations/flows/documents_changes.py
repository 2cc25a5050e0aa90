"""A wish to change an answer already given, typed at the documents step («ابي اغير
الوصف», «غلطت في رقم الاقامه», «ابي اعدل رقم جوالي»): the description step comes again,
with what was written and the way to replace it; the numbers are changed at the summary,
after the documents, and the person is told so. Nothing of it is added to the description.
Found by helper 23's fresh-clone probe: each was added («أُضيف إلى وصفك»)."""

from __future__ import annotations

from conversations.flow import Ctx, Next, Outcome, Retry
from conversations.flows.summary_words import asks_a_change
from conversations.understanding import understand_choice, words

#: The most words of such a wish; a longer message tells more of the case.
_MOST_WORDS = 8


def change_at_documents(ctx: Ctx, text: str) -> Outcome | None:
    """The step a change wish in ``text`` leads to, or the line saying where to make it;
    None when ``text`` is no such wish (too long, no word of changing, or it names none
    of the description, the identity number, the mobile number alone)."""
    if len(words(text)) > _MOST_WORDS or not asks_a_change(text):
        return None
    _ = ctx.texts.gettext
    changes = {
        "e:id": _("Change the identity number"),
        "e:phone": _("Change the mobile number"),
        "e:desc": _("Change the description"),
    }
    understood = understand_choice(text, list(changes.items()))
    if understood is None or understood.chosen is None:
        return None
    if understood.chosen == "e:desc":
        return Next("description")
    return Retry(
        _(
            "Nothing was added to your description. You can use «%(option)s» at the summary, which comes after the documents: please send them, then press «Done»."
        )
        % {"option": changes[understood.chosen]}
    )
