"""Neutral replies → Telegram Bot API calls.

Rendering is pure: it builds aiogram method objects (``SendMessage`` ...) that the channel
then sends in order, so the keyboard layout, the 64-byte callback_data rule and the 4096
character split are tested without a network.

Resident chats are sent as plain text (``parse_mode=None``, set explicitly so that a bot
default of HTML cannot apply): the text often echoes what the person typed, and markup
must not be injectable through it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from aiogram.methods import SendDocument, SendMediaGroup, SendMessage, SendPhoto
from aiogram.types import (
    FSInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    InputMediaPhoto,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from conversations.events import Option, Reply
from conversations.i18n import DEFAULT_LOCALE, Texts
from conversations.stale_buttons import with_stamp

#: Telegram's limit for a message text, counted here in UTF-16 code units (what the
#: Bot API counts entity offsets in), which is never less than the character count.
MAX_TEXT_LENGTH: Final = 4096
#: callback_data is 1-64 *bytes*; an Arabic letter takes two, hence short ASCII ids.
MAX_CALLBACK_DATA_BYTES: Final = 64
#: Telegram rejects inline keyboards with more buttons than this.
MAX_INLINE_BUTTONS: Final = 100
#: Labels longer than this do not fit two to a row on a phone.
LONG_LABEL: Final = 20
#: Choice id by which a flow supplies the label of the share-my-number button.
SHARE_CONTACT_ID: Final = "share_contact"
#: Only used when a flow asks for the contact without supplying the button's label.
DEFAULT_CONTACT_LABEL: Final = "📱 مشاركة رقم الجوال"
#: Text of the message that removes the share-my-number keyboard when no reply of the
#: flow can carry the removal, for a caller that gives none (see render_replies); the
#: channel gives :func:`removal_word`, in the person's language.
DEFAULT_REMOVAL_TEXT: Final = "✅"


def removal_word(locale: str | None) -> str:
    """The short polite word that carries the removal of the share-my-number keyboard
    when every reply of the turn has buttons (found by the fresh-clone tester: a lone
    «✅» read as a stray message): «حسنًا.» above the question asked next."""
    return Texts(locale or DEFAULT_LOCALE).gettext("Alright.")


_PHOTO_SUFFIXES: Final = frozenset({".jpg", ".jpeg", ".png", ".webp"})
_MAX_ALBUM: Final = 10

OutboundMethod = SendMessage | SendPhoto | SendDocument | SendMediaGroup
ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


class RenderError(ValueError):
    """A reply that Telegram would refuse; a bug in the flow that produced it."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _fitting_chars(text: str, limit: int) -> int:
    """How many leading characters of `text` fit in `limit` UTF-16 units."""
    units = 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > limit:
            return i
    return len(text)


def split_text(text: str, limit: int = MAX_TEXT_LENGTH) -> list[str]:
    """Split `text` into parts of at most `limit` UTF-16 units, preferring a paragraph
    break, then a line break (either only if it keeps at least half a part), then a
    space, and cutting inside a word only as a last resort."""
    parts: list[str] = []
    rest = text.strip()
    while utf16_len(rest) > limit:
        n = _fitting_chars(rest, limit)
        window = rest[:n]
        cut = -1
        for sep in ("\n\n", "\n"):
            cut = window.rfind(sep)
            if cut >= n // 2:
                break
        else:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = n
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def _check_callback_data(option: Option) -> None:
    size = len(option.id.encode("utf-8"))
    if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
        raise RenderError(
            f"choice id {option.id!r} is {size} bytes; Telegram callback_data must be "
            f"1-{MAX_CALLBACK_DATA_BYTES} bytes (use a short ASCII id)"
        )
    if not option.label.strip():
        raise RenderError(f"choice {option.id!r} has an empty label")


def inline_keyboard(options: Sequence[Option], stamp: str | None = None) -> InlineKeyboardMarkup:
    """One button per choice, callback_data = the choice id, with the question's ``stamp``
    when it fits (so a tap under an earlier message is known for one, see
    conversations.stale_buttons). Two to a row, or one to a row when any label is long, so
    that no label is cut off on a narrow screen."""
    if len(options) > MAX_INLINE_BUTTONS:
        raise RenderError(f"{len(options)} choices; Telegram allows {MAX_INLINE_BUTTONS}")
    for option in options:
        _check_callback_data(option)
    return _inline_markup(tuple((_stamped_data(o.id, stamp), o.label) for o in options))


def _stamped_data(button: str, stamp: str | None) -> str:
    data = with_stamp(button, stamp)
    return data if len(data.encode()) <= MAX_CALLBACK_DATA_BYTES else button


@functools.lru_cache(maxsize=2048)
def _inline_markup(pairs: tuple[tuple[str, str], ...]) -> InlineKeyboardMarkup:
    # A step offers the same buttons to everyone (in two languages), so the pydantic
    # models are built once per keyboard rather than per reply: the profile of
    # bench/dialogue.py had a tenth of the turn's own time in building them. aiogram only
    # reads a markup when it sends it, so one object serves every send.
    buttons = [InlineKeyboardButton(text=label, callback_data=data) for data, label in pairs]
    per_row = 1 if any(len(label) > LONG_LABEL for _, label in pairs) else 2
    rows = [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def contact_keyboard(
    reply: Reply, default_label: str = DEFAULT_CONTACT_LABEL
) -> ReplyKeyboardMarkup:
    """The share-my-number button (labelled by the flow's ``share_contact`` choice when
    there is one) and the other choices as plain buttons under it: tapping one of those
    sends its label as text, which the flow accepts like a tap."""
    choices = list(reply.choices)
    label = default_label
    # wherever it stands: the flow may put a choice of its own before it (the numbers of
    # a message to pick from, the number already in the request)
    share = next((i for i, o in enumerate(choices) if o.id == SHARE_CONTACT_ID), None)
    if share is not None:
        label = choices.pop(share).label
    rows = [[KeyboardButton(text=label, request_contact=True)]]
    rows += [[KeyboardButton(text=o.label)] for o in choices]
    # one_time: the client folds the keyboard away once it is used, so it does not sit
    # over the next question while the removal waits for a message that can carry it.
    return ReplyKeyboardMarkup(keyboard=rows, resize_keyboard=True, one_time_keyboard=True)


def _media_methods(chat_id: int, refs: Sequence[str]) -> list[OutboundMethod]:
    """`Reply.media` items: a path to a local file is uploaded (a photo by its suffix,
    otherwise a document); anything else is taken as a Telegram file_id or URL of a
    photo. Two or more photos in a row go as albums of at most ten."""
    methods: list[OutboundMethod] = []
    photos: list[str | InputFile] = []

    def flush() -> None:
        for i in range(0, len(photos), _MAX_ALBUM):
            chunk = photos[i : i + _MAX_ALBUM]
            if len(chunk) == 1:
                methods.append(SendPhoto(chat_id=chat_id, photo=chunk[0]))
            else:
                media = [InputMediaPhoto(media=p) for p in chunk]
                methods.append(SendMediaGroup(chat_id=chat_id, media=list(media)))
        photos.clear()

    for ref in refs:
        path = Path(ref)
        if path.is_file():
            if path.suffix.lower() in _PHOTO_SUFFIXES:
                photos.append(FSInputFile(path))
            else:
                flush()
                methods.append(SendDocument(chat_id=chat_id, document=FSInputFile(path)))
        else:
            photos.append(ref)
    flush()
    return methods


def render_reply(
    chat_id: int,
    reply: Reply,
    *,
    contact_label: str = DEFAULT_CONTACT_LABEL,
) -> list[OutboundMethod]:
    """The calls for one reply: its media first, then its text in as many messages as
    the 4096 limit needs, the keyboard on the last one."""
    methods = _media_methods(chat_id, reply.media)
    parts = split_text(reply.text)
    if not parts:
        if reply.choices or reply.ask_contact or not methods:
            raise RenderError("a reply needs text (Telegram refuses empty messages)")
        return methods

    last_markup: ReplyMarkup | None = None
    if reply.ask_contact:
        last_markup = contact_keyboard(reply, contact_label)
    elif reply.choices:
        last_markup = inline_keyboard(reply.choices, reply.stamp)
    for i, part in enumerate(parts):
        markup = last_markup if i == len(parts) - 1 else None
        methods.append(
            SendMessage(chat_id=chat_id, text=part, parse_mode=None, reply_markup=markup)
        )
    return methods


def _plain_message(methods: list[OutboundMethod]) -> int | None:
    """Index of the first text message without a keyboard, which can carry the removal."""
    for i, method in enumerate(methods):
        if isinstance(method, SendMessage) and method.reply_markup is None:
            return i
    return None


def render_replies(
    chat_id: int,
    replies: Sequence[Reply],
    *,
    reply_keyboard_shown: bool,
    contact_label: str = DEFAULT_CONTACT_LABEL,
    removal_text: str = DEFAULT_REMOVAL_TEXT,
) -> tuple[list[OutboundMethod], bool]:
    """Render a batch in order and take the share-my-number keyboard away when it has
    served. `reply_keyboard_shown` says whether the chat still shows it (the caller
    passes True right after a Contact). Returns the calls and whether it is still shown.

    A message has one markup, so ReplyKeyboardRemove rides on the first text message of
    the batch that has no inline buttons. When every message has buttons (the flow's
    replies usually offer "cancel"), a short message with `removal_text` goes first to
    carry it: editing a message to add the buttons afterwards is refused by Telegram for
    messages sent with a reply-keyboard markup, and leaving the keyboard would let it sit
    under the input field for the rest of the dialogue.
    """
    rendered, shown = render_reply_groups(
        chat_id,
        replies,
        reply_keyboard_shown=reply_keyboard_shown,
        contact_label=contact_label,
        removal_text=removal_text,
    )
    return [m for methods in rendered for m in methods], shown


def render_reply_groups(
    chat_id: int,
    replies: Sequence[Reply],
    *,
    reply_keyboard_shown: bool,
    contact_label: str = DEFAULT_CONTACT_LABEL,
    removal_text: str = DEFAULT_REMOVAL_TEXT,
) -> tuple[list[list[OutboundMethod]], bool]:
    """:func:`render_replies` with the calls kept per reply (one list for each reply, in
    order), for a sender that treats each reply's failure on its own."""
    rendered = [render_reply(chat_id, r, contact_label=contact_label) for r in replies]
    shown = reply_keyboard_shown
    waiting: int | None = None  # the first reply sent while the keyboard should go
    for i, reply in enumerate(replies):
        if reply.ask_contact:
            shown, waiting = True, None  # a new reply keyboard replaces the old one
            continue
        if not shown:
            continue
        carrier = _plain_message(rendered[i])
        if carrier is not None:
            message = rendered[i][carrier]
            rendered[i][carrier] = message.model_copy(
                update={"reply_markup": ReplyKeyboardRemove()}
            )
            shown, waiting = False, None
        elif waiting is None:
            waiting = i
    if shown and waiting is not None:
        if not any(_split_for_removal(methods) for methods in rendered[waiting:]):
            removal = SendMessage(
                chat_id=chat_id,
                text=removal_text,
                parse_mode=None,
                reply_markup=ReplyKeyboardRemove(),
            )
            rendered[waiting].insert(0, removal)
        shown = False
    return rendered, shown


def _split_for_removal(methods: list[OutboundMethod]) -> bool:
    """Splits a reply's last message with inline buttons at its last line break, in place:
    the lines before it carry the removal of the share-my-number keyboard, the last line
    (the question) keeps the buttons. False when no message of the reply has two lines.

    Found by tester 10b (item 8): «/status» at the phone step was answered with a bare
    «حسنًا.» of its own before «اكتب رقم الطلب…», the word only there to carry the removal;
    the answer's own first lines carry it now, and the bare word is left for a reply of
    one line alone."""
    for i in range(len(methods) - 1, -1, -1):
        method = methods[i]
        if not isinstance(method, SendMessage) or method.reply_markup is None:
            continue
        head, _newline, tail = method.text.rpartition("\n")
        if not head.strip() or not tail.strip():
            continue
        methods[i : i + 1] = [
            method.model_copy(
                update={"text": head.rstrip(), "reply_markup": ReplyKeyboardRemove()}
            ),
            method.model_copy(update={"text": tail.strip()}),
        ]
        return True
    return False
