"""A staff message in Telegram HTML cut into parts that each fit Telegram's limit.

Telegram's 4096 is counted on the text it shows, after the HTML is parsed: tags count
nothing, an entity (``&amp;``) one character, and characters in UTF-16 units. So the
visible length is computed here, not guessed with a slack: escaping makes a person's
``<`` four characters of HTML for one shown (found by tester 15: a ``/find`` of a request
with a long description and officers' notes was refused by Telegram as too long, and
the officer got nothing). A cut is made at a line break, else at a space, never inside
a tag or an entity; tags open at the cut are closed at the end of the part and opened
again at the start of the next, so every part is valid HTML on its own.
"""

from __future__ import annotations

import html
import re
from typing import Final

#: Telegram's limit for a message's text, in UTF-16 units of the text shown.
MAX_VISIBLE: Final = 4096

# our HTML is built by bot.staff.fmt: tags are ours, and every ``<`` and ``&`` of a text
# is escaped, so a tag, an entity or one character is each one atom
_ATOM: Final = re.compile(r"<[^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);|.", re.DOTALL)
_TAG_NAME: Final = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")


def visible_length(text: str) -> int:
    """What Telegram counts of ``text`` (Telegram HTML): UTF-16 units of its shown text."""
    return sum(_units(atom) for atom in _ATOM.findall(text))


def split_html(text: str, limit: int = MAX_VISIBLE) -> list[str]:
    """``text`` (Telegram HTML) as parts of at most ``limit`` visible units each, cut at a
    line break in the part's second half, else at its last space, else where it is full;
    the break itself is dropped. A text that fits is returned whole."""
    if visible_length(text) <= limit:
        return [text]
    parts: list[str] = []
    atoms: list[str] = []  # the part being built
    stacks: list[tuple[str, ...]] = []  # the tags open before each of its atoms
    opened: tuple[str, ...] = ()  # the tags open after its last atom
    size = 0
    for atom in _ATOM.findall(text):
        if _is_tag(atom):
            atoms.append(atom)
            stacks.append(opened)
            opened = _after(opened, atom)
            continue
        units = _units(atom)
        if size + units > limit and atoms:
            cut = _cut(atoms)
            at_cut = stacks[cut] if cut < len(atoms) else opened
            parts.append("".join(atoms[:cut]) + _closing(at_cut))
            drop = 1 if cut < len(atoms) and atoms[cut] in ("\n", " ") else 0
            rest, rest_stacks = atoms[cut + drop :], stacks[cut + drop :]
            reopened = rest_stacks[0] if rest_stacks else opened
            atoms = [*reopened, *rest]
            stacks = [reopened[:i] for i in range(len(reopened))] + rest_stacks
            size = sum(_units(a) for a in atoms)
        atoms.append(atom)
        stacks.append(opened)
        size += units
    if atoms:
        parts.append("".join(atoms) + _closing(opened))
    return [part for part in (_trimmed(p) for p in parts) if visible_length(part)]


def _is_tag(atom: str) -> bool:
    return len(atom) > 1 and atom.startswith("<") and atom.endswith(">")


def _units(atom: str) -> int:
    if _is_tag(atom):
        return 0
    shown = html.unescape(atom) if atom.startswith("&") else atom
    return len(shown.encode("utf-16-le")) // 2


def _after(opened: tuple[str, ...], tag: str) -> tuple[str, ...]:
    """The open tags after ``tag``: pushed when it opens one, popped when it closes."""
    if tag.startswith("</"):
        return opened[:-1]
    if tag.endswith("/>"):
        return opened
    return (*opened, tag)


def _closing(opened: tuple[str, ...]) -> str:
    names = [_TAG_NAME.match(tag) for tag in reversed(opened)]
    return "".join(f"</{name.group(1)}>" for name in names if name)


def _cut(atoms: list[str]) -> int:
    """Where a full part is cut: its last line break in the second half, else its last
    space, else its end."""
    half = len(atoms) // 2
    for i in range(len(atoms) - 1, half - 1, -1):
        if atoms[i] == "\n":
            return i
    for i in range(len(atoms) - 1, 0, -1):
        if atoms[i] == " ":
            return i
    return len(atoms)


def _trimmed(part: str) -> str:
    """A part without the blank lines it would start or end with."""
    return part.strip("\n ")
