"""The phone step worded for a channel with no button that shares a number (the terminal
chat, ``Origin.phone_typed``): it asks to type the number and takes it, as the person's own.
Found by the fresh-clone tester: the terminal asked to press «مشاركة رقمي», a Telegram button
it has none of, and a number typed there was refused («must come from your own account»)."""

from __future__ import annotations

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore, TerminalChat
from .test_intake import DESCRIPTION, RESIDENT

TYPE_IT = (
    "يُرجى كتابة رقم جوالك ليرتبط الطلب بك: السعودي (مثل ٠٥XXXXXXXX)، أو رقم دولة أخرى مع مفتاحها،"
    " يبدأ بـ + أو ٠٠ (مثل \u2068+971XXXXXXXXX\u2069)."
)


async def _to_phone(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:inside")
    await chat.text(RESIDENT)


def _chats(gateway: MemoryGateway) -> tuple[TerminalChat, Chat]:
    engine = Engine(MemoryStore(), INTAKE, load_catalogue(), gateway)
    return TerminalChat(engine.handle, user="t"), Chat(engine.handle, user="g")


async def test_the_terminal_is_asked_to_type_the_number_and_it_is_filed_as_verified() -> None:
    gateway = MemoryGateway()
    terminal, telegram = _chats(gateway)
    await _to_phone(terminal)
    assert terminal.last[-1].text == TYPE_IT
    assert "مشاركة" not in terminal.said and not terminal.last[-1].ask_contact
    assert "share_contact" not in terminal.choice_ids
    # the same dialogue on a channel with the button asks for it, as before
    await _to_phone(telegram)
    assert "بزر «مشاركة رقمي»" in telegram.said and telegram.last[-1].ask_contact

    await terminal.text("رقمي ٠٥٠١٢٣٤٥٦٧")
    assert "حفظتُ رقم جوالك \u2068+966501234567\u2069" in terminal.said
    assert "يُرجى وصف طلبك" in terminal.said
    await terminal.text(DESCRIPTION)
    await terminal.media()
    await terminal.tap("done")
    await terminal.tap("confirm")
    (filed,) = gateway.submissions
    assert (filed.phone, filed.phone_verified) == ("+966501234567", True)


async def test_a_wrong_number_or_a_photo_at_the_terminal_phone_step_asks_to_type_it() -> None:
    terminal, _telegram = _chats(MemoryGateway())
    await _to_phone(terminal)
    await terminal.text("05012")
    assert "مشاركة" not in terminal.said and "لا يبدو هذا رقم جوال" in terminal.said
    await terminal.media()  # kept for the request (early_files), the number asked again
    assert "احتفظتُ بصورتك لطلبك" in terminal.said
    assert "مشاركة" not in terminal.said and TYPE_IT in terminal.said
    await terminal.text("ابي اسافر لمصر الشهر الجاي واحتاج الجواز")  # words: kept, not a number
    assert "مشاركة" not in terminal.said and "يُرجى كتابته" in terminal.said
    await terminal.contact("0501234567")  # /contact still works
    assert "حفظتُ رقم جوالك" in terminal.said


async def test_a_number_introduced_as_the_contact_number_is_taken_not_read_as_asking_ours() -> None:
    # review 13 §4: «رقم التواصل ٠٥٠١٢٣٤٥٦٧» at the phone step got «لا تتوفر هنا محادثة
    # مباشرة مع موظف، ولا رقم للاتصال…» and the number given was dropped
    terminal, _telegram = _chats(MemoryGateway())
    await _to_phone(terminal)
    await terminal.text("رقم التواصل ٠٥٠١٢٣٤٥٦٧")
    assert "محادثة مباشرة مع موظف" not in terminal.said
    assert "حفظتُ رقم جوالك \u2068+966501234567\u2069" in terminal.said


async def test_two_mobile_numbers_are_asked_to_be_one() -> None:
    # helper 21: «0551234567 او 0561234567» got «لا يبدو هذا رقم جوال»
    terminal = TerminalChat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)
    await _to_phone(terminal)
    await terminal.text("0551234567 او 0561234567")
    said = terminal.said
    assert "أكثر من رقم جوال" in said and "لا يبدو هذا رقم جوال" not in said, said
    await terminal.text("0551234567")  # one: taken
    assert "يُرجى وصف طلبك" in terminal.said, terminal.said
