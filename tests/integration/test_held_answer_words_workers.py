"""Words held under «هل رسالتك هي الإجابة عن هذا السؤال؟» join the answer when the person
goes on answering with the file the officer asked for, without tapping «نعم، هذه إجابتي».
Fresh-clone tester 15 (§1, Telegram): «جوازها منتهي هو بعد 😅 بتجدده بالسفارة…» was held,
the passport photo sent, then «ارسل»: the officer got only «يليه ملف جديد واحد» and the
words were nowhere. Two webhook workers on one Redis and one database."""

from __future__ import annotations

from standins.telegram_botapi import fake_file_id
from standins.telegram_updates import TgUser
from tests import samples
from tests.integration.test_db_requests import submission
from tests.integration.test_resident_findings_workers import _say
from tests.integration.test_telegram_webhook import Harness, h
from tests.integration.test_their_say import OFFICER

__all__ = ["h"]

AMAL = TgUser(5_400_000_315, "أمل")
WORDS = "جوازها منتهي هو بعد 😅 بتجدده بالسفارة المصريه بالقاهرة وبرسله لكم"


async def test_held_words_join_the_photo_sent_as_the_answer_over_two_workers(
    h: Harness,
) -> None:
    a, b = await h.worker(), await h.worker()
    filed = await h.services.gateway.submit(submission(user_key=str(AMAL.id)))
    await h.services.desk.ask(filed.number, OFFICER, "فضلًا أرسل صورة جواز ساري المفعول.")
    said = await _say(a, h, AMAL, h.updates.text(AMAL, WORDS))
    assert "هل رسالتك هي الإجابة" in said, said
    data = samples.jpeg(seed=15)
    file_id = fake_file_id("photo")
    h.api.add_file(file_id, data)
    said = await _say(b, h, AMAL, h.updates.photo(AMAL, file_id, file_size=len(data)))
    assert "لم تُرسل بعد" in said, said
    said = await _say(a, h, AMAL, h.updates.text(AMAL, "ارسل"))
    assert "أُضيف ردّك" in said, said
    record = await h.services.desk.find(filed.number)
    assert record is not None
    assert record.events[-1].reason == WORDS
    assert record.attachments[-1].ref == file_id


async def test_more_words_after_held_words_are_added_after_them_over_two_workers(
    h: Harness,
) -> None:
    """Session 16 (fresh users, sessions 14-15): a second message while the first was held
    replaced it; now both are the answer, in the order sent, whichever worker reads each."""
    a, b = await h.worker(), await h.worker()
    filed = await h.services.gateway.submit(submission(user_key=str(AMAL.id)))
    await h.services.desk.ask(filed.number, OFFICER, "متى ينتهي جوازها؟")
    said = await _say(a, h, AMAL, h.updates.text(AMAL, WORDS))
    assert "هل رسالتك هي الإجابة" in said, said
    more = "وينتهي الشهر الجاي"
    said = await _say(b, h, AMAL, h.updates.text(AMAL, more))
    assert "هل رسالتك هي الإجابة" in said, said
    said = await _say(a, h, AMAL, h.updates.text(AMAL, "نعم"))
    assert "لم تُرسل بعد" in said, said
    said = await _say(b, h, AMAL, h.updates.text(AMAL, "ارسل"))
    assert "أُضيف ردّك" in said, said
    record = await h.services.desk.find(filed.number)
    assert record is not None
    assert record.events[-1].reason == f"{WORDS}\n{more}"


async def test_a_thanks_between_held_words_loses_nothing_over_two_workers(h: Harness) -> None:
    """Fresh-clone tester 16: «شكرا» between the held words and more words was answered
    with the step's question; the held words were gone and the officer got the rest alone."""
    a, b = await h.worker(), await h.worker()
    filed = await h.services.gateway.submit(submission(user_key=str(AMAL.id)))
    await h.services.desk.ask(filed.number, OFFICER, "متى ينتهي جوازها؟")
    said = await _say(a, h, AMAL, h.updates.text(AMAL, WORDS))
    assert "هل رسالتك هي الإجابة" in said, said
    said = await _say(b, h, AMAL, h.updates.text(AMAL, "شكرا"))
    assert "هل رسالتك هي الإجابة" in said and "بتجدده" in said, said
    said = await _say(a, h, AMAL, h.updates.text(AMAL, "نعم"))
    assert "لم تُرسل بعد" in said, said
    said = await _say(b, h, AMAL, h.updates.text(AMAL, "ارسل"))
    assert "أُضيف ردّك" in said, said
    record = await h.services.desk.find(filed.number)
    assert record is not None
    assert record.events[-1].reason == WORDS
