"""«وش الاوراق المطلوبة؟» answered from the catalogue: the documents of the service the
question names, else of the one being filled in, then the question the person was on.
Split from :mod:`conversations.questions` (the knowledge base answers the rest)."""

from __future__ import annotations

from conversations import knowledge
from conversations.citizens_only import listed_name
from conversations.engine_parts import EngineParts
from conversations.events import Option, Reply
from conversations.filing_offers import FILE_PREFIX, known_service
from conversations.flow import Ctx
from conversations.reading import START_STEPS
from domain.catalogue import local


class DocumentAnswers(EngineParts):
    """Mixed into :class:`conversations.engine.Engine` (through ``Questions``)."""

    def _documents_answer(self, ctx: Ctx, text: str, *, free_text: bool) -> list[Reply] | None:
        """«وش الاوراق المطلوبة؟»: the documents of the service the question names, else
        of the one chosen, from the catalogue (:meth:`_documents_of`). Found by the
        fresh-clone tester (at the description step of a passport issue it was offered an
        iqama topic) and helper 22 («وش الاوراق المطلوبه لتجديد الجواز» got the iqama's
        conditions). None when the message is not a question about documents, names no
        service and none is chosen, or names one the knowledge base answers about."""
        asks = knowledge.explicit_question(text) if free_text else knowledge.reads_as_question(text)
        if not asks or not knowledge.names_documents(text) or knowledge.asks_fee(text):
            return None  # «كم رسوم الاقامة؟» names a receipt's fee, it asks a price
        service_id = ctx.state.answers.get("service")
        named = ctx.catalogue.match(text, limit=1)
        if named and named[0].id != service_id:
            found = knowledge.answer_topic(text, explicit_only=free_text)
            if found is not None and named[0].id in found.services:
                return None
            service_id = named[0].id
        if not isinstance(service_id, str) or not known_service(ctx, service_id):
            return None
        return self._documents_of(ctx, service_id)

    def _documents_of(self, ctx: Ctx, service_id: str) -> list[Reply]:
        """The documents ``service_id`` asks for, then the question the person was on;
        before the first question is answered, with «تقديم طلب الآن» for that service."""
        _ = ctx.texts.gettext
        service = ctx.catalogue.get(service_id)
        name = listed_name(ctx, service)
        lines = [_("The documents for «%(service)s»:") % {"service": name}]
        if_any = _("(if you have it)")
        for doc in service.documents:
            optional = doc not in service.required_documents
            lines.append(f"• {local(doc, ctx.locale)}" + (f" {if_any}" if optional else ""))
        lines.append(
            _("We will ask you for them, as photos or PDF files, before the request is sent.")
        )
        said = Reply("\n".join(lines))
        at_start = ctx.state.step in START_STEPS
        if at_start or ctx.state.step == self.flow.first:
            *before, again = self._restart(ctx) if at_start else [self._ask(ctx)]
            offer = (Option(FILE_PREFIX + service_id, _("File a request now")),)
            return [said, *before, self._with_first(ctx, again, offer)]
        return self._and_the_step(ctx, said)
