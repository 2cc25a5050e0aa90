"""A need said with one word several services share («ابي جواز», «اقامة», «تأشيرة»: a word
for what a need is about, two_needs.json ``objects``): the services that word names are
offered, as a need the catalogue matched is. Found by helper
22's recheck: «ابي جواز» at the first question got «يُرجى اختيار واحد من ٤ خيارات», and
after «فرد» «لم أتمكن من تحديد الخدمة المقصودة», though every passport service holds it."""

from __future__ import annotations

from conversations.flow import Ctx
from conversations.flows.intake_draft import applicant_of
from conversations.keywords_early import without_places
from conversations.two_needs import names_an_object
from conversations.understanding import answer_words
from domain.catalogue import Service
from domain.normalize import fold_arabic

#: The most words (fillers such as «ابي» aside) of a need said with a shared word; a
#: longer message says more, and naming a service is left to the catalogue's matching.
_MOST_WORDS = 2
#: The most services offered for one word.
MOST_OFFERED = 4


def shared_word_services(ctx: Ctx, text: str) -> list[Service]:
    """The services (catalogue order, at most :data:`MOST_OFFERED`) a short ``text`` names
    by a word they share, for the applicant chosen if any; empty for a longer message,
    one naming a service fully (:meth:`domain.catalogue.Catalogue.match`), or none."""
    needed = without_places(text)
    # «تأشيرة» with its hamza as «تاشيره» (helper 23: only the latter was read)
    folded = fold_arabic(needed).lower()
    if not 0 < len(answer_words(needed)) <= _MOST_WORDS or not names_an_object(folded):
        return []  # «انا عامل» says who files, though «عامل» is in many services' words
    if ctx.catalogue.match(needed, limit=1):
        return []
    return ctx.catalogue.named_by_word(
        needed, "", applicant_kind=applicant_of(ctx), limit=MOST_OFFERED
    )
