"""The dialogues' RequestGateway: filing through SQL, answers through the staff desk."""

from __future__ import annotations

from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import NotTheOwner, RequestNotFound, StaffDesk
from conversations.ports import MoreInfoAnswer, NotAwaitingAnswer, Submission, SubmittedRequest
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
