"""A message's words as typed beside their matching keys, to cut an opening phrase
(«لا غلطت», «اكتب بداله:») off the text as the person wrote it, letters and digits
unchanged. Shared by conversations.flows.slips and conversations.flows.description_words."""

from __future__ import annotations

from dataclasses import dataclass

from conversations.understanding import words


@dataclass(frozen=True, slots=True)
class TypedWords:
    """``pieces``: the text split on spaces, as typed; ``keys``: each piece's matching
    keys (:func:`conversations.understanding.words`: none for punctuation alone, one or
    more for a word)."""

    pieces: tuple[str, ...]
    keys: tuple[tuple[str, ...], ...]

    def keys_from(self, start: int) -> tuple[str, ...]:
        """The matching keys of the pieces from ``start`` on, in order."""
        return tuple(k for piece in self.keys[start:] for k in piece)

    def end_of(self, start: int, count: int) -> int:
        """The index of the first piece after ``count`` keys from piece ``start``."""
        taken, end = 0, start
        while end < len(self.pieces) and taken < count:
            taken += len(self.keys[end])
            end += 1
        return end

    def text_from(self, end: int) -> str:
        """The text from piece ``end`` on, without the punctuation that closed what came
        before it («:», «-», «،»)."""
        return " ".join(self.pieces[end:]).lstrip(":-–—،,. ")


def typed_words(text: str) -> TypedWords:
    """``text`` as :class:`TypedWords`."""
    pieces = tuple(text.split())
    return TypedWords(pieces, tuple(tuple(words(piece)) for piece in pieces))
