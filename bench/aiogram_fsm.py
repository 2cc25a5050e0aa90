"""Baseline: the same intake written the way aiogram's documentation teaches it.

A ``Router`` with one handler per state of a ``StatesGroup``, the answers kept with
``FSMContext.update_data`` in aiogram's ``RedisStorage``, inline keyboards made with
``InlineKeyboardBuilder`` and matched with ``F.data`` filters, photos saved with
``bot.download``, and the request written to SQLite (aiosqlite) on «confirm». It asks the
same questions with the same buttons (the same callback ids and services) as our bot, so
the residents of bench/harness.py drive both alike, against the same Bot API stand-in.

What it leaves out, and our bot does: Arabic input normalisation, typed answers to buttons,
help and back at every step, a request number with a check digit, due dates, the staff
card and notifications in the outbox, update-id deduplication, compare-and-set writes,
the check of a file's bytes and the daily allowance. It is a floor for the framework's
cost on this dialogue, not an equivalent bot.

Prints one JSON line with the fields of ``harness.figures`` (bench "aiogram_fsm") and
``requests_created``. Usage as bench/dialogue.py:
  python bench/aiogram_fsm.py [--users 200] [--warmup 50] [--sequential]
                              [--redis URL] [--api http://127.0.0.1:PORT] [--loop uvloop]
"""

from __future__ import annotations

import json
import secrets
import tempfile
from pathlib import Path
from typing import Any

import aiosqlite
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.filters import CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.types import (
    CallbackQuery,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder

import harness
from bot import event_loop
from bot.redis_conn import open_redis
from domain.catalogue import Catalogue, load_catalogue
from domain.identity import InvalidIdentityNumber, parse_identity_number

DAY_S = 24 * 3600


class Intake(StatesGroup):
    applicant = State()
    group = State()
    service = State()
    identity = State()
    phone = State()
    description = State()
    documents = State()
    confirm = State()


def _nav(builder: InlineKeyboardBuilder) -> InlineKeyboardBuilder:
    builder.button(text="رجوع", callback_data="back")
    builder.button(text="مساعدة", callback_data="help")
    builder.button(text="إلغاء", callback_data="cancel")
    return builder


def intake_router(catalogue: Catalogue, media_dir: Path, db: aiosqlite.Connection) -> Router:
    """The intake's handlers, one per state, as in aiogram's FSM guide."""
    router = Router(name="intake")

    @router.message(CommandStart())
    async def start(message: Message, state: FSMContext) -> None:
        await state.clear()
        await state.set_state(Intake.applicant)
        await message.answer("أهلًا بك في «تواصل»، خدمة الطلبات في المديرية العامة للجوازات.")
        kb = InlineKeyboardBuilder()
        kb.button(text="فرد", callback_data="ind")
        kb.button(text="منشأة", callback_data="est")
        kb.button(text="حالة طلبي", callback_data="status")
        kb.button(text="مساعدة", callback_data="help")
        kb.button(text="إلغاء", callback_data="cancel")
        kb.adjust(2, 2, 1)
        await message.answer(
            "هل تقدّم الطلب بصفتك فردًا (لنفسك أو لأحد أفراد أسرتك) أم منشأة؟",
            reply_markup=kb.as_markup(),
        )

    @router.callback_query(Intake.applicant, F.data == "ind")
    async def applicant(callback: CallbackQuery, state: FSMContext) -> None:
        await callback.answer()
        await state.update_data(applicant="individual")
        await state.set_state(Intake.group)
        kb = InlineKeyboardBuilder()
        for group in catalogue.groups_for("individual"):
            kb.button(text=group.name["ar"], callback_data=f"g:{group.id}")
        _nav(kb).adjust(2)
        assert isinstance(callback.message, Message)
        await callback.message.answer(
            "ما الخدمة التي تحتاجها؟ اختر مجموعة، أو اكتب حاجتك بكلماتك.",
            reply_markup=kb.as_markup(),
        )

    @router.callback_query(Intake.group, F.data.startswith("g:"))
    async def group(callback: CallbackQuery, state: FSMContext) -> None:
        await callback.answer()
        group_id = str(callback.data)[2:]
        await state.update_data(group=group_id)
        await state.set_state(Intake.service)
        kb = InlineKeyboardBuilder()
        for service in catalogue.in_group(group_id, "individual"):
            kb.button(text=service.name["ar"], callback_data=f"s:{service.id}")
        _nav(kb).adjust(2)
        assert isinstance(callback.message, Message)
        await callback.message.answer("اختر الخدمة:", reply_markup=kb.as_markup())

    @router.callback_query(Intake.service, F.data.startswith("s:"))
    async def service(callback: CallbackQuery, state: FSMContext) -> None:
        await callback.answer()
        await state.update_data(service=str(callback.data)[2:])
        await state.set_state(Intake.identity)
        assert isinstance(callback.message, Message)
        await callback.message.answer(
            "اكتب رقم هوية صاحب الطلب: رقم إقامة (يبدأ بـ٢) أو رقم هوية وطنية (يبدأ بـ١).",
            reply_markup=_nav(InlineKeyboardBuilder()).adjust(2).as_markup(),
        )

    @router.message(Intake.identity, F.text)
    async def identity(message: Message, state: FSMContext) -> None:
        try:
            number = parse_identity_number(str(message.text))
        except InvalidIdentityNumber:
            await message.answer("لا يبدو هذا رقم هوية صحيحًا (١٠ أرقام). اكتبه مرة أخرى.")
            return
        await state.update_data(identity=number.value)
        await state.set_state(Intake.phone)
        keyboard = ReplyKeyboardMarkup(
            keyboard=[
                [KeyboardButton(text="مشاركة رقمي", request_contact=True)],
                [KeyboardButton(text="رجوع")],
                [KeyboardButton(text="مساعدة")],
                [KeyboardButton(text="إلغاء")],
            ],
            resize_keyboard=True,
            one_time_keyboard=True,
        )
        await message.answer(
            "فضلًا شارك رقم جوالك بزر «مشاركة رقمي» ليرتبط الطلب بك.", reply_markup=keyboard
        )

    @router.message(Intake.phone, F.contact)
    async def phone(message: Message, state: FSMContext) -> None:
        contact = message.contact
        assert contact is not None and message.from_user is not None
        if contact.user_id != message.from_user.id:
            await message.answer("يجب أن يكون الرقم من حسابك أنت.")
            return
        await state.update_data(phone=contact.phone_number)
        await state.set_state(Intake.description)
        await message.answer("شكرًا لك، تم حفظ رقمك.", reply_markup=ReplyKeyboardRemove())
        await message.answer(
            "صِف طلبك بكلماتك: ما الذي تحتاجه، وما المشكلة التي واجهتك؟",
            reply_markup=_nav(InlineKeyboardBuilder()).adjust(2).as_markup(),
        )

    @router.message(Intake.description, F.text)
    async def description(message: Message, state: FSMContext) -> None:
        await state.update_data(description=message.text, files=[])
        await state.set_state(Intake.documents)
        kb = InlineKeyboardBuilder()
        kb.button(text="تم", callback_data="done")
        await message.answer(
            "أرسل الآن صورًا أو ملفات PDF للمستندات المطلوبة، ثم اضغط «تم».",
            reply_markup=_nav(kb).adjust(2).as_markup(),
        )

    @router.message(Intake.documents, F.photo)
    async def photo(message: Message, state: FSMContext, bot: Bot) -> None:
        assert message.photo
        largest = message.photo[-1]
        path = media_dir / f"{largest.file_unique_id}.jpg"
        await bot.download(largest, destination=path)
        data = await state.get_data()
        files = [*data.get("files", []), str(path)]
        await state.update_data(files=files)
        kb = InlineKeyboardBuilder()
        kb.button(text="تم", callback_data="done")
        await message.answer(
            f"وصلتني ملفاتك ({len(files)}). أرسل المزيد، أو اضغط «تم» عند الانتهاء.",
            reply_markup=_nav(kb).adjust(2).as_markup(),
        )

    @router.callback_query(Intake.documents, F.data == "done")
    async def done(callback: CallbackQuery, state: FSMContext) -> None:
        await callback.answer()
        data = await state.get_data()
        await state.set_state(Intake.confirm)
        name = catalogue.get(data["service"]).name["ar"]
        kb = InlineKeyboardBuilder()
        kb.button(text="تأكيد وإرسال", callback_data="confirm")
        _nav(kb).adjust(1)
        assert isinstance(callback.message, Message)
        await callback.message.answer(
            f"فضلًا راجع طلبك:\nالخدمة: {name}\nرقم الهوية: {data['identity']}\n"
            f"الجوال: {data['phone']}\nالوصف: {data['description']}\n"
            f"المستندات: {len(data['files'])}",
            reply_markup=kb.as_markup(),
        )

    @router.callback_query(Intake.confirm, F.data == "confirm")
    async def confirm(callback: CallbackQuery, state: FSMContext) -> None:
        await callback.answer()
        data = await state.get_data()
        number = str(secrets.randbelow(9 * 10**9) + 10**9)
        await db.execute(
            "INSERT INTO requests (number, user_id, service, identity, phone, description,"
            " files) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                number,
                callback.from_user.id,
                data["service"],
                data["identity"],
                data["phone"],
                data["description"],
                json.dumps(data["files"]),
            ),
        )
        await db.commit()
        await state.clear()
        kb = InlineKeyboardBuilder()
        kb.button(text="طلب جديد", callback_data="new")
        kb.button(text="حالة طلبي", callback_data="status")
        kb.button(text="مساعدة", callback_data="help")
        kb.adjust(2)
        assert isinstance(callback.message, Message)
        await callback.message.answer(
            f"تم استلام طلبك، شكرًا لك.\nرقم الطلب: {number}\nسيصلك الرد خلال ٧ أيام عمل.",
            reply_markup=kb.as_markup(),
        )

    return router


async def run(args: Any) -> dict[str, Any]:
    catalogue = load_catalogue()
    service = next(
        s
        for s in catalogue.services
        if "individual" in s.applicants and "resident" in s.identity_kinds and not s.questions
    )
    everyone = args.warmup + args.users
    with tempfile.TemporaryDirectory(prefix="tawasul-bench-fsm-") as tmp:
        media_dir = Path(tmp) / "media"
        media_dir.mkdir()
        async with (
            harness.bot_api(args.api, everyone) as api,
            open_redis(args.redis, Path(tmp) / "redis") as redis,
            aiosqlite.connect(Path(tmp) / "requests.sqlite3") as db,
        ):
            await db.execute("PRAGMA journal_mode=WAL")
            await db.execute(
                "CREATE TABLE requests (number TEXT PRIMARY KEY, user_id INTEGER, service TEXT,"
                " identity TEXT, phone TEXT, description TEXT, files TEXT)"
            )
            storage = RedisStorage(redis, state_ttl=DAY_S, data_ttl=DAY_S)
            dispatcher = Dispatcher(storage=storage)
            dispatcher.include_router(intake_router(catalogue, media_dir, db))
            session = AiohttpSession(api=TelegramAPIServer.from_base(api.url))
            bot = Bot(api.token, session=session, default=DefaultBotProperties(parse_mode=None))
            screen = harness.Screen()
            bot.session.middleware(screen)

            residents = harness.residents_of(
                screen, api, service.group, service.id, "resident", harness.feeder(dispatcher, bot)
            )
            try:
                people, counted = await harness.measure(residents, args)
            finally:
                await bot.session.close()
            async with db.execute("SELECT count(*) FROM requests") as cursor:
                row = await cursor.fetchone()
    result = harness.figures("aiogram_fsm", people, counted, residents, args)
    result["requests_created"] = int(row[0] if row else 0) - args.warmup
    return result


def main(argv: list[str] | None = None) -> None:
    parser = harness.arguments(__doc__.splitlines()[0] if __doc__ else "")
    args = parser.parse_args(argv)
    harness.check_arguments(parser, args)
    # asyncio's loop unless --loop uvloop: aiogram's documentation runs its bots with
    # asyncio.run
    harness.report(event_loop.run(run(args), loop=args.loop or "asyncio"), args.users)


if __name__ == "__main__":
    main()
