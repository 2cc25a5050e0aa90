"""What the fresh-clone tester met as a resident on Telegram, across two webhook workers
(two apps, each with its own dispatcher and queue) on one real Redis and SQLite database,
the Bot API stand-in giving real update shapes: the load balancer may send each of a
person's messages to either worker, so what the next turn depends on lives in Redis."""

from __future__ import annotations

from typing import Any

from domain.normalize import clean_input
from standins.telegram_updates import TgUser
from tests.integration.test_telegram_webhook import Harness, Worker, h

__all__ = ["h"]  # the fixture, shared with the webhook tests

HIND = TgUser(5_400_000_001, "هند")
WELCOME = "أهلًا بك في «تواصل»"


async def _say(w: Worker, h: Harness, user: TgUser, raw: dict[str, Any]) -> str:
    """One update posted to worker ``w``; what the person read in answer."""
    before = len(h.texts(user))
    assert (await w.post(raw)).status == 200
    await w.settle()
    return clean_input("\n".join(h.texts(user)[before:]))


async def test_start_twice_shows_the_welcome_once_whichever_worker(h: Harness) -> None:
    a, b = await h.worker(), await h.worker()
    said = await _say(a, h, HIND, h.updates.text(HIND, "/start"))  # the Start button
    assert WELCOME in said
    said = await _say(b, h, HIND, h.updates.text(HIND, "/start"))  # typed, on the other
    assert WELCOME not in said and "هل يُقدَّم الطلب بصفة فرد" in said
    said = await _say(a, h, HIND, h.updates.callback(HIND, "ind"))
    assert "ما الخدمة المطلوبة؟" in said
    assert sum(WELCOME in t for t in h.texts(HIND)) == 1


HADI = TgUser(5_400_000_002, "Hadi", language_code="en")
ARABIC_NEED = "ابي اجدد جواز السفر لأنه انتهى الشهر الماضي وأنا مسافر قريبا"
STAYS_ENGLISH = "تستمر هذه المحادثة بالإنجليزية. للمتابعة بالعربية يُرجى كتابة «عربي»."


async def test_one_arabic_text_keeps_english_three_in_a_row_switch_on_either_worker(
    h: Harness,
) -> None:
    a, b = await h.worker(), await h.worker()
    said = await _say(a, h, HADI, h.updates.text(HADI, "/start"))
    assert "Welcome to Tawasul" in said  # the app is set to English
    await _say(b, h, HADI, h.updates.callback(HADI, "ind"))
    said = await _say(a, h, HADI, h.updates.text(HADI, ARABIC_NEED))
    assert "Is this the service you need?" in said and STAYS_ENGLISH in said
    said = await _say(b, h, HADI, h.updates.text(HADI, "ابي اجدد جواز السفر لو سمحت"))
    assert STAYS_ENGLISH in said and "المطلوبة" not in said  # two in a row: still English
    # the third in a row, whichever worker takes it: the count lives in Redis
    said = await _say(a, h, HADI, h.updates.text(HADI, "ابي اجدد جواز السفر من فضلك"))
    assert "هل هذه هي الخدمة المطلوبة؟" in said
    assert "For English, type «English»." in said  # the way back, in English
    state = await h.services.engine.store.load("telegram", str(HADI.id))
    assert state.locale == "ar"


MUNA = TgUser(5_400_000_003, "منى")


async def test_for_my_son_in_the_first_words_is_kept_across_workers(h: Harness) -> None:
    a, b = await h.worker(), await h.worker()
    said = await _say(a, h, MUNA, h.updates.text(MUNA, "ابي جواز لولدي"))
    assert "هل هذه هي الخدمة المطلوبة؟" in said
    said = await _say(b, h, MUNA, h.updates.callback(MUNA, "s:passport_issue"))
    assert "سجّلتُ إجابة «لمن هذا الطلب؟»: «فرد من أسرتي»" in said
    assert "كتابة رقم هوية صاحب الطلب" in said  # the question skipped
    state = await h.services.engine.store.load("telegram", str(MUNA.id))
    assert state.step == "identity"
    assert state.answers["eligibility"] == {"for_whom": "family"}
    said = await _say(a, h, MUNA, h.updates.text(MUNA, "رجوع"))  # to change it
    assert said.endswith("لمن هذا الطلب؟")


SAMI = TgUser(5_400_000_004, "سامي")


async def test_a_number_shared_at_the_service_step_is_kept_across_workers(h: Harness) -> None:
    a, b = await h.worker(), await h.worker()
    for raw in (
        h.updates.text(SAMI, "/start"),
        h.updates.callback(SAMI, "ind"),
        h.updates.text(SAMI, "ابي اجدد اقامتي"),
    ):
        await _say(a, h, SAMI, raw)
    # shared from Telegram's attachment menu, before the phone step, on one worker
    said = await _say(b, h, SAMI, h.updates.contact(SAMI, "966501234567", own=True))
    assert "احتفظتُ برقم جوالك" in said and "هل هذه هي الخدمة المطلوبة؟" in said
    for raw in (h.updates.callback(SAMI, "s:iqama_renew"), h.updates.callback(SAMI, "q:inside")):
        await _say(a, h, SAMI, raw)
    # the identity number on the other: the phone step is passed, saying so
    said = await _say(b, h, SAMI, h.updates.text(SAMI, "2000000006"))
    assert "سأستخدم رقم الجوال الذي شاركته سابقًا" in said and "يُرجى وصف طلبك" in said
    state = await h.services.engine.store.load("telegram", str(SAMI.id))
    assert state.step == "description"
    assert (state.answers["phone"], state.answers["phone_verified"]) == ("+966501234567", True)


RANA = TgUser(5_400_000_005, "رنا")


async def test_a_contact_at_a_step_without_the_keyboard_brings_no_stray_message(
    h: Harness,
) -> None:
    a, b = await h.worker(), await h.worker()
    for raw in (
        h.updates.text(RANA, "/start"),
        h.updates.callback(RANA, "ind"),
        h.updates.text(RANA, "ابي اجدد اقامتي"),
    ):
        await _say(a, h, RANA, raw)
    before = len(h.api.calls_for(RANA.id, "sendMessage"))
    # shared from the attachment menu: no share-my-number keyboard was ever on screen
    await _say(b, h, RANA, h.updates.contact(RANA, "966501234567", own=True))
    sent = [c.params for c in h.api.calls_for(RANA.id, "sendMessage")[before:]]
    assert [p["text"] for p in sent if "احتفظتُ برقم جوالك" not in p["text"]] == []
    assert all(p.get("reply_markup") != {"remove_keyboard": True} for p in sent)
    assert "✅" not in h.texts(RANA)


LAYLA = TgUser(5_400_000_006, "ليلى")


async def test_the_keyboard_shown_is_taken_away_with_a_polite_word(h: Harness) -> None:
    a, b = await h.worker(), await h.worker()
    for raw in (
        h.updates.text(LAYLA, "/start"),
        h.updates.callback(LAYLA, "ind"),
        h.updates.text(LAYLA, "ابي اجدد اقامتي"),
        h.updates.callback(LAYLA, "s:iqama_renew"),
        h.updates.callback(LAYLA, "q:inside"),
        h.updates.text(LAYLA, "2000000006"),
    ):
        await _say(a, h, LAYLA, raw)
    asked = h.api.calls_for(LAYLA.id, "sendMessage")[-1].params["reply_markup"]
    assert any(b.get("request_contact") for row in asked["keyboard"] for b in row)
    before = len(h.api.calls_for(LAYLA.id, "sendMessage"))
    # «back» instead of sharing, on the other worker: every reply has buttons, so a word
    # of its own carries the removal, in the person's language
    await _say(b, h, LAYLA, h.updates.text(LAYLA, "رجوع"))
    sent = [c.params for c in h.api.calls_for(LAYLA.id, "sendMessage")[before:]]
    removals = [p["text"] for p in sent if p.get("reply_markup") == {"remove_keyboard": True}]
    assert removals == ["حسنًا."]
    assert "✅" not in h.texts(LAYLA)


SAMI = TgUser(5_400_000_009, "سامي")
LONG_FIRST = (
    "السلام عليكم ورحمة الله وبركاته يا اخوان انا مقيم هنا في جدة واقامتي رقمها ٢٠٠٠٠٠٠٠٠٦ "
    "وبتنتهي بعد اسبوع وابي اجددها بس ابشر ما يفتح معي وجوالي ٠٥٠١٢٣٤٥٦٧ الله يعافيكم ساعدوني"
)


async def test_a_long_first_message_keeps_its_number_place_and_for_whom_across_workers(
    h: Harness,
) -> None:
    """Tester 12, §9: the iqama number, the city and «اقامتي… ابي اجددها» of one long first
    message were all asked again. Kept in the draft in Redis, read by the other worker."""
    a, b = await h.worker(), await h.worker()
    said = await _say(a, h, SAMI, h.updates.text(SAMI, LONG_FIRST))
    assert "احتفظتُ برقم الهوية 2******006 لطلبك." in said and "أيّ هذه الخدمات هي المطلوبة؟" in said
    said = await _say(b, h, SAMI, h.updates.callback(SAMI, "s:iqama_renew"))
    assert "سجّلتُ إجابة «لمن هذا الطلب؟»: «لي أنا»" in said
    assert "سجّلتُ إجابة «أين أنت الآن؟»: «داخل المملكة»" in said
    assert "سأستخدم رقم الهوية الذي أرسلته سابقًا (2******006)" in said
    assert "«مشاركة رقمي»" in said  # on to the phone step: Telegram shares it from the account
    said = await _say(a, h, SAMI, h.updates.contact(SAMI, "966501234567"))
    assert "ابشر ما يفتح معي" in said  # the story, offered as the description
