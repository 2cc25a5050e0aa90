"""Words at the number steps over two workers, on the shared Redis and SQL (SQLite and
PostgreSQL): a visit visa's summary offers «تعديل رقم الحدود» (helper 25's probe: it offered
«تعديل رقم الهوية» for a border number), and a household's worker named at an
establishment's worker number is told that an individual files it."""

from __future__ import annotations

from conversations.events import Command, Contact, Media
from tests.integration.test_their_say import Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_the_border_number_is_changed_by_its_name_over_two_workers(person: Person) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("ind", worker=1)
    await person.says("ابي تمديد تأشيرة الزيارة", worker=0)
    await person.taps("s:visit_visa_extension", worker=1)
    await person.taps("q:syrian", worker=0)
    await person.says("3000000000", worker=1)
    await person.send(Contact(person.origin(), "+966501234567", True), worker=0)
    await person.says("ابي امدد زيارة ابوي لانها بتخلص الاسبوع الجاي", worker=1)
    photo = Media(person.origin(), "photo", "f-1", "image/jpeg", 50_000, None, "c" * 64)
    await person.send(photo, worker=0)
    said = await person.taps("done", worker=1)
    labels = {c.id: c.label for c in said[-1].choices}
    assert labels.get("e:id") == "تعديل رقم الحدود", labels
    said = await person.says("تعديل رقم الحدود", worker=0)
    assert "رقم حدود (يبدأ بـ٣)" in said[-1].text, said[-1].text


async def test_a_household_worker_at_the_workers_number_over_two_workers(person: Person) -> None:
    # helper 25: «عامل منزلي» got «يجب أن يتكون الرقم من أرقام فقط»
    await _establishment_chose(person, "أبي أجدد إقامة العامل", "iqama_renew")
    await person.taps("q:inside", worker=0)
    said = await person.says("7000000000", worker=1)
    assert "رقم العامل" in said[-1].text, said[-1].text
    said = await person.says("عامل منزلي", worker=0)
    text = "\n".join(r.text for r in said)
    assert "يُقدَّم طلبه بصفة فرد" in text and "أرقام فقط" not in text, text
    said = await person.says("2000000006", worker=1)  # a worker of the establishment after all
    assert "رقم جوالك" in said[-1].text, said[-1].text


async def test_a_new_workers_iqama_is_offered_not_looked_up_over_two_workers(
    person: Person,
) -> None:
    # helper 26: «لعامل» read as «معامل» (a transaction): asked for a request number
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("est", worker=1)
    said = await person.says("ابي اصدر اقامة لعامل جديد وصل", worker=0)
    assert "s:iqama_issue" in [c.id for c in said[-1].choices], said[-1].text
    said = await person.taps("s:iqama_issue", worker=1)
    assert "رقم الطلب" not in said[-1].text, said[-1].text


async def test_the_unified_number_at_a_question_is_kept_over_two_workers(person: Person) -> None:
    # helper 26: the unified number typed at «أين صاحب الإقامة الآن؟» got «لم أفهم»
    await _establishment_chose(person, "أبي أجدد إقامة العامل", "iqama_renew")
    said = await person.says("7000000000", worker=0)
    assert "احتفظتُ برقم المنشأة" in said[-1].text, said[-1].text
    said = await person.taps("q:inside", worker=1)
    assert "رقم العامل" in said[-1].text, said[-1].text


async def test_a_household_worker_is_filed_as_an_individual_by_one_tap_over_two_workers(
    person: Person,
) -> None:
    # helper 26: the way from «منشأة» to «فرد» was three «رجوع» and the service again
    await _establishment_chose(person, "ابي خروج نهائي للعامل المنزلي", "final_exit_visa")
    said = await person.says("ما عندي رقم موحد، هي عاملة منزلية", worker=0)
    assert "as_individual" in [c.id for c in said[-1].choices], said[-1].text
    said = await person.taps("as_individual", worker=1)
    text = "\n".join(r.text for r in said)
    assert "«تأشيرة خروج نهائي» مقدَّمًا بصفة فرد" in text and "لمن هذا الطلب؟" in text, text
    said = await person.taps("q:family", worker=0)  # her sponsor files for her
    assert "رقم" in said[-1].text and "الرقم الموحد" not in said[-1].text, said[-1].text


async def test_a_registration_and_a_question_at_the_unified_number_over_two_workers(
    person: Person,
) -> None:
    # helper 233: «السجل التجاري ١٠١٠…» was told it looks like a national ID, «وش الرقم
    # الموحد؟» got «ليس لدي جواب»
    await _establishment_chose(person, "أبي أجدد إقامة العامل", "iqama_renew")
    said = await person.taps("q:inside", worker=0)
    assert "الرقم الموحد للمنشأة" in said[-1].text, said[-1].text
    said = await person.says("السجل التجاري ١٠١٠١٢٣٤٥٦", worker=1)
    text = "\n".join(r.text for r in said)
    assert "رقم السجل التجاري غير الرقم الموحد" in text and "هوية وطنية" not in text, text
    said = await person.says("وش الرقم الموحد؟", worker=0)
    text = "\n".join(r.text for r in said)
    assert "من ١٠ أرقام ويبدأ بـ٧" in text and "ليس لدي جواب" not in text, text
    said = await person.says("7000000000", worker=1)
    assert "رقم العامل" in said[-1].text, said[-1].text


async def test_a_unified_number_beside_the_registration_is_taken_over_two_workers(
    person: Person,
) -> None:
    # «رقم سجل المنشأة 7001234567» was refused as a registration, its number dropped
    await _establishment_chose(person, "أبي أجدد إقامة العامل", "iqama_renew")
    await person.taps("q:inside", worker=1)
    said = await person.says("رقم سجل المنشأة 7001234567", worker=0)
    text = "\n".join(r.text for r in said)
    assert "رقم العامل" in said[-1].text and "غير الرقم الموحد" not in text, text
    said = await person.says("2000000006", worker=1)
    assert "رقم جوالك" in said[-1].text, said[-1].text


async def _establishment_chose(person: Person, need: str, service: str) -> None:
    """/start and «منشأة» on the two workers in turn, ``need`` typed and ``service`` chosen."""
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("est", worker=1)
    await person.says(need, worker=0)
    await person.taps(f"s:{service}", worker=1)
