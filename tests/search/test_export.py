"""What the search exports say of each hit's moments and slides (``search.export``): every
moment up to a cap, how many there are, and the slide hits, structured for JSON and readable in
a CSV cell. The exports kept the three moments the page shows, joined in one string, and no
slide hits."""

import pytest
from django.utils import translation

from search.engines.base import SearchQuery
from search.engines.database import DatabaseEngine
from search.export import EXPORT_MAX_MOMENTS, csv_fields, export_fields, export_query


@pytest.fixture
def db_engine(archive_root, settings):
    settings.ELASTICSEARCH_URL = ""
    return DatabaseEngine()


def absolute(url):
    return f"http://testserver{url}"


def test_an_export_lists_every_moment_with_its_time_and_link_and_the_slide_hits(db_engine, seminar):
    transcript = [(t * 10.0 + 0.5, t * 10.0 + 9, "Anna Ek", f"Tillit, del {t}.") for t in range(18)]
    transcript.append((500.0, 509.0, "", "Tillit utan talare."))
    page = seminar(
        "Leda med tillit",
        transcript=transcript,
        slides=[["Inledning", "Tillit och kontroll", "Tillit i praktiken"]],
    )
    [hit] = db_engine.search(export_query(SearchQuery(q="tillit"))).hits
    fields = export_fields(hit, absolute)
    assert fields["moment_count"] == 19 and len(fields["moments"]) == 19
    first = fields["moments"][0]
    assert first == {
        "start": 0.5,
        "end": 9.0,
        "time": "0:00",
        "speaker": "Anna Ek",
        "text": "Tillit, del 0.",
        "url": f"http://testserver{page.url}?t=0.5",
    }
    assert [m["start"] for m in fields["moments"]][-2:] == [170.5, 500.0]
    assert [(s["page"], s["label"]) for s in fields["slides"]] == [
        (2, "Presentation"),
        (3, "Presentation"),
    ]
    assert fields["slides"][0]["url"].startswith("http://testserver/documents/")
    assert fields["slides"][0]["url"].endswith("#page=2")
    assert "<mark>" not in str(fields)

    cells = csv_fields(fields)
    assert cells["moments"].startswith(
        f"0:00 Anna Ek: Tillit, del 0. (http://testserver{page.url}?t=0.5) | "
    )
    assert cells["moments"].endswith(
        f"8:20 Tillit utan talare. (http://testserver{page.url}?t=500)"
    )
    assert cells["moments"].count(" | ") == 18
    with translation.override("en"):
        assert csv_fields(fields)["slides"].startswith("p. 2 (Presentation): Tillit och kontroll (")
    # The page's search still shows three.
    [shown] = db_engine.search(SearchQuery(q="tillit")).hits
    assert len(shown.moments) == 3 and shown.moment_count == 19 and len(shown.slides) == 2


def test_a_capped_export_gives_the_count_and_says_so(db_engine, seminar):
    transcript = [
        (float(t), t + 0.9, "", f"Budget, del {t}.") for t in range(EXPORT_MAX_MOMENTS + 30)
    ]
    seminar("Ett långt samtal", transcript=transcript)
    [hit] = db_engine.search(export_query(SearchQuery(q="budget"))).hits
    fields = export_fields(hit, absolute)
    assert len(fields["moments"]) == EXPORT_MAX_MOMENTS
    assert fields["moment_count"] == EXPORT_MAX_MOMENTS + 30
    with translation.override("en"):
        cell = csv_fields(fields)["moments"]
    assert cell.endswith(f" | ({EXPORT_MAX_MOMENTS} of {EXPORT_MAX_MOMENTS + 30} moments)")
