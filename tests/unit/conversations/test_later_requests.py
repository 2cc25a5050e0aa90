"""The requests a first message named beside the one filed are offered once it is filed.
Session 20's new-user probe: «ابي اجدد اقامتي واقامة زوجتي» was told «بعد إرساله يمكنك
تقديم طلب لكل فرد من أسرتك», and after the receipt only «طلب جديد» and «حالة طلبي» came:
the wife was never mentioned again."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore
from .status_views import MINE, _view
from .test_intake import PHONE, RESIDENT

FAMILY_LINE = "يمكنك الآن تقديم طلب «تجديد هوية مقيم» لفرد أسرتك الذي ذكرته"


def _chat() -> tuple[Chat, MemoryGateway]:
    gateway = MemoryGateway()
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle), gateway


async def _file_from_location(
    chat: Chat, number: str = RESIDENT, words: str = "انتهت الإقامة وأحتاج إلى تجديدها قبل السفر"
) -> None:
    await chat.tap("q:inside")
    await chat.text(number)
    await chat.contact(PHONE)
    await chat.text(words)
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")


async def _filed_first(chat: Chat, words: str) -> None:
    """``words`` as the need, its iqama renewal filed (the writer's own, inside)."""
    await chat.command("start")
    await chat.tap("ind")
    await chat.text(words)
    await chat.tap("s:iqama_renew")
    await _file_from_location(chat)


async def test_the_wifes_request_is_offered_after_the_receipt_and_filed() -> None:
    chat, gateway = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي واقامة زوجتي")
    assert "نبدأ بطلبك أنت" in chat.said
    await chat.tap("s:iqama_renew")
    await _file_from_location(chat)
    assert "تم استلام طلبك" in chat.said, chat.said
    assert FAMILY_LINE in chat.said and "«الطلب التالي»" in chat.said, chat.said
    assert chat.choice_ids[0] == "next_request", chat.choice_ids
    await chat.text("الطلب التالي")  # typed as the button reads
    said = chat.said
    # the same service, for a family member, straight to the next question
    assert "«تابع لي أو مكفول لدي»" in said and "أين صاحب الإقامة الآن؟" in said, said
    await chat.tap("q:inside")
    await chat.text("2000000014")
    # the mobile number given for the first is used, not asked again (helper 21)
    assert "سأستخدم رقم الجوال" in chat.said and "يُرجى وصف طلبك" in chat.said, chat.said
    await chat.text("انتهت الإقامة وأحتاج إلى تجديدها قبل السفر")
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert "تم استلام طلبك" in chat.said, chat.said
    assert "next_request" not in chat.choice_ids and "الطلب التالي" not in chat.said
    filed = list(gateway.submissions)
    assert [s.service_id for s in filed] == ["iqama_renew", "iqama_renew"], filed
    assert [s.eligibility["for_whom"] for s in filed] == ["self", "family"], filed


async def test_the_other_need_is_offered_after_the_first() -> None:
    chat, _gateway = _chat()
    await _filed_first(chat, "ابي اجدد اقامتي وكمان ابي تاشيرة خروج وعودة")
    assert "تم استلام طلبك" in chat.said, chat.said
    said = chat.said
    assert "الطلب الآخر الذي ذكرته: «تأشيرة خروج وعودة»" in said, said
    await chat.tap("next_request")
    said = chat.said
    # the service and who files named, then on, «لمن» kept from the first words
    assert "نبدأ طلبًا جديدًا لخدمة «تأشيرة خروج وعودة» بصفة فرد" in said, said
    assert "«لي أنا»" in said and "سأستخدم رقم الهوية الذي أرسلته سابقًا" in said, said
    assert "سأستخدم رقم الجوال" in said and "يُرجى وصف طلبك" in said, said  # both kept


@pytest.mark.parametrize(
    "typed", ["ايه", "نعم", "ابي الطلب الثاني", "التالي", "خروج وعودة", "ابي تاشيرة خروج وعودة"]
)
async def test_the_next_request_taken_in_words(typed: str) -> None:
    # helper 235: «ايه» got «ليس لدي جواب», «ابي الطلب الثاني» was option 2 («طلب جديد»),
    # and the service named was offered as a new one: the plan lost each time
    chat, gateway = _chat()
    await _filed_first(chat, "ابي اجدد اقامتي وكمان ابي تاشيرة خروج وعودة")
    await chat.text(typed)
    said = chat.said
    assert "نبدأ طلبًا جديدًا لخدمة «تأشيرة خروج وعودة» بصفة فرد" in said, said
    assert "يُرجى وصف طلبك" in said and len(gateway.submissions) == 1, said


@pytest.mark.parametrize(("typed", "after"), [("طلب جديد", "ind"), ("2", "ind"), ("تمام", None)])
async def test_other_words_under_the_next_request_are_theirs(typed: str, after: str | None) -> None:
    chat, _gateway = _chat()
    await _filed_first(chat, "ابي اجدد اقامتي وكمان ابي تاشيرة خروج وعودة")
    await chat.text(typed)
    assert "«تأشيرة خروج وعودة» بصفة فرد" not in chat.said, chat.said
    if after is None:
        # «تمام» acknowledges the receipt: its buttons stay, the next request too
        assert "يسعدنا" in chat.said and chat.choice_ids[0] == "next_request", chat.said
    else:
        assert chat.choice_ids[0] == after, chat.choice_ids


async def test_a_new_request_instead_drops_the_offer() -> None:
    chat, _gateway = _chat()
    await _filed_first(chat, "ابي اجدد اقامتي واقامتها")
    assert "تم استلام طلبك" in chat.said, chat.said
    await chat.tap("new")
    await chat.tap("next_request")  # the old button: not a request started
    assert "أين صاحب الإقامة الآن؟" not in chat.said, chat.said


async def test_one_request_named_offers_no_next() -> None:
    chat, _gateway = _chat()
    await _filed_first(chat, "ابي اجدد اقامتي")
    assert "تم استلام طلبك" in chat.said, chat.said
    assert chat.choice_ids[0] == "new" and "الطلب التالي" not in chat.said, chat.said


@pytest.mark.parametrize(
    "typed", ["I want to renew my iqama and hers", "I want to renew my iqama and my wife's iqama"]
)
async def test_in_english(typed: str) -> None:
    chat, _gateway = _chat()
    await chat.text(typed)
    await chat.tap("s:iqama_renew")
    await _file_from_location(
        chat, words="My iqama expired and I need to renew it before travelling"
    )
    said = chat.said
    assert "for the family member you mentioned, with «Next request»" in said, said


async def test_an_establishment_naming_its_workers_is_offered_each_next_worker() -> None:
    # one request a worker, as one a person; how many is not said, so the next is offered
    # after each
    chat, gateway = _chat()
    await chat.command("start")
    await chat.tap("est")
    await chat.text("ابي اجدد اقامة عمالي الثلاثة")
    assert "كل طلب هنا لعامل واحد" in chat.said, chat.said
    await chat.tap("s:iqama_renew")
    for worker in ("2000000006", "2000000014"):
        await chat.tap("q:inside")
        if worker == "2000000006":
            await chat.text("7001234567")
        else:  # the establishment's number goes with the next worker's, said so
            assert "سأستخدم رقم المنشأة الذي أرسلته سابقًا" in chat.said, chat.said
        await chat.text(worker)
        await chat.contact(PHONE)
        await chat.text("انتهت إقامة العامل ونحتاج إلى تجديدها")
        await chat.media()
        await chat.tap("done")
        await chat.tap("confirm")
        said = chat.said
        assert "لعامل آخر من العمال الذين ذكرتهم" in said, said
        await chat.tap("next_request")
        assert "نبدأ طلبًا جديدًا لخدمة «تجديد هوية مقيم» بصفة منشأة" in chat.said, chat.said
    filed = gateway.submissions
    assert [s.applicant_kind for s in filed] == ["establishment", "establishment"], filed
    assert [s.establishment_number for s in filed] == ["7001234567"] * 2, filed


async def test_my_iqama_and_my_kids_starts_with_mine() -> None:
    # helper 21: «ابي اجدد اقامتي واقامة عيالي» said «نبدأ بطلب أحدهم», then filed the
    # writer's own («لي أنا»)
    chat, _gateway = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي واقامة عيالي")
    assert "نبدأ بطلبك أنت" in chat.said and "نبدأ بطلب أحدهم" not in chat.said, chat.said


async def test_the_next_request_is_still_offered_when_the_chat_is_opened_again() -> None:
    """Helper 21 (§14): the terminal chat opened again after the receipt greeted «أهلًا
    بعودتك» with the first question alone; the wife's request was forgotten. It is
    offered there, numbered after the question's own options, on every reopening."""
    chat, gateway = _chat()
    await _filed_first(chat, "ابي اجدد اقامتي واقامة زوجتي")
    for _again in range(2):  # at the receipt, then at the first question shown then
        await chat.command("resume")
        assert chat.said.startswith("أهلًا بعودتك.") and FAMILY_LINE in chat.said, chat.said
        assert chat.choice_ids[:5] == ["ind", "est", "status", "faq", "next_request"]
    await chat.text("5")
    assert "«تابع لي أو مكفول لدي»" in chat.said and "أين صاحب الإقامة الآن؟" in chat.said
    await _file_from_location(chat, "2000000014")
    assert len(gateway.submissions) == 2


async def test_a_status_look_up_between_keeps_the_next_request() -> None:
    # helper 26: after «حالة طلبي» under the receipt, «الطلب التالي» was gone for good
    gateway = MemoryGateway()
    engine = Engine(MemoryStore(), INTAKE, load_catalogue(), gateway, limiter=MemoryLimiter())
    chat = Chat(engine.handle)
    await _filed_first(chat, "ابي اجدد اقامتي وبعدين ابي خروج وعودة")
    assert chat.choice_ids[0] == "next_request", chat.choice_ids
    gateway.views[MINE] = (_view(MINE, "received"), ("test", "u1"), RESIDENT)
    await chat.tap("status")  # the person's only request: its card at once
    assert "next_request" in chat.choice_ids, chat.choice_ids
    await chat.text("الطلب التالي")
    assert "«تأشيرة خروج وعودة»" in chat.said, chat.said
    assert "سأستخدم رقم الهوية الذي أرسلته سابقًا" in chat.said, chat.said


async def test_the_writers_own_next_request_uses_their_identity_number() -> None:
    # helper 233: «ابي اجدد اقامتي وبعدين ابي خروج وعودة» asked for the same iqama number
    # again at «الطلب التالي»
    chat, gateway = _chat()
    await _filed_first(chat, "ابي اجدد اقامتي وبعدين ابي خروج وعودة")
    await chat.tap("next_request")
    assert "سأستخدم رقم الهوية الذي أرسلته سابقًا" in chat.said, chat.said
    assert "يُرجى كتابة رقم هويتك" not in chat.said, chat.said
    assert "يُرجى وصف طلبك" in chat.said, chat.said  # the mobile given before, used too
    await chat.text("أحتاج تأشيرة خروج وعودة للسفر الشهر القادم")
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    first, second = gateway.submissions
    assert (first.service_id, second.service_id) == ("iqama_renew", "exit_reentry_visa")
    assert second.identity_number == first.identity_number == RESIDENT


async def test_a_family_members_next_request_asks_for_their_number() -> None:
    chat, _gateway = _chat()
    await _filed_first(chat, "ابي اجدد اقامتي واقامة زوجتي")
    await chat.tap("next_request")
    await chat.tap("q:inside")
    assert "سأستخدم رقم الهوية" not in chat.said and "رقم هوية" in chat.said, chat.said


@pytest.mark.parametrize("typed", ["ايه", "تمام", "نعم"])
async def test_a_yes_under_a_plain_receipt_is_taken_as_said(typed: str) -> None:
    # the lead's probe (WhatsApp): a lone «ايه» after the receipt got «ليس لدي جواب عن هذا
    # السؤال»; the receipt's buttons stay
    chat, _gateway = _chat()
    await _filed_first(chat, "ابي اجدد اقامتي")
    assert "تم استلام طلبك" in chat.said, chat.said
    await chat.text(typed)
    assert "يسعدنا" in chat.said and "ليس لدي جواب" not in chat.said, chat.said
    assert chat.choice_ids[:2] == ["new", "status"], chat.choice_ids
