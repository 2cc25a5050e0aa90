"""The arguments of ``/rate``, ``/note`` and ``/reconsider`` typed as commands: the
request number as typed and what follows it (the rating, the note's words), in any
digits. Read by :mod:`conversations.say_commands`, and by the staff's ``/block`` (bot.
staff.blocking) for its number. Split from conversations/say_commands.py (past 400
lines) to keep one idea a file."""

from __future__ import annotations

import re

from domain.normalize import clean_input, to_ascii_digits
from domain.request_number import REQUEST_NUMBER_LENGTH

# a group of a number as typed: digits, dashes between them («451-234-5671»)
_NUMBER_GROUP = re.compile(r"[0-9]+(?:[\-\u2010-\u2015][0-9]+)*")


def split_arguments(what: str, args: str) -> tuple[str, str]:
    """(the request number as typed, the rating as typed) of a command's arguments, in
    any digits. For ``rate`` the number is the shortest run of leading words made of
    digits (spaces or dashes between groups: «451 234 5671») whose digits make
    :data:`REQUEST_NUMBER_LENGTH` or more, and the rest, any number of words, is the
    rating («سيء جدا», «5 stars», «٥»); when no such run reaches ten digits, the leading
    digit words are the number and the rest the rating. Found by the reviewer: the last
    word alone was the rating, so «/rate N سيء جدا» and «/rate 451 234 5671 5» were told
    the number has 10 digits. For ``note`` the same, the rest being the note's words
    (found by the fresh-clone tester: «/note N الجواز ينتهي قريب» was told the number has
    10 digits, the words lost). For ``reconsider`` every word is the number."""
    words = to_ascii_digits(clean_input(args)).split()
    if what == "recon":
        return " ".join(words), ""
    digits = 0
    taken = 0
    for word in words:
        if not _NUMBER_GROUP.fullmatch(word) or digits >= REQUEST_NUMBER_LENGTH:
            break
        digits += sum(ch.isdigit() for ch in word)
        taken += 1
    return " ".join(words[:taken]), " ".join(words[taken:])
