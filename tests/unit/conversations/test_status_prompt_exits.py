"""Words typed at the status look-up's prompts leave them for where they belong, and the
prompts have a way out (tester 11, fault 1: with a draft waiting at its summary, «تأكيد»,
«ارسال», «ارسل الطلب», «فرد» and «ما عندي رقم» typed at «اكتب رقم الطلب» were each told
a request number has 10 digits, on Telegram, WhatsApp and the terminal; only «رجوع» got
out, and the prompt outlived a restart)."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore, TerminalChat, WhatsAppChat
from .test_intake import DESCRIPTION, PHONE, RESIDENT
from .test_status import FILED, MINE, THEIRS, _view, plain

TEN_DIGITS = "رقم الطلب يتكون من 10 أرقام"
DIGITS_ONLY = "من أرقام فقط"
PROMPT = "كتابة رقم الطلب"
NOT_SENT = "لم يُرسَل بعد"
WAY_BACK = "العودة إلى طلبي"
CHANNELS = [Chat, WhatsAppChat, TerminalChat]


def _setup(kind: type[Chat] = Chat, *, mine: bool = False) -> tuple[Chat, MemoryGateway]:
    """A person on a channel of ``kind``; with ``mine``, one request filed from this chat.
    Someone else's rejected request (THEIRS, identity 1000000008) exists."""
    gateway = MemoryGateway()
    if mine:
        gateway.views[MINE] = (_view(MINE, "under_review"), ("test", "u1"), RESIDENT)
    gateway.views[THEIRS] = (_view(THEIRS, "rejected"), ("test", "someone-else"), "1000000008")
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), gateway, limiter=MemoryLimiter(),
        clock=lambda: FILED,
    )  # fmt: skip
    return kind(engine.handle), gateway


async def _to_summary(chat: Chat) -> None:
    """A ready draft at «فضلًا راجع طلبك», by typing as the tester did."""
    await chat.command("start")
    for typed in ("ابي اجدد اقامتي", "1", "1", RESIDENT):
        await chat.text(typed)
    if isinstance(chat, WhatsAppChat | TerminalChat):
        await chat.text(PHONE)
    else:
        await chat.contact(PHONE)
    await chat.text(DESCRIPTION)
    await chat.media()
    await chat.tap("done")
    assert "يُرجى مراجعة طلبك" in plain(chat.said) and chat.choice_ids[0] == "confirm"


@pytest.mark.parametrize("kind", CHANNELS)
@pytest.mark.parametrize("word", ["تأكيد", "ارسال", "ارسل الطلب", "confirm"])
async def test_a_send_word_at_the_number_prompt_sends_the_draft_waiting_at_its_summary(
    kind: type[Chat], word: str
) -> None:
    chat, gateway = _setup(kind)
    await _to_summary(chat)
    await chat.command("status")
    assert PROMPT in plain(chat.said)
    await chat.text(word)
    said = plain(chat.said)
    assert TEN_DIGITS not in said and "تم استلام طلبك" in said, said
    [filed] = gateway.submissions
    assert (filed.identity_number, filed.description) == (RESIDENT, DESCRIPTION)


async def test_a_send_word_at_a_strangers_identity_prompt_sends_the_draft_too() -> None:
    """The tester's WhatsApp sequence: a stranger's request number in a status question,
    a wrong identity number, then «تأكيد» (it got «يجب أن يتكون الرقم من أرقام فقط»)."""
    chat, gateway = _setup(WhatsAppChat)
    await _to_summary(chat)
    await chat.text(f"وش صار على طلبي {THEIRS}")
    assert "رقم الهوية" in plain(chat.said)
    await chat.text("2000000006")
    assert "لم نجد طلبًا" in plain(chat.said)
    await chat.text("ارسل الطلب")
    said = plain(chat.said)
    assert DIGITS_ONLY not in said and "تم استلام طلبك" in said, said
    assert len(gateway.submissions) == 1


async def test_a_send_word_with_the_draft_unfinished_goes_back_to_its_step_unsent() -> None:
    chat, gateway = _setup()
    await chat.command("start")
    for typed in ("ابي اجدد اقامتي", "1", "1", RESIDENT):
        await chat.text(typed)
    await chat.contact(PHONE)  # at «صِف طلبك»
    await chat.command("status")
    await chat.text("ارسال")
    said = plain(chat.said)
    assert "لم يكتمل بعد" in said and "يُرجى وصف طلبك" in said, said
    assert not gateway.submissions
    await chat.text(DESCRIPTION)  # the description step again, as it was
    assert "المستندات" in plain(chat.said) or "صور" in plain(chat.said)


@pytest.mark.parametrize("word", ["ايه", "خلاص"])
async def test_a_plain_yes_at_the_prompt_sends_nothing_and_says_how_to(word: str) -> None:
    """Not unmistakable: a yes, or «خلاص» (which the summary itself takes for «تأكيد
    وإرسال»), may answer anything; the draft comes back, saying it was not sent."""
    chat, gateway = _setup()
    await _to_summary(chat)
    await chat.command("status")
    await chat.text(word)
    said = plain(chat.said)
    assert not gateway.submissions
    assert NOT_SENT in said and "«تأكيد وإرسال»" in said and "يُرجى مراجعة طلبك" in said, said
    assert chat.choice_ids[0] == "confirm"


@pytest.mark.parametrize("kind", CHANNELS)
@pytest.mark.parametrize(
    "words", ["ما عندي رقم", "نسيت الرقم", "نسيت رقم الطلب", "ما اعرف رقم طلبي"]
)
async def test_no_number_gets_the_advice_and_the_way_back_to_the_draft(
    kind: type[Chat], words: str
) -> None:
    chat, gateway = _setup(kind)
    await _to_summary(chat)
    await chat.command("status")
    await chat.text(words)
    said = plain(chat.said)
    assert TEN_DIGITS not in said, said
    # where the number is, how a request filed elsewhere is looked up, and the draft
    assert "تم استلام طلبك" in said and "رقم الهوية الذي قُدّم به" in said, said
    assert NOT_SENT in said and WAY_BACK in said
    assert chat.choice_ids[0] == "resume"
    await chat.tap("resume")
    assert "يُرجى مراجعة طلبك" in plain(chat.said)
    await chat.tap("confirm")
    assert len(gateway.submissions) == 1


async def test_no_number_with_requests_from_this_chat_lists_them() -> None:
    chat, _gateway = _setup(mine=True)
    await chat.command("start")
    await chat.tap("status")  # the only one's status, with «another number» under it
    await chat.tap("another")
    await chat.text("ما عندي الرقم")
    said = plain(chat.said)
    assert "لا تحتاج إلى رقم" in said and TEN_DIGITS not in said, said
    assert chat.choice_ids[0] == f"r:{MINE}"
    await chat.tap(f"r:{MINE}")
    assert "قيد الدراسة" in plain(chat.said)


async def test_no_identity_number_for_someone_elses_request_is_explained() -> None:
    chat, _gateway = _setup()
    await _to_summary(chat)
    await chat.text(f"وين طلبي {THEIRS}")
    await chat.text("ما عندي رقم")
    said = plain(chat.said)
    assert "حفاظًا على خصوصية" in said and DIGITS_ONLY not in said, said
    assert chat.choice_ids[0] == "resume"


@pytest.mark.parametrize("kind", CHANNELS)
async def test_the_second_miss_offers_the_way_back_to_the_draft(kind: type[Chat]) -> None:
    chat, gateway = _setup(kind)
    await _to_summary(chat)
    await chat.command("status")
    await chat.text("12345")
    assert TEN_DIGITS in plain(chat.said) and "resume" not in chat.choice_ids
    await chat.text("1234567")
    said = plain(chat.said)
    assert TEN_DIGITS in said and WAY_BACK in said and "«رجوع»" in said, said
    assert chat.choice_ids[0] == "resume"
    # on a channel without buttons it is a numbered line: its number or label works
    await chat.text("1" if kind is TerminalChat else WAY_BACK)
    assert "يُرجى مراجعة طلبك" in plain(chat.said)
    assert not gateway.submissions


async def test_the_second_miss_with_no_draft_names_cancel_and_words_are_told_so() -> None:
    chat, _gateway = _setup()
    await chat.command("start")
    await chat.command("status")
    await chat.text("تأكيد")
    said = plain(chat.said)
    assert "لا يوجد لديك طلب بانتظار الإرسال" in said and PROMPT in said, said
    await chat.text("هلا والله بالطيبين كيفكم")
    said = plain(chat.said)
    assert "لم أجد رقم طلب في رسالتك" in said and "«إلغاء»" in said, said
    await chat.text("إلغاء")
    assert "القائمة الرئيسية" in plain(chat.said)


@pytest.mark.parametrize("kind", CHANNELS)
async def test_a_choice_of_the_draft_typed_at_the_prompt_answers_it(kind: type[Chat]) -> None:
    """The tester's terminal chat: a photo at the first menu (a draft), a status question,
    then «فرد»: the first menu's answer, not a 10-digit complaint."""
    chat, _gateway = _setup(kind)
    await chat.command("start")
    await chat.media()
    await chat.text("وش صار على طلبي")
    assert PROMPT in plain(chat.said)
    await chat.text("فرد")
    said = plain(chat.said)
    assert TEN_DIGITS not in said and "ما الخدمة المطلوبة" in said, said
    assert NOT_SENT in said


async def test_a_choice_of_the_first_menu_with_no_draft_starts_a_request() -> None:
    chat, _gateway = _setup()
    await chat.command("start")
    await chat.command("status")
    await chat.text("فرد")
    said = plain(chat.said)
    assert TEN_DIGITS not in said and "ما الخدمة المطلوبة" in said, said


@pytest.mark.parametrize("kind", CHANNELS)
async def test_coming_back_to_the_prompt_names_the_draft_waiting(kind: type[Chat]) -> None:
    chat, gateway = _setup(kind)
    await _to_summary(chat)
    await chat.command("status")
    await chat.command("resume")  # the terminal chat opened again
    said = plain(chat.said)
    assert "أهلًا بعودتك" in said and NOT_SENT in said and WAY_BACK in said, said
    assert PROMPT in said  # a number can still be typed
    assert chat.choice_ids[0] == "resume"
    await chat.text("تأكيد")
    assert len(gateway.submissions) == 1


async def test_a_number_at_the_prompt_is_still_looked_up() -> None:
    chat, _gateway = _setup(mine=True)
    await _to_summary(chat)
    await chat.command("status")  # their one request's status, the draft put aside
    await chat.tap("another")
    await chat.text(MINE)
    assert "قيد الدراسة" in plain(chat.said)


@pytest.mark.parametrize(
    ("kind", "word"),
    [
        (Chat, "sent?"),
        (Chat, "sent"),
        (Chat, "confirmed?"),
        (Chat, "ارسلها الحين؟"),
        (Chat, "اعتماد طلبي"),
        (WhatsAppChat, "ارسل؟"),
        (WhatsAppChat, "تأكيد؟"),
        (WhatsAppChat, "اعتمد؟"),
        (WhatsAppChat, "confirm?"),
        (TerminalChat, "ارسلها ?"),
    ],
)
async def test_a_question_or_a_state_at_the_prompt_does_not_send_the_draft(
    kind: type[Chat], word: str
) -> None:
    """Review 11, §1: «sent?» or «ارسل؟» asks whether the request went; «sent», «confirmed»
    and «اعتماد طلبي» name a state. Each filed the draft waiting at its summary; now it
    is not sent, and the summary (or its own «فضلًا اضغط») says how to send it."""
    chat, gateway = _setup(kind)
    await _to_summary(chat)
    await chat.command("status")
    await chat.text(word)
    said = plain(chat.said)
    assert not gateway.submissions, said
    assert "تم استلام طلبك" not in said
    assert NOT_SENT in said and "«تأكيد وإرسال»" in said, said
    if word.rstrip().endswith(("?", "؟")):
        assert "يُرجى مراجعة طلبك" in said, said
    assert chat.choice_ids[0] == "confirm"
    await chat.tap("confirm")  # the summary's own button still sends it
    assert len(gateway.submissions) == 1


@pytest.mark.parametrize("kind", CHANNELS)
@pytest.mark.parametrize("emoji", ["👍", "✅", "👍🏽"])
async def test_an_emoji_at_the_prompt_is_a_plain_yes(kind: type[Chat], emoji: str) -> None:
    """Review 11, §1: «👍» at «اكتب رقم الطلب» with a draft at its summary got «رقم الطلب
    يتكون من 10 أرقام», the dead end a person who meant yes was in with words."""
    chat, gateway = _setup(kind)
    await _to_summary(chat)
    await chat.command("status")
    await chat.text(emoji)
    said = plain(chat.said)
    assert TEN_DIGITS not in said and not gateway.submissions, said
    assert NOT_SENT in said and "«تأكيد وإرسال»" in said and "يُرجى مراجعة طلبك" in said, said


async def test_a_send_word_while_editing_from_the_summary_does_not_say_incomplete() -> None:
    """Review 11, §11: «تعديل الوصف» at the summary, /status, then «تأكيد» was told «طلبك لم
    يكتمل بعد»: untrue, every step had been answered. Now: they were changing it, it was
    not sent, and finishing the change brings the summary back."""
    chat, gateway = _setup()
    await _to_summary(chat)
    await chat.tap("e:desc")
    await chat.command("status")
    await chat.text("تأكيد")
    said = plain(chat.said)
    assert not gateway.submissions
    assert "لم يكتمل" not in said, said
    assert "كان طلبك قيد التعديل" in said and "لم يُرسَل" in said and "«تأكيد وإرسال»" in said, said
    await chat.tap("keep_description")
    assert "يُرجى مراجعة طلبك" in plain(chat.said)
    await chat.tap("confirm")
    assert gateway.submissions[0].description == DESCRIPTION


async def test_words_taken_to_the_draft_are_said_plainly() -> None:
    """Review 11, §12: «فعدتُ به إلى طلبك» had no clear referent."""
    chat, _gateway = _setup(Chat)
    await chat.command("start")
    await chat.media()
    await chat.text("وش صار على طلبي")
    await chat.text("فرد")
    said = plain(chat.said)
    assert "هذا ليس رقم طلب، فأعدتُك إلى طلبك الذي لم يُرسَل بعد:" in said, said
    assert "فعدتُ به" not in said
