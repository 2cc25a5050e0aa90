"""What the fresh-clone tester found as a resident, through the real stack: aiogram, the
resident channel, the engine on real Redis and SQLite, the Bot API stand-in (real update
and file shapes). An English first message is answered in English; the same photo sent
three times is kept once; a damaged 13-byte PDF is told it could not be read, not that
it is too large; status words at «your requests» show the list again."""

from __future__ import annotations

from standins.telegram_botapi import fake_file_id
from standins.telegram_updates import TgUser
from tests import samples
from tests.integration.telegram_rig import Rig, rig

__all__ = ["rig"]  # the fixture

USER = TgUser(5_300_000_123, "Noura")


async def test_an_english_need_after_the_arabic_welcome_is_answered_in_english(rig: Rig) -> None:
    said = await rig.feed(USER, rig.updates.text(USER, "/start"))
    assert "أهلًا بك" in said
    said = await rig.feed(USER, rig.updates.text(USER, "I want to renew my passport"))
    assert "Is this the service you need?" in said
    assert (await rig.state(USER)).locale == "en"


async def test_a_photo_sent_three_times_and_a_damaged_pdf(rig: Rig) -> None:
    u = rig.updates
    for raw in (
        u.text(USER, "/start"),
        u.callback(USER, "ind"),
        u.text(USER, "ابي اجدد اقامتي"),
        u.callback(USER, "s:iqama_renew"),
        u.callback(USER, "q:inside"),
        u.text(USER, "2000000006"),
        u.contact(USER, "966501234567", own=True),
        u.text(USER, "إقامتي انتهت ويظهر لي خطأ عند التجديد في أبشر"),
    ):
        await rig.feed(USER, raw)
    assert (await rig.state(USER)).step == "attachments"
    page = samples.jpeg(seed=7)
    assert "وصلتني الصورة" in await rig.feed(USER, rig.photo(USER, page))
    for _ in range(2):
        assert "أرسلت هذه الصورة من قبل" in await rig.feed(USER, rig.photo(USER, page))
    assert len((await rig.state(USER)).answers["attachments"]) == 1
    damaged = b"%PDF-1.4 oops"
    assert len(damaged) == 13
    file_id = fake_file_id("document")
    rig.api.add_file(file_id, damaged)
    said = await rig.feed(USER, u.document(USER, file_id, file_name="iqama.pdf", file_size=13))
    assert "تعذّرت علينا قراءة هذا الملف" in said
    assert "ميغابايت" not in said and "هذا النوع" not in said
    assert len((await rig.state(USER)).answers["attachments"]) == 1
    await rig.feed(USER, u.callback(USER, "done"))
    said = await rig.feed(USER, u.callback(USER, "confirm"))
    assert "رقم الطلب" in said
    # «وين طلبي» with one request shows its status at once, and again, not a question topic
    said = await rig.feed(USER, u.text(USER, "وين طلبي"))
    assert "تم الاستلام" in said and "طلباتك" not in said
    said = await rig.feed(USER, u.text(USER, "وين طلبي"))
    assert "تم الاستلام" in said and "لست متأكدًا" not in said


async def test_the_caption_of_a_photo_sent_first_is_read_as_typed_words(rig: Rig) -> None:
    """«ابي اجدد اقامتي وهذي صورتها» as the caption of the very first message, a photo: the
    words are read as if typed (the iqama-renewal suggestion), not lost under the first menu;
    the photo itself is kept for the request (conversations.flows.early_files)."""
    file_id = fake_file_id("photo")
    rig.api.add_file(file_id, samples.jpeg(seed=3))
    raw = rig.updates.photo(USER, file_id, caption="ابي اجدد اقامتي وهذي صورتها")
    said = await rig.feed(USER, raw)
    assert "احتفظتُ بصورتك لطلبك" in said  # and the photo kept (early_files)
    assert "هل هذه هي الخدمة المطلوبة؟" in said
    state = await rig.state(USER)
    assert state.step == "suggest", state.step
    assert [bool(f["checksum"]) for f in state.answers["attachments"]] == [True]
    assert any(o[0] == "s:iqama_renew" for o in state.offered)
