"""Cutting a person's text to a length limit where a reader expects a break.

Used when a description is longer than a request can take: the start is kept, cut after
the last full sentence that fits (or, failing that, the last whole word), so the officer
never reads a half word and the person can tell exactly where the kept part ends.
"""

from __future__ import annotations

# a sentence ends at one of these (Arabic and Latin punctuation, or a line break)
_SENTENCE_ENDS = ".!?؟\n…"
# a sentence break this far back from the limit is too far: cut at a word instead
_SENTENCE_REACH = 0.5


def cut_text(text: str, limit: int) -> str:
    """``text`` when it fits in ``limit`` characters; otherwise its start, at most
    ``limit`` characters long, ended after the last sentence end that leaves at least
    half of the limit, else at the last space, else exactly at the limit; trailing spaces
    dropped. Raises ValueError for a limit below 1."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if len(text) <= limit:
        return text
    head = text[:limit]
    sentence = max(head.rfind(ch) for ch in _SENTENCE_ENDS)
    if sentence + 1 >= limit * _SENTENCE_REACH:
        # a sentence end comes first, even when a word happens to end at the limit (found
        # by the fresh-clone tester: a space just past the limit kept «…الكفيل تأخر»)
        return head[: sentence + 1].rstrip()
    # the character just past the limit may end the word the head ends with
    if text[limit].isspace():
        return head.rstrip()
    space = max(head.rfind(" "), head.rfind("\n"))
    if space > 0:
        return head[:space].rstrip()
    return head
