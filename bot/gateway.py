"""The dialogues' RequestGateway: filing through SQL, answers through the staff desk."""

from __future__ import annotations

import hmac

from bot.db.requests_repo import RequestRecord, SqlRequestGateway
from bot.staff.desk import NotTheOwner, RequestNotFound, StaffDesk
from conversations.ports import (
    MoreInfoAnswer,
    NotAwaitingAnswer,
    StatusView,
    Submission,
    SubmittedRequest,
)
from domain.status import IllegalTransition, RequestStatus


class Gateway:
    def __init__(self, requests: SqlRequestGateway, desk: StaffDesk) -> None:
        self.requests = requests
        self.desk = desk

    async def submit(self, submission: Submission) -> SubmittedRequest:
        return await self.requests.submit(submission)

    async def pending_question(self, number: str, channel: str, user_key: str) -> str:
        record = await self.desk.find(number)
        if (
            record is None
            or (record.channel, record.user_key) != (channel, user_key)
            or record.status is not RequestStatus.NEEDS_INFO
            or not record.pending_question
        ):
            raise NotAwaitingAnswer(number)
        return record.pending_question

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
        record = await self.requests.get_by_number(number)
        if record is None or (record.channel, record.user_key) != (channel, user_key):
            return None
        return _view(record)

    async def status_with_identity(self, number: str, identity_number: str) -> StatusView | None:
        record = await self.requests.get_by_number(number)
        if record is None:
            # compare anyway, so a missing number takes as long as a wrong identity
            hmac.compare_digest(identity_number, "0" * len(identity_number))
            return None
        if not hmac.compare_digest(record.identity_number, identity_number):
            return None
        return _view(record)

    async def my_requests(self, channel: str, user_key: str) -> list[StatusView]:
        return [_view(r) for r in await self.requests.list_for_account(channel, user_key)]


def _view(record: RequestRecord) -> StatusView:
    """What the owner may see: no identity number, phone or description in it."""
    reason = (
        record.decision_reason
        if record.status in (RequestStatus.REJECTED, RequestStatus.ACCEPTED)
        else None
    )
    return StatusView(
        number=record.number,
        service_id=record.service_id,
        status=record.status.value,
        submitted_at=record.submitted_at,
        due_date=record.due_date,
        reason=reason,
        question=record.pending_question if record.status is RequestStatus.NEEDS_INFO else None,
        history=tuple((e.at, e.to_status.value) for e in record.events),
    )
