"""domain.documents_check: the required documents a request's files may lack."""

from __future__ import annotations

from domain.catalogue import load_catalogue
from domain.documents_check import every_file_named, unaccounted_documents


def _names(docs: tuple[dict[str, str], ...]) -> list[str]:
    return [d["ar"] for d in docs]


def test_one_file_for_each_required_document_is_enough() -> None:
    catalogue = load_catalogue()
    service = catalogue.get("iqama_renew")
    assert unaccounted_documents(service, [], 3, catalogue.document_generic_words) == ()


def test_a_caption_accounts_for_the_document_it_names() -> None:
    catalogue = load_catalogue()
    service = catalogue.get("iqama_renew")
    missing = unaccounted_documents(
        service, ["صورة الجواز", "الإقامة"], 2, catalogue.document_generic_words
    )
    assert _names(missing) == ["إيصال سداد رسوم التجديد"]


def test_a_generic_word_accounts_for_nothing() -> None:
    catalogue = load_catalogue()
    service = catalogue.get("iqama_renew")
    missing = unaccounted_documents(service, ["صورة"], 1, catalogue.document_generic_words)
    assert len(missing) == 3


def test_an_optional_document_is_never_asked_for() -> None:
    catalogue = load_catalogue()
    service = catalogue.get("final_exit_visa")  # «صورة الإقامة إن وجدت» is optional
    assert _names(service.required_documents) == ["صورة الجواز"]
    assert unaccounted_documents(service, [], 1, catalogue.document_generic_words) == ()
    assert catalogue.get("other").required_documents == ()


def test_a_file_without_a_caption_leaves_the_missing_ones_unknown() -> None:
    catalogue = load_catalogue()
    service = catalogue.get("iqama_renew")
    generic = catalogue.document_generic_words
    assert every_file_named(service, ["صورة الجواز", "الإقامة"], generic)
    assert not every_file_named(service, ["صورة الجواز", None], generic)
    assert not every_file_named(service, ["صورة"], generic)  # a generic word names nothing
    assert every_file_named(service, [], generic)
