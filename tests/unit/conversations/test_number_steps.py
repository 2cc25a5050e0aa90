"""What a resident types at the number steps of a request (the identity, the mobile) is
read as they meant it, or they are told plainly what was not taken, and nothing typed
there is lost: found by the fresh-clone tester at the terminal. Driven through the
channel-neutral engine."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.describe import KEEP

from .fakes import Chat, MemoryGateway, WhatsAppChat
from .test_intake import PHONE, RESIDENT, _to_establishment, _to_identity
from .test_status import plain

#: passes the check digit once the letter is dropped, as the tester's did
LETTERED = "2123456788x"
#: the fresh-clone tester's words at the identity step
EARLY = "لا أستطيع تجديد الإقامة، النظام يعطي خطأ"
DESCRIBED = "انتهت إقامتي ولا أستطيع تجديدها من أبشر"
LETTER_NAMED = "يوجد حرف بين الأرقام"
AGAIN = "هذا رقم الهوية الذي أدخلته من قبل"
ASK_PHONE = "مشاركة رقم جوالك"
ASK_DESCRIPTION = "يُرجى وصف طلبك"


async def _file(chat: Chat, description: str | None = DESCRIBED) -> None:
    """From the description step's question to the request filed: ``description`` typed
    (None: «Keep my description» pressed), a photo, «Done», «Confirm»."""
    if description is None:
        await chat.tap(KEEP)
    else:
        await chat.text(description)
    for send in (chat.media(), chat.tap("done"), chat.tap("confirm")):
        await send


# ---- a letter among the digits --------------------------------------------------------


@pytest.mark.parametrize(
    "typed", [LETTERED, "٢١٢٣٤٥٦٧٨٨x", "رقم اقامتي 2123456788x", "2123456788 x"]
)
async def test_a_letter_in_the_identity_number_is_named_and_the_number_not_taken(
    engine: Engine, gateway: MemoryGateway, typed: str
) -> None:
    chat = Chat(engine.handle)
    await _to_identity(chat)
    await chat.text(typed)
    said = plain(chat.said)
    assert LETTER_NAMED in said and "x" in said, said
    assert ASK_PHONE not in said  # still at the identity step
    # the number, typed again in digits (with the spaces and dashes people use), goes on
    await chat.text("٢٠٠٠-٠٠٠ ٠٠٦")
    assert ASK_PHONE in plain(chat.said)
    await chat.contact(PHONE)
    await _file(chat)
    assert gateway.submissions[0].identity_number == RESIDENT


async def test_a_letter_in_a_typed_mobile_number_is_named(engine: Engine) -> None:
    chat = WhatsAppChat(engine.handle)
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.text("0501234567x")
    said = plain(chat.said)
    assert LETTER_NAMED in said and "x" in said, said
    await chat.text("0501234567")
    assert ASK_DESCRIPTION in plain(chat.said)


@pytest.mark.parametrize(
    "typed", ["رقمي هو 2000", "رقم الإقامة حقي 2000", "رقم الإقامة حقي 200000000"]
)
async def test_a_number_short_of_digits_among_words_is_still_a_number(
    engine: Engine, typed: str
) -> None:
    chat = Chat(engine.handle)
    await _to_identity(chat)
    await chat.text(typed)
    said = plain(chat.said)
    # the number's own refusal, not «I have kept what you wrote»
    assert "أرقام فقط" in said and "احتفظت" not in said, said


# ---- the identity number again at the phone step --------------------------------------


@pytest.mark.parametrize("typed", [RESIDENT, "٢٠٠٠ ٠٠٠ ٠٠٦", "رقم اقامتي 2000000006"])
async def test_the_identity_number_typed_again_at_the_phone_step_is_recognised(
    engine: Engine, gateway: MemoryGateway, typed: str
) -> None:
    chat = Chat(engine.handle)
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.text(typed)
    said = plain(chat.said)
    # the tester was told «the number must come from your own account», as if it were a
    # mobile number typed instead of shared
    assert "من حسابك" not in said, said
    assert AGAIN in said and "مشاركة رقمي" in said
    assert "share_contact" in chat.choice_ids  # the share button stays
    await chat.contact(PHONE)
    await _file(chat)
    filed = gateway.submissions[0]
    assert (filed.identity_number, filed.phone) == (RESIDENT, PHONE)


async def test_the_identity_number_typed_where_a_mobile_is_typed(engine: Engine) -> None:
    chat = WhatsAppChat(engine.handle)
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.text(RESIDENT)
    said = plain(chat.said)
    assert AGAIN in said and "05XXXXXXXX" in said, said
    # another identity number: the request keeps the first, and «back» changes it
    await chat.text("1000000008")
    said = plain(chat.said)
    assert "يبدو هذا رقم هوية" in said and "2******006" in said and "رجوع" in said, said
    await chat.text("0501234567")
    assert ASK_DESCRIPTION in plain(chat.said)


async def test_the_establishment_number_typed_again_at_the_phone_step(engine: Engine) -> None:
    chat = Chat(engine.handle)
    await _to_establishment(chat)
    await chat.text("7001234567")
    await chat.text(RESIDENT)
    await chat.text("700-123-4567")
    said = plain(chat.said)
    assert "هذا رقم المنشأة الذي أدخلته من قبل" in said and "من حسابك" not in said, said
    await chat.contact(PHONE)
    assert ASK_DESCRIPTION in plain(chat.said)


# ---- a description typed at the identity step -----------------------------------------


async def _early_description(chat: Chat, *words: str) -> None:
    """``words`` typed at the identity step, then the number and the phone."""
    await _to_identity(chat)
    for text in words:
        await chat.text(text)
        said = plain(chat.said)
        assert "احتفظت" in said and "رقم هويتك" in said, said
    await chat.text(RESIDENT)
    await chat.contact(PHONE)


@pytest.mark.parametrize(
    ("words", "then", "description", "filed"),
    [
        # kept with one press
        ((EARLY,), (), None, EARLY),
        # a short new text is asked to be longer and loses nothing; «تم» keeps the words
        ((EARLY,), ("شكرا",), "تم", EARLY),
        # a new text replaces them
        ((EARLY,), (), DESCRIBED, DESCRIBED),
        # a sentence with a few digits in it is words too
        (("انتهت إقامتي منذ 3 أيام ولا أستطيع تجديدها",), (), None,
         "انتهت إقامتي منذ 3 أيام ولا أستطيع تجديدها"),
        # two messages are kept whole
        (("أريد تجديد إقامة زوجتي", "النظام يعطي خطأ عند الدفع"), (), None,
         "أريد تجديد إقامة زوجتي\nالنظام يعطي خطأ عند الدفع"),
    ],
)  # fmt: skip
async def test_a_description_typed_at_the_identity_step_is_offered_at_its_step(
    engine: Engine,
    gateway: MemoryGateway,
    words: tuple[str, ...],
    then: tuple[str, ...],
    description: str | None,
    filed: str,
) -> None:
    chat = Chat(engine.handle)
    await _early_description(chat, *words)
    # shown with «Keep my description», so it need not be typed again
    assert words[-1] in plain(chat.said) and KEEP in chat.choice_ids, chat.said
    for text in then:
        await chat.text(text)
        assert KEEP in chat.choice_ids
    await _file(chat, description)
    assert gateway.submissions[0].description == filed
