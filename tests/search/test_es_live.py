"""The Elasticsearch engine against a real Elasticsearch 8 (skipped without ELASTICSEARCH_URL).

Run with ``docker compose up search`` and
``ELASTICSEARCH_URL=http://localhost:9200 .venv/bin/python -m pytest -m elasticsearch``.
Each test works in its own indices (a unique prefix) and deletes them afterwards.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from archive.factories import SpeakerFactory
from search.engines.base import SearchQuery
from search.engines.elasticsearch import ElasticsearchEngine

ES_URL = os.environ.get("ELASTICSEARCH_URL", "")

pytestmark = [
    pytest.mark.elasticsearch,
    pytest.mark.skipif(
        not ES_URL,
        reason="needs a live Elasticsearch 8: run `docker compose up search` and set "
        "ELASTICSEARCH_URL=http://localhost:9200",
    ),
]


@pytest.fixture
def es(settings, archive_root):
    """An engine on fresh, uniquely named indices; every index it made is deleted afterwards."""
    # Seminars are created with Elasticsearch switched off for the publish signals: these tests
    # index explicitly, so they test this engine and nothing else.
    settings.ELASTICSEARCH_URL = ""
    engine = ElasticsearchEngine(
        url=ES_URL, prefix=f"test_seminars_{uuid.uuid4().hex[:12]}", timeout=30
    )
    engine.ensure_index()
    yield engine
    engine.delete_all()


def ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


@pytest.fixture
def corpus(es, seminar):
    """Swedish seminars as editors publish them, plus a draft and a private one; all indexed."""
    anna = SpeakerFactory(name="Anna Svensson")
    bjorn = SpeakerFactory(name="Björn Öberg")
    cecilia = SpeakerFactory(name="Cecilia Lund")
    pages = {
        "tillit": seminar(
            "Tillitsbaserad styrning i kommunerna",
            lead="Hur kommunerna kan minska detaljstyrningen.",
            speakers=[anna, bjorn],
            topics=["Tillit"],
            series="Förvaltningsdagarna",
            start=ago(400),
            format="panel",
            video_url="https://www.youtube.com/watch?v=abc",
            transcript=[
                (0, 10, "Anna Svensson", "Välkomna till dagens seminarium."),
                (75.4, 90, "Björn Öberg", "Förtroendet mellan chefer och medarbetare är grunden."),
                (300, 320, "Anna Svensson", "Vi har sett att förtroendet växer med tiden."),
            ],
            slides=[["Inledning", "Nyckeltal för uppföljning"]],
        ),
        "npm": seminar(
            "New public management i retrospektiv",
            lead="Ett samtal om marknadsstyrning i staten.",
            speakers=[cecilia],
            topics=["Förvaltningspolitik"],
            start=ago(2000),
            format="lecture",
        ),
        "digital": seminar(
            "Digitalisering av förvaltningen",
            lead="Hur myndigheter utvecklar sina tjänster.",
            speakers=[anna],
            topics=["Digitalisering"],
            start=ago(900),
            format="webinar",
        ),
        "kritik": seminar(
            "Kritik av marknaden i skolan",
            lead="Vad NPM har betytt för lärarna.",
            start=ago(1500),
            format="lecture",
        ),
        "far": seminar(
            "Far och barn i föräldraförsäkringen", lead="Om pappaledighet.", start=ago(1200)
        ),
        "får": seminar("Får vi säga nej till uppdraget?", lead="Om gränser.", start=ago(1100)),
        # Same words, same length: only the exact phrase tells them apart. The scattered one is
        # newer, so without the phrase boost it would come first.
        "phrase": seminar(
            "Seminarium ett",
            lead="Tillitsbaserad styrning i vården kräver ledning och tid.",
            start=ago(700),
        ),
        "scattered": seminar(
            "Seminarium två",
            lead="Styrning i vården kräver tillitsbaserad ledning och tid.",
            start=ago(600),
        ),
        "escaped": seminar(
            "Säker webb",
            lead="Varför <script>alert(1)</script> öppnar säkerhetsluckor.",
            start=ago(500),
        ),
        "draft": seminar("Hemligt utkast om kvantdatorer", lead="Zebrafinkar.", publish=False),
        "private": seminar("Internt möte om kvantdatorer", lead="Zebrafinkar i ledningsgruppen."),
    }
    PageViewRestriction.objects.create(
        page=pages["private"], restriction_type="password", password="hemligt"
    )
    indexed = es.index_many(list(pages.values()))
    es.refresh()
    pages["count"] = indexed
    pages["speakers"] = {"anna": anna, "bjorn": bjorn, "cecilia": cecilia}
    return pages


def search(es, q="", **kwargs):
    return es.search(SearchQuery(q=q, **kwargs))


def titles(results) -> list[str]:
    return [hit.title for hit in results.hits]


def test_only_public_seminars_are_indexed(es, corpus):
    assert corpus["count"] == 9
    assert search(es, "zebrafinkar").total == 0
    assert search(es, "kvantdatorer").total == 0
    assert es.autocomplete("kvant") == []
    assert search(es).total == 9
    status = es.status()
    assert status["ok"] is True, status
    assert (status["documents"], status["published"]) == (9, 9)
    assert status["missing"] == [] and status["stale"] == []


def test_inflected_forms_find_each_other(es, corpus):
    assert titles(search(es, "kommunen")) == ["Tillitsbaserad styrning i kommunerna"]
    assert titles(search(es, "myndigheten")) == ["Digitalisering av förvaltningen"]


def test_a_word_inside_a_compound_is_found_but_a_compound_is_not_split_in_queries(es, corpus):
    with_styrning = titles(search(es, "styrning"))
    assert "New public management i retrospektiv" in with_styrning  # "marknadsstyrning"
    assert "Far och barn i föräldraförsäkringen" not in with_styrning
    assert set(titles(search(es, "marknad"))) == {
        "New public management i retrospektiv",
        "Kritik av marknaden i skolan",
    }
    found = titles(search(es, "marknadsstyrning"))
    assert found == ["New public management i retrospektiv"]


def test_words_typed_without_diacritics_match_but_typed_diacritics_stay_distinct(es, corpus):
    # Best first: in the title; the series "Förvaltningsdagarna" and topic
    # "Förvaltningspolitik" hold the same word as a compound part.
    assert titles(search(es, "forvaltningen"))[0] == "Digitalisering av förvaltningen"
    assert titles(search(es, "Oberg")) == ["Tillitsbaserad styrning i kommunerna"]
    # "far" typed plainly also finds "får" (diacritics not typed), the exact word first...
    assert titles(search(es, "far")) == [
        "Far och barn i föräldraförsäkringen",
        "Får vi säga nej till uppdraget?",
    ]
    # ...but "får" typed with its ring does not find "far".
    assert titles(search(es, "får")) == ["Får vi säga nej till uppdraget?"]


def test_npm_means_new_public_management_both_ways(es, corpus):
    both = {"New public management i retrospektiv", "Kritik av marknaden i skolan"}
    assert set(titles(search(es, "npm"))) == both
    assert set(titles(search(es, "new public management"))) == both


def test_a_typo_in_a_long_word_is_forgiven_and_ranks_below_exact_matches(es, corpus):
    assert "Tillitsbaserad styrning i kommunerna" in titles(search(es, "tilitsbaserad"))
    assert titles(search(es, "komunerna")) == ["Tillitsbaserad styrning i kommunerna"]
    assert search(es, "xqzv").total == 0  # short nonsense is not "corrected" into anything


def test_an_exact_phrase_ranks_above_the_same_words_scattered(es, corpus):
    found = titles(search(es, "tillitsbaserad styrning"))
    assert "Far och barn i föräldraförsäkringen" not in found
    assert found.index("Seminarium ett") < found.index("Seminarium två")


def test_transcript_moments_link_to_the_second_and_who_said_it_narrows_them(es, corpus):
    results = search(es, "förtroendet")
    hit = results.hits[0]
    assert hit.title == "Tillitsbaserad styrning i kommunerna"
    assert [m.url for m in hit.moments] == [f"{hit.url}?t=75.4", f"{hit.url}?t=300"]
    assert [m.speaker for m in hit.moments] == ["Björn Öberg", "Anna Svensson"]
    assert all("<mark>" in m.text for m in hit.moments)
    anna = corpus["speakers"]["anna"]
    narrowed = search(es, "förtroendet", speaker=(anna.slug,))
    assert [(m.start, m.speaker) for m in narrowed.hits[0].moments] == [(300.0, "Anna Svensson")]


def test_slide_pages_open_at_the_page_that_matched(es, corpus):
    results = search(es, "nyckeltal")
    assert titles(results) == ["Tillitsbaserad styrning i kommunerna"]
    (slide,) = results.hits[0].slides
    assert slide.page == 2 and slide.url.endswith(".pdf#page=2")
    assert "<mark>Nyckeltal</mark>" in slide.text


def test_facets_count_with_the_other_filters_but_not_their_own(es, corpus):
    everything = search(es)
    topics = {f.label: f.count for f in everything.facets["topic"]}
    assert topics == {"Tillit": 1, "Förvaltningspolitik": 1, "Digitalisering": 1}
    years = [f.value for f in everything.facets["year"]]
    assert years == sorted(years, reverse=True)

    narrowed = search(es, topic=("tillit",))
    assert titles(narrowed) == ["Tillitsbaserad styrning i kommunerna"]
    topic_facet = {f.label: f for f in narrowed.facets["topic"]}
    # Other topics stay visible (choosing one would widen the selection)...
    assert set(topic_facet) == {"Tillit", "Förvaltningspolitik", "Digitalisering"}
    assert topic_facet["Tillit"].selected and not topic_facet["Digitalisering"].selected
    assert topic_facet["Digitalisering"].count == 1
    # ...while other facets count only what the topic filter leaves.
    speakers = {f.label: f.count for f in narrowed.facets["speaker"]}
    assert speakers == {"Anna Svensson": 1, "Björn Öberg": 1}
    assert {f.value: f.count for f in narrowed.facets["has_video"]} == {"true": 1}
    formats = {f.value: f.count for f in search(es, format=("lecture",)).facets["format"]}
    assert formats["lecture"] == 2 and formats["panel"] == 1


def test_sorting_and_paging(es, corpus):
    newest = titles(search(es, sort="newest", page_size=3))
    assert newest == ["Tillitsbaserad styrning i kommunerna", "Säker webb", "Seminarium två"]
    oldest = search(es, sort="oldest", page=1, page_size=2)
    assert titles(oldest) == [
        "New public management i retrospektiv",
        "Kritik av marknaden i skolan",
    ]
    assert oldest.total == 9
    last_page = search(es, sort="oldest", page=5, page_size=2)
    assert titles(last_page) == ["Tillitsbaserad styrning i kommunerna"]


def test_snippets_escape_html_and_mark_the_match(es, corpus):
    (hit,) = search(es, "säkerhetsluckor").hits
    assert "&lt;script&gt;" in hit.snippet
    assert "<script>" not in hit.snippet
    assert "<mark>säkerhetsluckor</mark>" in hit.snippet


def test_did_you_mean_offers_a_spelling_that_finds_seminars(es, corpus):
    results = search(es, "tilitsbaserad styrnig")
    assert results.suggestion is not None
    assert "tillitsbaserad" in results.suggestion and "styrning" in results.suggestion


def test_autocomplete_suggests_titles_speakers_and_topics(es, corpus):
    kinds = {(s["kind"], s["label"]) for s in es.autocomplete("till")}
    assert ("title", "Tillitsbaserad styrning i kommunerna") in kinds
    assert ("topic", "Tillit") in kinds
    assert ("speaker", "Björn Öberg") in {(s["kind"], s["label"]) for s in es.autocomplete("bjo")}


def test_unpublishing_or_restricting_removes_a_seminar(es, corpus):
    page = corpus["digital"]
    page.unpublish()
    es.index(page)
    es.refresh()
    assert search(es, "digitalisering").total == 0
    page.save_revision().publish()
    es.index(page)
    es.refresh()
    assert search(es, "digitalisering").total == 1
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    es.index(page)
    es.refresh()
    assert search(es, "digitalisering").total == 0


def test_rebuild_swaps_the_alias_and_an_interrupted_rebuild_leaves_the_old_index_serving(
    es, corpus
):
    first = es.ensure_index()

    class Killed(Exception):
        pass

    def die_midway(_n):
        raise Killed

    with pytest.raises(Killed):
        es.rebuild(progress=die_midway)
    # The half-built index exists, but the alias still points at the complete old one.
    assert es._alias_indices() == [first]
    assert len(es._own_indices()) == 2
    assert search(es).total == 9

    assert es.rebuild() == 9
    (second,) = es._alias_indices()
    assert second != first and second > first
    assert es._own_indices() == [second]  # the old and the half-built index are gone
    assert search(es).total == 9
    assert "New public management i retrospektiv" in titles(search(es, "npm"))
    assert es.status()["ok"] is True


# --- synonyms with stop words, prefixes, long words, long transcripts, analysis parity ----------


@pytest.fixture
def synonym_corpus(es, seminar):
    """Seminars that name the same things in the synonym list's different words, some of which
    hold stop words ("och", "för")."""
    pages = {
        "oecd": seminar("Granskning av styrningen", lead="OECD jämför tolv länder."),
        "oecd_long": seminar(
            "Internationella jämförelser",
            lead="Organisationen för ekonomiskt samarbete och utveckling granskar budgetarna.",
        ),
        "skl": seminar("Kommunernas röst", lead="SKL samlar kommunerna."),
        "skr_long": seminar(
            "Råd till regionerna", lead="Sveriges Kommuner och Regioner ger råd om vården."
        ),
        "ikt_long": seminar(
            "Lärande med teknik", lead="Informations- och kommunikationsteknik i klassrummet."
        ),
        "stat_och_kommun": seminar("Ansvaret delas", lead="Samverkan mellan stat och kommun."),
        "offentlig": seminar("Chefer i förändring", lead="Att leda i offentlig sektor."),
        "scattered": seminar("Tillsynen", lead="Kommun efter kommun granskas av staten."),
    }
    es.index_many(list(pages.values()))
    es.refresh()
    return {key: page.title for key, page in pages.items()}


def test_synonyms_whose_words_include_stop_words_find_each_other(es, synonym_corpus):
    t = synonym_corpus
    oecd = {t["oecd"], t["oecd_long"]}
    assert set(titles(search(es, "oecd"))) == oecd
    assert set(titles(search(es, "organisationen för ekonomiskt samarbete och utveckling"))) == oecd
    skr = {t["skl"], t["skr_long"]}
    assert set(titles(search(es, "skr"))) == skr
    assert set(titles(search(es, "skl"))) == skr
    assert set(titles(search(es, "Sveriges kommuner och regioner"))) == skr
    assert titles(search(es, "ikt")) == [t["ikt_long"]]
    assert set(titles(search(es, "offentlig sektor"))) == {t["offentlig"], t["stat_och_kommun"]}


def test_stat_och_kommun_quoted_and_unquoted(es, synonym_corpus):
    t = synonym_corpus
    unquoted = titles(search(es, "stat och kommun"))
    assert {t["stat_och_kommun"], t["offentlig"]} <= set(unquoted)  # the phrase, its synonym
    quoted = titles(search(es, '"stat och kommun"'))
    assert t["stat_och_kommun"] in quoted
    assert t["scattered"] not in quoted  # both words, not as the phrase


def test_a_prefix_finds_every_word_that_starts_so_not_only_the_first_fifty(es, seminar):
    """64 words starting with "sama…" sort before "samverkan": ``phrase_prefix`` would look at
    the first 50 only and miss it; the prefix query finds it, its moment and its exclusion."""
    fillers = " ".join(f"sama{a}{b}" for a in "abcdefgh" for b in "abcdefgh")
    pages = [
        seminar("Ordlista", lead=fillers, transcript=[(0, 10, "", fillers)]),
        seminar(
            "Regional utveckling",
            lead="Om samverkan mellan myndigheter.",
            transcript=[(42, 50, "", "Samverkan kräver tid.")],
        ),
        seminar("Myndigheter i staden", lead="Om myndigheter och medborgare."),
    ]
    es.index_many(pages)
    es.refresh()
    found = search(es, "sam*")
    assert set(titles(found)) == {"Ordlista", "Regional utveckling"}
    (wanted,) = [hit for hit in found.hits if hit.title == "Regional utveckling"]
    assert [moment.start for moment in wanted.moments] == [42.0]
    assert titles(search(es, "myndigheter -sam*")) == ["Myndigheter i staden"]
    assert titles(search(es, "samv*")) == ["Regional utveckling"]


def test_autocomplete_still_suggests_a_title_after_twenty_letters(es, seminar):
    page = seminar("Förvaltningspolitiken inför valet", lead="Om valet.")
    long_word = seminar("Kompetensförsörjningsplanen", lead="Om rekrytering.")
    es.index_many([page, long_word])
    es.refresh()
    for typed, title in (
        ("förvaltningspolitike", page.title),  # 20 letters: the longest gram
        ("förvaltningspolitiken", page.title),  # 21
        ("forvaltningspolitiken infor", page.title),
        ("kompetensförsörjningsplanen", long_word.title),  # 27
    ):
        suggested = [(s["kind"], s["label"]) for s in es.autocomplete(typed)]
        assert ("title", title) in suggested, typed


def test_a_day_long_transcript_is_indexed_and_found_to_its_last_moment(es, seminar):
    from search.es_analysis import NESTED_OBJECTS_LIMIT
    from search.es_documents import fit_transcript

    who = "Anna Svensson"
    cues = [(2.0 * i, 2.0 * i + 2, who, f"Mening {i} om budget.") for i in range(12_000)]
    cues[-1] = (cues[-1][0], cues[-1][1], who, "Till sist talar vi om zebrafinkar.")
    page = seminar("Heldagskonferens", transcript=cues)
    assert es.index_many([page]) == 1
    es.refresh()
    (hit,) = search(es, "zebrafinkar").hits
    as_dicts = [
        {"start": s, "end": e, "speaker": w, "speaker_slug": "", "text": x} for s, e, w, x in cues
    ]
    segments = fit_transcript(as_dicts, NESTED_OBJECTS_LIMIT)
    (moment,) = hit.moments
    assert moment.start == segments[-1]["start"] and moment.start > 23_990
    assert "<mark>zebrafinkar</mark>" in moment.text
    assert es.status()["ok"] is True


def test_a_hit_counts_every_matching_moment_beyond_the_three_it_shows(es, seminar):
    """Elasticsearch gave three moments and no count: no "show all N moments" link, and an
    export listed three of a seminar's moments. Nested inner hits count every match
    (``hits.total``, exact) whatever their size, which the index caps at 100."""
    from search.export import export_query

    cues = [
        (10.0 * i, 10.0 * i + 9, "Anna Svensson", f"Vi talar om zebrafinkar, del {i}.")
        if i % 2 == 0
        else (10.0 * i, 10.0 * i + 9, "Anna Svensson", f"Något helt annat, del {i}.")
        for i in range(14)
    ]
    said = [start for start, _, _, text in cues if "zebrafinkar" in text]
    assert len(said) == 7
    page = seminar("Fåglar i staden", lead="Om fåglar.", transcript=cues)
    other = seminar("Fåglar på landet", lead="Om zebrafinkar.")
    assert es.index_many([page, other]) == 2
    es.refresh()
    hits = {hit.title: hit for hit in search(es, "zebrafinkar").hits}
    town, country = hits["Fåglar i staden"], hits["Fåglar på landet"]
    assert len(town.moments) == 3 and town.moment_count == 7
    assert (country.moments, country.moment_count) == ([], 0)  # said nowhere in a recording
    (capped,) = [h for h in search(es, "zebrafinkar", moment_count_cap=5).hits if h.moments]
    assert capped.moment_count == 5  # shown as "5+", as the database engine counts
    # An export lists them all, in the order they were said.
    exported = es.search(export_query(SearchQuery(q="zebrafinkar")))
    (town,) = [h for h in exported.hits if h.moments]
    assert [m.start for m in town.moments] == said and town.moment_count == 7
    # More than index.max_inner_result_window (100) is asked for in 100s, not refused (a 400
    # would send every such search to the database engine).
    (town,) = [h for h in search(es, "zebrafinkar", max_moments=500).hits if h.moments]
    assert len(town.moments) == 7 and town.moment_count == 7


def test_talks_in_english_are_stemmed_as_the_database_stems_them(es, seminar):
    talk = seminar(
        "Trust in councils",
        lead="The organ of the state. Three municipalities told us.",
        language="en",
    )
    es.index_many([talk])
    es.refresh()
    assert titles(search(es, "municipality")) == ["Trust in councils"]
    # Porter's first stemmer (Elasticsearch's "english") makes "organization" "organ";
    # Snowball's English, the database engine's, keeps them apart.
    assert search(es, "organization").total == 0


# Inflections, definite forms, a neuter's -et, words typed without diacritics, and look-alikes:
# Lucene's Swedish stemmer (Snowball 2.0.0) stems some of them otherwise than the database
# engine's (Snowball 3), but a query word must find the same words in both.
PARITY_WORDS = [
    "resultat",
    "resultatet",
    "resultaten",
    "arbete",
    "arbetet",
    "arbeten",
    "möte",
    "mötet",
    "möten",
    "beslut",
    "beslutet",
    "besluten",
    "skola",
    "skolan",
    "skolans",
    "skolor",
    "kvinna",
    "kvinnan",
    "kvinnor",
    "demokrati",
    "demokratin",
    "demokratins",
    "samhälle",
    "samhället",
    "samhällen",
    "webbinarium",
    "webbinariet",
    "webbinarier",
    "internet",
    "organ",
    "organen",
    "organisation",
    "organisationen",
    "val",
    "valet",
    "valen",
    "projekt",
    "projektet",
    "projekten",
    "kommun",
    "kommunen",
    "kommunerna",
    "forvaltning",
    "förvaltning",
    "förvaltningen",
    "far",
    "får",
    "fåglar",
    "klimat",
    "klimatet",
    "problem",
    "problemet",
    "talet",
    "samtal",
    "samtalet",
    # irregular forms (search/data/sv_irregular_forms.txt) and words that must stay apart
    "land",
    "landet",
    "länder",
    "länderna",
    "stad",
    "staden",
    "städer",
    "böcker",
    "bok",
    "bönder",
    "bonde",
    "styra",
    "styr",
    "styrs",
    "styrde",
    "styrdes",
    "styrt",
    "regel",
    "regler",
    "händer",
    "handen",
    "hade",
    "sade",
    "blade",
    "tiden",
]


def test_elasticsearch_analysis_finds_what_the_database_engine_finds(es):
    """``_analyze`` of each word by the index and search analyzers (main and folded fields)
    against the database engine's terms: a query word meets a text word in Elasticsearch
    exactly when it does in the database (the term sets themselves may differ)."""
    from search.analysis import query_forms, word_terms

    def tokens(analyzer: str, word: str) -> set[str]:
        response = es.client.indices.analyze(index=es.alias, analyzer=analyzer, text=word)
        return {token["token"] for token in response["tokens"]}

    analysed = {
        word: {
            name: tokens(name, word)
            for name in ("sv_index", "sv_search", "sv_folded_index", "sv_folded_search")
        }
        for word in PARITY_WORDS
    }

    def es_finds(query: str, text: str) -> bool:
        q, d = analysed[query], analysed[text]
        return bool(q["sv_search"] & d["sv_index"] or q["sv_folded_search"] & d["sv_folded_index"])

    def database_finds(query: str, text: str) -> bool:
        primary, variants = word_terms(text)
        return bool(set(query_forms(query)) & {primary, *variants})

    assert analysed["resultatet"]["sv_index"] & analysed["resultat"]["sv_search"]
    differ = [
        (query, text, es_finds(query, text))
        for query in PARITY_WORDS
        for text in PARITY_WORDS
        if es_finds(query, text) != database_finds(query, text)
    ]
    assert differ == []
    # Not vacuous: the list holds both what meets and what must not.
    assert database_finds("resultatet", "resultat") and database_finds("skola", "skolan")
    assert database_finds("forvaltning", "förvaltningen") and not database_finds("får", "far")
    assert not database_finds("organ", "organisation")
    assert database_finds("länder", "landet") and database_finds("styra", "styrde")
    assert not database_finds("händer", "handen")
