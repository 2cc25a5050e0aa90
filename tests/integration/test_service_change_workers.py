"""A change of service offered at «لمن هذا الطلب؟» on one webhook worker is answered on
the other, over one Redis and SQLite (the offer lives in the dialogue state): tester 13
§4, where «لا غلطت ابي الاقامه مو الجواز» was kept as the description and the passport
request went on."""

from __future__ import annotations

from standins.telegram_updates import TgUser
from tests.integration.test_resident_findings_workers import _say
from tests.integration.test_telegram_webhook import Harness, Worker, h

__all__ = ["h"]  # the fixture

NOURA = TgUser(5_400_000_113, "نورة")


async def test_a_slip_at_for_whom_changes_the_service_over_two_workers(h: Harness) -> None:
    a, b = await h.worker(), await h.worker()
    await _say(a, h, NOURA, h.updates.text(NOURA, "ابي اجدد جواز"))
    said = await _say(b, h, NOURA, h.updates.callback(NOURA, "s:passport_renew"))
    assert said.endswith("لمن هذا الطلب؟"), said
    said = await _say(a, h, NOURA, h.updates.text(NOURA, "لا غلطت ابي الاقامه مو الجواز"))
    assert "احتفظتُ بما كتبته" not in said, said
    assert "«تجديد جواز السفر»" in said, said
    said = await _say(b, h, NOURA, h.updates.text(NOURA, "نعم"))
    assert said.endswith("أيّ هذه الخدمات هي المطلوبة؟"), said
    state = await h.services.engine.store.load("telegram", str(NOURA.id))
    assert "service" not in state.answers
    assert "iqama_renew" in state.answers.get("suggestions", [])


async def test_an_answer_passing_over_the_offer_says_the_service_stays_over_two_workers(
    h: Harness,
) -> None:
    # helper 24: «داخل» at «هل أغيّر خدمة طلبك؟» dropped the offer without a word
    a, b = await _at_where(h)
    said = await _say(b, h, NOURA, h.updates.text(NOURA, "لا غلطت ابي تأشيرة خروج وعودة"))
    assert "هل أغيّر خدمة طلبك" in said, said
    said = await _say(a, h, NOURA, h.updates.text(NOURA, "داخل"))
    assert said.startswith("يبقى طلبك لخدمة «تجديد هوية مقيم»."), said
    state = await h.services.engine.store.load("telegram", str(NOURA.id))
    assert state.step == "identity" and state.answers["service"] == "iqama_renew"


async def test_another_service_named_whole_at_a_question_is_offered_over_two_workers(
    h: Harness,
) -> None:
    # «ابي تأشيرة خروج وعودة» at «أين أنت الآن؟» got «لم أفهم إجابتك»
    a, b = await _at_where(h)
    said = await _say(a, h, NOURA, h.updates.text(NOURA, "ابي تأشيرة خروج وعودة"))
    assert "من «تجديد هوية مقيم» إلى «تأشيرة خروج وعودة»؟" in said, said
    said = await _say(b, h, NOURA, h.updates.text(NOURA, "نعم"))
    # agreed to: chosen, not asked about again (helper 26)
    assert "صار طلبك لخدمة «تأشيرة خروج وعودة»" in said and "هل هذه هي" not in said, said
    state = await h.services.engine.store.load("telegram", str(NOURA.id))
    assert state.answers.get("service") == "exit_reentry_visa"


async def test_exit_and_reentry_at_where_offers_the_change_over_two_workers(
    h: Harness,
) -> None:
    # helper 25: «ابغى خروج وعوده» was recorded as «خارج المملكة»
    a, b = await _at_where(h)
    said = await _say(a, h, NOURA, h.updates.text(NOURA, "ابغى خروج وعوده"))
    assert "إلى «تأشيرة خروج وعودة»؟" in said, said
    state = await h.services.engine.store.load("telegram", str(NOURA.id))
    assert "location" not in state.answers.get("eligibility", {})
    said = await _say(b, h, NOURA, h.updates.text(NOURA, "خارج السعودية"))
    assert "يبقى طلبك لخدمة «تجديد هوية مقيم»" in said and "للعلم" in said, said


async def test_the_change_declined_asks_the_question_again_over_two_workers(
    h: Harness,
) -> None:
    # helper 25: «لا» left the buttons of «أين أنت الآن؟» under no question
    a, b = await _at_where(h)
    await _say(a, h, NOURA, h.updates.text(NOURA, "ابي تأشيرة خروج وعودة"))
    said = await _say(b, h, NOURA, h.updates.text(NOURA, "لا"))
    assert said.startswith("يبقى طلبك لخدمة «تجديد هوية مقيم».") and said.endswith(
        "أين أنت الآن؟"
    ), said


async def test_keep_it_as_it_is_in_words_declines_the_change_over_two_workers(
    h: Harness,
) -> None:
    # helpers 25 and 26: «خلها زي ما هي» got «لم أفهم» and the offer was dropped; «غيرها»
    # likewise
    a, b = await _at_where(h)
    await _say(a, h, NOURA, h.updates.text(NOURA, "ابي تأشيرة خروج وعودة"))
    said = await _say(b, h, NOURA, h.updates.text(NOURA, "خلها زي ما هي"))
    assert said.startswith("يبقى طلبك لخدمة «تجديد هوية مقيم»."), said
    await _say(a, h, NOURA, h.updates.text(NOURA, "ابي تأشيرة خروج وعودة"))
    said = await _say(b, h, NOURA, h.updates.text(NOURA, "غيرها"))
    assert "صار طلبك لخدمة «تأشيرة خروج وعودة»" in said, said


async def test_a_thumbs_up_changes_the_service_over_two_workers(h: Harness) -> None:
    # session 25's probe: «👍» got «لم أفهم» (an emoji is no word to the readers)
    a, b = await _at_where(h)
    await _say(a, h, NOURA, h.updates.text(NOURA, "ابي تأشيرة خروج وعودة"))
    said = await _say(b, h, NOURA, h.updates.text(NOURA, "👍🏻"))
    assert "صار طلبك لخدمة «تأشيرة خروج وعودة»" in said, said


async def test_two_needs_offer_only_those_said_over_two_workers(h: Harness) -> None:
    # session 26's probe: a third service, the citizens' passport, came on «اجدد»
    a, b = await h.worker(), await h.worker()
    await _say(a, h, NOURA, h.updates.text(NOURA, "ابي اجدد اقامتي وبعدين ابي خروج وعودة"))
    state = await h.services.engine.store.load("telegram", str(NOURA.id))
    assert state.answers.get("suggestions") == ["iqama_renew", "exit_reentry_visa"], state
    said = await _say(b, h, NOURA, h.updates.callback(NOURA, "s:exit_reentry_visa"))
    assert "«لي أنا»" in said and "رقم هويتك" in said, said  # «اقامتي»: for oneself


async def test_the_change_asked_again_and_its_label_late_over_two_workers(
    h: Harness,
) -> None:
    # helper 26: asked again after «مساعدة», the change stood under «أين أنت الآن؟»; its
    # «الإبقاء على الخدمة» typed once passed over was kept as the description
    a, b = await _at_where(h)
    await _say(a, h, NOURA, h.updates.text(NOURA, "ابي تأشيرة خروج وعودة"))
    said = await _say(b, h, NOURA, h.updates.text(NOURA, "مساعدة"))
    assert said.endswith("ولا أعيد إلا أسئلة الخدمة."), said
    said = await _say(a, h, NOURA, h.updates.text(NOURA, "داخل"))
    assert said.startswith("يبقى طلبك لخدمة «تجديد هوية مقيم»."), said
    said = await _say(b, h, NOURA, h.updates.text(NOURA, "الإبقاء على الخدمة"))
    assert said.startswith("يبقى طلبك لخدمة «تجديد هوية مقيم».") and "احتفظتُ" not in said, said


async def _at_where(h: Harness) -> tuple[Worker, Worker]:
    """Two workers; an iqama's renewal for oneself chosen over both («اقامتي»: for
    oneself), now at «أين أنت الآن؟»."""
    a, b = await h.worker(), await h.worker()
    await _say(a, h, NOURA, h.updates.text(NOURA, "ابي اجدد اقامتي"))
    said = await _say(b, h, NOURA, h.updates.callback(NOURA, "s:iqama_renew"))
    assert said.endswith("أين أنت الآن؟"), said
    return a, b


async def test_a_yes_and_a_word_under_the_one_service_offered_over_two_workers(
    h: Harness,
) -> None:
    # helper 26: «ايه غيرها» under the one service offered read as a new need: «أخرى»
    a, b = await h.worker(), await h.worker()
    await _say(a, h, NOURA, h.updates.callback(NOURA, "ind"))
    said = await _say(b, h, NOURA, h.updates.text(NOURA, "ابي خروج نهائي"))
    assert said.endswith("هل هذه هي الخدمة المطلوبة؟"), said
    said = await _say(a, h, NOURA, h.updates.text(NOURA, "ايه غيرها"))
    assert "أخرى" not in said and "لمن هذا الطلب؟" in said, said
