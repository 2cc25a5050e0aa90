"""The durable tables (DESIGN.md, "Durable data") as SQLAlchemy 2 typed declarative models.

`migrations/versions/` must create exactly this schema; a test compares the migrated
database with this metadata on SQLite and PostgreSQL, so a change here needs a migration.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Explicit constraint names: the same on every backend, so migrations can drop or alter
# them later (SQLite batch mode needs names), and autogenerate compares like with like.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# The statuses of domain.status.RequestStatus, frozen here as the database's own guard.
REQUEST_STATUSES = ("received", "under_review", "needs_info", "accepted", "rejected")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware instant stored in UTC.

    PostgreSQL keeps it as timestamptz. SQLite has no timezone type and SQLAlchemy silently
    drops tzinfo there, so values are normalised to UTC before storing (naive, so string
    comparisons such as `next_attempt_at <= now` stay correct) and read back as aware UTC.
    Naive datetimes are refused: their meaning would depend on the server's clock zone.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime: pass a timezone-aware value")
        value = value.astimezone(dt.UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012  (the documented way to map annotations)
        dt.datetime: UtcDateTime(),
        dict[str, Any]: JSON(),
    }


class Account(Base):
    """A channel identity (a Telegram user, a WhatsApp number) that files requests."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("channel", "user_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    user_key: Mapped[str] = mapped_column(String(128))
    verified_phone: Mapped[str | None] = mapped_column(String(20))
    locale: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    identities: Mapped[list[AccountIdentity]] = relationship(
        back_populates="account", cascade="all, delete-orphan", passive_deletes=True
    )


class AccountIdentity(Base):
    """An identity number proven to belong to an account (the owner's or a dependent's or
    worker's). Reserved: nothing binds numbers yet, because typing a number proves nothing;
    status answers go to the filing chat or to whoever gives the identity number."""

    __tablename__ = "account_identities"
    __table_args__ = (UniqueConstraint("account_id", "identity_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    identity_number: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    account: Mapped[Account] = relationship(back_populates="identities")


class Request(Base):
    __tablename__ = "requests"
    __table_args__ = (
        Index("ix_requests_status_due_date", "status", "due_date"),
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in REQUEST_STATUSES) + ")",
            name="status",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(10), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    # channel and user_key are copied from the account so that an officer's view and the
    # notifications do not need a join, and stay true to where the request came from.
    channel: Mapped[str] = mapped_column(String(16))
    user_key: Mapped[str] = mapped_column(String(128))
    applicant_kind: Mapped[str] = mapped_column(String(16))
    service_id: Mapped[str] = mapped_column(String(32))
    identity_number: Mapped[str] = mapped_column(String(10))
    identity_kind: Mapped[str] = mapped_column(String(16))
    establishment_number: Mapped[str | None] = mapped_column(String(10))
    phone: Mapped[str] = mapped_column(String(20))
    # migration 0004: False when the person typed the number and no channel vouched for it
    # (a WhatsApp user known only by a username)
    phone_verified: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    description: Mapped[str] = mapped_column(Text)
    eligibility: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16))
    locale: Mapped[str] = mapped_column(String(8))
    submitted_at: Mapped[dt.datetime]
    due_date: Mapped[dt.date] = mapped_column(Date)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    # --- the staff desk (migration 0002) ---
    # "officer:<id>" of whoever took the request, and the name shown on the card
    assigned_to: Mapped[str | None] = mapped_column(String(160))
    assigned_name: Mapped[str | None] = mapped_column(String(160))
    # where the card lives, so every decision edits it in place
    staff_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    staff_thread_id: Mapped[int | None] = mapped_column(Integer)
    staff_message_id: Mapped[int | None] = mapped_column(Integer)
    # the officer's open question while waiting for the person (status needs_info)
    pending_question: Mapped[str | None] = mapped_column(Text)
    # the 7-working-day clock stops while the person is asked for more information
    paused_since: Mapped[dt.datetime | None]
    # the reason given with the last rejection, shown to the person and on the card
    decision_reason: Mapped[str | None] = mapped_column(Text)
    reminded_at: Mapped[dt.datetime | None]
    escalated_at: Mapped[dt.datetime | None]

    # --- the person's say (migration 0005) ---
    # when the decision's notice asked how satisfied they are (asked once per request)
    survey_asked_at: Mapped[dt.datetime | None]
    # their answer, 1 (not at all) to 5 (very), the optional comment, and when
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    satisfaction_comment: Mapped[str | None] = mapped_column(Text)
    satisfaction_at: Mapped[dt.datetime | None]
    #: the status event (id) of the decision rated: which decision a rating is about is
    #: told by the trail's order, never by comparing two workers' clocks
    satisfaction_decision: Mapped[int | None] = mapped_column(Integer)
    # the reason of a reconsideration asked for and not yet answered by an officer
    reconsider_reason: Mapped[str | None] = mapped_column(Text)

    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="request",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Attachment.id",
    )
    events: Mapped[list[StatusEvent]] = relationship(
        back_populates="request",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="StatusEvent.id",
    )


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("requests.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    # Telegram file_id, WhatsApp media id or a local path: opaque, can be long.
    channel_ref: Mapped[str] = mapped_column(String(1024))
    mime: Mapped[str] = mapped_column(String(128))
    size: Mapped[int] = mapped_column(BigInteger)
    checksum: Mapped[str | None] = mapped_column(String(128))
    file_name: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # the words sent with the file (a caption), in the person's own spelling (migration 0003)
    caption: Mapped[str | None] = mapped_column(Text)

    request: Mapped[Request] = relationship(back_populates="attachments")


class StatusEvent(Base):
    """The audit trail: who moved a request from which status to which, when and why.
    `actor` is "resident:<channel>:<user_key>", "officer:<id>" or "system"."""

    __tablename__ = "status_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("requests.id", ondelete="CASCADE"), index=True
    )
    actor: Mapped[str] = mapped_column(String(160))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    # None for a change of status or hands; "note" (the person's note or document),
    # "reconsider" (the person asks for a rejection to be reconsidered) or "kept" (an
    # officer keeps the rejection) for the rows that leave the status as it was
    # (migration 0005)
    kind: Mapped[str | None] = mapped_column(String(16))

    request: Mapped[Request] = relationship(back_populates="events")


class OutboxMessage(Base):
    """A delivery not yet confirmed (staff alert, notification). Written in the same
    transaction as the change it reports; a dispatcher sends it with retries."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_sent_at_next_attempt_at", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(160))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    # Unique but nullable: many rows may have no key (NULLs never collide on either backend).
    dedupe_key: Mapped[str | None] = mapped_column(String(160), unique=True)

    # --- delivery (migration 0002) ---
    # "telegram", "whatsapp", "console" for a person; "staff" for the staff group
    channel: Mapped[str] = mapped_column(String(16), default="staff", server_default="staff")
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("requests.id", ondelete="SET NULL"), index=True
    )
    # a dispatcher owns the row until then (a crashed one's rows come back after it)
    claimed_until: Mapped[dt.datetime | None]
    # the platform's id of what was sent (Telegram message id, WhatsApp wamid)
    provider_message_id: Mapped[str | None] = mapped_column(String(160), index=True)
    # queued, sent, delivered, read, failed (WhatsApp reports the last three)
    delivery_status: Mapped[str] = mapped_column(
        String(16), default="queued", server_default="queued"
    )


class AuditEntry(Base):
    """What officers and operators did with personal data beyond one request's status (an
    export with identity and phone numbers): who, when, what, and the details (never the
    personal data itself). Rows are only ever added (migration 0006)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    # "terminal:<name>", "os-user:<name>" or "officer:<id>", as in the status events
    actor: Mapped[str] = mapped_column(String(160))
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class StaffTopic(Base):
    """The forum topic a department's cards go to in the staff group, created on demand."""

    __tablename__ = "staff_topics"
    __table_args__ = (UniqueConstraint("chat_id", "department", name="uq_staff_topics_chat_dept"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    department: Mapped[str] = mapped_column(String(32))
    thread_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Block(Base):
    """A person the bot stops serving, by an officer's decision (issue 14): the person
    behind a request (their channel identity), why, who decided it and when, and who lifted
    it and when. One row per block, never deleted: the table is the blocks' audit trail and
    their truth (Redis holds a copy for the inbound check, rebuilt from here when lost).
    Active while ``unblocked_at`` is null."""

    __tablename__ = "blocks"
    __table_args__ = (Index("ix_blocks_channel_user_key", "channel", "user_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    user_key: Mapped[str] = mapped_column(String(128))
    # the language the person is told in (the request's)
    locale: Mapped[str] = mapped_column(String(8))
    # the request the officer blocked from
    request_number: Mapped[str | None] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    blocked_by: Mapped[str] = mapped_column(String(160))
    blocked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    unblocked_by: Mapped[str | None] = mapped_column(String(160))
    unblocked_at: Mapped[dt.datetime | None]


class LostFileNote(Base):
    """Photos or files of a person that did not reach their draft because the dialogue
    store (Redis) was away when their turn came (conversations.store_outage): written here,
    where every worker can read it while Redis is away, by the worker that apologised, and
    taken into the person's draft by whichever worker handles their next turn at the
    documents. ``person`` is a SHA-256 of the channel and user key, never the key itself
    (a WhatsApp key is a phone number); a row lives from the apology to that turn."""

    __tablename__ = "lost_file_notes"

    person: Mapped[str] = mapped_column(String(64), primary_key=True)
    files: Mapped[int] = mapped_column(Integer)
    noted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class StaffNote(Base):
    """An officer's internal note on a request (the staff group's /note, ``tawasul staff
    note``): for the officers only, never sent to the person nor shown in their status or
    «my data». ``author`` is the officer's signature, as in the audit trail (migration 0009)."""

    __tablename__ = "staff_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("requests.id", ondelete="CASCADE"), index=True
    )
    author: Mapped[str] = mapped_column(String(160))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    text: Mapped[str] = mapped_column(Text)


class Rating(Base):
    """One decision's satisfaction rating (migration 0011): a request reopened and decided
    again is rated again, and each decision's rating stays here, so reports can see the
    first decision's too. ``decision`` is the id of the status event that made the decision
    rated (None for ratings kept before 0010); ``comment`` is the person's words (redacted
    by the retention, as the request's own). The request's ``satisfaction`` columns keep
    the rating of the decision that stands, which the reports count."""

    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("requests.id", ondelete="CASCADE"), index=True
    )
    decision: Mapped[int | None] = mapped_column(Integer)
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    rated_at: Mapped[dt.datetime]
