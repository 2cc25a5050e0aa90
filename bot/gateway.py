"""The dialogues' RequestGateway: filing through SQL, answers through the staff desk."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from bot.abuse.filing import FilingLimits
from bot.db.requests_repo import RequestRecord, SqlRequestGateway, StatusEventRecord
from bot.staff.desk import StaffDesk
from conversations.ports import (
    DECISION_KEPT,
    RECONSIDERATION_ASKED,
    AttachmentInfo,
    MoreInfoAnswer,
    NotAwaitingAnswer,
    Note,
    NotTheirs,
    StatusView,
    Submission,
    SubmittedRequest,
)
from domain.identity import mask_identity
from domain.status import FINAL, IllegalTransition, RequestStatus
from domain.their_say import may_reconsider
from officers.desk import KEPT
from officers.desk_rules import undid_unseen
from officers.failures import NotTheOwner, RequestNotFound
from officers.their_say import RECONSIDER


class Gateway:
    def __init__(
        self,
        requests: SqlRequestGateway,
        desk: StaffDesk,
        limits: FilingLimits | None = None,
    ) -> None:
        self.requests = requests
        self.desk = desk
        self.limits = limits

    async def _views(self, records: Sequence[RequestRecord]) -> list[StatusView]:
        """What each owner may see of ``records``: a decision only once the outbox has
        taken its notice (:meth:`bot.staff.their_say.TheirSayDesk.untold`, the fact a
        rating and a reconsideration are judged by). Asked only of the decided ones."""
        decided = [r.number for r in records if r.status in FINAL]
        untold = await self.desk.untold(decided) if decided else frozenset()
        return [_view(r, told(r.events, decision_waiting=r.number in untold)) for r in records]

    async def _view(self, record: RequestRecord) -> StatusView:
        return (await self._views([record]))[0]

    async def submit(self, submission: Submission) -> SubmittedRequest:
        """Files the request; raises FilingPaused, before anything is written, when the
        chat or the identity number filed the most allowed in a day (bot.abuse.filing)."""
        if self.limits is None:
            return await self.requests.submit(submission)
        # taken before the write, in one step per window, so that two confirmations at once
        # cannot both pass the last free entry; given back when nothing new was written
        taken = await self.limits.take(submission)
        try:
            filed = await self.requests.submit(submission)
        except Exception:
            await self.limits.give_back(taken)
            raise
        if not filed.created:
            await self.limits.give_back(taken)
        return filed

    async def pending_question(self, number: str, channel: str, user_key: str) -> str:
        found = await self.requests.owned_question(number, channel, user_key)
        if found is None:
            raise NotTheirs(number)
        status, question = found
        if status is not RequestStatus.NEEDS_INFO or not question:
            raise NotAwaitingAnswer(number)
        return question

    async def answer_more_info(self, answer: MoreInfoAnswer) -> None:
        try:
            await self.desk.answer(
                answer.number,
                channel=answer.channel,
                user_key=answer.user_key,
                text=answer.text,
                attachments=answer.attachments,
            )
        except (RequestNotFound, NotTheOwner, IllegalTransition) as exc:
            raise NotAwaitingAnswer(answer.number) from exc

    async def status_for_owner(self, number: str, channel: str, user_key: str) -> StatusView | None:
        record = await self.requests.owned(number, channel, user_key)
        return None if record is None else await self._view(record)

    async def status_with_identity(self, number: str, identity_number: str) -> StatusView | None:
        # the identity number is compared by the database, in the one query that also
        # finds the number, so a missing number and a wrong identity cost the same
        record = await self.requests.with_identity(number, identity_number)
        if record is None:
            return None
        # where it stands, never the officers' words to the applicant (their reason, note
        # or question): those are for the chat that filed it (conversations.flows.status_answer)
        return dataclasses.replace(await self._view(record), reason=None, question=None)

    async def my_requests(self, channel: str, user_key: str) -> list[StatusView]:
        return await self._views(await self.requests.list_for_account(channel, user_key))

    async def open_request_like(
        self, channel: str, user_key: str, service_id: str, identity_number: str
    ) -> StatusView | None:
        # the chat's own requests (newest first), the identity number compared here: an
        # account files a handful, and no query by identity number is offered to chats
        alike = [
            record
            for record in await self.requests.list_for_account(channel, user_key)
            if record.service_id == service_id and record.identity_number == identity_number
        ]
        for view in await self._views(alike):
            if RequestStatus(view.status) not in FINAL:
                return view
        return None

    # ---- the person's say (bot.staff.their_say): SayRefused passes through ------------

    async def may_say(self, what: str, number: str, channel: str, user_key: str) -> None:
        await self.desk.may_say(what, number, channel, user_key)

    async def rate(self, number: str, channel: str, user_key: str, rating: int) -> None:
        await self.desk.rate(number, channel, user_key, rating)

    async def comment(self, number: str, channel: str, user_key: str, text: str) -> None:
        await self.desk.comment(number, channel, user_key, text)

    async def add_note(self, note: Note) -> None:
        await self.desk.add_note(note)

    async def reconsider(
        self,
        number: str,
        channel: str,
        user_key: str,
        reason: str,
        files: tuple[AttachmentInfo, ...] = (),
    ) -> None:
        await self.desk.reconsider(number, channel, user_key, reason, files)

    async def add_to_reconsideration(
        self, number: str, channel: str, user_key: str, files: tuple[AttachmentInfo, ...]
    ) -> None:
        await self.desk.add_to_reconsideration(number, channel, user_key, files)


def told(events: Sequence[StatusEventRecord], *, decision_waiting: bool) -> list[StatusEventRecord]:
    """The changes of status the person has been told of, oldest first. An officer's
    decision reaches them once a sender takes its notice, after the grace
    (TAWASUL_DECISION_GRACE_S), and can be undone until then: the latest decision is left
    out while ``decision_waiting`` (its notice still waits in the outbox), and a decision
    undone (:func:`officers.desk_rules.undid_unseen`) is left out with its undo, as the
    person never heard of either. Notes, reconsideration requests and the like (events
    with a kind) change no status, nor does an officer's taking (over) a request, which the
    audit trail records with its status unchanged (found by the session-16 tester: a take-over
    after a reconsideration was asked showed a second «مرفوض» and hid that the
    reconsideration waited).

    Found by review 11 (§3): this compared the answering worker's clock with the instants
    other workers wrote (``now - decided < grace``, ``undone - decided <= grace``), while
    a rating and a reconsideration ask the outbox; so /status on a worker ahead showed a
    rejection, with «طلب إعادة النظر», whose notice still waited (and /reconsider refused
    it), and on a worker behind hid the one the person held."""
    moves = [e for e in events if e.kind is None and e.from_status is not e.to_status]
    shown: list[StatusEventRecord] = []
    for index, event in enumerate(moves):
        after = moves[index + 1] if index + 1 < len(moves) else None
        if event.to_status in FINAL:
            if after is None and decision_waiting:
                continue  # not told yet
            if after is not None and undid_unseen(after.from_status, after.to_status, after.reason):
                continue  # undone before the person was told
        if undid_unseen(event.from_status, event.to_status, event.reason):
            continue  # the undo of a decision left out above
        shown.append(event)
    return shown


#: The audit kinds that are steps of the person's own history: they asked for a
#: reconsideration, and the officer answered it by keeping the rejection.
_SEEN_KINDS = {RECONSIDER: RECONSIDERATION_ASKED, KEPT: DECISION_KEPT}


def _history(
    events: Sequence[StatusEventRecord], shown: list[StatusEventRecord]
) -> list[tuple[dt.datetime, str, str | None]]:
    """(when, what, reason) of each line of the person's history, oldest first: the moves
    they were told of (``shown``) and, in their place, the reconsideration asked and the
    rejection kept. Notes and moves not told are left out."""
    told_ids = {id(e) for e in shown}
    lines: list[tuple[dt.datetime, str, str | None]] = []
    for event in events:
        if event.kind is None and id(event) in told_ids:
            lines.append((event.at, event.to_status.value, event.reason))
        elif event.kind in _SEEN_KINDS:
            lines.append((event.at, _SEEN_KINDS[event.kind], event.reason))
    return lines


def _view(record: RequestRecord, shown: list[StatusEventRecord]) -> StatusView:
    """What the owner may see: no identity number, phone or description in it, and no
    decision they have not been told of (see :func:`told`). A rejection kept after a
    reconsideration gives the officer's reason for keeping it, when they gave one, as
    the notice of it did (found by the fresh-clone tester: the first reason stayed)."""
    status = shown[-1].to_status if shown else record.status
    history = _history(record.events, shown)
    reason = record.decision_reason if status in FINAL else None
    if status is RequestStatus.REJECTED and history and history[-1][1] == DECISION_KEPT:
        # kept without a further reason: the rejection's own stands
        reason = history[-1][2] or reason
    return StatusView(
        number=record.number,
        service_id=record.service_id,
        status=status.value,
        submitted_at=record.submitted_at,
        due_date=record.due_date,
        reason=reason,
        question=record.pending_question if status is RequestStatus.NEEDS_INFO else None,
        history=tuple((at, what) for at, what, _reason in history),
        reconsiderable=status is RequestStatus.REJECTED
        and may_reconsider(
            status,
            asked_before=any(e.kind == RECONSIDER for e in record.events),
            pending=bool(record.reconsider_reason),
            told=True,  # shown: its grace is over (told)
        )
        is None,
        for_whom=record.eligibility.get("for_whom") or None,
        applicant_kind=record.applicant_kind,
        holder=mask_identity(record.identity_number)
        if record.applicant_kind == "establishment"
        else "",
    )
