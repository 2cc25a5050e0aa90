"""Each answer of the knowledge base cites the seed documents it comes from, and says so.
Found in session 12: every answer ended «المصدر: المديرية العامة للجوازات.» while the data
named a seed file, and the seeds are articles about the directorate, not its own word; the
fee answer said the amount due is shown on Absher and Muqeem, which no seed says.

The seeds are kept in ``docs/seeds/`` (the copies of ``shared/seeds``), so these tests read
them in any clone: each citation names one of them, a heading of it, and sentences quoted
verbatim from that section; each figure an answer gives is in what it quotes."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from conversations import knowledge
from domain.normalize import to_ascii_digits

ROOT = Path(__file__).resolve().parents[3]
SEEDS = ROOT / "docs" / "seeds"
DATA = json.loads((ROOT / "conversations" / "data" / "knowledge.json").read_text(encoding="utf-8"))
# a step's number at the start of a line («١. سجّل الدخول…») is not a figure of the rule
_STEP = re.compile(r"^\s*\d+\.\s", re.M)
_FIGURE = re.compile(r"\d[\d,٬]*\d|\d")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _seed(file: str) -> str:
    return _flat((SEEDS / file).read_text(encoding="utf-8"))


def _figures(text: str) -> set[str]:
    plain = _STEP.sub("", to_ascii_digits(text))
    return {f.replace("٬", ",") for f in _FIGURE.findall(plain)}


def test_the_seeds_named_exist_with_their_titles() -> None:
    assert len(DATA["seeds"]) == len(list(SEEDS.glob("*.txt"))) == 5
    for file, title in DATA["seeds"].items():
        assert (SEEDS / file).is_file(), file
        assert _flat(title["ar"]) in _seed(file), file
        assert title["en"].strip(), file


@pytest.mark.parametrize("topic", knowledge.topics(), ids=lambda t: t.id)
def test_every_citation_quotes_its_seed_under_the_section_it_names(
    topic: knowledge.Topic,
) -> None:
    assert topic.sources, topic.id
    for cited in topic.sources:
        text = _seed(cited.file)
        heading = text.find(_flat(cited.section))
        assert heading >= 0, (topic.id, cited.section)
        for quote in cited.quotes:
            assert text.find(_flat(quote), heading) >= 0, (topic.id, quote)


@pytest.mark.parametrize("topic", knowledge.topics(), ids=lambda t: t.id)
def test_every_figure_an_answer_gives_is_in_what_it_quotes(topic: knowledge.Topic) -> None:
    quoted = set().union(*(_figures(q) for c in topic.sources for q in c.quotes))
    for locale in ("ar", "en"):
        assert _figures(topic.answer[locale]) <= quoted, (topic.id, locale)


@pytest.mark.parametrize("topic", knowledge.topics(), ids=lambda t: t.id)
def test_the_answer_names_its_seed_documents_not_the_directorate(topic: knowledge.Topic) -> None:
    arabic, english = knowledge.answer_text(topic, "ar"), knowledge.answer_text(topic, "en")
    assert "المصدر: المديرية العامة للجوازات" not in arabic
    assert "Source: the General Directorate of Passports" not in english
    files = list(dict.fromkeys(c.file for c in topic.sources))
    last_ar, last_en = arabic.splitlines()[-1], english.splitlines()[-1]
    assert last_ar.startswith(("المصدر:", "المصدران:")), last_ar
    assert last_en.startswith(("Source:", "Sources:")), last_en
    for file in files:
        assert f"«{DATA['seeds'][file]['ar']}»" in last_ar, (topic.id, last_ar)
        assert f"«{DATA['seeds'][file]['en']}»" in last_en, (topic.id, last_en)


def test_the_fee_answer_claims_nothing_the_seed_does_not_say() -> None:
    (fees,) = [t for t in knowledge.topics() if t.id == "iqama_fees"]
    body_ar, body_en = fees.answer["ar"], fees.answer["en"]
    # 004 asks for the fees to be paid; where the amount is shown it does not say
    assert "أبشر" not in body_ar and "مقيم" not in body_ar.replace("هوية مقيم", "")
    assert "Absher" not in body_en and "Muqeem" not in body_en
    assert "لا يذكره المصدر" in body_ar and "not given in the source" in body_en


@pytest.mark.parametrize(
    "spoil",
    [
        lambda t: t["source"][0].update(file="999_0000000000000000.txt"),
        lambda t: t["source"][0].update(quotes=[]),
        lambda t: t["source"][0].update(section=" "),
        lambda t: t.update(source=[]),
    ],
)
def test_a_citation_without_a_known_seed_its_section_or_quotes_is_refused(spoil: Any) -> None:
    document = copy.deepcopy(DATA)
    spoil(document["topics"][0])
    with pytest.raises(ValueError, match="cite"):
        knowledge.parse_knowledge(document)
