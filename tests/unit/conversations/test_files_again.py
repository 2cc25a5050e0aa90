"""«إعادة إرسال المستندات» at the summary sets the files sent aside, says so, and gives
them back on «رجوع» or on «تم» with nothing new (helper 233: they were dropped without a
word, and «رجوع» came back to «المرفقات: لا يوجد»)."""

from __future__ import annotations

import pytest

from .fakes import Chat, MemoryGateway
from .journeys import _to_attachments

SET_ASIDE = "سيحلّ ما يصلني الآن محلّ الملفين اللذين أرسلتهما من قبل"
KEPT = "أبقيتُ الملفين اللذين أرسلتهما من قبل كما هما."


async def _at_summary_with_two_files(chat: Chat) -> None:
    await _to_attachments(chat)
    await chat.media(ref="p1")
    await chat.media(ref="p2")
    await chat.tap("done")
    assert "المرفقات: ملفان" in chat.said, chat.said


async def test_sending_again_says_the_files_are_set_aside(chat: Chat) -> None:
    await _at_summary_with_two_files(chat)
    await chat.tap("e:files")
    assert SET_ASIDE in chat.said and "«رجوع»" in chat.said, chat.said
    assert "done" in chat.choice_ids


@pytest.mark.parametrize("way_out", ["رجوع", "تم"])
async def test_nothing_new_sent_keeps_the_files_sent_before(
    chat: Chat, gateway: MemoryGateway, way_out: str
) -> None:
    await _at_summary_with_two_files(chat)
    await chat.tap("e:files")
    await chat.text(way_out)
    assert KEPT in chat.said and "المرفقات: ملفان" in chat.said, chat.said
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert [a.ref for a in filed.attachments] == ["p1", "p2"]


async def test_a_new_file_replaces_those_sent_before(chat: Chat, gateway: MemoryGateway) -> None:
    await _at_summary_with_two_files(chat)
    await chat.tap("e:files")
    await chat.media(ref="p3")
    await chat.tap("back")
    assert KEPT not in chat.said and "المرفقات: ملف واحد" in chat.said, chat.said
    # said, not silent (helper 235)
    assert "حلّ الملف الذي أرسلته الآن محلّ الملفات التي أرسلتها من قبل" in chat.said
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert [a.ref for a in filed.attachments] == ["p3"]


async def test_set_aside_files_are_not_restored_a_second_time(chat: Chat) -> None:
    await _at_summary_with_two_files(chat)
    await chat.tap("e:files")
    await chat.media(ref="p3")
    await chat.tap("done")
    await chat.tap("e:files")  # now the one new file is set aside
    await chat.tap("back")
    assert "أبقيتُ الملف الذي أرسلته من قبل كما هو." in chat.said, chat.said
    assert "المرفقات: ملف واحد" in chat.said, chat.said
