"""The words this layer is handed: gettext bound to the officer's language.

Every text here is an English msgid translated by the caller's catalogue (``locales/``),
so the two doors to a use case say the same words in the same language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

#: ``gettext`` bound to one language (``Texts(locale).gettext``).
Gettext: TypeAlias = Callable[[str], str]


def N_(message: str) -> str:
    """Marks a msgid for extraction where it is translated later (a table of texts).

    The same marker as :func:`conversations.i18n.N_`, kept here so this layer imports
    nothing but :mod:`domain`; Babel finds it by its name (``-k N_`` in the Makefile).
    """
    return message
