"""The database search engine: always available, on SQLite (FTS5) or PostgreSQL (tsvector).

Text is analysed in Python (``search.analysis``) so both databases index and query the very same
terms; the database only does what it is fast at: an inverted index with per-field weights
(SQLite ``bm25`` over FTS5 columns, PostgreSQL ``ts_rank_cd`` over ``setweight`` classes).
Filters, facet counts and sorting run in Python over one compact row per seminar, which keeps them
identical on both databases and fast at archive sizes (thousands of seminars): filters and counts
work on per-value posting lists built once with that cache, within the seminars the words match.
Ranking reads the words' positions in each ranked seminar (on PostgreSQL the first few of each
word, see RANK_POSITIONS), so only what needs a score is ranked: every match of an unfiltered
search by relevance; the filtered results of a filtered one; the shown page of one sorted by date.

Every field has two columns: the primary stems in text order (where phrases match) and the
variant terms (folded spellings, compound parts), weighted a little lower.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
import json
import logging
import math
import os
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain

from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from archive.bulk import insert_rows as bulk_insert
from archive.bulk import recordset
from archive.transcript_formats import time_param
from search.analysis import (
    ENGLISH,
    MIN_FUZZY,
    VARIANT_GROUPS,
    Clause,
    ParsedQuery,
    analyse,
    analyse_words,
    as_typed,
    compound_parts,
    diacritic_spellings,
    edits1,
    fold,
    highlight,
    is_english_term,
    join_analysed,
    parse_query,
    query_forms,
    query_words,
    snippet,
    terms_for_language,
    vocabulary_words,
    words,
)
from search.engines.base import (
    FACETS,
    MAX_MOMENTS,
    MAX_SLIDE_HITS,
    SUGGESTION_POOL,
    FacetValue,
    Hit,
    Moment,
    SearchQuery,
    SearchResults,
    SlideHit,
    rank_suggestions,
    speaker_page_url,
    split_people,
)

logger = logging.getLogger(__name__)

#: Moderators and hosts are stored beside the facet values (not a facet: the speaker facet
#: counts those who speak) so autocomplete can suggest them by name.
MODERATOR = "moderator"

FIELDS = ("title", "people", "tags", "body", "slides", "transcript")
#: Relative weight of a match in each field; variant columns count VARIANT_FACTOR of that.
FIELD_WEIGHTS = {
    "title": 10.0,
    "people": 6.0,
    "tags": 4.0,
    "body": 2.0,
    "slides": 1.5,
    "transcript": 1.0,
}
VARIANT_FACTOR = 0.8
#: A match by a synonym of the word typed (``styrning`` → "governance") counts at most this
#: much of the same match of the word itself, and never with more weight for being rarer: on
#: SQLite its bm25 IDF is capped at the typed word's (see ``SqliteIndex._synonyms_as_typed``).
SYNONYM_FACTOR = 0.8
#: What was said (slides, transcript) is ranked apart from what the seminar is about (title,
#: speakers, topics, lead) and counts CONTENT_WEIGHT of it. FTS5's bm25 saturates the weighted
#: sum of a row's matches (a column's weight multiplies its count, not its score), so over all
#: columns at once a word said a dozen times in a transcript scored as much as the title.
CONTENT_FIELDS = ("slides", "transcript")
ABOUT_FIELDS = tuple(f for f in FIELDS if f not in CONTENT_FIELDS)
CONTENT_WEIGHT = 0.3
#: SQLite: the seminars' full-text table (every field: matching, and the score of what was
#: said) and a copy of what they are about (ABOUT_FIELDS: that part of the score). bm25
#: normalises by the length of the row it scores, which a long transcript would dominate.
ENTRY_TABLES = ("search_entry_fts", "search_about_fts")
PHRASE_BOOST = 3.0  # an exact phrase multiplies the score
TITLE_PHRASE_BOOST = 2.0  # ... and again when the title holds it (the seminar named so)
SPELLING_BATCH = 500  # archive spellings looked up per query (SQLite's parameter limit)
FACET_LIMIT = 30  # values shown per facet (selected values are always shown)
WRITE_CHUNK = 25  # seminars indexed per transaction (SQLite: short write locks, few commits)
OPTIMIZE_AFTER = 50  # index_many of this many seminars ends by compacting the full-text index
# (the transcripts' and slides' too when those seminars are at least 1/10 of the indexed ones)
OPTIMIZE_PARTS_SHARE = 10
# PostgreSQL weight classes: A title, B people + tags, C lead/body, D slides + transcript.
PG_CLASSES = {
    "title": "A",
    "people": "B",
    "tags": "B",
    "body": "C",
    "slides": "D",
    "transcript": "D",
}
# D, C, B, A as ts_rank_cd wants them. A word's first RANK_POSITIONS occurrences in what was
# said (D) weigh less than one in the lead (C), as CONTENT_WEIGHT has it on SQLite.
PG_RANK_WEIGHTS = "{0.05, 0.4, 0.7, 1.0}"
#: PostgreSQL ranks each seminar by a copy of its tsvector that keeps only the first
#: RANK_POSITIONS positions of every word (``tsv_rank``; the fields in FIELDS order, so the
#: title's come first). ``ts_rank_cd`` adds up every occurrence: over the whole vector a word
#: said 200 times in a transcript outweighed the same word in a title 30 to 1 (SQLite's bm25
#: saturates), and reading those positions was most of a search by a common word.
RANK_POSITIONS = 5


def pg_rank_vector(vector: str) -> str:
    """SQL for the tsvector ``vector`` with each word's positions cut to the first
    RANK_POSITIONS (weights kept). Migration ``search.0005`` fills ``tsv_rank`` with it."""
    quoted = r"'''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || ''':'"
    first = f"[1:{RANK_POSITIONS}]"
    return (
        f"coalesce((SELECT string_agg({quoted} || (SELECT string_agg(p::text || w, ',') "
        f"FROM unnest(positions{first}, weights{first}) AS x(p, w)), ' ')::tsvector "
        f"FROM unnest({vector})), ''::tsvector)"
    )


# Pure helpers ----------------------------------------------------------------------------------


def field_texts(doc: dict) -> dict[str, str]:
    """The raw text of each weighted field of a search document but the transcript, which the
    indexer analyses segment by segment. "people" holds the names; "tags" also holds the
    format's name, the venue and its city; "slides" holds the supporting text: slide pages and
    labels, everyone's title and affiliation, and the biographies of those who speak. Titles
    and biographies describe the people, not the seminar: with the names they outranked the
    seminars about the subject ("skola" in "Högskolan i Mälardalen"), and a moderator's
    biography is left out (it made ``-tillit`` drop a seminar that says nothing about tillit)."""
    speakers = " ".join(s["name"] for s in doc["speakers"])
    tags = " ".join(t["name"] for t in doc["topics"]) + " " + (doc.get("format_name") or "")
    if doc.get("series"):
        tags += " " + doc["series"]["name"]
    if doc.get("venue"):
        tags += f" {doc['venue']['name']} {doc['venue'].get('city') or ''}"
    slides = " ".join(p["text"] for s in doc["slides"] for p in s["pages"])
    slides += " " + " ".join(s["label"] for s in doc["slides"])
    slides += " " + " ".join(s.get("title") or "" for s in doc["speakers"])
    slides += " " + doc.get("bios", "")
    return {
        "title": f"{doc['title']} {doc.get('code', '')}",
        "people": speakers,
        "tags": tags,
        "body": f"{doc.get('lead', '')}\n{doc.get('body', '')}",
        "slides": slides,
    }


def facet_keys(doc: dict) -> list[str]:
    """The "facet=value" keys a document is counted (and filtered) under. The speaker facet
    counts those who speak: a moderator is found by name, not counted as a speaker."""
    keys = [f"speaker={s['slug']}" for s in split_people(doc["speakers"])[0]]
    keys += [f"topic={t['slug']}" for t in doc["topics"]]
    if doc.get("series"):
        keys.append(f"series={doc['series']['slug']}")
    if doc.get("year"):
        keys.append(f"year={doc['year']}")
    keys += [
        f"format={doc['format']}",
        f"language={doc['language']}",
        f"has_video={'true' if doc['has_video'] else 'false'}",
        f"has_transcript={'true' if doc['has_transcript'] else 'false'}",
    ]
    return list(dict.fromkeys(keys))


@dataclass
class PreparedDocument:
    """One seminar's index rows before writing: what :func:`prepare_document` computes (pure,
    picklable, so worker processes can do it)."""

    doc: dict  # the seminar_search_document
    body_text: str
    fields: dict  # field name -> AnalysedText
    segments: list  # AnalysedText per transcript segment
    slide_pages: list  # AnalysedText per slide page
    vocabulary: set  # words to remember for typo correction (with their folded spellings)
    prepared_by: int = field(default_factory=os.getpid)  # the process that did the work


def prepare_document(doc: dict) -> PreparedDocument:
    """Analyse a seminar_search_document's text once: fields, segments, slide pages, words."""
    english = doc.get("language") == ENGLISH  # also indexed by its English stems
    texts = field_texts(doc)
    text_words = {f: words(text) for f, text in texts.items()}
    fields = {f: analyse_words(w, english) for f, w in text_words.items()}
    segment_words = [words(seg["text"]) for seg in doc["transcript"]]
    segments = [analyse_words(w, english) for w in segment_words]
    fields["transcript"] = join_analysed(segments)
    slide_pages = [analyse(p["text"], english) for s in doc["slides"] for p in s["pages"]]
    vocabulary = vocabulary_words({w for ws in (*text_words.values(), *segment_words) for w in ws})
    vocabulary |= {fold(w) for w in vocabulary}
    return PreparedDocument(doc, texts["body"].strip(), fields, segments, slide_pages, vocabulary)


def selected_filters(query: SearchQuery) -> dict[str, set[str]]:
    """The facet values a query filters on, as facet → set of keys."""
    return {
        facet: {f"{facet}={v}" for v in values}
        for facet, values in query.selected_values().items()
        if values
    }


def fts5_clause(clause: Clause, primary: tuple[str, ...] = FIELDS) -> str:
    """A clause as FTS5 syntax: each alternative a quoted phrase, a prefix ``"till"*``. A
    phrase of two words or more is looked for in the ``primary`` columns only, where the words
    stand in text order (the variant columns hold each word's other forms)."""

    def phrase(alt):
        quoted = '"' + " ".join(alt) + '"'
        return "{" + " ".join(primary) + "} : " + quoted if len(alt) > 1 else quoted

    alternatives = [
        '"' + " ".join(alt)[:-1] + '"*' if alt[-1].endswith("*") else phrase(alt)
        for alt in clause.alternatives
        if alt
    ]
    return "(" + " OR ".join(alternatives) + ")"


def fts5_phrases(phrases: list[tuple[str, ...]]) -> str:
    """Any of ``phrases`` (the phrase boost's forms) as an FTS5 expression."""
    return "(" + " OR ".join('"' + " ".join(p) + '"' for p in phrases) + ")"


def tsquery_phrases(phrases: list[tuple[str, ...]], weight: str = "") -> str:
    """Any of ``phrases`` as a tsquery; ``weight`` (":A") limits them to one weight class."""
    return " | ".join("(" + " <-> ".join(f"'{t}'{weight}" for t in p) + ")" for p in phrases)


def fts5_expression(
    clauses: list[Clause], operator: str = "AND", primary: tuple[str, ...] = FIELDS
) -> str:
    """An FTS5 MATCH expression: every clause (AND) or any (OR); a clause is OR of phrases
    (``primary``: the table's columns of primary terms, see :func:`fts5_clause`)."""
    return f" {operator} ".join(fts5_clause(c, primary) for c in clauses if c.alternatives)


def fts5_entry_expression(parsed: ParsedQuery) -> str:
    """What a seminar must match: every clause, and none of the excluded ones."""
    expression = fts5_expression(parsed.clauses)
    if parsed.excluded:
        expression = f"({expression}) NOT ({fts5_expression(parsed.excluded, 'OR')})"
    return expression


def tsquery_entry_expression(parsed: ParsedQuery) -> str:
    """As :func:`fts5_entry_expression`, in tsquery syntax."""
    expression = tsquery_expression(parsed.clauses)
    if parsed.excluded:
        expression = f"({expression}) & !({tsquery_expression(parsed.excluded, '|')})"
    return expression


def tsquery_clause(clause: Clause) -> str:
    alternatives = [
        " <-> ".join(f"'{t[:-1]}':*" if t.endswith("*") else f"'{t}'" for t in alt)
        for alt in clause.alternatives
        if alt
    ]
    return "(" + " | ".join(alternatives) + ")"


def tsquery_expression(clauses: list[Clause], operator: str = "&") -> str:
    """The same expression as PostgreSQL tsquery syntax (for ``to_tsquery('simple', ...)``)."""
    return f" {operator} ".join(tsquery_clause(c) for c in clauses if c.alternatives)


def bm25_idf(rows: int, matching: int) -> float:
    """The IDF FTS5's bm25 gives a phrase found in ``matching`` of ``rows`` rows (fts5_aux.c):
    log((N - n + 0.5) / (n + 0.5)), at least 1e-6 (a phrase in more than half the rows)."""
    idf = math.log((rows - matching + 0.5) / (matching + 0.5)) if rows else 0.0
    return idf if idf > 0 else 1e-6


def localise_url(url: str) -> str:
    """A site-relative URL stored in the default language, for the active language."""
    from django.conf import settings

    language = translation.get_language() or settings.LANGUAGE_CODE
    if url.startswith("/") and language != settings.LANGUAGE_CODE:
        return f"/{language}{url}"
    return url


@dataclass(frozen=True)
class Candidate:
    """What filtering, facet counting and sorting need of one indexed seminar."""

    page_id: int
    start: str  # sortable text (ISO-like)
    keys: frozenset  # "facet=value"
    by_facet: dict  # facet → tuple of its keys


def parse_candidate(page_id, start, keys_text: str) -> Candidate:
    keys = tuple(k for k in keys_text.split("\t") if k)
    by_facet: dict[str, tuple] = defaultdict(tuple)
    for key in keys:
        facet = key.split("=", 1)[0]
        by_facet[facet] += (key,)
    return Candidate(int(page_id), str(start or ""), frozenset(keys), dict(by_facet))


@dataclass
class Candidates:
    """Every indexed seminar's filter data, with what browsing needs worked out once: which
    seminars carry each facet key, and the facet counts over all of them."""

    rows: dict[int, Candidate]
    postings: dict[str, set[int]]  # "facet=value" → page ids
    counts: dict[str, Counter]  # facet → counts over every row
    # "facet=value" → label of the series, speakers and topics shown so far (filled as searches
    # need them; a new index version builds new Candidates, so a renamed speaker shows anew)
    labels: dict[str, str] = field(default_factory=dict)

    # (start, page id) of every row, in order: the seminars held in a date range by bisection
    by_start: list[tuple[str, int]] = field(default_factory=list)

    @classmethod
    def build(cls, rows: dict[int, Candidate]) -> Candidates:
        postings: dict[str, set[int]] = defaultdict(set)
        for candidate in rows.values():
            for key in candidate.keys:
                postings[key].add(candidate.page_id)
        counts: dict[str, Counter] = {facet: Counter() for facet in FACETS}
        for key, ids in postings.items():
            facet = key.split("=", 1)[0]
            if facet in counts:
                counts[facet][key] = len(ids)
        by_start = sorted((c.start, c.page_id) for c in rows.values() if c.start)
        return cls(rows, dict(postings), counts, by_start=by_start)

    def held_between(self, first: dt.date | None, last: dt.date | None) -> set[int] | None:
        """Page ids of the seminars starting on ``first`` to ``last`` (local days, both
        included); None when neither is given."""
        if first is None and last is None:
            return None
        low = bisect_left(self.by_start, (utc_text(first),)) if first else 0
        high = (
            bisect_left(self.by_start, (utc_text(last + dt.timedelta(days=1)),))
            if last
            else len(self.by_start)
        )
        return {page_id for _start, page_id in self.by_start[low:high]}


def utc_text(day: dt.date) -> str:
    """The UTC instant at which ``day`` begins in settings.TIME_ZONE, written as the index's
    ``start`` column reads back on both databases (``YYYY-MM-DD HH:MM:SS``, which sorts before
    any stored time of that same second, with or without fractions and offset)."""
    from django.utils import timezone

    begins = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return begins.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


_candidate_cache: dict = {"version": None, "candidates": Candidates({}, {}, {})}


@dataclass(frozen=True)
class PartPages:
    """The seminars whose segments or slide pages are looked for (``SqliteIndex``): the ids of
    the rows said by the speakers asked for (None: every row), and [(page id, its first row
    id, its last row id)] in row-id order."""

    allowed: set | None
    ranges: list


#: SQLite: seminars whose rows one full-text query looks for (their meta tokens OR-ed).
PART_BATCH = 100


# Database dialects -----------------------------------------------------------------------------


class SqliteIndex:
    """Full-text tables as SQLite FTS5 virtual tables (rowid = the row id)."""

    def clear(self, cursor, page_ids=None):
        if page_ids is None:
            for table in (*ENTRY_TABLES, "search_segment_fts", "search_slide_fts"):
                cursor.execute(f"DELETE FROM {table}")
            return
        marks = ",".join("%s" for _ in page_ids)
        for table in ENTRY_TABLES:
            cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({marks})", list(page_ids))
        cursor.execute(
            "DELETE FROM search_segment_fts WHERE rowid IN (SELECT id FROM search_searchsegment "
            f"WHERE entry_id IN ({marks}))",
            list(page_ids),
        )
        cursor.execute(
            "DELETE FROM search_slide_fts WHERE rowid IN (SELECT id FROM search_searchslidepage "
            f"WHERE entry_id IN ({marks}))",
            list(page_ids),
        )

    def optimize(self, cursor, parts: bool = True):
        """Merge FTS5 indexes into one b-tree each: many small inserts leave many segments,
        which every query must visit (run after bulk indexing). The seminars' index, which
        every search ranks, always; the transcripts' and slides' (``parts``) when asked.

        Merging rewrites the whole index: at 10,000 seminars with transcripts 0.6 s for the
        seminars' index but 4 s for the transcripts', so adding 100 seminars to such an
        archive would spend most of its time merging. FTS5's own automerge keeps their
        segments few in between (a search reads them only within a handful of seminars)."""
        tables = list(ENTRY_TABLES)
        if parts:
            tables += ["search_segment_fts", "search_slide_fts"]
        for table in tables:
            cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")

    def write_entry(self, cursor, page_id, analysed: dict):
        for table, fields in ((ENTRY_TABLES[0], FIELDS), (ENTRY_TABLES[1], ABOUT_FIELDS)):
            columns = [v for f in fields for v in (analysed[f].primary, analysed[f].variants)]
            names = ", ".join(c for f in fields for c in (f, f"{f}_x"))
            cursor.execute(
                f"INSERT INTO {table}(rowid, {names}) "
                f"VALUES (%s, {', '.join('%s' for _ in columns)})",
                [page_id, *columns],
            )

    def insert_parts(self, cursor, table, page_id, rows, analysed):
        """Insert a seminar's segments or slide pages (``rows``: tuples for PART_COLUMNS[table])
        and index their text (``analysed``: AnalysedText, one per row) under the new ids."""
        ids = insert_rows(cursor, part_model(table), page_id, rows, PART_COLUMNS[table])
        self.write_parts(cursor, table, page_id, list(zip(ids, analysed, strict=True)))

    def write_parts(self, cursor, table, page_id, rows):
        """rows: [(id, AnalysedText)] of segments or slide pages."""
        fts = {"segment": "search_segment_fts", "slide": "search_slide_fts"}[table]
        cursor.executemany(
            f"INSERT INTO {fts}(rowid, meta, text, text_x) VALUES (%s, %s, %s, %s)",
            [(row_id, f"p{page_id}", a.primary, a.variants) for row_id, a in rows],
        )

    def matching_ids(self, parsed: ParsedQuery) -> list[int]:
        """The indexed seminars matching every clause, unranked (no word positions are read)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s",
                [fts5_entry_expression(parsed)],
            )
            return [int(pid) for (pid,) in cursor.fetchall()]

    def matches_beyond(self, clause: Clause, page_ids) -> bool:
        """Whether an indexed seminar not among ``page_ids`` matches ``clause`` (the first
        one found ends the scan)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM search_entry_fts WHERE search_entry_fts MATCH %s "
                "AND +rowid NOT IN (SELECT value FROM json_each(%s)) LIMIT 1",
                [fts5_clause(clause), json.dumps(sorted(int(pid) for pid in page_ids))],
            )
            return cursor.fetchone() is not None

    def match_entries(self, parsed: ParsedQuery, page_ids=None) -> dict[int, float]:
        """bm25 score of each matching seminar, or only of those among ``page_ids``: what it is
        about (over ``search_about_fts``, any of the query's words) plus CONTENT_WEIGHT times
        what was said in it (over ``search_entry_fts``, where the words matched). bm25 divides
        by the length of the row it scores: over one table for both, a title match on a seminar
        with a three-hour transcript scored a tenth of the same title on one without.

        bm25 reads every position of the query's words in each row it ranks (thousands in a
        long transcript), so ranking only the filtered results saves most of a filtered search.
        The restriction is written ``+rowid IN (...)``: a plain ``rowid IN`` would be handed to
        FTS5 as one lookup per id, each recomputing the words' document frequencies over the
        whole table; with ``+`` it filters the one scan before bm25 runs."""
        about = ", ".join(
            str(FIELD_WEIGHTS[f] * factor) for f in ABOUT_FIELDS for factor in (1.0, VARIANT_FACTOR)
        )
        said = ", ".join(
            str(FIELD_WEIGHTS[f] * factor if f in CONTENT_FIELDS else 0.0)
            for f in FIELDS
            for factor in (1.0, VARIANT_FACTOR)
        )
        only, only_params = "", []
        if page_ids is not None:
            if not page_ids:
                return {}
            only, only_params = (
                " AND +rowid IN (SELECT value FROM json_each(%s))",
                [json.dumps(sorted(int(pid) for pid in page_ids))],
            )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, bm25(search_entry_fts, {said}) FROM search_entry_fts "
                f"WHERE search_entry_fts MATCH %s{only}",
                [fts5_entry_expression(parsed), *only_params],
            )
            scores = {int(pid): -CONTENT_WEIGHT * float(rank) for pid, rank in cursor.fetchall()}
            if scores:
                cursor.execute(
                    f"SELECT rowid, bm25(search_about_fts, {about}) FROM search_about_fts "
                    f"WHERE search_about_fts MATCH %s{only}",
                    [fts5_expression(parsed.clauses, "OR", ABOUT_FIELDS), *only_params],
                )
                for pid, rank in cursor.fetchall():
                    if pid in scores:
                        scores[pid] -= float(rank)
            if scores:
                self._synonyms_as_typed(
                    cursor,
                    parsed,
                    scores,
                    [(said, CONTENT_WEIGHT), (about, 1.0)],
                    restricted=page_ids is not None,
                )
            if parsed.phrases and scores:
                columns = " ".join(FIELDS)
                phrases = fts5_phrases(parsed.phrases)
                cursor.execute(
                    f"SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s{only}",
                    ["{" + columns + "} : " + phrases, *only_params],
                )
                for (pid,) in cursor.fetchall():
                    if pid in scores:
                        scores[pid] *= PHRASE_BOOST
                cursor.execute(
                    f"SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s{only}",
                    ["{title} : " + phrases, *only_params],
                )
                for (pid,) in cursor.fetchall():
                    if pid in scores:
                        scores[pid] *= TITLE_PHRASE_BOOST
        return scores

    @staticmethod
    def _synonyms_as_typed(
        cursor, parsed: ParsedQuery, scores: dict[int, float], weights, restricted: bool
    ):
        """Score the synonyms' matches in ``scores`` as if they were the word typed: with its
        IDF at most, times SYNONYM_FACTOR. bm25 weighs each phrase by its own rarity, and a word
        found in more than half the seminars gets almost none (an IDF of 1e-6): a seminar that
        only said "governance" (the synonym of ``styrning``, found in one seminar) scored a
        million times those named "Styrning …". A word's synonyms are one concept with it, as
        Lucene's SynonymQuery scores them.

        bm25 is a sum over the phrases of the query, so each synonym's share is found by
        ranking the same seminars by that phrase alone (in the same columns, with the same
        weights) and replaced by its share at the typed word's IDF. ``weights``: the bm25 column
        weights of each table (search_entry_fts's, then search_about_fts's) and its factor in
        the score. ``restricted``: ``scores`` holds only some of the matching seminars (a
        filtered search), whose ids limit the synonyms' ranking; else every seminar with a
        synonym is ranked (cheaper than passing them all) and those not in ``scores`` skipped.
        Queries without synonyms cost nothing; one without matches of them, a query for each
        synonym."""
        clauses = [c for c in parsed.clauses if c.synonyms and c.typed_alternatives()]
        if not clauses:
            return
        only, only_params = "", []
        if restricted:
            only = " AND +rowid IN (SELECT value FROM json_each(%s))"
            only_params = [json.dumps(sorted(scores))]
        rows = None  # seminars indexed (each table has a row for each)
        matching: dict[tuple[str, str], int] = {}

        def idf(table, expression):
            key = (table, expression)
            if key not in matching:
                cursor.execute(f"SELECT count(*) FROM {table} WHERE {table} MATCH %s", [expression])
                matching[key] = cursor.fetchone()[0]
            return bm25_idf(rows, matching[key])

        tables = zip(ENTRY_TABLES, (FIELDS, ABOUT_FIELDS), weights, strict=True)
        for table, primary, (columns, factor) in tables:
            for clause in clauses:
                typed = fts5_clause(Clause(clause.words, clause.typed_alternatives()), primary)
                for alternative in clause.synonym_alternatives():
                    phrase = fts5_clause(Clause(clause.words, [alternative]), primary)
                    cursor.execute(
                        f"SELECT rowid, bm25({table}, {columns}) FROM {table} "
                        f"WHERE {table} MATCH %s{only}",
                        [phrase, *only_params],
                    )
                    found = [(int(pid), rank) for pid, rank in cursor.fetchall() if pid in scores]
                    if not found:
                        continue
                    if rows is None:
                        cursor.execute("SELECT count(*) FROM search_searchentry")
                        rows = cursor.fetchone()[0]
                    keep = SYNONYM_FACTOR * min(1.0, idf(table, typed) / idf(table, phrase))
                    for pid, rank in found:  # bm25 is negative: its share was -factor * rank
                        scores[pid] += factor * (1.0 - keep) * float(rank)

    def match_parts(self, table, parsed, page_ids, speaker_slugs=(), limit=MAX_MOMENTS):
        """[(page_id, row_id, score)], at most ``limit`` best per page, of the segments
        ("segment") or slide pages ("slide") of ``page_ids`` matching any query clause; the
        score is how many clauses a row matches (the best first; ties: earlier rows first).

        One query per clause for all of ``page_ids`` (:meth:`_matching_rows`), however many
        there are: a results page or an export's chunk costs as many queries as one seminar.
        Not bm25: FTS5 computes its IDF from the whole table's doclist on every query, which
        costs far more than the handful of rows wanted here."""
        clauses = [c for c in parsed.clauses if c.alternatives]
        if not page_ids or not clauses:
            return []
        scores: dict[int, Counter] = defaultdict(Counter)  # page → row → clauses it matches
        with connection.cursor() as cursor:
            pages = self._part_pages(cursor, table, page_ids, speaker_slugs)
            for clause in clauses:
                for pid, rid in self._matching_rows(cursor, table, pages, [clause]):
                    scores[pid][rid] += 1
        found = []
        for pid in sorted(scores):
            best = sorted(scores[pid].items(), key=lambda item: (-item[1], item[0]))[:limit]
            found += [(pid, int(rid), float(n)) for rid, n in best]
        return found

    def count_parts(self, table, parsed, page_ids, speaker_slugs=(), cap=None) -> dict[int, int]:
        """{page_id: how many of its segments ("segment") or slide pages ("slide") match any
        query clause}, only the speakers' when ``speaker_slugs``; pages without any left out;
        counts above ``cap`` read as ``cap`` (None: every one). One query for all the pages,
        as in :meth:`match_parts`."""
        clauses = [c for c in parsed.clauses if c.alternatives]
        if not page_ids or not clauses:
            return {}
        with connection.cursor() as cursor:
            pages = self._part_pages(cursor, table, page_ids, speaker_slugs)
            rows = self._matching_rows(cursor, table, pages, clauses)
        counts = Counter(pid for pid, _rid in rows)
        return {pid: n if cap is None else min(n, cap) for pid, n in counts.items()}

    @staticmethod
    def _part_pages(cursor, table, page_ids, speaker_slugs) -> PartPages:
        allowed, ranges = _part_ranges(cursor, PART_TABLES[table][1], page_ids, speaker_slugs)
        ranges = [(int(pid), int(low), int(high)) for pid, low, high in ranges]
        return PartPages(allowed, sorted(ranges, key=lambda r: r[1]))

    @staticmethod
    def _matching_rows(cursor, table, pages: PartPages, clauses) -> list[tuple[int, int]]:
        """[(page id, row id)] of the rows of ``pages`` matching any of ``clauses`` (among
        ``pages.allowed`` when that is set), PART_BATCH pages a query: their "p<id>" meta
        tokens OR-ed, within the row ids from the first page's first row to the last one's
        last. A row's page is the one whose row-id range holds it (a seminar's rows are
        written together); should two ranges overlap, the meta column says."""
        fts = PART_TABLES[table][0]
        expression = " OR ".join(
            "{text text_x} : " + fts5_clause(clause, ("text",)) for clause in clauses
        )
        found = []
        ranges = pages.ranges
        for at in range(0, len(ranges), PART_BATCH):
            batch = ranges[at : at + PART_BATCH]
            lows = [low for _pid, low, _high in batch]
            disjoint = all(batch[i][2] < lows[i + 1] for i in range(len(batch) - 1))
            meta = " OR ".join(f'"p{pid}"' for pid, _low, _high in batch)
            cursor.execute(
                f"SELECT rowid{'' if disjoint else ', meta'} FROM {fts} WHERE {fts} MATCH %s "
                "AND rowid BETWEEN %s AND %s",
                [f"meta : ({meta}) AND ({expression})", lows[0], max(h for *_, h in batch)],
            )
            span = {pid: (low, high) for pid, low, high in batch}
            for rid, *meta_value in cursor.fetchall():
                if pages.allowed is not None and rid not in pages.allowed:
                    continue
                if meta_value:  # "p<id>"
                    pid = int(meta_value[0][1:])
                else:
                    pid = batch[bisect_right(lows, rid) - 1][0]
                low, high = span[pid]
                if low <= rid <= high:  # as each seminar's range once limited its own query
                    found.append((pid, int(rid)))
        return found


class PostgresIndex:
    """Full-text columns as PostgreSQL tsvectors of the pre-analysed terms ('simple' config)."""

    def clear(self, cursor, page_ids=None):
        """Nothing extra: the tsvector lives in the rows the engine deletes."""

    def optimize(self, cursor, parts: bool = True):
        """Fresh planner statistics after bulk indexing (sampled: cheap at any size)."""
        for table in ("search_searchentry", "search_searchsegment", "search_searchslidepage"):
            cursor.execute(f"ANALYZE {table}")

    # Ends each text before the next is appended: ``a || b`` numbers b's words on from a's
    # last, so the last word of one field and the first of the next stood side by side and a
    # phrase matched across them ("enkel fråga" in "… inte är enkel." + "Frågan …"). The gap
    # word takes one position and is deleted from the finished vector, the gap stays. FTS5
    # keeps its fields in separate columns and needs none.
    GAP = "zzfieldgap"

    @classmethod
    def gapped(cls, variants: str) -> str:
        """Variant terms with a gap after every one, so no two of them stand side by side and
        a phrase matches the primary terms only, as on SQLite (whose phrases read the primary
        columns alone). A gap between each word's variants (``VARIANT_GROUPS``) was not
        enough: one word's stood together, and "delegation tillit" (its variants, sorted)
        matched the phrase "delegation tillit" in "Tillitsdelegationen"."""
        terms = variants.replace(VARIANT_GROUPS.strip(), " ").split()
        return "".join(f"{term} {cls.GAP} " for term in terms).rstrip()

    def write_entry(self, cursor, page_id, analysed: dict):
        parts, params = [], []
        for f in FIELDS:
            for text in (analysed[f].primary, self.gapped(analysed[f].variants)):
                parts.append(f"setweight(to_tsvector('simple', %s), '{PG_CLASSES[f]}')")
                params.append(f"{text} {self.GAP}")
        cursor.execute(
            f"UPDATE search_searchentry SET (tsv, tsv_rank) = (SELECT v, {pg_rank_vector('v')} "
            f"FROM (SELECT ts_delete({' || '.join(parts)}, %s) AS v) built) WHERE page_id = %s",
            [*params, self.GAP, page_id],
        )

    def insert_parts(self, cursor, table, page_id, rows, analysed):
        """Insert a seminar's segments or slide pages (``rows``: tuples for PART_COLUMNS[table])
        with their tsvectors (``analysed``: AnalysedText, one per row) in the same rows.

        One statement per seminar (the rows go as one JSON array, see archive.bulk), and each
        row is written once: an UPDATE afterwards would write it twice and leave a dead tuple."""
        if not rows:
            return
        model = part_model(table)
        quote = connection.ops.quote_name
        names = ("entry_id", *PART_COLUMNS[table])
        source, params = recordset(
            model,
            names,
            [(page_id, *row) for row in rows],
            extra={
                "tsv_a": [a.primary for a in analysed],
                "tsv_b": [self.gapped(a.variants) for a in analysed],
            },
        )
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} "
            f"({', '.join(quote(c) for c in (*names, 'tsv'))}) "
            f"SELECT {', '.join('u.' + quote(c) for c in names)}, "
            "ts_delete(setweight(to_tsvector('simple', u.tsv_a || %s), 'A') || "
            "setweight(to_tsvector('simple', u.tsv_b), 'B'), %s) "
            f"FROM {source}",
            [f" {self.GAP}", self.GAP, *params],
        )

    @staticmethod
    @contextmanager
    def entry_cursor():
        """A cursor whose queries on ``search_searchentry`` go through the GIN index.

        The seminars' tsvectors live out of line (TOAST), so the planner sees a small table and
        scans it, fetching and decompressing every seminar's tsvector to test ``@@``: 17 to 21
        ms for 2,000 seminars with transcripts, growing with the archive, against 1 to 3 ms
        through the index. Sequential scans are turned off for these queries only: the setting
        is local to a savepoint's transaction and put back afterwards."""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_seqscan'), "
                "set_config('enable_seqscan', 'off', true)"
            )
            previous = cursor.fetchone()[0]
            yield cursor
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [previous])

    def matching_ids(self, parsed: ParsedQuery) -> list[int]:
        with self.entry_cursor() as cursor:
            cursor.execute(
                "SELECT page_id FROM search_searchentry WHERE tsv @@ to_tsquery('simple', %s)",
                [tsquery_entry_expression(parsed)],
            )
            return [int(pid) for (pid,) in cursor.fetchall()]

    def matches_beyond(self, clause: Clause, page_ids) -> bool:
        with self.entry_cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM search_searchentry WHERE tsv @@ to_tsquery('simple', %s) "
                "AND NOT (page_id = ANY(%s)) LIMIT 1",
                [tsquery_clause(clause), sorted(int(pid) for pid in page_ids)],
            )
            return cursor.fetchone() is not None

    def match_entries(self, parsed: ParsedQuery, page_ids=None) -> dict[int, float]:
        """As SqliteIndex.match_entries: ``tsv`` finds the seminars, ``tsv_rank`` (each word's
        first positions, RANK_POSITIONS) ranks them."""
        only, only_params = "", []
        if page_ids is not None:
            if not page_ids:
                return {}
            only, only_params = " AND page_id = ANY(%s)", [sorted(int(p) for p in page_ids)]
        expression = tsquery_entry_expression(parsed)
        rank, rank_params = f"ts_rank_cd('{PG_RANK_WEIGHTS}', tsv_rank, q)", []
        if " <-> " in expression:
            # The rank vector keeps each word's first positions only: a phrase said later is
            # not seen there and would score 0. Such a seminar (it matched the phrase in the
            # whole vector) is ranked by the phrase's words instead ("a <-> b" as "a & b").
            rank = (
                f"coalesce(nullif({rank}, 0), ts_rank_cd('{PG_RANK_WEIGHTS}', tsv_rank, "
                "to_tsquery('simple', %s)))"
            )
            rank_params = [expression.replace(" <-> ", " & ")]
        # ts_rank_cd has no IDF: a synonym's match scores as much as the word typed. A seminar
        # that has a clause's synonyms but not the word typed counts SYNONYM_FACTOR of it (its
        # first positions, ``tsv_rank``, hold every word it has; a phrase as its words).
        for clause in parsed.clauses:
            if clause.synonyms and clause.typed_alternatives():
                typed = tsquery_clause(Clause(clause.words, clause.typed_alternatives()))
                rank += (
                    " * (CASE WHEN tsv_rank @@ to_tsquery('simple', %s) THEN 1.0 "
                    f"ELSE {SYNONYM_FACTOR} END)"
                )
                rank_params.append(typed.replace(" <-> ", " & "))
        with self.entry_cursor() as cursor:
            cursor.execute(
                f"SELECT page_id, {rank} FROM search_searchentry, to_tsquery('simple', %s) q "
                f"WHERE tsv @@ q{only}",
                [*rank_params, expression, *only_params],
            )
            scores = {int(pid): float(rank) for pid, rank in cursor.fetchall()}
            if parsed.phrases and scores:
                # One query for both boosts: a phrase is tested against each matching seminar's
                # whole tsvector (positions), so a second query would read them all again.
                # Weight A is the title's (PG_CLASSES): the phrase within the title.
                cursor.execute(
                    "SELECT page_id, tsv @@ to_tsquery('simple', %s) FROM search_searchentry "
                    f"WHERE tsv @@ to_tsquery('simple', %s){only}",
                    [
                        tsquery_phrases(parsed.phrases, weight=":A"),
                        tsquery_phrases(parsed.phrases),
                        *only_params,
                    ],
                )
                for pid, in_title in cursor.fetchall():
                    if pid in scores:
                        scores[pid] *= PHRASE_BOOST * (TITLE_PHRASE_BOOST if in_title else 1.0)
        return scores

    def match_parts(self, table, parsed, page_ids, speaker_slugs=(), limit=MAX_MOMENTS):
        """As SqliteIndex.match_parts: per page, the rows matching the most query clauses, the
        earliest first (best first in the list).

        Rows matching every clause are found first. When they are dense (a common word), each
        page's rows are read in id order through the (entry_id, id) index until ``limit`` match,
        which reads a few dozen rows instead of testing and ranking thousands. When they are
        sparse (a rare word), that scan would read the whole transcript, and the GIN index finds
        the few rows faster. The planner's estimate of the matching rows decides
        (:meth:`_estimated_per_page`). Pages with fewer than ``limit`` such rows then get the
        rows matching some of the clauses: with two clauses the earliest matching either, the
        same way; with more, every matching row is scored by the clauses it matches."""
        sql_table = {"segment": "search_searchsegment", "slide": "search_searchslidepage"}[table]
        page_ids = [int(p) for p in page_ids]
        clauses = [c for c in parsed.clauses if c.alternatives]
        if not page_ids or not clauses:
            return []
        where, extra = "", []
        if speaker_slugs:
            where, extra = " AND speaker_slug = ANY(%s)", [list(speaker_slugs)]
        n = len(clauses)
        with connection.cursor() as cursor:

            def earliest(tsquery, pages, per_page):
                return self._earliest(cursor, sql_table, tsquery, where, extra, pages, per_page)

            top = earliest(tsquery_expression(clauses, "&"), page_ids, limit)
            found = [(pid, rid, float(n)) for pid, rids in top.items() for rid in rids]
            short = [pid for pid in page_ids if len(top.get(pid, ())) < limit]
            if n == 1 or not short:
                return found
            if n == 2:
                # After the rows with both come the earliest with either: 2 * limit of those
                # hold at least ``limit`` without both (every row with both is in ``top``).
                either = earliest(tsquery_expression(clauses, "|"), short, 2 * limit)
                for pid in short:
                    kept = top.get(pid, [])
                    rest = [rid for rid in either.get(pid, ()) if rid not in kept]
                    found += [(pid, rid, 1.0) for rid in rest[: limit - len(kept)]]
                return found
            found = [row for row in found if row[0] not in short]
            score = " + ".join("(tsv @@ to_tsquery('simple', %s))::int" for _ in clauses)
            cursor.execute(
                f"SELECT entry_id, id, score FROM (SELECT entry_id, id, score, row_number() "
                "OVER (PARTITION BY entry_id ORDER BY score DESC, id) AS n FROM ("
                f"SELECT entry_id, id, {score} AS score FROM {sql_table} "
                f"WHERE entry_id = ANY(%s) AND tsv @@ to_tsquery('simple', %s){where}"
                ") matched) ranked WHERE n <= %s ORDER BY entry_id, n",
                [
                    *(tsquery_clause(c) for c in clauses),
                    short,
                    tsquery_expression(clauses, "|"),
                    *extra,
                    limit,
                ],
            )
            return found + [(int(p), int(r), float(s)) for p, r, s in cursor.fetchall()]

    def count_parts(self, table, parsed, page_ids, speaker_slugs=(), cap=None) -> dict[int, int]:
        """As SqliteIndex.count_parts. One grouped count, through the GIN index when the rows
        are sparse; when they are dense and ``cap`` stops the count, each page's rows are read
        in id order until ``cap`` match (a full count would read every row of every page)."""
        sql_table = {"segment": "search_searchsegment", "slide": "search_searchslidepage"}[table]
        clauses = [c for c in parsed.clauses if c.alternatives]
        pages = [int(p) for p in page_ids]
        if not pages or not clauses:
            return {}
        where, extra = "", []
        if speaker_slugs:
            where, extra = " AND speaker_slug = ANY(%s)", [list(speaker_slugs)]
        tsquery = tsquery_expression(clauses, "|")
        match = f"tsv @@ to_tsquery('simple', %s){where}"
        with connection.cursor() as cursor:
            dense = cap is not None and self._estimated_per_page(
                cursor, sql_table, match, [tsquery, *extra], pages
            ) >= self.DENSE_PER_PAGE * max(1.0, cap / (2 * MAX_MOMENTS))
            if dense:
                one = (
                    f"(SELECT %s, count(*) FROM (SELECT 1 FROM {sql_table} WHERE entry_id = %s "
                    f"AND {match} ORDER BY id LIMIT %s) capped)"
                )
                params = [p for pid in pages for p in (pid, pid, tsquery, *extra, cap)]
                cursor.execute(" UNION ALL ".join(one for _ in pages), params)
            else:
                cursor.execute(
                    f"SELECT entry_id, count(*) FROM {sql_table} WHERE entry_id = ANY(%s) "
                    f"AND {match} GROUP BY entry_id",
                    [pages, tsquery, *extra],
                )
            counts = {int(pid): int(n) for pid, n in cursor.fetchall() if n}
        return counts if cap is None else {pid: min(n, cap) for pid, n in counts.items()}

    # Rows matching a query per page (the planner's estimate) from which reading each page's
    # rows in order and stopping early beats finding them through the GIN index (wanting more
    # rows per page than two hits' moments, as many times more).
    DENSE_PER_PAGE = 4 * MAX_MOMENTS

    def _earliest(self, cursor, sql_table, tsquery, where, extra, pages, per_page):
        """{page: [row ids]}: the first ``per_page`` rows (by id) of each of ``pages`` that
        match ``tsquery`` and the ``where`` condition."""
        match = f"tsv @@ to_tsquery('simple', %s){where}"
        dense = self._estimated_per_page(cursor, sql_table, match, [tsquery, *extra], pages)
        if dense >= self.DENSE_PER_PAGE * max(1.0, per_page / (2 * MAX_MOMENTS)):
            # One LIMIT subquery per page: each is planned with its own page, and reads that
            # page's rows in id order until it has enough (a LATERAL join over the pages gets
            # one generic plan, which for rare words reads every row).
            one = f"(SELECT entry_id, id FROM {sql_table} WHERE entry_id = %s AND {match} "
            one += "ORDER BY id LIMIT %s)"
            params = [p for pid in pages for p in (pid, tsquery, *extra, per_page)]
            cursor.execute(" UNION ALL ".join(one for _ in pages), params)
        else:
            cursor.execute(
                "SELECT entry_id, id FROM (SELECT entry_id, id, row_number() OVER "
                "(PARTITION BY entry_id ORDER BY id) AS n "
                f"FROM {sql_table} WHERE entry_id = ANY(%s) AND {match}) matched "
                "WHERE n <= %s",
                [pages, tsquery, *extra, per_page],
            )
        rows: dict[int, list[int]] = defaultdict(list)
        for pid, rid in sorted(cursor.fetchall()):
            rows[int(pid)].append(int(rid))
        return rows

    @staticmethod
    def _estimated_per_page(cursor, sql_table, match, params, pages) -> float:
        """The planner's estimate of the rows of ``pages`` that match (from the words'
        frequencies it samples in ANALYZE; planning only, nothing is read)."""
        cursor.execute(
            f"EXPLAIN (FORMAT JSON) SELECT id FROM {sql_table} "
            f"WHERE entry_id = ANY(%s) AND {match}",
            [pages, *params],
        )
        plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return plan[0]["Plan"]["Plan Rows"] / len(pages)


# The columns of a seminar's rows in its parts' tables, as the engine writes them.
PART_COLUMNS = {
    "segment": ("start", "end", "speaker", "speaker_slug", "text"),
    "slide": ("document_id", "number", "label", "url", "text"),
}


def part_model(table: str):
    from search.models import SearchSegment, SearchSlidePage

    return {"segment": SearchSegment, "slide": SearchSlidePage}[table]


def insert_rows(cursor, model, entry_id, rows, columns) -> list[int]:
    """Insert ``rows`` (tuples for ``columns``) of ``model`` belonging to ``entry_id`` and return
    their ids in insertion order (the entry's rows were deleted first and ids only grow within
    this transaction). SQLite's: its FTS5 rows take these ids; PostgreSQL needs no ids."""
    if not rows:
        return []
    bulk_insert(model, ("entry_id", *columns), [(entry_id, *r) for r in rows], cursor=cursor)
    table = connection.ops.quote_name(model._meta.db_table)
    cursor.execute(f"SELECT id FROM {table} WHERE entry_id = %s ORDER BY id", [entry_id])
    ids = [row[0] for row in cursor.fetchall()]
    if len(ids) != len(rows):
        raise RuntimeError(f"{model.__name__}: wrote {len(rows)} rows, found {len(ids)}")
    return ids


def dialect():
    return PostgresIndex() if connection.vendor == "postgresql" else SqliteIndex()


# The engine ------------------------------------------------------------------------------------


#: The rows of a seminar's transcript segments and slide pages: (FTS5 table, row table).
PART_TABLES = {
    "segment": ("search_segment_fts", "search_searchsegment"),
    "slide": ("search_slide_fts", "search_searchslidepage"),
}


def _part_ranges(cursor, rows: str, page_ids, speaker_slugs) -> tuple[set | None, list]:
    """(the ids of the rows of ``page_ids`` whose speaker is one of ``speaker_slugs``, None
    without them; [(page id, its first row id, its last row id)]): a seminar's rows are written
    together, so a row's id says whose it is, and FTS5 queries limited to the pages' ranges
    seek straight there."""
    marks = ",".join("%s" for _ in page_ids)
    allowed = None
    if speaker_slugs:
        cursor.execute(
            f"SELECT id FROM {rows} WHERE entry_id IN ({marks}) AND speaker_slug IN "
            f"({','.join('%s' for _ in speaker_slugs)})",
            [*page_ids, *speaker_slugs],
        )
        allowed = {rid for (rid,) in cursor.fetchall()}
    cursor.execute(
        f"SELECT entry_id, MIN(id), MAX(id) FROM {rows} "
        f"WHERE entry_id IN ({marks}) GROUP BY entry_id",
        list(page_ids),
    )
    return allowed, cursor.fetchall()


class DatabaseEngine:
    name = "database"

    # Writing ---------------------------------------------------------------------------------

    def index(self, page) -> None:
        self.index_many([page])

    def index_many(self, pages, progress=None, parallel: bool | None = None) -> int:
        """Index the public ones of ``pages`` (pages or ids), remove the others; count indexed.

        Many seminars are prepared (read and analysed) by worker processes while this one writes
        (:mod:`search.parallel`); ``parallel`` None decides by size and context, False never."""
        from archive.models import public_seminars
        from search.parallel import prepared_documents

        ids = [getattr(p, "pk", p) for p in pages]
        public = public_seminars().filter(pk__in=ids)
        public_ids = set(public.values_list("pk", flat=True))
        gone = [pid for pid in ids if pid not in public_ids]
        if gone:
            self.remove_many(gone)
        count = 0
        known_words: set[str] = set()  # typo-correction words this run has already stored
        chunks = [
            sorted(public_ids)[i : i + WRITE_CHUNK] for i in range(0, len(public_ids), WRITE_CHUNK)
        ]
        for chunk, prepared in zip(chunks, prepared_documents(chunks, parallel), strict=True):
            with transaction.atomic():  # one commit per chunk, all or nothing
                self.remove_many(chunk)  # the chunk's old rows, a few statements for all
                for item in prepared:
                    self.store_document(
                        item, known_words=known_words, replace=False, savepoint=False
                    )
                    count += 1
                    if progress:
                        progress(1)
        if count >= OPTIMIZE_AFTER:
            from search.models import SearchEntry

            parts = count * OPTIMIZE_PARTS_SHARE >= SearchEntry.objects.count()
            with connection.cursor() as cursor:
                dialect().optimize(cursor, parts=parts)
        return count

    def write_document(self, doc: dict, known_words: set[str] | None = None) -> None:
        """Replace the index rows of one seminar with ``doc`` (a seminar_search_document).

        ``known_words``: words already stored for typo correction by this run (updated here)."""
        self.store_document(prepare_document(doc), known_words=known_words)

    def store_document(
        self,
        prepared: PreparedDocument,
        known_words: set[str] | None = None,
        replace: bool = True,
        savepoint: bool = True,
    ) -> None:
        """Write one prepared seminar; ``replace`` False: the caller knows it has no rows yet;
        ``savepoint`` False: the caller's transaction is all or nothing anyway."""
        from search.models import SearchEntry, SearchFacetValue

        sql = dialect()
        doc = prepared.doc
        page_id = doc["id"]
        with transaction.atomic(savepoint=savepoint), connection.cursor() as cursor:
            if replace:
                sql.clear(cursor, [page_id])
                SearchEntry.objects.filter(page_id=page_id).delete()
            entry = SearchEntry.objects.create(
                page_id=page_id,
                fingerprint=doc["fingerprint"],
                title=doc["title"][:255],
                title_key=search_key(doc["title"])[:300],
                url=doc["url"],
                start=doc["start"],
                facet_keys="\t".join(facet_keys(doc)),
                text=prepared.body_text,
                data={
                    k: doc[k]
                    for k in (
                        "slug",
                        "title",
                        "code",
                        "url",
                        "start",
                        "series",
                        "format",
                        "language",
                        "has_video",
                        "has_transcript",
                        "year",
                        "time_known",
                    )
                }
                | {
                    "speakers": [
                        {k: s[k] for k in ("name", "slug", "role")} for s in doc["speakers"]
                    ],
                    "topics": doc["topics"],
                },
            )
            speaking, leading = split_people(doc["speakers"])
            labelled = [("speaker", s["slug"], s["name"]) for s in speaking]
            # not a facet: for autocomplete (a moderator's name finds their seminars)
            labelled += [(MODERATOR, s["slug"], s["name"]) for s in leading]
            labelled += [("topic", t["slug"], t["name"]) for t in doc["topics"]]
            if doc.get("series"):
                labelled.append(("series", doc["series"]["slug"], doc["series"]["name"]))
            SearchFacetValue.objects.bulk_create(
                [
                    SearchFacetValue(
                        entry=entry,
                        facet=f,
                        value=v,
                        label=label[:255],
                        label_key=search_key(label)[:300],
                    )
                    for f, v, label in dict.fromkeys(labelled)
                ]
            )
            sql.write_entry(cursor, page_id, prepared.fields)
            sql.insert_parts(
                cursor,
                "segment",
                page_id,
                [
                    (s["start"], s["end"], (s["speaker"] or "")[:255], s["speaker_slug"], s["text"])
                    for s in doc["transcript"]
                ],
                prepared.segments,
            )
            sql.insert_parts(
                cursor,
                "slide",
                page_id,
                [
                    (s["document_id"], p["page"], s["label"][:255], s["url"], p["text"])
                    for s in doc["slides"]
                    for p in s["pages"]
                ],
                prepared.slide_pages,
            )
            self._remember_words(prepared.vocabulary, known_words)

    @staticmethod
    def _remember_words(vocabulary: set[str], known: set[str] | None = None) -> None:
        """Store ``vocabulary`` (a PreparedDocument's) for typo correction; ``known``: words
        this run already stored (updated here)."""
        from search.analysis import stem
        from search.models import SearchWord

        words = vocabulary - known if known is not None else vocabulary
        if known is not None:
            known |= words
        if not words:
            return
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {quote(SearchWord._meta.db_table)} (word, term) VALUES (%s, %s) "
                "ON CONFLICT DO NOTHING",
                [(w[:100], stem(w)[:100]) for w in sorted(words)],
            )

    def remove(self, page_id: int) -> None:
        self.remove_many([page_id])

    def remove_many(self, page_ids) -> None:
        from search.models import SearchEntry

        page_ids = list(page_ids)
        if not page_ids:
            return
        with transaction.atomic(), connection.cursor() as cursor:
            dialect().clear(cursor, page_ids)
            SearchEntry.objects.filter(page_id__in=page_ids).delete()

    def rebuild(self, progress=None) -> int:
        """Re-create every row in one transaction: searches see the old index until it commits."""
        from archive.models import public_seminars
        from search.models import SearchEntry, SearchWord

        # Worker processes may read the seminars (committed before this transaction began,
        # unless a caller's own transaction holds changes they cannot see); only the index
        # tables change inside it.
        parallel = None if connection.in_atomic_block else True
        with transaction.atomic(), connection.cursor() as cursor:
            dialect().clear(cursor)
            SearchEntry.objects.all().delete()
            SearchWord.objects.all().delete()
            ids = list(public_seminars().values_list("pk", flat=True))
            return self.index_many(ids, progress=progress, parallel=parallel)

    def status(self) -> dict:
        """How the index compares with the published seminars (``search.indexing.index_drift``),
        and whether each seminar's indexed transcript has as many segments as its stored one:
        time stamps miss segments written without a signal (a raw bulk load, a restored table)."""
        from search.indexing import index_drift

        result = index_drift(self.name, self.indexed_times())
        uneven = self._segment_count_drift(exclude=set(result["extra"]) | set(result["missing"]))
        if uneven:
            from archive.models import public_seminars

            stale = sorted(set(result["stale"]) | uneven)
            titles = dict(public_seminars().filter(pk__in=stale).values_list("pk", "title"))
            result.update(stale=stale, titles={**result["titles"], **titles}, ok=False)
        return result

    @staticmethod
    def _segment_count_drift(exclude: set[int]) -> set[int]:
        """Indexed public seminars whose index holds a different number of transcript segments
        than the archive (two grouped counts)."""
        from django.db.models import Count

        from archive.models import TranscriptSegment, public_seminars
        from search.models import SearchSegment

        stored = dict(
            TranscriptSegment.objects.filter(transcript__seminar__in=public_seminars())
            .values_list("transcript__seminar_id")
            .annotate(n=Count("id"))
            .values_list("transcript__seminar_id", "n")
        )
        indexed = dict(
            SearchSegment.objects.values_list("entry_id")
            .annotate(n=Count("id"))
            .values_list("entry_id", "n")
        )
        return {
            pk
            for pk in set(stored) | set(indexed)
            if pk not in exclude and stored.get(pk, 0) != indexed.get(pk, 0)
        }

    def indexed(self) -> dict[int, str]:
        """page id → fingerprint of every indexed seminar."""
        from search.models import SearchEntry

        return dict(SearchEntry.objects.values_list("page_id", "fingerprint"))

    def indexed_times(self) -> dict:
        from search.models import SearchEntry

        return dict(SearchEntry.objects.values_list("page_id", "indexed_at"))

    # Reading ---------------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResults:
        candidates = self._candidates()  # once per search: parsing and every run read them
        parsed = self._parse(query.q, candidates)
        corrections = self._add_typo_alternatives(parsed) if not parsed.empty else {}
        total, hits, facets = self._run(query, parsed, candidates)
        searched_for = ""
        if not total and not parsed.empty:
            split = self._split_compounds(query.q, parsed)
            if split:
                found = self._run(
                    dataclasses.replace(query, q=split), self._parse(split, candidates), candidates
                )
                if found[0]:
                    (total, hits, facets), searched_for = found, split
        suggestion = (
            self._suggest(query, corrections, total, candidates)
            if corrections and not searched_for
            else None
        )
        return SearchResults(
            query=query,
            engine=self.name,
            total=total,
            hits=hits,
            facets=facets,
            suggestion=suggestion,
            searched_for=searched_for,
        )

    def seminar_hit(self, page_id: int, query: SearchQuery) -> Hit | None:
        """One indexed seminar as a hit of ``query``'s words, with as many of its moments and
        slide pages as the query asks for (``max_moments``, ``max_slides``; only the
        ``speaker``s' moments when it names some); None when the seminar is not indexed (not
        public). Its filters are not applied: this is the seminar a hit's link named."""
        candidates = self._candidates()
        candidate = candidates.rows.get(page_id)
        if candidate is None:
            return None
        parsed = self._parse(query.q, candidates)
        if not parsed.empty:
            self._add_typo_alternatives(parsed)
        hits = self._hits([candidate], parsed, query, {})
        return hits[0] if hits else None

    @staticmethod
    def _split_compounds(text: str, parsed: ParsedQuery) -> str:
        """``text`` with each word the archive does not know split into the dictionary words it
        is compounded from (data/sv_compound_words.txt, by which the index splits compounds):
        "detaljstyrning" → "detalj styrning", which finds a seminar saying "detaljstyra" and
        "styrning". A compound needs two parts or more, none inside another
        ("tillitsbaseradstyrning" → "tillitsbaserad styrning"). "" when no word splits. Run
        only when the typed query found nothing."""
        from search.models import SearchWord

        parts_of: dict[str, list[str]] = {}  # compound → its parts, no part inside another
        terms_of: dict[str, set[str]] = {}
        for clause in parsed.clauses:
            if clause.quoted or len(clause.words) != 1:
                continue
            parts = compound_parts(clause.words[0])
            kept = [p for p in parts if not any(p != q and p in q for q in parts)]
            if len(kept) >= 2:
                parts_of[clause.words[0]] = kept
                terms_of[clause.words[0]] = clause.terms()
        if not parts_of:
            return ""
        wanted = set().union(*terms_of.values())
        known = set(SearchWord.objects.filter(term__in=wanted).values_list("term", flat=True))
        split = text
        for word, parts in parts_of.items():
            if not terms_of[word] & known:  # the archive has the word: it found nothing else
                pattern = rf"(?<![\w*-]){re.escape(word)}(?![\w*])"
                split = re.sub(pattern, " ".join(parts), split, flags=re.IGNORECASE)
        return split if split != text else ""

    def _run(
        self,
        query: SearchQuery,
        parsed: ParsedQuery,
        candidates: Candidates,
        count_only: bool = False,
    ):
        results, facet_counts, scores, sort = self._matches(query, parsed, candidates, count_only)
        if count_only:
            return len(results), [], {}
        end = query.offset + query.page_size
        page = sort_candidates(results, sort, scores, limit=end)[query.offset : end]
        hits = self._ordered_hits(page, parsed, query, scores, sort)
        facets = self._facets(candidates, facet_counts, selected_filters(query))
        return len(results), hits, facets

    def _matches(
        self,
        query: SearchQuery,
        parsed: ParsedQuery,
        candidates: Candidates,
        count_only: bool = False,
    ):
        """(the seminars ``query`` finds, unordered; the facet counts; their scores when
        ranked by relevance, else {}; the order they are shown in: relevance, newest or
        oldest)."""
        scores: dict[int, float] = {}
        selected = selected_filters(query)
        dated = candidates.held_between(query.date_from, query.date_to)  # None: any date

        def within(ids=None):
            """``ids`` (None: every seminar) narrowed to the date range."""
            if dated is None:
                return ids
            return dated if ids is None else dated & set(ids)

        sort = query.sort
        if parsed.empty and sort == "relevance":
            sort = "newest"
        ranked = sort == "relevance" and not count_only
        if parsed.empty and not query.q.strip():  # browse mode: every seminar, filtered
            results, facet_counts = filter_and_count(candidates, selected, within=within())
        elif parsed.empty:  # only stop words ("och", "att"): they match nothing on their own
            results, facet_counts = filter_and_count(candidates, selected, within=())
        elif ranked and not selected and dated is None:  # every match is a result: rank all
            scores = dialect().match_entries(parsed)
            results, facet_counts = filter_and_count(candidates, selected, within=scores.keys())
        else:
            # Ranking is the expensive part (bm25 reads every position of the words in each
            # ranked seminar): filter the unranked matches first, then rank what is left.
            matched = dialect().matching_ids(parsed)
            results, facet_counts = filter_and_count(candidates, selected, within=within(matched))
            if ranked:
                scores = dialect().match_entries(parsed, [c.page_id for c in results])
        return results, facet_counts, scores, sort

    def _ordered_hits(self, page, parsed, query, scores, sort) -> list[Hit]:
        """The hits of ``page`` (candidates in the order shown); sorted by date, only their
        scores are computed (a score for each hit, as ranked results have)."""
        if sort != "relevance" and not parsed.empty:
            scores = dialect().match_entries(parsed, [c.page_id for c in page])
        return self._hits(page, parsed, query, scores)

    def all_hits(self, query: SearchQuery, limit: int, chunk: int) -> tuple[list[Hit], int]:
        """Every hit of ``query`` up to ``limit``, in the order its result pages show them,
        and how many there are: what an export (``archive.api``) writes. The seminars are
        found and ranked once, without facets, and their hits built ``chunk`` at a time, each
        chunk's moments and slide pages fetched together (a few queries per chunk), so the cost
        of an export grows with its rows, not with its pages times the archive."""
        candidates = self._candidates()
        parsed = self._parse(query.q, candidates)
        if not parsed.empty:
            self._add_typo_alternatives(parsed)
        results, _counts, scores, sort = self._matches(query, parsed, candidates)
        if not results and not parsed.empty:  # as search(): the compounds split
            split = self._split_compounds(query.q, parsed)
            if split:
                split_query = dataclasses.replace(query, q=split)
                split_parsed = self._parse(split, candidates)
                found = self._matches(split_query, split_parsed, candidates)
                if found[0]:
                    query, parsed, (results, _counts, scores, sort) = (
                        split_query,
                        split_parsed,
                        found,
                    )
        ordered = sort_candidates(results, sort, scores, limit=limit)[:limit]
        hits: list[Hit] = []
        for start in range(0, len(ordered), chunk):
            hits += self._ordered_hits(ordered[start : start + chunk], parsed, query, scores, sort)
        return hits, len(results)

    @staticmethod
    def _candidates() -> Candidates:
        """Every indexed seminar's filter data, cached per process while the index is unchanged
        (any index write changes the row count or the latest ``indexed_at``)."""
        with connection.cursor() as cursor:
            # Two subqueries, each answered from an index (one query with both scans the table).
            cursor.execute(
                "SELECT (SELECT COUNT(*) FROM search_searchentry), "
                "(SELECT MAX(indexed_at) FROM search_searchentry)"
            )
            version = (
                connection.alias,
                connection.settings_dict["NAME"],
                *map(str, cursor.fetchone()),
            )
            if _candidate_cache["version"] == version:
                return _candidate_cache["candidates"]
            cursor.execute("SELECT page_id, start, facet_keys FROM search_searchentry")
            candidates = Candidates.build(
                {
                    int(pid): parse_candidate(pid, start, keys)
                    for pid, start, keys in cursor.fetchall()
                }
            )
        _candidate_cache.update(version=version, candidates=candidates)
        return candidates

    @staticmethod
    def _parse(text: str, candidates: Candidates) -> ParsedQuery:
        """The parsed query, its phrases also matching as the archive spells their words:
        "enkel fraga" (typed without diacritics) also as "enkel fråga". A phrase matches the
        primary stems in text order, where only the spelling with diacritics is; single words
        need no help (their folded spellings are indexed as variants)."""
        from search.models import SearchWord

        parsed = parse_query(text)
        DatabaseEngine._english_where_only_english(parsed, candidates)
        in_phrases = parsed.phrase_terms()
        # Spelled out from the words as typed, not from their stems: "infor" stems to "inf"
        # (-or is an ending) but "inför" to "inför".
        candidates = {
            w: diacritic_spellings(w) for w in query_words(text) if query_forms(w)[0] in in_phrases
        }
        wanted = sorted(set().union(*candidates.values()))
        if not wanted:
            return parsed
        terms_of: dict[str, str] = {}
        for start in range(0, len(wanted), SPELLING_BATCH):
            terms_of.update(
                SearchWord.objects.filter(
                    word__in=wanted[start : start + SPELLING_BATCH]
                ).values_list("word", "term")
            )
        spellings: dict[str, set[str]] = defaultdict(set)
        for typed, options in candidates.items():
            typed_forms = query_forms(typed)
            for spelled in (w for w in options if w in terms_of):
                # each form as spelled: "fragan" → "frågan", and its base "frag" → "fråg"
                forms = query_forms(spelled)
                same = len(forms) == len(typed_forms)
                pairs = zip(typed_forms, forms, strict=True) if same else []
                for typed_form, form in [(typed_forms[0], forms[0]), *pairs]:
                    if form != typed_form:
                        spellings[typed_form].add(form)
        parsed.add_spellings(spellings)
        return parsed

    @staticmethod
    def _english_where_only_english(parsed: ParsedQuery, candidates: Candidates) -> None:
        """Keep a query word's English stem (see ``search.analysis.english_term``) only where
        no talk outside English has the word: a word Swedish talks use is searched as Swedish.
        Otherwise the English stem, indexed in the English talks alone, is a rare term, and
        bm25 ranks a rare term far above a common one: every English talk that named
        "kommuner" outranked the Swedish seminars about them. One look-up per word, which
        stops at the first match; none when no talk in English is indexed."""
        english = candidates.postings.get(f"language={ENGLISH}")
        if not english:
            parsed.drop_english()
            return
        for clause in (*parsed.clauses, *parsed.excluded):
            swedish = [a for a in clause.alternatives if not any(map(is_english_term, a))]
            if len(swedish) == len(clause.alternatives) or not swedish:
                continue
            if dialect().matches_beyond(Clause(clause.words, swedish), english):
                clause.alternatives = swedish

    def _add_typo_alternatives(self, parsed: ParsedQuery) -> dict[str, list[str]]:
        """Give each unknown word of 5+ letters that finds nothing the known words one edit
        away as alternatives.

        Returns word → known corrections, most frequent first (for "did you mean")."""
        from search.models import SearchWord

        corrections: dict[str, list[str]] = {}
        single = [
            c
            for c in parsed.clauses
            if not c.quoted and len(c.words) == 1 and len(c.words[0]) >= MIN_FUZZY
        ]
        if not single:
            return corrections
        known = set(
            SearchWord.objects.filter(term__in=[t for c in single for t in c.terms()]).values_list(
                "term", flat=True
            )
        )
        for clause in single:
            if clause.terms() & known:
                continue
            if dialect().matches_beyond(clause, ()):
                # Not a word of the archive, but found in another form: a compound's part
                # ("skatt" in "kommunalskatten"), a talk in English's word ("indicators"). Its
                # one-edit neighbours ("sätt") are other words, and no "did you mean" would say
                # why they were found.
                continue
            word = clause.words[0]
            rows = list(
                SearchWord.objects.filter(word__in=edits1(word))
                .order_by("word")
                .values_list("word", "term")[:20]
            )
            found = {term: len(self._matching(term)) for term in {t for _w, t in rows}}
            rows = [(w, t) for w, t in rows if found[t]]
            rows.sort(key=lambda row: -found[row[1]])  # the most common spelling first
            for candidate, term in rows:
                if (term,) not in clause.alternatives:
                    clause.alternatives.append((term,))
                corrections.setdefault(word, []).append(candidate)
        return corrections

    @staticmethod
    def _matching(term: str) -> list[int]:
        """Indexed seminars containing ``term`` (words may outlive their seminars)."""
        return dialect().matching_ids(ParsedQuery(term, [Clause((term,), [(term,)])]))

    def _suggest(self, query, corrections, total, indexed: Candidates) -> str | None:
        """The query with each unknown word replaced by its most frequent correction, offered
        when the typed query finds little (or relied on typo tolerance) and the correction finds
        at least as much."""
        from dataclasses import replace

        words_ = []
        for typed in query.q.split():
            candidates = corrections.get(typed.lower())
            if not candidates:
                words_.append(typed)
                continue
            words_.append(self._archive_spelling(candidates[0]))
        text = as_typed(" ".join(words_), query.q)
        if text.lower() == query.q.lower():
            return None
        corrected = replace(query, q=text, page=1, page_size=1)
        better, *_ = self._run(corrected, self._parse(text, indexed), indexed, count_only=True)
        return text if better and better >= total else None

    @staticmethod
    def _archive_spelling(word: str) -> str:
        """``word`` as the archive writes it: "forvaltning" (a typo corrected without
        diacritics) is offered as "förvaltning" when the archive has that word."""
        from itertools import product

        from search.models import SearchWord

        options = [{"a": "aåä", "o": "oö", "e": "eé"}.get(ch, ch) for ch in word]
        if fold(word) != word or sum(len(o) > 1 for o in options) > 6:  # at most 3^6 spellings
            return word
        spellings = {"".join(letters) for letters in product(*options)} - {word}
        found = sorted(SearchWord.objects.filter(word__in=spellings).values_list("word", flat=True))
        return found[0] if found else word

    def _hits(
        self,
        page: list[Candidate],
        parsed: ParsedQuery,
        query: SearchQuery,
        scores: dict[int, float],
    ) -> list[Hit]:
        from search.models import SearchEntry

        entries = SearchEntry.objects.in_bulk([c.page_id for c in page])
        all_terms = parsed.terms()
        marked, phrases = parsed.marks()
        moments, moment_counts = self._moments(page, parsed, query) if all_terms else ({}, None)
        slides = self._slides(page, parsed, query.max_slides) if all_terms else {}
        hits = []
        for candidate in page:
            entry = entries.get(candidate.page_id)
            if entry is None:
                continue
            data = entry.data
            terms = terms_for_language(marked, data["language"])
            url = localise_url(entry.url)
            speakers, moderators = split_people(data["speakers"])
            hits.append(
                Hit(
                    page_id=entry.page_id,
                    slug=data["slug"],
                    title=entry.title,
                    url=url,
                    start=data["start"] or "",
                    series=data["series"],
                    speakers=speakers,
                    moderators=moderators,
                    topics=data["topics"],
                    snippet=snippet(entry.text, terms, phrases=phrases),
                    score=float(f"{scores.get(candidate.page_id, 0.0):.6g}"),
                    moments=[
                        Moment(
                            start=s.start,
                            end=s.end,
                            speaker=s.speaker,
                            text=highlight(s.text, terms, phrases),
                            url=f"{url}?t={time_param(s.start)}",
                        )
                        for s in moments.get(candidate.page_id, [])
                    ],
                    slides=[
                        SlideHit(
                            page=p.number,
                            text=snippet(p.text, terms, width=160, phrases=phrases),
                            url=f"{p.url}#page={p.number}",
                            label=p.label,
                        )
                        for p in slides.get(candidate.page_id, [])
                    ],
                    format=data["format"],
                    language=data["language"],
                    has_video=data["has_video"],
                    has_transcript=data["has_transcript"],
                    time_known=data.get("time_known", True),  # entries from before it was kept
                    moment_count=None
                    if moment_counts is None
                    else moment_counts.get(candidate.page_id, 0),
                )
            )
        return hits

    @staticmethod
    def _best_parts(rows, limit) -> dict[int, list[int]]:
        best: dict[int, list[int]] = defaultdict(list)
        for pid, row_id, _score in rows:
            if len(best[pid]) < limit:
                best[pid].append(row_id)
        return best

    def _moments(self, page, parsed, query) -> tuple[dict[int, list], dict[int, int]]:
        """Up to ``query.max_moments`` best segments per hit, in time order, and how many of
        each hit's segments match (up to ``query.moment_count_cap``); only the filtered
        speakers' segments when the query filters on speakers ("who said it"). Only a hit with
        as many moments as it shows has its matching segments counted."""
        from search.models import SearchSegment

        ids = [c.page_id for c in page]
        if not ids:
            return {}, {}
        limit = query.max_moments
        rows = dialect().match_parts("segment", parsed, ids, query.speaker, limit=limit)
        best = self._best_parts(rows, limit)
        segments = SearchSegment.objects.in_bulk([r for rs in best.values() for r in rs])
        counts = {pid: len(rs) for pid, rs in best.items()}
        full = [pid for pid, n in counts.items() if n >= limit]
        if full:
            cap = query.moment_count_cap
            counts.update(dialect().count_parts("segment", parsed, full, query.speaker, cap=cap))
        moments = {
            pid: sorted((segments[r] for r in rs), key=lambda s: s.start)
            for pid, rs in best.items()
        }
        return moments, counts

    def _slides(self, page, parsed, limit: int = MAX_SLIDE_HITS) -> dict[int, list]:
        from search.models import SearchSlidePage

        ids = [c.page_id for c in page]
        if not ids:
            return {}
        rows = dialect().match_parts("slide", parsed, ids, limit=limit)
        best = self._best_parts(rows, limit)
        pages = SearchSlidePage.objects.in_bulk([r for rs in best.values() for r in rs])
        return {pid: [pages[r] for r in rs] for pid, rs in best.items()}

    def _facets(
        self, candidates: Candidates, counts: dict[str, Counter], selected: dict[str, set[str]]
    ):
        from search.models import SearchFacetValue

        wanted = {}
        for facet in FACETS:
            top = [k for k, _n in sorted(counts[facet].items(), key=lambda kv: (-kv[1], kv[0]))]
            top = top[:FACET_LIMIT] + [
                k for k in selected.get(facet, ()) if k not in top[:FACET_LIMIT]
            ]
            wanted[facet] = top
        labels = candidates.labels
        need = [
            k.split("=", 1)[1]
            for f in ("series", "speaker", "topic")
            for k in wanted[f]
            if k not in labels
        ]
        if need:
            for facet, value, label in (
                SearchFacetValue.objects.filter(
                    facet__in=("series", "speaker", "topic"),
                    value__in=need,
                )
                .values_list("facet", "value", "label")
                .distinct()
            ):
                labels[f"{facet}={value}"] = label
        facets = {}
        for facet in FACETS:
            values = []
            for key in wanted[facet]:
                value = key.split("=", 1)[1]
                values.append(
                    FacetValue(
                        value=value,
                        label=labels.get(key) or static_label(facet, value),
                        count=counts[facet].get(key, 0),
                        selected=key in selected.get(facet, ()),
                    )
                )
            if facet == "year":
                values.sort(key=lambda v: v.value, reverse=True)
            facets[facet] = values
        return facets

    def autocomplete(self, prefix: str, limit: int = 8) -> list[dict]:
        """Titles, speakers, moderators and topics of public seminars with a word starting with
        ``prefix``. A speaker or topic leads to the search filtered by it; a moderator (whom
        the speaker filter does not count) to their page, which lists what they moderated."""
        from django.urls import reverse

        from search.models import SearchEntry, SearchFacetValue

        key = search_key(prefix)
        if len(key.strip()) < 2:
            return []
        search_url = reverse("search")
        suggestions = []
        for facet in ("speaker", "topic", MODERATOR):
            rows = list(
                SearchFacetValue.objects.filter(facet=facet, label_key__contains=key)
                .values_list("value", "label")
                .distinct()
                .order_by("label")[: limit * SUGGESTION_POOL]
            )
            speakers = set()
            if facet == MODERATOR and rows:  # who also speaks somewhere: as a speaker
                speakers = set(
                    SearchFacetValue.objects.filter(
                        facet="speaker", value__in=[v for v, _label in rows]
                    ).values_list("value", flat=True)
                )
            suggestions += [
                {
                    "kind": facet,
                    "label": label,
                    "url": speaker_page_url(v)
                    if facet == MODERATOR
                    else f"{search_url}?{facet}={v}",
                }
                for v, label in rows
                if v not in speakers
            ]
        titles = (
            SearchEntry.objects.filter(title_key__contains=key)
            .order_by("-start")
            .values_list("title", "url")[: limit * SUGGESTION_POOL]
        )
        suggestions = [
            {"kind": "title", "label": t, "url": localise_url(u)} for t, u in titles
        ] + suggestions
        return rank_suggestions(suggestions, key.strip(), limit, typed=prefix)


def search_key(text: str) -> str:
    """Words of ``text`` lowercased and folded, each preceded by a space: " tillit i staten".
    A prefix search is then ``contains(" " + prefix)``, whatever punctuation the text had."""
    return "".join(" " + fold(w) for w in words(text))


def filter_and_count(candidates: Candidates, selected: dict[str, set[str]], within=None):
    """The seminars matching every selected facet (OR within one facet) among ``within`` (the
    page ids a query's words matched; every indexed seminar when None), and facet counts.

    A facet's counts cover results filtered by every OTHER facet, so choosing a second value of
    the same facet (OR) stays possible; facets without a selection count the final results.
    Works on the posting lists, so the seminars a filter excludes are never visited, and with
    neither words nor filters nothing is counted at all.
    Returns (results, {facet: Counter of "facet=value" keys})."""
    if within is not None:
        within = candidates.rows.keys() & within  # ids the index no longer lists are skipped
    if not selected:
        if within is None:
            return (
                list(candidates.rows.values()),
                {f: Counter(c) for f, c in candidates.counts.items()},
            )
        return [candidates.rows[pid] for pid in within], count_keys(candidates, within)
    allowed = {
        facet: set().union(*(candidates.postings.get(k, ()) for k in keys))
        for facet, keys in selected.items()
    }
    if within is not None:
        allowed = {facet: ids & within for facet, ids in allowed.items()}
    found = set.intersection(*allowed.values())
    counts = count_keys(candidates, found)
    for facet in selected:  # counted over the results of every OTHER filter (see above)
        others = [ids for other, ids in allowed.items() if other != facet]
        if others:
            counts[facet] = count_keys(candidates, set.intersection(*others), facet)[facet]
        elif within is not None:
            counts[facet] = count_keys(candidates, within, facet)[facet]
        else:
            counts[facet] = Counter(candidates.counts.get(facet, ()))
    return [candidates.rows[pid] for pid in found], counts


def count_keys(candidates: Candidates, page_ids, facet: str | None = None):
    """{facet: Counter of "facet=value" keys} over the seminars ``page_ids`` (every facet, or
    only ``facet``). Counted by ``Counter`` itself over one chained iterable; when the seminars
    are most of the archive (a common word), the few others are counted and subtracted from
    the counts over every seminar instead."""
    rows = candidates.rows
    if len(page_ids) > len(rows) // 2:
        rest = count_keys(candidates, rows.keys() - page_ids, facet)
        return {
            f: Counter()
            if facet not in (None, f)
            else +(Counter(candidates.counts.get(f, ())) - rest[f])
            for f in FACETS
        }
    if facet is None:
        keys = chain.from_iterable(rows[pid].keys for pid in page_ids)
    else:
        keys = chain.from_iterable(rows[pid].by_facet.get(facet, ()) for pid in page_ids)
    counts: dict[str, Counter] = {f: Counter() for f in FACETS}
    for key, n in Counter(keys).items():
        bucket = counts.get(key.split("=", 1)[0])
        if bucket is not None:
            bucket[key] = n
    return counts


def sort_candidates(
    candidates, sort: str, scores: dict[int, float] | None = None, limit: int | None = None
):
    """Relevance (score, then newest), newest or oldest; ties by page id for stable pages.

    With ``limit``, only the first ``limit`` in that order (a heap: the first result pages of
    thousands of matches need no full sort; every key is unique, so the order is the same)."""
    if sort == "oldest":
        key, first = (lambda c: (c.start, c.page_id)), heapq.nsmallest
    elif sort == "newest":
        key, first = (lambda c: (c.start, -c.page_id)), heapq.nlargest
    else:
        scores = scores or {}
        key, first = (lambda c: (scores.get(c.page_id, 0.0), c.start, -c.page_id)), heapq.nlargest
    if limit is not None and limit < len(candidates) // 2:
        return first(limit, candidates, key=key)
    ordered = sorted(candidates, key=key, reverse=first is heapq.nlargest)
    return ordered if limit is None else ordered[:limit]


def static_label(facet: str, value: str) -> str:
    from archive.models import SeminarFormat, TalkLanguage

    if facet == "format":
        return str(dict(SeminarFormat.choices).get(value, value))
    if facet == "language":
        return str(dict(TalkLanguage.choices).get(value, value))
    if facet in ("has_video", "has_transcript"):
        return _("Yes") if value == "true" else _("No")
    return value  # a speaker no indexed seminar names: see search.engines.name_selected_people
