"""The JSON fields of a Bot API call, made from aiogram's method object without its
general-purpose preparation.

aiogram prepares a call by dumping the whole method model to Python values
(``model_dump``), then walking every value again in Python (``prepare_value``: a chain of
``isinstance`` checks per value, nested objects dumped once more), dropping what is None.
For a resident's reply with an inline keyboard that is a few hundred Python calls, about
0.3 ms a reply in the fifth pass's profile of ``bench/dialogue.py`` (issue 12), for
values that are strings, numbers, booleans and keyboards. :func:`call_fields` reads the
method's fields directly and has pydantic drop the None fields of nested objects
(``exclude_none``, in its compiled serializer) instead of walking them in Python; what it
does not recognise as such plain values (a file, a date, an enum outside a string, a
bot default inside an object, a field unknown to the model) it leaves to aiogram's
preparation by returning None, so nothing is sent differently. The unit tests compare its
result with aiogram's for every shape the bot sends.

aiogram has no faster mode of its own for this; pydantic's ``model_dump(mode="json")``
alone would not do either, as aiogram's ``Default`` markers and its None-dropping rules
(a top-level ``""`` is left out too) are aiogram's, not pydantic's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from aiogram.client.default import Default
from aiogram.types import TelegramObject

if TYPE_CHECKING:
    from aiogram import Bot
    from aiogram.methods import TelegramMethod

#: A value this module does not prepare itself (aiogram's preparation does).
_ASIDE: Final = object()

_SCALARS: Final = (str, int, float)  # bool is an int


def call_fields(bot: Bot, method: TelegramMethod[Any]) -> dict[str, Any] | None:
    """The call's fields as aiogram's ``prepare_value`` gives them to the Bot API (a None,
    an empty string or a default that resolves to None left out), or None when a value
    needs aiogram's own preparation (a file among them)."""
    if method.model_extra:
        return None  # fields the model does not know: aiogram's way, as it dumps them
    fields: dict[str, Any] = {}
    for name in type(method).model_fields:
        value = getattr(method, name)
        if value is None:
            continue
        if isinstance(value, Default):
            value = bot.default[value.name]
            if value is None:
                continue
        prepared = _plain(value)
        if prepared is _ASIDE:
            return None
        if prepared is None or prepared == "":
            continue
        fields[name] = prepared
    return fields


def _plain(value: Any) -> Any:
    """A top-level value as aiogram prepares it, or :data:`_ASIDE`."""
    if isinstance(value, _SCALARS):
        # a str enum passes as itself in aiogram's preparation too (its str check first)
        return value if isinstance(value, str) or type(value) in (int, float, bool) else _ASIDE
    if isinstance(value, TelegramObject):
        return _checked(_dump(value))
    if isinstance(value, list):
        return _checked([_dump(v) if isinstance(v, TelegramObject) else v for v in value])
    return _ASIDE


def _dump(value: TelegramObject) -> Any:
    return value.model_dump(warnings=False, exclude_none=True)


def _checked(value: Any) -> Any:
    """``value`` (a dump) when it holds only what aiogram's preparation passes through
    unchanged (strings, plain numbers and booleans, lists and dicts of them, no None),
    else :data:`_ASIDE`."""
    if isinstance(value, dict):
        for item in value.values():
            if _checked(item) is _ASIDE:
                return _ASIDE
        return value
    if isinstance(value, list):
        for item in value:
            if _checked(item) is _ASIDE:
                return _ASIDE
        return value
    if isinstance(value, str) or type(value) in (int, float, bool):
        return value
    return _ASIDE  # None in a list, a Default, a date, an enum, a file...
