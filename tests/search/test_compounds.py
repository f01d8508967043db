"""Compounds are split only at their boundaries, and their parts never make a phrase
(review_swedish #1, #2, #5): a dictionary word inside another word ("elev" in "relevant",
"kund" in "sekunder") is no part of it, on both databases (and in Elasticsearch's analysis,
tests/search/test_es_mapping.py)."""

from __future__ import annotations

import pytest

from search import analysis
from search.analysis import compound_parts, word_terms

from .conftest import run, titles


@pytest.fixture
def db_engine(archive_root, settings):
    from search.engines.database import DatabaseEngine

    settings.ELASTICSEARCH_URL = ""
    return DatabaseEngine()


FALSE_FRIENDS = {
    "relevant": "elev",
    "relevanta": "elev",
    "sekunder": "kund",
    "samtidigt": "tidig",
    "kristina": "kris",
    "kristoffer": "kris",
    "konstaterar": "stat",
    "uppskattar": "skatt",
    "historisk": "risk",
    "tunga": "unga",
}


@pytest.mark.parametrize(("word", "inside"), sorted(FALSE_FRIENDS.items()))
def test_a_dictionary_word_inside_another_word_is_no_part_of_it(word, inside):
    assert inside in analysis.compound_words()  # the list has it, the word still is not split
    assert compound_parts(word) == ()
    _primary, variants = word_terms(word)
    assert analysis.stem(inside) not in variants


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("detaljstyrning", {"detalj", "styrning"}),
        ("detaljstyrningen", {"detalj", "styrning"}),
        ("tillitsdelegationen", {"tillit", "delegation"}),
        ("tillitsdelegationens", {"tillit", "delegation"}),
        ("tillitsbaserad", {"tillit"}),  # and "basera"'s stem
        ("tillitsbaserat", {"tillit"}),
        ("riskbedömning", {"risk", "bedömning"}),
        ("kommunalskatten", {"kommunal", "skatt"}),
        ("förvaltningspolitiken", {"förvaltning", "politik"}),
        ("informationssäkerhet", {"information", "säkerhet"}),
        ("äldreomsorgen", {"omsorg"}),  # "äldre" begins compounds, is no part to search
        ("arbetsmiljöarbete", {"arbetsmiljö", "miljö", "arbete"}),
    ],
)
def test_a_compound_made_of_dictionary_words_is_split_into_them(word, parts):
    assert parts <= set(compound_parts(word))


def test_a_compound_with_a_part_outside_the_dictionary_is_not_split():
    # "samarbete" would need "sam", "internationell" "inter": neither is a part
    assert compound_parts("samarbete") == ()
    assert compound_parts("internationell") == ()
    assert compound_parts("styrning") == compound_parts("chef") == ()


def test_three_parts_are_found_as_the_fewest_and_the_most():
    parts = compound_parts("tillitsbaseradstyrning")
    assert {"tillitsbaserad", "tillit", "styrning"} <= set(parts)
    assert parts.index("tillit") < parts.index("styrning")


@pytest.fixture
def false_friends(seminar):
    """The review's seminar of words that hold dictionary words, and seminars that say them."""
    seminar(
        "Falska vänner",
        lead="Ett samtal om siffror.",
        speakers=[("Kristina Ängström", "moderator")],
        transcript=[
            (5.0, 9.0, "", "Det här är relevant forskning, och samtidigt mycket relevant."),
            (10.0, 19.0, "", "Några sekunder senare konstaterar vi att vi uppskattar historisk "),
            (20.0, 29.0, "", "statistik. De tunga frågorna diskuterades av Kristoffer."),
        ],
    )
    seminar("Elever i skolan", lead="Eleven och kunden. Det finns en risk att det tar tid.")
    seminar("Unga vill ha inflytande", lead="Om staten och kris.")


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("elev", ["Elever i skolan"]),
        ("kund", ["Elever i skolan"]),
        ("risk", ["Elever i skolan"]),
        ("tid", ["Elever i skolan"]),
        ("unga", ["Unga vill ha inflytande"]),
        ("stat", ["Unga vill ha inflytande"]),
        ("kris", ["Unga vill ha inflytande"]),
        ("skatt", []),
    ],
)
def test_words_inside_other_words_do_not_find_them(engine, false_friends, q, expected):
    results = run(engine, q)
    assert titles(results) == expected
    assert all("<mark>" not in m.text for hit in results.hits for m in hit.moments)


def test_excluding_a_word_keeps_seminars_that_only_hold_it_inside_another(engine, false_friends):
    assert "Falska vänner" in titles(run(engine, "samtal -elev"))


def test_a_compounds_parts_still_find_it_on_every_database(engine, seminar):
    seminar("Tillitsdelegationen och detaljstyrning", lead="Kommunalskatten höjs.")
    for q in ("tillit", "delegation", "detalj", "styrning", "skatt"):
        assert titles(run(engine, q)) == ["Tillitsdelegationen och detaljstyrning"], q


def test_a_phrase_is_never_made_of_one_words_parts(engine, seminar):
    """PostgreSQL wrote one word's variant terms side by side ("delegation tillit" for
    "tillitsdelegationen"), so the phrase "delegation tillit" found it, in either order, and
    "detalj styrning" got the phrase boosts for "detaljstyrning"; SQLite found nothing."""
    seminar(
        "Tillitsdelegationen och detaljstyrning",
        lead="Om tillitsdelegationen.",
        transcript=[(5.0, 9.0, "", "Tillitsdelegationen ville ha mindre detaljstyrning.")],
    )
    seminar("Detalj och helhet", lead="Varje detalj räknas. Sedan kommer styrning.")
    for q in ('"delegation tillit"', '"tillit delegation"', '"detalj styrning"'):
        assert run(engine, q).total == 0, q
    # Unquoted, the compound's seminar is found, by its parts, without a phrase boost.
    results = run(engine, "detalj styrning")
    assert set(titles(results)) == {"Tillitsdelegationen och detaljstyrning", "Detalj och helhet"}


def test_postgresql_writes_no_two_variant_terms_side_by_side(db_engine, seminar):
    """No phrase of variant terms matches a seminar's vector or a transcript segment's, while
    the primary terms' phrases still do."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite matches phrases in the primary columns alone")
    seminar(
        "Tillitsdelegationen",
        lead="Detaljstyrningen minskar.",
        transcript=[(5.0, 9.0, "", "Tillitsdelegationen om detaljstyrningen.")],
    )
    with connection.cursor() as cursor:
        for table in ("search_searchentry", "search_searchsegment"):
            for phrase, found in (
                ("delegation <-> tillit", False),
                ("tillit <-> delegation", False),
                ("detalj <-> styrning", False),
                ("tillitsdelegation <-> detaljstyrning", True),
            ):
                cursor.execute(
                    f"SELECT count(*) FROM {table} WHERE tsv @@ to_tsquery('simple', %s)",
                    [phrase],
                )
                assert bool(cursor.fetchone()[0]) is found, (table, phrase)


def test_a_word_found_as_a_compound_part_gets_no_typo_alternatives(engine, seminar):
    """ "skatt" is in no text as a word, but it is a part of "kommunalskatten": it matches, so
    its one-edit neighbours ("satt", the folded "sätt") are not searched too."""
    seminar("Kommunalskatten höjs", lead="Om budgeten.")
    seminar("Ett nytt arbetssätt", lead="Ett sätt att arbeta.")
    results = run(engine, "skatt")
    assert titles(results) == ["Kommunalskatten höjs"]
    assert not results.suggestion


def test_a_synonym_of_several_words_is_marked_only_where_they_stand_together():
    """For "SKR" every "kommuner", "regioner" and "Sverige" was marked, as words of its synonym
    "Sveriges Kommuner och Regioner"; for "NPM" every "public" and "management"."""
    terms, phrases = analysis.parse_query("SKR").marks()
    text = "Många kommuner och regioner i Sverige. Sveriges Kommuner och Regioner (SKR) svarar."
    assert analysis.highlight(text, terms, phrases) == (
        "Många kommuner och regioner i Sverige. <mark>Sveriges</mark> <mark>Kommuner</mark> och "
        "<mark>Regioner</mark> (<mark>SKR</mark>) svarar."
    )
    terms, phrases = analysis.parse_query("NPM").marks()
    assert analysis.highlight("Public management, new public management.", terms, phrases) == (
        "Public management, <mark>new</mark> <mark>public</mark> <mark>management</mark>."
    )
    # Words typed are marked wherever they stand, as before.
    terms, phrases = analysis.parse_query("kommuner regioner").marks()
    assert analysis.highlight(text, terms, phrases).count("<mark>") == 4


def test_results_mark_a_synonyms_words_only_together(db_engine, seminar):
    seminar(
        "Samtal om samverkan",
        lead="Många kommuner och regioner i Sverige. Sveriges Kommuner och Regioner svarar.",
        transcript=[
            (5.0, 9.0, "", "Kommuner och regioner möts."),
            (10.0, 19.0, "", "Sveriges Kommuner och Regioner har ordet."),
        ],
    )
    [hit] = run(db_engine, "SKR").hits
    assert "kommuner och regioner i Sverige. <mark>Sveriges</mark>" in hit.snippet
    assert [m.text for m in hit.moments] == [
        "<mark>Sveriges</mark> <mark>Kommuner</mark> och <mark>Regioner</mark> har ordet."
    ]
