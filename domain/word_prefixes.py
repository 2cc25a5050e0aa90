"""What Arabic writes onto the front of a word: the article with the particles joined to
it («وال», «بال», «فال», «كال», «لل», «ال», «وبال») and the one-letter particles «و», «ب»,
«ل», «ف» («والجواز», «بالرياض», «لسوري», «فالإقامة»). One reading of them for every
matcher (the catalogue, the answers to buttons, the nationalities, the needs said
together, the officers' questions that ask for a file): review 14 §9 found four lists.

Pure and on folded text (:func:`domain.normalize.fold_arabic`): no morphology, only
enough to equate a word written with its particles and without them."""

from __future__ import annotations

#: the article and the particles joined to it, longest first (the first that fits is taken)
ARTICLES = ("وبال", "وال", "بال", "فال", "كال", "لل", "ال")
#: one-letter particles written onto a word
PARTICLES = ("و", "ب", "ل", "ف")


def without_article(word: str, *, min_left: int = 3) -> str:
    """``word`` without the first of :data:`ARTICLES` it starts with, when at least
    ``min_left`` letters are left («بالرياض» → «رياض»); else ``word`` as it is."""
    for prefix in ARTICLES:
        if word.startswith(prefix) and len(word) - len(prefix) >= min_left:
            return word[len(prefix) :]
    return word


def bare_forms(word: str, *, min_left: int = 3) -> tuple[str, ...]:
    """``word`` and what is left of it without each of :data:`ARTICLES` and
    :data:`PARTICLES` it starts with, at least ``min_left`` letters each, ``word`` first,
    none twice («وسورية» → («وسورية», «سورية»); «والجواز» → («والجواز», «جواز»,
    «الجواز»))."""
    forms = [word]
    for prefix in (*ARTICLES, *PARTICLES):
        if word.startswith(prefix) and len(word) - len(prefix) >= min_left:
            form = word[len(prefix) :]
            if form not in forms:
                forms.append(form)
    return tuple(forms)
