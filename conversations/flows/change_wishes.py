"""A wish to change an answer already given, typed before the summary. Nothing of it is
added to, or taken as, the description:
- at the phone step, «ابي اغير رقم الهوية» asks the identity number again (the step just
  before), «ابي اغير رقم الجوال» the mobile to use; «غلطت» alone names «رجوع»;
- at the description step, «غلطت في رقم الاقامه ابي اعدله» / «ابي اغير رقم الجوال» go back to
  that number's step, the steps after it following; «غلطت في الرقم», naming neither, names
  «رجوع»;
- at the documents step, «ابي اغير الوصف» brings the description step again, and a number
  is changed at the summary, which comes next: the line names its option.
Found by helpers 23 and 24's fresh-clone probes: each was added to, or taken as, the
description.

The labels are the summary's own options (:func:`change_options`), so a line names the
button the person will see."""

from __future__ import annotations

from conversations.events import Option
from conversations.flow import Ctx, Next, Outcome, Retry
from conversations.flows.summary_words import asks_a_change
from conversations.understanding import understand_choice, words

#: The most words of such a wish; a longer message tells more of the case.
_MOST_WORDS = 8
#: The most words of a mistake said with nothing named («غلطت», «لا غلط»).
_BARE_SLIP_WORDS = 3


def change_options(ctx: Ctx) -> tuple[Option, ...]:
    """The summary's options that change the identity number, the mobile number and the
    description, in the summary's order."""
    _ = ctx.texts.gettext
    return (
        Option("e:id", identity_change_label(ctx)),
        Option("e:phone", _("Change the mobile number")),
        Option("e:desc", _("Change the description")),
    )


def identity_change_label(ctx: Ctx) -> str:
    """The summary's choice that changes the number typed at the identity step, named
    after its kind: «تعديل رقم الحدود» for a border number (helper 25: a visit visa's
    summary offered «تعديل رقم الهوية» beside «رقم الحدود»), «تعديل رقم الهوية» else."""
    _ = ctx.texts.gettext
    if ctx.state.answers.get("identity_kind") == "border":
        return _("Change the border number")
    return _("Change the identity number")


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
    («غلطت في رقم الاقامه ابي اعدله», «ابي اغير رقم الجوال»): not the description; that
    step comes again now, then the steps after it (helper 24: pointing to the summary, two
    steps on, was far). «غلطت في الرقم», naming neither, is told «رجوع» leads to both.
    Come from the summary (changing the description), the summary comes back with the
    description as it was. None for any other text (a wish to change the description is
    this step's own business)."""
    option = _named(ctx, text)
    _ = ctx.texts.gettext
    if option is None and _a_number_slip(text):
        return Retry(
            "\n".join(
                [
                    _("Nothing was added to your description."),
                    _(
                        "If the identity number or the mobile number was wrong, you can choose «Back» to correct it. Otherwise, please describe your request in your own words."
                    ),
                ]
            )
        )
    if option is None or option.id == "e:desc":
        return None
    if ctx.state.editing:
        line = _("Your description was not changed. You can use «%(option)s» below.")
        return Next("summary", say=(line % {"option": option.label},))
    if option.id == "e:id":
        return Next(
            "identity",
            (
                _(
                    "Nothing was added to your description. The identity number can be corrected now; the mobile number and the description come after it."
                ),
            ),
        )
    return Next(
        "phone",
        (
            _(
                "Nothing was added to your description. The mobile number can be corrected now; the description comes after it."
            ),
        ),
    )


def _a_number_slip(text: str) -> bool:
    """«غلطت في الرقم», «الرقم غلط»: a short word of a mistake about «الرقم», naming none."""
    tokens = words(text)
    return len(tokens) <= _BARE_SLIP_WORDS + 2 and asks_a_change(text) and "رقم" in tokens


def change_at_phone(ctx: Ctx, text: str) -> Outcome | None:
    """At the phone step, the step just before: a wish to change the identity number
    («ابي اغير رقم الهوية») asks it again now, the mobile after it; a bare word of a
    mistake («غلطت») says «رجوع» goes back to it. None for any other text. Helper 24's
    probe: «ابي اغير رقم الهوية» was kept as words for the description and the number
    stayed."""
    if ctx.state.editing:
        return None
    option = _named(ctx, text)
    _ = ctx.texts.gettext
    if option is not None and option.id == "e:id":
        return Next("identity", (_("Alright, the identity number can be corrected now."),))
    if option is not None and option.id == "e:phone":
        # this step's own number: the one to use is asked for, nothing kept as words
        # (helper 25: «ابي اغير رقم الجوال» here became the whole description)
        return Retry(_("Alright: please send the mobile number to use for this request."))
    if option is None and asks_a_change(text) and len(words(text)) <= _BARE_SLIP_WORDS:
        return Retry(
            _(
                "If the identity number you typed was wrong, choose «Back» to type it again. Otherwise, please send your mobile number."
            )
        )
    return None


def _named(ctx: Ctx, text: str) -> Option | None:
    if len(words(text)) > _MOST_WORDS or not asks_a_change(text):
        return None
    options = change_options(ctx)
    understood = understand_choice(text, [(o.id, o.label) for o in options])
    if understood is None or understood.chosen is None:
        return None
    return next(o for o in options if o.id == understood.chosen)
