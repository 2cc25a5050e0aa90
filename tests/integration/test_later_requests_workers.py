"""The request a first message named beside the one filed, over two workers: «ابي اجدد
اقامتي واقامة زوجتي» files the writer's own, its confirmation offers the wife's
(«الطلب التالي»), and that button, pressed on the other worker, starts it for a family
member; both are filed in SQL as the person said (session 20's new-user probe: the wife
was never mentioned again after the receipt). On real parts: the shared Redis dialogue
store and the requests in SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.events import Command, Contact, Media
from tests.integration.test_their_say import USER, Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def _from_location(person: Person, number: str, photo: str) -> str:
    """Files the request from «أين صاحب الإقامة الآن؟», each turn on the other worker;
    returns the confirmation's text."""
    await person.taps("q:inside", worker=0)
    said = await person.says(number, worker=1)
    assert "رقم جوالك" in said[-1].text, said[-1].text
    await person.send(Contact(person.origin(), "+966501234567", True), worker=0)
    await person.says("انتهت الإقامة وأحتاج إلى تجديدها قبل السفر", worker=1)
    media = Media(person.origin(), "photo", photo, "image/jpeg", 1000, None, photo[-1] * 64)
    await person.send(media, worker=0)
    await person.taps("done", worker=1)
    said = await person.taps("confirm", worker=0)
    return "\n".join(r.text for r in said)


async def test_the_wifes_request_follows_over_two_workers(
    person: Person, desk: StaffDesk, filing: SqlRequestGateway
) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("ind", worker=1)
    said = await person.says("ابي اجدد اقامتي واقامة زوجتي", worker=0)
    assert "نبدأ بطلبك أنت" in "\n".join(r.text for r in said)
    await person.taps("s:iqama_renew", worker=1)
    text = await _from_location(person, "2000000006", "file-a")
    assert "لفرد أسرتك الذي ذكرته" in text, text
    said = await person.taps("next_request", worker=1)
    text = "\n".join(r.text for r in said)
    assert "«تابع لي أو مكفول لدي»" in text and "أين صاحب الإقامة الآن؟" in text, text
    await person.taps("q:inside", worker=0)
    said = await person.says("2000000014", worker=1)
    text = "\n".join(r.text for r in said)
    # the mobile number given for the first is used (helper 21: asked again)
    assert "سأستخدم رقم الجوال الذي شاركته سابقًا" in text, text
    await person.says("انتهت الإقامة وأحتاج إلى تجديدها قبل السفر", worker=0)
    media = Media(person.origin(), "photo", "file-b", "image/jpeg", 1000, None, "b" * 64)
    await person.send(media, worker=1)
    await person.taps("done", worker=0)
    said = await person.taps("confirm", worker=1)
    text = "\n".join(r.text for r in said)
    assert "تم استلام طلبك" in text and "الطلب التالي" not in text, text
    filed = await filing.list_for_account("telegram", USER)
    records = [await desk.find(r.number) for r in filed]
    whom = sorted(r.eligibility["for_whom"] for r in records if r is not None)
    assert whom == ["family", "self"], whom


async def test_an_establishments_next_worker_over_two_workers(
    person: Person, filing: SqlRequestGateway
) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("est", worker=1)
    said = await person.says("ابي اجدد اقامة عمالي الثلاثة", worker=0)
    assert "كل طلب هنا لعامل واحد" in "\n".join(r.text for r in said)
    await person.taps("s:iqama_renew", worker=1)
    await person.taps("q:inside", worker=0)
    await person.says("7001234567", worker=1)
    await person.says("2000000006", worker=0)
    await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    await person.says("انتهت إقامة العامل ونحتاج إلى تجديدها", worker=0)
    media = Media(person.origin(), "photo", "file-w", "image/jpeg", 1000, None, "9" * 64)
    await person.send(media, worker=1)
    await person.taps("done", worker=0)
    said = await person.taps("confirm", worker=1)
    text = "\n".join(r.text for r in said)
    assert "لعامل آخر من العمال الذين ذكرتهم" in text, text
    said = await person.taps("next_request", worker=0)
    text = "\n".join(r.text for r in said)
    assert "بصفة منشأة" in text and "أين صاحب الإقامة الآن؟" in text, text
    said = await person.taps("q:inside", worker=1)  # the establishment's number kept
    text = "\n".join(r.text for r in said)
    assert "سأستخدم رقم المنشأة الذي أرسلته سابقًا" in text and "رقم العامل" in text, text
    (filed,) = await filing.list_for_account("telegram", USER)
    assert filed.applicant_kind == "establishment"


async def test_the_next_request_survives_reopening_over_two_workers(person: Person) -> None:
    """Helper 21 (§14): after the receipt, the chat opened again showed the first
    question alone. The offer lives in the dialogue state: reopened on the other worker,
    it is there, and «الطلب التالي» typed on the first starts the wife's request."""
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("ind", worker=1)
    await person.says("ابي اجدد اقامتي واقامة زوجتي", worker=0)
    await person.taps("s:iqama_renew", worker=1)
    await _from_location(person, "2000000006", "file-a")
    said = await person.send(Command(person.origin(), "resume", ""), worker=1)
    text = "\n".join(r.text for r in said)
    assert "لفرد أسرتك الذي ذكرته" in text and "next_request" in [c.id for c in said[-1].choices]
    said = await person.says("الطلب التالي", worker=0)
    text = "\n".join(r.text for r in said)
    assert "«تابع لي أو مكفول لدي»" in text and "أين صاحب الإقامة الآن؟" in text, text


async def test_the_next_request_taken_in_words_over_two_workers(person: Person) -> None:
    # helper 235: «ايه» under «الطلب التالي» got «ليس لدي جواب» and the plan was lost;
    # «تمام» first acknowledges the receipt and keeps it
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("ind", worker=1)
    await person.says("ابي اجدد اقامتي وكمان ابي تاشيرة خروج وعودة", worker=0)
    await person.taps("s:iqama_renew", worker=1)
    text = await _from_location(person, "2000000006", "file-a")
    assert "الطلب الآخر الذي ذكرته: «تأشيرة خروج وعودة»" in text, text
    said = await person.says("تمام", worker=1)
    assert "next_request" in [c.id for c in said[-1].choices], said[-1].text
    said = await person.says("ايه", worker=0)
    text = "\n".join(r.text for r in said)
    assert "نبدأ طلبًا جديدًا لخدمة «تأشيرة خروج وعودة» بصفة فرد" in text, text


async def test_a_yes_under_a_plain_receipt_over_two_workers(person: Person) -> None:
    # the lead's probe: a lone «ايه» after the receipt got «ليس لدي جواب عن هذا السؤال»
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("ind", worker=1)
    await person.says("ابي اجدد اقامتي", worker=0)
    await person.taps("s:iqama_renew", worker=1)
    text = await _from_location(person, "2000000006", "file-y")
    assert "تم استلام طلبك" in text, text
    said = await person.says("ايه", worker=1)
    assert "يسعدنا" in said[-1].text and "ليس لدي جواب" not in said[-1].text, said[-1].text
    assert [c.id for c in said[-1].choices][:2] == ["new", "status"]
