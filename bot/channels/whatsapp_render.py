"""Neutral replies → WhatsApp messages, within WhatsApp's limits.

Pure: it builds small message values (:class:`OutText`, :class:`OutButtons`,
:class:`OutList`, :class:`OutMedia`) that the channel then sends through pywa, so the
limits below are checked here, before anything is sent, and tested without a network.

Choices are first de-duplicated (a repeated id would make WhatsApp refuse the message).
They become reply buttons when there are at most three and every label fits a button
whole. Otherwise the navigation every question carries (back, help, cancel) is offered in
words under the question instead of as rows, as people expect on WhatsApp, and the real
choices become buttons when three or fewer remain, else a list. A list's button and its
section say what it holds («اختر الخدمة» / «الخدمات»); its rows are numbered in the order
of ``Reply.choices`` (the engine maps a typed "2" or "٢" to the second choice offered, and
the navigation, always last, does not shift the numbers). A label too long for a row is
cut at a word boundary with "…" and written out whole in the row's description. More than
ten choices are paged: nine rows and a «More» row that the channel answers itself with the
next page.

A reply that cannot be rendered within the limits anyway is sent in a simpler form by
:func:`render_safely`: its text with the choices as numbered lines, which the person
answers by typing a number.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from bot.channels.telegram_render import split_text
from conversations.events import Option, Reply, unique_options
from conversations.i18n import N_, Texts

log = logging.getLogger(__name__)

#: A text message.
MAX_TEXT: Final = 4096
#: The body of an interactive (buttons or list) message.
MAX_BODY: Final = 1024
MAX_BUTTONS: Final = 3
MAX_BUTTON_TITLE: Final = 20
MAX_ROWS: Final = 10
MAX_ROW_TITLE: Final = 24
MAX_ROW_DESCRIPTION: Final = 72
#: The label of the button that opens a list, and a section title.
MAX_LIST_BUTTON: Final = 20
MAX_SECTION_TITLE: Final = 24
#: Row ids may be 200 characters, button ids 256: the smaller bounds both.
MAX_CHOICE_ID: Final = 200
#: A caption on an image or document.
MAX_CAPTION: Final = 1024

#: Choice id of the «More» row: ``wa:more:<menu token>:<index of the first row to show>``.
MORE_PREFIX: Final = "wa:more:"
#: The choice a flow offers for Telegram's share-my-number button; WhatsApp needs none.
SHARE_CONTACT_ID: Final = "share_contact"

#: The choices every question carries; offered in words when they would make a list.
NAVIGATION_IDS: Final = ("back", "help", "cancel")

#: What a list holds, by the prefix of its choice ids: (list button, section title).
_MENUS: Final = (
    ("s:", N_("Choose a service"), N_("Services")),
    ("g:", N_("Choose a group"), N_("Service groups")),
    ("q:", N_("Choose an answer"), N_("Answers")),
    ("e:", N_("Confirm or change"), N_("Your request")),
    ("r:", N_("Choose a request"), N_("Your requests")),
    ("kb:", N_("Choose a question"), N_("Questions")),
)
_DEFAULT_MENU: Final = (N_("Choose"), N_("Choices"))

ELLIPSIS: Final = "…"
_PHOTO_SUFFIXES: Final = frozenset({".jpg", ".jpeg", ".png", ".webp"})
_TRIM: Final = " \t\n،,.;:-–—"


class RenderError(ValueError):
    """A reply WhatsApp would refuse; a bug in whatever produced it."""


@dataclass(frozen=True, slots=True)
class OutText:
    body: str


@dataclass(frozen=True, slots=True)
class Button:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class OutButtons:
    body: str
    buttons: tuple[Button, ...]


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    title: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class OutList:
    body: str
    button: str
    section: str
    rows: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class OutMedia:
    """A file to send: `path` a local file to upload, else `ref` a WhatsApp media id."""

    kind: Literal["image", "document"]
    ref: str
    path: Path | None = None


Outbound = OutText | OutButtons | OutList | OutMedia


def shorten(text: str, limit: int) -> tuple[str, bool]:
    """`text` within `limit` characters, cut at a word boundary with "…"; and whether it
    was cut. Only a single word longer than the limit is cut inside the word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text, False
    head = text[: limit - len(ELLIPSIS)]
    if text[len(head)] != " ":
        space = head.rfind(" ")
        if space > 0:
            head = head[:space]
    head = head.rstrip(_TRIM) or head
    return head + ELLIPSIS, True


def _check(reply: Reply, choices: Sequence[Option]) -> None:
    if choices and not reply.text.strip():
        raise RenderError("a reply with choices needs text (WhatsApp requires a body)")
    ids = [o.id for o in choices]
    if len(set(ids)) != len(ids):
        raise RenderError(f"duplicate choice ids in {ids!r}")
    for option in choices:
        if not 1 <= len(option.id) <= MAX_CHOICE_ID:
            raise RenderError(f"choice id {option.id!r} must be 1-{MAX_CHOICE_ID} characters")
        if option.id.startswith(MORE_PREFIX):
            raise RenderError(f"choice id {option.id!r} uses the channel's own prefix")
        if not option.label.strip():
            raise RenderError(f"choice {option.id!r} has an empty label")


def split_for_body(text: str) -> tuple[list[str], str]:
    """An interactive body holds 1024 characters: what does not fit goes first as text
    messages, and the body is the last part (the question that the choices answer)."""
    parts = split_text(text, MAX_BODY)
    if not parts:
        return [], ""
    body = parts[-1]
    head = text[: text.rfind(body)].rstrip()
    return split_text(head, MAX_TEXT), body


def fits_buttons(choices: Sequence[Option]) -> bool:
    titles = [" ".join(o.label.split()) for o in choices]
    return (
        1 <= len(choices) <= MAX_BUTTONS
        and all(len(t) <= MAX_BUTTON_TITLE for t in titles)
        and len(set(titles)) == len(titles)
    )


def list_page(
    body: str, choices: Sequence[Option], start: int, texts: Texts, token: str
) -> OutList:
    """The list message showing choices from index `start`: all that remain when they
    fit in ten rows, otherwise nine and a «More» row for the rest."""
    _ = texts.gettext
    if not 0 <= start < len(choices):
        raise RenderError(f"no choices from {start} (of {len(choices)})")
    remaining = len(choices) - start
    shown = remaining if remaining <= MAX_ROWS else MAX_ROWS - 1
    rows = [_row(start + i + 1, choices[start + i]) for i in range(shown)]
    if start + shown < len(choices):
        more_id = f"{MORE_PREFIX}{token}:{start + shown}"
        if len(more_id) > MAX_CHOICE_ID:
            raise RenderError("menu token too long")
        rows.append(Row(more_id, shorten(_("More"), MAX_ROW_TITLE)[0]))
    button, section = menu_labels(choices)
    return OutList(
        body=body,
        button=shorten(_(button), MAX_LIST_BUTTON)[0],
        section=shorten(_(section), MAX_SECTION_TITLE)[0],
        rows=tuple(rows),
    )


def menu_labels(choices: Sequence[Option]) -> tuple[str, str]:
    """The (untranslated) list button and section title for `choices`: named after what
    most of them are (services, answers, changes to the request...)."""
    best, count = _DEFAULT_MENU, 0
    for prefix, button, section in _MENUS:
        n = sum(o.id.startswith(prefix) for o in choices)
        if n > count:
            best, count = (button, section), n
    return best


def _row(number: int, option: Option) -> Row:
    prefix = f"{number}. "
    title, cut = shorten(option.label, MAX_ROW_TITLE - len(prefix))
    description = option.label if cut else option.description
    return Row(option.id, prefix + title, shorten(description, MAX_ROW_DESCRIPTION)[0])


def _media(refs: Sequence[str]) -> list[Outbound]:
    out: list[Outbound] = []
    for ref in refs:
        path = Path(ref)
        if path.is_file():
            kind: Literal["image", "document"] = (
                "image" if path.suffix.lower() in _PHOTO_SUFFIXES else "document"
            )
            out.append(OutMedia(kind=kind, ref=ref, path=path))
        else:
            out.append(OutMedia(kind="image", ref=ref))
    return out


def presented(reply: Reply, texts: Texts) -> tuple[str, list[Option]]:
    """The text and choices as WhatsApp shows them: de-duplicated, without the channel's
    share-my-number choice, and with the navigation in words under the question when it
    would otherwise turn a few buttons into a list (see the module docstring)."""
    choices = list(unique_options(o for o in reply.choices if o.id != SHARE_CONTACT_ID))
    if fits_buttons(choices):
        return reply.text, choices
    real = [o for o in choices if o.id not in NAVIGATION_IDS]
    navigation = [o for o in choices if o.id in NAVIGATION_IDS]
    if not real or not navigation:
        return reply.text, choices
    return f"{reply.text}\n\n{navigation_hint(navigation, texts)}", real


def navigation_hint(navigation: Sequence[Option], texts: Texts) -> str:
    """One line naming the navigation words the person may type («رجوع»، «مساعدة»...); the
    engine takes a typed label like a tap on its button."""
    _ = texts.gettext
    quoted = [f"«{' '.join(o.label.split())}»" for o in navigation]
    words = quoted[0]
    if len(quoted) > 1:
        words = _("%(first)s or %(last)s") % {
            "first": _(", ").join(quoted[:-1]),
            "last": quoted[-1],
        }
    return _("You can also type %(words)s.") % {"words": words}


def render_reply(reply: Reply, texts: Texts, *, token: str = "") -> list[Outbound]:
    """The messages for one reply: its media first, then its text (in as many messages
    as the limits need) with the choices on the last one. `token` names the menu in the
    ids of «More» rows; it is needed only when there are more than ten choices.

    ``ask_contact`` is the channel's business (WhatsApp vouches for the number itself),
    so the share-my-number choice is dropped here and the rest rendered as usual."""
    text, choices = presented(reply, texts)
    _check(reply, choices)
    out = _media(reply.media)
    if not choices:
        out += [OutText(part) for part in split_text(text, MAX_TEXT)]
        if not out:
            raise RenderError("an empty reply (no text, no media)")
        return out
    if len(choices) > MAX_ROWS and not token:
        raise RenderError("more than ten choices need a menu token for the «More» row")
    head, body = split_for_body(text)
    out += [OutText(part) for part in head]
    if fits_buttons(choices):
        buttons = tuple(Button(o.id, " ".join(o.label.split())) for o in choices)
        out.append(OutButtons(body, buttons))
    else:
        out.append(list_page(body, choices, 0, texts, token))
    return out


def render_plain(reply: Reply, texts: Texts) -> list[Outbound]:
    """The reply in its simplest form: media, then text messages only, the choices as
    numbered lines at the end (typing the number answers like a tap)."""
    _ = texts.gettext
    choices = unique_options(o for o in reply.choices if o.id != SHARE_CONTACT_ID)
    # the navigation is named, not numbered, as everywhere: the engine reads a typed
    # number as one of the step's own choices only (conversations.reading.as_choice)
    real = [o for o in choices if o.id not in NAVIGATION_IDS]
    navigation = [o for o in choices if o.id in NAVIGATION_IDS]
    text = reply.text
    if real:
        lines = "\n".join(f"{i}. {' '.join(o.label.split())}" for i, o in enumerate(real, start=1))
        ask = _("Reply with the number of your choice:")
        text = f"{text}\n\n{ask}\n{lines}".strip()
    if navigation:
        text = f"{text}\n\n{navigation_hint(navigation, texts)}".strip()
    out = _media(reply.media)
    out += [OutText(part) for part in split_text(text, MAX_TEXT)]
    return out


def render_safely(reply: Reply, texts: Texts, *, token: str = "") -> list[Outbound]:
    """:func:`render_reply`, every message checked by :func:`validate`; a reply that
    breaks a limit anyway is logged and rendered by :func:`render_plain` instead, so the
    person still gets it (a bug in whatever built the reply must not silence the bot)."""
    try:
        messages = render_reply(reply, texts, token=token)
        for message in messages:
            validate(message)
        return messages
    except RenderError as exc:
        # the reason names ids and limits, never what the person wrote
        log.warning("reply sent as plain text: %s", exc)
        return render_plain(reply, texts)


def plain_of(message: Outbound) -> OutText:
    """An interactive message as text with numbered options (WhatsApp refused it)."""
    if isinstance(message, OutButtons):
        # numbered as the engine reads a typed number: the navigation named, not counted
        real = [b.title for b in message.buttons if b.id not in NAVIGATION_IDS]
        named = [f"• {b.title}" for b in message.buttons if b.id in NAVIGATION_IDS]
        lines = "\n".join([*(f"{i}. {t}" for i, t in enumerate(real, start=1)), *named])
        return OutText(f"{message.body}\n\n{lines}"[:MAX_TEXT])
    if isinstance(message, OutList):
        lines = "\n".join(r.title for r in message.rows if not r.id.startswith(MORE_PREFIX))
        return OutText(f"{message.body}\n\n{lines}"[:MAX_TEXT])
    if isinstance(message, OutText):
        return message
    raise RenderError("media has no text form")


def validate(message: Outbound) -> None:
    """Raises RenderError unless `message` is within WhatsApp's limits; the channel calls
    it on every message before sending, whoever built it."""
    if isinstance(message, OutText):
        if not message.body.strip() or len(message.body) > MAX_TEXT:
            raise RenderError(f"text of {len(message.body)} characters (1-{MAX_TEXT})")
        return
    if isinstance(message, OutMedia):
        return
    if not message.body.strip() or len(message.body) > MAX_BODY:
        raise RenderError(f"interactive body of {len(message.body)} characters (1-{MAX_BODY})")
    if isinstance(message, OutButtons):
        if not 1 <= len(message.buttons) <= MAX_BUTTONS:
            raise RenderError(f"{len(message.buttons)} buttons (1-{MAX_BUTTONS})")
        for button in message.buttons:
            if not 1 <= len(button.title) <= MAX_BUTTON_TITLE:
                raise RenderError(f"button title {button.title!r} over {MAX_BUTTON_TITLE}")
        return
    if not 1 <= len(message.rows) <= MAX_ROWS:
        raise RenderError(f"{len(message.rows)} rows (1-{MAX_ROWS})")
    if not 1 <= len(message.button) <= MAX_LIST_BUTTON:
        raise RenderError(f"list button {message.button!r} over {MAX_LIST_BUTTON}")
    if len(message.section) > MAX_SECTION_TITLE:
        raise RenderError(f"section title {message.section!r} over {MAX_SECTION_TITLE}")
    for row in message.rows:
        if not 1 <= len(row.title) <= MAX_ROW_TITLE:
            raise RenderError(f"row title {row.title!r} over {MAX_ROW_TITLE}")
        if len(row.description) > MAX_ROW_DESCRIPTION:
            raise RenderError(f"row description over {MAX_ROW_DESCRIPTION}")
