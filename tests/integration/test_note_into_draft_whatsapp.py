"""``/note words`` typed on WhatsApp at a draft's summary, with nothing filed yet, on two
workers sharing one Redis and one database (SQLite and PostgreSQL), through signed
webhook bodies and the Graph API stand-in. Tester 11 (fault 10): the answer was «ليس لديك
طلب مفتوح لتضيف إليه ملاحظة.» and the words were lost; now they join the description of
the request being filled in, and are filed with it."""

from __future__ import annotations

from domain.normalize import clean_input
from tests.integration.test_abuse_whatsapp import Workers, two
from tests.integration.test_status_prompt_exits import DESCRIPTION, _filed, _wa_to_summary
from tests.integration.test_whatsapp_webhook import MONA

__all__ = ["two"]

WORDS = "الجواز ينتهي بعد شهرين"


async def test_note_words_at_the_summary_are_added_to_the_draft_and_filed(two: Workers) -> None:
    await _wa_to_summary(two, MONA)
    said = clean_input("\n".join(await two.says(1, MONA, f"/note {WORDS}")))
    assert "أضفتُ كلماتك إلى وصف الطلب" in said and WORDS in said, said
    assert "ليس لديك طلب مفتوح" not in said
    said = clean_input("\n".join(await two.says(0, MONA, "تأكيد")))
    assert "تم استلام طلبك" in said, said
    [filed] = await _filed(two.services[1])
    assert filed.description == f"{DESCRIPTION}\n{WORDS}"
