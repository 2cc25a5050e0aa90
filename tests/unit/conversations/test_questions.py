"""Issue 13, answers at any step: «أسئلة شائعة» in the first menu and under help, the
answer followed by the step the person was on, «تقديم طلب الآن» after a question about a
service, two or three topics as buttons when unsure, and an honest «no answer» otherwise."""

from __future__ import annotations

from conversations import knowledge

from .fakes import Chat, MemoryGateway
from .test_intake import PHONE, RESIDENT, _to_identity

UNSURE = "كم يوم تاخذ الاقامة؟"  # days (Tawasul?) and iqama (conditions? validity?)
UNKNOWN = "كم سعر تذكرة الطيران للرياض؟"


def topic_ids(chat: Chat) -> list[str]:
    return [c.removeprefix("kb:") for c in chat.choice_ids if c.startswith("kb:")]


async def _finish(chat: Chat) -> None:
    await chat.contact(PHONE)
    await chat.text("انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام")
    await chat.media(ref="p1")
    await chat.tap("done")
    await chat.tap("confirm")


# ---- «أسئلة شائعة» -------------------------------------------------------------------


async def test_the_first_menu_lists_the_frequently_asked_questions(chat: Chat) -> None:
    await chat.command("start")
    assert "faq" in chat.choice_ids
    await chat.tap("faq")
    assert "الأسئلة الشائعة" in chat.said
    assert topic_ids(chat) == [t.id for t in knowledge.topics()]
    await chat.tap("kb:late_penalty")
    assert "٥٠٠ ريال" in chat.last[0].text and "١٬٠٠٠ ريال" in chat.last[0].text
    assert chat.choice_ids[:2] == ["ind", "est"]  # and the first question again


async def test_help_offers_the_questions_and_a_typed_faq_works_mid_request(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.text("مساعدة")
    assert "faq" in chat.choice_ids
    await chat.text("أسئلة شائعة")
    assert len(topic_ids(chat)) == len(knowledge.topics())
    await chat.tap("kb:tawasul_duration")
    assert "٧ أيام عمل" in chat.last[0].text
    assert "نعود إلى الطلب الذي بدأت تعبئته" in chat.last[-1].text
    assert chat.last[-1].ask_contact  # still the phone step, the identity kept
    assert not any(c.startswith("file:") for c in chat.choice_ids)  # no new request mid-way
    await _finish(chat)
    (filed,) = gateway.submissions
    assert filed.identity_number == RESIDENT and filed.service_id == "iqama_renew"


async def test_in_english_the_questions_are_listed_and_answered(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("English")
    await chat.tap("faq")
    assert "Frequently asked questions" in chat.said
    titles = [o.label for o in chat.last[-1].choices]
    assert "Penalties for renewing an iqama late" in titles
    await chat.tap("kb:saudi_post")
    assert "Saudi Post" in chat.last[0].text


async def test_an_old_faq_button_pressed_at_another_step_answers_and_keeps_the_step(
    chat: Chat,
) -> None:
    await _to_identity(chat)
    await chat.tap("kb:visit_extension")  # from a list shown earlier
    assert "السورية واليمنية" in chat.last[0].text
    assert "رقم هويتك" in chat.said


# ---- «تقديم طلب الآن» ---------------------------------------------------------------


async def test_a_question_about_a_service_leads_on_to_filing_it_with_one_tap(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await chat.command("start")
    await chat.text("ايش شروط تجديد الاقامة")
    assert "الفحص الطبي" in chat.last[0].text
    # one list: «تقديم طلب الآن» follows the first question's own choices, which keep
    # their numbers (found by the tester), so «5» typed means it
    assert chat.choice_ids[:5] == ["ind", "est", "status", "faq", "file:iqama_renew"]
    assert chat.last[-1].choices[4].label == "تقديم طلب الآن"
    await chat.text("5")
    while any(c.startswith("q:") for c in chat.choice_ids):
        await chat.tap(chat.choice_ids[0])
    assert "رقم هويتك" in chat.said
    await chat.text(RESIDENT)
    await _finish(chat)
    (filed,) = gateway.submissions
    assert filed.service_id == "iqama_renew" and filed.identity_number == RESIDENT


async def test_in_english_the_visit_visa_answer_offers_to_file_it(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("English")
    await chat.text("which nationalities can extend a visit visa?")
    assert "Syrian and Yemeni" in chat.last[0].text
    assert chat.last[-1].choices[4].label == "File a request now"
    await chat.tap("file:visit_visa_extension")
    assert "Visit" in chat.said or "visit" in chat.said


async def test_a_forged_file_button_mid_request_is_refused_and_the_draft_kept(
    chat: Chat,
) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.tap("file:passport_issue")
    assert "لا يخص هذه الخطوة" in chat.said
    assert chat.last[-1].ask_contact


# ---- unsure, and no answer -----------------------------------------------------------


async def test_when_unsure_the_best_topics_are_offered_as_buttons(chat: Chat) -> None:
    await chat.command("start")
    await chat.text(UNSURE)
    offered = topic_ids(chat)
    assert 2 <= len(offered) <= 3 and "tawasul_duration" in offered
    assert "لست متأكدًا" in chat.said
    await chat.tap("kb:tawasul_duration")
    assert "٧ أيام عمل" in chat.last[0].text
    assert chat.choice_ids[:2] == ["ind", "est"]


async def test_unsure_mid_request_the_step_still_takes_its_answer(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_identity(chat)
    await chat.text(UNSURE)
    assert len(topic_ids(chat)) >= 2
    await chat.text(RESIDENT)  # the person goes on with the request instead
    assert chat.last[-1].ask_contact
    await _finish(chat)
    assert gateway.submissions[0].identity_number == RESIDENT


async def test_a_question_it_cannot_answer_is_said_honestly_with_the_way_to_file(
    chat: Chat,
) -> None:
    await chat.command("start")
    await chat.text(UNKNOWN)
    assert "ليس لدي جواب" in chat.last[0].text
    # filing a request starts here, and the frequently asked questions are one tap away
    assert chat.choice_ids[:2] == ["ind", "est"] and "faq" in chat.choice_ids


async def test_mid_request_an_unanswerable_question_keeps_the_step(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text("هل يمكن أن أكتب رقم جواز السفر بدل الهوية؟")
    assert "ليس لدي جواب" in chat.last[0].text
    assert "وصف الطلب" in chat.last[0].text
    assert "رقم هويتك" in chat.last[-1].text  # the identity step, asked again


async def test_in_english_an_unanswerable_question_says_so(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("English")
    await chat.text("what is the price of a flight ticket to Riyadh?")
    assert "I don't have an answer to that question" in chat.last[0].text
    assert chat.choice_ids[:2] == ["ind", "est"]


async def test_an_arabizi_question_mid_request_is_answered_and_the_step_kept(
    chat: Chat,
) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.text("kam el gharama 3ala ta2kheer el iqama?")
    assert "٥٠٠ ريال" in chat.last[0].text
    assert chat.last[-1].ask_contact
