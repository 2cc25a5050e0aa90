"""aiogram's models built on first use (bot.aiogram_lazy) and those a worker uses built at
start-up (bot.channels.aiogram_models), each case in a fresh interpreter: the import order is
what is tested. Before, importing aiogram built every type and method (126 MB of a worker's
peak RSS, issue 12)."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import aiogram.methods
from pydantic import BaseModel

from bot.channels.aiogram_models import USED_METHODS, USED_TYPES

BOT = Path(__file__).resolve().parents[2] / "bot"


def _run(code: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


_BUILT = """
    import json
    from pydantic import BaseModel
    import aiogram.methods as M
    import aiogram.types as T

    def built():
        models = [getattr(m, n) for m in (T, M) for n in m.__all__]
        models = [m for m in models if isinstance(m, type) and issubclass(m, BaseModel)]
        # the methods' bases, built with aiogram.methods.base (no schema of a Telegram type)
        models = [m for m in models if m not in (M.Request, M.Response, M.TelegramMethod)]
        return [len(models), sorted(m.__name__ for m in models if m.__pydantic_complete__)]
"""


def test_importing_aiogram_after_bot_builds_none_of_its_models() -> None:
    total, built = _run("import bot\n" + textwrap.dedent(_BUILT) + "print(json.dumps(built()))")
    assert total > 450
    assert built == []  # before: all of them


def test_aiogram_imported_before_bot_is_left_as_it_is() -> None:
    code = "import aiogram, bot\n" + textwrap.dedent(_BUILT) + "print(json.dumps(built()))"
    total, built = _run(code)
    assert len(built) == total


def test_telegram_json_reads_on_first_use_and_every_model_then_builds() -> None:
    """What a worker meets (an update, a send, the answer) works with nothing built before;
    then every type, method and answer model builds (no name left unresolved in a rarely
    used one)."""
    first, unbuilt = _run(
        """
        import json
        import bot
        from pydantic import BaseModel
        import aiogram.methods as M
        import aiogram.types as T

        answer = M.Response[T.Message].model_validate({
            "ok": True,
            "result": {"message_id": 8, "date": 0, "chat": {"id": 5, "type": "private"},
                       "text": "x", "reply_to_message": {"message_id": 7, "date": 0,
                       "chat": {"id": 5, "type": "private"}, "text": "y"}},
        })
        send = M.SendMessage(
            chat_id=5, text="x",
            reply_markup=T.InlineKeyboardMarkup(
                inline_keyboard=[[T.InlineKeyboardButton(text="نعم", callback_data="y")]]
            ),
        )
        update = T.Update.model_validate({
            "update_id": 1,
            "message": {
                "message_id": 7, "date": 0, "chat": {"id": 5, "type": "private"},
                "from": {"id": 5, "is_bot": False, "first_name": "ن"},
                "photo": [{"file_id": "a", "file_unique_id": "b", "width": 1, "height": 1}],
                "caption": "جواز", "media_group_id": "m",
            },
        })
        tap = T.Update.model_validate({
            "update_id": 2,
            "callback_query": {
                "id": "1", "chat_instance": "c", "data": "st:take:1:1",
                "from": {"id": 5, "is_bot": False, "first_name": "ن"},
                "message": {"message_id": 7, "date": 0, "chat": {"id": -100, "type": "supergroup"}},
            },
        })
        first = [
            answer.result.reply_to_message.text, update.message.photo[0].file_id,
            update.message.from_user.first_name, tap.callback_query.data,
            tap.callback_query.message.chat.id,
            send.model_dump(exclude_none=True)["reply_markup"]["inline_keyboard"][0][0]["text"],
        ]
        unbuilt = []
        for module in (T, M):
            for name in module.__all__:
                model = getattr(module, name)
                if isinstance(model, type) and issubclass(model, BaseModel):
                    try:
                        model.model_rebuild()
                        if issubclass(model, M.TelegramMethod) and model is not M.TelegramMethod:
                            M.Response[model.__returning__]
                    except Exception as exc:
                        unbuilt.append(f"{name}: {exc}"[:200])
        print(json.dumps([first, unbuilt]))
        """
    )
    assert first == ["y", "a", "ن", "st:take:1:1", -100, "نعم"]
    assert unbuilt == []


def test_once_start_up_built_them_a_residents_and_an_officers_updates_build_nothing() -> None:
    """What issue 12 forbids: a model's schema built during a person's first update (tens of
    milliseconds). Fails with a name missing from USED_TYPES (Message, CallbackQuery...)."""
    built = _run(
        "import bot\nfrom bot.channels.aiogram_models import pin_response_models\n"
        + textwrap.dedent(_BUILT)
        + textwrap.dedent(
            """
        from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
        from aiogram.methods import SendMessage, AnswerCallbackQuery
        pin_response_models()
        before = built()[1]
        chat = {"id": 5, "type": "private"}
        person = {"id": 5, "is_bot": False, "first_name": "ن", "language_code": "ar"}
        group = {"id": -100, "type": "supergroup", "is_forum": True}
        for raw in (
            {"message": {"message_id": 1, "date": 0, "chat": chat, "from": person,
                         "text": "/start", "entities": [{"type": "bot_command",
                                                         "offset": 0, "length": 6}]}},
            {"message": {"message_id": 2, "date": 0, "chat": chat, "from": person,
                         "contact": {"phone_number": "966501234567", "first_name": "ن",
                                     "user_id": 5}}},
            {"message": {"message_id": 3, "date": 0, "chat": chat, "from": person,
                         "document": {"file_id": "d", "file_unique_id": "e",
                                      "mime_type": "application/pdf", "file_size": 9}}},
            {"edited_message": {"message_id": 3, "date": 0, "edit_date": 1, "chat": chat,
                                "from": person, "text": "x"}},
            {"callback_query": {"id": "1", "chat_instance": "c", "data": "ind~1",
                                "from": person, "message": {"message_id": 4, "date": 0,
                                "chat": chat, "text": "?", "reply_markup": {"inline_keyboard":
                                [[{"text": "a", "callback_data": "ind~1"}]]}}}},
            {"message": {"message_id": 5, "date": 0, "chat": group, "from": person,
                         "message_thread_id": 9, "is_topic_message": True, "text": "سبب"}},
            {"my_chat_member": {"chat": chat, "from": person, "date": 0,
                                "old_chat_member": {"status": "member", "user": person},
                                "new_chat_member": {"status": "kicked", "user": person,
                                                    "until_date": 0}}},
        ):
            update = Update.model_validate({"update_id": 1, **raw})
            update.model_dump(exclude_none=True)
        keyboard = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="نعم", callback_data="y")]]
        )
        SendMessage(chat_id=5, text="x", reply_markup=keyboard).model_dump(exclude_none=True)
        AnswerCallbackQuery(callback_query_id="1").model_dump()
        print(json.dumps(sorted(set(built()[1]) - set(before))))
        """
        )
    )
    assert built == []


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def test_every_model_the_bots_code_names_or_calls_is_built_at_start_up() -> None:
    """USED_TYPES and USED_METHODS against bot/: each aiogram model imported there, and each
    Bot method called (``bot.get_chat(...)``, which sends GetChat), is named; a name missing
    would be built at its first use, in someone's update."""
    imported: set[str] = set()
    called: set[str] = set()
    by_call = {_snake(name): name for name in aiogram.methods.__all__}
    by_call["me"] = "GetMe"
    for path in BOT.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and node.module in (
                "aiogram.types",
                "aiogram.methods",
            ):
                imported.update(alias.name for alias in node.names)
        called.update(by_call[m] for m in re.findall(r"\bbot\.([a-z_]+)\(", source) if m in by_call)
    models = set()
    for name in imported:
        model = getattr(aiogram.types, name, None) or getattr(aiogram.methods, name, None)
        if isinstance(model, type) and issubclass(model, BaseModel):
            models.add(name)
    models -= {"TelegramObject", "TelegramMethod", "Response"}  # bases, not sent or read
    # `tawasul webhook` (an operator's command, not a worker) builds its own when it runs
    called -= {"SetWebhook", "GetWebhookInfo"}
    assert {"SendMessage", "GetChat", "Update", "InputMediaPhoto"} <= models | called
    assert sorted((models | called) - {*USED_TYPES, *USED_METHODS}) == []


def test_the_forkserver_builds_what_its_workers_use() -> None:
    """bot.aiogram_built, last in bot.worker_start.PRELOAD: the workers forked from the
    forkserver inherit them built (and share them) instead of each building its own."""
    built = _run(
        "import bot.aiogram_built\n" + textwrap.dedent(_BUILT) + "print(json.dumps(built()[1]))"
    )
    assert set(built) == {*USED_TYPES, *USED_METHODS}


def test_the_deferral_is_installed_only_under_the_aiogram_series_it_was_tested_on() -> None:
    """aiogram's internals the hook leans on may change in another release: there the
    models are built at import as aiogram does (more memory, nothing broken)."""
    from bot import aiogram_lazy

    series = ".".join(map(str, aiogram_lazy.TESTED_SERIES))
    assert aiogram_lazy.tested(f"{series}.0") and aiogram_lazy.tested(f"{series}.7")
    assert not aiogram_lazy.tested("3.32.0") and not aiogram_lazy.tested("4.0")
    assert not aiogram_lazy.tested(None) and not aiogram_lazy.tested("nightly")
    # the installed release is the tested one (pyproject.toml pins it), so the hook is on
    assert aiogram_lazy.skipped is None


def test_the_names_lent_are_those_aiogram_passes_to_its_rebuild_loop() -> None:
    """The names each aiogram.types module is lent are aiogram's own ``_types_namespace``,
    not a copy of it that another 3.31.x could outgrow (review 16)."""
    passed = _run(
        """
        import json
        import bot
        import aiogram.types
        from bot import aiogram_lazy
        print(json.dumps(sorted(aiogram_lazy._passed)))
        """
    )
    import aiogram.types

    assert {"List", "Optional", "Union", "Literal", "Default"} <= set(passed)
    assert set(aiogram.types.__all__) <= set(passed)
