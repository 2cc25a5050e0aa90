"""How officers' texts are written: Telegram HTML for the staff group, plain text for the
terminal (:class:`Fmt`). In HTML every piece of text is escaped where it is put in, and
tags come only from here; text a person typed is isolated so its direction controls cannot
reorder what follows it.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Final

from conversations.formatting import isolate
from conversations.i18n import Texts
from domain.sla import RIYADH

__all__ = ["HTML", "PLAIN", "Fmt", "label", "mention", "moment", "script_mismatch"]


@dataclass(frozen=True, slots=True)
class Fmt:
    """Telegram HTML (``html=True``) or plain text for the terminal."""

    html: bool = True

    def t(self, text: str) -> str:
        return html.escape(text, quote=False) if self.html else text

    def b(self, text: str) -> str:
        return f"<b>{self.t(text)}</b>" if self.html else text

    def code(self, text: str) -> str:
        return f"<code>{self.t(text)}</code>" if self.html else text

    def link(self, text: str, url: str) -> str:
        if not self.html:
            return self.user(text)
        # a link's text is an officer's name (a mention): isolated like any name
        return f'<a href="{html.escape(url, quote=True)}">{self.user(text)}</a>'

    def quote(self, text: str) -> str:
        if self.html:
            return f"<blockquote>{self.user(text)}</blockquote>"
        return "\n".join(f"  {line}" for line in self.user(text).splitlines() or [""])

    def user(self, text: str) -> str:
        """Text a person typed (a description, an answer, a name, a question): its bidi
        controls cannot reorder what follows. In HTML each line is a first-strong isolate;
        a terminal knows no isolates, so the controls that override or embed a direction
        are shown as visible marks (``⟦U+202E⟧``) and the rest dropped."""
        if self.html:
            return self.t(isolate(text))
        return text.translate(_TERMINAL_BIDI)


#: Overrides, embeddings and isolates are made visible at the terminal (a U+202E could
#: reverse a phone number on the officer's screen); marks of direction are dropped.
_TERMINAL_BIDI: Final = {
    **{
        ord(c): f"⟦U+{ord(c):04X}⟧"
        for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    },
    **{ord(c): None for c in "\u200e\u200f\u061c"},
}

HTML: Final = Fmt(html=True)
PLAIN: Final = Fmt(html=False)


def mention(assigned_to: str | None, name: str | None, fmt: Fmt, texts: Texts) -> str:
    """The officer who has a request: a Telegram mention (it notifies them) when they took
    it from Telegram, their name otherwise (``tawasul staff`` uses a local id)."""
    if not assigned_to:
        return fmt.t(texts.gettext("nobody yet"))
    display = name or texts.gettext("an officer")
    kind, _, rest = assigned_to.partition(":")
    user_id = rest.split(":", 1)[0]
    if kind == "officer" and user_id.isascii() and user_id.isdigit() and int(user_id) > 0:
        return fmt.link(display, f"tg://user?id={int(user_id)}")
    return fmt.user(display)


def label(fmt: Fmt, label: str, value: str) -> str:
    return f"{fmt.b(label + ':')} {fmt.t(value)}"


def moment(moment: dt.datetime) -> str:
    """A Riyadh wall-clock time, digits only, so it reads the same in both directions."""
    return moment.astimezone(RIYADH).strftime("%Y-%m-%d %H:%M")


def script_mismatch(text: str, locale: str) -> bool:
    """Whether ``text`` is mostly in another script than the person's language reads (an
    Arabic question typed to someone who chose English, or the reverse)."""
    arabic = sum(1 for ch in text if "\u0600" <= ch <= "\u06ff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    if locale == "ar":
        return latin > arabic
    return arabic > latin
