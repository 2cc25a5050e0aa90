"""A rating typed instead of tapped (tester 9's fault 4): «1», «٥» or «⭐⭐⭐⭐⭐» sent as the
next message after a decision's rating question rates the request, as its star does;
the same message at another time is read as ever (the first menu's option)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from conversations.flows.their_say import NO_COMMENT
from conversations.i18n import Texts
from conversations.ports import SayRefused, StatusView
from conversations.rating_words import _table
from conversations.their_say import rating_labels
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore
from .test_stray_files import Clock

NUMBER = "4512345671"


class RatedGateway(MemoryGateway):
    """One decided request of the chat's; a second rating is refused as the desk does."""

    async def rate(self, number: str, channel: str, user_key: str, rating: int) -> None:
        if any(w == "rate" and n == number for w, n, _r in self.said):
            raise SayRefused(number, "already")
        await super().rate(number, channel, user_key, rating)


def _setup() -> tuple[Chat, RatedGateway, Clock]:
    gateway, clock = RatedGateway(), Clock()
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway, clock=clock).handle)
    return chat, gateway, clock


def _decide(gateway: RatedGateway, chat: Chat, at: dt.datetime) -> None:
    view = StatusView(
        NUMBER, "iqama_renewal", "rejected", at - dt.timedelta(days=3), at.date(),
        history=((at - dt.timedelta(days=3), "new"), (at, "rejected")),
    )  # fmt: skip
    gateway.views[NUMBER] = (view, ("test", chat.user), "2000000006")


@pytest.mark.parametrize(("typed", "rating"), [("1", 1), ("٥", 5), ("⭐⭐⭐⭐⭐", 5), ("⭐️⭐️", 2)])
async def test_a_rating_typed_after_the_question_is_stored_and_thanked(
    typed: str, rating: int
) -> None:
    chat, gateway, clock = _setup()
    await chat.command("start")
    clock.now += dt.timedelta(hours=1)
    _decide(gateway, chat, clock.now)  # the notice with its stars comes now
    clock.now += dt.timedelta(minutes=5)
    await chat.text(typed)
    assert gateway.said == [("rate", NUMBER, str(rating))]
    # thanked, and asked for a comment (its «No comment» button), as a star's tap is;
    # not the first menu read into it
    assert NO_COMMENT in chat.choice_ids and "ind" not in chat.choice_ids


async def test_a_digit_after_another_message_is_the_menus_again() -> None:
    chat, gateway, clock = _setup()
    await chat.command("start")
    clock.now += dt.timedelta(hours=1)
    _decide(gateway, chat, clock.now)
    clock.now += dt.timedelta(minutes=5)
    await chat.text("السلام عليكم")  # the next message was not a rating
    clock.now += dt.timedelta(minutes=1)
    await chat.text("1")
    assert gateway.said == []
    assert NO_COMMENT not in chat.choice_ids


async def test_a_typed_rating_after_a_tapped_one_is_read_as_ever() -> None:
    chat, gateway, clock = _setup()
    await chat.command("start")
    clock.now += dt.timedelta(hours=1)
    _decide(gateway, chat, clock.now)
    clock.now += dt.timedelta(minutes=5)
    await chat.tap(f"rate:{NUMBER}:4")
    await chat.tap(NO_COMMENT)
    rated = list(gateway.said)  # the desk refuses a second rating, as the fake does
    await chat.text("5")
    assert gateway.said == rated
    assert NO_COMMENT not in chat.choice_ids


@pytest.mark.parametrize(
    ("typed", "rating"),
    [
        ("ممتاز", 5), ("ممتازة!", 5), ("ممتازه", 5), ("Excellent", 5), ("excellent!!", 5),
        ("الخدمة ممتازة", 5), ("the service was excellent", 5), ("رائع جداً", 5),
        ("زين", 4), ("جيد جدا", 4), ("كويس", 4), ("good", 4), ("Very good", 4),
        ("عادي", 3), ("مقبول", 3), ("so so", 3),
        ("سيء", 2), ("سيئ", 2), ("سيئة", 2), ("سئ", 2), ("سىء", 2), ("مو زين", 2), ("bad", 2), ("poor", 2),
        ("سيء جداً", 1), ("سئ جدا", 1), ("زفت", 1), ("terrible", 1), ("very bad", 1),
    ],
)  # fmt: skip
async def test_a_rating_word_typed_after_the_question_is_stored_as_its_stars(
    typed: str, rating: int
) -> None:
    """Found by the fresh-clone tester: «ممتاز» or «excellent» typed at the rating question
    got the first menu's «please choose»; the words and their stars are
    conversations/data/rating_words.json."""
    chat, gateway, clock = _setup()
    await chat.command("start")
    clock.now += dt.timedelta(hours=1)
    _decide(gateway, chat, clock.now)
    clock.now += dt.timedelta(minutes=5)
    await chat.text(typed)
    assert gateway.said == [("rate", NUMBER, str(rating))]
    assert NO_COMMENT in chat.choice_ids and "ind" not in chat.choice_ids


async def test_a_rating_word_after_another_message_still_rates_a_recent_decision() -> None:
    """Tester 13 (§11): after «ممتاز الله يعطيكم العافيه» met the menu, «ممتاز» was called
    a wrong choice. A word cannot be meant for the menu: it rates a decision of the last
    seven days still unrated; a week later it is read as before."""
    chat, gateway, clock = _setup()
    await chat.command("start")
    clock.now += dt.timedelta(hours=1)
    _decide(gateway, chat, clock.now)
    clock.now += dt.timedelta(minutes=5)
    await chat.text("السلام عليكم")
    clock.now += dt.timedelta(minutes=1)
    await chat.text("ممتاز")
    assert gateway.said == [("rate", NUMBER, "5")]
    assert NO_COMMENT in chat.choice_ids


async def test_a_rating_word_long_after_the_decision_is_read_as_before() -> None:
    chat, gateway, clock = _setup()
    await chat.command("start")
    clock.now += dt.timedelta(hours=1)
    _decide(gateway, chat, clock.now)
    clock.now += dt.timedelta(minutes=5)
    await chat.text("السلام عليكم")
    clock.now += dt.timedelta(days=8)
    await chat.text("ممتاز")
    assert gateway.said == []
    assert NO_COMMENT not in chat.choice_ids


@pytest.mark.parametrize(
    "typed",
    ["6", "15", "⭐⭐⭐⭐⭐⭐", "ممتاز 5", "مو ممتاز", "ok", "طيب", "تمام", "ابي اجدد اقامتي"],
)  # fmt: skip
async def test_other_words_are_not_ratings(typed: str) -> None:
    chat, gateway, clock = _setup()
    await chat.command("start")
    clock.now += dt.timedelta(hours=1)
    _decide(gateway, chat, clock.now)
    clock.now += dt.timedelta(minutes=5)
    await chat.text(typed)
    assert gateway.said == []


@pytest.mark.parametrize(
    ("typed", "rating"),
    [
        ("سيء، ما قريتو الموافقه اصلا", 2), ("زين بس تاخرتوا علي", 4),
        ("ممتاز بس تأخرتوا علي", 5), ("مو زين، ما احد رد علي", 2),
        ("الخدمة سيئة جدا ما قريتو الطلب", 1), ("excellent service but late", 5),
        # review 15b §1: a complaint asking why is still a rating with its reason
        ("سيء جدا، ليش كل هذا التاخير؟", 1), ("سيء، ليش رفضتوه؟", 2),
    ],
)  # fmt: skip
async def test_a_rating_with_its_reason_is_rated_and_the_words_kept_as_the_comment(
    typed: str, rating: int
) -> None:
    """Fresh-clone tester 15 (§3): «سيء، ما قريتو الموافقه اصلا» after the question met
    «يُرجى اختيار واحد من ٤ خيارات…»: no rating, the complaint gone."""
    chat, gateway, clock = _setup()
    await chat.command("start")
    clock.now += dt.timedelta(hours=1)
    _decide(gateway, chat, clock.now)
    clock.now += dt.timedelta(minutes=5)
    said = await chat.text(typed)
    assert gateway.said == [("rate", NUMBER, str(rating)), ("comment", NUMBER, typed)]
    text = "\n".join(r.text for r in said)
    assert "⭐" * rating + "." in text and "يُرجى اختيار" not in text, text


@pytest.mark.parametrize(
    "typed", ["عادي اقدم مرة ثانية؟", "زين، ابي اجدد اقامة زوجتي", "جيد متى يوصلني الجواز؟"]
)
async def test_a_question_or_a_need_opening_with_a_rating_word_is_not_rated(typed: str) -> None:
    """Review 15 §1: right after the question, «جيد متى يوصلني الجواز؟» was rated four stars
    and sent as a comment, the question never answered; «زين، ابي اجدد اقامة زوجتي» the
    same, the wife's request never started."""
    chat, gateway, clock = _setup()
    await chat.command("start")
    clock.now += dt.timedelta(hours=1)
    _decide(gateway, chat, clock.now)
    clock.now += dt.timedelta(minutes=5)
    said = await chat.text(typed)
    assert gateway.said == []
    assert "⭐" not in "\n".join(r.text for r in said)


async def test_a_rating_with_words_after_another_message_is_read_as_before() -> None:
    chat, gateway, clock = _setup()
    await chat.command("start")
    clock.now += dt.timedelta(hours=1)
    _decide(gateway, chat, clock.now)
    clock.now += dt.timedelta(minutes=5)
    await chat.text("السلام عليكم")
    clock.now += dt.timedelta(minutes=1)
    await chat.text("زين بس ابي اجدد اقامتي")
    assert gateway.said == []


async def test_a_digit_in_a_dialogue_with_no_turn_on_record_is_the_menus() -> None:
    """A request decided long ago and never rated, and a dialogue that has expired (or was
    saved before turns were timed): «1» picks «فرد», never a one-star rating."""
    chat, gateway, clock = _setup()
    _decide(gateway, chat, clock.now - dt.timedelta(days=30))
    await chat.text("1")
    assert gateway.said == []
    assert NO_COMMENT not in chat.choice_ids


def test_the_rating_words_have_each_star_in_both_languages() -> None:
    """Every star has Arabic and English words; a phrase under two stars is refused when
    the file is read (conversations.rating_words._table)."""
    _fillers, table = _table()
    for stars in (1, 2, 3, 4, 5):
        words = [" ".join(k) for k, v in table.items() if v == stars]
        assert any(w.isascii() for w in words), stars
        assert any(not w.isascii() for w in words), stars


def test_a_phrase_under_two_ratings_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "rating_words.json"
    data.write_text('{"fillers": [], "ratings": {"5": ["ممتاز"], "4": ["ممتاز"]}}', "utf-8")
    with pytest.raises(ValueError, match="two ratings"):
        _table(data)


@pytest.mark.parametrize("rating", [5, 4, 3, 2, 1])
async def test_a_button_typed_as_it_reads_rates_its_stars(rating: int) -> None:
    """The buttons describe the handling, for anyone («⭐⭐⭐⭐⭐ مُرضٍ جدًا» … «⭐ غير مُرضٍ
    إطلاقًا», fresh-clone tester 15 §6: they said «راضٍ», a man); typed as shown, with or
    without its stars, each rates as its tap does."""
    label = rating_labels(Texts("ar"))[rating]
    assert "راض" not in label and "محايد" not in label, label
    for typed in (label, label.lstrip("⭐ ")):
        chat, gateway, clock = _setup()
        await chat.command("start")
        clock.now += dt.timedelta(hours=1)
        _decide(gateway, chat, clock.now)
        clock.now += dt.timedelta(minutes=5)
        await chat.text(typed)
        assert gateway.said == [("rate", NUMBER, str(rating))], typed


@pytest.mark.parametrize(
    ("typed", "rating"),
    [
        ("راضية جدًا", 5), ("راضي", 4), ("راضية", 4), ("راضٍ", 4), ("محايدة", 3),
        ("غير راضية", 2), ("مو راضية", 2), ("غير راضي", 2),
        ("غير راضية إطلاقًا", 1), ("غير راضٍ إطلاقًا", 1),
    ],
)  # fmt: skip
async def test_the_persons_own_words_for_a_man_or_a_woman_still_rate(
    typed: str, rating: int
) -> None:
    chat, gateway, clock = _setup()
    await chat.command("start")
    clock.now += dt.timedelta(hours=1)
    _decide(gateway, chat, clock.now)
    clock.now += dt.timedelta(minutes=5)
    await chat.text(typed)
    assert gateway.said == [("rate", NUMBER, str(rating))]


async def test_an_illness_right_after_the_question_is_no_rating() -> None:
    """«مُرضٍ» (4) is «مرض» unvocalised, also an illness: read only as the whole message."""
    chat, gateway, clock = _setup()
    await chat.command("start")
    clock.now += dt.timedelta(hours=1)
    _decide(gateway, chat, clock.now)
    clock.now += dt.timedelta(minutes=5)
    await chat.text("مرض ابوي وما قدرت اراجع الفرع")
    assert gateway.said == []


@pytest.mark.parametrize("typed", ["مرضي", "مرضية", "مُرضٍ", "مرضي والله", "الخدمة مرضية"])
async def test_satisfactory_alone_is_the_satisfied_buttons_four_stars(typed: str) -> None:
    """Session 16 asked whether «مرضي» («satisfactory/OK» in Gulf speech) should be 4: it
    stays the «⭐⭐⭐⭐ مُرضٍ» button's, the person saying the handling satisfied them (the
    scale in data/rating_words.json); «مقبول» and «عادي» are the middle."""
    chat, gateway, clock = _setup()
    await chat.command("start")
    clock.now += dt.timedelta(hours=1)
    _decide(gateway, chat, clock.now)
    clock.now += dt.timedelta(minutes=5)
    await chat.text(typed)
    assert gateway.said == [("rate", NUMBER, "4")], typed


def _looking_up() -> tuple[Chat, RatedGateway, Clock]:
    gateway, clock = RatedGateway(), Clock()
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), gateway, clock=clock, limiter=MemoryLimiter()
    )
    return Chat(engine.handle), gateway, clock


async def _decided_while_looking_up() -> tuple[Chat, RatedGateway]:
    """At «يُرجى كتابة رقم الطلب», a request of theirs decided (its rating question sent)
    since their last message."""
    chat, gateway, clock = _looking_up()
    await chat.command("start")
    await chat.text("حالة طلبي")
    assert "يُرجى كتابة رقم الطلب" in chat.said
    clock.now += dt.timedelta(hours=1)
    _decide(gateway, chat, clock.now)
    clock.now += dt.timedelta(minutes=5)
    return chat, gateway


@pytest.mark.parametrize(("typed", "rating"), [("ممتاز", 5), ("⭐⭐", 2), ("٥", 5), ("سيء", 2)])
async def test_a_rating_typed_in_the_status_look_up_rates_and_the_look_up_goes_on(
    typed: str, rating: int
) -> None:
    """Session 18's faults list, item 1: at «يُرجى كتابة رقم الطلب» «ممتاز» right after the
    rating question got «لم أجد رقم طلب في رسالتك», and nothing was rated."""
    chat, gateway = await _decided_while_looking_up()
    await chat.text(typed)
    assert gateway.said == [("rate", NUMBER, str(rating))]
    assert "لم أجد رقم طلب" not in chat.said and "رقم الطلب يتكون" not in chat.said
    assert "يُرجى كتابة رقم الطلب" in chat.last[-1].text  # the look-up's question again


async def test_a_rating_word_in_the_look_up_after_another_message_is_the_look_ups() -> None:
    chat, gateway = await _decided_while_looking_up()
    await chat.text("123")  # the look-up's answer, then a word: not right after the question
    await chat.text("ممتاز")
    assert gateway.said == []


async def test_a_rating_with_its_reason_in_the_look_up_rates_and_the_look_up_goes_on() -> None:
    # session 20: the comment was stored, then the look-up was left (nothing asked)
    chat, gateway = await _decided_while_looking_up()
    await chat.text("زين بس تاخرتوا علي")
    assert gateway.said == [("rate", NUMBER, "4"), ("comment", NUMBER, "زين بس تاخرتوا علي")]
    said = chat.said
    assert "سُجّل تعليقك" in said and "والآن نعود إلى حيث توقفت" in said, said
    assert "يُرجى كتابة رقم الطلب" in chat.last[-1].text, said  # the look-up's question
    await chat.tap("back")  # and it is the look-up: «رجوع» leaves it for the first menu
    assert "هل يُقدَّم الطلب بصفة فرد" in chat.said, chat.said
