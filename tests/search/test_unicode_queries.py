"""Queries typed or pasted in decomposed Unicode (NFD: "ö" as "o" + U+0308, as macOS and some
PDFs give it) find what the composed text finds: on the page, in the API and in autocomplete."""

import unicodedata
from urllib.parse import quote

import pytest
from django.http import QueryDict

from search.analysis import parse_query, words
from tests.search.conftest import SeminarMaker

COMPOSED = "förvaltning"
DECOMPOSED = unicodedata.normalize("NFD", COMPOSED)
assert len(DECOMPOSED) == len(COMPOSED) + 1  # "o" + U+0308


@pytest.fixture
def archive(archive_root, settings):
    settings.ELASTICSEARCH_URL = ""
    make = SeminarMaker(archive_root)
    return [
        make("Förvaltningspolitik i dag", lead="Om förvaltning och styrning."),
        make("Välfärdens villkor", lead="Om välfärd.", speakers=["Peter Öhman"]),
    ]


def test_the_query_and_filter_values_are_composed():
    from search.params import parse_search_params

    query = parse_search_params(QueryDict(f"q={quote(DECOMPOSED)}&topic={quote(DECOMPOSED)}"))
    assert query.q == COMPOSED and query.topic == (COMPOSED,)
    assert words(DECOMPOSED) == [COMPOSED]
    assert (
        parse_query(DECOMPOSED).clauses[0].alternatives
        == parse_query(COMPOSED).clauses[0].alternatives
    )


@pytest.mark.parametrize("typed", [DECOMPOSED, unicodedata.normalize("NFD", "Öhman välfärd")])
def test_the_page_and_the_api_find_a_decomposed_query(client, archive, typed):
    composed = unicodedata.normalize("NFC", typed)
    expected = client.get("/api/search/", {"q": composed}).json()
    assert expected["total"] == 1
    found = client.get("/api/search/", {"q": typed}).json()
    assert found["total"] == 1
    assert [h["title"] for h in found["results"]] == [h["title"] for h in expected["results"]]
    html = client.get("/sok/", {"q": typed}).content.decode()
    assert archive[0 if typed == DECOMPOSED else 1].title in html


def test_autocomplete_suggests_for_a_decomposed_prefix(client, archive):
    composed = client.get("/api/autocomplete/", {"q": "förva"}).json()["suggestions"]
    assert composed
    decomposed = client.get(
        "/api/autocomplete/", {"q": unicodedata.normalize("NFD", "förva")}
    ).json()["suggestions"]
    assert decomposed == composed
    people = client.get("/api/autocomplete/", {"q": unicodedata.normalize("NFD", "Öhm")}).json()
    assert [s["label"] for s in people["suggestions"]] == ["Peter Öhman"]


def test_a_decomposed_transcript_is_stored_composed_and_its_moments_highlighted(client, archive):
    """Found since the query is composed, but the moment was neither highlighted nor its
    snippet centred: the transcript (an admin upload from a macOS tool) was stored as given."""
    from archive.transcript_formats import Cue
    from archive.transcript_store import save_transcript

    seminar = archive[1]
    said = unicodedata.normalize("NFD", "Vi pratar om förvaltning i kommunerna.")
    transcript = save_transcript(seminar, [Cue(1.0, 4.0, said, speaker="Peter Öhman")])
    segment = transcript.segments.get()
    assert segment.text == unicodedata.normalize("NFC", said)
    response = client.get("/api/search/", {"q": DECOMPOSED})
    hit = next(h for h in response.json()["results"] if h["title"] == seminar.title)
    assert hit["moments"] and "<mark>förvaltning</mark>" in hit["moments"][0]["text"]


def test_slide_text_is_stored_composed():
    from archive.slides import _clean_text

    assert _clean_text(unicodedata.normalize("NFD", "Förvaltning  och\x0cstyrning")) == (
        "Förvaltning och styrning"
    )
