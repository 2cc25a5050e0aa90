"""aiogram's types built on first use (bot.aiogram_lazy), each case in a fresh interpreter
(the import order is what is tested). Before, importing aiogram.types built all 403
models (7 s of CPU here), the bulk of a worker's start as a whole interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from typing import Any


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


_COUNT = """
    import json
    from pydantic import BaseModel
    import aiogram.types as T

    models = [getattr(T, n) for n in T.__all__]
    models = [m for m in models if isinstance(m, type) and issubclass(m, BaseModel)]
    print(json.dumps([len(models), sum(m.__pydantic_complete__ for m in models)]))
"""


def test_importing_aiogram_after_bot_builds_none_of_its_types() -> None:
    total, built = _run("import bot\n" + textwrap.dedent(_COUNT))
    assert total > 300
    assert built == 0  # before: all of them


def test_aiogram_imported_before_bot_is_left_as_it_is() -> None:
    total, built = _run("import aiogram.types, bot\n" + textwrap.dedent(_COUNT))
    assert built == total


def test_every_type_method_and_answer_builds_and_reads_telegram_json_on_first_use() -> None:
    """What a worker meets first (an update, a send, the answer) works before anything
    else is built; then every type, method and Response[...] builds (no name left
    unresolved for a rarely used one)."""
    result = _run(
        """
        import json
        import bot
        from pydantic import BaseModel
        import aiogram.methods as M
        import aiogram.types as T
        from bot.channels.aiogram_models import pin_response_models, _PINNED

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
        send = M.SendMessage(
            chat_id=5, text="x",
            reply_markup=T.InlineKeyboardMarkup(
                inline_keyboard=[[T.InlineKeyboardButton(text="نعم", callback_data="y")]]
            ),
        )
        pin_response_models()
        answer = M.Response[T.Message].model_validate({
            "ok": True,
            "result": {"message_id": 8, "date": 0, "chat": {"id": 5, "type": "private"}, "text": "x"},
        })
        first = [
            update.message.photo[0].file_id, update.message.from_user.first_name,
            tap.callback_query.data, tap.callback_query.message.chat.id,
            send.model_dump(exclude_none=True)["reply_markup"]["inline_keyboard"][0][0]["text"],
            answer.result.text,
        ]
        unbuilt = []
        for module in (T, M):
            for name in module.__all__:
                model = getattr(module, name)
                if isinstance(model, type) and issubclass(model, BaseModel):
                    try:
                        model.model_rebuild()
                    except Exception as exc:
                        unbuilt.append(f"{name}: {exc}"[:200])
        for response in _PINNED:
            try:
                response.model_rebuild()
            except Exception as exc:
                unbuilt.append(f"{response.__name__}: {exc}"[:200])
        print(json.dumps([first, unbuilt, len(_PINNED)]))
        """
    )
    first, unbuilt, pinned = result
    assert first == ["a", "ن", "st:take:1:1", -100, "نعم", "x"]
    assert unbuilt == []
    assert pinned > 30


def test_the_forkserver_builds_them_all_for_its_workers() -> None:
    """bot.aiogram_built, in the supervisor's forkserver's PRELOAD: the workers forked from
    it inherit every type built (else each replacement built them again: 3.75 s of CPU
    before /readyz instead of 1.0 s)."""
    total, built = _run("import bot.aiogram_built\n" + textwrap.dedent(_COUNT))
    assert built == total
