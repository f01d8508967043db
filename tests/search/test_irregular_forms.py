"""Irregular inflections meet their base (review_swedish #6): Snowball leaves "länder" and
"städer" apart from "land" and "stad", and "styrde", "styrt" apart from "styra", "styr". The
forms listed in search/data/sv_irregular_forms.txt are also indexed and searched under their
base's stem, by both engines (Elasticsearch: a stemmer_override chain of the stems
multiplexer), and no other word changes."""

from __future__ import annotations

import re
from itertools import product
from pathlib import Path

import pytest

from search import analysis
from search.analysis import (
    irregular_stems,
    query_forms,
    read_irregular_forms,
    read_word_file,
    stem,
    word_terms,
)

from .conftest import run, titles

FAMILIES = [
    ("land", "landet", "landets", "lands", "länder", "länderna", "ländernas", "länders"),
    ("stad", "staden", "stadens", "städer", "städerna"),
    ("hand", "handen", "händerna"),
    ("strand", "stranden", "stränder", "stränderna"),
    ("tand", "tanden", "tänderna"),
    ("bok", "boken", "böcker", "böckerna"),
    ("fot", "foten", "fötter", "fötterna"),
    ("rot", "roten", "rötter", "rötterna"),
    ("son", "sonen", "söner", "sönerna"),
    ("bonde", "bonden", "bönder", "bönderna"),
    ("natt", "natten", "nätter", "nätterna"),
    ("brand", "branden", "bränder", "bränderna"),
    ("män", "männen", "mannen", "mannens"),
    ("mus", "musen", "möss", "mössen"),
    ("gås", "gåsen", "gäss", "gässen"),
    ("ledamot", "ledamoten", "ledamöter", "ledamöterna"),
    ("regel", "regeln", "regler", "reglerna"),
    ("program", "programmet", "programmen"),
    ("styra", "styr", "styrs", "styras", "styrde", "styrdes", "styrt", "styrts", "styrd"),
    ("leda", "leder", "leds", "ledde", "leddes", "lett"),
    ("göra", "gör", "görs", "gjorde", "gjordes", "gjort"),
    ("kräva", "kräver", "krävs", "krävde", "krävdes", "krävt"),
    ("behöva", "behöver", "behövs", "behövde", "behövdes", "behövt"),
    ("använda", "använder", "används", "använde", "använt", "använts"),
    ("välja", "väljer", "väljs", "valde", "valdes", "valt"),
    ("köpa", "köper", "köpte", "köpt"),
    ("lägga", "lägger", "lade", "lagt"),
    ("höra", "hör", "hörde", "hört"),
]

# Words Snowball stems on its own and that no listed form may reach: endings like a past tense
# or a plural ("hade", "sade", "blade", "pride", "tiden", "värde", "kort", "hårt"), and forms
# left out of the list because they are also forms of other words.
UNTOUCHED = [
    "hade",
    "sade",
    "blade",
    "pride",
    "tiden",
    "orden",
    "jorden",
    "bilden",
    "värde",
    "borde",
    "kort",
    "hårt",
    "start",
    "expert",
    "rapport",
    "händer",
    "tänder",
    "följd",
    "följder",
    "höjd",
    "nämnd",
    "nämnden",
    "känd",
    "kända",
    "lärd",
    "anställd",
    "anställda",
    "vald",
    "valda",
    "förtroendevalda",
    "satt",
    "växt",
    "inför",
    "före",
    "stället",
]

APART = [
    ("händer", "handen"),  # "vad händer": happens, not hands
    ("händer", "hand"),
    ("tänder", "tand"),
    ("följd", "följer"),
    ("höjd", "höjer"),
    ("nämnd", "nämner"),
    ("anställda", "anställer"),
    ("förtroendevalda", "väljer"),
    ("kända", "känner"),
    ("sade", "säger"),
    ("hade", "har"),
    ("blade", "bla"),
    ("pride", "pris"),
    ("före", "förde"),
    ("stället", "ställde"),
]


def meets(query: str, text: str) -> bool:
    """Whether the query word finds the text word in the database engine."""
    primary, variants = word_terms(text)
    return bool(set(query_forms(query)) & {primary, *variants})


@pytest.mark.parametrize("family", FAMILIES, ids=lambda family: family[0])
def test_each_form_finds_every_other_form_of_its_word(family):
    """ "länder" finds "landet", "land" finds "länderna", "styrde" finds "styra" and "styr",
    "styra" finds "styrt" (as typed and as indexed, both ways)."""
    missed = [(q, t) for q, t in product(family, family) if not meets(q, t)]
    assert missed == []


@pytest.mark.parametrize(("query", "text"), APART)
def test_words_left_out_of_the_list_do_not_meet_the_listed_bases(query, text):
    assert not meets(query, text)


@pytest.fixture
def without_irregular_forms(monkeypatch):
    """The analysis as it was before the list: no irregular forms (caches cleared around)."""
    cached = (
        analysis.word_terms,
        analysis.word_forms,
        analysis.query_forms,
        analysis.term_forms,
    )

    def clear():
        for function in cached:
            function.cache_clear()

    clear()
    monkeypatch.setattr(analysis, "irregular_stems", dict)
    yield
    clear()


def _terms_without_the_list(words_):
    return {w: (word_terms(w), query_forms(w)) for w in words_}


def test_no_other_word_is_touched(request):
    """Whole words only: a word that is not listed is indexed and searched exactly as before
    ("hade", "blade", "pride", "tiden" keep their own terms and nothing else)."""
    listed = set(irregular_stems())
    assert not listed & set(UNTOUCHED)
    words_ = UNTOUCHED + sorted(_demo_vocabulary() - listed)
    with_list = {w: (word_terms(w), query_forms(w)) for w in words_}
    # (A compound whose last part is listed is also indexed under that part's base.)
    assert {"regl", "regel"} <= set(word_terms("arbetsmiljöregler")[1])
    request.getfixturevalue("without_irregular_forms")
    changed = [w for w, terms in _terms_without_the_list(words_).items() if terms != with_list[w]]
    assert changed == []
    assert "regel" not in word_terms("arbetsmiljöregler")[1]


def _demo_vocabulary() -> set[str]:
    """The words of the demo archive and of the search word lists (the archive's own Swedish)."""
    root = Path(analysis.__file__).resolve().parent.parent
    texts = [(root / "archive" / "demo" / "content.py").read_text(encoding="utf-8")]
    for path in sorted((root / "search" / "data").glob("*.txt")):
        if path.name != analysis.IRREGULAR_FORMS_FILE:
            texts.append(path.read_text(encoding="utf-8"))
    stop = analysis.stopwords()
    return {w for t in texts for w in analysis.words(t) if w.isalpha() and w not in stop}


def _meetings(words_) -> set[tuple[str, str]]:
    index: dict[str, set[str]] = {}
    for word in words_:
        primary, variants = word_terms(word)
        for term in (primary, *variants):
            index.setdefault(term, set()).add(word)
    return {(q, t) for q in words_ for term in query_forms(q) for t in index.get(term, ())}


def test_the_list_makes_no_unrelated_words_meet_in_the_archives_own_words(request):
    """Over the demo archive's words (with every listed form and base), what meets now and did
    not before is only the forms of one word: each new meeting is between two words of one
    family below (the base's own derivations, such as "ledare" and "regelverk", included)."""
    forms = read_irregular_forms(read_word_file(analysis.IRREGULAR_FORMS_FILE))
    words_ = _demo_vocabulary() | set(forms) | set(forms.values())
    now = _meetings(words_)
    request.getfixturevalue("without_irregular_forms")
    new = now - _meetings(words_)
    lemma = {**forms, **{base: base for base in forms.values()}}
    related = {
        "ledare": "leda",
        "leder": "leda",
        "leds": "leda",
        "led": "leda",
        "lärare": "lära",
        "lärande": "lära",
        "regelverk": "regel",
        "följer": "följa",
        "kräver": "kräva",
        "krävs": "kräva",
        "läser": "läsa",
        "gör": "göra",
        "mäter": "mäta",
        "möte": "möta",
        "möten": "möta",
        "mötet": "möta",
        "frukostmöte": "möta",
        "använder": "använda",
        "användare": "använda",
        "används": "använda",
        "behöver": "behöva",
        "behövs": "behöva",
        "hjälp": "hjälpa",
        "upplevelse": "uppleva",
        "upplevelser": "uppleva",
        "styr": "styra",
        "styrs": "styra",
        "styre": "styra",
        "styrelse": "styra",
        "styrelsen": "styra",
        "styrelser": "styra",
        "styrmodell": "styra",
        "styrsystem": "styra",
        "detaljstyra": "styra",
        "utförare": "utföra",
        "utförande": "utföra",
        "genomförande": "genomföra",
        "bedömer": "bedöma",
        "gäller": "gälla",
        "ersätter": "ersätta",
        "stödjande": "stödja",
        "användarna": "använda",
        "betyder": "betyda",
        "lägger": "lägga",
        "mätas": "mäta",
        "styras": "styra",
        # A surname that Snowball already stems as "brand" ("dt" → "d"), as "branden" stems.
        "brandt": "brand",
    }
    lemma.update(related)
    unrelated = sorted((q, t) for q, t in new if lemma.get(q, q) != lemma.get(t, t))
    assert unrelated == [], sorted({w for pair in unrelated for w in pair if w not in lemma})
    assert ("länder", "land") in new and ("styra", "styrde") in new  # not vacuous


def test_the_list_is_well_formed():
    lines = read_word_file(analysis.IRREGULAR_FORMS_FILE)
    forms = read_irregular_forms(lines)
    bases = [line.partition(":")[0].strip() for line in lines]
    assert all(":" in line for line in lines)
    assert len(bases) == len(set(bases))
    listed = [f for line in lines for f in line.partition(":")[2].split()]
    assert len(listed) == len(set(listed)), "a form listed under two bases"
    assert not set(listed) & analysis.stopwords()
    assert all(re.fullmatch(r"[a-zåäöé]+", w) for w in [*bases, *listed])
    # Lucene's Swedish stemmer (Snowball 2.0) stems the bases as Snowball 3 does: the two
    # differ only for words ending in -et and -öst.
    assert not [b for b in bases if b.endswith(("et", "öst"))]
    # A genitive or passive -s counts as listed; a listed form wins over another's -s form.
    assert forms["länders"] == forms["länder"] == "land"
    assert forms["styrdes"] == forms["styrts"] == "styra"
    assert read_irregular_forms(["a: xs", "b: x"]) == {"xs": "a", "x": "b"}
    assert irregular_stems()["bönder"] == stem("bonde") == "bond"


def test_a_query_for_an_irregular_form_also_searches_its_base():
    assert query_forms("länder") == ("länd", "land")
    assert query_forms("styrde") == ("styrd", "styr")
    assert "land" in word_terms("länderna")[1] and "styr" in word_terms("styrts")[1]
    parsed = analysis.parse_query("städer")
    assert ("stad",) in parsed.clauses[0].alternatives
    # A phrase's word meets its base written in the text too.
    assert ("land", "europ") in analysis.parse_query('"länder i europa"').clauses[0].alternatives
    # Highlighting marks the base's forms for the irregular query word.
    terms, phrases = analysis.parse_query("länder").marks()
    assert analysis.highlight("Landet och länderna.", terms, phrases) == (
        "<mark>Landet</mark> och <mark>länderna</mark>."
    )


# --- Elasticsearch: the same table, in the index settings (no cluster) ----------------------


@pytest.fixture(scope="module")
def es_analysis():
    from search.es_analysis import analysis_settings

    return analysis_settings()


def test_elasticsearch_overrides_the_listed_forms_to_their_base_stems(es_analysis):
    from search.es_analysis import irregular_rules

    filters = es_analysis["filter"]
    assert "sv_irregular, sv_stemmer" in filters["sv_stems"]["filters"]
    assert filters["sv_irregular"] == {"type": "stemmer_override", "rules": irregular_rules()}
    overrides = {}
    for rule in filters["sv_irregular"]["rules"]:
        sources, arrow, base = rule.partition(" => ")
        assert arrow and base, rule
        for source in sources.split(", "):
            assert source not in overrides, source
            overrides[source] = base
    assert overrides == irregular_stems()
    assert "länder, länderna, ländernas, länders => land" in filters["sv_irregular"]["rules"]


def _es_tokens(es_analysis, analyzer: str, word: str) -> set[str]:
    """What ``analyzer`` makes of one word (no synonyms or stop words here)."""
    from search.es_analysis import fold as es_fold

    from .test_es_mapping import run_filter

    tokens = {word}
    for name in es_analysis["analyzer"][analyzer]["filter"]:
        definition = es_analysis["filter"].get(name, {})
        if name == "sv_folding":
            tokens |= {es_fold(t) for t in tokens}
        elif name == "sv_stems":
            tokens = {s for t in tokens for s in run_filter(es_analysis, name, t)}
        elif definition.get("type") == "pattern_capture":  # compound parts, definite bases
            for pattern in definition["patterns"]:
                tokens |= {
                    g for t in tokens if (m := re.match(pattern, t)) for g in m.groups() if g
                }
    return tokens


def test_elasticsearch_settings_make_the_same_words_meet(es_analysis):
    """Run as the settings say (with the database engine's stemmer standing in for Lucene's),
    Elasticsearch's analyzers find exactly what the database engine finds among these words;
    ``test_es_live.py`` checks the same on a real cluster."""
    words_ = sorted({w for family in FAMILIES for w in family} | {w for p in APART for w in p})
    analysed = {
        w: {
            name: _es_tokens(es_analysis, name, w)
            for name in ("sv_index", "sv_search", "sv_folded_index", "sv_folded_search")
        }
        for w in words_
    }

    def es_meets(query: str, text: str) -> bool:
        q, t = analysed[query], analysed[text]
        return bool(q["sv_search"] & t["sv_index"] or q["sv_folded_search"] & t["sv_folded_index"])

    differ = [(q, t) for q in words_ for t in words_ if es_meets(q, t) != meets(q, t)]
    assert differ == []
    assert es_meets("länder", "landet") and es_meets("styra", "styrde")
    assert not es_meets("händer", "handen")


# --- Searching, on every engine -------------------------------------------------------------


@pytest.fixture
def inflections(seminar):
    seminar("Landet och staden", lead="Landet har många kommuner, och staden växer.")
    seminar("Europas länder", lead="Länderna och städerna samarbetar.")
    seminar("Att styra med tillit", lead="Regeringen vill styra myndigheterna och styr genom mål.")
    seminar("Så styrdes skolan", lead="Staten styrde skolan, och kommunerna har styrt den sedan.")
    seminar("Vad händer nu?", lead="Vi hade bråttom, sade hon, och tiden gick.")
    seminar("I första hand", lead="Handen på hjärtat: vi säger ifrån.")


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("länder", {"Landet och staden", "Europas länder"}),
        ("länderna", {"Landet och staden", "Europas länder"}),
        ("landet", {"Landet och staden", "Europas länder"}),
        ("land", {"Landet och staden", "Europas länder"}),
        ("städer", {"Landet och staden", "Europas länder"}),
        ("stad", {"Landet och staden", "Europas länder"}),
        ("styrde", {"Att styra med tillit", "Så styrdes skolan"}),
        ("styrt", {"Att styra med tillit", "Så styrdes skolan"}),
        ("styra", {"Att styra med tillit", "Så styrdes skolan"}),
        ("styr", {"Att styra med tillit", "Så styrdes skolan"}),
        ("händer", {"Vad händer nu?"}),  # happens: not the hands of "I första hand"
        ("sade", {"Vad händer nu?"}),
        ("säger", {"I första hand"}),
        ("tiden", {"Vad händer nu?"}),
    ],
)
def test_a_search_for_one_form_finds_the_others(engine, inflections, q, expected):
    results = run(engine, q)
    assert set(titles(results)) == expected


def test_the_base_is_marked_for_an_irregular_query(engine, inflections):
    results = run(engine, "länder")
    [hit] = [h for h in results.hits if h.title == "Landet och staden"]
    assert "<mark>Landet</mark>" in hit.snippet
