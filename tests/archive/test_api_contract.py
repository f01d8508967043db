"""The API as its OpenAPI schema promises it: every endpoint's real answers validate against
/api/schema/, every error is JSON ``{"error", "parameter"}``, HEAD works as GET, a NUL
character is a 400, the seminar list and the search take their filters the same way, and an
answer's language comes from ``hl`` or Accept-Language (never the language cookie)."""

import datetime as dt
import inspect
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone, translation
from jsonschema import Draft202012Validator
from ninja import Schema

from archive.factories import SpeakerFactory
from archive.models import SeminarFormat
from tests.search.conftest import SeminarMaker

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def seminars(archive_root, settings):
    settings.ELASTICSEARCH_URL = ""
    make = SeminarMaker(archive_root)
    anna = SpeakerFactory(name="Anna Öberg")
    erik = SpeakerFactory(name="Erik Lind")
    timed = make(
        "Tillit i styrningen",
        lead="Om tillit.",
        series="Chefsfrukost",
        speakers=[anna, (erik, "moderator")],
        topics=["tillit"],
        transcript=[(12.5, 20, "Anna Öberg", "Tillit är grunden.")],
        slides=[["Inledning", "Tillit och kontroll"]],
        start=dt.datetime(2025, 10, 13, 15, 0, tzinfo=STOCKHOLM),
        video_url="https://www.youtube.com/watch?v=abcdefghijk",
        format="lecture",
    )
    date_only = make(
        "Tillit i tillsynen",
        lead="Om tillit i tillsyn.",
        series="Forum",
        speakers=[erik],
        start=dt.datetime(2025, 10, 14, 0, 0, tzinfo=STOCKHOLM),
        time_known=False,
        format="panel",
    )
    upcoming = make(
        "Tillit framåt",
        lead="Trust ahead.",
        speakers=[anna],
        start=timezone.now() + dt.timedelta(days=10),
        language="en",
        registration_note="Fri entré. Föranmälan behövs inte.",
        contact_name="Peter Öhman",
        contact_email="peter@example.org",
    )
    return {"timed": timed, "date_only": date_only, "upcoming": upcoming, "erik": erik}


# The schema ------------------------------------------------------------------------------------


def validate(openapi, path: str, response, status: int = 200) -> None:
    """``response``'s JSON against what /api/schema/ says ``path`` answers with ``status``."""
    assert response.status_code == status, (path, response.content[:300])
    schema = openapi["paths"][path]["get"]["responses"][str(status)]["content"]
    # The components travel along, so "#/components/schemas/..." resolves in this document.
    data = response.json()
    validator = Draft202012Validator(
        {**schema["application/json"]["schema"], "components": openapi["components"]}
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert not errors, (path, errors[:10])


def test_every_json_answer_matches_the_published_schema(client, seminars):
    """Two routers once declared SpeakerOut, SeriesOut and SlideOut, and the schema described
    the search's people, series and slides with the archive's fields: a client generated from
    it could not read a search result."""
    openapi = client.get("/api/schema/").json()
    timed = seminars["timed"]
    anna = timed.seminar_speakers.get(role="speaker").speaker
    calls = {
        "/api/search/": ["/api/search/?q=tillit", "/api/search/?q=tillit&hl=en"],
        "/api/autocomplete/": ["/api/autocomplete/?q=till"],
        "/api/seminars/": ["/api/seminars/", "/api/seminars/?page_size=1&page=2"],
        "/api/seminars/{slug}/": [
            f"/api/seminars/{seminars[kind].slug}/" for kind in ("timed", "date_only", "upcoming")
        ],
        "/api/speakers/": ["/api/speakers/"],
        "/api/speakers/{slug}/": [f"/api/speakers/{anna.slug}/"],
        "/api/series/": ["/api/series/"],
        "/api/series/{slug}/": [f"/api/series/{timed.series.slug}/"],
        "/api/oembed/": [f"/api/oembed/?url=http://testserver{timed.url}"],
        "/api/search/export.json": ["/api/search/export.json?q=tillit"],
    }
    json_paths = {
        path
        for path, operations in openapi["paths"].items()
        if "application/json" in operations["get"]["responses"]["200"].get("content", {})
    }
    assert json_paths == set(calls), "an endpoint whose answers this test does not check"
    for path, urls in calls.items():
        for url in urls:
            validate(openapi, path, client.get(url))
    # The search's hits really have the shapes that were wrong.
    hit = client.get("/api/search/?q=tillit").json()["results"][0]
    assert {"speakers", "moderators", "series", "slides"} <= {k for k, v in hit.items() if v}
    # Errors have their documented shape too.
    validate(openapi, "/api/search/", client.get("/api/search/?sort=random"), 400)
    validate(openapi, "/api/seminars/", client.get("/api/seminars/?year=abc"), 400)
    validate(openapi, "/api/seminars/{slug}/", client.get("/api/seminars/finns-inte/"), 404)
    validate(openapi, "/api/oembed/", client.get("/api/oembed/?url=/finns-inte/"), 404)


def test_schema_component_names_are_unique():
    """ninja names components after the classes: two classes of one name silently share one."""
    import archive.api
    import config.api
    import search.api

    names = {}
    for module in (archive.api, search.api, config.api):
        for name, cls in vars(module).items():
            defined_here = inspect.isclass(cls) and cls.__module__ == module.__name__
            if defined_here and issubclass(cls, Schema):
                names.setdefault(cls.__name__, []).append(f"{module.__name__}.{name}")
    assert not {name: where for name, where in names.items() if len(where) > 1}


def test_the_schema_documents_errors_and_the_language_parameter(client, db):
    paths = client.get("/api/schema/").json()["paths"]
    for path, operations in paths.items():
        responses = operations["get"]["responses"]
        assert {"400", "429", "500", "503"} <= set(responses), path
        if "{" in path:
            assert "404" in responses, path
        assert "hl" in [p["name"] for p in operations["get"]["parameters"]], path
        assert responses["400"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorOut"
        }


# Errors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(
    "url", ["/api/seminars/finns-inte/", "/api/speakers/finns-inte/", "/api/series/finns-inte/"]
)
def test_not_found_is_the_apis_json_error(client, db, settings, url, debug):
    """It was {"detail": "Not Found"} in production (and named what was missing only with
    DEBUG)."""
    settings.DEBUG = debug
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    data = response.json()
    assert set(data) == {"error", "parameter"} and data["parameter"] == "slug"
    assert "finns-inte" in data["error"]


def test_unknown_addresses_wrong_methods_and_server_errors_answer_json(db, monkeypatch):
    client = Client(raise_request_exception=False)
    unknown = client.get("/api/finns-inte/")
    assert unknown.status_code == 404 and unknown["Content-Type"] == "application/json"
    assert unknown.json()["error"] and unknown.json()["parameter"] == ""

    post = client.post("/api/seminars/")
    assert post.status_code == 405 and post["Allow"] == "GET"
    assert post["Content-Type"] == "application/json" and "POST" in post.json()["error"]

    import archive.api

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(archive.api, "public_seminars", broken)
    failed = client.get("/api/speakers/")
    assert failed.status_code == 500 and failed["Content-Type"] == "application/json"
    assert failed.json()["error"] and "boom" not in failed.json()["error"]


def test_head_is_answered_like_get_without_a_body(client, seminars):
    """HEAD was 405 on every /api/ address (link checkers and monitors ask with HEAD)."""
    for url in (
        "/api/seminars/",
        f"/api/seminars/{seminars['timed'].slug}/",
        f"/api/oembed/?url={seminars['timed'].url}",
        "/api/search/?q=tillit",
    ):
        get, head = client.get(url), client.head(url)
        assert head.status_code == 200, url
        assert head["Content-Type"] == get["Content-Type"] == "application/json; charset=utf-8"
        assert head["Content-Length"] == str(len(get.content))
        assert head.content == b""
    missing = client.head("/api/seminars/finns-inte/")
    assert missing.status_code == 404 and missing.content == b""


# NUL characters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, parameter",
    [
        ("/api/seminars/?series=%00", "series"),
        ("/api/seminars/?topic=a%00", "topic"),
        ("/api/seminars/?speaker=%00", "speaker"),
        ("/api/seminars/%00/", ""),
        ("/api/speakers/a%00b/", ""),
        ("/api/series/a%00/", ""),
        ("/api/seminars/a%00/cite.bib", ""),
        ("/api/oembed/?url=/embed/a%00/", "url"),
        ("/api/search/?q=a%00b", "q"),
    ],
)
def test_a_nul_character_is_a_400_in_the_api(client, seminars, url, parameter):
    """PostgreSQL cannot hold a NUL in text: these were 500s there (and 404 or 200 on SQLite)."""
    response = client.get(url)
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter
    assert "NUL" in response.json()["error"]


@pytest.mark.parametrize("url", ["/?series=%00", "/?speaker=x%00", "/talare/a%00/", "/sok/?q=%00"])
def test_a_nul_character_is_a_400_page_on_the_site(client, seminars, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "NUL" in response.content.decode()


# Filters, paging ----------------------------------------------------------------------------


def slugs(response) -> set[str]:
    assert response.status_code == 200, response.content[:300]
    return {r["slug"] for r in response.json()["results"]}


@pytest.mark.parametrize("endpoint", ["/api/seminars/", "/api/search/"])
def test_the_seminar_list_and_the_search_filter_alike(client, seminars, endpoint):
    """/api/seminars/ took one value per filter (the last), ignored parameters it did not know
    and answered an empty list to a bad year or format, where /api/search/ ORs repeated values
    and answers 400."""
    timed, date_only, upcoming = seminars["timed"], seminars["date_only"], seminars["upcoming"]
    both = f"{endpoint}?series={timed.series.slug}&series={date_only.series.slug}"
    assert slugs(client.get(both)) == {timed.slug, date_only.slug}
    assert slugs(client.get(f"{endpoint}?lang=en")) == {upcoming.slug}
    assert slugs(client.get(f"{endpoint}?has_video=true")) == {timed.slug}
    assert slugs(client.get(f"{endpoint}?has_transcript=false")) == {
        date_only.slug,
        upcoming.slug,
    }
    assert slugs(client.get(f"{endpoint}?from=2025-10-14&to=2025-10")) == {date_only.slug}
    assert slugs(client.get(f"{endpoint}?year=2025&format=lecture&format=webinar")) == {timed.slug}
    # A moderator is not a speaker (Erik moderates the timed seminar, speaks at the other).
    assert slugs(client.get(f"{endpoint}?speaker={seminars['erik'].slug}")) == {date_only.slug}
    for query, parameter in (
        ("year=abc", "year"),
        ("format=bogus", "format"),
        ("has_video=maybe", "has_video"),
        ("page=99", "page"),
        ("page_size=101", "page_size"),
        ("colour=blue", "colour"),
    ):
        response = client.get(f"{endpoint}?{query}")
        assert response.status_code == 400, query
        assert response.json()["parameter"] == parameter


@pytest.mark.parametrize("query", ["q=tillit", "sort=oldest"])
def test_the_seminar_list_refuses_the_searchs_text_and_sort(client, seminars, query):
    response = client.get(f"/api/seminars/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["parameter"] == query.split("=")[0]
    assert "series" in response.json()["error"]  # it lists what the address takes


def test_search_pages_link_like_the_seminar_list(client, seminars):
    first = client.get("/api/search/?q=tillit&page_size=1").json()
    assert first["num_pages"] == first["total"] == 3
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/search/?q=tillit&page_size=1&page=2"
    last = client.get("/api/search/?q=tillit&page_size=1&page=3").json()
    assert last["next"] is None and last["previous"].endswith("page=2")


# What a seminar says ------------------------------------------------------------------------


def test_times_are_local_iso_and_a_date_only_seminar_has_no_clock_time(client, seminars):
    """A date-only seminar was "2025-10-13T13:00:00Z" in the seminar API (a clock time it does
    not have); search hits gave UTC with +00:00 and the seminar API UTC with Z."""
    timed = client.get(f"/api/seminars/{seminars['timed'].slug}/").json()
    assert timed["start"] == "2025-10-13T15:00:00+02:00"
    assert timed["end"] == "2025-10-13T16:00:00+02:00"
    date_only = client.get(f"/api/seminars/{seminars['date_only'].slug}/").json()
    assert (date_only["start"], date_only["end"], date_only["time_known"]) == (
        "2025-10-14",
        "2025-10-14",
        False,
    )
    hits = {h["slug"]: h for h in client.get("/api/search/?q=tillit").json()["results"]}
    assert hits[seminars["timed"].slug]["start"] == timed["start"]
    assert hits[seminars["date_only"].slug]["start"] == "2025-10-14"
    listed = {s["slug"]: s for s in client.get("/api/seminars/").json()["results"]}
    assert listed[seminars["date_only"].slug]["start"] == "2025-10-14"


def test_the_seminar_api_names_moderators_apart_from_speakers(client, seminars):
    data = client.get(f"/api/seminars/{seminars['timed'].slug}/").json()
    assert [(p["name"], p["role"]) for p in data["speakers"]] == [("Anna Öberg", "speaker")]
    assert [(p["name"], p["role"]) for p in data["moderators"]] == [("Erik Lind", "moderator")]
    hit = next(
        h
        for h in client.get("/api/search/?q=tillit").json()["results"]
        if h["slug"] == seminars["timed"].slug
    )
    assert [p["slug"] for p in hit["speakers"]] == [p["slug"] for p in data["speakers"]]
    assert [p["slug"] for p in hit["moderators"]] == [p["slug"] for p in data["moderators"]]


def test_an_upcoming_seminar_says_how_to_attend_as_its_page_does(client, seminars):
    upcoming = client.get(f"/api/seminars/{seminars['upcoming'].slug}/").json()
    assert upcoming["registration_note"] == "Fri entré. Föranmälan behövs inte."
    assert upcoming["contact"] == {
        "name": "Peter Öhman",
        "email": "peter@example.org",
        "phone": "",
    }
    page = client.get(seminars["upcoming"].url).content.decode()
    assert "Fri entré. Föranmälan behövs inte." in page and "peter@example.org" in page
    past = client.get(f"/api/seminars/{seminars['timed'].slug}/").json()
    assert (past["registration_note"], past["contact"]) == ("", None)


def test_search_urls_are_absolute(client, seminars):
    hit = next(
        h
        for h in client.get("/api/search/?q=tillit").json()["results"]
        if h["slug"] == seminars["timed"].slug
    )
    listed = next(
        s
        for s in client.get("/api/seminars/").json()["results"]
        if s["slug"] == seminars["timed"].slug
    )
    assert hit["url"] == listed["url"] == f"http://testserver{seminars['timed'].url}"
    assert all(m["url"].startswith("http://testserver/") for m in hit["moments"])
    assert all(s["url"].startswith("http://testserver/documents/") for s in hit["slides"])


# Language --------------------------------------------------------------------------------------


def test_the_search_api_takes_hl_as_the_exports_do(client, seminars):
    """hl=en gave Swedish labels and links (and hl=xx passed), while the exports honour it."""
    english = client.get("/api/search/?q=tillit&hl=en")
    assert english["Content-Language"] == "en"
    data = english.json()
    assert all(h["url"].startswith("http://testserver/en/") for h in data["results"])
    labels = {v["value"]: v["label"] for v in data["facets"]["format"]}
    with translation.override("en"):
        assert labels == {value: str(SeminarFormat(value).label) for value in labels}
    with translation.override("sv"):
        assert labels["panel"] != str(SeminarFormat.PANEL.label)
    swedish = client.get("/api/search/?q=tillit&hl=sv", HTTP_ACCEPT_LANGUAGE="en")
    assert swedish["Content-Language"] == "sv"
    assert "/en/" not in swedish.content.decode()
    for url in ("/api/search/?q=tillit&hl=xx", "/api/seminars/?hl=xx"):
        bad = client.get(url)
        assert bad.status_code == 400 and bad.json()["parameter"] == "hl"


def test_the_language_cookie_does_not_change_api_answers(client, seminars):
    """The cookie the site's language switcher sets made API answers English, but Vary named
    only Accept-Language: a shared cache could give a Swedish client the English answer."""
    client.cookies["django_language"] = "en"
    response = client.get("/api/seminars/")
    assert response["Content-Language"] == "sv"
    assert all("/en/" not in s["url"] for s in response.json()["results"])
    assert "Accept-Language" in response["Vary"]
    english = client.get("/api/seminars/", HTTP_ACCEPT_LANGUAGE="en")
    assert english["Content-Language"] == "en"
    assert all("/en/" in s["url"] for s in english.json()["results"])
