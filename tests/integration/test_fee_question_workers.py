"""A fee no seed gives, asked at the first question over two workers: «كم رسوم الخروج
والعودة» is told the amount is not in the sources, naming the service, with «تقديم طلب
الآن» for it, which the other worker takes (session 18's faults list: only «ليس لدي جواب
عن هذا السؤال», and no offer). On real parts: the shared Redis dialogue store and SQL
(SQLite and PostgreSQL)."""

from __future__ import annotations

from conversations.events import Command, Contact
from tests.integration.test_their_say import Person, _half_filled
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_a_fee_question_is_answered_honestly_and_the_offer_kept_over_two_workers(
    person: Person,
) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says("كم رسوم الخروج والعودة", worker=1)
    assert "مبلغ رسوم «تأشيرة خروج وعودة» لا تذكره المصادر" in said[0].text, said[0].text
    assert "file:exit_reentry_visa" in [c.id for c in said[-1].choices]
    said = await person.taps("file:exit_reentry_visa", worker=0)
    assert "لمن هذا الطلب؟" in said[-1].text, said[-1].text


async def test_a_fee_question_mid_request_loses_nothing_over_two_workers(person: Person) -> None:
    await _half_filled(person)  # at the phone step, on worker 0
    said = await person.says("كم رسوم الخروج والعودة؟", worker=1)
    text = "\n".join(r.text for r in said)
    assert "مبلغ رسوم «تأشيرة خروج وعودة» لا تذكره المصادر" in text, text
    # another service's than this request's: asked once it is sent (session 20's probe)
    assert "في وصف الطلب" not in text and "في طلب من نوع «أخرى»" in text, text
    assert "والآن نعود إلى الطلب الذي بدأت تعبئته" in text, text
    assert "رقم جوالك" in said[-1].text, said[-1].text  # the step's question again
    said = await person.send(Contact(person.origin(), "+966501234567", True), worker=0)
    assert "يُرجى وصف طلبك" in said[-1].text, said[-1].text


async def test_a_fee_question_sent_to_the_officers_keeps_its_words_over_two_workers(
    person: Person,
) -> None:
    # session 20's new-user probe: the honest line was a dead end; «سؤال موظف الجوازات»
    # files the question as an inquiry («أخرى»), its words offered as the description
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says("كم رسوم الخروج والعودة", worker=1)
    assert "file:other" in [c.id for c in said[-1].choices]
    said = await person.taps("file:other", worker=0)
    assert "احتفظتُ بسؤالك" in "\n".join(r.text for r in said)
    await person.says("2000000006", worker=1)
    said = await person.send(Contact(person.origin(), "+966501234567", True), worker=0)
    text = "\n".join(r.text for r in said)
    assert "كم رسوم الخروج والعودة" in text, text
    assert "keep_description" in [c.id for c in said[-1].choices], text


async def test_the_fee_of_the_request_being_filled_in_over_two_workers(person: Person) -> None:
    """Helper 22 (§1): «كم الرسوم؟» in an iqama renewal was answered about «خدمات
    التابعين». It is the iqama's fees answer (the late-renewal fines of seed 004), and
    the other worker takes the step's answer."""
    await _half_filled(person)  # an iqama renewal at the phone step, on worker 0
    said = await person.says("كم الرسوم؟", worker=1)
    text = "\n".join(r.text for r in said)
    assert "٥٠٠ ريال" in text and "خدمات التابعين" not in text, text
    assert "رقم جوالك" in said[-1].text, said[-1].text
    said = await person.send(Contact(person.origin(), "+966501234567", True), worker=0)
    said = await person.says("كم الرسوم", worker=1)  # at the description step
    text = "\n".join(r.text for r in said)
    assert "٥٠٠ ريال" in text and "أضفه إلى وصفي" not in text, text
    said = await person.says("اقامتي انتهت قبل اسبوع وابي اجددها", worker=0)
    assert "للمستندات التالية" in said[-1].text, said[-1].text  # the description, kept


async def test_a_fee_question_with_a_doubled_letter_over_two_workers(person: Person) -> None:
    # helper 22's recheck: «كم الرسووم» got «ليس لدي جواب عن هذا السؤال»
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says("كم الرسووم", worker=1)
    assert "رسوم أيّ خدمة؟" in said[0].text, said[0].text
    said = await person.says("كم رسوم تجديد الاقاامة", worker=0)
    assert "٥٠٠ ريال" in "\n".join(r.text for r in said), said


async def test_a_shared_word_asks_which_fee_over_two_workers(person: Person) -> None:
    # helper 23: «بكم التجديد» was answered about the passport's renewal
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says("بكم التجديد", worker=1)
    assert "رسوم أيّ خدمة؟" in said[0].text, said[0].text


async def test_fees_asked_in_words_ask_which_then_the_status_over_two_workers(
    person: Person,
) -> None:
    # «ابي استفسر عن الرسوم» was offered «خدمات التابعين»; «ابي استفسر عن طلبي» was
    # asked «أيّها المقصود: «حالة طلبي» أو «أسئلة شائعة»؟»
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says("ابي استفسر عن الرسوم", worker=1)
    assert "رسوم أيّ خدمة؟" in said[0].text, said[0].text
    said = await person.says("ابي استفسر عن طلبي", worker=0)
    assert "يُرجى كتابة رقم الطلب" in said[-1].text, said[-1].text


async def test_the_service_named_after_which_fee_gets_its_fee_over_two_workers(
    person: Person,
) -> None:
    # session 26's probe: «تجديد الاقامة» under «رسوم أيّ خدمة؟» started a request; the
    # question asked is known to the other worker (the turn's id, in the dialogue state)
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says("كم الرسوم", worker=1)
    assert "رسوم أيّ خدمة؟" in said[0].text, said[0].text
    said = await person.says("تجديد الاقامة", worker=0)
    text = "\n".join(r.text for r in said)
    assert "٥٠٠ ريال" in text and "هل هذه هي الخدمة المطلوبة؟" not in text, text
    said = await person.taps("file:iqama_renew", worker=1)
    assert "لمن هذا الطلب؟" in said[-1].text, said[-1].text


async def test_which_fee_answered_by_an_object_or_among_services_over_two_workers(
    person: Person,
) -> None:
    # helper 26: «الاقامه» under «رسوم أيّ خدمة؟» started a request; among the services
    # offered, «خروج وعوده» was told to go in a description
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.says("كم الرسوم؟", worker=1)
    said = await person.says("الاقامه", worker=0)
    assert "٥٠٠ ريال" in "\n".join(r.text for r in said), said
    await person.taps("ind", worker=1)
    await person.says("ابي اجدد", worker=0)
    await person.says("كم الرسوم", worker=1)
    said = await person.says("خروج وعوده", worker=0)
    text = "\n".join(r.text for r in said)
    assert "«تأشيرة خروج وعودة» لا تذكره المصادر" in text and "وصف الطلب" not in text, text


async def test_which_fee_answered_by_an_offered_label_over_two_workers(person: Person) -> None:
    # helper 233's recheck: the offered service's label under «رسوم أيّ خدمة؟» chose it
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("ind", worker=1)
    await person.says("ابي خروج وعودة او تجديد اقامة", worker=0)
    await person.says("كم الرسوم", worker=1)
    said = await person.says("خروج وعوده", worker=0)
    text = "\n".join(r.text for r in said)
    assert "«تأشيرة خروج وعودة» لا تذكره المصادر" in text, text
    assert "s:exit_reentry_visa" in [c.id for c in said[-1].choices], text
    said = await person.taps("s:exit_reentry_visa", worker=1)
    assert "لمن هذا الطلب؟" in said[-1].text, said[-1].text


async def test_which_fee_answered_by_a_place_over_two_workers(person: Person) -> None:
    # helper 235: «الاول» under «رسوم أيّ خدمة؟» priced the citizens' passport («أول جواز»)
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("ind", worker=1)
    await person.taps("g:residency", worker=0)
    await person.says("كم الرسوم", worker=1)
    said = await person.says("الاول", worker=0)
    text = "\n".join(r.text for r in said)
    assert "٥٠٠ ريال" in text and "جواز سفر" not in text, text
    said = await person.says("الاول", worker=1)  # a turn later: the place chooses it
    assert "هذا الطلب" in said[-1].text, said[-1].text


async def test_a_fee_joined_by_wa_to_a_need_over_two_workers(person: Person) -> None:
    # helper 235: «ابي اجدد اقامتي وكم الرسوم» was read as the need only
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says("ابي اجدد اقامتي وكم الرسوم", worker=1)
    text = "\n".join(r.text for r in said)
    assert "٥٠٠ ريال" in text and "file:iqama_renew" in [c.id for c in said[-1].choices], text
    said = await person.taps("file:iqama_renew", worker=0)
    assert said[-1].text.endswith("أين أنت الآن؟"), said[-1].text  # «اقامتي»: for the writer
