"""A description longer than a request takes is kept up to the limit, not refused whole
(found by the fresh-clone tester), through the real dialogue."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.describe import KEEP
from conversations.flows.description_text import MAX_DESCRIPTION, PASTE_WINDOW_S
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue
from domain.text_cut import cut_text

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_describe import FIRST, Clock, _file, _to_description

SENTENCE = "انتهت إقامتي وحاولت التجديد من أبشر فظهرت رسالة خطأ عند سداد الرسوم. "
LONG = (SENTENCE * 20).strip()  # about 1,400 characters


@pytest.fixture
def gateway() -> MemoryGateway:
    return MemoryGateway()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def chat(gateway: MemoryGateway, clock: Clock) -> Chat:
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway, clock=clock).handle)


async def test_a_long_description_keeps_its_start(chat: Chat, gateway: MemoryGateway) -> None:
    assert len(LONG) > MAX_DESCRIPTION
    await _to_description(chat)
    await chat.text(LONG)
    assert "أطول من ١٠٠٠ حرف" in chat.said and "فاحتفظتُ ببدايته" in chat.said
    assert "أقصر" not in chat.said  # no longer «please shorten it and send it again»
    # what was kept is shown, with the choice to go on with it
    assert SENTENCE.strip() in chat.said and chat.choice_ids[0] == KEEP
    await chat.tap(KEEP)
    await chat.media()
    await _file(chat, gateway)
    filed = gateway.submissions[0].description
    # the start, ended after a whole sentence, as long as a request takes
    assert LONG.startswith(filed) and filed.endswith("الرسوم.")
    assert MAX_DESCRIPTION - len(SENTENCE) < len(filed) <= MAX_DESCRIPTION


async def test_a_shorter_text_replaces_the_kept_start(
    chat: Chat, gateway: MemoryGateway, clock: Clock
) -> None:
    await _to_description(chat)
    await chat.text(LONG)
    clock.advance(PASTE_WINDOW_S + 30)  # written anew, not the tail of the paste
    await chat.text(FIRST)
    # said: it once replaced the kept start silently (fresh-clone tester 14, fault 3)
    assert "حلّ نصّك الجديد محلّ الجزء المحفوظ" in chat.said and "للمستندات" in chat.said
    await chat.media()
    await _file(chat, gateway)
    assert gateway.submissions[0].description == FIRST


async def test_words_added_at_the_documents_step_keep_what_fits(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_description(chat)
    await chat.text(FIRST)
    await chat.text(LONG)  # at the documents step: added to the description
    assert "أُضيفت بداية هذه الرسالة فقط" in chat.said
    await chat.media()
    await _file(chat, gateway)
    filed = gateway.submissions[0].description
    assert filed.startswith(f"{FIRST}\n{SENTENCE.strip()}") and len(filed) <= MAX_DESCRIPTION


async def test_a_short_word_after_the_cut_counts_what_is_kept(
    chat: Chat, gateway: MemoryGateway, clock: Clock
) -> None:
    """The fresh-clone tester's «🙏» after a cut description was asked for «at least 15
    characters in all» although 999 were kept."""
    await _to_description(chat)
    await chat.text(LONG)
    clock.advance(PASTE_WINDOW_S + 30)
    await chat.text("🙏")
    assert "١٥ حرفًا" not in chat.said and "15" not in chat.said
    assert "للمستندات" in chat.said  # the kept description goes on to the documents
    await chat.media()
    await _file(chat, gateway)
    filed = gateway.submissions[0].description
    assert filed.startswith(SENTENCE.strip()) and len(filed) <= MAX_DESCRIPTION


async def test_the_tester_paste_is_cut_after_a_whole_sentence(
    chat: Chat, gateway: MemoryGateway
) -> None:
    """Found by the fresh-clone tester: 120 × this sentence kept «…الكفيل تأخر», cut
    mid-sentence, where the README promises the last whole sentence that fits."""
    sentence = "اريد تجديد الاقامة لان الكفيل تأخر في السداد. "
    await _to_description(chat)
    await chat.text(sentence * 120)
    assert "فاحتفظتُ ببدايته" in chat.said
    await chat.tap(KEEP)
    await chat.media()
    await _file(chat, gateway)
    filed = gateway.submissions[0].description
    assert filed.endswith("في السداد.")
    assert MAX_DESCRIPTION - len(sentence) < len(filed) <= MAX_DESCRIPTION


OTHER = "وبعدها راجعت الفرع وطلبوا مني أوراقًا لم أفهمها فرجعت للبيت. "
LONG_REST = (OTHER * 28).strip()  # about 1,700 characters, other words


async def test_a_second_long_text_at_the_keep_prompt_is_answered_and_replaces(
    chat: Chat, gateway: MemoryGateway, clock: Clock
) -> None:
    """Found by the fresh-clone tester: a second 1,680-character text a moment after the
    first was cut got no reply at all (taken for the tail of a split paste)."""
    await _to_description(chat)
    await chat.text(LONG)
    clock.advance(2)  # within the paste window, but no app splits a 1,400-character text
    said = await chat.text(LONG_REST)
    assert said and "فاحتفظتُ ببدايته" in chat.said and OTHER.strip() in chat.said
    clock.advance(2)
    assert await chat.text(LONG) != []  # every one in a row is answered
    await chat.tap(KEEP)
    await chat.media()
    await _file(chat, gateway)
    assert gateway.submissions[0].description.startswith(SENTENCE.strip())


async def test_a_short_new_text_after_the_cut_replaces_the_kept_start(
    chat: Chat, gateway: MemoryGateway, clock: Clock
) -> None:
    """Found by the fresh-clone tester: «اقامتي خلصت», which the prompt says replaces the
    kept text, was refused as an addition («وصفك بلغ أقصى ما يتسع له الطلب»)."""
    await _to_description(chat)
    await chat.text(LONG)
    clock.advance(PASTE_WINDOW_S + 30)
    await chat.text("اقامتي خلصت")
    assert "بلغ أقصى" not in chat.said and "سيحلّ نصّك الجديد محلّ" in chat.said
    assert chat.choice_ids[0] == KEEP  # the kept start can still be chosen
    await chat.text("ولا اقدر اجددها من ابشر")
    assert "للمستندات" in chat.said
    await chat.media()
    await _file(chat, gateway)
    assert gateway.submissions[0].description == "اقامتي خلصت\nولا اقدر اجددها من ابشر"


AFTER = "نسيت اقول ان الجواز ينتهي بعد شهرين"


@pytest.mark.parametrize("after", [AFTER, "طيب وكمان الكفيل مسافر", "Also, my sponsor is away"])
async def test_an_afterthought_after_the_cut_is_added_not_put_in_its_place(
    chat: Chat, gateway: MemoryGateway, clock: Clock, after: str
) -> None:
    """Fresh-clone tester 14, fault 3: after the «too long» notice, «نسيت اقول ان الجواز
    ينتهي بعد شهرين» became the whole description and the 999 characters kept were gone,
    with no word about it. It is added at the end, the kept start cut shorter to make
    room, and the answer says where that now ends."""
    await _to_description(chat)
    await chat.text(LONG)
    clock.advance(PASTE_WINDOW_S + 30)
    await chat.text(after)
    # added whole: where the kept start had to be cut shorter, the answer says where it ends
    assert "أضفتُه" in chat.said and "للمستندات" in chat.said
    kept = cut_text(LONG, MAX_DESCRIPTION)
    assert ("ينتهي عند" in chat.said) == (len(kept) + 1 + len(after) > MAX_DESCRIPTION)
    await chat.media()
    await _file(chat, gateway)
    filed = gateway.submissions[0].description
    assert filed.startswith(SENTENCE.strip()) and filed.endswith(f"\n{after}")
    assert len(filed) <= MAX_DESCRIPTION


async def test_an_afterthought_to_a_saved_description_is_added_when_it_fits(
    chat: Chat, gateway: MemoryGateway
) -> None:
    """Back at the description step, «وكمان…» adds to the description written, which
    stays; one that would not fit is not added, and the person's own words are not cut."""
    await _to_description(chat)
    await chat.text(FIRST)
    await chat.tap("back")
    assert "وصفك الذي كتبته" in chat.said
    await chat.text("وكمان الكفيل مسافر")
    assert "أضفتُه إلى وصفك" in chat.said and "للمستندات" in chat.said
    await chat.tap("back")
    await chat.text("وكمان " + "ب" * (MAX_DESCRIPTION - 10))
    assert "لم تُضف" in chat.said
    await chat.tap(KEEP)
    await chat.media()
    await _file(chat, gateway)
    assert gateway.submissions[0].description == f"{FIRST}\nوكمان الكفيل مسافر"


@pytest.mark.parametrize("wait", [0, PASTE_WINDOW_S + 30])
@pytest.mark.parametrize("empty", ["", "   ", "\u200f"])
async def test_an_empty_message_at_the_kept_start_asks_again(
    chat: Chat, gateway: MemoryGateway, clock: Clock, wait: float, empty: str
) -> None:
    """Fresh-clone tester 16 §8 (terminal chat): Enter alone at «الإبقاء على وصفي / أو إرسال
    نص جديد» kept the start and moved on to the documents. An empty message gets the
    question again (README: the terminal chat), the kept start still to keep or replace."""
    await _to_description(chat)
    await chat.text(LONG)
    clock.advance(wait)
    await chat.text(empty)
    assert "للمستندات" not in chat.said and chat.choice_ids[0] == KEEP, chat.said
    clock.advance(PASTE_WINDOW_S + 30)
    await chat.text(FIRST)  # a new text still replaces it
    await chat.media()
    await _file(chat, gateway)
    assert gateway.submissions[0].description == FIRST
