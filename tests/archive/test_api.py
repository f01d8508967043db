"""The archive read API, its OpenAPI schema and docs page, and citations."""

import pytest
from django.utils import translation
from openapi_spec_validator import validate

from archive.citation import CitationData, apa_author, bibtex_key, to_apa, to_bibtex
from tests.archive.open_data import HIDDEN, build_archive

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(archive_root):
    return build_archive(archive_root)


def get_json(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.content[:300])
    return response.json()


def test_openapi_schema_is_valid_and_documents_archive_endpoints(client):
    schema = get_json(client, "/api/schema/")
    validate(schema)
    for path in (
        "/api/seminars/",
        "/api/seminars/{slug}/",
        "/api/speakers/",
        "/api/speakers/{slug}/",
        "/api/series/",
        "/api/series/{slug}/",
        "/api/oembed/",
        "/api/search/export.csv",
        "/api/search/export.json",
        "/api/seminars/{slug}/cite.bib",
    ):
        assert path in schema["paths"], path
    detail = schema["components"]["schemas"]["SeminarDetail"]["properties"]
    assert {"slides", "transcript", "video", "speakers", "citation"} <= set(detail)


def test_docs_page_works_offline(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


def test_seminar_list_in_archive_order_with_filters(client, archive):
    data = get_json(client, "/api/seminars/")
    assert data["count"] == 2
    assert [s["slug"] for s in data["results"]] == ["kompetensforsorjning", "tillit-i-styrningen"]
    first = data["results"][1]
    assert first["url"] == "http://testserver/tillit-i-styrningen/"
    assert first["series"] == {"slug": "chefsfrukost", "name": "Chefsfrukost"}
    assert first["speakers"][0] == {
        "name": "Anna Öberg",
        "slug": archive.anna.slug,
        "role": "speaker",
        "title": "professor, Göteborgs universitet",
    }
    assert first["topics"] == [{"slug": "tillit", "name": "Tillit"}]
    assert first["has_video"] is True and first["has_transcript"] is True
    only_anna = get_json(client, f"/api/seminars/?speaker={archive.anna.slug}")
    assert [s["slug"] for s in only_anna["results"]] == ["tillit-i-styrningen"]
    assert get_json(client, "/api/seminars/?year=1999")["count"] == 0


def test_seminar_list_pagination(client, archive):
    page1 = get_json(client, "/api/seminars/?page_size=1")
    assert page1["num_pages"] == 2
    assert page1["next"] == "http://testserver/api/seminars/?page_size=1&page=2"
    assert page1["previous"] is None
    page2 = get_json(client, "/api/seminars/?page_size=1&page=2")
    assert page2["next"] is None
    assert page1["results"][0]["slug"] != page2["results"][0]["slug"]


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page_size=101", "page_size"),
        ("page=9", "page"),
    ],
)
def test_bad_paging_is_400_naming_the_parameter(client, archive, query, parameter):
    data = get_json(client, f"/api/seminars/?{query}", status=400)
    assert data["parameter"] == parameter
    assert data["error"]


def test_seminar_detail_full_record(client, archive):
    data = get_json(client, "/api/seminars/tillit-i-styrningen/")
    assert data["title"] == "Tillit i styrningen"
    assert data["venue"] == {
        "name": "Kulturhuset",
        "street_address": "Sergels torg 1",
        "city": "Stockholm",
    }
    assert data["room"] == "Hörsal 2"
    assert [s["role"] for s in data["speakers"]] == ["speaker"]
    assert [(s["name"], s["role"]) for s in data["moderators"]] == [("Erik Lind", "moderator")]
    (slide,) = data["slides"]
    assert slide["label"] == "Bildspel"
    assert slide["url"].startswith("http://testserver/documents/")
    assert slide["file_size"] > 0
    assert data["video"]["kind"] == "file"
    assert data["video"]["url"].endswith(".webm")
    assert data["video"]["embed_url"] == f"http://testserver/embed/{archive.past.pk}/"
    assert data["video"]["duration"] == 754
    assert data["transcript"]["review_state"] == "reviewed"
    assert data["transcript"]["segment_count"] == 3
    assert "Öberg, A." in data["citation"]["apa"]
    assert data["citation"]["bibtex_url"].endswith(
        "/api/seminars/tillit-i-styrningen/cite.bib?hl=sv"
    )


def test_seminar_detail_citation_links_keep_the_answers_language(client, archive):
    """The links to the BibTeX and text citations carried no ``hl``: followed from an English
    answer, they gave Swedish citations (dates, labels) beside its English ``apa`` text."""
    data = get_json(client, "/api/seminars/tillit-i-styrningen/", HTTP_ACCEPT_LANGUAGE="en")
    assert data["citation"]["text_url"].endswith("/cite.txt?hl=en")
    text = client.get(data["citation"]["text_url"]).content.decode().strip()
    assert text == data["citation"]["apa"]


def test_speakers_and_series(client, archive):
    speakers = get_json(client, "/api/speakers/")
    counts = {s["name"]: s["seminar_count"] for s in speakers}
    assert counts == {"Anna Öberg": 1, "Erik Lind": 2}  # hidden seminars do not count
    anna = get_json(client, f"/api/speakers/{archive.anna.slug}/")
    assert [s["slug"] for s in anna["seminars"]] == ["tillit-i-styrningen"]
    assert anna["url"] == f"http://testserver/talare/{archive.anna.slug}/"
    series = get_json(client, "/api/series/")
    assert series == [
        {
            "slug": "chefsfrukost",
            "name": "Chefsfrukost",
            "organiser": "Statskontoret",
            "description": "Frukostmöten om ledning.",
            "website": "",
            "url": "http://testserver/?series=chefsfrukost",
            "seminar_count": 2,
        }
    ]
    detail = get_json(client, "/api/series/chefsfrukost/")
    assert {s["slug"] for s in detail["seminars"]} == {
        "tillit-i-styrningen",
        "kompetensforsorjning",
    }
    get_json(client, "/api/series/finns-inte/", status=404)
    get_json(client, "/api/speakers/finns-inte/", status=404)


def test_citation_downloads(client, archive):
    bib = client.get("/api/seminars/tillit-i-styrningen/cite.bib")
    assert bib["Content-Type"] == "application/x-bibtex; charset=utf-8"
    text = bib.content.decode()
    assert text.startswith("@misc{oberg")
    assert "author = {Öberg, Anna}" in text
    assert "title = {{Tillit i styrningen}}" in text
    assert "url = {http://testserver/tillit-i-styrningen/}" in text
    txt = client.get("/api/seminars/tillit-i-styrningen/cite.txt").content.decode()
    assert txt.startswith("Öberg, A. (")
    assert "Tillit i styrningen [Video]. Chefsfrukost. Seminariearkivet." in txt


def test_cite_box_on_seminar_page(client, archive):
    html = client.get("/tillit-i-styrningen/").content.decode()
    assert 'id="cite-apa"' in html
    assert "Öberg, A. (" in html
    assert 'href="/api/seminars/tillit-i-styrningen/cite.bib?hl=sv"' in html
    assert "/static/js/cite.js" in html


def test_apa_and_bibtex_formats():
    data = CitationData(
        title="Styrning & ledning_100%",
        authors=("Anna-Karin von Berg", "Erik Lind", "Åsa Ek"),
        year=2024,
        month=5,
        day=16,
        url="https://example.org/s/",
        slug="styrning-och-ledning",
        series="Chefsfrukost",
        publisher="Seminariearkivet",
        has_video=False,
    )
    assert apa_author("Anna-Karin von Berg") == "von Berg, A.-K."
    with translation.override("en"):
        assert to_apa(data) == (
            "von Berg, A.-K., Lind, E., & Ek, Å. (2024, May 16). Styrning & ledning_100% "
            "[Seminar]. Chefsfrukost. Seminariearkivet. https://example.org/s/"
        )
    with translation.override("sv"):  # Swedish APA: day month, Swedish month names
        assert to_apa(data) == (
            "von Berg, A.-K., Lind, E., & Ek, Å. (2024, 16 maj). Styrning & ledning_100% "
            "[Seminarium]. Chefsfrukost. Seminariearkivet. https://example.org/s/"
        )
    bib = to_bibtex(data)
    assert bibtex_key(data) == "vonberg2024styrning"
    assert r"title = {{Styrning \& ledning\_100\%}}" in bib
    assert "author = {von Berg, Anna-Karin and Lind, Erik and Ek, Åsa}" in bib
    assert "month = may" in bib
    assert bib.count("{") == bib.count("}")


def test_a_family_name_of_several_words_is_cited_whole():
    """Sara Nilsson Berg was cited as "Berg, S. N.": the last word was taken as the family
    name. A speaker's family name field says where it starts."""
    data = CitationData(
        title="Tillit",
        authors=("Sara Nilsson Berg", "Erik Lind"),
        families=("Nilsson Berg", ""),
        year=2024,
        month=5,
        day=16,
        url="https://example.org/s/",
        slug="tillit",
    )
    assert apa_author("Sara Nilsson Berg", "Nilsson Berg") == "Nilsson Berg, S."
    with translation.override("en"):
        assert to_apa(data).startswith("Nilsson Berg, S., & Lind, E. (2024, May 16).")
    assert "author = {Nilsson Berg, Sara and Lind, Erik}" in to_bibtex(data)
    assert bibtex_key(data) == "nilssonberg2024tillit"


def test_the_bibtex_key_transliterates_the_title_word_and_the_url_stays_a_bare_url():
    """The key dropped å from the title word ("akesson2026nyrsseminarium") while it
    transliterated the author's name."""
    url = "https://example.org/seminarier/ny%C3%A5rsseminarium-2026/"
    data = CitationData(
        title="Nyårsseminarium 2026",
        authors=("Henrik Åkesson",),
        year=2026,
        month=1,
        day=8,
        url=url,
        slug="nyårsseminarium-2026",
    )
    bib = to_bibtex(data)
    assert bibtex_key(data) == "akesson2026nyarsseminarium"
    assert bib.startswith("@misc{akesson2026nyarsseminarium,\n")
    # ``url`` is verbatim in biblatex and printed through \url{} by BibTeX styles: "%" is safe
    # there and "\%" would end up in the link. It appears in no other field.
    assert f"  url = {{{url}}}," in bib
    assert bib.count("%") == url.count("%")


def test_a_family_name_must_end_the_name(db):
    from django.core.exceptions import ValidationError

    from archive.models import Speaker

    speaker = Speaker(name="Sara Nilsson Berg", family_name=" Nilsson  Berg ")
    speaker.full_clean()
    assert speaker.family_name == "Nilsson Berg"
    speaker.family_name = "Nilsson"
    with pytest.raises(ValidationError, match="Efternamnet måste|family name must"):
        speaker.full_clean()


def test_hidden_seminars_are_404_in_the_api(client, archive):
    for page in archive.hidden:
        get_json(client, f"/api/seminars/{page.slug}/", status=404)
        assert client.get(f"/api/seminars/{page.slug}/cite.bib").status_code == 404
    body = client.get("/api/seminars/?page_size=100").content.decode()
    assert HIDDEN not in body
