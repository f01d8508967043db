"""The Elasticsearch index definition: Swedish analysis, mapping, documents (no cluster needed)."""

from __future__ import annotations

import pytest

from search.es_analysis import (
    COMPOUND_WORDS_FILE,
    SYNONYMS_FILE,
    analysis_settings,
    compound_words,
    index_settings,
    read_word_list,
)
from search.es_documents import SeminarDocument, from_search_document, seminar_index

BUILTIN_FILTERS = {"lowercase"}


@pytest.fixture(scope="module")
def analysis():
    return analysis_settings()


@pytest.fixture(scope="module")
def mapping():
    return seminar_index("test_seminars-mapping").to_dict()["mappings"]["properties"]


def chain(analysis, name):
    return analysis["analyzer"][name]["filter"]


# --- analysis --------------------------------------------------------------------------------


def test_swedish_index_analyzer_is_standard_lowercase_stop_decompound_stem(analysis):
    sv = analysis["analyzer"]["sv_index"]
    assert sv["tokenizer"] == "standard"
    assert sv["filter"] == ["lowercase", "sv_stop", "sv_decompound", "sv_stems", "sv_definite"]
    filters = analysis["filter"]
    assert filters["sv_stop"] == {"type": "stop", "stopwords": "_swedish_"}
    assert filters["sv_stemmer"] == {"type": "stemmer", "language": "swedish"}
    assert filters["sv_decompound"]["type"] == "dictionary_decompounder"


def test_decompounder_word_list_is_the_project_file_passed_inline(analysis):
    words = analysis["filter"]["sv_decompound"]["word_list"]
    in_file = read_word_list(COMPOUND_WORDS_FILE)
    assert words == list(dict.fromkeys(w.lower() for w in in_file))
    assert {"styrning", "tillit", "förvaltning"} <= set(words)
    assert not any(w.startswith("#") for w in words)
    assert "word_list_path" not in analysis["filter"]["sv_decompound"]  # nothing on the ES node
    # Long list words must be found inside compounds (the ES default max is 15 characters).
    assert analysis["filter"]["sv_decompound"]["max_subword_size"] >= max(len(w) for w in words)


def test_word_lists_are_read_when_the_settings_are_built(tmp_path):
    words, synonyms = tmp_path / "words.txt", tmp_path / "synonyms.txt"
    words.write_text("# a comment\nArbetsmiljö\n\nkvalitet\nkvalitet\n", encoding="utf-8")
    synonyms.write_text("# comment\nnpm, new public management\n", encoding="utf-8")
    filters = analysis_settings(words, synonyms)["filter"]
    assert filters["sv_decompound"]["word_list"] == ["arbetsmiljö", "kvalitet"]
    assert filters["sv_synonyms"]["synonyms"] == ["npm, new public management"]
    assert compound_words(words) == ["arbetsmiljö", "kvalitet"]


def test_missing_word_lists_leave_out_their_filters_but_keep_valid_analyzers(tmp_path):
    analysis = analysis_settings(tmp_path / "none.txt", tmp_path / "none2.txt")
    assert "sv_decompound" not in analysis["filter"]
    assert "sv_synonyms" not in analysis["filter"]
    assert chain(analysis, "sv_index") == ["lowercase", "sv_stop", "sv_stems", "sv_definite"]
    assert chain(analysis, "sv_search") == ["lowercase", "sv_stop", "sv_stems", "sv_definite"]


def test_every_filter_an_analyzer_uses_is_defined(analysis):
    defined = set(analysis["filter"]) | BUILTIN_FILTERS
    for name, definition in analysis["analyzer"].items():
        missing = set(definition["filter"]) - defined
        assert not missing, f"{name} uses undefined filters {missing}"
    for name, definition in analysis["filter"].items():  # the multiplexer's chains too
        for chain_ in definition.get("filters", []):
            missing = {f.strip() for f in chain_.split(",")} - defined
            assert not missing, f"{name} uses undefined filters {missing}"


def run_filter(analysis, name: str, token: str) -> set[str]:
    """What the filter ``name`` of ``analysis`` makes of one token (the kinds used here), as
    Elasticsearch would (the same Snowball algorithm; these Java patterns read alike in
    Python)."""
    import re

    from search.analysis import stem

    definition = analysis["filter"][name]
    if definition["type"] == "stemmer":
        return {stem(token)}
    if definition["type"] == "pattern_replace":
        replacement = definition["replacement"].replace("$1", r"\1")
        return {re.sub(definition["pattern"], replacement, token)}
    if definition["type"] == "multiplexer":
        out = set()
        for chain_ in definition["filters"]:
            tokens = {token}
            for step in (f.strip() for f in chain_.split(",")):
                tokens = {t for tok in tokens for t in run_filter(analysis, step, tok)}
            out |= tokens
        return out
    raise AssertionError(definition)


@pytest.mark.parametrize(
    "word",
    [
        "resultatet",
        "resultat",
        "myndighets",
        "myndighet",
        "demokratin",
        "miljön",
        "samhället",
        "projektet",
        "internet",
        "raket",
        "styrning",
        "klimatet",
    ],
)
def test_the_stems_multiplexer_gives_the_database_engines_stems(analysis, word):
    """Elasticsearch's stems (before the definite rule) are the database engine's: the Snowball
    stem and what ``search.analysis.restemmed`` adds to it."""
    from search.analysis import restemmed, stem

    primary = stem(word)
    assert run_filter(analysis, "sv_stems", word) == {primary, *restemmed(primary)}


def test_synonyms_apply_at_search_time_only(analysis):
    rules = analysis["filter"]["sv_synonyms"]
    assert rules["type"] == "synonym_graph"
    assert "npm, new public management" in rules["synonyms"]
    assert rules["synonyms"] == read_word_list(SYNONYMS_FILE)
    assert chain(analysis, "sv_search") == [
        "lowercase",
        "sv_synonyms",
        "sv_stop",
        "sv_stems",
        "sv_definite",
    ]
    for index_analyzer in ("sv_index", "sv_folded_index", "autocomplete_index", "spell"):
        assert "sv_synonyms" not in chain(analysis, index_analyzer)


def test_compounds_are_split_at_index_time_only(analysis):
    """A query for "detaljstyrning" must not become "detalj OR styrning"."""
    assert "sv_decompound" in chain(analysis, "sv_index")
    assert "sv_decompound" in chain(analysis, "sv_folded_index")
    assert "sv_decompound" not in chain(analysis, "sv_search")
    assert "sv_decompound" not in chain(analysis, "sv_folded_search")


def test_folding_keeps_the_original_and_is_applied_only_when_indexing(analysis):
    assert analysis["filter"]["sv_folding"] == {"type": "asciifolding", "preserve_original": True}
    folded_index = chain(analysis, "sv_folded_index")
    # Folded before stemming, so "förvaltningen" is also indexed as the stem of "forvaltningen".
    assert folded_index.index("sv_folding") < folded_index.index("sv_stems")
    # The query is not folded: "får" stays "får" and does not match "far".
    assert "sv_folding" not in chain(analysis, "sv_folded_search")
    assert "sv_folding" not in chain(analysis, "sv_index")


def test_definite_forms_are_also_indexed_and_searched_without_an_as_in_python(analysis):
    """ "skolan" → "skolan" + "skol" at one position, by the database engine's own rule."""
    import re

    from search.analysis import NEUTER_PATTERN, definite_an_pattern, definite_base, stem

    definite = analysis["filter"]["sv_definite"]
    assert definite == {
        "type": "pattern_capture",
        "patterns": [definite_an_pattern(), NEUTER_PATTERN],
        "preserve_original": True,
    }
    for name in ("sv_index", "sv_search", "sv_folded_index", "sv_folded_search"):
        filters = chain(analysis, name)
        assert filters.index("sv_stems") + 1 == filters.index("sv_definite"), name
    for name in ("plain_index", "plain_search", "autocomplete_index", "spell"):
        assert "sv_definite" not in chain(analysis, name)

    # pattern_capture emits the original and each group of a match: the same terms as Python.
    def capture(token: str) -> set[str]:
        found = {token}
        for pattern in definite["patterns"]:
            match = re.match(pattern, token)
            found |= set(match.groups() if match else ())
        return found

    for word in ("skolan", "skolans", "kvinnan", "frågan", "fragan", "samverkan", "plan"):
        assert capture(stem(word)) == {stem(word), definite_base(stem(word))} - {""}, word
    for word in ("webbinarium", "webbinariets", "museet", "partiet", "planet", "kvalitet"):
        assert capture(stem(word)) == {stem(word), definite_base(stem(word))} - {""}, word
    for word in ("organ", "roman", "redan", "finans", "median", "sallan", "komet", "diet"):
        assert capture(stem(word)) == {stem(word)}, word
    assert capture(stem("skolan")) == {"skolan", "skol"}
    assert capture(stem("webbinariet")) == {"webbinariet", "webbinari"}
    # Only features Java's regular expressions share with Python's.
    for pattern in definite["patterns"]:
        assert not re.search(r"\\[pPN]|\(\?P|\(\?<[^=!]", pattern)


def test_plain_subfield_for_typos_is_folded_but_not_stemmed(analysis):
    assert chain(analysis, "plain_index") == ["lowercase", "sv_stop", "sv_folding"]
    assert chain(analysis, "plain_search") == ["lowercase", "sv_stop", "sv_stop_folded"]


def test_stop_words_typed_without_diacritics_are_dropped_from_folded_queries(analysis):
    """ "styrning for foretag": "för" is never indexed, so "for" must not be required."""
    folded = analysis["filter"]["sv_stop_folded"]
    assert folded["type"] == "stop"
    assert {"for", "pa", "ar", "nar", "over"} <= set(folded["stopwords"])
    assert "och" not in folded["stopwords"]  # already in the Swedish list
    assert chain(analysis, "sv_folded_search") == [
        "lowercase",
        "sv_stop",
        "sv_stop_folded",
        "sv_stems",
        "sv_definite",
    ]
    # Words as written keep their meaning in the main fields.
    assert "sv_stop_folded" not in chain(analysis, "sv_search")
    assert "sv_stop_folded" not in chain(analysis, "sv_index")


def test_autocomplete_uses_edge_ngrams_2_to_20_and_a_plain_search_analyzer(analysis):
    assert analysis["filter"]["autocomplete_edge_ngram"] == {
        "type": "edge_ngram",
        "min_gram": 2,
        "max_gram": 20,
    }
    assert chain(analysis, "autocomplete_index")[-1] == "autocomplete_edge_ngram"
    assert chain(analysis, "autocomplete_search") == ["lowercase"]


def test_index_settings_are_one_shard_with_the_analysis():
    settings = index_settings()
    assert settings["number_of_shards"] == 1
    assert settings["analysis"]["analyzer"]["sv_index"]["tokenizer"] == "standard"


# --- mapping ---------------------------------------------------------------------------------


def test_transcript_and_slides_are_nested_with_swedish_text(mapping):
    transcript = mapping["transcript"]
    assert transcript["type"] == "nested"
    props = transcript["properties"]
    assert props["start"] == {"type": "float"} and props["end"] == {"type": "float"}
    assert props["speaker_slug"] == {"type": "keyword"}
    assert props["text"]["analyzer"] == "sv_index"
    assert props["text"]["search_analyzer"] == "sv_search"
    assert props["text"]["fields"]["folded"]["analyzer"] == "sv_folded_index"
    assert props["text"]["fields"]["plain"] == {
        "type": "text",
        "analyzer": "plain_index",
        "search_analyzer": "plain_search",
    }
    slides = mapping["slides"]
    assert slides["type"] == "nested"
    assert set(slides["properties"]) == {"document_id", "page", "label", "url", "text", "text_en"}
    for nested in (props, slides["properties"]):
        assert nested["text_en"] == {"type": "text", "analyzer": "english"}
    assert slides["properties"]["page"] == {"type": "integer"}


def test_text_fields_have_folded_and_autocomplete_subfields(mapping):
    title = mapping["title"]
    assert (title["analyzer"], title["search_analyzer"]) == ("sv_index", "sv_search")
    assert title["fields"]["folded"]["search_analyzer"] == "sv_folded_search"
    assert title["fields"]["autocomplete"] == {
        "type": "text",
        "analyzer": "autocomplete_index",
        "search_analyzer": "autocomplete_search",
    }
    assert "autocomplete" in mapping["speakers"]["properties"]["name"]["fields"]
    assert "autocomplete" in mapping["topics"]["properties"]["name"]["fields"]
    assert "autocomplete" not in mapping["lead"]["fields"]


def test_facet_fields_are_keywords_and_start_is_a_date(mapping):
    for field in ("facet_series", "facet_speakers", "facet_topics", "format", "language"):
        assert mapping[field] == {"type": "keyword"}, field
    assert mapping["year"] == {"type": "integer"}
    assert mapping["has_video"] == {"type": "boolean"}
    assert mapping["has_transcript"] == {"type": "boolean"}
    assert mapping["start"] == {"type": "date"}
    assert mapping["speakers"]["properties"]["slug"] == {"type": "keyword"}


def test_unknown_fields_are_refused_and_words_feed_the_spelling_field():
    body = seminar_index("test_seminars-mapping").to_dict()
    assert body["mappings"]["dynamic"] == "strict"
    props = body["mappings"]["properties"]
    assert props["spell"] == {"type": "text", "analyzer": "spell"}
    assert props["title"]["copy_to"] == "spell"
    assert props["transcript_text"]["copy_to"] == "spell"
    assert body["settings"]["analysis"]["analyzer"]["spell"]["filter"] == [
        "lowercase",
        "spell_shingle",
    ]


# --- documents from real pages -----------------------------------------------------------------


@pytest.mark.django_db
def test_from_search_document_of_a_real_seminar(seminar, settings):
    from archive.search_document import seminar_search_document

    settings.ELASTICSEARCH_URL = ""
    page = seminar(
        "Tillit i styrningen",
        lead="Om <tillitsbaserad> styrning & ledning.",
        speakers=["Anna Svensson", "Björn Öberg"],
        topics=["Tillit", "Styrning"],
        series="Förvaltningsdagarna",
        transcript=[
            (0, 12.5, "Anna Svensson", "Välkomna till seminariet."),
            (12.5, 40, "Björn Öberg", "Detaljstyrningen minskar förtroendet."),
        ],
        slides=[["Inledning", "Tillitsdelegationens slutsatser"]],
        video_url="https://www.youtube.com/watch?v=abc",
    )
    data = seminar_search_document(page)
    doc = from_search_document(data)
    body = doc.to_dict(include_meta=True)
    source = body["_source"]

    assert body["_id"] == str(page.pk)
    assert source["title"] == "Tillit i styrningen"
    assert source["url"] == page.get_url()
    assert source["lead"] == "Om <tillitsbaserad> styrning & ledning."  # raw text, escaped later
    anna, bjorn = source["speakers"]
    assert (anna["name"], anna["role"]) == ("Anna Svensson", "speaker")
    assert source["facet_speakers"] == [
        f"{anna['slug']}|Anna Svensson",
        f"{bjorn['slug']}|Björn Öberg",
    ]
    assert source["bios"] == "\n".join(link.speaker.bio for link in page.seminar_speakers.all())
    assert "offentlig sektor" in source["bios"]
    assert source["bios"] == data["bios"]  # those who speak (test_search_document)
    host = {"name": "Per Värd", "slug": "per-vard", "role": "moderator", "bio": "Om tillit."}
    hosted = from_search_document({**data, "speakers": [*data["speakers"], host]}).to_dict()
    assert "per-vard" not in str(hosted["facet_speakers"])
    assert source["series"]["name"] == "Förvaltningsdagarna"
    assert source["facet_series"] == f"{source['series']['slug']}|Förvaltningsdagarna"
    assert sorted(t["name"] for t in source["topics"]) == ["Styrning", "Tillit"]
    assert source["year"] == page.local_start.year
    assert source["has_video"] is True and source["has_transcript"] is True

    first, second = source["transcript"]
    assert (first["start"], first["end"], first["speaker"]) == (0.0, 12.5, "Anna Svensson")
    assert second["speaker_slug"] == bjorn["slug"]
    assert "Detaljstyrningen" in source["transcript_text"]

    slide_pages = source["slides"]
    assert [p["page"] for p in slide_pages] == [1, 2]
    assert "Tillitsdelegationens" in slide_pages[1]["text"]
    assert slide_pages[1]["url"].endswith(".pdf")
    assert slide_pages[1]["label"] == "Presentation"
    assert source["fingerprint"] == data["fingerprint"]


def test_from_search_document_tolerates_a_minimal_document():
    doc = from_search_document({"id": 7, "title": "Frukostmöte", "start": "2019-05-02T08:00:00"})
    source = doc.to_dict()
    assert source["year"] == 2019
    assert source["has_transcript"] is False
    assert "facet_series" not in source  # no series: nothing to facet on
    assert isinstance(doc, SeminarDocument)


def test_the_speaker_facet_and_filter_leave_out_the_moderator_who_stays_searchable():
    source = from_search_document(
        {
            "id": 7,
            "title": "Lärande tillsyn",
            "start": "2025-10-13T13:00:00+00:00",
            "time_known": False,
            "speakers": [
                {"name": "Maria Lindqvist", "slug": "maria-lindqvist", "role": "speaker"},
                {"name": "Peter Öhman", "slug": "peter-ohman", "role": "moderator"},
                {"name": "Ahmed Karimi", "slug": "ahmed-karimi", "role": "panelist"},
            ],
        }
    ).to_dict()
    assert source["facet_speakers"] == [
        "maria-lindqvist|Maria Lindqvist",
        "ahmed-karimi|Ahmed Karimi",
    ]
    assert source["speaker_slugs"] == ["maria-lindqvist", "ahmed-karimi"]
    assert "Peter Öhman" in [s["name"] for s in source["speakers"]]  # searched by name
    assert source["time_known"] is False


def test_only_a_talk_in_english_fills_the_english_fields():
    """Elasticsearch's ``english`` analyzer stems "municipalities" as "municipality"; those
    fields stay empty for Swedish talks, which English stems must never match."""
    data = {
        "id": 7,
        "title": "Trust in local government",
        "lead": "How municipalities delegate.",
        "start": "2025-10-13T13:00:00+00:00",
        "topics": [{"slug": "trust", "name": "Trust"}],
        "speakers": [{"name": "Ann Lee", "slug": "ann-lee", "role": "speaker", "title": "Mayor"}],
        "bios": "Ann studies councils.",
        "transcript": [{"start": 1, "end": 2, "text": "Three municipalities told us."}],
        "slides": [{"document_id": 3, "url": "/d.pdf", "pages": [{"page": 1, "text": "Plans"}]}],
    }
    english = from_search_document({**data, "language": "en"}).to_dict()
    for text in ("How municipalities", "Trust in local", "Mayor", "councils", "Plans", "Three"):
        assert text in english["english"], text
    assert english["transcript"][0]["text_en"] == "Three municipalities told us."
    assert english["slides"][0]["text_en"] == "Plans"
    swedish = from_search_document({**data, "language": "sv"}).to_dict()
    assert "english" not in swedish
    assert "text_en" not in swedish["transcript"][0] and "text_en" not in swedish["slides"][0]
