"""The database engine ranks only what it must: a filtered search ranks the filtered results, a
search sorted by date ranks only the hits it shows. Scores and order must be exactly those of
ranking every match (on SQLite FTS5 and on PostgreSQL)."""

import datetime as dt

import pytest
from django.utils import timezone

from archive.models import SeminarPage
from search.analysis import parse_query
from search.engines.database import DatabaseEngine, dialect
from tests.search.conftest import run

QUERIES = ("tillit styrning", '"tillitsbaserad styrning"', "styrning")


@pytest.fixture
def db_engine(archive_root, settings):
    settings.ELASTICSEARCH_URL = ""
    return DatabaseEngine()


@pytest.fixture
def archive(seminar):
    """Seminars in two series that match the queries with different strength: in the title, in
    the lead, in a long transcript, as an exact phrase or as scattered words."""
    texts = [
        ("Tillitsbaserad styrning i staten", "Om tillit och styrning.", 2),
        ("Styrning och tillit i kommunerna", "Tillit, tillit och styrning.", 0),
        ("Budgetdialog", "Styrning genom anslag; tillit nämns i samtalet.", 6),
        ("Tillit i vården", "Om styrning av vården och tillitsbaserad styrning.", 1),
        ("Ledarskap", "Chefer om tillit. Ingen styrning här? Jo, styrning.", 3),
        ("Uppföljning", "Mätning och styrning utan ord om förtroende.", 4),
    ]
    start = timezone.make_aware(dt.datetime(2020, 1, 10, 9))
    pages = []
    for n, (title, lead, mentions) in enumerate(texts):
        transcript = [
            (
                i * 10.0,
                i * 10.0 + 9,
                "Anna",
                "Tillitsbaserad styrning i praktiken."
                if i < mentions
                else "Vi pratar om budget och anslag.",
            )
            for i in range(8)
        ]
        pages.append(
            seminar(
                title,
                lead=lead,
                series="Forum" if n % 2 else "Dagen",
                start=start + dt.timedelta(days=40 * n),
                transcript=transcript,
            )
        )
    return pages


def scores(results) -> list[tuple[int, float]]:
    return [(hit.page_id, hit.score) for hit in results.hits]


@pytest.mark.parametrize("q", QUERIES)
def test_ranking_some_seminars_gives_their_scores_among_all(db_engine, archive, q):
    parsed = parse_query(q)
    every = dialect().match_entries(parsed)
    assert len(every) >= 3, "the archive must match the query several times"
    assert sorted(dialect().matching_ids(parsed)) == sorted(every)
    some = sorted(every)[::2]
    assert dialect().match_entries(parsed, some) == {pid: every[pid] for pid in some}
    assert dialect().match_entries(parsed, []) == {}
    assert dialect().match_entries(parsed, [max(every) + 1000]) == {}  # no such seminar


@pytest.mark.parametrize("q", QUERIES)
def test_a_filter_keeps_the_scores_and_order_of_the_unfiltered_search(db_engine, archive, q):
    everything = run(db_engine, q)
    for series in ("forum", "dagen"):
        filtered = run(db_engine, q, series=series)
        expected = [
            (h.page_id, h.score) for h in everything.hits if h.series and h.series["slug"] == series
        ]
        assert expected, f"the query {q!r} must match seminars in {series}"
        assert scores(filtered) == expected
        assert filtered.total == len(expected)
        # Disjunctive counts: the series facet still counts the other series' matches.
        assert {v.value for v in filtered.facets["series"]} == {"forum", "dagen"}


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_date_sorted_hits_carry_their_relevance_scores(db_engine, archive, sort):
    relevance = dict(scores(run(db_engine, "tillit styrning")))
    ordered = run(db_engine, "tillit styrning", sort=sort)
    assert ordered.total == len(relevance)
    assert dict(scores(ordered)) == relevance
    starts = [h.start for h in ordered.hits]
    assert starts == sorted(starts, reverse=sort == "newest")


def test_only_the_filtered_results_and_the_shown_page_are_ranked(db_engine, archive, monkeypatch):
    ranked: list = []
    index_class = type(dialect())
    original = index_class.match_entries

    def spy(self, parsed, page_ids=None):
        ranked.append(None if page_ids is None else sorted(page_ids))
        return original(self, parsed, page_ids)

    monkeypatch.setattr(index_class, "match_entries", spy)
    everything = run(db_engine, "styrning")
    assert ranked == [None]  # no filter: every match is a result, ranked in one query

    ranked.clear()
    forum = run(db_engine, "styrning", series="forum")
    assert ranked == [sorted(h.page_id for h in forum.hits)]
    assert 0 < forum.total < everything.total

    ranked.clear()
    newest = run(db_engine, "styrning", sort="newest", page_size=2)
    assert ranked == [sorted(h.page_id for h in newest.hits)]
    assert newest.total == everything.total and len(newest.hits) == 2


def test_postgresql_matches_through_the_gin_index_and_restores_the_planner(db_engine, archive):
    """PostgreSQL would scan the seminar table, decompressing every tsvector, because it sees a
    small table; the engine's queries go through the GIN index instead, and the setting that
    makes them do so does not outlive them."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's FTS5 tables are always read through their index")
    from search.engines.database import PostgresIndex

    def seqscan():
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            return cursor.fetchone()[0]

    assert seqscan() == "on"
    with PostgresIndex.entry_cursor() as cursor:
        cursor.execute(
            "EXPLAIN SELECT page_id FROM search_searchentry "
            "WHERE tsv @@ to_tsquery('simple', 'styrning')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_searchentry_tsv" in plan and "Seq Scan" not in plan, plan
    assert seqscan() == "on"
    assert run(db_engine, "styrning", series="forum").total > 0
    assert seqscan() == "on"


def fts_segments(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(DISTINCT segid) FROM {table}_idx")
        return cursor.fetchone()[0]


def test_bulk_indexing_compacts_the_transcript_index_only_after_a_large_share(
    db_engine, seminar, monkeypatch
):
    """Compacting rewrites a whole FTS5 index: the seminars' index (which every search ranks)
    after every bulk write, the much larger transcript and slide indexes only when the write
    was a tenth of the archive or more."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL's GIN indexes need no compaction")
    monkeypatch.setattr("search.engines.database.OPTIMIZE_AFTER", 1)
    pages = [
        seminar(f"Styrning {n}", transcript=[(0, 5, "Anna", f"Tillit nummer {n}.")])
        for n in range(12)
    ]
    db_engine.index_many([p.pk for p in pages], parallel=False)  # all of them: compact all
    assert fts_segments("search_entry_fts") == fts_segments("search_segment_fts") == 1
    assert fts_segments("search_about_fts") == 1

    db_engine.index_many([pages[0].pk], parallel=False)  # 1 of 12: under a tenth
    assert fts_segments("search_entry_fts") == fts_segments("search_about_fts") == 1
    assert fts_segments("search_segment_fts") > 1  # left to FTS5's automerge

    db_engine.index_many([p.pk for p in pages[:2]], parallel=False)  # 2 of 12: a sixth
    assert fts_segments("search_entry_fts") == fts_segments("search_segment_fts") == 1
    assert run(db_engine, "tillit").total == 12


def test_a_phrase_does_not_match_across_two_fields(db_engine, seminar):
    """PostgreSQL joins a seminar's fields into one vector (``a || b``), which numbers b's
    words on from a's last: a phrase made of the title's last word and the lead's first used to
    match, as if they stood together in the text. SQLite keeps fields in separate columns."""
    seminar("Samtal om kvalitet", lead="Tillit i vården.")
    seminar("Kvalitet tillit", lead="Om ledning.")
    found = run(db_engine, '"kvalitet tillit"')
    assert [hit.title for hit in found.hits] == ["Kvalitet tillit"]
    assert run(db_engine, "kvalitet tillit").total == 2


def test_postgresql_ranks_by_each_words_first_positions(db_engine, seminar):
    """PostgreSQL's rank vector keeps each word's first RANK_POSITIONS positions, the title's
    first, with their weights; the migration that fills it for an existing index computes the
    same vector from the stored one."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite ranks with FTS5's bm25, which needs no second vector")
    import importlib

    from search.engines.database import RANK_POSITIONS, pg_rank_vector

    migration = importlib.import_module("search.migrations.0005_entry_rank_vector")
    page = seminar(
        "Klimatet i staten",
        lead="Om klimat.",
        transcript=[
            (i * 10.0, i * 10.0 + 9, "", "Klimatet, klimatet. Det är O'Brien.") for i in range(40)
        ],
    )

    def positions(column):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT lexeme, positions, weights FROM search_searchentry, unnest({column}) "
                "WHERE page_id = %s",
                [page.pk],
            )
            return {lexeme: list(zip(pos, w, strict=True)) for lexeme, pos, w in cursor.fetchall()}

    full, ranked = positions("tsv"), positions("tsv_rank")
    assert len(full["klimat"]) > 80  # title, lead and 80 times in the transcript
    assert ranked["klimat"] == full["klimat"][:RANK_POSITIONS]
    assert ranked["klimat"][0][1] == "A"  # the title's position is kept, with its weight
    assert set(ranked) == set(full)  # every word stays, "o'brien" too
    assert all(ranked[w] == full[w][:RANK_POSITIONS] for w in full)

    assert pg_rank_vector("tsv") == migration.RANK_VECTOR and RANK_POSITIONS == 5
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE search_searchentry SET tsv_rank = NULL WHERE page_id = %s", [page.pk]
        )
        cursor.execute(migration.FORWARD[1])
    assert positions("tsv_rank") == ranked


def test_what_a_seminar_is_about_ranks_above_what_was_said_in_it(db_engine, seminar):
    """The title first, then the lead, then a transcript that says the word 120 times: on both
    databases what was said counts less than one mention in what the seminar is about."""
    said = seminar(
        "Samtal om budget",
        lead="Ekonomi och anslag.",
        transcript=[
            (i * 10.0, i * 10.0 + 9, "", f"Klimatet, del {i}, och klimatet igen.")
            for i in range(60)
        ],
    )
    lead = seminar("Om ansvar", lead="Vad klimatet kräver av staten.")
    title = seminar("Klimatet och staten", lead="Ett seminarium.")
    seminar("Budgetpropositionen", lead="Inget om vädret.")
    hits = run(db_engine, "klimat").hits
    assert [h.page_id for h in hits] == [title.pk, lead.pk, said.pk]


def test_a_phrase_said_late_in_a_long_transcript_still_scores(db_engine, seminar):
    """PostgreSQL ranks by each word's first five positions; a phrase whose words come later
    must still get a score (and its boost), not 0 (both databases)."""
    early = [(i * 10.0, i * 10.0 + 9, "", "En enkel sak och en svår fråga.") for i in range(8)]
    late = (100.0, 109.0, "", "Till sist en enkel fråga om tillit.")
    page = seminar("Samtal om tillit", lead="Om förtroende.", transcript=[*early, late])
    other = seminar("Budget", lead="En enkel sak, en fråga.")
    hits = run(db_engine, '"enkel fråga"').hits
    assert [h.page_id for h in hits] == [page.pk]
    assert hits[0].score > 0
    both = {h.page_id: h.score for h in run(db_engine, "enkel fråga").hits}
    assert set(both) == {page.pk, other.pk} and min(both.values()) > 0


def test_a_long_transcript_does_not_push_its_seminars_title_down(db_engine, seminar):
    """bm25 divides by the length of the row it scores: with what was said in the same row, a
    title match on a seminar with a long transcript scored below a lead match on a seminar
    without one (SQLite; PostgreSQL's ranking does not normalise by length)."""
    transcript = [
        (i * 10.0, i * 10.0 + 9, "", f"Vi talar om budget, anslag och uppföljning, del {i}.")
        for i in range(400)
    ]
    long = seminar("Klimatet och staten", lead="Ett seminarium.", transcript=transcript)
    short = seminar("Klimatet i kommunerna", lead="Ett seminarium.")
    lead = seminar("Om ansvar", lead="Vad klimatet kräver av staten.")
    hits = run(db_engine, "klimat").hits
    assert {h.page_id for h in hits[:2]} == {long.pk, short.pk}
    assert hits[2].page_id == lead.pk
    scores = {h.page_id: h.score for h in hits}
    assert scores[long.pk] > 0.8 * scores[short.pk]


def test_the_sqlite_about_table_is_filled_from_the_index_by_its_migration(db_engine, seminar):
    """Upgrading fills ``search_about_fts`` from the seminars' index (no rebuild needed): the
    same rows and the same ranking as indexing writes."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL ranks without a second table")
    import importlib

    migration = importlib.import_module("search.migrations.0006_about_fts")
    seminar("Klimatet och staten", lead="Om klimat.", transcript=[(0, 5, "", "Klimatet.")])
    seminar("Om ansvar", lead="Vad klimatet kräver.", speakers=["Klara Ek"])
    before = [(h.page_id, h.score) for h in run(db_engine, "klimat").hits]

    def rows():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid, {migration.ABOUT_COLUMNS} FROM search_about_fts")
            return sorted(cursor.fetchall())

    written = rows()
    assert len(written) == 2 and "klimat" in str(written)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_about_fts")
        cursor.execute(migration.FORWARD[1])
    assert rows() == written
    assert [(h.page_id, h.score) for h in run(db_engine, "klimat").hits] == before


def test_a_synonym_never_outranks_the_word_typed(db_engine, seminar):
    """``styrning`` also finds "governance" (data/synonyms_sv.txt), but a seminar that only has
    the synonym must not rank above those named with the word. On SQLite bm25 gave the common
    word (here in most seminars, as in the demo archive) an IDF of 1e-6 and the rare synonym its
    full IDF: "Ägardirektiv för kommunala bolag" (corporate governance in its lead) came first,
    a million times above "Styrning genom regleringsbrev". On PostgreSQL, which has no IDF, a
    synonym in the title tied with the word in the title and the newer seminar won."""
    start = timezone.make_aware(dt.datetime(2024, 1, 10, 9))
    named = [
        seminar(title, lead=lead, start=start + dt.timedelta(days=n))
        for n, (title, lead) in enumerate(
            [
                ("Styrning genom regleringsbrev", "Om myndigheternas uppdrag."),
                ("Tillit och styrning i regionerna", "Ett samtal om vården."),
                ("Tillitsbaserad styrning i praktiken", "Erfarenheter från kommunerna."),
                ("Styrning i staten", "Ett seminarium."),
            ]
        )
    ]
    for n, title in enumerate(["Budgetdialog", "Ledarskap i staten", "Uppföljning"]):
        seminar(title, lead="Om styrning och ansvar.", start=start + dt.timedelta(days=10 + n))
    seminar("Öppna data", lead="Om register.", start=start + dt.timedelta(days=20))
    bolag = seminar(
        "Ägardirektiv för kommunala bolag",
        lead="Ett samtal om corporate governance i kommunkoncernen.",
        start=start + dt.timedelta(days=30),
    )
    governance = seminar(
        "Governance i staten", lead="Ett seminarium.", start=start + dt.timedelta(days=31)
    )

    hits = run(db_engine, "styrning").hits
    order = [h.page_id for h in hits]
    assert {bolag.pk, governance.pk} <= set(order), "the synonym still finds them"
    first = {p.pk for p in named}
    assert set(order[: len(first)]) == first, [h.title for h in hits]
    # The same title, one with the word and one with its synonym: the word first.
    assert order.index(named[3].pk) < order.index(governance.pk)
    assert all(h.score > 0 for h in hits)
    # Typed, the synonym finds the word's seminars too; in the same field, below its own.
    order = [h.page_id for h in run(db_engine, "governance").hits]
    assert order[0] == governance.pk and len(order) == 9
    budget = next(p for p in SeminarPage.objects.filter(title="Budgetdialog"))
    assert order.index(bolag.pk) < order.index(budget.pk)
