"""No status look-up shows one person's request to another (two accounts, real Redis and
SQL): only the owner, or someone holding the identity number it was filed with, sees it.
Each runs on a standalone Redis and on the embedded server `make run` starts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.app import build_services
from bot.settings import Settings
from conversations.their_say import note_id, reconsider_id
from domain.normalize import clean_input
from officers.officer import Officer
from tests.unit.conversations.fakes import Chat

A_ID, A_PHONE = "2000000006", "+966501112223"
A_WORDS = "إقامتي منتهية ولا أستطيع التجديد بسبب خطأ"
B_ID = "1010101010"

pytestmark = pytest.mark.redis_both


def plain(text: str) -> str:
    return clean_input(text)


async def _file(chat: Chat, identity: str, phone: str, words: str) -> str:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("مشكلة تقنية في ابشر")
    await chat.tap("s:technical_issue")
    await chat.text(identity)
    await chat.contact(phone)
    await chat.text(words)
    await chat.media(ref=f"photo-{identity}")
    await chat.tap("done")
    await chat.tap("confirm")
    said = plain(chat.said)
    assert "رقم الطلب: " in said, said
    return said.split("رقم الطلب: ")[1][:10]


@asynccontextmanager
async def _alice_and_bob(
    tmp_path: Path, redis_url: str, db_url: str
) -> AsyncIterator[tuple[Chat, Chat]]:
    """Two people on two Telegram accounts of one bot, on the real Redis and SQL."""
    settings = Settings(data_dir=tmp_path, redis_url=redis_url, database_url=db_url)
    async with build_services(settings) as services:
        alice = Chat(services.engine.handle, channel="telegram", user="111")
        bob = Chat(services.engine.handle, channel="telegram", user="222")
        yield alice, bob


async def test_two_accounts_see_only_their_own(
    tmp_path: Path, redis_url: str, db_url: str, redis_client: object
) -> None:
    async with _alice_and_bob(tmp_path, redis_url, db_url) as (alice, bob):
        a_number = await _file(alice, A_ID, A_PHONE, A_WORDS)
        b_number = await _file(bob, B_ID, "+966503334445", "لا يفتح حسابي في أبشر منذ أسبوع")

        seen_by_bob: list[str] = []

        async def bob_says(text: str) -> None:
            await bob.text(text)
            seen_by_bob.append(plain(bob.said))

        # his own request, his only one, is shown at once, and nothing of hers
        await bob.command("status")
        assert f"الطلب رقم {b_number}" in plain(bob.said)
        assert a_number not in plain(bob.said)
        assert not any(c.startswith("r:") for c in bob.choice_ids)
        # her number typed by him: asked for the identity, shown nothing
        await bob.command("start")
        await bob_says(a_number)
        assert "لم يُقدَّم هذا الطلب من هذه المحادثة" in seen_by_bob[-1]
        await bob_says(B_ID)  # his own identity number does not open her request
        await bob_says("وش صار على طلبي " + a_number)
        for text in seen_by_bob:
            for secret in (A_ID, A_PHONE, A_WORDS, "technical", "مشكلة تقنية"):
                assert secret not in text
        # the owner sees hers at once, from the number alone
        await alice.command("start")
        await alice.text(a_number)
        assert f"الطلب رقم {a_number}" in plain(alice.said)
        assert "تم الاستلام" in plain(alice.said)
        # and with her identity number, someone else can follow it for her
        await bob.command("status")
        await bob.tap("another")
        await bob.text(a_number)
        await bob.text(A_ID)
        assert f"الطلب رقم {a_number}" in plain(bob.said)
        assert A_PHONE not in plain(bob.said) and A_WORDS not in plain(bob.said)


async def test_a_wrong_identity_gets_the_polite_not_found(
    tmp_path: Path, redis_url: str, db_url: str, redis_client: object
) -> None:
    # issue 9.2: on the embedded Redis 6.2 the limiter's EXPIRE NX failed and this person
    # got «حدث خطأ»; the answer must be the same as for a number that does not exist
    async with _alice_and_bob(tmp_path, redis_url, db_url) as (alice, bob):
        number = await _file(alice, A_ID, A_PHONE, A_WORDS)
        await bob.text(f"حالة الطلب {number}")
        assert "لم يُقدَّم هذا الطلب من هذه المحادثة" in plain(bob.said)
        await bob.text("1000000008")  # a valid identity number, not the one filed
        said = plain(bob.said)
        assert "لم نجد طلبًا يطابق رقم الطلب ورقم الهوية" in said, said
        assert "حدث خطأ" not in said
        for secret in (A_ID, A_PHONE, A_WORDS):
            assert secret not in said


async def test_someone_else_with_the_identity_is_promised_only_what_happens(
    tmp_path: Path, redis_url: str, db_url: str, redis_client: object
) -> None:
    """Found by the fresh-clone tester: a person who proved the identity number of a
    request filed from another chat was told «وسنبلغك بكل تحديث», though every update goes
    to the chat that filed it. They are told where the updates go, and, while an officer
    waits for an answer, where it is given, without the officer's question; the «Answer»
    button, which only the filing chat may use, is not offered to them."""
    settings = Settings(data_dir=tmp_path, redis_url=redis_url, database_url=db_url)
    async with build_services(settings) as services:
        alice = Chat(services.engine.handle, channel="telegram", user="111")
        bob = Chat(services.engine.handle, channel="telegram", user="222")
        number = await _file(alice, A_ID, A_PHONE, A_WORDS)
        await bob.text(f"حالة الطلب {number}")
        await bob.text(A_ID)
        said = plain(bob.said)
        assert f"الطلب رقم {number}" in said
        assert "سنبلغك" not in said
        assert "تُرسل التحديثات إلى المحادثة التي قُدّم منها الطلب، لا إلى هذه المحادثة" in said
        # the filer is still promised the updates, which reach them
        await alice.command("status")
        assert "وسنبلغك بكل تحديث" in plain(alice.said)
        # an officer asks: the filer may answer here, the other person is told where
        await services.desk.ask(number, Officer(7001, "نورة"), "ما تاريخ انتهاء الإقامة؟")
        await bob.command("status")
        await bob.tap("another")
        await bob.text(number)
        await bob.text(A_ID)
        said = plain(bob.said)
        # the question is the applicant's to read (it may name their documents or family),
        # and the request waits for the applicant, not «منك» (the fresh-clone tester)
        assert "ما تاريخ انتهاء الإقامة؟" not in said
        assert "بانتظار معلومات إضافية من مقدّم الطلب" in said and "منك" not in said
        assert "يُجاب عن سؤال الموظف من المحادثة التي قُدّم منها الطلب" in said
        assert "«الإجابة عن السؤال»" not in said and "سنبلغك" not in said
        assert f"ans:{number}" not in bob.choice_ids
        await alice.command("status")
        assert f"ans:{number}" in alice.choice_ids


async def test_the_officers_words_go_only_to_the_chat_that_filed_it(
    tmp_path: Path, redis_url: str, db_url: str, redis_client: object
) -> None:
    """Found by the review of session 10: a person who proved the identity number from
    another chat read the rejection's reason, the officer's words to the applicant (they
    may name their documents or family). The status is theirs to follow; the reason, and
    an acceptance's note, are shown only in the chat that filed it, and the other chat is
    told where. Two workers (two sets of services on the shared Redis and database): the
    filer on one, the other chat on the other."""
    settings = Settings(
        data_dir=tmp_path, redis_url=redis_url, database_url=db_url, decision_grace_s=0
    )
    async with build_services(settings) as one, build_services(settings) as two:
        alice = Chat(one.engine.handle, channel="telegram", user="111")
        bob = Chat(two.engine.handle, channel="telegram", user="222")
        rejected = await _file(alice, A_ID, A_PHONE, A_WORDS)
        accepted = await _file(alice, A_ID, A_PHONE, "لا تظهر الإقامة في أبشر")
        reason = "صورة الإقامة لا تخص زوجتك المذكورة في الطلب"
        note = "راجع فرع الرياض لاستلام الإقامة"
        await one.desk.reject(rejected, Officer(7001, "نورة"), reason)
        await two.desk.accept(accepted, Officer(7002, "سعد"), note)

        await bob.text(f"حالة الطلب {rejected}")
        await bob.text(A_ID)
        said = plain(bob.said)
        assert f"الطلب رقم {rejected}" in said and "مرفوض" in said
        assert reason not in said and "زوجتك" not in said
        assert "يظهر السبب في المحادثة التي قُدّم منها الطلب فقط." in said
        # the ways on, since nothing of the request is done from here (helper 25: none)
        assert bob.choice_ids == ["another", "new"], bob.choice_ids
        bob_two = Chat(one.engine.handle, channel="telegram", user="222")
        await bob_two.tap("another")  # the other worker takes the button
        await bob.text(accepted)
        await bob.text(A_ID)
        said = plain(bob.said)
        assert f"الطلب رقم {accepted}" in said and "مقبول" in said
        assert note not in said and "فرع الرياض" not in said
        assert not {note_id(accepted), reconsider_id(rejected)} & set(bob.choice_ids)

        # the chat that filed them reads both, on either worker
        await alice.text(rejected)
        assert reason in plain(alice.said)
        alice_two = Chat(two.engine.handle, channel="telegram", user="111")
        await alice_two.text(accepted)
        assert note in plain(alice_two.said)
