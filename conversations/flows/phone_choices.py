"""Several mobile numbers in one message at the phone step («جوالي ٠٥٠١٢٣٤٥٦٧ وجوال زوجتي
٠٥٥١٢٣٤٥٦٧»): which one the request is to be contacted on is asked, the numbers offered as
choices, rather than «type just one» and both lost (helper 23's probe). A choice, or one
number typed alone, answers; the numbers offered live in the dialogue state, so any
worker reads the answer."""

from __future__ import annotations

import re

from conversations.events import Choice, Event, Option, Text
from conversations.flow import Ctx, Retry
from conversations.flows.status_ordinals import ordinal_position
from domain.normalize import digits_only
from domain.phone import InvalidPhoneNumber, normalise_mobile

#: The numbers offered, E.164, while the person picks one: a list in the draft's answers.
PHONE_CHOICES = "phone_choices"
#: A choice's id: this prefix and the number's place in :data:`PHONE_CHOICES`.
PREFIX = "ph:"
#: The most numbers offered; a message with more is asked to give one.
_MOST = 3


def mobiles_in(typed: str) -> list[str]:
    """The mobile numbers written apart in ``typed`` (runs of 9 digits or more, a «+»
    before them allowed), each as :func:`domain.phone.normalise_mobile` reads it, once
    each, in order."""
    found: list[str] = []
    for run in re.findall(r"\+?[0-9٠-٩۰-۹]{9,}", typed):
        try:
            number = normalise_mobile(run)
        except InvalidPhoneNumber:
            continue
        if number not in found:
            found.append(number)
    return found


def offered_phones(ctx: Ctx) -> tuple[Option, ...]:
    """The numbers to pick from as choices (label: the number), else none."""
    numbers = ctx.state.answers.get(PHONE_CHOICES) or []
    return _options([str(n) for n in numbers])


def several_mobiles(ctx: Ctx, event: Event) -> Retry | None:
    """A text with two or three mobile numbers: they are kept as choices and which one
    is asked; None for any other event."""
    if not isinstance(event, Text):
        return None
    numbers = mobiles_in(event.text)
    if not 1 < len(numbers) <= _MOST:
        return None
    ctx.state.answers[PHONE_CHOICES] = numbers
    _ = ctx.texts.gettext
    return Retry(
        _(
            "Your message has more than one mobile number. Which one should you be contacted on? Please choose it below, or type just one."
        )
    )


def chosen_phone(ctx: Ctx, event: Event) -> Event:
    """``event`` as the number it picks from those offered (a choice, or «الأول», «٢»
    typed), given as if typed alone; ``event`` itself otherwise (a number typed is read
    by the step as ever). The offer ends here:
    it holds for one answer."""
    numbers: list[str] = ctx.state.answers.pop(PHONE_CHOICES, None) or []
    if not numbers:
        return event
    if isinstance(event, Choice) and event.id.startswith(PREFIX):
        picked = event.id.removeprefix(PREFIX)
        if picked.isdigit() and int(picked) < len(numbers):
            return Text(event.origin, numbers[int(picked)])
        return event
    if isinstance(event, Text) and not mobiles_in(event.text):
        typed = digits_only(event.text)
        # «2» (the choices are numbered where buttons are not), «الأول», «the last one»
        place = int(typed) if typed.isdigit() and len(typed) == 1 else None
        place = ordinal_position(event.text) if place is None else place
        if place is not None:
            index = place - 1 if place > 0 else len(numbers) + place
            if 0 <= index < len(numbers):
                return Text(event.origin, numbers[index])
    return event


def _options(numbers: list[str]) -> tuple[Option, ...]:
    return tuple(Option(f"{PREFIX}{i}", n) for i, n in enumerate(numbers))
