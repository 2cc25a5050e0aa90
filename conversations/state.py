"""The dialogue state of one person on one channel: what the store keeps between messages."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from conversations.i18n import DEFAULT_LOCALE


@dataclass(slots=True)
class DialogueState:
    flow: str = "intake"
    step: str = ""
    answers: dict[str, Any] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)
    # the options shown with the last question, so "2" or a typed label can answer it
    offered: list[list[str]] = field(default_factory=list)
    editing: bool = False
    locale: str = DEFAULT_LOCALE
    draft_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    albums: list[str] = field(default_factory=list)
    last_request: str | None = None
    # a half-filled request put aside while the person answers an officer's question
    suspended: dict[str, Any] | None = None
    version: int = 0

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str | bytes) -> DialogueState:
        data: dict[str, Any] = json.loads(raw)
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def fresh_draft(self) -> DialogueState:
        """A new draft that keeps what belongs to the person, not to the request."""
        return DialogueState(
            locale=self.locale,
            last_request=self.last_request,
            suspended=self.suspended,
            version=self.version,
        )

    def suspend(self) -> None:
        """Puts the current draft aside (kept whole) so another flow can run."""
        self.suspended = {
            "flow": self.flow,
            "step": self.step,
            "answers": self.answers,
            "history": self.history,
            "editing": self.editing,
            "draft_id": self.draft_id,
            "albums": self.albums,
        }

    def resume(self) -> bool:
        """Brings back the draft put aside; False when there was none."""
        saved, self.suspended = self.suspended, None
        if not saved:
            return False
        for name, value in saved.items():
            setattr(self, name, value)
        return True
