"""A photo or file sent before a service is chosen is kept for the request the person
then files (conversations.flows.early_files). Found by the fresh-clone tester: a photo sent
as the very first message was told «لم نحتفظ بها» and dropped."""

from __future__ import annotations

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_intake import DESCRIPTION, PHONE, RESIDENT

KEPT_PHOTO = "احتفظتُ بصورتك لطلبك، وستُحسب ضمن المستندات عندما أطلبها."
ONE_SENT = "أرسلت ملفًا واحدًا لهذا الطلب من قبل، وهو محسوب ضمن المستندات."


def _chat(gateway: MemoryGateway) -> tuple[Chat, Engine]:
    engine = Engine(MemoryStore(), INTAKE, load_catalogue(), gateway)
    return Chat(engine.handle), engine


async def _file_iqama_renewal(chat: Chat, *, chosen: bool = False) -> None:
    """From the first question (or, ``chosen``, the iqama-renewal suggestion) to the
    documents step: the service, its questions, the numbers, the description."""
    if not chosen:
        await chat.tap("ind")
        await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    while any(c.startswith("q:") for c in chat.choice_ids):
        await chat.tap(chat.choice_ids[0])
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    await chat.text(DESCRIPTION)


async def test_a_photo_sent_first_is_filed_with_the_request() -> None:
    gateway = MemoryGateway()
    chat, engine = _chat(gateway)
    # the channel downloads it: a file sent now would be used
    assert await engine.wants_files(chat.channel, chat.user)
    await chat.media(ref="iqama-photo")
    assert chat.last[0].text == KEPT_PHOTO
    assert chat.choice_ids[:2] == ["ind", "est"]  # the first question, asked
    await _file_iqama_renewal(chat)
    # said again at the documents step, where it counts towards the files asked for
    assert ONE_SENT in chat.said and "الآن إرسال صور أو ملفات PDF" in chat.said
    assert "skip" not in chat.choice_ids
    await chat.tap("done")
    assert "يُرجى مراجعة طلبك" in chat.said
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert [a.ref for a in filed.attachments] == ["iqama-photo"]


async def test_a_captioned_photo_sent_first_is_kept_and_its_words_read() -> None:
    """«ابي اجدد اقامتي وهذي صورتها» with a photo: the photo kept, the words read as typed
    (the iqama-renewal suggestion), and both end up in the request."""
    gateway = MemoryGateway()
    chat, _engine = _chat(gateway)
    await chat.media(ref="iqama-photo", caption="ابي اجدد اقامتي وهذي صورتها")
    assert KEPT_PHOTO in chat.said
    assert chat.choice_ids[0] == "s:iqama_renew"
    await _file_iqama_renewal(chat, chosen=True)
    await chat.media(ref="passport-photo")
    assert chat.said.startswith("وصلتني الصورة.")
    await chat.tap("done")
    assert "المرفقات: ملفان" in chat.said
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert [a.ref for a in filed.attachments] == ["iqama-photo", "passport-photo"]


async def test_an_album_at_the_service_question_is_told_once_and_kept_whole() -> None:
    gateway = MemoryGateway()
    chat, engine = _chat(gateway)
    await chat.command("start")
    await chat.tap("ind")
    assert await engine.wants_files(chat.channel, chat.user)
    first = await chat.media(ref="a", album="g1")
    said = "\n".join(r.text for r in first)
    assert "احتفظتُ بملفاتك لطلبك" in said and "ما الخدمة المطلوبة" in said
    assert await chat.media(ref="b", album="g1") == []
    await chat.text("ابي اجدد اقامتي")
    await _file_iqama_renewal(chat, chosen=True)
    assert "أرسلت ملفين لهذا الطلب من قبل" in chat.said
    await chat.tap("done")
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert [a.ref for a in filed.attachments] == ["a", "b"]


async def test_the_same_photo_twice_is_kept_once_and_one_too_large_is_said() -> None:
    chat, _engine = _chat(MemoryGateway())
    await chat.command("start")
    await chat.media(ref="p", content=b"same")
    await chat.media(ref="p", content=b"same")
    assert chat.said.startswith("أرسلت هذه الصورة من قبل، ونحتفظ بها مرة واحدة لطلبك.")
    await chat.media(kind="document", mime="application/pdf", size=500_000_000)
    assert "احتفظتُ" not in chat.said
    await _file_iqama_renewal(chat)
    assert ONE_SENT in chat.said


async def test_cancel_asks_before_dropping_a_kept_photo_and_english_says_so() -> None:
    chat, _engine = _chat(MemoryGateway())
    await chat.command("start")
    await chat.text("English")
    await chat.media()
    assert "I have kept your photo for your request" in chat.said
    await chat.text("cancel")
    # the photo is the person's data: not thrown away without asking
    assert "discard" in chat.choice_ids


async def test_a_photo_after_filing_is_still_not_kept() -> None:
    """After a request is filed, a photo is not taken for a new one (it may be meant for
    the one just filed): said so, as before."""
    gateway = MemoryGateway()
    chat, engine = _chat(gateway)
    await chat.command("start")
    await _file_iqama_renewal(chat)
    await chat.media(ref="p1")
    await chat.tap("done")
    await chat.tap("confirm")
    assert not await engine.wants_files(chat.channel, chat.user)
    await chat.media(ref="late")
    assert "لم تُضَف إلى أي طلب" in chat.said


async def test_files_sent_after_the_service_is_chosen_before_the_description_are_kept() -> None:
    """Found by the fresh-clone tester: a photo sent at the identity number's step (the
    service chosen, the description not reached) was answered «لم نحتفظ بها... أرسلها عندما
    نطلب منك المستندات» and dropped. Kept at the service's question, the identity number's
    step and the phone step alike, said so above the same question, counted at the
    documents step and filed with the request."""
    gateway = MemoryGateway()
    chat, engine = _chat(gateway)
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    assert any(c.startswith("q:") for c in chat.choice_ids)
    question = chat.choice_ids
    assert await engine.wants_files(chat.channel, chat.user)
    await chat.media(ref="at-question")
    assert chat.last[0].text.startswith(KEPT_PHOTO)
    assert chat.choice_ids == question  # the same question, asked again
    while any(c.startswith("q:") for c in chat.choice_ids):
        await chat.tap(chat.choice_ids[0])
    assert "رقم هوي" in chat.said
    assert await engine.wants_files(chat.channel, chat.user)
    await chat.media(kind="document", mime="application/pdf", ref="at-identity")
    assert chat.last[0].text.startswith("احتفظتُ بملفك لطلبك")
    assert "لم نحتفظ" not in chat.said and "رقم هوي" in chat.said
    await chat.text(RESIDENT)  # the step is still the identity number's
    assert "رقم جوالك" in chat.said
    await chat.media(ref="at-phone")
    assert chat.last[0].text.startswith(KEPT_PHOTO) and "رقم جوالك" in chat.said
    await chat.contact(PHONE)
    await chat.text(DESCRIPTION)
    assert "أرسلت ٣ ملفات لهذا الطلب من قبل" in chat.said
    await chat.tap("done")
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert [a.ref for a in filed.attachments] == ["at-question", "at-identity", "at-phone"]


async def test_a_file_past_ten_before_the_documents_step_does_not_say_press_done() -> None:
    """Found by tester 13 (§7): past ten files at the first question and at the identity
    number's step, «أرسلت ١٠ ملفات، وهو الحد الأقصى للطلب الواحد. اضغط «تم» للمتابعة.»,
    though there is no «تم» there («تم» typed at the number step got «يجب أن يتكون الرقم
    من أرقام فقط»). Now: the ten are kept and count as the documents, then the question."""
    gateway = MemoryGateway()
    chat, _engine = _chat(gateway)
    await chat.command("start")
    for n in range(10):
        await chat.media(ref=f"p{n}")
    await chat.media(ref="p10")
    assert "«تم»" not in chat.said and "تم»" not in chat.said
    assert "احتفظتُ بـ١٠ ملفات" in chat.said and "ستُحسب ضمن المستندات" in chat.said
    assert chat.choice_ids[:2] == ["ind", "est"]  # the first question, asked again
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    while any(c.startswith("q:") for c in chat.choice_ids):
        await chat.tap(chat.choice_ids[0])
    await chat.media(ref="p11")
    assert "«تم»" not in chat.said and "احتفظتُ بـ١٠ ملفات" in chat.said
    assert "رقم هوي" in chat.said  # the identity number's question follows
