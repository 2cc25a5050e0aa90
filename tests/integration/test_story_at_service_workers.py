"""A story typed where the service is chosen (77a42dc, tester 12 fault 14) across two
webhook workers on one Redis and SQLite: it is said to be kept (session 12's open list:
it was kept silently), offered at the description step on the other worker, and changed
at the summary before it is filed. The load balancer may send each message to either
worker, so the words kept live in Redis with the draft."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import Request
from conversations.flows.describe import KEEP
from domain.normalize import clean_input
from tests.integration.test_telegram_album_count import SARA, Rig, rig
from tests.integration.webhook_steps import say

__all__ = ["rig"]  # the fixture

STORY = "الاقامة خلصت من شهر وابي اجددها بس النظام في ابشر يطلع لي خطأ 😢 وش اسوي؟؟ والله تعبت"
KEPT = "احتفظتُ بما كتبته: سأعرضه وصفًا لطلبك عند خطوة الوصف، ويمكنك تغييره قبل إرسال الطلب."
NEW = "تظهر رسالة خطأ في أبشر عند دفع رسوم تجديد الإقامة منذ أسبوع كامل"


def _questions(rig: Rig) -> list[str]:
    """The callback data of the last keyboard's answers to a service's question."""
    markup = rig.api.last_keyboard(SARA.id) or {}
    rows = markup.get("inline_keyboard", [])
    data = [str(b.get("callback_data", "")) for row in rows for b in row]
    return [d for d in data if d.startswith("q:")]


async def test_a_story_at_the_service_step_is_said_kept_offered_and_changed_over_two_workers(
    rig: Rig,
) -> None:
    a, b = await rig.worker(), await rig.worker()
    u = rig.updates
    await say(a, u.text(SARA, "/start"))
    await say(b, u.callback(SARA, "ind"))
    before = len(rig.texts())
    await say(a, u.text(SARA, STORY))
    said = clean_input("\n".join(rig.texts()[before:]))
    assert KEPT in said and "أيّ هذه الخدمات هي المطلوبة؟" in said, said
    await say(b, u.callback(SARA, "s:iqama_renew"))
    workers = [a, b]
    while questions := _questions(rig):
        # the service's questions («داخل المملكة؟», «لمن هذا الطلب؟»), on either worker
        workers.reverse()
        await say(workers[0], u.callback(SARA, questions[0]))
    await say(a, u.text(SARA, "2000000006"))
    before = len(rig.texts())
    await say(b, u.contact(SARA, "966501234567", own=True))
    said = clean_input("\n".join(rig.texts()[before:]))
    assert "النظام في ابشر يطلع لي خطأ" in said, said  # offered at the description step
    await say(a, u.callback(SARA, KEEP))
    await say(b, rig.photo(51))
    before = len(rig.texts())
    await say(a, u.callback(SARA, "done"))
    summary = clean_input("\n".join(rig.texts()[before:]))
    assert "النظام في ابشر يطلع لي خطأ" in summary, summary
    await say(b, u.callback(SARA, "e:desc"))
    await say(a, u.text(SARA, NEW))
    state = await rig.services.engine.store.load("telegram", str(SARA.id))
    if state.step != "summary":
        await say(b, u.callback(SARA, "done"))
    await say(b, u.callback(SARA, "confirm"))
    async with rig.services.sessions() as session:
        (filed,) = (await session.scalars(select(Request))).all()
    assert "منذ أسبوع كامل" in filed.description and "والله تعبت" not in filed.description
