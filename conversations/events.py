"""The neutral message model: what channels translate to and from.

No channel type appears here; a channel turns its own updates into these events and
renders :class:`Reply` within its own limits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

MediaKind = Literal["photo", "document", "video", "voice", "audio", "sticker", "animation"]


@dataclass(frozen=True, slots=True)
class Origin:
    """Who sent an event and through which channel; `event_id` is unique per channel.

    `message_id` is the platform's id of the message itself (Telegram's message_id, a
    WhatsApp wamid), the one a later edit names; None for a button tap. `edits` is set on
    an edited message: the `message_id` of the message it replaces. `phone_unverified` is
    true when the channel cannot vouch for any phone number of the sender (a WhatsApp user
    known only by a username): the phone step then takes a typed number, marked so.
    `phone_typed` is true when the channel has no control that shares the sender's number
    and vouches instead that a number typed there is the sender's own (the terminal chat,
    run by the person on their own machine): the phone step asks them to type it.
    `language` is the language the person's app is set to, as the platform says it (an
    IETF tag: Telegram's ``from.language_code``, such as "en" or "en-US"); None when the
    platform does not say. Only a hint: see conversations.languages.from_platform.
    `vouched_phone` is the number (E.164) a channel vouches for as the sender's own and
    gives without asking (WhatsApp's wa_id, the account's number): the phone step, asked
    again, offers it and takes another number typed instead, as not verified.
    `channel_name` is the channel's name as the person knows it, for the words that name
    it («رقمك في واتساب»): a gettext msgid the channel marks with ``N_`` («WhatsApp»),
    which the dialogue translates into the person's language; None where no text names
    the channel. So the dialogue names no channel itself (DESIGN: no channel in
    conversations/), as it knows the person's number only from ``vouched_phone``.
    `splits_texts_at` is the length (UTF-16 units) beyond which the person's app sends a
    pasted text as several messages (Telegram's apps: 4096); None where a text arrives
    whole (the terminal; WhatsApp takes 65,536 in one message). Only then may a message
    be taken as the rest of a long one (conversations.flows.description_text)."""

    channel: str
    user_key: str
    event_id: str
    message_id: str | None = None
    edits: str | None = None
    phone_unverified: bool = False
    language: str | None = None
    phone_typed: bool = False
    vouched_phone: str | None = None
    channel_name: str | None = None
    # a property of the channel, not of the event: two events are the same without it
    splits_texts_at: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Text:
    origin: Origin
    text: str


@dataclass(frozen=True, slots=True)
class Choice:
    """A tapped button or list row: `id` is the short ASCII id the flow offered."""

    origin: Origin
    id: str
    # the stamp of the question the button was shown under, when the channel carries it
    # back (conversations.stale_buttons); None: unknown, the button is taken as current
    stamp: str | None = None
    # the channel's reference to the message the button was under, opaque here, for a
    # channel that can change a sent message later (Telegram: its id and keyboard; see
    # Reply.spent_on); None where it cannot or the choice was typed
    message: str | None = None


@dataclass(frozen=True, slots=True)
class Media:
    """A photo or file. `ref` is the channel's reference (Telegram file_id, WhatsApp media id,
    a local path for the console); `checksum` is the sha256 of the content when the channel
    downloaded it, and then `mime` and `size` are what the bytes really are, not what was
    declared; `album_id` groups items sent together; `caption` is what the person wrote
    with it; `problem` says why the channel did not fetch it ("quota": the person's daily
    allowance of bytes is used up), None otherwise. `album_size` and `album_photos` are
    how many files, and of them photos, the album holds, when the channel waited for all
    of them before passing any on (WhatsApp: bot.channels.whatsapp_bursts); None when it
    cannot know (a Telegram album, answered at its first item)."""

    origin: Origin
    kind: MediaKind
    ref: str
    mime: str
    size: int
    album_id: str | None = None
    checksum: str | None = None
    file_name: str | None = None
    caption: str | None = None
    problem: str | None = None
    album_size: int | None = None
    album_photos: int | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    """A shared phone number; `is_own` is true only when the platform vouches that the
    number belongs to the sender (Telegram: contact.user_id == from.id)."""

    origin: Origin
    phone: str
    is_own: bool


@dataclass(frozen=True, slots=True)
class Command:
    """A slash command or its equivalent (`start`, `help`, `cancel`, ...), without the slash."""

    origin: Origin
    name: str
    args: str = ""


@dataclass(frozen=True, slots=True)
class Unsupported:
    """Something the bot cannot use here: a location, a poll, a game...; `kind` names it.
    ``place``: a location's point, (latitude, longitude) in degrees, when the channel read
    it (it may answer where the iqama holder is: conversations.flows.early_place)."""

    origin: Origin
    kind: str
    place: tuple[float, float] | None = None


Event = Text | Choice | Media | Contact | Command | Unsupported


@dataclass(frozen=True, slots=True)
class Option:
    """One choice offered to the person: a short ASCII `id`, a `label`, an optional
    `description` (WhatsApp list rows show it)."""

    id: str
    label: str
    description: str = ""


def unique_options(options: Iterable[Option]) -> tuple[Option, ...]:
    """`options` without repeats: the first option of each id is kept, in order.

    A reply can be assembled from several sources (a step's own choices, the help extras,
    the navigation) that may offer the same thing twice («My request status»); channels
    refuse a message whose buttons or rows repeat an id or a title."""
    seen: set[str] = set()
    kept: list[Option] = []
    for option in options:
        if option.id not in seen:
            seen.add(option.id)
            kept.append(option)
    return tuple(kept)


@dataclass(frozen=True, slots=True)
class Reply:
    """One outbound message. `choices` render as buttons or a list; `ask_contact` asks the
    channel to offer its own share-my-number control; `locale` is the language the person
    reads, for the few words a channel adds of its own (None: the default, Arabic);
    `follow_up` is the key of a delivery held back until this reply is sent (the receipt
    card): the channel releases it after sending (see bot.outbox.receipts).
    `contact_keyboard_shown`, on the first reply of a turn, says that a share-my-number
    control an earlier reply asked for may still be on screen, for a channel whose control
    stays until taken away (Telegram's reply keyboard); the engine remembers it in the
    dialogue state, so every worker knows it without a read of its own. `stamp` and
    `spent`: see :mod:`conversations.stale_buttons`."""

    text: str
    choices: tuple[Option, ...] = ()
    ask_contact: bool = False
    media: tuple[str, ...] = field(default=())
    locale: str | None = None
    # False where typed numbers are the person's text, not choices: shown unnumbered
    numbered: bool = True
    follow_up: str | None = None
    contact_keyboard_shown: bool = False
    # the question these buttons answer, for a channel that sends it back with a tap
    # (conversations.stale_buttons.keyboard_stamp); set by the engine
    stamp: str | None = None
    # buttons of the tapped message that will never work again, for a channel that can
    # take them off a sent message (Telegram); "*" (stale_buttons.ALL_BUTTONS): all of them
    spent: tuple[str, ...] = ()
    # the message `spent` is about when it is not the tapped one: a Choice.message kept
    # from an earlier turn (the «Ask to reconsider» tapped before the reason was typed)
    spent_on: str | None = None
