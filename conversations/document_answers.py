"""«وش الاوراق المطلوبة؟» answered from the catalogue: the documents of the service the
question names, else of the one being filled in, then the question the person was on.
Split from :mod:`conversations.questions` (the knowledge base answers the rest)."""

from __future__ import annotations

from conversations import knowledge
from conversations.buttons import TOPIC_PREFIX
from conversations.citizens_only import listed_name
from conversations.engine_parts import EngineParts
from conversations.events import Option, Reply
from conversations.filing_offers import FILE_PREFIX, known_service
from conversations.flow import Ctx
from conversations.reading import START_STEPS
from domain.catalogue import local

#: The most services one shared word («الجواز») lists the documents of.
_MOST_SHARING = 4


class DocumentAnswers(EngineParts):
    """Mixed into :class:`conversations.engine.Engine` (through ``Questions``)."""

    def _documents_answer(self, ctx: Ctx, text: str, *, free_text: bool) -> list[Reply] | None:
        """«وش الاوراق المطلوبة؟»: the documents of the service the question names, else
        of the one chosen, from the catalogue (:meth:`_documents_of`). Found by the
        fresh-clone tester (at the description step of a passport issue it was offered an
        iqama topic) and helper 22 («وش الاوراق المطلوبه لتجديد الجواز» got the iqama's
        conditions). None when the message is not a question about documents, names no
        service and none is chosen, or names one the knowledge base answers about."""
        if free_text:
            asks = knowledge.explicit_question(text)
        else:
            # «الاوراق المطلوبه للجواز»: no question word, yet a question (helper 22)
            asks = knowledge.reads_as_question(text) or knowledge.asks_required_documents(text)
        if not asks or not knowledge.names_documents(text) or knowledge.asks_fee(text):
            return None  # «كم رسوم الاقامة؟» names a receipt's fee, it asks a price
        service_id = ctx.state.answers.get("service")
        named = ctx.catalogue.match(text, limit=1)
        if not named and not isinstance(service_id, str):
            # «الاوراق المطلوبه للجواز»: a word several services share (helper 22's recheck:
            # the iqama's conditions were offered)
            sharing = ctx.catalogue.named_by_word(text, "", limit=_MOST_SHARING)
            if len(sharing) > 1:
                return self._documents_of_each(ctx, [s.id for s in sharing])
            named = sharing
        topic = None
        if named and named[0].id != service_id:
            found = knowledge.answer_topic(text, explicit_only=free_text)
            if found is not None and named[0].id in found.services:
                # «وش الاوراق المطلوبه لتجديد الاقامه» got the seed's conditions, not the
                # documents asked for later (helper 22's recheck): listed, the topic offered
                topic = found
            else:
                # however it is worded («وش يبون اوراق عشان اجدد الاقامه», «what documents
                # do i need…»: helper 23), the conditions behind the documents are offered
                topic = knowledge.documents_topic(named[0].id)
            service_id = named[0].id
        if not isinstance(service_id, str) or not known_service(ctx, service_id):
            return None
        return self._documents_of(ctx, service_id, topic)

    def _documents_of(
        self, ctx: Ctx, service_id: str, topic: knowledge.Topic | None = None
    ) -> list[Reply]:
        """The documents ``service_id`` asks for, then the question the person was on;
        before the first question is answered, with «تقديم طلب الآن» for that service
        (and ``topic``, the knowledge base's answer about it, offered)."""
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
        at_start = ctx.state.step in START_STEPS
        first = at_start or ctx.state.step == self.flow.first
        if topic is not None and not first:
            lines.append(
                _("You can also ask here about «%(topic)s».")
                % {"topic": knowledge.title_text(topic, ctx.locale)}
            )
        said = Reply("\n".join(lines))
        if first:
            *before, again = self._restart(ctx) if at_start else [self._ask(ctx)]
            offer: tuple[Option, ...] = (Option(FILE_PREFIX + service_id, _("File a request now")),)
            if topic is not None:
                title = knowledge.title_text(topic, ctx.locale)
                offer = (*offer, Option(TOPIC_PREFIX + topic.id, title))
            return [said, *before, self._with_first(ctx, again, offer)]
        return self._and_the_step(ctx, said)

    def _documents_of_each(self, ctx: Ctx, service_ids: list[str]) -> list[Reply]:
        """The documents of each of ``service_ids`` (the services a word of the question
        names), one line a service, then the question the person was on."""
        _ = ctx.texts.gettext
        lines = [_("The documents depend on the service:")]
        for service_id in service_ids:
            service = ctx.catalogue.get(service_id)
            comma = "، " if ctx.locale == "ar" else ", "
            documents = comma.join(local(d, ctx.locale) for d in service.required_documents)
            lines.append(f"• {listed_name(ctx, service)}: {documents}")
        lines.append(
            _("We will ask you for them, as photos or PDF files, before the request is sent.")
        )
        return self._and_the_step(ctx, Reply("\n".join(lines)))
