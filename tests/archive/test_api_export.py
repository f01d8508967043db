"""CSV and JSON export of a whole search result (every page), and the one-place privacy check:
draft and private seminars are absent from every feed, the sitemap, the API, oEmbed and exports."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from archive import api as archive_api
from archive.factories import SeminarPageFactory
from tests.archive.open_data import HIDDEN, build_archive

pytestmark = pytest.mark.django_db


def rebuild_search_index():
    from search.engines import database_engine

    database_engine().rebuild()


@pytest.fixture
def many(archive_root):
    """25 public seminars about styrning, one about something else."""
    start = timezone.now() - dt.timedelta(days=400)
    pages = [
        SeminarPageFactory(
            parent=archive_root,
            title=f"Styrning och ledning del {i}",
            slug=f"styrning-{i}",
            lead="Om tillitsbaserad styrning och ledning.",
            start=start + dt.timedelta(days=i),
        )
        for i in range(25)
    ]
    SeminarPageFactory(
        parent=archive_root,
        title="Kompetens i kommunerna",
        slug="kompetens",
        lead="Rekrytering av medarbetare.",
    )
    rebuild_search_index()
    return pages


def read_csv(response):
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM so Excel reads å, ä, ö"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_export_covers_every_page(client, many, monkeypatch):
    monkeypatch.setattr(archive_api, "EXPORT_PAGE_SIZE", 10)  # 25 hits → 3 engine pages
    response = client.get("/api/search/export.csv?q=styrning&sort=oldest")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="seminars-styrning-')
    rows = read_csv(response)
    assert len(rows) == 25
    assert [r["title"] for r in rows] == [f"Styrning och ledning del {i}" for i in range(25)]
    assert rows[0]["url"].endswith("/styrning-0/")
    assert "<mark>" not in rows[0]["snippet"]
    assert response["X-Total-Count"] == "25"
    assert "X-Export-Notice" not in response


def test_exports_have_absolute_links_local_times_and_readable_values(client, many):
    """Exports once had /path/ links (dead in a spreadsheet or a reference manager), UTC start
    times (07:00 for an 08:00 seminar), format codes and Python's True/False."""
    from archive.models import SeminarPage

    page = many[0]
    SeminarPage.objects.filter(pk=page.pk).update(format="breakfast_meeting")
    rebuild_search_index()
    local = timezone.localtime(page.start)
    row = next(
        r
        for r in read_csv(client.get("/api/search/export.csv?q=styrning"))
        if r["title"] == page.title
    )
    assert row["url"] == "http://testserver/styrning-0/"
    assert row["start"] == f"{local:%Y-%m-%d %H:%M}"
    assert row["format"] == "Frukostmöte"
    assert row["has_video"] in ("ja", "nej") and row["has_transcript"] == "nej"
    data = client.get("/api/search/export.json?q=styrning").json()
    result = next(r for r in data["results"] if r["title"] == page.title)
    assert result["url"] == "http://testserver/styrning-0/"
    assert result["start"] == local.isoformat()
    assert result["format"] == "breakfast_meeting" and result["has_transcript"] is False


def test_csv_semicolon_for_swedish_excel(client, many):
    response = client.get("/api/search/export.csv?q=kompetens&delimiter=semicolon")
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("title;url;start;series;")
    assert client.get("/api/search/export.csv?delimiter=tab").status_code == 400


def test_json_export_matches_search_and_reports_cap(client, many, monkeypatch):
    monkeypatch.setattr(archive_api, "EXPORT_PAGE_SIZE", 10)
    monkeypatch.setattr(archive_api, "EXPORT_MAX_ROWS", 12)
    response = client.get("/api/search/export.json?q=styrning")
    data = response.json()
    assert data["total"] == 25
    assert data["exported"] == 12 and len(data["results"]) == 12
    assert data["truncated"] is True
    assert "first 12 of 25" in data["notice"]
    assert response["X-Export-Notice"] == data["notice"]
    search = client.get("/api/search/?q=styrning&page_size=12").json()
    assert [r["title"] for r in data["results"]] == [r["title"] for r in search["results"]]


def test_json_export_echoes_repeated_parameters(client, many):
    data = client.get("/api/search/export.json?q=styrning&year=2020&year=2021").json()
    assert data["query"] == {"q": "styrning", "year": ["2020", "2021"]}


def test_export_validates_like_search(client, many):
    response = client.get("/api/search/export.json?sort=sideways")
    assert response.status_code == 400
    assert response.json()["parameter"] == "sort"


PUBLIC_OUTPUTS = [
    "/flode/rss/",
    "/flode/atom/",
    "/en/feeds/rss/",
    "/flode/kalender.ics",
    "/flode/serie/chefsfrukost/rss/",
    "/flode/serie/chefsfrukost/podcast/",
    "/flode/serie/chefsfrukost/kalender.ics",
    "/flode/amne/tillit/atom/",
    "/flode/talare/{anna}/rss/",
    "/sitemap-seminars.xml",
    "/api/seminars/?page_size=100",
    "/api/speakers/{anna}/",
    "/api/series/chefsfrukost/",
    "/api/search/export.csv",
    "/api/search/export.json?q=tillit",
    "/api/search/export.csv?speaker={anna}",
    "/api/search/?q=hemligt",
    "/",
]


@pytest.mark.parametrize("url", PUBLIC_OUTPUTS)
def test_draft_and_private_seminars_absent_everywhere(client, archive_root, url):
    archive = build_archive(archive_root)
    rebuild_search_index()
    response = client.get(url.format(anna=archive.anna.slug))
    assert response.status_code == 200, response.content[:300]
    body = response.content.decode("utf-8-sig")
    assert archive.past.slug in body or archive.upcoming.slug in body or "hemligt" in url
    assert HIDDEN not in body
    assert "hemligt-draft" not in body and "hemligt-private" not in body


@pytest.mark.parametrize(
    "template",
    [
        "/api/seminars/{slug}/",
        "/api/seminars/{slug}/cite.bib",
        "/api/seminars/{slug}/cite.txt",
        "/embed/{pk}/",
        "/api/oembed/?url=http://testserver/{slug}/",
        "/api/oembed/?url=http://testserver/embed/{pk}/",
    ],
)
def test_draft_and_private_seminars_are_404(client, archive_root, template):
    archive = build_archive(archive_root)
    for page in archive.hidden:
        response = client.get(template.format(slug=page.slug, pk=page.pk))
        assert response.status_code == 404, (template, page.title)


def test_csv_export_cells_never_start_a_formula(client, archive_root):
    SeminarPageFactory(
        parent=archive_root,
        title='=HYPERLINK("http://evil.example/";"Styrning")',
        slug="formel",
        lead="Om styrning.",
    )
    rebuild_search_index()
    rows = read_csv(client.get("/api/search/export.csv?q=styrning"))
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil.example/";"Styrning")'
    assert not any(v.startswith(("=", "+", "-", "@")) for row in rows for v in row.values())


@pytest.fixture
def tillsyn(archive_root):
    """A seminar known only by its date (stored at 15:00 local, a placeholder) and one whose
    time is known; the first with a speaker, a panelist and a moderator."""
    from archive.factories import SpeakerFactory
    from tests.archive.open_data import add_speaker

    zone = timezone.get_current_timezone()
    date_only = SeminarPageFactory(
        parent=archive_root,
        title="Vad är en lärande tillsyn?",
        slug="vad-ar-en-larande-tillsyn",
        lead="Om tillsyn som lär.",
        start=dt.datetime(2025, 10, 13, 15, 0, tzinfo=zone),
        time_known=False,
    )
    add_speaker(date_only, SpeakerFactory(name="Maria Lindqvist"), "speaker", 0)
    add_speaker(date_only, SpeakerFactory(name="Helena Brandt"), "moderator", 1)
    add_speaker(date_only, SpeakerFactory(name="Ahmed Karimi"), "panelist", 2)
    SeminarPageFactory(
        parent=archive_root,
        title="Tillsyn i praktiken",
        slug="tillsyn-i-praktiken",
        lead="Om tillsyn.",
        start=dt.datetime(2025, 10, 14, 9, 30, tzinfo=zone),
    )
    rebuild_search_index()


def test_exports_give_only_the_date_when_the_time_is_unknown(client, tillsyn):
    """A date-only seminar was exported at its placeholder time (2025-10-13 15:00)."""
    rows = read_csv(client.get("/api/search/export.csv?q=tillsyn&sort=oldest"))
    assert [(r["start"], r["time_known"]) for r in rows] == [
        ("2025-10-13", "nej"),
        ("2025-10-14 09:30", "ja"),
    ]
    results = client.get("/api/search/export.json?q=tillsyn&sort=oldest").json()["results"]
    assert [(r["start"], r["time_known"]) for r in results] == [
        ("2025-10-13", False),
        ("2025-10-14T09:30:00+02:00", True),
    ]


def test_exports_name_the_moderator_apart_from_the_speakers(client, tillsyn):
    """The moderator was exported as one of the speakers."""
    row = read_csv(client.get("/api/search/export.csv?q=tillsyn&sort=oldest"))[0]
    assert (row["speakers"], row["moderator"]) == ("Maria Lindqvist; Ahmed Karimi", "Helena Brandt")
    result = client.get("/api/search/export.json?q=tillsyn&sort=oldest").json()["results"][0]
    assert (result["speakers"], result["moderator"]) == (
        "Maria Lindqvist; Ahmed Karimi",
        "Helena Brandt",
    )


def test_the_schema_lists_the_filters_the_exports_take(client):
    """The OpenAPI schema listed only q and delimiter."""
    paths = client.get("/api/schema/").json()["paths"]
    filters = {"q", "series", "speaker", "topic", "year", "format", "lang", "sort", "from", "to"}
    filters |= {"has_video", "has_transcript"}
    for path, extra in (
        ("/api/search/export.csv", {"delimiter", "hl"}),
        ("/api/search/export.json", {"hl"}),
    ):
        names = {p["name"] for p in paths[path]["get"]["parameters"]}
        assert names == filters | extra, path


def test_exports_apply_the_filters_they_document(client, tillsyn):
    rows = read_csv(client.get("/api/search/export.csv?q=tillsyn&speaker=maria-lindqvist"))
    assert [r["title"] for r in rows] == ["Vad är en lärande tillsyn?"]
