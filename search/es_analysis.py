"""Swedish text analysis for the Elasticsearch index: analyzers, filters and index settings.

Every text field is indexed twice (see ``search/es_documents.py``):

- the main field (``sv_index`` / ``sv_search``): standard tokenizer, lowercase, Swedish stop words,
  dictionary decompounding with the project's word list ("detaljstyrning" is also indexed as
  "detalj" and "styrning") and the Swedish snowball stemmer, in a multiplexer that also gives
  the other stems a stem stands for (``search.analysis.restemmed``: "resultatet" and
  "resultat", "myndighets" and "myndighet", "demokratin" and "demokrati" meet).
  Decompounding happens at INDEX time only: a search for "styrning" finds "detaljstyrning",
  but a search for "detaljstyrning" does not turn into "detalj OR styrning" (which would
  match nearly everything). Only the SEARCH
  analyzer adds the synonyms ("npm" = "new public management"), so the synonym list can change
  without re-indexing.
- a ``folded`` subfield (``sv_folded_index`` / ``sv_folded_search``): the same chain, but at index
  time ``asciifolding`` with ``preserve_original`` adds "forvaltning" next to "förvaltning". The
  search side does not fold, so a query typed without diacritics ("forvaltning") matches, while
  "får" still does not match "far": å/ä/ö stay distinct letters when they are typed. The query
  side also drops stop words typed without diacritics ("for", "pa"), which are never indexed.

After the stemmer, both fields (index and search side) also keep a stem ending in a definite -an
without it, and a neuter's stem ending in -ium/-eum/-iet/-eet without -um/-et, at the same
position (``sv_definite``: "skolan" → "skolan" and "skol", the stem of "skola"; "seminariet" →
"seminariet" and "seminari", the stem of "seminarier"), by the very rules of
``search.analysis.definite_base`` (its regular expressions, with the exceptions of
``search/data/sv_an_words.txt``). Changing that list needs a rebuilt index.

A ``plain`` subfield (``plain_index`` / ``plain_search``: lowercase, stop words, folding at index
time, but no stemming) is where typos are forgiven: fuzzy matching compares what was typed with
the words as written, because a misspelt word stems unpredictably ("styrnig" stems to "styrn").

Autocomplete fields use edge n-grams (2–20 characters) at index time and a plain lowercase
analyzer at search time. The word lists are read from ``search/data/`` when the index is created
and passed inline, so no file has to exist on the Elasticsearch nodes.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from django.conf import settings
from elasticsearch.dsl import analyzer, token_filter

from search.analysis import STRIP_N_PATTERN, definite_patterns, strip_et_pattern

DATA_DIR = Path(__file__).resolve().parent / "data"
COMPOUND_WORDS_FILE = DATA_DIR / "sv_compound_words.txt"
SYNONYMS_FILE = DATA_DIR / "synonyms_sv.txt"
STOPWORDS_FILE = DATA_DIR / "stopwords_sv.txt"

AUTOCOMPLETE_MIN_GRAM = 2
AUTOCOMPLETE_MAX_GRAM = 20
# Parts shorter than this are never split off a compound (avoids "ek" inside "ekonomi" etc.).
MIN_SUBWORD_SIZE = 4
# Elasticsearch's default (15) would ignore list words such as "informationssäkerhet".
MAX_SUBWORD_SIZE = 30
STEMMER, STRIP_ET, STRIP_N = "sv_stemmer", "sv_strip_et", "sv_strip_n"


def read_word_list(path: Path) -> list[str]:
    """Non-empty, non-comment lines of a word-list file, stripped; [] if the file is missing."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def compound_words(path: Path = COMPOUND_WORDS_FILE) -> list[str]:
    """The decompounder's word list, lowercased and de-duplicated in file order."""
    return list(dict.fromkeys(word.lower() for word in read_word_list(path)))


def synonym_rules(path: Path = SYNONYMS_FILE) -> list[str]:
    """Solr-format synonym rules ("a, b, c" or "a => b"), one per list item."""
    return read_word_list(path)


def fold(word: str) -> str:
    """``word`` without diacritics: "för" → "for"."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def folded_stopwords(path: Path = STOPWORDS_FILE) -> list[str]:
    """Stop words as typed without diacritics ("for", "pa", "nar"), for the query side of the
    folded fields: "styrning for foretag" must not require a word "for" that is never indexed."""
    words = (word.lower() for word in read_word_list(path))
    return sorted({fold(word) for word in words} - set(read_word_list(path)))


def _filters(words_path: Path, synonyms_path: Path, stopwords_path: Path) -> dict:
    """The custom token filters by role; optional ones are left out when their list is empty."""
    filters = {
        "stop": token_filter("sv_stop", "stop", stopwords="_swedish_"),
        # The Snowball stem, and the other stems it stands for (search.analysis.restemmed):
        # stemmed again; without a neuter's -et, stemmed again; without a definite -n. One
        # chain each, at the stem's position (the multiplexer drops duplicate tokens).
        "stemmer": token_filter(
            "sv_stems",
            "multiplexer",
            filters=[
                STEMMER,
                f"{STEMMER}, {STEMMER}",
                f"{STEMMER}, {STRIP_ET}, {STEMMER}",
                f"{STEMMER}, {STRIP_N}",
            ],
            preserve_original=False,
        ),
        "folding": token_filter("sv_folding", "asciifolding", preserve_original=True),
        # "skolan" → "skolan" + "skol" at one position (phrases still match either)
        "definite": token_filter(
            "sv_definite",
            "pattern_capture",
            patterns=definite_patterns(),
            preserve_original=True,
        ),
        "edge_ngram": token_filter(
            "autocomplete_edge_ngram",
            "edge_ngram",
            min_gram=AUTOCOMPLETE_MIN_GRAM,
            max_gram=AUTOCOMPLETE_MAX_GRAM,
        ),
        "shingle": token_filter(
            "spell_shingle",
            "shingle",
            min_shingle_size=2,
            max_shingle_size=3,
        ),
    }
    folded_stops = folded_stopwords(stopwords_path)
    if folded_stops:
        filters["stop_folded"] = token_filter("sv_stop_folded", "stop", stopwords=folded_stops)
    words = compound_words(words_path)
    if words:
        filters["decompound"] = token_filter(
            "sv_decompound",
            "dictionary_decompounder",
            word_list=words,
            min_subword_size=MIN_SUBWORD_SIZE,
            max_subword_size=MAX_SUBWORD_SIZE,
            only_longest_match=False,
        )
    rules = synonym_rules(synonyms_path)
    if rules:
        # lenient: a rule the chain cannot parse is skipped instead of failing index creation.
        filters["synonyms"] = token_filter(
            "sv_synonyms",
            "synonym_graph",
            synonyms=rules,
            lenient=True,
        )
    return filters


def analyzers(
    words_path: Path = COMPOUND_WORDS_FILE,
    synonyms_path: Path = SYNONYMS_FILE,
    stopwords_path: Path = STOPWORDS_FILE,
) -> dict:
    """Every custom analyzer of the index by name (elasticsearch.dsl ``CustomAnalyzer``)."""
    f = _filters(words_path, synonyms_path, stopwords_path)

    def chain(*roles: str) -> list:
        return ["lowercase", *(f[role] for role in roles if role in f)]

    def custom(name: str, filters: list):
        return analyzer(name, tokenizer="standard", filter=filters)

    return {
        a._name: a
        for a in (
            custom("sv_index", chain("stop", "decompound", "stemmer", "definite")),
            custom("sv_search", chain("synonyms", "stop", "stemmer", "definite")),
            custom(
                "sv_folded_index", chain("stop", "decompound", "folding", "stemmer", "definite")
            ),
            custom("sv_folded_search", chain("stop", "stop_folded", "stemmer", "definite")),
            custom("plain_index", chain("stop", "folding")),
            custom("plain_search", chain("stop", "stop_folded")),
            custom("autocomplete_index", chain("folding", "edge_ngram")),
            custom("autocomplete_search", chain()),
            custom("spell", chain("shingle")),
        )
    }


def multiplexed_filters() -> dict:
    """The filters the stems multiplexer names (by name only, so defined here)."""
    return {
        STEMMER: {"type": "stemmer", "language": "swedish"},
        STRIP_ET: {"type": "pattern_replace", "pattern": strip_et_pattern(), "replacement": "$1"},
        STRIP_N: {"type": "pattern_replace", "pattern": STRIP_N_PATTERN, "replacement": "$1"},
    }


def analysis_settings(
    words_path: Path = COMPOUND_WORDS_FILE,
    synonyms_path: Path = SYNONYMS_FILE,
    stopwords_path: Path = STOPWORDS_FILE,
) -> dict:
    """The ``analysis`` section of the index settings: analyzers plus their filters."""
    out: dict = {}
    for custom_analyzer in analyzers(words_path, synonyms_path, stopwords_path).values():
        for section, definitions in custom_analyzer.get_analysis_definition().items():
            out.setdefault(section, {}).update(definitions)
    out.setdefault("filter", {}).update(multiplexed_filters())
    return out


def index_settings(
    words_path: Path = COMPOUND_WORDS_FILE, synonyms_path: Path = SYNONYMS_FILE
) -> dict:
    """Settings for a new seminar index (one shard: an archive is thousands, not millions)."""
    return {
        "number_of_shards": 1,
        "number_of_replicas": getattr(settings, "SEARCH_INDEX_REPLICAS", 0),
        "analysis": analysis_settings(words_path, synonyms_path),
    }
