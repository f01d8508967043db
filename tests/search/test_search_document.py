"""The plain-data search document both engines index, and the database engine's pure query text."""

import json

import pytest

from archive.factories import SpeakerFactory
from archive.search_document import body_text, html_to_text, seminar_search_document
from search.analysis import parse_query
from search.engines.database import facet_keys, fts5_expression, tsquery_expression
from tests.search.conftest import SeminarMaker

KEYS = {
    "id",
    "slug",
    "title",
    "code",
    "url",
    "series",
    "format",
    "format_name",
    "bios",
    "language",
    "start",
    "end",
    "time_known",
    "year",
    "venue",
    "room",
    "speakers",
    "topics",
    "lead",
    "body",
    "slides",
    "transcript",
    "has_video",
    "has_transcript",
    "fingerprint",
}


@pytest.fixture
def page(archive_root):
    anna = SpeakerFactory(name="Anna Andersson", title="utredare")
    page = SeminarMaker(archive_root)(
        "Tillit i praktiken",
        lead="Ingress.",
        series="Forum",
        code="A3",
        speakers=[anna],
        topics=["tillit", "Styrning"],
        transcript=[(1.5, 4.0, "Anna Andersson", "Hej."), (4.0, 6.0, "Gäst Person", "Tack.")],
        slides=[["Första sidan", "", "Tredje sidan"]],
        body=json.dumps(
            [
                {"type": "paragraph", "value": "<h2>Rubrik</h2><p>Om <b>tillit</b> &amp; mod.</p>"},
                {"type": "quote", "value": {"text": "Lita på folk.", "attribution": "Anna"}},
            ]
        ),
    )
    return page


def test_document_has_every_documented_key(page):
    doc = seminar_search_document(page)
    assert set(doc) == KEYS
    assert (doc["title"], doc["code"], doc["url"]) == ("Tillit i praktiken", "A3", page.url)
    assert doc["series"] == {"slug": "forum", "name": "Forum"}
    assert doc["speakers"] == [
        {
            "name": "Anna Andersson",
            "slug": "anna-andersson",
            "role": "speaker",
            "title": "utredare, Statskontoret",
            "bio": "Har lång erfarenhet av arbete i offentlig sektor.",
        }
    ]
    assert [t["name"] for t in doc["topics"]] == ["Styrning", "tillit"]
    assert doc["body"] == "Rubrik\nOm tillit & mod.\n\nLita på folk. – Anna"
    (slides,) = doc["slides"]
    assert [p["page"] for p in slides["pages"]] == [1, 3]  # the empty page is left out
    assert slides["url"].startswith("/documents/")
    assert doc["transcript"] == [
        {
            "start": 1.5,
            "end": 4.0,
            "speaker": "Anna Andersson",
            "speaker_slug": "anna-andersson",
            "text": "Hej.",
        },
        {"start": 4.0, "end": 6.0, "speaker": "Gäst Person", "speaker_slug": "", "text": "Tack."},
    ]
    assert doc["has_transcript"] is True and doc["has_video"] is False
    assert doc["year"] == page.start.year
    json.dumps(doc)  # plain data


def test_fingerprint_changes_with_content(page):
    before = seminar_search_document(page)["fingerprint"]
    assert seminar_search_document(page)["fingerprint"] == before
    page.title = "Ny titel"
    assert seminar_search_document(page)["fingerprint"] != before


def test_url_is_in_the_default_language_whatever_is_active(page):
    from django.utils import translation

    with translation.override("en"):
        assert seminar_search_document(page)["url"] == page.url.removeprefix("/en")
        assert not seminar_search_document(page)["url"].startswith("/en/")


def test_html_to_text():
    assert html_to_text("<ul><li>Ett</li><li>Två &lt;3</li></ul>") == "Ett\nTvå <3"
    assert body_text([]) == ""


def test_facet_keys(page):
    keys = facet_keys(seminar_search_document(page))
    assert {
        "series=forum",
        "speaker=anna-andersson",
        "topic=tillit",
        "format=conference_session",
        "language=sv",
        "has_video=false",
        "has_transcript=true",
        f"year={page.start.year}",
    } <= set(keys)


def test_query_text_for_both_databases():
    parsed = parse_query('npm "tillit och kontroll"')
    assert fts5_expression(parsed.clauses) == (
        '("npm" OR {title people tags body slides transcript} : "new public management" OR '
        '"ǝnpm") AND ({title people tags body slides transcript} : "tillit kontroll")'
    )
    assert tsquery_expression(parsed.clauses) == (
        "('npm' | 'new' <-> 'public' <-> 'management' | 'ǝnpm') & ('tillit' <-> 'kontroll')"
    )
    assert fts5_expression(parse_query("styrning budget").clauses, "OR") == (
        '("styrning" OR "governanc" OR "ǝstyrn") OR ("budget" OR "ǝbudget")'
    )


def test_bios_are_those_of_who_speaks(archive_root):
    """A moderator's biography describes the moderator, not the seminar: both engines search
    ``bios``, which leaves it out."""
    speaker = SpeakerFactory(name="Eva Talare", bio="Eva forskar om hemtjänst.")
    host = SpeakerFactory(name="Per Värd", bio="Per skriver om tillitsbaserad styrning.")
    silent = SpeakerFactory(name="Ulla Tyst", bio="")
    page = SeminarMaker(archive_root)(
        "Samtal", speakers=[speaker, (host, "moderator"), (silent, "panelist")]
    )
    assert seminar_search_document(page)["bios"] == "Eva forskar om hemtjänst."
