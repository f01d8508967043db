"""Swedish text analysis for the database search engine, identical on SQLite and PostgreSQL.

Index side: each word is lowercased, stop words go, and the word is kept as its Snowball Swedish
stem (the *primary* term, in text order, so phrases can be matched) plus *variant* terms that let
people find it as they really type: the diacritics-folded form (å→a, ä→a, ö→o, é→e), the stem
in its base form (:func:`definite_base`: "skolan" → "skol", as "skola" stems; "seminariet" →
"seminari", as "seminarier" stems), the stem of its base when it is an irregular form of
``data/sv_irregular_forms.txt`` (:func:`irregular_stems`: "länder" → "land", "styrde" →
"styr") and the stems of the dictionary words it is compounded from ("detaljstyrning" →
"detalj", "styrning"; "tillitsdelegationen" → "tillit", "delegation").

Query side: the same tokenising, stop words (also typed without diacritics: "for" is "för") and
stemming, each stem ending in a definite -an also searched without it, an irregular form also
by its base's stem ("länder" also as "land", so it finds "landet"); no decompounding (so
"detaljstyrning" finds only that); synonyms from ``data/synonyms_sv.txt`` expand a word or a run
of words into alternatives; "quoted text" is a phrase. The engine adds typo alternatives from its
vocabulary (:func:`edits1`) and, for the words of phrases typed without diacritics, the archive's
spellings with them (:meth:`ParsedQuery.add_spellings`).

Every function here is pure and cached where it pays, so indexing 100,000s of words is quick.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from html import escape
from itertools import islice, product
from math import prod
from pathlib import Path

import snowballstemmer

DATA_DIR = Path(__file__).resolve().parent / "data"
WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
QUOTED_RE = re.compile(r'"([^"]*)"')
MIN_PART = 4  # shortest compound part that is split out
MIN_FUZZY = 5  # shortest word that gets typo tolerance
FOLD_TABLE = str.maketrans(
    {
        "å": "a",
        "ä": "a",
        "ö": "o",
        "é": "e",
        "è": "e",
        "ê": "e",
        "à": "a",
        "á": "a",
        "ü": "u",
        "æ": "a",
        "ø": "o",
        "ç": "c",
        "í": "i",
        "ó": "o",
        "ú": "u",
        "ñ": "n",
    }
)
ALPHABET = "abcdefghijklmnopqrstuvwxyzåäöé"


def read_word_file(name: str) -> list[str]:
    """Non-empty, non-comment lines of a data file, stripped and lowercased."""
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [ln.strip().lower() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def fold(text: str) -> str:
    """``text`` without Swedish/Western diacritics: å, ä → a; ö → o; é → e."""
    return text.translate(FOLD_TABLE)


@cache
def stopwords() -> frozenset[str]:
    return frozenset(read_word_file("stopwords_sv.txt"))


@cache
def folded_stopwords() -> frozenset[str]:
    return frozenset(fold(w) for w in stopwords())


@cache
def compound_words() -> frozenset[str]:
    return frozenset(w for w in read_word_file("sv_compound_words.txt") if len(w) >= MIN_PART)


@cache
def _stemmer():
    return snowballstemmer.stemmer("swedish")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


# Talks in English: their words are stemmed by the Swedish rules like every other word (so
# phrases match the same primary stems), and each is also indexed under its English Snowball
# stem, marked with ENGLISH_MARK so it can never meet a Swedish term: "municipalities" and
# "municipality" stem to "municipaliti" and "municipality" by the Swedish rules, and both to
# "ǝmunicip" by the English ones. A query word is also searched by its marked English stem,
# which only the words of English talks are indexed under: Swedish talks never match
# "planering" by its English stem "planer". The mark is a letter no Swedish or English text
# has (U+01DD, turned e), so both databases' tokenizers keep it inside the term and no word
# of a text starts with it.
ENGLISH_MARK = "\u01dd"
ENGLISH = "en"  # archive.models.TalkLanguage.ENGLISH


@cache
def _english_stemmer():
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def english_term(word: str) -> str:
    """The marked English stem of a lowercased word: "municipalities" → "ǝmunicip"."""
    return ENGLISH_MARK + _english_stemmer().stemWord(word)


def is_english_term(term: str) -> bool:
    return term.startswith(ENGLISH_MARK)


def terms_for_language(terms: set[str], language: str) -> set[str]:
    """``terms`` as a seminar in ``language`` is indexed under them: without the English
    stems unless it is in English (so a Swedish snippet marks no word by its English stem)."""
    if language == ENGLISH:
        return terms
    return {t for t in terms if not is_english_term(t)}


# Singular definite forms of -a nouns: Snowball stems "skola" to "skol" but leaves "skolan" (and
# "skolans") as "skolan", so those forms would never meet. A stem ending in -an is therefore also
# indexed and searched without it, when at least three letters with a vowel are left and a
# consonant comes before -an ("plan", "man", "median" stay as they are), and it is not one of the
# words in data/sv_an_words.txt (adverbs and nouns whose base form ends in -an: "redan",
# "organ", "finans"). One regular expression over the stem, so Elasticsearch runs the very same
# rule (a pattern_capture filter after its stemmer, search/es_analysis.py).
CONSONANT = "[^aeiouyåäöé]"


def _exceptions(name: str) -> str:
    """A negative lookahead for the stems (also without diacritics) of the words in the data
    file ``name``: a rule's exceptions."""
    kept = sorted({s for w in read_word_file(name) for s in (stem(w), stem(fold(w)))})
    return f"(?!(?:{'|'.join(map(re.escape, kept))})$)" if kept else ""


@cache
def definite_an_pattern() -> str:
    """The definite -an rule as a regular expression over a stem (Python and Java syntax): its
    one group is the stem without -an."""
    return f"^{_exceptions('sv_an_words.txt')}(?=.{{5}})(.*[aeiouyåäöé].*{CONSONANT})an$"


# Snowball takes one ending off a word, so a word with two ("resultat-et", "myndighet-s",
# "arbet-en") keeps the inner one and does not meet its base: "resultatet" stems to
# "resultat" but "resultat" to "result"; "myndighets" to "myndighet" but "myndighet" to
# "mynd". Every stem is therefore also indexed and searched
# - stemmed once more ("resultat" → "result", "myndighet" → "mynd", "möten" → "möt");
# - for a neuter's definite -et after a consonant, without it and stemmed ("samhället" →
#   "samhäll", "projektet" → "projek", "förtroendet" → "förtroend", as their bases stem),
#   unless it ends in -het or is one of data/sv_et_words.txt ("internet", "raket");
# - for a definite -n after -i, -ö or -å, without it ("demokratin" → "demokrati", "miljön"
#   → "miljö", "nivån" → "nivå"), which Snowball leaves alone.
# Elasticsearch runs the same three as chains of one multiplexer filter (the Snowball stemmer
# twice; a pattern_replace of STRIP_ET then the stemmer; a pattern_replace of STRIP_N), with
# these very regular expressions (search/es_analysis.py).
@cache
def strip_et_pattern() -> str:
    """A stem's neuter definite -et, as a regular expression whose one group is the rest."""
    return f"^{_exceptions('sv_et_words.txt')}(?=.{{5}})(?!.*het$)(.*[aeiouyåäöé].*{CONSONANT})et$"


STRIP_N_PATTERN = "^(?=.{5})(.*[aeiouyåäöé].*[iöå])n$"


@cache
def _strip_res() -> tuple[re.Pattern, re.Pattern]:
    return re.compile(strip_et_pattern()), re.compile(STRIP_N_PATTERN)


@lru_cache(maxsize=200_000)
def restemmed(term: str) -> tuple[str, ...]:
    """The other stems a stem stands for (see above), sorted, without ``term`` itself."""
    strip_et, strip_n = _strip_res()
    forms = {stem(term)}
    if match := strip_et.match(term):
        forms.add(stem(match.group(1)))
    if match := strip_n.match(term):
        forms.add(match.group(1))
    forms.discard(term)
    return tuple(sorted(forms))


# Latin neuters and nouns ending in a stressed -i or -e: Snowball leaves "seminarium" and
# "seminariet" as they are but stems "seminarier" to "seminari" (so "webbinarium" did not find
# "webbinarier"), and likewise "museum", "museet" / "museer", "parti" / "partiet". A stem
# ending in -ium, -eum, -iet or -eet is therefore also indexed and searched without -um / -et,
# when a consonant comes before that i or e and at least five letters are there.
NEUTER_PATTERN = f"^(?=.{{5}})(.*{CONSONANT}[ie])(?:um|et)$"


@cache
def _definite_res() -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in definite_patterns())


def definite_patterns() -> list[str]:
    """The regular expressions (Python and Java syntax) of the base-form rules over a stem,
    each with one group, the base: definite -an and the neuter -um / -et. Elasticsearch runs
    them as one pattern_capture filter (search/es_analysis.py)."""
    return [definite_an_pattern(), NEUTER_PATTERN]


@lru_cache(maxsize=200_000)
def definite_base(term: str) -> str:
    """``term`` (a stem) in its base form: without a definite -an ("skolan" → "skol"), or
    without the -um / -et of a neuter ("seminarium", "seminariet" → "seminari", as
    "seminarier" stems; "museet" → "muse"); "" when no rule applies ("plan", "organ", "redan",
    "planet")."""
    for pattern in _definite_res():
        match = pattern.match(term)
        if match:
            return match.group(1)
    return ""


# Irregular forms: Snowball only takes endings off, so plurals with another vowel ("länder",
# "böcker") or without the base's last vowel ("regler"), and weak verbs' past tense, supine and
# participle ("styrde", "styrt", "styrd"), stem apart from their base ("land", "bok", "regel",
# "styra"). data/sv_irregular_forms.txt lists such words by base; each (also with an -s:
# "länders", "styrdes") is indexed and searched under its base's stem as well. A table of whole
# words, not a rule over endings, so no other word is touched ("hade", "blade", "pride",
# "tiden"), and a dictionary look-up per word. Elasticsearch runs the same table as a
# stemmer_override chain of its stems multiplexer (search/es_analysis.py).
IRREGULAR_FORMS_FILE = "sv_irregular_forms.txt"


def read_irregular_forms(lines: list[str]) -> dict[str, str]:
    """Each form of ``lines`` ("base: form form …") and the same with -s → its base word. A
    form listed as written wins over another's -s form; the first line that lists a form
    wins."""
    listed: dict[str, str] = {}
    for line in lines:
        base, _, forms = line.partition(":")
        for form in forms.split():
            listed.setdefault(form, base.strip())
    with_s = {f"{form}s": base for form, base in listed.items() if not form.endswith("s")}
    return {**with_s, **listed}


@cache
def irregular_stems() -> dict[str, str]:
    """Each irregular form (see above) → the stem of its base: "länder" → "land", "styrde" →
    "styr", "bönder" → "bond"."""
    forms = read_irregular_forms(read_word_file(IRREGULAR_FORMS_FILE))
    return {form: stem(base) for form, base in forms.items() if stem(base) != stem(form)}


@lru_cache(maxsize=50_000)
def term_forms(term: str) -> tuple[str, ...]:
    """The query terms one stemmed query word stands for: itself, its other stems
    (:func:`restemmed`), then the definite bases of those."""
    forms = [term, *restemmed(term)]
    forms += [base for base in map(definite_base, forms) if base]
    return tuple(dict.fromkeys(forms))


@lru_cache(maxsize=20_000)
def query_forms(word: str) -> tuple[str, ...]:
    """The terms a query word stands for: its stem, its definite base ("skolan" → "skol") and,
    for an -a noun, its definite form ("skola" → "skolan"): in a phrase each word must meet
    the primary stem written there ("skola och staten" finds "Skolan och staten"); for an
    irregular form, its base's stem ("länder" → "länd", "land")."""
    term = query_term(word)
    forms = term_forms(term)
    if base := irregular_stems().get(word):
        forms += tuple(
            f for f in dict.fromkeys((base, definite_base(base))) if f and f not in forms
        )
    if word.endswith("a"):
        definite = stem(word + "n")
        if definite not in forms and definite_base(definite) == term:
            forms += (definite,)
    return forms


def words(text: str) -> list[str]:
    """The lowercased words (letters and digits) of ``text``, in order, composed (NFC: an "ö"
    written as "o" + U+0308, as macOS and some PDFs do, is one letter of one word); ENGLISH_MARK
    (a turned e, which no Swedish or English text has) is read as "e", so no word is ever taken
    for a marked English stem."""
    text = unicodedata.normalize("NFC", text or "")
    return WORD_RE.findall(text.lower().replace(ENGLISH_MARK, "e"))


# Compounds are split only where the whole word is made of dictionary parts: one or two first
# parts (each a word of data/sv_compound_words.txt, or such a word without its final -a/-e,
# "skol" in "skolledning", "arbet" in "arbetsmiljö"), each optionally followed by a linking -s-,
# then the head, a dictionary word with an inflectional ending (HEAD_ENDINGS):
# "tillitsdelegationen" = tillit + s + delegation + en. A first part may also be one of
# data/sv_compound_modifiers.txt, which begin compounds but are not searched for by themselves
# ("äldre" in "äldreomsorgen", so "omsorg" finds it). A dictionary word inside another word is
# no part of it: "relevant" holds "elev", "sekunder" "kund", "samtidigt" "tidig", but none of
# them is made of dictionary words. The rule is two regular expressions over the lowercased
# word (Python and Java syntax), one preferring the fewest parts (the first parts as long as
# they can be: "tillitsbaserad" + "styrning") and one the most ("tillit" + "baserad" +
# "styrning"); a word's parts are the groups both capture. Elasticsearch runs the very same
# expressions as a pattern_capture filter (search/es_analysis.py), so both engines split alike.
HEAD_ENDINGS = (
    "a", "ad", "ade", "ande", "ar", "arna", "arnas", "ars", "as", "at", "de", "des", "e",
    "en", "ende", "ens", "er", "erna", "ernas", "ers", "es", "et", "ets", "n", "na", "nas",
    "ne", "ns", "or", "orna", "ornas", "ors", "r", "rna", "rnas", "rs", "s", "t", "te",
    "tes", "ts",
)  # fmt: skip
LINKING = "s"


def _trie_pattern(words, lazy: bool) -> str:
    """A regular expression matching any of ``words`` (letters), as a trie so that matching
    costs a few steps whatever the list's length; where one word continues another, the longer
    is tried first, or the shorter when ``lazy``."""
    trie: dict = {}
    for word in words:
        node = trie
        for letter in word:
            node = node.setdefault(letter, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(k) + build(child) for k, child in sorted(node.items()) if k]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" not in node:
            return body
        return f"(?:{body}){'??' if lazy else '?'}"

    return build(trie)


@lru_cache(maxsize=8)
def compound_patterns(words: tuple[str, ...], modifiers: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The two expressions of the compound rule (see above) for a dictionary of ``words``
    (MIN_PART letters or more) and first-part-only ``modifiers``: fewest parts, most parts.
    Their groups (at most three) are the parts; "" groups never occur."""
    words = tuple(w for w in words if len(w) >= MIN_PART)
    parts = {*words, *(w[:-1] for w in words if w[-1] in "ae" and len(w) > MIN_PART)}
    if not parts:
        return ()
    endings = _trie_pattern(HEAD_ENDINGS, lazy=False)

    def pattern(lazy: bool) -> str:
        first = f"({_trie_pattern(parts, lazy)})"
        if modifiers:
            first = f"(?:{first}|{_trie_pattern(modifiers, lazy)})"
        first += f"{LINKING}?"
        # fewest parts: one first part unless two are needed; most parts: two when they fit
        second = f"(?:{first}){'?' if lazy else '??'}"
        return f"^{first}{second}({_trie_pattern(parts, lazy)})(?:{endings})?$"

    return pattern(lazy=False), pattern(lazy=True)


@cache
def _compound_res() -> tuple[re.Pattern, ...]:
    words = tuple(sorted(compound_words()))
    modifiers = tuple(sorted(read_word_file("sv_compound_modifiers.txt")))
    return tuple(re.compile(p) for p in compound_patterns(words, modifiers))


@lru_cache(maxsize=200_000)
def compound_parts(word: str) -> tuple[str, ...]:
    """The dictionary parts ``word`` is compounded from, in order ("tillitsdelegationen" →
    "tillit", "delegation"; "tillitsbaseradstyrning" → "tillitsbaserad", "tillit", "baserad",
    "styrning"); () for a word that is not made of them all through ("relevant", "styrning")."""
    if len(word) < 2 * MIN_PART:
        return ()
    found = []
    for pattern in _compound_res():
        match = pattern.match(word)
        if match:
            found += [(match.start(g), -len(p), p) for g, p in enumerate(match.groups(), 1) if p]
    return tuple(dict.fromkeys(p for _start, _length, p in sorted(found)))


@lru_cache(maxsize=200_000)
def word_terms(word: str, english: bool = False) -> tuple[str, tuple[str, ...]]:
    """(primary, variants) index terms of one lowercased word; variants exclude the primary.
    A word of a talk in English (``english``) also has its marked English stem."""
    primary = stem(word)
    folded = stem(fold(word))
    variants = {fold(primary), folded, *restemmed(primary), *restemmed(folded)}
    if base := irregular_stems().get(word):
        variants.add(base)
    variants.update(filter(None, map(definite_base, (primary, *variants))))
    for part in compound_parts(word):
        part_stem = stem(part)
        variants.update((part_stem, fold(part_stem)))
        if base := irregular_stems().get(part):  # "arbetsmiljöregler": "regel" too
            variants.add(base)
    if english:
        variants.add(english_term(word))
    variants.discard(primary)
    return primary, tuple(sorted(variants))


@lru_cache(maxsize=200_000)
def word_forms(word: str) -> frozenset[str]:
    """Every term ``word`` is indexed under, in any language (for highlighting matches in
    stored text: see :func:`terms_for_language`)."""
    primary, variants = word_terms(word, english=True)
    return frozenset((primary, *variants))


#: Between the variant terms of one word and the next: no term holds it, FTS5 reads it as a
#: separator, and PostgreSQL puts a gap there (``PostgresIndex``), so a phrase can never be
#: made of the variants of two words (the variants of "öppenhetarna" and of "resultatdialog"
#: stood side by side as "öppenhet dialog").
VARIANT_GROUPS = " | "


@dataclass(frozen=True)
class AnalysedText:
    primary: str  # space-separated primary terms, in order (phrases match here)
    variants: str  # variant terms, each word's separated by VARIANT_GROUPS


def analyse(text: str, english: bool = False) -> AnalysedText:
    """Index terms of ``text``: primary stems in order and the extra variant terms (with the
    English stems when the text is a talk in English)."""
    return analyse_words(words(text), english)


def analyse_words(text_words: list[str], english: bool = False) -> AnalysedText:
    """:func:`analyse` of text already split by :func:`words`."""
    stop = stopwords()
    primary, variants = [], []
    for word in text_words:
        if word in stop:
            continue
        p, v = word_terms(word, english)
        primary.append(p)
        if v:
            variants.append(" ".join(v))
    return AnalysedText(" ".join(primary), VARIANT_GROUPS.join(variants))


def join_analysed(parts: list[AnalysedText]) -> AnalysedText:
    """The analysis of the texts of ``parts`` joined by spaces, without analysing them again."""
    return AnalysedText(
        " ".join(a.primary for a in parts if a.primary),
        VARIANT_GROUPS.join(a.variants for a in parts if a.variants),
    )


def vocabulary_words(text_words) -> set[str]:
    """Of words split by :func:`words`, those worth remembering for typo correction:
    alphabetic, 3+ letters, not stop words."""
    stop = stopwords()
    return {w for w in text_words if len(w) >= 3 and w.isalpha() and w not in stop}


# Query side ---------------------------------------------------------------------------------


@dataclass
class Clause:
    """One thing the query asks for: any one alternative must match (a tuple is a phrase)."""

    words: tuple[str, ...]  # the words typed, lowercased
    alternatives: list[tuple[str, ...]] = field(default_factory=list)
    quoted: bool = False  # "a phrase" or a prefix (till*): taken as typed, no typo alternatives
    # The alternatives that are other words (synonyms, ``data/synonyms_sv.txt``), not forms of
    # the words typed: they find seminars, but rank below the words typed (the database engine
    # scores them with the typed word's rarity at most: ``SqliteIndex._synonyms_as_typed``).
    synonyms: frozenset[tuple[str, ...]] = frozenset()

    def terms(self) -> set[str]:
        """Its index terms; a prefix term ends with "*" (``till*``)."""
        return {t for alt in self.alternatives for t in alt}

    def typed_alternatives(self) -> list[tuple[str, ...]]:
        """The alternatives that are forms of the words typed (not synonyms)."""
        return [alt for alt in self.alternatives if alt not in self.synonyms]

    def synonym_alternatives(self) -> list[tuple[str, ...]]:
        return [alt for alt in self.alternatives if alt in self.synonyms]


MAX_PHRASE_FORMS = 32  # spellings of one phrase searched at most (each word's own first)


def phrase_forms(terms: tuple[str, ...], forms=term_forms) -> list[tuple[str, ...]]:
    """Every combination of the forms of ``terms`` (``forms``: term → its forms, itself first),
    the typed terms first; at most MAX_PHRASE_FORMS."""
    return list(islice(product(*(forms(t) for t in terms)), MAX_PHRASE_FORMS))


def _forms_of_alternatives(alternatives, forms=term_forms) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for alt in alternatives:
        out.extend(a for a in phrase_forms(alt, forms) if a not in out)
    return out


@dataclass
class ParsedQuery:
    text: str
    clauses: list[Clause]
    phrase: tuple[str, ...] = ()  # primary terms in typed order; a phrase boost when 2+
    excluded: list[Clause] = field(default_factory=list)  # -word, -"a phrase", NOT word
    # ``phrase`` and its other forms (definite bases, archive spellings): any one gets the boost
    phrases: list[tuple[str, ...]] = field(default_factory=list)

    def __post_init__(self):
        if self.phrase and not self.phrases:
            self.phrases = phrase_forms(self.phrase)

    @property
    def empty(self) -> bool:
        return not self.clauses

    def terms(self) -> set[str]:
        return {t for c in self.clauses for t in c.terms()}

    def marks(self) -> tuple[set[str], set[tuple[str, ...]]]:
        """What results mark, ``(terms, phrases)``: a synonym of several words ("sveriges
        kommuner och regioner" for "SKR") only where its words stand together (``phrases``),
        the other alternatives' words wherever they stand (``terms``)."""
        phrases = {a for c in self.clauses for a in c.synonym_alternatives() if len(a) > 1}
        terms = {t for c in self.clauses for a in c.alternatives if a not in phrases for t in a}
        return terms, phrases

    def phrase_terms(self) -> set[str]:
        """The terms that must stand in a row somewhere: those of phrases (quoted, or an
        alternative of several words) and of the phrase boost."""
        clauses = [*self.clauses, *self.excluded]
        in_phrases = {t for c in clauses for alt in c.alternatives if len(alt) > 1 for t in alt}
        return in_phrases | {t for p in self.phrases for t in p}

    def drop_english(self) -> None:
        """Search no word by its English stem (an archive without talks in English has none
        indexed; each is one more term for the database to look up)."""
        for clause in (*self.clauses, *self.excluded):
            clause.alternatives = [
                alt for alt in clause.alternatives if not any(map(is_english_term, alt))
            ]

    def add_spellings(self, spellings: dict[str, set[str]]) -> None:
        """Let each phrase also match with a term spelled as in ``spellings`` (term → other
        terms, e.g. "frag" → {"fråg"}): phrases match the primary stems in text order, where a
        word typed without diacritics is not. Single words need nothing: their folded
        spellings are indexed as variants."""
        if not spellings:
            return

        def forms(term: str) -> tuple[str, ...]:
            return (term, *sorted(spellings.get(term, ())))

        for clause in (*self.clauses, *self.excluded):
            if any(len(alt) > 1 for alt in clause.alternatives):
                typed = set(_forms_of_alternatives(clause.typed_alternatives(), forms))
                clause.alternatives = _forms_of_alternatives(clause.alternatives, forms)
                clause.synonyms = frozenset(a for a in clause.alternatives if a not in typed)
        if self.phrases:
            self.phrases = _forms_of_alternatives(self.phrases, forms)[:MAX_PHRASE_FORMS]


# Search syntax: the few operators researchers type (as in web search engines) ----------------

TOKEN_RE = re.compile(r'-?"[^"]*"?|\S+')
# Boost and fuzziness marks of Lucene-style syntax (tillit^2, "a b"~3, styrning~): dropped, so
# their digits are not searched as words; a number standing alone ("2025") stays a word.
MODIFIER_RE = re.compile(r"[\^~][\d.]*$")
AND_OPERATORS = ("AND", "&&", "+")


@dataclass
class QuerySyntax:
    """A query split into what it asks for: ``groups`` of units (a word or a "quoted phrase")
    in typed order, where a group of two or more is "any of these" (``a OR b``), and the
    ``excluded`` units (``-word``, ``-"a phrase"``, ``NOT word``)."""

    groups: list[list[str]]
    excluded: list[str]

    @property
    def plain(self) -> str:
        """The units that stand alone, in order (they are all required), prefixes apart; without
        operators, the whole query as words and phrases to search (what both engines search)."""
        return " ".join(g[0] for g in self.groups if len(g) == 1 and not prefix_of(g[0]))

    @property
    def prefixes(self) -> list[str]:
        """Stand-alone prefixes (``till*``), each required: the letters before the star."""
        return [prefix_of(g[0]) for g in self.groups if len(g) == 1 and prefix_of(g[0])]

    @property
    def alternatives(self) -> list[list[str]]:
        return [g for g in self.groups if len(g) > 1]

    @property
    def has_operators(self) -> bool:
        return bool(self.excluded or self.alternatives or self.prefixes)


MIN_PREFIX = 3  # "ti*" would match half the vocabulary


def prefix_of(unit: str) -> str:
    """``till*`` → "till" (lowercased); "" when ``unit`` is not a prefix of 3+ letters."""
    if not unit.endswith("*"):
        return ""
    stem_ = unit.rstrip("*").lower()
    return stem_ if len(stem_) >= MIN_PREFIX and WORD_RE.fullmatch(stem_) else ""


def split_syntax(text: str) -> QuerySyntax:
    """``tillit OR förtroende -skola "öppna data"`` → groups [[tillit, förtroende], ["öppna
    data"]], excluded [skola]. OR (capitals) joins the units on either side, as in web search:
    ``a b OR c d`` asks for a, b or c, and d. AND (capitals, or ``&&``) is the default and
    dropped; a dangling operator (leading, trailing, or before another) is ignored. A hyphen
    inside a word (e-tjänst) is part of the word; a boost or fuzziness mark (``tillit^2``,
    ``"a b"~3``) is dropped."""
    groups: list[list[str]] = []
    excluded: list[str] = []
    join_next = exclude_next = False
    for token in TOKEN_RE.findall(" ".join((text or "").split())):
        token = MODIFIER_RE.sub("", token)
        if not token:
            continue
        if token == "OR":
            join_next = bool(groups)
            continue
        if token in AND_OPERATORS:
            continue
        if token == "NOT":
            exclude_next = True
            continue
        if token.startswith("-") and len(token) > 1:
            excluded.append(token[1:])
            exclude_next = join_next = False
            continue
        if token.startswith("+") and len(token) > 1:
            token = token[1:]
        if exclude_next:
            excluded.append(token)
            exclude_next = join_next = False
            continue
        if join_next:
            groups[-1].append(token)
        else:
            groups.append([token])
        join_next = False
    return QuerySyntax(groups, excluded)


def query_words(text: str) -> list[str]:
    """Query words without stop words, also when typed without diacritics ("for" = "för")."""
    stop, folded_stop = stopwords(), folded_stopwords()
    return [w for w in words(text) if w not in stop and fold(w) not in folded_stop]


def query_term(word: str) -> str:
    return stem(word)


def _synonym_key(terms) -> tuple[str, ...]:
    return tuple(fold(t) for t in terms)


@cache
def synonyms() -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """Synonym groups from ``data/synonyms_sv.txt``: folded term tuple → alternatives (terms)."""
    table: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for line in read_word_file("synonyms_sv.txt"):
        if "=>" in line:
            left, right = line.split("=>", 1)
            sources = [s for s in left.split(",") if s.strip()]
            targets = [s for s in right.split(",") if s.strip()]
        else:
            sources = targets = [s for s in line.split(",") if s.strip()]
        target_terms = [tuple(map(query_term, query_words(t))) for t in targets]
        target_terms = [t for t in target_terms if t]
        for source in sources:
            key = _synonym_key(map(query_term, query_words(source)))
            if key:
                alternatives = table.setdefault(key, [])
                for t in [tuple(map(query_term, query_words(source))), *target_terms]:
                    if t not in alternatives:
                        alternatives.append(t)
    return table


def _expand(words_: list[str]) -> list[Clause]:
    """Clauses for a run of unquoted words, longest synonym match first."""
    table = synonyms()
    longest = max((len(k) for k in table), default=1)
    terms = [query_term(w) for w in words_]
    clauses, i = [], 0
    while i < len(terms):
        for size in range(min(longest, len(terms) - i), 0, -1):
            key = _synonym_key(terms[i : i + size])
            if key in table:
                alternatives = _forms_of_alternatives(table[key])
                # the words typed, also as the synonym list spells them ("forvaltning" typed)
                typed = [tuple(terms[i : i + size])]
                typed += [alt for alt in table[key] if _synonym_key(alt) == key]
                typed_forms = set(_forms_of_alternatives(typed))
                if size == 1:
                    alternatives.append((english_term(words_[i]),))
                    typed_forms.add((english_term(words_[i]),))
                others = frozenset(a for a in alternatives if a not in typed_forms)
                clauses.append(Clause(tuple(words_[i : i + size]), alternatives, synonyms=others))
                i += size
                break
        else:
            forms = [*query_forms(words_[i]), english_term(words_[i])]
            clauses.append(Clause((words_[i],), [(t,) for t in dict.fromkeys(forms)]))
            i += 1
    return clauses


def parse_query(text: str) -> ParsedQuery:
    """The clauses of a search query: quoted phrases, synonym groups and single words, every
    one required; ``a OR b`` is one clause matching either; ``-word`` / ``NOT word`` are
    ``excluded`` (see :func:`split_syntax`)."""
    text = " ".join((text or "").split())
    syntax = split_syntax(text)
    if not syntax.has_operators:
        return _parse_plain(syntax.plain)
    parsed = _parse_plain(syntax.plain)
    clauses = list(parsed.clauses)
    clauses += [_prefix_clause(prefix) for prefix in syntax.prefixes]
    for group in syntax.alternatives:
        words_: list[str] = []
        alternatives: list[tuple[str, ...]] = []
        typed: set[tuple[str, ...]] = set()
        for unit in group:
            for clause in _unit_clauses(unit):
                words_.extend(clause.words)
                alternatives.extend(a for a in clause.alternatives if a not in alternatives)
                typed.update(clause.typed_alternatives())
        if alternatives:
            synonyms = frozenset(a for a in alternatives if a not in typed)
            clauses.append(Clause(tuple(words_), alternatives, synonyms=synonyms))
    excluded = [c for unit in syntax.excluded for c in _unit_clauses(unit)]
    return ParsedQuery(text, clauses, parsed.phrase, excluded, parsed.phrases)


def _prefix_clause(prefix: str) -> Clause:
    """Words starting with ``prefix``: matched against the indexed stems and their variants
    (so "forvalt*" finds "förvaltning" too, through its folded variant)."""
    return Clause((f"{prefix}*",), [(f"{prefix}*",)], quoted=True)


def _unit_clauses(unit: str) -> list[Clause]:
    prefix = prefix_of(unit)
    return [_prefix_clause(prefix)] if prefix else _parse_plain(unit).clauses


def close_quotes(text: str) -> str:
    """``text`` with an unclosed quote closed at its end: ``"öppna data`` is the phrase."""
    return text + '"' if text.count('"') % 2 else text


def _parse_plain(text: str) -> ParsedQuery:
    """:func:`parse_query` of text without operators."""
    clauses: list[Clause] = []
    phrase: list[str] = []  # the words' stems, in typed order
    forms: list[tuple[str, ...]] = []  # each word's query forms
    position = 0
    for match in QUOTED_RE.finditer(close_quotes(text)):
        before = query_words(text[position : match.start()])
        clauses.extend(_expand(before))
        phrase.extend(query_term(w) for w in before)
        forms.extend(map(query_forms, before))
        quoted = query_words(match.group(1))
        if quoted:
            terms = tuple(query_term(w) for w in quoted)
            options = [query_forms(w) for w in quoted]
            alternatives = phrase_forms(tuple(range(len(quoted))), options.__getitem__)
            clauses.append(Clause(tuple(quoted), alternatives, quoted=True))
            phrase.extend(terms)
            forms.extend(options)
        position = match.end()
    rest = query_words(text[position:].replace('"', " "))
    clauses.extend(_expand(rest))
    phrase.extend(query_term(w) for w in rest)
    forms.extend(map(query_forms, rest))
    # The same clause twice ("styrning styrningen") asks for nothing more.
    unique: dict[tuple, Clause] = {}
    for clause in clauses:
        unique.setdefault(tuple(clause.alternatives), clause)
    if len(phrase) < 2:
        return ParsedQuery(text, list(unique.values()))
    phrases = phrase_forms(tuple(range(len(forms))), forms.__getitem__)
    return ParsedQuery(text, list(unique.values()), tuple(phrase), phrases=phrases)


def as_typed(suggestion: str, typed: str) -> str:
    """``suggestion`` (lowercase, from the index) capitalised where ``typed`` was, word by word:
    "Åkeson" → "Åkesson", not "åkesson"."""
    typed_words, words_ = typed.split(), suggestion.split()
    if len(typed_words) != len(words_):
        return suggestion
    return " ".join(
        w[:1].upper() + w[1:] if t[:1].isupper() else w
        for w, t in zip(words_, typed_words, strict=True)
    )


DIACRITIC_OPTIONS = {"a": "aåä", "o": "oö", "e": "eé"}
MAX_SPELLINGS = 3**6


def diacritic_spellings(term: str) -> set[str]:
    """What ``term`` (a word or a stem), typed without diacritics, may stand for: "fraga" →
    {"fråga", "fräga", "frågå", …} (not itself). None for a term with diacritics (taken as
    typed), nor for one with more than MAX_SPELLINGS spellings (é is then left out first)."""
    if fold(term) != term:
        return set()
    for table in (DIACRITIC_OPTIONS, {k: v for k, v in DIACRITIC_OPTIONS.items() if k != "e"}):
        options = [table.get(ch, ch) for ch in term]
        if prod(map(len, options)) <= MAX_SPELLINGS:
            return {"".join(letters) for letters in product(*options)} - {term}
    return set()


def edits1(word: str) -> set[str]:
    """Every string one deletion, substitution, insertion or transposition away from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in ALPHABET if c != b[0]}
    inserts = {a + c + b for a, b in splits for c in ALPHABET}
    return (deletes | transposes | replaces | inserts) - {word}


# Highlighting -------------------------------------------------------------------------------


def matches_terms(word: str, terms: set[str]) -> bool:
    """Whether lowercased ``word`` is indexed under one of ``terms`` (a term ending with "*"
    is a prefix of such a term)."""
    forms = word_forms(word)
    if not forms.isdisjoint(terms):
        return True
    return any(form.startswith(term[:-1]) for term in terms if term.endswith("*") for form in forms)


def _marked(text: str, terms: set[str], phrases=()) -> list[re.Match]:
    """The words of ``text`` to mark: each indexed under one of ``terms``, and each of a run of
    words that stands for one of ``phrases`` (term tuples; stop words between them skipped, as
    the index skips them), which are marked nowhere else."""
    found = list(WORD_RE.finditer(text))
    marked = [bool(terms) and matches_terms(m.group().lower(), terms) for m in found]
    if phrases:
        stop = stopwords()
        kept = [i for i, m in enumerate(found) if m.group().lower() not in stop]
        forms = [word_forms(found[i].group().lower()) for i in kept]
        for phrase in phrases:
            for k in range(len(kept) - len(phrase) + 1):
                if all(term in forms[k + j] for j, term in enumerate(phrase)):
                    for i in kept[k : k + len(phrase)]:
                        marked[i] = True
    return [m for m, on in zip(found, marked, strict=True) if on]


def highlight(text: str, terms: set[str], phrases=()) -> str:
    """``text`` HTML-escaped, each word indexed under one of ``terms``, and each word of a run
    standing for one of ``phrases``, wrapped in ``<mark>``."""
    out, position = [], 0
    for match in _marked(text, terms, phrases) if terms or phrases else ():
        out.append(escape(text[position : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out)


def first_match(text: str, terms: set[str], phrases=()) -> int | None:
    """Character offset of the first word of ``text`` that :func:`highlight` marks."""
    marked = _marked(text, terms, phrases)
    return marked[0].start() if marked else None


def snippet(text: str, terms: set[str], width: int = 220, phrases=()) -> str:
    """A highlighted excerpt of ``text`` around its first match (or its start), about ``width``
    characters, cut at word boundaries with "…" where text was left out (``phrases``: see
    :func:`highlight`)."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    at = first_match(text, terms, phrases) if terms or phrases else None
    start = 0 if at is None or at < width // 3 else at - width // 3
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < at else start
    end = start + width
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    excerpt = highlight(text[start:end], terms, phrases)
    return ("…" if start else "") + excerpt + ("…" if end < len(text) else "")
