"""Test doubles for the flow unit tests (the integration tests use real Redis and SQL)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
import uuid
from dataclasses import dataclass, field

from conversations.events import (
    Choice,
    Command,
    Contact,
    Event,
    Media,
    MediaKind,
    Origin,
    Reply,
    Text,
    Unsupported,
)
from conversations.ports import (
    AttachmentInfo,
    Attempt,
    MoreInfoAnswer,
    NotAwaitingAnswer,
    Note,
    NotTheirs,
    SayRefused,
    StatusView,
    Submission,
    SubmittedRequest,
)
from conversations.state import DialogueState
from conversations.store import DONE, locale_value, unfinished, with_account_locale
from domain.sla import due_date


@dataclass
class MemoryStore:
    """Same contract as the Redis store: claim once, compare-and-set on the version; it can
    be made unreachable for a few claims (``down``) or saves (``save_fails``)."""

    states: dict[tuple[str, str], str] = field(default_factory=dict)
    # (channel, event id) -> b"busy" while its turn is handled, b"1" once it is saved
    claimed: dict[tuple[str, str], bytes] = field(default_factory=dict)
    # the account's language, kept apart from the draft (the Redis key has no TTL)
    locales: dict[tuple[str, str], str] = field(default_factory=dict)
    #: the next claims to be refused, as by a Redis that is away (tests of an outage)
    down: int = 0
    #: the next saves to fail, each with this error (a Redis gone midway: ConnectionError)
    save_fails: list[Exception] = field(default_factory=list)

    async def claim_and_load(
        self, channel: str, user_key: str, event_id: str
    ) -> tuple[bool, DialogueState]:
        if self.down:
            self.down -= 1
            raise ConnectionError("Connection refused")
        key = (channel, event_id)
        state = await self.load(channel, user_key)
        claim = self.claimed.get(key)
        if claim is None:
            self.claimed[key] = b"busy"
            return event_id not in state.handled, state
        return unfinished(claim, state, event_id), state

    async def load(self, channel: str, user_key: str) -> DialogueState:
        raw = self.states.get((channel, user_key))
        state = DialogueState.from_json(raw) if raw else DialogueState()
        # the account's language as the Redis store keeps and reads it (with its mark)
        return with_account_locale(state, self.locales.get((channel, user_key)))

    async def save(
        self,
        channel: str,
        user_key: str,
        state: DialogueState,
        *,
        remember_locale: bool = False,
        forget_locale: bool = False,
        done: str | None = None,
    ) -> bool:
        if self.save_fails:
            raise self.save_fails.pop(0)
        current = await self.load(channel, user_key)
        if current.version != state.version:
            return False
        state.version += 1
        self.states[(channel, user_key)] = state.to_json()
        if forget_locale:
            self.locales.pop((channel, user_key), None)
        elif remember_locale:
            self.locales[(channel, user_key)] = locale_value(state)
        if done is not None and (channel, done) in self.claimed:
            self.claimed[(channel, done)] = DONE
        return True

    def expire(self, channel: str, user_key: str) -> None:
        """What the dialogue key's TTL does to an abandoned draft."""
        self.states.pop((channel, user_key), None)

    async def release(self, channel: str, user_key: str, event_id: str) -> None:
        self.claimed.pop((channel, event_id), None)

    async def move(self, channel: str, old_key: str, new_key: str) -> None:
        for kept in (self.states, self.locales):
            value = kept.pop((channel, old_key), None)
            if value is not None:
                kept.setdefault((channel, new_key), value)


@dataclass
class MemoryGateway:
    submissions: list[Submission] = field(default_factory=list)
    by_key: dict[str, SubmittedRequest] = field(default_factory=dict)
    numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    # (number, channel, user_key) -> the officer's open question
    questions: dict[tuple[str, str, str], str] = field(default_factory=dict)
    answers: list[MoreInfoAnswer] = field(default_factory=list)

    async def pending_question(self, number: str, channel: str, user_key: str) -> str:
        try:
            return self.questions[(number, channel, user_key)]
        except KeyError:
            found = self.views.get(number)
            if found is not None and found[1] == (channel, user_key):
                raise NotAwaitingAnswer(number) from None
            raise NotTheirs(number) from None

    async def answer_more_info(self, answer: MoreInfoAnswer) -> None:
        await self.pending_question(answer.number, answer.channel, answer.user_key)
        del self.questions[(answer.number, answer.channel, answer.user_key)]
        self.answers.append(answer)
        if answer.number in self.views:
            view, owner, identity = self.views[answer.number]
            reviewed = dataclasses.replace(view, status="under_review", question=None)
            self.views[answer.number] = (reviewed, owner, identity)

    def ask(self, number: str, question: str, channel: str = "test", user: str = "u1") -> None:
        """An officer's question on this person's request, as the desk leaves it."""
        self.questions[(number, channel, user)] = question
        now = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
        view = StatusView(number, "iqama_renew", "needs_info", now, due_date(now), None, question)
        self.views[number] = (view, (channel, user), "2000000006")

    # status: a request's view, its owner (channel, user_key) and identity number
    views: dict[str, tuple[StatusView, tuple[str, str], str]] = field(default_factory=dict)

    async def status_for_owner(self, number: str, channel: str, user_key: str) -> StatusView | None:
        found = self.views.get(number)
        return found[0] if found and found[1] == (channel, user_key) else None

    async def status_with_identity(self, number: str, identity_number: str) -> StatusView | None:
        found = self.views.get(number)
        return found[0] if found and found[2] == identity_number else None

    async def my_requests(self, channel: str, user_key: str) -> list[StatusView]:
        return [v for v, owner, _ in self.views.values() if owner == (channel, user_key)]

    async def open_request_like(
        self, channel: str, user_key: str, service_id: str, identity_number: str
    ) -> StatusView | None:
        for view, owner, identity in reversed(self.views.values()):
            if (owner, identity, view.service_id) == ((channel, user_key), identity_number,
                                                      service_id) and view.status not in (
                "accepted", "rejected"):  # fmt: skip
                return view
        return None

    # ---- the person's say: taken for their own requests, kept in the order said ----------

    #: (what, number, the words or rating) as the person said them
    said: list[tuple[str, str, str]] = field(default_factory=list)

    async def may_say(self, what: str, number: str, channel: str, user_key: str) -> None:
        """The real desk's first check (bot.staff.their_say): a request that is missing or
        someone else's is refused as "not_theirs"; the desk's other rules are the
        integration tests' (test_their_say)."""
        found = self.views.get(number)
        if found is None or found[1] != (channel, user_key):
            raise SayRefused(number, "not_theirs")

    async def rate(self, number: str, channel: str, user_key: str, rating: int) -> None:
        await self.may_say("rate", number, channel, user_key)
        self.said.append(("rate", number, str(rating)))

    async def comment(self, number: str, channel: str, user_key: str, text: str) -> None:
        await self.may_say("comment", number, channel, user_key)
        self.said.append(("comment", number, text))

    async def add_note(self, note: Note) -> None:
        await self.may_say("note", note.number, note.channel, note.user_key)
        self.said.append(("note", note.number, note.text))

    async def reconsider(
        self,
        number: str,
        channel: str,
        user_key: str,
        reason: str,
        files: tuple[AttachmentInfo, ...] = (),
    ) -> None:
        await self.may_say("recon", number, channel, user_key)
        self.said.append(("recon", number, reason))
        self.said.extend(("recon file", number, f.ref) for f in files)

    async def add_to_reconsideration(
        self, number: str, channel: str, user_key: str, files: tuple[AttachmentInfo, ...]
    ) -> None:
        """Taken while a reconsideration was asked here (the desk's rule that the officers
        have not answered it yet is the integration tests')."""
        await self.may_say("recon file", number, channel, user_key)
        if not any(what == "recon" and n == number for what, n, _ in self.said):
            raise SayRefused(number, "closed")
        self.said.extend(("recon file", number, f.ref) for f in files)

    async def submit(self, submission: Submission) -> SubmittedRequest:
        if submission.idempotency_key in self.by_key:
            old = self.by_key[submission.idempotency_key]
            return SubmittedRequest(
                old.number, old.service_id, old.submitted_at, old.due_date, False
            )
        self.submissions.append(submission)
        now = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
        filed = SubmittedRequest(
            f"{next(self.numbers):010d}", submission.service_id, now, due_date(now), True
        )
        self.by_key[submission.idempotency_key] = filed
        return filed


@dataclass
class MemoryLimiter:
    """The attempt counting of bot.redis_store.attempts, in one process (no windows)."""

    max_failures: int = 5
    failures: dict[str, int] = field(default_factory=dict)

    async def take(self, *keys: str) -> Attempt:
        if await self.blocked_for(*keys):
            return Attempt(granted=False, wait_s=3600)
        for key in keys:
            self.failures[key] = self.failures.get(key, 0) + 1
        return Attempt(True, left=min(self.max_failures - self.failures[k] for k in keys))

    async def refund(self, *keys: str) -> None:
        for key in keys:
            self.failures[key] = max(0, self.failures.get(key, 0) - 1)

    async def blocked_for(self, *keys: str) -> int:
        return 3600 if any(self.failures.get(k, 0) >= self.max_failures for k in keys) else 0


class Chat:
    """One person's side of a conversation, event by event."""

    def __init__(self, handle, channel: str = "test", user: str = "u1") -> None:  # type: ignore[no-untyped-def]
        self.handle = handle
        self.channel = channel
        self.user = user
        self._ids = itertools.count(1)
        self.last: list[Reply] = []
        # the language the person's app is set to, as a platform passes it (Origin.language)
        self.language: str | None = None
        # where the person's app splits a long paste into messages (Telegram: 4096)
        self.splits_texts_at: int | None = None

    def origin(self, event_id: str | None = None) -> Origin:
        # unique across chats and runs, as platform update ids are
        return Origin(
            self.channel,
            self.user,
            event_id or f"{self.user}-{next(self._ids)}-{uuid.uuid4().hex[:8]}",
            language=self.language,
            splits_texts_at=self.splits_texts_at,
        )

    async def send(self, event: Event) -> list[Reply]:
        self.last = await self.handle(event)
        return self.last

    async def text(self, text: str) -> list[Reply]:
        return await self.send(Text(self.origin(), text))

    async def tap(self, choice_id: str) -> list[Reply]:
        return await self.send(Choice(self.origin(), choice_id))

    async def command(self, name: str) -> list[Reply]:
        return await self.send(Command(self.origin(), name))

    async def contact(self, phone: str, own: bool = True) -> list[Reply]:
        return await self.send(Contact(self.origin(), phone, own))

    async def media(
        self,
        kind: MediaKind = "photo",
        mime: str = "image/jpeg",
        size: int = 50_000,
        album: str | None = None,
        ref: str = "file-1",
        caption: str | None = None,
        content: bytes | None = None,
    ) -> list[Reply]:
        """A photo or file as a channel passes it on once downloaded: its checksum is the
        sha256 of ``content``, or of bytes of its own when no content is given (each
        such file is a different one, as different photos are)."""
        data = content if content is not None else uuid.uuid4().bytes
        checksum = hashlib.sha256(data).hexdigest()
        return await self.send(
            Media(self.origin(), kind, ref, mime, size, album, checksum, caption=caption)
        )

    async def unsupported(self, kind: str) -> list[Reply]:
        return await self.send(Unsupported(self.origin(), kind))

    @property
    def said(self) -> str:
        return "\n".join(r.text for r in self.last)

    @property
    def choice_ids(self) -> list[str]:
        return [c.id for c in self.last[-1].choices] if self.last else []


class WhatsAppChat(Chat):
    """A chat on a channel that cannot vouch for a phone number: it is typed."""

    def origin(self, event_id: str | None = None) -> Origin:
        return dataclasses.replace(super().origin(event_id), phone_unverified=True)


class TerminalChat(Chat):
    """A chat on a channel with no button that shares a number, which vouches for a
    number typed there (the terminal chat): ``Origin.phone_typed``."""

    def origin(self, event_id: str | None = None) -> Origin:
        return dataclasses.replace(super().origin(event_id), phone_typed=True)
