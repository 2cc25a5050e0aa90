"""Photos and files sent at the status look-up's prompts while a draft waits at a step
that takes them go to that draft (review 11, §14). A person at «أرسل الآن صورًا أو ملفات
PDF…» who typed /status (or «وين طلبي») and then sent the documents they were asked for
read «وصلت الصورة، لكن هذه الخطوة لا تأخذ ملفات، فلم نحتفظ بها» (singular for an album
of two) and the files were dropped: «رجوع» showed the documents step with nothing kept."""

from __future__ import annotations

import hashlib

import pytest

from conversations.engine import Engine
from conversations.events import Media
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore, TerminalChat, WhatsAppChat
from .test_intake import DESCRIPTION, PHONE, RESIDENT
from .test_status import FILED, plain

PROMPT = "كتابة رقم الطلب"
REFUSED = "لا تأخذ ملفات"
TAKEN = "هذا ليس رقم طلب، فأضفتُ"
NOT_SENT = "لم يُرسَل بعد"
CHANNELS = [Chat, WhatsAppChat, TerminalChat]


def _setup(kind: type[Chat] = Chat) -> tuple[Chat, MemoryGateway]:
    gateway = MemoryGateway()
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), gateway, limiter=MemoryLimiter(),
        clock=lambda: FILED,
    )  # fmt: skip
    return kind(engine.handle), gateway


async def _to_documents(chat: Chat) -> None:
    """A draft at «أرسل الآن صورًا أو ملفات PDF…», by typing."""
    await chat.command("start")
    for typed in ("ابي اجدد اقامتي", "1", "1", RESIDENT):
        await chat.text(typed)
    if isinstance(chat, WhatsAppChat | TerminalChat):
        await chat.text(PHONE)
    else:
        await chat.contact(PHONE)
    await chat.text(DESCRIPTION)
    assert "إرسال صور أو ملفات PDF" in plain(chat.said), chat.said


async def _counted_album(chat: Chat, size: int, album: str = "wa-1") -> str:
    """An album as WhatsApp's channel hands it over (each file with the album's count);
    everything said in answer to its files."""
    said = []
    for n in range(size):
        event = Media(chat.origin(), "photo", f"ref-{album}-{n}", "image/jpeg", 50_000, album,
                      checksum=hashlib.sha256(f"{album}-{n}".encode()).hexdigest(),
                      album_size=size, album_photos=size)  # fmt: skip
        said += [r.text for r in await chat.send(event)]
    return plain("\n".join(said))


async def _send_and_file(chat: Chat, gateway: MemoryGateway, files: int) -> None:
    """«تم», then «تأكيد وإرسال»: the request goes with ``files`` files."""
    await chat.tap("done")
    assert "يُرجى مراجعة طلبك" in plain(chat.said), chat.said
    await chat.tap("confirm")
    [filed] = gateway.submissions
    assert len(filed.attachments) == files


@pytest.mark.parametrize("kind", CHANNELS)
async def test_a_photo_at_the_number_prompt_goes_to_the_draft_at_its_documents(
    kind: type[Chat],
) -> None:
    chat, gateway = _setup(kind)
    await _to_documents(chat)
    await chat.command("status")
    assert PROMPT in plain(chat.said)
    await chat.media()
    said = plain(chat.said)
    assert REFUSED not in said, said
    # the file is acknowledged as the documents step does, under a line saying where it went
    assert TAKEN in said and NOT_SENT in said and "وصلتني الصورة" in said, said
    assert chat.choice_ids[0] == "done", said
    await _send_and_file(chat, gateway, 1)


@pytest.mark.parametrize("kind", CHANNELS)
async def test_a_counted_album_at_the_number_prompt_is_kept_and_counted(
    kind: type[Chat],
) -> None:
    """The review's WhatsApp sequence: an album of two photos (the channel gives its
    count) after «وين طلبي»."""
    chat, gateway = _setup(kind)
    await _to_documents(chat)
    await chat.text("وين طلبي")
    assert PROMPT in plain(chat.said)
    said = await _counted_album(chat, 2)
    assert REFUSED not in said and "وصلت الصورة" not in said, said
    assert TAKEN in said and "وصلتني صورتان" in said, said
    await _send_and_file(chat, gateway, 2)


async def test_a_telegram_album_at_the_number_prompt_is_kept_whole() -> None:
    """A Telegram album comes one photo a message, with no count: the first one leaves
    the prompt, the others reach the documents step and are kept silently."""
    chat, gateway = _setup(Chat)
    await _to_documents(chat)
    await chat.command("status")
    await chat.media(album="tg-1")
    said = plain(chat.said)
    assert REFUSED not in said and TAKEN in said and "وصلتني ملفاتك" in said, said
    await chat.media(album="tg-1")
    await chat.media(album="tg-1")
    assert chat.last == []
    await _send_and_file(chat, gateway, 3)


async def test_a_photo_at_the_number_prompt_with_the_draft_at_its_description() -> None:
    """At «صِف طلبك» a photo is kept for the request as well (the step takes files)."""
    chat, gateway = _setup(Chat)
    await chat.command("start")
    for typed in ("ابي اجدد اقامتي", "1", "1", RESIDENT):
        await chat.text(typed)
    await chat.contact(PHONE)
    assert "يُرجى وصف طلبك" in plain(chat.said)
    await chat.command("status")
    await chat.media()
    said = plain(chat.said)
    assert REFUSED not in said and TAKEN in said, said
    await chat.text(DESCRIPTION)
    await _send_and_file(chat, gateway, 1)


async def test_a_photo_at_the_number_prompt_with_no_draft_is_still_refused() -> None:
    """Nothing waits to take it: the prompt says so, and asks for the number again."""
    chat, _gateway = _setup(Chat)
    await chat.command("start")
    await chat.command("status")
    await chat.media()
    said = plain(chat.said)
    assert REFUSED in said and TAKEN not in said and PROMPT in said, said


async def test_the_engine_wants_the_file_at_the_prompt_only_when_a_draft_takes_it() -> None:
    """Channels download a file only when the dialogue would use it: at the prompt, when
    the draft waiting would keep it."""
    gateway = MemoryGateway()
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), gateway, limiter=MemoryLimiter(),
        clock=lambda: FILED,
    )  # fmt: skip
    chat = Chat(engine.handle)
    await chat.command("start")
    await chat.command("status")
    assert not await engine.wants_files("test", "u1")
    await chat.text("رجوع")
    await _to_documents(chat)
    await chat.command("status")
    assert PROMPT in plain(chat.said)
    assert await engine.wants_files("test", "u1")
