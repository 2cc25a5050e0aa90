"""Every service with documents takes the same rule at «Done»: one file at least, then the
required documents no file seems to show are named, and the person chooses to add them or
send (the catalogue's min_attachments; the seeds ask for the required documents as proof
but attached «إن وجدت», never a number of files).

Found by the fresh-clone tester: with one photo, the visit-visa extension and a child's
passport were refused («Please send at least 2 documents») where the iqama renewal, with
three required documents too, went on with the missing ones named."""

from __future__ import annotations

import pytest

from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway
from .test_intake import CITIZEN, PHONE, _to_attachments

BORDER = "3012345678"


async def _child_passport(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي جواز لولدي")
    await chat.tap("s:passport_issue")
    await chat.tap("q:family")
    await chat.text(CITIZEN)
    await chat.contact(PHONE)
    await chat.text("أحتاج جوازًا لابني الصغير قبل السفر الشهر القادم")


async def _visit_visa(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("تمديد تأشيرة زيارة")
    await chat.tap("s:visit_visa_extension")
    await chat.tap("q:syrian")
    while any(c.startswith("q:") for c in chat.choice_ids):
        await chat.tap(chat.choice_ids[0])
    await chat.text(BORDER)
    await chat.contact(PHONE)
    await chat.text("أريد تمديد زيارة والدتي السورية شهرًا آخر للعلاج")


WALKS = {
    "iqama_renew": _to_attachments,
    "passport_issue": _child_passport,
    "visit_visa_extension": _visit_visa,
}


@pytest.mark.parametrize("service", list(WALKS))
async def test_one_file_goes_on_with_the_missing_documents_named(
    chat: Chat, gateway: MemoryGateway, service: str
) -> None:
    await WALKS[service](chat)
    assert "PDF" in chat.said, chat.said  # at the documents step
    await chat.tap("done")  # nothing sent: a file is needed, for every service
    assert "مستند واحد على الأقل" in chat.said
    await chat.media(ref="p1")
    await chat.tap("done")
    assert "مستندين على الأقل" not in chat.said
    assert "أرسلت ملفًا واحدًا" in chat.said  # the missing documents named
    assert "يُرجى مراجعة طلبك" in chat.said and "e:more" in chat.choice_ids
    await chat.tap("confirm")
    [filed] = gateway.submissions
    assert filed.service_id == service and [a.ref for a in filed.attachments] == ["p1"]


def test_every_service_with_documents_asks_for_one_file_at_least() -> None:
    catalogue = load_catalogue()
    minimums = {s.id: s.min_attachments for s in catalogue.services}
    assert minimums.pop("other") == 0
    assert set(minimums.values()) == {1}
