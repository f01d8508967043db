"""The search API: its exact JSON shape, its 400s and its OpenAPI documentation."""

import pytest

from archive.factories import SpeakerFactory
from search.engines.base import MOMENT_COUNT_CAP
from search.models import SearchLog
from tests.search.conftest import SeminarMaker


@pytest.fixture
def seminars(archive_root, settings):
    settings.ELASTICSEARCH_URL = ""
    make = SeminarMaker(archive_root)
    anna = SpeakerFactory(name="Anna Andersson")
    page = make(
        "Tillitsbaserad styrning",
        lead="Om tillit i staten.",
        series="Forum",
        speakers=[anna],
        topics=["tillit"],
        transcript=[(754.2, 760, "Anna Andersson", "Tillit är en bra början.")],
        slides=[["Inledning", "Tillit och kontroll"]],
    )
    make("Budget", lead="Om pengar.")
    return page


def test_search_returns_every_documented_key(client, seminars):
    response = client.get("/api/search/", {"q": "tillit"})
    assert response.status_code == 200
    data = response.json()
    assert set(data) >= {
        "query",
        "engine",
        "total",
        "page",
        "page_size",
        "suggestion",
        "results",
        "facets",
    }
    assert (data["query"], data["engine"], data["total"], data["page"], data["page_size"]) == (
        "tillit",
        "database",
        1,
        1,
        20,
    )
    result = data["results"][0]
    assert set(result) >= {
        "slug",
        "title",
        "url",
        "start",
        "series",
        "speakers",
        "topics",
        "snippet",
        "score",
        "moments",
        "slides",
    }
    assert result["title"] == "Tillitsbaserad styrning"
    assert result["url"] == "http://testserver" + seminars.url
    assert result["series"] == {"slug": "forum", "name": "Forum"}
    assert result["speakers"] == [
        {"name": "Anna Andersson", "slug": "anna-andersson", "role": "speaker"}
    ]
    assert result["topics"] == [{"slug": "tillit", "name": "tillit"}]
    assert "<mark>tillit</mark>" in result["snippet"]
    assert result["score"] > 0
    moment = result["moments"][0]
    assert set(moment) == {"start", "end", "speaker", "text", "url"}
    assert moment["url"] == f"http://testserver{seminars.url}?t=754.2"
    slide = result["slides"][0]
    assert set(slide) >= {"page", "text", "url"}
    assert slide["page"] == 2 and slide["url"].endswith("#page=2")
    assert slide["url"].startswith("http://testserver/documents/")
    assert set(data["facets"]) >= {"series", "speaker", "topic", "year", "format"}
    assert data["facets"]["series"] == [
        {"value": "forum", "label": "Forum", "count": 1, "selected": False}
    ]


def test_repeated_parameters_select_several_values(client, seminars):
    data = client.get("/api/search/?q=&year=2020&year=" + seminars.start.strftime("%Y")).json()
    assert data["total"] == 2
    data = client.get("/api/search/?speaker=anna-andersson&speaker=nobody").json()
    assert [r["title"] for r in data["results"]] == ["Tillitsbaserad styrning"]


def test_english_search_page_links_to_english_pages(client, seminars):
    url = seminars.url
    hit_url = client.get("/api/search/", {"q": "tillit"}).json()["results"][0]["url"]
    assert hit_url == "http://testserver" + url
    page = client.get("/en/search/", {"q": "tillit"})
    assert f'href="/en{url}"' in page.content.decode()
    assert client.get(f"/en{url}").status_code == 200


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"page": "x"}, "page"),
        ({"page": "1001"}, "page"),
        ({"page": "0"}, "page"),
        ({"page_size": "101"}, "page_size"),
        ({"q": "a" * 201}, "q"),
        ({"sort": "random"}, "sort"),
        ({"format": "party"}, "format"),
        ({"lang": "de"}, "lang"),
        ({"year": "20x4"}, "year"),
        ({"has_video": "maybe"}, "has_video"),
    ],
)
def test_bad_parameters_answer_400_naming_the_parameter(client, db, params, parameter):
    response = client.get("/api/search/", params)
    assert response.status_code == 400
    data = response.json()
    assert data["parameter"] == parameter
    assert data["error"]


def test_autocomplete_shape(client, seminars):
    data = client.get("/api/autocomplete/", {"q": "till"}).json()
    assert data["query"] == "till"
    assert {"kind": "title", "label": "Tillitsbaserad styrning", "url": seminars.url} in (
        data["suggestions"]
    )
    assert {s["kind"] for s in data["suggestions"]} == {"title", "topic"}
    assert client.get("/api/autocomplete/", {"q": "a" * 201}).status_code == 400


def test_the_api_speaks_the_language_the_client_asks_for(client, seminars):
    """The English search page's autocomplete once linked to Swedish pages: the API always ran
    in Swedish. Accept-Language now chooses (Swedish by default)."""
    from django.utils import translation

    with translation.override("sv"):
        swedish_url = seminars.url
    english = client.get("/api/autocomplete/", {"q": "till"}, HTTP_ACCEPT_LANGUAGE="en")
    assert english["Content-Language"] == "en" and "Accept-Language" in english["Vary"]
    urls = {s["kind"]: s["url"] for s in english.json()["suggestions"]}
    assert urls["title"] == "/en" + swedish_url
    assert urls["topic"].startswith("/en/search/?topic=")
    swedish = client.get("/api/autocomplete/", {"q": "till"}).json()
    assert {s["kind"]: s["url"] for s in swedish["suggestions"]}["topic"].startswith("/sok/?")
    bad = {"q": "styrning", "sort": "random"}
    message = client.get("/api/search/", bad, HTTP_ACCEPT_LANGUAGE="en").json()["error"]
    assert message.startswith("Unknown sort")
    assert client.get("/api/search/", bad).json()["error"].startswith("Okänd sortering")
    long = client.get("/api/autocomplete/", {"q": "a" * 201}, HTTP_ACCEPT_LANGUAGE="en")
    assert long.json()["error"].startswith("The search text is too long")


def test_openapi_schema_documents_search(client, db):
    schema = client.get("/api/schema/").json()
    assert "/api/search/" in schema["paths"]
    assert "/api/autocomplete/" in schema["paths"]
    components = schema["components"]["schemas"]
    assert {"SearchOut", "HitOut", "MomentOut", "AutocompleteOut"} <= set(components)
    parameters = {p["name"] for p in schema["paths"]["/api/search/"]["get"]["parameters"]}
    assert {
        "q",
        "page",
        "page_size",
        "series",
        "speaker",
        "topic",
        "year",
        "format",
        "lang",
        "sort",
        "has_video",
        "has_transcript",
    } <= parameters


def test_searches_are_logged_without_personal_data(client, seminars):
    client.get("/api/search/", {"q": "  Tillit   STATEN "}, REMOTE_ADDR="10.1.2.3")
    client.get("/api/search/", {"q": "ingenting här", "page": "2"})
    log = SearchLog.objects.get()
    assert (log.query, log.results, log.engine) == ("tillit staten", 1, "database")
    assert "10.1.2.3" not in str(vars(log))


def test_the_api_takes_and_documents_a_date_range(client, archive_root):
    schema = client.get("/api/schema/").json()
    names = [p["name"] for p in schema["paths"]["/api/search/"]["get"]["parameters"]]
    assert "from" in names and "to" in names
    response = client.get("/api/search/", {"from": "2024", "to": "2023"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {
        "error": "to (2023-12-31) is before from (2024-01-01): swap them.",
        "parameter": "to",
    }
    assert client.get("/api/search/", {"from": "2024-03", "to": "2024"}).status_code == 200
    # The ends of the calendar overflowed into a 500 (review of the new feature).
    for params in ({"from": "0001"}, {"to": "9999-12-31"}):
        response = client.get("/api/search/", params)
        assert response.status_code == 400 and response.json()["parameter"] in params


def test_hits_say_whether_the_time_is_known_and_who_moderates(client, archive_root, settings):
    """A date-only seminar's hit had a start time and nothing saying it was a placeholder; its
    moderator was one of its "speakers"."""
    settings.ELASTICSEARCH_URL = ""
    make = SeminarMaker(archive_root)
    make(
        "Lärande tillsyn",
        lead="Om tillsyn.",
        speakers=["Maria Lindqvist", ("Helena Brandt", "moderator")],
        time_known=False,
    )
    make("Tillsyn i praktiken", lead="Om tillsyn.", speakers=["Maria Lindqvist"])
    results = {
        r["title"]: r for r in client.get("/api/search/", {"q": "tillsyn"}).json()["results"]
    }
    date_only, timed = results["Lärande tillsyn"], results["Tillsyn i praktiken"]
    assert (date_only["time_known"], timed["time_known"]) == (False, True)
    assert [s["name"] for s in date_only["speakers"]] == ["Maria Lindqvist"]
    assert date_only["moderators"] == [
        {"name": "Helena Brandt", "slug": "helena-brandt", "role": "moderator"}
    ]
    assert timed["moderators"] == []
    hit_schema = client.get("/api/schema/").json()["components"]["schemas"]["HitOut"]
    assert {"time_known", "moderators"} <= set(hit_schema["required"])


def test_hits_say_how_many_moments_match_and_when_the_count_stopped(client, archive_root, settings):
    """A hit listed three moments and nothing said how many more the seminar held: the
    results page says "12" or "100+", the API said nothing."""
    settings.ELASTICSEARCH_URL = ""
    make = SeminarMaker(archive_root)

    def transcript(matching: int) -> list[tuple]:
        said = [
            (10.0 * i, 10.0 * i + 9, "Anna", f"Om zebrafinkar, del {i}.") for i in range(matching)
        ]
        other = [(5000.0 + i, 5001.0 + i, "Anna", "Något helt annat.") for i in range(4)]
        return said + other

    make("Fåglar i staden", transcript=transcript(12))
    make("Fåglar på landet", transcript=transcript(MOMENT_COUNT_CAP + 20))
    make("Zebrafinkar", lead="Inget sagt om dem.")
    data = client.get("/api/search/", {"q": "zebrafinkar"}).json()
    hits = {r["title"]: r for r in data["results"]}
    town, country, titled = hits["Fåglar i staden"], hits["Fåglar på landet"], hits["Zebrafinkar"]
    assert (len(town["moments"]), town["moment_count"], town["moment_count_capped"]) == (
        3,
        12,
        False,
    )
    assert (country["moment_count"], country["moment_count_capped"]) == (MOMENT_COUNT_CAP, True)
    assert (titled["moments"], titled["moment_count"], titled["moment_count_capped"]) == (
        [],
        0,
        False,
    )
    # Without words nothing is counted.
    listed = client.get("/api/search/").json()["results"]
    assert {(r["moment_count"], r["moment_count_capped"]) for r in listed} == {(None, False)}
    hit_schema = client.get("/api/schema/").json()["components"]["schemas"]["HitOut"]
    assert {"moment_count", "moment_count_capped"} <= set(hit_schema["required"])
    assert f"{MOMENT_COUNT_CAP}+" in hit_schema["properties"]["moment_count"]["description"]
