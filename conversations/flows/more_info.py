"""The person's answer to an officer's question: words and photos that join the request.

It starts from the «Answer» button of the notification, from any step; a half-filled
request is put aside meanwhile and comes back afterwards.
"""

from __future__ import annotations

from typing import Any

from conversations.events import Choice, Event, Media, Option, Text
from conversations.flow import Ctx, Finish, Flow, Outcome, Prompt, Retry, Stay, Step
from conversations.formatting import isolate
from conversations.ports import AttachmentInfo, MoreInfoAnswer, NotAwaitingAnswer
from domain.attachments import check_attachment

MAX_ANSWER = 1000


def _answers(ctx: Ctx) -> dict[str, Any]:
    return ctx.state.answers


def ask_answer(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    answers = _answers(ctx)
    return Prompt(
        _(
            "The officer asks about request %(number)s:\n«%(question)s»\n"
            "Write your answer, and send photos or PDF files if needed. Press «Send answer» when you have finished."
        )
        % {"number": answers["number"], "question": isolate(answers["question"])},
        (Option("send", _("Send answer")),),
    )


async def answer_answer(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    answers = _answers(ctx)
    texts: list[str] = answers.setdefault("texts", [])
    files: list[dict[str, Any]] = answers.setdefault("files", [])
    if isinstance(event, Text):
        if sum(len(t) for t in texts) + len(event.text) > MAX_ANSWER:
            return Retry(
                _("Your answer is longer than %(max)d characters. Please shorten it.")
                % {"max": MAX_ANSWER}
            )
        texts.append(event.text)
        return Stay((_("Noted. Add more, or press «Send answer»."),))
    if isinstance(event, Media):
        reason = check_attachment(event.kind, event.mime, event.size, len(files))
        if reason is not None:
            return Retry(
                _("This file can't be accepted. Please send a photo or a PDF file under 10 MB.")
            )
        files.append(
            {
                "kind": event.kind, "ref": event.ref, "mime": event.mime, "size": event.size,
                "checksum": event.checksum, "file_name": event.file_name,
            }
        )  # fmt: skip
        return Stay((_("Received. Add more, or press «Send answer»."),))
    if isinstance(event, Choice) and event.id == "send":
        if not texts and not files:
            return Retry(_("Please write your answer or send a file first."))
        try:
            await ctx.gateway.answer_more_info(
                MoreInfoAnswer(
                    number=answers["number"],
                    channel=ctx.origin.channel,
                    user_key=ctx.origin.user_key,
                    text="\n".join(texts),
                    attachments=tuple(AttachmentInfo(**f) for f in files),
                )
            )
        except NotAwaitingAnswer:
            return Finish((_("This request is no longer waiting for your answer."),))
        return Finish(
            (
                _(
                    "Thank you. Your answer has been added to request %(number)s and the officer will continue reviewing it."
                )
                % {"number": answers["number"]},
            )
        )
    return Retry(_("Please write your answer, send a file, or press «Send answer»."))


def greeting(ctx: Ctx) -> str:
    return ""


def help_text(ctx: Ctx) -> str:
    _ = ctx.texts.gettext
    return _(
        "You are answering an officer's question about your request. Write your answer and send any photos, then press «Send answer». Type «cancel» to stop without sending."
    )


MORE_INFO = Flow(
    name="more_info",
    first="answer",
    greeting=greeting,
    help=help_text,
    steps={"answer": Step(ask_answer, answer_answer, can_go_back=False)},
)


async def start_answer(ctx: Ctx, number: str) -> str | None:
    """Opens the answer for ``number``; returns a polite refusal instead when it can't."""
    _ = ctx.texts.gettext
    try:
        question = await ctx.gateway.pending_question(
            number, ctx.origin.channel, ctx.origin.user_key
        )
    except NotAwaitingAnswer:
        return _("This request is not waiting for an answer from you.")
    state = ctx.state
    if state.flow != MORE_INFO.name and state.step not in ("", "done"):
        state.suspend()
    state.flow, state.step = MORE_INFO.name, MORE_INFO.first
    state.answers = {"number": number, "question": question, "texts": [], "files": []}
    state.history, state.editing, state.albums = [], False, []
    return None
