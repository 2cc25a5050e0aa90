"""The fresh-clone tester's faults 1-3 through the WhatsApp webhook (signed bodies, Graph
API stand-in, the real engine, Redis and SQLite): a mistyped request number right after a
status answer, and /reconsider and /rate typed as text commands."""

from __future__ import annotations

import re

from domain.normalize import clean_input
from tests.integration.test_whatsapp_webhook import MONA, PNG, Harness, h, walk_to_attachments

__all__ = ["h"]

NUMBER_LINE = re.compile(r"رقم الطلب: \u2066?(\d{10})")


async def _filed(h: Harness) -> str:
    await walk_to_attachments(h, MONA)
    photo = h.graph.add_media(PNG, "image/png")
    await h.send(h.payloads.image(MONA, photo.id, photo.sha256_b64))
    await h.send(h.payloads.button_reply(MONA, "done", "تم"))
    await h.send(h.payloads.button_reply(MONA, "confirm", "تأكيد وإرسال"))
    (number,) = [m.group(1) for t in h.texts(MONA) if (m := NUMBER_LINE.search(t))]
    return number


async def _says(h: Harness, text: str) -> str:
    before = len(h.texts(MONA))
    await h.send(h.payloads.text(MONA, text))
    return clean_input("\n".join(h.texts(MONA)[before:]))


async def test_the_testers_status_and_reconsider_steps_on_whatsapp(h: Harness) -> None:
    number = await _filed(h)
    said = await _says(h, "/status")
    assert f"الطلب رقم {number}" in said, said
    said = await _says(h, "٤٥١٢٣٤٥٦٧٠")  # a request number's shape, its last digit wrong
    assert "يبدو أن في رقم الطلب خطأ" in said and "بصفة فرد" not in said, said
    said = await _says(h, f"/status {number}")
    said = await _says(h, "١٢٣٤٥٦٧٨٩٠")  # an identity number's shape: as at the menu
    assert "الرقم الأخير لا يتوافق مع بقية الأرقام" in said and "بصفة فرد" in said, said
    said = await _says(h, f"/rate {number} ٥")
    assert "هذا الزر" not in said and "لم يصدر القرار" in said, said
    said = await _says(h, f"/reconsider {number}")
    assert "غير معروف" not in said and "لا يمكن طلب إعادة النظر إلا في طلب مرفوض" in said
    said = await _says(h, "العقد انتهى وعندي ورقة من الكفيل")
    assert "منشأة" not in said and "نقل الخدمات" not in said, said
