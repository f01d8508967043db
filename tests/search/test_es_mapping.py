"""The Elasticsearch index definition: Swedish analysis, mapping, documents (no cluster needed)."""

from __future__ import annotations

import pytest

from search.es_analysis import (
    COMPOUND_WORDS_FILE,
    NESTED_OBJECTS_LIMIT,
    STOPWORDS_FILE,
    SYNONYMS_FILE,
    analysis_meta,
    analysis_settings,
    compound_words,
    es_synonym_rules,
    index_settings,
    read_word_list,
    stopwords,
    synonym_mark,
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
    assert sv["filter"] == [
        "lowercase",
        "sv_synonym_marks",
        "sv_stop",
        "sv_decompound",
        "sv_decompound_unique",
        "sv_stems",
        "sv_definite",
    ]
    filters = analysis["filter"]
    assert filters["sv_stemmer"] == {"type": "stemmer", "language": "swedish"}
    assert filters["sv_decompound"]["type"] == "pattern_capture"
    assert filters["sv_decompound_unique"] == {"type": "unique", "only_on_same_position": True}


def test_stop_words_are_the_database_engines_list_passed_inline(analysis):
    """Elasticsearch's own "_swedish_" list is not the project's: both engines drop the words of
    search/data/stopwords_sv.txt, and a change to it reaches Elasticsearch too."""
    from search.analysis import query_words
    from search.analysis import stopwords as database_stopwords

    listed = [w.lower() for w in read_word_list(STOPWORDS_FILE)]
    assert analysis["filter"]["sv_stop"] == {"type": "stop", "stopwords": listed}
    assert set(listed) == database_stopwords()
    for name in ("sv_index", "sv_search", "sv_folded_index", "plain_index", "plain_search"):
        assert "sv_stop" in chain(analysis, name), name
    # Snowball's "sitt" (his/her) is a stop word; the verb "sitta" (to sit) is a word to find.
    assert "sitt" in listed and "sitta" not in listed
    assert query_words("sitta på sitt kontor") == ["sitta", "kontor"]


def test_decompounder_splits_by_the_database_engines_rule_passed_inline(analysis):
    """Elasticsearch splits compounds by the very regular expressions the database engine
    uses (built from the project's word lists, so nothing has to exist on the ES node), not by
    its dictionary_decompounder, which finds list words anywhere inside a word ("relevant" →
    "elev", "sekunder" → "kund")."""
    from search.analysis import _compound_res

    decompound = analysis["filter"]["sv_decompound"]
    assert decompound["preserve_original"] is True
    assert decompound["patterns"] == [p.pattern for p in _compound_res()]
    assert "word_list" not in decompound and "word_list_path" not in decompound
    in_file = read_word_list(COMPOUND_WORDS_FILE)
    assert {"styrning", "tillit", "förvaltning"} <= {w.lower() for w in in_file}


def _es_parts(patterns: list[str], word: str) -> list[str]:
    """What pattern_capture (preserve_original) adds for ``word``: every group of every
    pattern that matches, in order (Java and Python read these expressions alike)."""
    import re

    found = []
    for pattern in patterns:
        match = re.search(pattern, word)
        if match:
            found += [g for g in match.groups() if g]
    return list(dict.fromkeys(found))


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("tillitsdelegationen", ["tillit", "delegation"]),
        ("detaljstyrning", ["detalj", "styrning"]),
        ("relevant", []),
        ("sekunder", []),
        ("samtidigt", []),
        ("kristina", []),
        ("historisk", []),
        ("uppskattar", []),
        ("tunga", []),
        ("konstaterar", []),
    ],
)
def test_elasticsearch_splits_compounds_only_at_their_boundaries(analysis, word, parts):
    patterns = analysis["filter"]["sv_decompound"]["patterns"]
    assert sorted(_es_parts(patterns, word)) == sorted(parts)


def test_word_lists_are_read_when_the_settings_are_built(tmp_path):
    words, synonyms = tmp_path / "words.txt", tmp_path / "synonyms.txt"
    words.write_text("# a comment\nArbetsmiljö\n\nkvalitet\nkvalitet\n", encoding="utf-8")
    synonyms.write_text("# comment\nnpm, new public management\n", encoding="utf-8")
    filters = analysis_settings(words, synonyms)["filter"]
    patterns = filters["sv_decompound"]["patterns"]
    assert _es_parts(patterns, "arbetsmiljökvaliteten") == ["arbetsmiljö", "kvalitet"]
    assert _es_parts(patterns, "detaljstyrning") == []  # not in this list
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
    """What the filter ``name`` of ``analysis`` makes of one token (the kinds used here), with
    the database engine's stemmer (Snowball 3): these are the stems the database indexes. Lucene's
    Swedish stemmer (Snowball 2.0.0) has no -et rule ("resultatet" stays "resultatet"), so
    Elasticsearch's terms differ for such words while its multiplexer still gives the same
    matches; ``test_es_live.py`` compares the two on a real cluster. (These Java patterns read
    alike in Python.)"""
    return {text for text, _keyword in _run_filter(analysis, name, (token, False))}


def _run_filter(analysis, name: str, token: tuple[str, bool]) -> set[tuple[str, bool]]:
    """:func:`run_filter` of a (text, keyword) token: a stemmer_override marks the token it
    replaces as a keyword, which a stemmer after it leaves as it is (as in Lucene)."""
    import re

    from search.analysis import stem

    text, keyword = token
    definition = analysis["filter"][name]
    if definition["type"] == "stemmer":
        return {token if keyword else (stem(text), False)}
    if definition["type"] == "stemmer_override":
        for rule in definition["rules"]:
            sources, _, override = rule.partition("=>")
            if text in {s.strip() for s in sources.split(",")}:
                return {(override.strip(), True)}
        return {token}
    if definition["type"] == "pattern_replace":
        replacement = definition["replacement"].replace("$1", r"\1")
        return {(re.sub(definition["pattern"], replacement, text), keyword)}
    if definition["type"] == "multiplexer":
        out = set()
        for chain_ in definition["filters"]:
            tokens = {token}
            for step in (f.strip() for f in chain_.split(",")):
                tokens = {t for tok in tokens for t in _run_filter(analysis, step, tok)}
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
        "länder",
        "ländernas",
        "regler",
        "styrde",
        "styrts",
        "hade",
        "blade",
    ],
)
def test_the_stems_multiplexer_gives_the_database_engines_stems(analysis, word):
    """Elasticsearch's stems (before the definite rule) are the database engine's: the Snowball
    stem, what ``search.analysis.restemmed`` adds to it, and an irregular form's base stem
    (``search.analysis.irregular_stems``)."""
    from search.analysis import irregular_stems, restemmed, stem

    primary = stem(word)
    base = irregular_stems().get(word)
    expected = {primary, *restemmed(primary), *([base] if base else [])}
    assert run_filter(analysis, "sv_stems", word) == expected


def test_synonyms_apply_at_search_time_only(analysis):
    rules = analysis["filter"]["sv_synonyms"]
    assert rules["type"] == "synonym_graph"
    assert "npm, new public management" in rules["synonyms"]
    assert rules["synonyms"] == es_synonym_rules()[0]
    assert chain(analysis, "sv_search") == [
        "lowercase",
        "sv_synonyms",
        "sv_stop",
        "sv_stems",
        "sv_definite",
    ]
    for index_analyzer in ("sv_index", "sv_folded_index", "autocomplete_index", "spell"):
        assert "sv_synonyms" not in chain(analysis, index_analyzer)


def _sides(rule: str) -> tuple[list[str], list[str]]:
    left, arrow, right = rule.partition("=>")
    sources = [a.strip() for a in left.split(",") if a.strip()]
    return sources, ([a.strip() for a in right.split(",") if a.strip()] if arrow else sources)


def test_no_search_time_synonym_puts_out_a_stop_word(analysis):
    """Elasticsearch cannot match a synonym whose output its later stop filter shortens ("stat
    och kommun" would break the query's graph): every alternative with a stop word is matched
    only as typed (the left of a one-way rule) and stands, in the output, for a mark that the
    index analyzer puts where the text has it."""
    from search.analysis import words

    stop = set(stopwords())
    search_rules = analysis["filter"]["sv_synonyms"]["synonyms"]
    index_rules = analysis["filter"]["sv_synonym_marks"]
    assert index_rules["type"] == "synonym"  # flat: every word keeps its position
    marks = {}
    for rule in index_rules["synonyms"]:
        (alternative,), (kept, mark) = _sides(rule)
        assert kept == alternative and set(words(alternative)) & stop, rule
        assert words(mark) == [mark] and mark not in stop, rule
        assert not any(word in mark for word in compound_words()), rule  # never split
        marks[alternative] = mark
    for rule in search_rules:
        _sources, outputs = _sides(rule)
        for output in outputs:
            assert not set(words(output)) & stop, rule
    # Each of the file's alternatives with a stop word, and only those, is marked.
    in_file = {a for rule in read_word_list(SYNONYMS_FILE) for side in _sides(rule) for a in side}
    assert set(marks) == {a for a in in_file if set(words(a)) & stop}
    assert marks == {
        "informations- och kommunikationsteknik": "ikt",
        "sveriges kommuner och regioner": "skl",
        "organisationen för ekonomiskt samarbete och utveckling": "oecd",
        "stat och kommun": synonym_mark("offentlig sektor, offentliga sektorn, stat och kommun"),
    }
    stat_och_kommun = marks["stat och kommun"]
    assert {
        "informations- och kommunikationsteknik => ikt",
        "skl, skr",
        "sveriges kommuner och regioner => skl, skr",
        "organisationen för ekonomiskt samarbete och utveckling => oecd",
        f"offentlig sektor, offentliga sektorn, {stat_och_kommun}",
        f"stat och kommun => offentlig sektor, offentliga sektorn, {stat_och_kommun}",
    } <= set(search_rules)
    # The marks go in before the stop words go out, in the main field only (whose search
    # analyzer has the synonyms).
    assert chain(analysis, "sv_index")[:3] == ["lowercase", "sv_synonym_marks", "sv_stop"]
    for name in ("sv_search", "sv_folded_index", "sv_folded_search", "plain_index", "spell"):
        assert "sv_synonym_marks" not in chain(analysis, name), name


def test_synonym_rules_for_elasticsearch_from_a_file(tmp_path):
    synonyms = tmp_path / "synonyms.txt"
    synonyms.write_text(
        "# rules\n"
        "npm, new public management\n"
        "oecd, organisationen för ekonomiskt samarbete och utveckling\n"
        "Offentlig sektor, stat och kommun\n"
        "kpi => nyckeltal, mått och steg\n",
        encoding="utf-8",
    )
    search, index = es_synonym_rules(synonyms, STOPWORDS_FILE)
    sector = synonym_mark("Offentlig sektor, stat och kommun")
    kpi = synonym_mark("kpi => nyckeltal, mått och steg")
    assert sector != kpi and sector.startswith("xsyn") and sector[4:].isdigit()
    assert search == [
        "npm, new public management",  # no stop word: as written
        "organisationen för ekonomiskt samarbete och utveckling => oecd",
        f"Offentlig sektor, {sector}",
        f"stat och kommun => Offentlig sektor, {sector}",
        f"kpi => nyckeltal, {kpi}",
    ]
    assert index == [
        "organisationen för ekonomiskt samarbete och utveckling => "
        "organisationen för ekonomiskt samarbete och utveckling, oecd",
        f"stat och kommun => stat och kommun, {sector}",
        f"mått och steg => mått och steg, {kpi}",
    ]


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


def test_autocomplete_uses_edge_ngrams_2_to_20_and_cuts_longer_typed_words_to_20(analysis):
    """Typed words are cut to the longest gram: "förvaltningspolitiken" (21 letters) meets the
    gram "förvaltningspolitike" instead of nothing."""
    assert analysis["filter"]["autocomplete_edge_ngram"] == {
        "type": "edge_ngram",
        "min_gram": 2,
        "max_gram": 20,
    }
    assert chain(analysis, "autocomplete_index")[-1] == "autocomplete_edge_ngram"
    assert chain(analysis, "autocomplete_search") == ["lowercase", "autocomplete_truncate"]
    assert analysis["filter"]["autocomplete_truncate"] == {"type": "truncate", "length": 20}


def test_index_settings_are_one_shard_with_the_analysis():
    settings = index_settings()
    assert settings["number_of_shards"] == 1
    assert settings["analysis"]["analyzer"]["sv_index"]["tokenizer"] == "standard"
    # Stated, not left to the default: es_documents keeps every document within it.
    assert settings["mapping"] == {"nested_objects": {"limit": NESTED_OBJECTS_LIMIT}}


def test_the_index_records_the_synonyms_and_analysis_it_was_built_with(tmp_path):
    """The index's mapping carries hashes of its synonyms and analysis, so status() can tell
    that the files changed since (synonyms reach Elasticsearch only by a rebuild)."""
    meta = seminar_index("test_seminars-mapping").to_dict()["mappings"]["_meta"]
    assert meta == analysis_meta() and set(meta) == {"synonyms", "analysis"}
    changed = tmp_path / "synonyms.txt"
    changed.write_text(SYNONYMS_FILE.read_text(encoding="utf-8") + "ny, nyhet\n", "utf-8")
    other = analysis_meta(changed)
    assert other["synonyms"] != meta["synonyms"] and other["analysis"] != meta["analysis"]
    comment_only = tmp_path / "comments.txt"
    comment_only.write_text("# a note\n" + SYNONYMS_FILE.read_text(encoding="utf-8"), "utf-8")
    assert analysis_meta(comment_only) == meta  # comments change nothing


def test_talks_in_english_are_stemmed_by_snowball_english_as_in_the_database(analysis, mapping):
    """Not Elasticsearch's ``english`` analyzer (Porter's first stemmer: "organization" is
    "organ" there, "news" is "new"), but the same chain with Snowball's English stemmer, the
    database engine's (search.analysis.english_term)."""
    import snowballstemmer

    from search.analysis import ENGLISH_MARK, english_term

    assert analysis["analyzer"]["en_text"] == {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["en_possessive", "lowercase", "en_stop", "en_stemmer"],
    }
    filters = analysis["filter"]
    assert filters["en_possessive"] == {"type": "stemmer", "language": "possessive_english"}
    assert filters["en_stop"] == {"type": "stop", "stopwords": "_english_"}
    assert filters["en_stemmer"] == {"type": "stemmer", "language": "porter2"}
    assert mapping["english"] == {"type": "text", "analyzer": "en_text"}
    # porter2 is Snowball English: what the database engine indexes a talk in English by.
    porter2 = snowballstemmer.stemmer("english")
    for word in ("organization", "news", "communities", "municipalities"):
        assert english_term(word) == ENGLISH_MARK + porter2.stemWord(word)
    assert english_term("organization") != english_term("organ")


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
        assert nested["text_en"] == {"type": "text", "analyzer": "en_text"}
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


def _cues(count: int, speakers=("Anna Svensson", "Björn Öberg"), turn: int = 40) -> list[dict]:
    """``count`` two-second cues, the speaker changing every ``turn`` cues."""
    out = []
    for i in range(count):
        name = speakers[(i // turn) % len(speakers)]
        out.append(
            {
                "start": 2.0 * i,
                "end": 2.0 * i + 2,
                "speaker": name,
                "speaker_slug": name.lower().replace(" ", "-"),
                "text": f"Ord nummer {i}.",
            }
        )
    return out


def test_a_day_long_transcript_fits_the_nested_limit_with_its_moments_in_place():
    """12,000 cues (almost seven hours of two-second captions) are more nested objects than
    Elasticsearch takes in one document: consecutive cues of one speaker are merged, each
    segment starting where its first cue starts, with every word still there in order."""
    cues = _cues(12_000)
    slides = [{"document_id": 1, "url": "/d.pdf", "pages": [{"page": 1, "text": "Plan"}]}]
    data = {"id": 7, "title": "Heldag", "start": "2025-10-13T08:00", "transcript": cues}
    source = from_search_document({**data, "slides": slides}).to_dict()
    segments = source["transcript"]
    assert len(segments) + len(source["slides"]) <= NESTED_OBJECTS_LIMIT
    assert len(segments) >= NESTED_OBJECTS_LIMIT // 2  # as few merged as need be
    starts = {cue["start"] for cue in cues}
    assert all(segment["start"] in starts for segment in segments)
    assert [s["start"] for s in segments] == sorted(s["start"] for s in segments)
    assert segments[0]["start"] == 0.0 and segments[-1]["end"] == cues[-1]["end"]
    assert " ".join(s["text"] for s in segments) == " ".join(c["text"] for c in cues)
    # Each segment is one speaker's: the filter "who said it" stays exact.
    by_start = {cue["start"]: cue for cue in cues}
    for segment in segments:
        first = by_start[segment["start"]]
        assert (segment["speaker"], segment["speaker_slug"]) == (
            first["speaker"],
            first["speaker_slug"],
        )
    assert source["transcript_text"].count("Ord nummer") == 12_000  # whole-seminar text intact


def test_a_transcript_that_fits_is_indexed_cue_by_cue_and_turns_too_many_are_merged_anyway():
    from search.es_documents import fit_transcript

    cues = _cues(50)
    assert fit_transcript(cues, 50) == cues
    # A new speaker every cue: more turns than the limit, so segments hold several speakers.
    alternating = _cues(30, speakers=("Anna Svensson", "Björn Öberg", "Cecilia Lund"), turn=1)
    merged = fit_transcript(alternating, 10)
    assert len(merged) == 10
    assert merged[0]["speaker"] == "Anna Svensson, Björn Öberg, Cecilia Lund"
    assert merged[0]["speaker_slug"] == ["anna-svensson", "björn-öberg", "cecilia-lund"]
    assert [m["start"] for m in merged] == [6.0 * i for i in range(10)]
