"""A photo or PDF sent again on its own (not in an album) is told in the words of what it
is: found in session 12, a single photo sent twice was answered «أرسلت هذا الملف من قبل»
(«this file»), where an album's repeats already said «صورة». Two webhook workers on one
Redis and SQLite, the person's messages spread over them (the draft's files are in Redis),
and the Bot API stand-in for what the person reads."""

from __future__ import annotations

from standins.telegram_botapi import fake_file_id
from tests import samples
from tests.integration.test_telegram_album_count import DESCRIPTION, SARA, Rig, rig
from tests.integration.webhook_steps import say, to_documents

__all__ = ["rig"]  # the fixture

PHOTO_AGAIN = "أرسلت هذه الصورة من قبل"
FILE_AGAIN = "أرسلت هذا الملف من قبل"


def _pdf(rig: Rig) -> dict[str, object]:
    file_id, data = fake_file_id("document"), samples.pdf()
    rig.api.add_file(file_id, data)
    return rig.updates.document(SARA, file_id, file_size=len(data))


async def test_a_photo_sent_again_at_the_documents_step_is_called_a_photo(rig: Rig) -> None:
    a, b = await rig.worker(), await rig.worker()
    for raw in to_documents(rig.updates, SARA, DESCRIPTION):
        await say(a, raw)
    await say(a, rig.photo(31))
    assert rig.texts()[-1].startswith("وصلتني الصورة.")
    await say(b, rig.photo(31))  # the same photo, on the other worker
    said = rig.texts()[-1]
    assert said.startswith(PHOTO_AGAIN) and "الملف" not in said, said
    assert "«تم»" in said  # what the documents step wants next
    await say(a, rig.photo(31))
    assert rig.texts()[-1].startswith(PHOTO_AGAIN)
    # a PDF sent twice is still a file
    await say(b, _pdf(rig))
    pdf = _pdf(rig)
    await say(a, pdf)
    assert rig.texts()[-1].startswith(FILE_AGAIN), rig.texts()[-1]
    state = await rig.services.engine.store.load("telegram", str(SARA.id))
    assert len(state.answers["attachments"]) == 2


async def test_a_photo_sent_again_before_and_at_the_description_is_called_a_photo(
    rig: Rig,
) -> None:
    a, b = await rig.worker(), await rig.worker()
    steps = to_documents(rig.updates, SARA, DESCRIPTION)
    await say(a, steps[0])  # /start
    await say(a, rig.photo(32))  # before any question: kept for the request
    await say(b, rig.photo(32))
    said = rig.texts()[-1]
    assert said.startswith(PHOTO_AGAIN + "، ونحتفظ بها مرة واحدة لطلبك."), said
    for raw in steps[1:-1]:
        await say(b, raw)
    await say(a, rig.photo(32))  # at the description step
    said = rig.texts()[-1]
    assert said.startswith(PHOTO_AGAIN) and "الملف" not in said.split("\n")[0], said
