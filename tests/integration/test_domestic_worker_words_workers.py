"""A domestic worker named with no word of absence over two workers: «عندي سائق خاص ابي
اجدد اقامته» is offered the iqama's renewal, not «بلاغات التغيب عن العمل» (session 20's
new-user probe: a report against the driver was offered on «السواق» alone), and choosing
it on the other worker goes on; «السواق هرب» still names the report. On real parts: the
shared Redis dialogue store and SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from conversations.events import Command
from tests.integration.test_their_say import Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_the_drivers_iqama_is_no_absence_report_over_two_workers(person: Person) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("ind", worker=1)
    said = await person.says("عندي سائق خاص ابي اجدد اقامته", worker=0)
    offered = [c.id for c in said[-1].choices if c.id.startswith("s:")]
    assert offered == ["s:iqama_renew"], offered
    said = await person.taps("s:iqama_renew", worker=1)
    assert "أين صاحب الإقامة الآن؟" in said[-1].text, said[-1].text

    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("discard", worker=1)
    await person.taps("ind", worker=0)
    said = await person.says("السواق هرب", worker=1)  # a word of absence: the report
    offered = [c.id for c in said[-1].choices if c.id.startswith("s:")]
    assert offered == ["s:absence_report"], offered


async def test_for_the_maid_is_a_sponsored_persons_over_two_workers(person: Person) -> None:
    # helper 21: «ابي خروج نهائي للشغالة» was asked «لمن هذا الطلب؟»
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("ind", worker=1)
    await person.says("ابي خروج نهائي للشغالة", worker=0)
    said = await person.taps("s:final_exit_visa", worker=1)
    text = "\n".join(r.text for r in said)
    assert "«تابع لي أو مكفول لدي»" in text and "رقم هوية صاحب الطلب" in text, text
