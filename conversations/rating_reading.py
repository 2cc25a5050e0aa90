"""How a typed message is read as a rating of a decision (the satisfaction question's
answer): a digit, stars or a word (:mod:`conversations.rating_words`), and when such a
message is something else (a menu pick, a question, a new need). Split from
:mod:`conversations.say_parts`, which decides what to do with it.
"""

from __future__ import annotations

from conversations.flow import Ctx
from conversations.keywords import courtesy
from conversations.knowledge import reads_as_question
from conversations.rating_words import word_rating
from conversations.reading import NAV_IDS, START_STEPS
from conversations.two_needs import says_a_wish
from domain.normalize import strip_invisible, to_ascii_digits
from domain.their_say import RATINGS

#: Side flows where a rating typed right after a decision's rating question is read as
#: one: the status look-up, which takes only a request number or a row. The say flow and
#: an answer to an officer take the person's own words.
RATED_ASIDE = ("status",)


def typed_rating(text: str) -> int | None:
    """The rating in a message that is only a digit 1-5 (any script), only one to five
    star emoji (spaces and emoji variation selectors aside), or only a word of
    ``data/rating_words.json`` («ممتاز», «زين», «سيء», «excellent»); None for anything else."""
    bare = to_ascii_digits(strip_invisible(text)).replace("\ufe0f", "")
    bare = "".join(bare.split())
    if len(bare) == 1 and bare in "12345":
        return int(bare)
    if bare and set(bare) == {"⭐"} and len(bare) in RATINGS:
        return len(bare)
    return word_rating(text)


def no_menu_pick(text: str, offered: list[list[str]]) -> bool:
    """Whether a typed rating cannot be a pick of the options on screen: words or stars,
    or a digit past their count («٥» under the first menu's four)."""
    bare = to_ascii_digits(strip_invisible(text)).strip()
    options = [o for o in offered if o[0] not in NAV_IDS]  # «مساعدة», «إلغاء» are words
    return not bare.isdigit() or int(bare) > len(options)


def thanked(text: str) -> bool:
    """Whether the words around a rating thank («ممتاز شكرا»)."""
    return any(courtesy(word)[0] == "thanks" for word in text.split())


def at_start(first: str, step: str) -> bool:
    """Whether nothing is under way: before the first question, or at it (the menu)."""
    return step in START_STEPS or step == first


def asks_or_wants(ctx: Ctx, text: str, rating: int) -> bool:
    """Whether ``text`` asks something or wants a service (a wish verb and a service named):
    then a rating word opening it is not a rating with its reason (review 15 §1: «جيد متى
    يوصلني الجواز؟» was rated four stars and the question never answered). A question after
    a word of one or two stars is a complaint, rated with it («سيء جدا، ليش كل هذا
    التاخير؟», review 15b §1); «زين»، «عادي»، «جيد» opening a question are as often "well,
    ..." as a rating."""
    if says_a_wish(text) and bool(ctx.catalogue.match(text, limit=1)):
        return True
    return rating >= 3 and reads_as_question(text)
