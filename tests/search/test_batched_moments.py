"""The moments and slide pages of many hits are fetched together: a results page and each chunk
of an export cost a few queries, however many hits they hold, and an export ranks its matches
once (scale review 1 and 10: 5,600 queries and seconds for one export of a common word)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive import api as archive_api
from search.engines.base import SearchQuery
from search.engines.database import DatabaseEngine, PostgresIndex, SqliteIndex, dialect

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_engine(settings):
    settings.ELASTICSEARCH_URL = ""


def talk(seminar, n: int, speakers=("Anna Berg", "Olle Ek")):
    """A seminar whose title, transcript (said by both speakers) and slides say "budget"."""
    names = [getattr(s, "name", s) for s in speakers]
    lines = [
        (float(t), t + 0.9, names[t % 2], f"Budgeten del {t}, {'styrning' * (t % 3 == 0)}.")
        for t in range(12)
    ]
    return seminar(
        f"Budget {n}",
        lead="Om budgeten.",
        speakers=speakers,
        transcript=lines,
        slides=[["Budgeten i korthet", "Styrning", "Budget och styrning"]],
    )


def queries(client, url: str) -> int:
    client.get(url)  # warm the caches (site, the index's candidates)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_results_and_exports_cost_as_many_queries_for_many_hits_as_for_few(client, seminar):
    """On SQLite each hit cost a query for its moments, one for their count and one for its
    slide pages (63 to 77 queries for a page of 20 hits, 5,629 for an export of 2,013)."""
    anna, olle = talk(seminar, 0).seminar_speakers.all()
    urls = [
        "/api/search/?q=budget",
        "/api/search/?q=budget+styrning",
        "/sok/?q=budget",
        "/api/search/export.json?q=budget",
        "/api/search/export.csv?q=budget+styrning&sort=newest",
        f"/api/search/export.json?q=budget&speaker={anna.speaker.slug}",
    ]
    few = {url: queries(client, url) for url in urls}
    for n in range(1, 9):
        talk(seminar, n, speakers=(anna.speaker, olle.speaker))
    many = {url: queries(client, url) for url in urls}
    assert many == few
    export = client.get("/api/search/export.json?q=budget").json()
    assert export["exported"] == 9
    assert all(row["moments"] and row["slides"] for row in export["results"])


def test_an_export_ranks_its_matches_once(client, seminar, monkeypatch):
    """Exports asked the engine page by page, and each page ranked every match again."""
    for n in range(7):
        talk(seminar, n)
    ranked = []
    for index in (SqliteIndex, PostgresIndex):
        original = index.match_entries

        def counting(self, parsed, page_ids=None, _original=original):
            ranked.append(page_ids)
            return _original(self, parsed, page_ids)

        monkeypatch.setattr(index, "match_entries", counting)
    monkeypatch.setattr(archive_api, "EXPORT_PAGE_SIZE", 3)  # 7 hits: 3 chunks
    data = client.get("/api/search/export.json?q=budget").json()
    assert data["exported"] == 7
    assert ranked == [None]  # every match, once
    search = [
        client.get(f"/api/search/?q=budget&page_size=3&page={page}").json()["results"]
        for page in (1, 2, 3)
    ]
    assert [r["title"] for r in data["results"]] == [r["title"] for p in search for r in p]


def test_an_export_sorted_by_date_is_in_the_order_of_the_result_pages(client, seminar, monkeypatch):
    for n in range(7):
        talk(seminar, n)
    monkeypatch.setattr(archive_api, "EXPORT_PAGE_SIZE", 2)
    for sort in ("newest", "oldest"):
        data = client.get(f"/api/search/export.json?q=budget&sort={sort}").json()
        search = client.get(f"/api/search/?q=budget&sort={sort}").json()["results"]
        assert [r["title"] for r in data["results"]] == [r["title"] for r in search]


@pytest.mark.parametrize(
    "q", ["budget", "budget styrning", "budget styrning korthet", '"budgeten del"']
)
def test_moments_found_together_are_those_found_one_seminar_at_a_time(seminar, q):
    anna, olle = talk(seminar, 0).seminar_speakers.all()
    for n in range(1, 5):
        talk(seminar, n, speakers=(anna.speaker, olle.speaker))
    engine = DatabaseEngine()
    parsed = engine._parse(q, engine._candidates())
    ids = sorted(engine._candidates().rows)
    index = dialect()
    for table, speakers in (("segment", ()), ("segment", (anna.speaker.slug,)), ("slide", ())):
        together = index.match_parts(table, parsed, ids, speakers, limit=4)
        alone = [row for pid in ids for row in index.match_parts(table, parsed, [pid], speakers, 4)]
        assert sorted(together) == sorted(alone), (table, speakers)
        assert together or (table == "slide" and q.startswith('"'))  # no slide says the phrase
        counts = index.count_parts(table, parsed, ids, speakers, cap=5)
        assert counts == {
            pid: n
            for pid in ids
            if (n := index.count_parts(table, parsed, [pid], speakers, cap=5).get(pid))
        }


def test_sqlite_finds_each_rows_seminar_when_their_row_ranges_overlap(seminar, monkeypatch):
    """A seminar's rows are written together, so a row's seminar is the one whose row-id range
    holds it; should the ranges overlap, the rows' meta column says whose they are."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's full-text rows only")
    for n in range(3):
        talk(seminar, n)
    engine = DatabaseEngine()
    parsed = engine._parse("budget", engine._candidates())
    ids = sorted(engine._candidates().rows)
    apart = SqliteIndex().match_parts("segment", parsed, ids, limit=50)
    original = SqliteIndex._part_pages

    def overlapping(cursor, table, page_ids, speaker_slugs):
        pages = original(cursor, table, page_ids, speaker_slugs)
        (pid, low, _high), *rest = pages.ranges
        widest = max(high for _pid, _low, high in pages.ranges)
        return pages.__class__(pages.allowed, [(pid, low, widest), *rest])

    monkeypatch.setattr(SqliteIndex, "_part_pages", staticmethod(overlapping))
    assert SqliteIndex().match_parts("segment", parsed, ids, limit=50) == apart
    assert {pid for pid, _row, _score in apart} == set(ids)


def test_one_seminars_moments_are_unchanged(seminar):
    """The moments page of one seminar asks for many moments and counts them all."""
    page = talk(seminar, 0)
    hit = DatabaseEngine().seminar_hit(
        page.pk, SearchQuery(q="budget styrning", max_moments=50, moment_count_cap=None)
    )
    assert [m.start for m in hit.moments] == [float(t) for t in range(12)]
    assert hit.moment_count == 12
    assert [s.page for s in hit.slides] == [3, 1, 2]  # both words first, then the earliest
