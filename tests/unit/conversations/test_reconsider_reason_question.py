"""At «ما سبب طلب إعادة النظر…؟» every text is the reason, a question in it included, as at
the description step. Fresh-clone tester 15 (§2, Telegram): «ارسلت صورة الاقامه والجواز
المنتهي وقلت لكم انه بيتجدد بالسفارة، وش الناقص؟» got the Absher article «تعرف تاريخ انتهاء
إقامتك من منصة أبشر…» and the reason question again; the reason was not kept."""

from __future__ import annotations

import pytest

from .test_reconsider_line import _rejected
from .test_stray_files import NUMBER, SayGateway, _chat

REASONS = [
    "ارسلت صورة الاقامه والجواز المنتهي وقلت لكم انه بيتجدد بالسفارة، وش الناقص؟",
    "ليش رفضتوه؟ الاقامة سارية وكل المستندات مرفقة",
    "كم مرة لازم ارسل الجواز؟ ارسلته مرتين",
]


@pytest.mark.parametrize("reason", REASONS)
async def test_a_reason_with_a_question_in_it_is_the_reason(reason: str) -> None:
    gateway = SayGateway()
    chat = _chat(gateway)
    await chat.command("start")
    await chat.tap(f"recon:{NUMBER}")
    assert "سبب" in chat.said
    await chat.text(reason)
    assert gateway.reasons == [reason], chat.said
    assert "أبشر" not in chat.said


LONG_WISH = "ابي اتظلم، ارسلت صورة الاقامه والجواز وقلت لكم انه بيتجدد بالسفارة"


async def test_a_long_wish_to_reconsider_opens_it_with_the_reason_in_it() -> None:
    """Fresh-clone tester 15 (§2): «ابي اتظلم، <reason>» in one message (past the ten words
    of a wish) started a new draft with the reason as its description and offered
    «تعديل بيانات الجواز»; it opens the reconsideration, the reason kept, sent by «ارسال»."""
    gateway = SayGateway()
    gateway.views[NUMBER] = (_rejected(), ("test", "u1"), "2000000006")
    chat = _chat(gateway)
    await chat.command("start")
    await chat.text(LONG_WISH)
    assert "هل هذه هي الخدمة" not in chat.said and "وصفًا لطلبك" not in chat.said, chat.said
    assert "بيتجدد بالسفارة" in chat.said  # the reason shown back
    await chat.text("ارسال")
    assert len(gateway.reasons) == 1 and "بيتجدد بالسفارة" in gateway.reasons[0]


@pytest.mark.parametrize(
    "complaint",
    [
        "ابي اتظلم على المكتب اللي رفض يستقبلني وانا رايح اجدد جوازي والموظف كان سيء معي",
        "ابي اتظلم من الموظف اللي في فرع الرياض لانه ما رضى يجدد لي الجواز وكان سيء معي",
    ],
)
async def test_a_long_complaint_about_another_matter_is_a_need_not_a_reconsideration(
    complaint: str,
) -> None:
    """Session 15: since 660fb32 a long «ابي اتظلم …» about something other than the
    person's refused request (a branch, an officer) opened their reconsideration with it
    as the reason. It is read as a need: the services it names offered, the words kept as
    the description."""
    gateway = SayGateway()
    gateway.views[NUMBER] = (_rejected(), ("test", "u1"), "2000000006")
    chat = _chat(gateway)
    await chat.command("start")
    await chat.text(complaint)
    said = chat.said
    assert "ما سبب" not in said and "إعادة النظر" not in said, said
    assert "وصفًا لطلبك" in said and "s:passport_renew" in chat.choice_ids
    await chat.text("ارسال")
    assert gateway.reasons == []


@pytest.mark.parametrize(
    "own",
    [
        "ابي اتظلم على رفض طلبي لاني ارسلت كل المستندات المطلوبة وما قصرت بشي ابدا",
        "ابي اتظلم على القرار لان الاوراق كامله والاقامة سارية وارسلت صورة التأمين",
        # review 16 §2: own words the first list did not hold
        "ابي اتظلم على رفضهم لطلبي لاني ارسلت كل المستندات المطلوبة وما قصرت بشي ابدا",
        "ابي اتظلم على معاملتي اللي رفضت لاني ارسلت كل المستندات المطلوبة وما قصرت بشي",
        "ابي اتظلم على عدم قبول طلبي لاني ارسلت كل المستندات المطلوبة وما قصرت بشي",
    ],
)
async def test_a_long_complaint_about_the_rejection_opens_the_reconsideration(own: str) -> None:
    gateway = SayGateway()
    gateway.views[NUMBER] = (_rejected(), ("test", "u1"), "2000000006")
    chat = _chat(gateway)
    await chat.command("start")
    await chat.text(own)
    assert "وصفًا لطلبك" not in chat.said, chat.said
    await chat.text("ارسال")
    assert len(gateway.reasons) == 1


async def test_a_long_message_declining_a_reconsideration_opens_nothing() -> None:
    gateway = SayGateway()
    gateway.views[NUMBER] = (_rejected(), ("test", "u1"), "2000000006")
    chat = _chat(gateway)
    await chat.command("start")
    await chat.text("ما ابي اعادة النظر، بس ابي اعرف ليش رفضتوه لان الاقامة كانت سارية")
    assert "ما سبب" not in chat.said and gateway.reasons == []


async def test_why_was_it_rejected_right_after_a_rejection_offers_the_reconsideration() -> None:
    """Fresh-clone tester 15 (§2): «ليش رفضتوه؟؟ ارسلت كل المستندات» right after the
    rejection got «ليس لدي جواب عن هذا السؤال» and the first menu. The reconsideration is
    offered with the message as its reason; nothing is sent before «ارسال»."""
    gateway = SayGateway()
    gateway.views[NUMBER] = (_rejected(), ("test", "u1"), "2000000006")
    chat = _chat(gateway)
    await chat.command("start")
    await chat.text("ليش رفضتوه؟؟ ارسلت كل المستندات")
    assert "ليس لدي جواب" not in chat.said, chat.said
    assert "ارسلت كل المستندات" in chat.said and gateway.reasons == []
    await chat.text("ارسال")
    assert gateway.reasons == ["ليش رفضتوه؟؟ ارسلت كل المستندات"]


async def test_a_long_complaint_naming_no_service_is_kept_and_the_service_asked() -> None:
    """Session 15: such a complaint that names no service was the reason of the person's
    reconsideration; read as a need it met «يُرجى اختيار واحد من ٤ خيارات» and was lost.
    It is kept for the description, who files asked again, then the service."""
    gateway = SayGateway()
    gateway.views[NUMBER] = (_rejected(), ("test", "u1"), "2000000006")
    chat = _chat(gateway)
    await chat.command("start")
    await chat.text("ابي اتظلم على الموظف اللي في فرع الرياض لانه كان سيء جدا معي وما احترمني")
    said = chat.said
    # who files is asked again: the words say neither (review 16 §3)
    assert "وصفًا لطلبك" in said and "بصفة فرد" in said, said
    assert "يُرجى اختيار واحد" not in said and gateway.reasons == []
    await chat.tap("ind")
    assert "ما الخدمة المطلوبة؟" in chat.said, chat.said


@pytest.mark.parametrize("complaint", ["ابي اتظلم على الموظف", "ابي اتظلم من الموظف اللي في الفرع"])
@pytest.mark.parametrize("rejected", [True, False])
async def test_a_short_complaint_about_an_officer_is_kept(complaint: str, rejected: bool) -> None:
    """Session 16: a complaint of ten words or fewer was taken for a wish to reconsider:
    the person's own refused request opened with it, or «لم يُرفض أيٌّ من طلباتك», the
    words lost. It is kept for the description and who files asked again, as a long one."""
    gateway = SayGateway()
    if rejected:
        gateway.views[NUMBER] = (_rejected(), ("test", "u1"), "2000000006")
    chat = _chat(gateway)
    await chat.command("start")
    await chat.text(complaint)
    said = chat.said
    # who files is asked again: the words say neither (review 16 §3)
    assert "وصفًا لطلبك" in said and "بصفة فرد" in said, said
    # the first menu asked again shows its own line about the refused request
    assert "لم يُرفض" not in said and "ما سبب" not in said, said
    await chat.tap("ind")
    assert "ما الخدمة المطلوبة؟" in chat.said, chat.said
    await chat.text("ارسال")
    assert gateway.reasons == []
