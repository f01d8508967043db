"""Which transcript moments the database engine shows: the segments that match the most query
words, the earliest first, also in long transcripts (where it stops early)."""

import pytest

from search.engines.base import MAX_MOMENTS, MOMENT_COUNT_CAP, SearchQuery
from search.engines.database import DatabaseEngine, PostgresIndex


@pytest.fixture(params=["planner", "read in order", "gin index"])
def engine(request, settings, monkeypatch):
    """The engine, and on PostgreSQL each way of finding the earliest matching rows: as the
    planner's estimate chooses, and each forced (they must give the same moments)."""
    from django.db import connection

    settings.ELASTICSEARCH_URL = ""
    if request.param != "planner":
        if connection.vendor != "postgresql":
            pytest.skip("PostgreSQL only: it chooses between two ways of finding the moments")
        dense = {"read in order": 0, "gin index": float("inf")}[request.param]
        monkeypatch.setattr(PostgresIndex, "DENSE_PER_PAGE", dense)
    return DatabaseEngine()


def starts(engine, q):
    [hit] = engine.search(SearchQuery(q=q)).hits
    return [m.start for m in hit.moments]


def test_moments_are_the_segments_matching_most_words_earliest_first(engine, seminar):
    lines = {
        3: "Budgeten och styrningen hänger ihop.",
        40: "Styrningen av budgeten igen.",
        90: "Budgeten är stram.",
    }
    transcript = [
        (float(t), t + 0.9, "", lines.get(t, f"Budgeten, del {t}.")) for t in range(0, 1200, 1)
    ]  # 1,200 segments, every one says "budgeten"
    seminar("Ett långt samtal", lead="Om pengar.", transcript=transcript)
    assert len(transcript) > 100 * MAX_MOMENTS
    # One word: every segment matches equally; the earliest ones are shown.
    assert starts(engine, "budget") == [0.0, 1.0, 2.0]
    # Two words: the two segments with both come first, then the earliest with one.
    assert starts(engine, "budget styrning") == [0.0, 3.0, 40.0]
    # Three segments or more with both words: the earliest of those.
    assert starts(engine, "budgeten") == [0.0, 1.0, 2.0]
    assert starts(engine, "styrning") == [3.0, 40.0]


def test_three_words_rank_segments_by_how_many_they_match(engine, seminar):
    transcript = [(float(t), t + 0.9, "", f"Budgeten, del {t}.") for t in range(300)]
    transcript[200] = (200.0, 200.9, "", "Budgeten, styrningen och tilliten.")
    transcript[250] = (250.0, 250.9, "", "Styrningen och budgeten.")
    seminar("Ett långt samtal", lead="Om pengar.", transcript=transcript)
    assert starts(engine, "budget styrning tillit") == [0.0, 200.0, 250.0]


def test_postgresql_reads_a_common_words_rows_in_order_and_finds_a_rare_one_by_index(seminar):
    """The planner's estimate (from ANALYZE's sample of the words) chooses how the earliest
    matching segments are found: a word in every segment by reading the seminar's segments in
    order until three match, a rare one through the GIN index."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's FTS5 query stops early by itself")
    transcript = [(float(t), t + 0.9, "", f"Budgeten, del {t}.") for t in range(1200)]
    transcript[700] = (700.0, 700.9, "", "Budgeten och tilliten.")
    page = seminar("Ett långt samtal", lead="Om pengar.", transcript=transcript)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchsegment")
        match = "tsv @@ to_tsquery('simple', %s)"

        def per_page(term):
            table = "search_searchsegment"
            return PostgresIndex._estimated_per_page(cursor, table, match, [term], [page.pk])

        assert per_page("budget") >= PostgresIndex.DENSE_PER_PAGE > per_page("tillit")
        cursor.execute(
            "EXPLAIN SELECT id FROM search_searchsegment WHERE entry_id = %s AND "
            f"{match} ORDER BY id LIMIT 3",
            [page.pk, "budget"],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # An index scan in id order that stops after three rows: no sort of every match.
    assert plan.startswith("Limit") and "Index Scan" in plan and "Sort" not in plan, plan
    engine = DatabaseEngine()
    assert starts(engine, "budget") == [0.0, 1.0, 2.0]
    assert starts(engine, "tillit") == [700.0]


def test_hits_count_their_matching_segments_and_give_as_many_as_asked(engine, seminar):
    """A hit shows three moments; it says how many segments match (18 of them in the demo's
    "tillit" talk, of which the page showed 3 and said nothing more), and an export or the
    page of one seminar's moments asks for more of them."""
    transcript = [(float(t), t + 0.9, "", f"Om budget, del {t}.") for t in range(300)]
    for t in (10, 50, 120, 200, 299):
        transcript[t] = (float(t), t + 0.9, "", "Styrningen av budgeten.")
    transcript[7] = (7.0, 7.9, "", "Styrning utan pengar.")
    seminar("Ett långt samtal", lead="Om pengar.", transcript=transcript)
    seminar("Utan inspelning", lead="Om styrning.")

    hits = {h.title: h for h in engine.search(SearchQuery(q="styrning")).hits}
    assert [m.start for m in hits["Ett långt samtal"].moments] == [7.0, 10.0, 50.0]
    assert hits["Ett långt samtal"].moment_count == 6
    assert hits["Utan inspelning"].moment_count == 0 and not hits["Utan inspelning"].moments
    [hit] = engine.search(SearchQuery(q="budget", moment_count_cap=None)).hits
    assert hit.moment_count == 299  # every segment but the one without the word
    [hit] = engine.search(SearchQuery(q="budget styrning", moment_count_cap=None)).hits
    assert hit.moment_count == 300  # either word
    assert [m.start for m in hit.moments] == [10.0, 50.0, 120.0]  # both words first
    # A results page counts up to a cap: a common word in a long transcript is "100+".
    [hit] = engine.search(SearchQuery(q="budget")).hits
    assert hit.moment_count == MOMENT_COUNT_CAP == 100
    [hit] = engine.search(SearchQuery(q="budget", moment_count_cap=7)).hits
    assert hit.moment_count == 7

    [hit] = engine.search(SearchQuery(q="styrning", max_moments=100, has_transcript=True)).hits
    assert [m.start for m in hit.moments] == [7.0, 10.0, 50.0, 120.0, 200.0, 299.0]
    assert hit.moment_count == 6
    [hit] = engine.search(SearchQuery(q="budget", max_moments=50, moment_count_cap=None)).hits
    assert len(hit.moments) == 50 and hit.moment_count == 299
    assert [m.start for m in hit.moments] == sorted(m.start for m in hit.moments)
    assert engine.search(SearchQuery()).hits[0].moment_count is None  # no words: not counted


def test_the_count_of_moments_follows_the_speaker_filter(engine, seminar):
    from archive.factories import SpeakerFactory

    anna, bo = SpeakerFactory(name="Anna Ek"), SpeakerFactory(name="Bo Lind")
    transcript = [
        (float(t), t + 0.9, "Anna Ek" if t % 3 else "Bo Lind", f"Tillit, del {t}.")
        for t in range(30)
    ]
    seminar("Samtal om tillit", speakers=[anna, bo], transcript=transcript)
    [hit] = engine.search(SearchQuery(q="tillit")).hits
    assert hit.moment_count == 30
    [hit] = engine.search(SearchQuery(q="tillit", speaker=(bo.slug,))).hits
    assert hit.moment_count == 10 and {m.speaker for m in hit.moments} == {"Bo Lind"}
