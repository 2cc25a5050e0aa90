"""A file sent again on its own is told in the words of what it is, a photo or a file
(found in session 12: a single repeated photo was «أرسلت هذا الملف من قبل»), at every step
that keeps files: before the service, the description, the documents, a note."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_intake import _to_attachments

PDF = "application/pdf"


def _chat() -> Chat:
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)


async def test_a_photo_again_at_the_documents_step_is_a_photo_a_pdf_a_file() -> None:
    chat = _chat()
    await _to_attachments(chat)
    await chat.media(content=b"page one", ref="a")
    await chat.media(content=b"page one", ref="b")
    assert chat.said.startswith("أرسلت هذه الصورة من قبل، لذا نحتفظ بها مرة واحدة."), chat.said
    assert "الملف" not in chat.said and "«تم»" in chat.said
    await chat.media(kind="document", mime=PDF, content=b"%PDF one", ref="c")
    await chat.media(kind="document", mime=PDF, content=b"%PDF one", ref="d")
    assert chat.said.startswith("أرسلت هذا الملف من قبل، لذا نحتفظ به مرة واحدة."), chat.said


@pytest.mark.parametrize(
    ("kind", "mime", "said"),
    [
        ("photo", "image/jpeg", "أرسلت هذه الصورة من قبل، ونحتفظ بها مرة واحدة لطلبك."),
        ("document", PDF, "أرسلت هذا الملف من قبل، ونحتفظ به مرة واحدة لطلبك."),
    ],
)
async def test_a_file_again_before_the_service_says_what_it_is(
    kind: str, mime: str, said: str
) -> None:
    chat = _chat()
    await chat.command("start")
    await chat.media(kind=kind, mime=mime, content=b"same", ref="a")  # type: ignore[arg-type]
    await chat.media(kind=kind, mime=mime, content=b"same", ref="b")  # type: ignore[arg-type]
    assert chat.said.startswith(said), chat.said
