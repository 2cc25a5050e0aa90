"""Tester 13 §4: a change of mind about the service at the steps that take no words of
the person's own (a service's question, the numbers) was kept as the description while
the wrong service went on, and «ابي اغير الخدمة» / «مو هذا اللي ابيه» got «لم أفهم»."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore


@pytest.fixture
def chat() -> Chat:
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), MemoryGateway(), limiter=MemoryLimiter()
    )
    return Chat(engine.handle)


async def _at_for_whom(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد جواز")
    await chat.tap("s:passport_renew")
    assert "لمن هذا الطلب" in chat.said
    assert "q:self" in chat.choice_ids


async def _at_where(chat: Chat) -> None:
    """An iqama's renewal for oneself chosen: at «أين أنت الآن؟»."""
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")


async def test_a_slip_naming_another_service_offers_the_change(chat: Chat) -> None:
    await _at_for_whom(chat)
    await chat.text("لا غلطت ابي الاقامه مو الجواز")
    assert "احتفظتُ بما كتبته" not in chat.said
    assert "تجديد جواز السفر" in chat.said
    assert "chg:yes" in chat.choice_ids
    await chat.tap("chg:yes")
    assert "s:iqama_renew" in chat.choice_ids


async def test_i_want_to_change_the_service_goes_back_to_the_choice(chat: Chat) -> None:
    await _at_for_whom(chat)
    await chat.text("ابي اغير الخدمة")
    assert "لم أفهم" not in chat.said
    assert "اختيار الخدمة" in chat.said or "الخدمة" in chat.said
    assert not any(c.startswith("q:") for c in chat.choice_ids)


async def test_not_what_i_want_is_offered_a_change(chat: Chat) -> None:
    await _at_for_whom(chat)
    await chat.text("مو هذا اللي ابيه")
    assert "لم أفهم" not in chat.said
    assert "chg:yes" in chat.choice_ids


async def test_a_changed_mind_at_the_identity_step_offers_the_new_service(chat: Chat) -> None:
    await _at_where(chat)
    while any(c.startswith("q:") for c in chat.choice_ids):
        await chat.tap(chat.choice_ids[0])
    assert "رقم" in chat.said
    await chat.text("لا خلاص غيرت رايي ابي اجدد جواز ولدي بس")
    assert "احتفظتُ بما كتبته" not in chat.said
    assert "«تجديد هوية مقيم»" in chat.said
    assert "chg:yes" in chat.choice_ids
    await chat.tap("chg:yes")
    assert chat.choice_ids[0] == "s:passport_renew"


async def test_a_mistyped_number_is_no_change_of_service(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد جوازي")
    await chat.tap("s:passport_renew")
    while any(c.startswith("q:") for c in chat.choice_ids):
        await chat.tap(chat.choice_ids[0])
    await chat.text("لا غلطت رقم الهوية")
    assert "chg:yes" not in chat.choice_ids


async def test_not_understood_at_the_first_question_names_back(chat: Chat) -> None:
    await _at_for_whom(chat)
    await chat.text("بطيخ")
    assert "لم أفهم" in chat.said
    assert "«رجوع»" in chat.said


async def test_a_slip_about_whom_the_request_is_for_is_no_change_of_service(chat: Chat) -> None:
    # review 13 §3: the service was right; «لا غلطت…» corrected «لمن». It was offered a change
    # of service, and declining dropped what they said about their wife. «تجديد اقامة» names
    # no one, so the slip is typed at «لمن» itself
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("تجديد اقامة")
    await chat.tap("s:iqama_renew")
    assert "q:self" in chat.choice_ids  # at «لمن هذا الطلب؟»
    await chat.text("لا غلطت ابي اجدد اقامة زوجتي مو اقامتي")
    assert "chg:yes" not in chat.choice_ids
    assert "هل أغيّر خدمة طلبك" not in chat.said
    # the slip answers the question on screen: the wife's iqama is a dependant's request
    # (review 13 §3: it was kept for the description and «لمن» asked again)
    assert "سجّلتُ إجابة «لمن هذا الطلب؟»: «تابع لي أو مكفول لدي»" in chat.said
    assert "أين صاحب الإقامة الآن؟" in chat.said
    assert "q:self" not in chat.choice_ids
    assert "احتفظتُ بما كتبته" not in chat.said


async def test_a_slip_about_whom_corrects_an_earlier_answer_taken_from_the_first_words(
    chat: Chat,
) -> None:
    # review 13 §3, its second half: «ابي اجدد اقامتي» answered «لمن» early as «لي أنا»;
    # the slip typed at «أين…؟» corrects it, and says so, rather than filing for self
    await _at_where(chat)
    assert "أين أنت الآن؟" in chat.said
    await chat.text("لا غلطت ابي اجدد اقامة زوجتي مو اقامتي")
    assert "«لمن هذا الطلب؟»" in chat.said and "«تابع لي أو مكفول لدي»" in chat.said
    assert "أين صاحب الإقامة الآن؟" in chat.said and "q:inside" in chat.choice_ids


async def test_a_case_told_with_a_slip_is_kept_when_the_change_is_taken(chat: Chat) -> None:
    """Helper 23: «لا غلطت ابي اصدار تأشيرة خروج وعودة لاني مسافر الاسبوع الجاي…» changed
    the service, and the reason told with it was lost; the slip's own words are not kept."""
    case = "ابي اصدار تأشيرة خروج وعودة لاني مسافر الاسبوع الجاي لعمرة امي"
    await chat.command("start")
    await chat.text("تجديد الاقامة")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:self")
    await chat.text(f"لا غلطت {case}")
    await chat.tap("chg:yes")
    assert "احتفظتُ بما كتبته" in chat.said, chat.said
    await chat.tap("s:exit_reentry_visa")
    await chat.tap("q:self")
    await chat.text("2000000006")
    await chat.contact("+966501234567")
    assert f"⁨{case}⁩" in chat.said and "keep_description" in chat.choice_ids, chat.said


async def test_a_case_told_with_a_declined_slip_is_not_kept(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("تجديد الاقامة")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:self")
    await chat.text("لا غلطت ابي اصدار تأشيرة خروج وعودة لاني مسافر الاسبوع الجاي لعمرة امي")
    await chat.tap("chg:no")
    await chat.tap("q:inside")
    await chat.text("2000000006")
    await chat.contact("+966501234567")
    assert "keep_description" not in chat.choice_ids, chat.said


async def test_a_bare_slip_keeps_nothing(chat: Chat) -> None:
    await _at_for_whom(chat)
    await chat.text("لا غلطت ابي الاقامه مو الجواز")
    await chat.tap("chg:yes")
    assert "احتفظتُ بما كتبته" not in chat.said, chat.said


async def test_an_answer_to_the_step_while_a_change_is_offered_says_the_service_stays(
    chat: Chat,
) -> None:
    """Helper 24: «داخل» typed at «هل أغيّر خدمة طلبك؟» answered the location question
    and the offer was gone without a word."""
    await _at_where(chat)
    assert "أين أنت الآن؟" in chat.said
    await chat.text("لا غلطت ابي تأشيرة خروج وعودة")
    assert "chg:yes" in chat.choice_ids
    said = await chat.text("داخل")
    assert said[0].text == "يبقى طلبك لخدمة «تجديد هوية مقيم».", said
    assert "رقم هويتك" in chat.said


async def test_another_service_named_whole_where_the_step_takes_none_offers_the_change(
    chat: Chat,
) -> None:
    """«ابي تأشيرة خروج وعودة» at «أين أنت الآن؟» of an iqama's renewal got «لم أفهم
    إجابتك»; at the identity step «ابي اجدد جوازي» was only kept as words."""
    await _at_where(chat)
    said = await chat.text("ابي تأشيرة خروج وعودة")
    assert "لم أفهم" not in chat.said
    assert "إلى «تأشيرة خروج وعودة»؟" in said[-1].text, said
    await chat.tap("chg:no")
    assert "يبقى طلبك لخدمة «تجديد هوية مقيم»" in chat.said
    await chat.tap("q:inside")
    await chat.text("ابي اجدد جوازي")
    assert "إلى «تجديد جواز السفر»؟" in chat.said, chat.said
    await chat.tap("chg:yes")
    # the one service named, agreed to: chosen, not asked about again (helper 26)
    assert "صار طلبك لخدمة «تجديد جواز السفر»" in chat.said, chat.said
    assert "هل هذه هي الخدمة المطلوبة؟" not in chat.said


async def test_a_family_member_answers_for_whom_and_offers_no_change(chat: Chat) -> None:
    await _at_for_whom(chat)
    await chat.text("تابع لي")
    assert "chg:yes" not in chat.choice_ids


async def test_another_service_named_whole_at_the_summary_chooses_it_again(chat: Chat) -> None:
    # at the summary «ابي تأشيرة خروج وعودة» got «لم يُرسَل طلبك. يُرجى اختيار ما يلزم
    # تعديله…», nothing said of the service named
    await _at_where(chat)
    await chat.tap("q:inside")
    await chat.text("2000000014")
    await chat.text("0551234567")
    await chat.text("اقامتي انتهت وابي اجددها والنظام يطلع خطأ")
    await chat.media()
    await chat.tap("done")
    assert "confirm" in chat.choice_ids
    await chat.text("ابي تأشيرة خروج وعودة")
    assert "لنختر الخدمة من جديد" in chat.said, chat.said
    assert [c for c in chat.choice_ids if c.startswith("s:")] == ["s:exit_reentry_visa"]


@pytest.mark.parametrize("typed", ["خروج وعودة", "ابغى خروج وعوده"])
async def test_exit_and_reentry_at_where_is_no_outside(chat: Chat, typed: str) -> None:
    """Helper 25: «ابغى خروج وعوده» at «أين أنت الآن؟» was read as «خارج المملكة» (on
    «خروج») and the iqama renewal filed as outside the kingdom."""
    await _at_where(chat)
    said = await chat.text(typed)
    assert "إلى «تأشيرة خروج وعودة»؟" in said[-1].text, said
    assert "للعلم" not in chat.said
    await chat.tap("chg:no")
    assert "q:outside" in chat.choice_ids  # still to be answered


@pytest.mark.parametrize("typed", ["خارج السعودية", "برا السعوديه", "لست في المملكة"])
async def test_outside_saudi_is_outside(chat: Chat, typed: str) -> None:
    # helper 25: «خارج السعودية» was asked «أيّها المقصود…؟» («السعودية» reads inside)
    await _at_where(chat)
    await chat.text(typed)
    assert "أيّها المقصود" not in chat.said and "للعلم" in chat.said, chat.said


async def test_the_change_declined_asks_the_question_again(chat: Chat) -> None:
    # helper 25: «لا» left the buttons of «أين أنت الآن؟» under no question
    await _at_where(chat)
    await chat.text("ابي تأشيرة خروج وعودة")
    said = await chat.text("لا")
    assert said[0].text == "يبقى طلبك لخدمة «تجديد هوية مقيم».", said
    assert said[-1].text.endswith("أين أنت الآن؟"), said
    assert "q:inside" in chat.choice_ids


@pytest.mark.parametrize(
    "typed", ["خليها كذا", "نفس الخدمة", "لا خلها", "خلها زي ما هي", "خليها زي ماهي", "كما هي"]
)
async def test_keep_it_in_words_declines_the_change(chat: Chat, typed: str) -> None:
    # helper 25: «خلها زي ما هي» got «لم أفهم»: a listed phrase is now read without its
    # fillers, as the message is («هي»)
    await _at_where(chat)
    await chat.text("ابي تأشيرة خروج وعودة")
    said = await chat.text(typed)
    assert said[0].text == "يبقى طلبك لخدمة «تجديد هوية مقيم».", said


@pytest.mark.parametrize("typed", ["غيرها", "ايوه غيرها"])
async def test_change_it_in_words_changes_the_service(chat: Chat, typed: str) -> None:
    # session 26's probe: «غيرها» got «لم أفهم» and the offer was dropped
    await _at_where(chat)
    await chat.text("ابي تأشيرة خروج وعودة")
    await chat.text(typed)
    assert "صار طلبك لخدمة «تأشيرة خروج وعودة»" in chat.said, chat.said
    assert "هل هذه هي الخدمة المطلوبة؟" not in chat.said


async def test_the_change_asked_again_is_the_changes_question(chat: Chat) -> None:
    # helper 26: after «مساعدة» or an empty line, «لمن هذا الطلب؟» stood above «تغيير
    # الخدمة» and «الإبقاء على الخدمة»
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي خروج وعوده")
    await chat.tap("s:exit_reentry_visa")
    await chat.text("لا غلطت ابي خروج نهائي")
    for again in ("مساعدة", ""):
        await chat.text(again)
        asked = chat.last[-1].text
        assert "هل أغيّر خدمة طلبك" in asked and "لمن هذا الطلب؟" not in asked, asked
        assert chat.choice_ids[:2] == ["chg:yes", "chg:no"], chat.choice_ids


async def test_the_keep_label_typed_late_is_no_description(chat: Chat) -> None:
    # helper 26: «الإبقاء على الخدمة» typed once the offer was passed over was kept as words
    # of the description
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي خروج وعوده")
    await chat.tap("s:exit_reentry_visa")
    await chat.text("لا غلطت ابي خروج نهائي")
    await chat.text("لي انا")
    await chat.text("الإبقاء على الخدمة")
    assert "يبقى طلبك لخدمة «تأشيرة خروج وعودة»" in chat.said, chat.said
    assert "احتفظتُ بما كتبته" not in chat.said and "رقم هويتك" in chat.said, chat.said
