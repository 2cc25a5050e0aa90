"""A request number whose look-ups are paused by other chats' wrong identity numbers, on
two workers sharing Redis and the database. Found by the fresh-clone tester: a person who
had made no attempt was told «after several failed attempts», and the identity number they
typed next was kept for a new request («احتفظتُ برقم الهوية … لطلبك», then «والآن نعود إلى
الطلب الذي بدأت تعبئته»)."""

from __future__ import annotations

from redis.asyncio import Redis

from bot.app import Services
from bot.redis_store.attempts import MAX_FAILURES
from conversations.events import Command
from tests.integration.test_status_attempts import WRONG_IDS, two_workers
from tests.integration.test_status_privacy import A_ID, A_PHONE, A_WORDS, _file, plain
from tests.unit.conversations.fakes import Chat

__all__ = ["two_workers"]

THEIR_FAULT = "بعد عدة محاولات غير صحيحة"
NUMBER_PAUSED = "أُوقف الاستعلام عنه مؤقتًا"
DRAFT_WORDS = ("احتفظتُ برقم الهوية", "ما الخدمة المطلوبة", "نعود إلى الطلب")


async def test_a_number_paused_by_strangers_blames_no_one_and_starts_no_draft(
    two_workers: list[Services],
) -> None:
    alice = Chat(two_workers[0].engine.handle, channel="telegram", user="100")
    number = await _file(alice, A_ID, A_PHONE, A_WORDS)
    # other chats mistype identity numbers for it until its look-ups pause
    for i in range(MAX_FAILURES):
        other = Chat(two_workers[i % 2].engine.handle, channel="telegram", user=str(500 + i))
        await other.send(Command(other.origin(), "status", number))
        await other.text(WRONG_IDS[i % len(WRONG_IDS)])
    # a person who has made no attempt asks, on either worker, as the tester did
    person = [Chat(w.engine.handle, channel="telegram", user="u18") for w in two_workers]
    await person[0].text("حالة طلبي")
    await person[1].text(number)
    said = plain(person[1].said)
    assert NUMBER_PAUSED in said and number in said
    assert THEIR_FAULT not in said
    assert "من المحادثة التي قدّمته منها" in said  # where its owner always sees it
    # the identity number typed next is not a new request's, on either worker
    for i, typed in enumerate(("1000000008", number, "2000000014", A_ID)):
        await person[i % 2].text(typed)
        said = plain(person[i % 2].said)
        assert NUMBER_PAUSED in said, typed
        assert not any(words in said for words in DRAFT_WORDS), (typed, said)
        assert f"الطلب رقم {number}" not in said  # the pause holds for the right one too
    state = await two_workers[0].engine.store.load("telegram", "u18")
    assert state.flow == "status" and state.suspended is None  # no draft put aside
    # the chat that filed it still sees it at once: strangers cannot lock its owner out
    await alice.send(Command(alice.origin(), "status", number))
    assert f"الطلب رقم {number}" in plain(alice.said)
    assert NUMBER_PAUSED not in plain(alice.said)


async def test_a_chat_that_used_up_its_own_attempts_is_told_so(
    two_workers: list[Services],
) -> None:
    alice = Chat(two_workers[0].engine.handle, channel="telegram", user="100")
    number = await _file(alice, A_ID, A_PHONE, A_WORDS)
    guesser = Chat(two_workers[1].engine.handle, channel="telegram", user="700")
    await guesser.send(Command(guesser.origin(), "status", number))
    for i in range(MAX_FAILURES):
        await guesser.text(WRONG_IDS[i % len(WRONG_IDS)])
    said = plain(guesser.said)
    assert "أُوقف الاستعلام مؤقتًا" + " " + THEIR_FAULT in said  # their own attempts


async def test_the_chats_pause_ending_first_leaves_the_identity_number_to_the_look_up(
    two_workers: list[Services], redis_client: Redis
) -> None:
    """Tester 13, §10 (WhatsApp): the same request number typed again at the identity
    prompt was an attempt each time; the sixth was refused «بعد عدة محاولات غير صحيحة» and
    the look-up ended; the chat's own window (begun an hour earlier) closed before the
    number's, and the relative's identity number typed next started a draft. Now the
    number typed again costs nothing, the refusal keeps the look-up, and the identity
    number after the chat's window is this look-up's, on either worker."""
    alice = Chat(two_workers[0].engine.handle, channel="whatsapp", user="966511112222")
    number = await _file(alice, A_ID, A_PHONE, A_WORDS)
    person = [Chat(w.engine.handle, channel="whatsapp", user="966599990000") for w in two_workers]
    await person[0].text("حالة طلبي")
    for i in range(MAX_FAILURES + 1):
        await person[i % 2].text(number)
        said = plain(person[i % 2].said)
        assert "أُوقف الاستعلام" not in said, said
    account = "tawasul:fail:{att}:acct:whatsapp:966599990000"
    assert int(await redis_client.get(account)) == 1
    for i in range(MAX_FAILURES):
        await person[i % 2].text(WRONG_IDS[i % len(WRONG_IDS)])
    assert "أُوقف الاستعلام مؤقتًا" + " " + THEIR_FAULT in plain(person[0].said)
    await redis_client.delete(account)  # the chat's window ends; the number's goes on
    for i, typed in enumerate((A_ID, number)):
        await person[i % 2].text(typed)
        said = plain(person[i % 2].said)
        assert NUMBER_PAUSED in said, (typed, said)
        assert not any(words in said for words in DRAFT_WORDS), (typed, said)
    state = await two_workers[1].engine.store.load("whatsapp", "966599990000")
    assert state.flow == "status" and state.suspended is None
