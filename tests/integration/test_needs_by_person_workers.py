"""Needs of several people in one message, chosen on the other webhook worker, over one
Redis (the «لمن» each part said lives in the dialogue state): fresh-clone tester 15 (§4),
where «ابي اجدد اقامتي واقامة زوجتي وجواز ولدي» offered the son's passport first and «1»
recorded it «لي أنا»."""

from __future__ import annotations

from standins.telegram_updates import TgUser
from tests.integration.test_resident_findings_workers import _say
from tests.integration.test_telegram_webhook import Harness, h

__all__ = ["h"]  # the fixture

SAAD = TgUser(5_400_000_151, "سعد")


async def test_the_sons_passport_chosen_on_another_worker_is_for_a_family_member(
    h: Harness,
) -> None:
    a, b = await h.worker(), await h.worker()
    said = await _say(a, h, SAAD, h.updates.text(SAAD, "ابي اجدد اقامتي واقامة زوجتي وجواز ولدي"))
    assert "نبدأ بطلبك أنت" in said, said
    state = await h.services.engine.store.load("telegram", str(SAAD.id))
    assert state.answers["suggestions"][:2] == ["iqama_renew", "passport_renew"]
    said = await _say(b, h, SAAD, h.updates.callback(SAAD, "s:passport_renew"))
    assert "«فرد من أسرتي»" in said and "«لي أنا»" not in said, said


async def test_my_iqama_and_hers_starts_with_mine_on_another_worker(h: Harness) -> None:
    # session 18's faults list: «اقامتي واقامتها» was one renewal, nothing said of the two
    a, b = await h.worker(), await h.worker()
    said = await _say(a, h, SAAD, h.updates.text(SAAD, "ابي اجدد اقامتي واقامتها"))
    assert "كل طلب هنا لشخص واحد" in said and "نبدأ بطلبك أنت" in said, said
    said = await _say(b, h, SAAD, h.updates.callback(SAAD, "s:iqama_renew"))
    assert "«لمن هذا الطلب؟»: «لي أنا»" in said and "أين أنت الآن؟" in said, said


async def test_a_mother_on_her_husbands_iqama_files_her_sons_on_another_worker(
    h: Harness,
) -> None:
    # helper 22 (§2): the son's renewal was told «نبدأ بطلبك أنت» and recorded «لي أنا»
    a, b = await h.worker(), await h.worker()
    typed = "زوجي مقيم وانا معاه على اقامته وولدي اقامته بتخلص ابي اجددها"
    said = await _say(a, h, SAAD, h.updates.text(SAAD, typed))
    assert "نبدأ بطلب أحدهم" in said and "نبدأ بطلبك أنت" not in said, said
    said = await _say(b, h, SAAD, h.updates.callback(SAAD, "s:iqama_renew"))
    assert "«لمن هذا الطلب؟»: «تابع لي أو مكفول لدي»" in said and "«لي أنا»" not in said, said
    assert "أين صاحب الإقامة الآن؟" in said, said


async def test_parents_described_together_file_the_sons_on_another_worker(h: Harness) -> None:
    # helper 22's recheck: «انا وزوجي مقيمين…» was told «نبدأ بطلبك أنت», filed as hers
    a, b = await h.worker(), await h.worker()
    said = await _say(a, h, SAAD, h.updates.text(SAAD, "انا وزوجي مقيمين وابي اجدد اقامة ولدي"))
    assert "كل طلب هنا لشخص واحد" not in said, said
    said = await _say(b, h, SAAD, h.updates.callback(SAAD, "s:iqama_renew"))
    assert "«لمن هذا الطلب؟»: «تابع لي أو مكفول لدي»" in said and "«لي أنا»" not in said, said


async def test_a_wifes_request_asks_for_her_number_on_another_worker(h: Harness) -> None:
    # a fresh-clone probe: the identity prompt read the same for the writer and a dependant
    a, b = await h.worker(), await h.worker()
    await _say(a, h, SAAD, h.updates.text(SAAD, "ابي اجدد اقامة زوجتي"))
    await _say(b, h, SAAD, h.updates.callback(SAAD, "s:iqama_renew"))
    said = await _say(a, h, SAAD, h.updates.callback(SAAD, "q:inside"))
    assert "رقم هوية صاحب الطلب نفسه، لا رقم هويتك" in said, said


async def test_for_the_wife_with_the_article_on_another_worker(h: Harness) -> None:
    # helper 23: «للزوجه» at «لمن هذا الطلب؟» got «لم أفهم إجابتك»
    a, b = await h.worker(), await h.worker()
    await _say(a, h, SAAD, h.updates.text(SAAD, "ابي اجدد اقامة"))
    said = await _say(b, h, SAAD, h.updates.callback(SAAD, "s:iqama_renew"))
    assert "لمن هذا الطلب؟" in said, said
    said = await _say(a, h, SAAD, h.updates.text(SAAD, "للزوجه"))
    assert "أين صاحب الإقامة الآن؟" in said and "لم أفهم" not in said, said


async def test_my_passport_and_my_sons_is_the_passport_alone_on_another_worker(
    h: Harness,
) -> None:
    # helper 24: «تجديد هوية مقيم» was offered beside the passport's renewal
    a, b = await h.worker(), await h.worker()
    # helper 25: «و» apart from «جواز» hid the son, and «لمن» was asked
    said = await _say(a, h, SAAD, h.updates.text(SAAD, "اجدد جوازي و جواز ولدي"))
    assert "نبدأ بطلبك أنت" in said and said.endswith("هل هذه هي الخدمة المطلوبة؟"), said
    said = await _say(b, h, SAAD, h.updates.callback(SAAD, "s:passport_renew"))
    assert "«لمن هذا الطلب؟»: «لي أنا»" in said, said


async def test_moving_passport_information_offers_other_first_on_another_worker(
    h: Harness,
) -> None:
    # no seed names it: «نقل الخدمات» (a sponsorship transfer) was offered alone on «نقل»
    a, b = await h.worker(), await h.worker()
    await _say(a, h, SAAD, h.updates.callback(SAAD, "ind"))
    said = await _say(b, h, SAAD, h.updates.text(SAAD, "نقل معلومات الجواز"))
    assert said.endswith("أيّ هذه الخدمات هي المطلوبة؟"), said
    state = await h.services.engine.store.load("telegram", str(SAAD.id))
    assert state.answers["suggestions"][0] == "other"
