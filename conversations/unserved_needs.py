"""Needs that are not Tawasul services, though their words sit close to one («ابي اطلع
تاشيرة زيارة لزوجتي»: issuing a visit visa, next to «تمديد تأشيرة الزيارة»), recognised
from data people maintain (``conversations/data/unserved_needs.json``) and answered with
what the seeds say (tester 13, §8)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from conversations.flow import Ctx
from conversations.understanding import words

_DATA = Path(__file__).resolve().parent / "data" / "unserved_needs.json"
# a letter written onto a word: «لزيارة», «وتأشيرة», «بتأشيرة», «فالزيارة»
_ATTACHED = "ولبف"


@dataclass(frozen=True, slots=True)
class _Need:
    must: tuple[frozenset[str], ...]
    not_: frozenset[str]


def _keys(items: Iterable[str]) -> frozenset[str]:
    return frozenset(key for item in items for key in words(item))


@cache
def _needs() -> dict[str, _Need]:
    raw: dict[str, object] = json.loads(_DATA.read_text(encoding="utf-8"))
    needs: dict[str, _Need] = {}
    for need_id, entry in raw.items():
        if need_id.startswith("_") or not isinstance(entry, dict):
            continue
        needs[need_id] = _Need(
            must=tuple(_keys(group) for group in entry["must"]), not_=_keys(entry["not"])
        )
    return needs


def _forms(text: str) -> frozenset[str]:
    forms: set[str] = set()
    for key in words(text):
        forms.add(key)
        if len(key) >= 4 and key[0] in _ATTACHED:
            forms.update(words(key[1:]))
    return frozenset(forms)


def unserved_need(text: str) -> str | None:
    """The id of the need in ``unserved_needs.json`` that ``text`` asks for («ابي اطلع
    تاشيرة زيارة لامي» -> "visit_visa_issue"); None when it asks for none (or for the
    nearby service: «ابي امدد زيارة امي»)."""
    forms = _forms(text)
    for need_id, need in _needs().items():
        if forms & need.not_:
            continue
        if all(forms & group for group in need.must):
            return need_id
    return None


def unserved_line(ctx: Ctx, need_id: str) -> str:
    """What is said of an unserved need: that Tawasul does not serve it, and what it does
    serve nearby, from the seeds named in the data file's ``_source``. Raises KeyError
    for an id with no text."""
    _ = ctx.texts.gettext
    lines = {
        "visit_visa_issue": _(
            "Sorry, issuing a visit visa is not one of the services offered through Tawasul, and I have no reliable information on where it is issued. For visit visas, Tawasul offers only their extension, and only for Syrian and Yemeni nationals."
        ),
        "fingerprint_registration": _(
            "Sorry, registering fingerprints is not one of the services filed through Tawasul, and the sources I rely on do not say where it is done. Registering the fingerprints and photo of the iqama holder and their dependants is one of the conditions for issuing or renewing an iqama: if a problem with it holds up an iqama's renewal, you can file a renewal request and describe the problem in it."
        ),
    }
    return lines[need_id]
