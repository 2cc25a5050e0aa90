"""The terminal shows pictures by their saved path and speaks the person's language."""

from __future__ import annotations

import io
from pathlib import Path

from bot.channels.console import chat, render
from bot.media_store import MediaStore
from conversations.engine import Engine
from conversations.events import Event, Option, Reply
from conversations.flows.intake import INTAKE
from conversations.i18n import Texts
from domain.catalogue import load_catalogue
from tests.unit.conversations.fakes import MemoryGateway, MemoryStore


def test_a_picture_is_named_by_where_it_was_saved() -> None:
    reply = Reply("تم استلام طلبك", (Option("new", "طلب جديد"),), media=("/d/receipts/1-ar.png",))
    shown = render(reply, Texts("ar"))
    assert shown.splitlines() == [
        "تم استلام طلبك",
        "  1) طلب جديد",
        "(الصورة محفوظة في /d/receipts/1-ar.png)",
    ]
    assert render(reply, Texts("en")).endswith("(picture saved at /d/receipts/1-ar.png)")


def test_the_terminals_own_hint_follows_the_language() -> None:
    reply = Reply("Please share your number", ask_contact=True)
    assert "type /contact" in render(reply, Texts("en"))
    # in Arabic the command starts its own line, where it reads left to right
    assert "بعد الأمر، مثل:\n/contact 05" in render(reply, Texts("ar"))


async def test_the_chat_renders_each_reply_in_the_language_it_carries(tmp_path: Path) -> None:
    async def handle(event: Event) -> list[Reply]:
        return [Reply("Please share your number", ask_contact=True, locale="en")]

    out = io.StringIO()
    await chat(handle, MediaStore(tmp_path), stdin=io.StringIO("hello\n"), stdout=out)
    assert "(In the terminal, type /contact" in out.getvalue()


def test_buttons_where_numbers_are_text_are_listed_without_numbers() -> None:
    shown = render(
        Reply("اكتب إجابتك", choices=(Option("send", "إرسال الرد"),), numbered=False), Texts("ar")
    )
    assert "• إرسال الرد" in shown and "1)" not in shown


async def test_a_missing_photo_is_said_in_the_persons_language(tmp_path: Path) -> None:
    async def handle(event: Event) -> list[Reply]:
        return [Reply("تم", locale="ar")]

    out = io.StringIO()
    lines = io.StringIO("مرحبا\n/photo /no/such.png\n")
    await chat(handle, MediaStore(tmp_path), stdin=lines, stdout=out)
    # it was English in an Arabic chat
    assert "(لا يوجد ملف بهذا المسار: /no/such.png)" in out.getvalue()
    out = io.StringIO()
    await chat(handle, MediaStore(tmp_path), stdin=io.StringIO("/photo\n"), stdout=out, locale="en")
    # no path at all: how to type one, not «no such file» with nothing after it
    assert "Type the path of the file after the command, for example:\n/photo " in out.getvalue()
    assert "no such file" not in out.getvalue()


def test_a_document_is_called_a_file() -> None:
    reply = Reply("بياناتك", media=("/d/exports/ab/tawasul-my-data.json",))
    assert render(reply, Texts("en")).endswith("(file saved at /d/exports/ab/tawasul-my-data.json)")


def test_the_navigation_is_named_so_the_options_keep_their_numbers() -> None:
    # found by the fresh-clone tester: «رجوع» was 5) under the question and 9) under help
    groups = (Option("g:passports", "الجوازات"), Option("g:residency", "الإقامة والتابعون"))
    nav = (Option("back", "رجوع"), Option("help", "مساعدة"), Option("cancel", "إلغاء"))
    extras = (Option("restart", "البدء من جديد"), Option("lang:en", "English"))
    plain = render(Reply("ما الخدمة؟", (*groups, *nav)), Texts("ar"))
    helped = render(Reply("ما الخدمة؟", (*groups, *extras, *nav)), Texts("ar"))
    for shown in (plain, helped):
        assert "  1) الجوازات\n  2) الإقامة والتابعون" in shown
        assert "  • رجوع\n  • مساعدة\n  • إلغاء" in shown
    assert "  3) البدء من جديد" in helped


async def test_an_empty_line_is_answered_with_the_question_again(tmp_path: Path) -> None:
    # found by the fresh-clone tester: Enter alone in `tawasul chat` got no reply at all
    engine = Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway())
    out = io.StringIO()
    await chat(engine.handle, MediaStore(tmp_path), stdin=io.StringIO("/start\n\n"), stdout=out)
    printed = out.getvalue().split("مع السلامة")[0]
    question = "هل يُقدَّم الطلب بصفة فرد"
    first, _sep, again = printed.rpartition(question)
    assert "تواصل" in first and again, printed
    assert "  1) فرد\n  2) منشأة" in again


async def test_an_empty_line_after_a_retry_gets_one_prompt(tmp_path: Path) -> None:
    # found by the fresh-clone tester: «فضلًا اكتب إجابتك.» and «فضلًا اختر واحدًا من ٤
    # خيارات…» for one empty line
    engine = Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway())
    out = io.StringIO()
    lines = io.StringIO("/start\n٩\n\n")
    await chat(engine.handle, MediaStore(tmp_path), stdin=lines, stdout=out)
    printed = out.getvalue().split("مع السلامة")[0]
    assert "يُرجى كتابة إجابتك" not in printed, printed
    # the retry once; for the empty line the question alone, with its numbered options
    # (tester 14, §9: the retry was printed again, a complaint about nothing written)
    assert printed.count("يُرجى اختيار واحد من ٤ خيارات") == 1, printed
    again = printed.split("يُرجى اختيار واحد من ٤ خيارات")[1]
    assert "هل يُقدَّم الطلب بصفة فرد" in again and "  1) فرد\n  2) منشأة" in again, printed
    assert printed.rstrip().endswith("• إلغاء"), printed


async def test_an_empty_line_after_a_complaint_gets_the_question_alone(tmp_path: Path) -> None:
    # tester 14 (§9): Enter alone at the phone step printed «ما كتبته ليس رقم جوال.» again
    engine = Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway())
    out = io.StringIO()
    typed = ["/start", "1", "ابي اجدد اقامتي", "1", "1", "1", "2000000006", "hello world", ""]
    await chat(engine.handle, MediaStore(tmp_path), stdin=io.StringIO("\n".join(typed) + "\n"),
               stdout=out)  # fmt: skip
    printed = out.getvalue().split("مع السلامة")[0]
    complaint, _sep, again = printed.rpartition("ما كتبته ليس رقم جوال.")
    assert complaint, printed
    lines = [line for line in again.splitlines() if line.strip()]
    # the complaint's own lines, then the question alone for the empty line
    question = lines.index("  • إلغاء") + 1
    assert lines[question].startswith("يُرجى كتابة رقم جوالك"), printed
    assert "ما كتبته" not in "\n".join(lines[question:]), printed


async def test_the_goodbye_says_input_is_kept_only_when_something_was_given(
    tmp_path: Path,
) -> None:
    # found by the fresh-clone tester: «ما أدخلته محفوظ» with nothing typed
    from bot.channels.console import kept_draft

    store = MemoryStore()
    engine = Engine(store, INTAKE, load_catalogue(), MemoryGateway())

    async def goodbye(lines: str) -> str:
        out = io.StringIO()
        await chat(engine.handle, MediaStore(tmp_path), stdin=io.StringIO(lines), stdout=out,
                   kept=lambda: kept_draft(store, "local"))  # fmt: skip
        return out.getvalue().rstrip().splitlines()[-1]

    assert "محفوظ" not in await goodbye("")
    assert "محفوظ" not in await goodbye("/start\n1\n")  # «فرد» alone: nothing to keep
    # menu choices alone are not «what you entered»: a service group, then a service and
    # where the iqama holder is (found by the fresh-clone tester after a group alone)
    assert "محفوظ" not in await goodbye("1\n")
    # a service chosen (and where the iqama holder is): a draft of choices, asked about
    # before «إلغاء» deletes it and resumed: said kept, not «what you entered» (review 13 §9)
    said = await goodbye("رجوع\nابي اجدد اقامتي\n1\n1\n")
    assert (
        said == "مع السلامة. الطلب الذي بدأته محفوظ، ويمكنك المتابعة بتشغيل المحادثة مرة أخرى."
    ), said
    assert (await store.load("console", "local")).step == "identity"
    assert "محفوظ" in await goodbye("2000000006\n")  # an identity number typed: kept
    assert "محفوظ" in await goodbye("")  # and still so, the next time
    assert "محفوظ" not in await goodbye("إلغاء\n1\n")  # thrown away: nothing kept


async def test_a_returning_person_is_greeted_briefly_where_they_were(tmp_path: Path) -> None:
    from bot.channels.console import opening

    store = MemoryStore()
    engine = Engine(store, INTAKE, load_catalogue(), MemoryGateway())

    async def session(lines: str) -> str:
        out = io.StringIO()
        first = await opening(store, "local")
        await chat(engine.handle, MediaStore(tmp_path), stdin=io.StringIO(lines), stdout=out,
                   first=first)  # fmt: skip
        return out.getvalue()

    assert "أهلًا بك في «تواصل»" in await session("1\n")
    again = await session("")
    assert "أهلًا بعودتك. نكمل من حيث توقفت:" in again and "ما الخدمة" in again
    assert "أهلًا بك في «تواصل»" not in again and "البدء من جديد" not in again


async def test_start_typed_right_after_the_opening_welcome_does_not_repeat_the_question(
    tmp_path: Path,
) -> None:
    # tester 12, §20: `/start` typed first printed the first question a second time
    from bot.channels.console import opening

    store = MemoryStore()
    engine = Engine(store, INTAKE, load_catalogue(), MemoryGateway())
    out = io.StringIO()
    first = await opening(store, "local")
    await chat(engine.handle, MediaStore(tmp_path), stdin=io.StringIO("/start\n1\n/start\n"),
               stdout=out, first=first)  # fmt: skip
    printed = out.getvalue()
    question = "هل يُقدَّم الطلب بصفة فرد"
    assert printed.count("نحن في بداية المحادثة: السؤال الأول أعلاه مباشرة.") == 1, printed
    # once with the welcome, then once more only for the /start after «فرد» (a restart)
    assert printed.count(question) == 2, printed
    assert printed.index("نحن في بداية") < printed.index("ما الخدمة")


async def test_ctrl_c_during_a_turn_ends_the_chat_after_it_with_the_goodbye(
    tmp_path: Path,
) -> None:
    # a terminal still open (its input never ends): without Ctrl-C the chat would wait on
    import asyncio
    import os

    read_end, write_end = os.pipe()
    os.write(write_end, b"1\n")
    interrupted = asyncio.Event()

    async def handle(event: Event) -> list[Reply]:
        interrupted.set()  # Ctrl-C while the turn is handled: its answer is shown first
        return [Reply("ما الخدمة؟", locale="ar")]

    out = io.StringIO()
    try:
        with os.fdopen(read_end, encoding="utf-8") as stdin:
            turns = chat(handle, MediaStore(tmp_path), stdin=stdin, stdout=out,
                         interrupted=interrupted)  # fmt: skip
            ended = await asyncio.wait_for(turns, timeout=30)
    finally:
        os.close(write_end)
    assert ended is True
    lines = out.getvalue().rstrip().splitlines()
    assert "ما الخدمة؟" in lines and lines[-1].startswith("مع السلامة"), lines


async def test_a_blocked_persons_empty_line_gets_the_blocks_answer(tmp_path: Path) -> None:
    # found by the fresh-clone tester: Enter alone got «فضلًا اكتب إجابتك.» and the question
    # again, where anything else a blocked person typed got the block's notice once, then
    # nothing
    from bot.abuse.guard import ADMIT, Verdict

    notice = Reply("لم تعد رسائلك تصل إلينا.", locale="ar")
    screened: list[str] = []

    async def screen(channel: str, user_key: str, event_id: str | None) -> Verdict:
        screened.append(user_key)
        if len(screened) == 1:
            return ADMIT  # the welcome, before the block
        return Verdict(False, (notice,) if len(screened) == 2 else (), "blocked")

    async def handle(event: Event) -> list[Reply]:
        return [Reply("ما الخدمة؟", locale="ar")]

    out = io.StringIO()
    lines = io.StringIO("1\n\n\n/photo /no/such.png\n")
    await chat(handle, MediaStore(tmp_path), stdin=lines, stdout=out, screen=screen)
    shown = out.getvalue()
    assert len(screened) == 4  # every line, empty or not, was screened
    assert shown.count("لم تعد رسائلك") == 1  # the one notice, then nothing
    assert "يُرجى كتابة إجابتك" not in shown and "لا يوجد ملف" not in shown, shown
