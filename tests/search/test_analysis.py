"""Swedish text analysis: the same terms on SQLite and PostgreSQL, so identical results."""

import pytest

from search import analysis
from search.analysis import (
    analyse,
    edits1,
    fold,
    highlight,
    is_english_term,
    parse_query,
    snippet,
)


def terms(text):
    result = analyse(text)
    return set(result.primary.split()) | set(result.variants.split())


def swedish(clauses):
    """Each clause's alternatives without the English stem every query word is also searched
    by (only talks in English are indexed under those)."""
    return [[a for a in c.alternatives if not is_english_term(a[0])] for c in clauses]


def test_inflections_share_one_stem():
    assert len({analyse(w).primary for w in ("styrning", "styrningen", "styrningar")}) == 1
    assert analyse("myndigheten").primary == analyse("myndigheterna").primary


def test_stop_words_are_dropped_also_without_diacritics():
    assert analyse("och det är för att").primary == ""
    assert [c.words for c in parse_query("ledning for foretag").clauses] == [
        ("ledning",),
        ("foretag",),
    ]


def test_diacritics_are_kept_and_also_folded():
    indexed = terms("Företagens ägare")
    assert {"företag", "foretag"} <= indexed
    assert fold("åsa öberg é") == "asa oberg e"
    assert {t for t in parse_query("företag").terms() if not is_english_term(t)} <= indexed
    assert {t for t in parse_query("foretag").terms() if not is_english_term(t)} <= indexed


def test_compounds_are_split_into_dictionary_words_with_linking_s():
    assert {"detalj", "styrning"} <= terms("detaljstyrning")
    assert {"tillit", "delegation"} <= terms("tillitsdelegationen")
    assert "tillitsdelegation" in analyse("tillitsdelegationen").primary
    # A word is never split into itself, and short words are left alone.
    assert analysis.compound_parts("styrning") == ()
    assert analysis.compound_parts("chef") == ()


def test_compound_word_list_is_our_own_plain_list():
    text = (analysis.DATA_DIR / "sv_compound_words.txt").read_text(encoding="utf-8")
    assert "project's own list" in text
    words = analysis.read_word_file("sv_compound_words.txt")
    assert len(words) >= 250
    assert all(w == w.strip().lower() and " " not in w for w in words)
    assert {
        "styrning",
        "tillit",
        "delegation",
        "detalj",
        "ledning",
        "kompetens",
        "försörjning",
        "offentlig",
        "sektor",
        "digitalisering",
        "myndighet",
        "kommun",
        "landsting",
        "region",
        "medarbetare",
        "chef",
        "frukost",
    } <= set(words)


def test_synonyms_expand_single_words_and_phrases():
    (clause,) = parse_query("NPM").clauses
    assert ("new", "public", "management") in clause.alternatives
    (clause,) = parse_query("new public management").clauses
    assert ("npm",) in clause.alternatives
    expected = tuple(analysis.stem(w) for w in ("artificiell", "intelligens"))
    assert expected in parse_query("ai").clauses[0].alternatives


def test_quoted_phrase_is_one_clause():
    parsed = parse_query('kommun "tillitsbaserad styrning"')
    assert [c.quoted for c in parsed.clauses] == [False, True]
    assert parsed.clauses[1].alternatives == [
        ("tillitsbaser", "styrning"),
        ("tillitsbas", "styrning"),  # its stem stemmed again (see restemmed)
    ]
    assert parsed.phrase == ("kommun", "tillitsbaser", "styrning")
    assert parse_query('"oavslutat citat').clauses[0].words == ("oavslutat", "citat")


def test_empty_and_stop_word_queries_are_empty():
    assert parse_query("").empty
    assert parse_query("  och i  ").empty


def test_edits1_covers_typos():
    candidates = edits1("styrnnig")
    assert "styrning" in candidates  # transposition
    assert "styrnig" in edits1("styrnig" + "x")  # deletion
    assert "företag" in edits1("foretag")  # one substitution


def test_highlight_escapes_before_marking():
    html = highlight("<b>Styrningen</b> & detaljstyrning", {"styrning"})
    assert html == ("&lt;b&gt;<mark>Styrningen</mark>&lt;/b&gt; &amp; <mark>detaljstyrning</mark>")


def test_snippet_centres_on_the_first_match():
    middle = "Här talar vi om kompetensförsörjning i regionerna. "
    text = "Inledning. " * 40 + middle + "Slut. " * 40
    result = snippet(text, {"kompetensforsorjning", "kompetensförsörjning"}, width=120)
    assert result.startswith("…") and result.endswith("…")
    assert "<mark>kompetensförsörjning</mark>" in result
    assert len(result) < 200
    assert snippet("Kort text.", set()) == "Kort text."


@pytest.mark.parametrize(
    "text, groups, excluded",
    [
        ("tillit OR förtroende", [["tillit", "förtroende"]], []),
        ("a b OR c d", [["a"], ["b", "c"], ["d"]], []),  # OR joins its neighbours
        ('klimat -skola -"öppna data"', [["klimat"]], ["skola", '"öppna data"']),
        ("klimat NOT skola AND budget", [["klimat"], ["budget"]], ["skola"]),
        ("e-tjänst -", [["e-tjänst"], ["-"]], []),  # a hyphen inside a word is the word's
        ("OR tillit OR", [["tillit"]], []),  # dangling operators are ignored
        ("or and not", [["or"], ["and"], ["not"]], []),  # only capitals are operators
    ],
)
def test_search_syntax(text, groups, excluded):
    from search.analysis import split_syntax

    syntax = split_syntax(text)
    assert (syntax.groups, syntax.excluded) == (groups, excluded)


def test_a_trailing_star_is_a_prefix_of_three_letters_or_more():
    from search.analysis import parse_query, split_syntax

    assert split_syntax("digitali* styrning").prefixes == ["digitali"]
    assert split_syntax("digitali* styrning").plain == "styrning"
    assert split_syntax("di* styrning").prefixes == []  # too short: the word "di"
    parsed = parse_query("digitali* OR klimat -förvalt*")
    assert swedish(parsed.clauses) == [[("digitali*",), ("klim",)]]
    assert [c.alternatives for c in parsed.excluded] == [[("förvalt*",)]]
    assert highlight("Digitaliserade tjänster", {"digitali*"}) == (
        "<mark>Digitaliserade</mark> tjänster"
    )


def test_or_is_one_clause_and_exclusions_are_apart():
    from search.analysis import parse_query

    parsed = parse_query("klimatet OR budgeten -skolan ledning")
    # "klimatet" is also "klim", as "klimat" stems (see test_a_word_with_two_endings_...)
    assert swedish(parsed.clauses) == [[("ledning",)], [("klimat",), ("klim",), ("budget",)]]
    # "skolan" is also "skola" (the definite base, see test_definite_forms_...)
    assert swedish(parsed.excluded) == [[("skolan",), ("skol",)]]
    assert "skolan" not in parsed.terms()  # never highlighted
    plain = parse_query("klimatet budgeten")
    assert plain.excluded == [] and len(plain.clauses) == 2


def test_definite_forms_of_a_nouns_meet_their_base_form():
    """Snowball stems "skola" to "skol" but leaves "skolan"/"skolans" alone."""
    from search.analysis import definite_base, parse_query, word_terms

    assert "skol" in word_terms("skolan")[1] and "skol" in word_terms("skolans")[1]
    assert {"fråg", "frag"} <= set(word_terms("frågan")[1])  # also without diacritics
    assert swedish(parse_query("skolans").clauses) == [[("skolan",), ("skol",)]]
    assert swedish(parse_query("skola").clauses) == [[("skol",), ("skolan",)]]
    assert parse_query('"skola i staten"').clauses[0].alternatives == [
        ("skol", "stat"),
        ("skolan", "stat"),
    ]
    for word in ("kvinnan", "samverkan", "kollegan", "nyttan", "gatan"):
        assert definite_base(word) == word[:-2], word
    # Not a definite form: too short, a vowel before -an, or a listed word (data/sv_an_words.txt)
    for word in ("plan", "jan", "median", "organ", "roman", "redan", "innan", "finans", "balans"):
        stem_ = word_terms(word)[0]
        assert not definite_base(stem_), word
        assert word_terms(word) == (stem_, tuple(sorted({fold(stem_)} - {stem_}))), word
    assert not definite_base("sallan")  # "sällan" typed without diacritics
    # Stop words stay stop words.
    assert parse_query("sedan utan man kan").empty
    assert word_terms("organen")[0] == word_terms("organ")[0] == "organ"


def test_neuter_forms_in_um_and_et_meet_their_plural():
    """Snowball stems "webbinarier" to "webbinari" but leaves "webbinarium" and "webbinariet":
    a researcher typing any form of a Latin neuter (or of "parti", "museum") finds the others."""
    from search.analysis import definite_base, parse_query, stem

    for forms, base in (
        (
            ("webbinarium", "webbinariet", "webbinariets", "webbinarier", "webbinarierna"),
            "webbinari",
        ),
        (("seminarium", "seminariet", "seminarier"), "seminari"),
        (("museum", "museet", "museer"), "muse"),
        (("partiet", "partier", "parti"), "parti"),
        (("jubileum", "jubileet"), "jubile"),
    ):
        for word in forms:
            assert base in {stem(word), definite_base(stem(word))}, word
    assert swedish(parse_query("webbinariet").clauses) == [[("webbinariet",), ("webbinari",)]]
    # Not such a form: no i or e before -um/-et, a vowel before that i or e, or too short.
    for word in ("planet", "komet", "raket", "kvalitet", "societet", "forum", "datum", "diet"):
        assert not definite_base(stem(word)), word


@pytest.mark.parametrize(
    "text, plain",
    [
        ("tillit AND styrning", "tillit styrning"),
        ("tillit && styrning", "tillit styrning"),
        ("AND tillit AND", "tillit"),
        ("tillit OR", "tillit"),
        ("OR tillit", "tillit"),
        ("tillit NOT", "tillit"),
        ("tillit^2", "tillit"),
        ("tillit^2.5 styrning~ budget~2", "tillit styrning budget"),
        ('"öppna data"^3 2025', '"öppna data" 2025'),  # a number standing alone is a word
        ("tillit ^2", "tillit"),
    ],
)
def test_and_dangling_operators_and_boosts_add_no_words(text, plain):
    from search.analysis import parse_query, split_syntax

    syntax = split_syntax(text)
    assert not syntax.has_operators and syntax.plain == plain
    parsed, expected = parse_query(text), parse_query(plain)
    assert swedish(parsed.clauses) == swedish(expected.clauses)
    assert parsed.phrases == expected.phrases


def test_phrases_also_match_as_the_archive_spells_them():
    """The engine finds "fråg" for "frag" in its vocabulary; the phrase and its boost take it."""
    from search.analysis import diacritic_spellings, parse_query

    assert {"fråga", "fräga"} <= diacritic_spellings("fraga")
    assert "fraga" not in diacritic_spellings("fraga")
    assert diacritic_spellings("fråga") == set()  # typed with diacritics: as typed
    parsed = parse_query('"enkel fraga" kvalitet')
    parsed.add_spellings({"frag": {"fråg"}})
    assert parsed.clauses[0].alternatives[0] == ("enkel", "frag")  # as typed first
    assert set(parsed.clauses[0].alternatives) == {
        ("enkel", "frag"),
        ("enkel", "fragan"),
        ("enkel", "fråg"),
    }
    assert ("enkel", "fråg", "kvalitet") in parsed.phrases
    single = parse_query("fraga")
    single.add_spellings({"frag": {"fråg"}})
    assert swedish(single.clauses) == [[("frag",), ("fragan",)]]  # variants find it


@pytest.mark.parametrize(
    "family",
    [
        ("resultat", "resultatet", "resultaten", "resultatets"),
        ("myndighet", "myndigheten", "myndigheter", "myndighets", "myndigheternas"),
        ("arbete", "arbetet", "arbeten", "arbetena"),
        ("samhälle", "samhället", "samhällen", "samhällets"),
        ("demokrati", "demokratin", "demokratier", "demokratins"),
        ("miljö", "miljön", "miljöer"),
        ("arbetsmiljö", "arbetsmiljön"),
        ("nivå", "nivån", "nivåer"),
        ("projekt", "projektet", "projekten"),
        ("förtroende", "förtroendet", "förtroendets"),
        ("klimat", "klimatet"),
    ],
)
def test_a_word_with_two_endings_meets_its_other_forms(family):
    """Snowball takes one ending off: "resultatet" stemmed to "resultat" but "resultat" to
    "result", "myndighets" to "myndighet" but "myndighet" to "mynd", and "demokratin",
    "miljön" kept their -n. Each form now finds every other (as typed and as indexed)."""
    from search.analysis import query_forms, word_terms

    for typed in family:
        wanted = set(query_forms(typed))
        for written in family:
            primary, variants = word_terms(written)
            assert wanted & {primary, *variants}, (typed, written)


def test_the_second_stemming_leaves_unrelated_words_apart():
    from search.analysis import query_forms, word_terms

    for typed, written in [
        ("intern", "internet"),
        ("rak", "raket"),
        ("bank", "banket"),
        ("mark", "market"),
        ("budg", "budget"),
    ]:
        primary, variants = word_terms(written)
        assert not set(query_forms(typed)) & {primary, *variants}, (typed, written)
