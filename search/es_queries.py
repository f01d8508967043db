"""Pure query building and response parsing for the Elasticsearch engine (no I/O here).

``build_search(query)`` returns an ``elasticsearch.dsl.Search`` whose ``to_dict()`` is the request
body; ``parse_response(query, raw)`` turns the raw response dict into ``SearchResults``. Both are
tested without a cluster (``tests/search/test_es_queries.py``).

Relevance, in short: every word of the query must occur somewhere in the seminar (in the Swedish
analysed fields, without diacritics in the ``folded`` fields, or with a typo in the ``plain``
fields, which score lower); an exact phrase adds a large boost; transcript segments and slide
pages that contain the query are returned as ``inner_hits`` ("moments" and "slide hits"),
narrowed to the chosen speakers when filtering by speaker ("who said it"). Filters go into
``post_filter`` and every facet aggregation applies all active filters except its own, so a
facet lists what choosing one more value of it would give.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from html import escape

from django.conf import settings
from django.utils.translation import gettext as _
from elasticsearch.dsl import A, Q, Search

from archive.transcript_formats import time_param
from search.analysis import (
    QUOTED_RE,
    QuerySyntax,
    as_typed,
    close_quotes,
    prefix_of,
    split_syntax,
    words,
)
from search.engines.base import (
    FACETS,
    MAX_MOMENTS,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    MAX_QUERY_LENGTH,
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
from search.es_documents import SPELL_FIELD, split_facet_value

ENGINE_NAME = "elasticsearch"
# Elasticsearch refuses from + size beyond index.max_result_window (10 000 by default).
MAX_RESULT_WINDOW = 10_000
# ...and an inner hit definition's from + size beyond index.max_inner_result_window (100 by
# default, which the index keeps): a query asking for more moments or slide pages per hit gets
# this many, and its ``moment_count`` still counts every matching segment.
MAX_INNER_RESULT_WINDOW = 100
FUZZINESS = "AUTO:5,8"  # no typo allowed under 5 letters, one from 5, two from 8
FACET_SIZE = 100
SNIPPET_LENGTH = 180
HIGHLIGHT_TAGS = {"pre_tags": ["<mark>"], "post_tags": ["</mark>"], "encoder": "html"}

# Seminar-level fields and their weights (the ``.folded`` / ``.plain`` subfields use the same).
FIELD_WEIGHTS = {
    "title": 6,
    "code": 6,
    "speakers.name": 4,
    "topics.name": 3,
    "series.name": 3,
    "format_name": 3,
    "lead": 2,
    "body": 1,
    "venue": 1,
    "slides_text": 1,
    "bios": 0.8,
    "transcript_text": 0.8,
}
PHRASE_BOOST = 3.0
FOLDED_BOOST = 0.8
FUZZY_BOOST = 0.3
NESTED_BOOST = 1.0
# A talk in English matched by its English word forms (one field for all its text: see
# search/es_documents.py), as much as a folded match; never added to its Swedish match.
ENGLISH_FIELD = "english"
ENGLISH_BOOST = 0.8
# Fields tried for the hit's snippet, best first (a subfield's fragment comes from the same text).
SNIPPET_FIELDS = (
    *(
        f"{field}{sub}"
        for field in ("lead", "body", "slides_text", "transcript_text")
        for sub in ("", ".folded", ".plain")
    ),
    ENGLISH_FIELD,
)
NESTED_TEXT_FIELDS = ("text", "text.folded", "text.plain", "text_en")

FACET_FIELDS = {
    "series": "facet_series",
    "speaker": "facet_speakers",
    "topic": "facet_topics",
    "year": "year",
    "format": "format",
    "language": "language",
    "has_video": "has_video",
    "has_transcript": "has_transcript",
}
AUTOCOMPLETE_FIELDS = {
    "title": "title.autocomplete",
    "speaker": "speakers.name.autocomplete",
    "topic": "topics.name.autocomplete",
}


def normalise_query(query: SearchQuery) -> SearchQuery:
    """The query with its text trimmed and page / page size within the contract's limits."""
    return replace(
        query,
        q=" ".join((query.q or "").split())[:MAX_QUERY_LENGTH],
        page=min(max(int(query.page or 1), 1), MAX_PAGE),
        page_size=min(max(int(query.page_size or 1), 1), MAX_PAGE_SIZE),
    )


def weighted(fields: dict[str, float], suffix: str = "") -> list[str]:
    return [
        f"{name}{suffix}^{weight}" if weight != 1 else f"{name}{suffix}"
        for name, weight in fields.items()
    ]


# --- filters -----------------------------------------------------------------------------------


def _active_filters(query: SearchQuery) -> dict[str, Q]:
    """One filter clause per facet that has a selection (values of one facet are OR-ed)."""
    filters: dict[str, Q] = {}
    if query.series:
        filters["series"] = Q("terms", **{"series.slug": list(query.series)})
    if query.speaker:
        # those who speak, as the facet counts them (``speakers`` also holds the moderators)
        filters["speaker"] = Q("terms", speaker_slugs=list(query.speaker))
    if query.topic:
        filters["topic"] = Q("terms", **{"topics.slug": list(query.topic)})
    if query.year:
        filters["year"] = Q("terms", year=[int(y) for y in query.year])
    if query.format:
        filters["format"] = Q("terms", format=list(query.format))
    if query.lang:
        filters["language"] = Q("terms", language=list(query.lang))
    if query.has_video is not None:
        filters["has_video"] = Q("term", has_video=query.has_video)
    if query.has_transcript is not None:
        filters["has_transcript"] = Q("term", has_transcript=query.has_transcript)
    return filters


def date_range_filter(query: SearchQuery) -> Q | None:
    """Seminars starting on ``date_from`` to ``date_to`` (local days in settings.TIME_ZONE,
    both included); None when neither is set."""
    bounds = {}
    if query.date_from:
        bounds["gte"] = query.date_from.isoformat()
    if query.date_to:
        bounds["lt"] = (query.date_to + dt.timedelta(days=1)).isoformat()
    if not bounds:
        return None
    return Q("range", start={**bounds, "time_zone": settings.TIME_ZONE})


def _all_of(clauses: list[Q]) -> Q:
    return Q("bool", filter=clauses) if clauses else Q("match_all")


# --- the query ---------------------------------------------------------------------------------


def _text_clauses(q: str) -> list[Q]:
    """Seminar-level clauses: all words somewhere (exact, folded, fuzzy) plus the phrase boost."""
    clauses = [
        # A talk in English scores by the better of its Swedish and its English match, not
        # both: its English field is short of documents, so its terms look rare.
        Q(
            "dis_max",
            queries=[
                Q(
                    "multi_match",
                    query=q,
                    type="cross_fields",
                    operator="and",
                    fields=weighted(FIELD_WEIGHTS),
                ),
                Q(
                    "match",
                    **{ENGLISH_FIELD: {"query": q, "operator": "and", "boost": ENGLISH_BOOST}},
                ),
            ],
        ),
        Q(
            "multi_match",
            query=q,
            type="cross_fields",
            operator="and",
            fields=weighted(FIELD_WEIGHTS, ".folded"),
            boost=FOLDED_BOOST,
        ),
        Q(
            "multi_match",
            query=q,
            type="best_fields",
            operator="and",
            fields=weighted(FIELD_WEIGHTS, ".plain"),
            fuzziness=FUZZINESS,
            prefix_length=1,
            max_expansions=50,
            boost=FUZZY_BOOST,
        ),
    ]
    if len(q.split()) > 1:
        # Also in the folded fields: "enkel fraga" (typed without diacritics) is a phrase there.
        clauses.append(
            Q(
                "multi_match",
                query=q,
                type="phrase",
                fields=[*weighted(FIELD_WEIGHTS), *weighted(FIELD_WEIGHTS, ".folded")],
                boost=PHRASE_BOOST,
            )
        )
    return clauses


def _quoted_phrases(q: str) -> list[Q]:
    """Each "quoted phrase" of 2+ words in ``q``, required in one field in that order, also as
    typed without diacritics (the ``.folded`` fields), as the database engine requires it."""
    return [
        Q(
            "multi_match",
            query=phrase,
            type="phrase",
            fields=[*FIELD_WEIGHTS, *(f"{name}.folded" for name in FIELD_WEIGHTS)],
        )
        for phrase in (" ".join(words(p)) for p in QUOTED_RE.findall(close_quotes(q)))
        if len(phrase.split()) > 1
    ]


def _nested_text_query(path: str, q: str, operator: str = "and") -> Q:
    """A nested entry (segment, slide page) containing all the words (``operator`` "or": any
    of them); exact phrases first."""
    text, folded, plain = f"{path}.text", f"{path}.text.folded", f"{path}.text.plain"
    english = {"query": q, "operator": operator, "boost": ENGLISH_BOOST}
    return Q(
        "bool",
        should=[
            Q(
                "dis_max",  # the better of the Swedish and the English match (see above)
                queries=[
                    Q("match", **{text: {"query": q, "operator": operator}}),
                    Q("match", **{f"{path}.text_en": english}),
                ],
            ),
            Q("match", **{folded: {"query": q, "operator": operator, "boost": FOLDED_BOOST}}),
            Q(
                "match",
                **{
                    plain: {
                        "query": q,
                        "operator": operator,
                        "fuzziness": FUZZINESS,
                        "prefix_length": 1,
                        "boost": FUZZY_BOOST,
                    }
                },
            ),
            Q("match_phrase", **{text: {"query": q, "boost": PHRASE_BOOST}}),
            Q("match_phrase", **{folded: {"query": q, "boost": PHRASE_BOOST * FOLDED_BOOST}}),
        ],
        minimum_should_match=1,
    )


def inner_hits_size(limit: int) -> int:
    """How many inner hits to ask for to show ``limit`` of them: at most what Elasticsearch
    gives (MAX_INNER_RESULT_WINDOW). Their ``hits.total`` counts them all whatever the size."""
    return max(0, min(int(limit), MAX_INNER_RESULT_WINDOW))


def _inner_hits(name: str, path: str, whole_text: bool, size: int) -> dict:
    """Up to ``size`` best matching entries (see ``inner_hits_size``), their text highlighted
    (escaped, ``<mark>``); the response counts every match (``hits.total``: a nested inner hit
    counts exactly)."""
    field_options = (
        {"number_of_fragments": 0}
        if whole_text
        else {"fragment_size": SNIPPET_LENGTH, "number_of_fragments": 1}
    )
    return {
        "name": name,
        "size": inner_hits_size(size),
        "highlight": {
            **HIGHLIGHT_TAGS,
            "fields": {f"{path}.{field}": field_options for field in NESTED_TEXT_FIELDS},
        },
    }


def _nested_prefix_query(path: str, prefixes: list[str]) -> Q:
    """A nested entry with a word starting with one of ``prefixes`` (also without diacritics):
    see ``_prefix_query``."""
    return Q(
        "bool",
        should=[Q("prefix", **{f"{path}.text.plain": {"value": p}}) for p in prefixes],
        minimum_should_match=1,
    )


def moments_query(
    query: SearchQuery, text: str | None = None, operator: str = "and", inner: Q | None = None
) -> Q:
    """Transcript segments that match (``text``, by default the query's; or the ``inner``
    query given), limited to the chosen speakers ("who said it"); the best
    ``query.max_moments`` of them returned as inner hits, with how many there are."""
    if inner is None:
        inner = _nested_text_query("transcript", query.q if text is None else text, operator)
    if query.speaker:
        inner = Q(
            "bool",
            must=[inner],
            filter=[Q("terms", **{"transcript.speaker_slug": list(query.speaker)})],
        )
    return Q(
        "nested",
        path="transcript",
        query=inner,
        score_mode="max",
        boost=NESTED_BOOST,
        inner_hits=_inner_hits("transcript", "transcript", True, query.max_moments),
    )


def slides_query(
    query: SearchQuery, text: str | None = None, operator: str = "and", inner: Q | None = None
) -> Q:
    if inner is None:
        inner = _nested_text_query("slides", query.q if text is None else text, operator)
    return Q(
        "nested",
        path="slides",
        query=inner,
        score_mode="max",
        boost=NESTED_BOOST,
        inner_hits=_inner_hits("slides", "slides", False, query.max_slides),
    )


def text_query(query: SearchQuery) -> Q:
    if not query.q:
        return Q("match_all")
    syntax = split_syntax(query.q)
    if syntax.has_operators:
        return _operator_query(query, syntax)
    # The words and phrases without AND, dangling operators and boost marks ("tillit^2").
    query = replace(query, q=syntax.plain)
    if not query.q:
        return Q("bool", must_not=[Q("match_all")])  # only operators: nothing is asked for
    either = Q(
        "bool",
        should=[*_text_clauses(query.q), moments_query(query), slides_query(query)],
        minimum_should_match=1,
    )
    phrases = _quoted_phrases(query.q)
    return Q("bool", must=[either, *phrases]) if phrases else either


def _operator_query(query: SearchQuery, syntax: QuerySyntax) -> Q:
    """``a OR b`` (either, anywhere in the seminar) and ``-word`` / ``NOT word`` (nowhere in
    it), as the database engine reads them (``search.analysis.split_syntax``)."""
    required, optional = [], []
    if syntax.plain:
        text = syntax.plain
        required.append(
            Q(
                "bool",
                should=[
                    *_text_clauses(text),
                    moments_query(query, text),
                    slides_query(query, text),
                ],
                minimum_should_match=1,
            )
        )
        required += _quoted_phrases(text)
    required += [_prefix_query(prefix) for prefix in syntax.prefixes]
    for group in syntax.alternatives:
        either = [_unit_query(unit) for unit in group]
        required.append(Q("bool", should=either, minimum_should_match=1))
    if not syntax.plain:
        # The moments and slide pages of any alternative or prefix (inner hits may be named
        # only once in a request).
        units = [unit for group in syntax.alternatives for unit in group]
        words = " ".join(unit for unit in units if not prefix_of(unit))
        prefixes = syntax.prefixes + [prefix_of(unit) for unit in units if prefix_of(unit)]
        for make, path in ((moments_query, "transcript"), (slides_query, "slides")):
            parts = [_nested_text_query(path, words, "or")] if words else []
            parts += [_nested_prefix_query(path, prefixes)] if prefixes else []
            if parts:
                optional.append(make(query, inner=Q("bool", should=parts, minimum_should_match=1)))
    if not required:  # only exclusions: like the database engine, nothing is asked for
        return Q("bool", must_not=[Q("match_all")])
    return Q(
        "bool",
        must=required,
        should=optional,
        must_not=[_excluded(unit) for unit in syntax.excluded],
    )


def _prefix_query(prefix: str) -> Q:
    """A seminar with a word starting with ``prefix`` (``till*``, lowercased) anywhere: a
    ``prefix`` query on the ``.plain`` fields, whose terms are the words as written (unstemmed)
    plus, at index time, the same words without diacritics ("forvalt*" finds "förvaltning").
    Unlike ``phrase_prefix``, which looks at the first 50 words with the prefix only, it finds
    every word that starts so; each field counts by its weight."""
    return Q(
        "bool",
        should=[
            Q("prefix", **{f"{name}.plain": {"value": prefix, "boost": weight}})
            for name, weight in FIELD_WEIGHTS.items()
        ],
        minimum_should_match=1,
    )


def _unit_query(unit: str) -> Q:
    """One alternative of ``a OR b``: a word, a "phrase" or a prefix."""
    if prefix_of(unit):
        return _prefix_query(prefix_of(unit))
    either = Q("bool", should=_text_clauses(unit), minimum_should_match=1)
    phrases = _quoted_phrases(unit)
    return Q("bool", must=[either, *phrases]) if phrases else either


def _excluded(unit: str) -> Q:
    """A seminar holding the excluded word, "phrase" or prefix anywhere (also without
    diacritics)."""
    if prefix_of(unit):
        return _prefix_query(prefix_of(unit))
    text = unit.strip('"')
    return Q(
        "multi_match",
        query=text,
        type="phrase" if len(text.split()) > 1 else "best_fields",
        fields=[*FIELD_WEIGHTS, *(f"{name}.folded" for name in FIELD_WEIGHTS)],
    )


# --- facets, sorting, highlighting, suggestions ------------------------------------------------


def _facet_aggregation(facet: str, filters: dict[str, Q]) -> A:
    others = [clause for name, clause in filters.items() if name != facet]
    order = {"_key": "desc"} if facet == "year" else [{"_count": "desc"}, {"_key": "asc"}]
    aggregation = A("filter", _all_of(others))
    aggregation.bucket("values", "terms", field=FACET_FIELDS[facet], size=FACET_SIZE, order=order)
    return aggregation


def _sort(query: SearchQuery) -> list:
    if query.sort == "newest" or (query.sort == "relevance" and not query.q):
        return [{"start": {"order": "desc"}}, {"page_id": {"order": "desc"}}]
    if query.sort == "oldest":
        return [{"start": {"order": "asc"}}, {"page_id": {"order": "asc"}}]
    return ["_score", {"start": {"order": "desc"}}, {"page_id": {"order": "desc"}}]


def _highlight(search: Search) -> Search:
    # max_analyzed_offset: highlight the first part of a very long text instead of failing.
    return search.highlight_options(**HIGHLIGHT_TAGS, max_analyzed_offset=500_000).highlight(
        *SNIPPET_FIELDS, fragment_size=SNIPPET_LENGTH, number_of_fragments=1
    )


def _suggest(search: Search, q: str) -> Search:
    """A phrase suggester over the shingled ``spell`` field; only suggestions that find seminars."""
    return search.suggest(
        "did_you_mean",
        q,
        phrase={
            "field": SPELL_FIELD,
            "size": 1,
            "gram_size": 3,
            "max_errors": 2,
            "direct_generator": [{"field": SPELL_FIELD, "suggest_mode": "always"}],
            "collate": {
                "query": {
                    "source": {
                        "match": {SPELL_FIELD: {"query": "{{suggestion}}", "operator": "and"}}
                    }
                },
                "prune": False,
            },
        },
    )


def build_search(query: SearchQuery) -> Search:
    """The full search request for ``query``: hits, moments, slide hits, facets, suggestion."""
    query = normalise_query(query)
    filters = _active_filters(query)
    search = Search().query(text_query(query))
    held = date_range_filter(query)
    if held is not None:  # a filter of the query itself: every facet counts within the dates
        search = search.filter(held)
    if filters:
        search = search.post_filter(_all_of(list(filters.values())))
    for facet in FACETS:
        search.aggs.bucket(facet, _facet_aggregation(facet, filters))
    start = query.offset
    size = query.page_size
    if start + size > MAX_RESULT_WINDOW:
        start, size = 0, 0  # beyond what Elasticsearch pages through: an empty page, true total
    search = search.extra(from_=start, size=size, track_total_hits=True)
    search = search.sort(*_sort(query))
    search = search.source(
        excludes=[
            "transcript",
            "slides",
            "transcript_text",
            "slides_text",
            "body",
            "spell",
            ENGLISH_FIELD,
        ]
    )
    if query.q:
        search = _highlight(search)
        syntax = split_syntax(query.q)
        if not syntax.has_operators and syntax.plain:  # "did you mean" rewrites plain words
            search = _suggest(search, syntax.plain)
    return search


def build_autocomplete(prefix: str, limit: int = 8) -> Search:
    """Seminars whose title, speaker names or topics start with the words typed so far."""
    prefix = " ".join((prefix or "").split())[:MAX_QUERY_LENGTH]
    return (
        Search()
        .query(
            "multi_match",
            query=prefix,
            operator="and",
            type="best_fields",
            fields=[
                f"{AUTOCOMPLETE_FIELDS['title']}^3",
                AUTOCOMPLETE_FIELDS["speaker"],
                AUTOCOMPLETE_FIELDS["topic"],
            ],
        )
        .source(["title", "url", "speakers", "topics"])
        .extra(size=max(1, min(limit * SUGGESTION_POOL, 50)))
    )


# --- parsing -----------------------------------------------------------------------------------


def localise_url(url: str) -> str:
    """A site-relative URL indexed in the default language, for the active language (``/en/``)."""
    from django.conf import settings
    from django.utils import translation

    language = translation.get_language() or settings.LANGUAGE_CODE
    if url.startswith("/") and language != settings.LANGUAGE_CODE:
        return f"/{language}{url}"
    return url


def seconds_url(url: str, start: float) -> str:
    """The seminar URL that plays from ``start`` (see ``archive.transcript_formats.time_param``)."""
    return f"{url}{'&' if '?' in url else '?'}t={time_param(start)}"


def page_url(url: str, page: int) -> str:
    """A PDF URL that opens at ``page``."""
    return f"{url.split('#', 1)[0]}#page={int(page)}"


def _first_highlight(highlight: dict, fields) -> str:
    for field in fields:
        fragments = highlight.get(field)
        if fragments:
            return fragments[0]
    return ""


def _shorten(text: str, length: int = SNIPPET_LENGTH) -> str:
    text = " ".join((text or "").split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + " …"


def _moments(raw_hit: dict, seminar_url: str, limit: int = MAX_MOMENTS) -> list[Moment]:
    inner = raw_hit.get("inner_hits", {}).get("transcript", {}).get("hits", {}).get("hits", [])
    moments = []
    for entry in inner[: max(0, limit)]:  # the best-scoring segments...
        src = entry.get("_source", {})
        text = _first_highlight(
            entry.get("highlight", {}), [f"transcript.{field}" for field in NESTED_TEXT_FIELDS]
        )
        start = float(src.get("start") or 0)
        moments.append(
            Moment(
                start=start,
                end=float(src.get("end") or start),
                speaker=src.get("speaker") or "",
                text=text or escape(src.get("text") or ""),
                url=seconds_url(seminar_url, start),
            )
        )
    return sorted(moments, key=lambda m: m.start)  # ...shown in the order they were said


def _moment_count(raw_hit: dict, cap: int | None) -> int | None:
    """How many transcript segments match: the transcript inner hits' ``hits.total`` (which
    Elasticsearch counts exactly for nested inner hits, beyond the ones returned), at most
    ``cap`` as the database engine counts (None: all); None when the request asked for no
    moments (no words searched)."""
    inner = raw_hit.get("inner_hits", {}).get("transcript")
    if inner is None:
        return None
    total = inner.get("hits", {}).get("total", 0)
    count = int(total.get("value", 0) if isinstance(total, dict) else total or 0)
    return count if cap is None else min(count, cap)


def _slide_hits(raw_hit: dict, limit: int = MAX_SLIDE_HITS) -> list[SlideHit]:
    inner = raw_hit.get("inner_hits", {}).get("slides", {}).get("hits", {}).get("hits", [])
    slides = []
    for entry in inner[: max(0, limit)]:
        src = entry.get("_source", {})
        text = _first_highlight(
            entry.get("highlight", {}), [f"slides.{field}" for field in NESTED_TEXT_FIELDS]
        )
        number = int(src.get("page") or 1)
        slides.append(
            SlideHit(
                page=number,
                text=text or escape(_shorten(src.get("text") or "")),
                url=page_url(src.get("url") or "", number),
                label=src.get("label") or "",
            )
        )
    return slides


def _hit(raw_hit: dict, query: SearchQuery) -> Hit:
    src = raw_hit.get("_source", {})
    highlight = raw_hit.get("highlight", {})
    url = localise_url(src.get("url") or "")
    snippet = _first_highlight(highlight, SNIPPET_FIELDS) or escape(_shorten(src.get("lead", "")))
    series = src.get("series") or None
    speakers, moderators = split_people(src.get("speakers") or [])
    return Hit(
        page_id=int(src.get("page_id") or raw_hit.get("_id")),
        slug=src.get("slug", ""),
        title=src.get("title", ""),
        url=url,
        start=src.get("start") or "",
        series={"slug": series["slug"], "name": series["name"]} if series else None,
        speakers=speakers,
        moderators=moderators,
        topics=[
            {"slug": t.get("slug", ""), "name": t.get("name", "")} for t in src.get("topics") or []
        ],
        snippet=snippet,
        score=float(raw_hit.get("_score") or 0.0),
        moments=_moments(raw_hit, url, query.max_moments),
        slides=_slide_hits(raw_hit, query.max_slides),
        moment_count=_moment_count(raw_hit, query.moment_count_cap),
        format=src.get("format", ""),
        language=src.get("language", ""),
        has_video=bool(src.get("has_video")),
        has_transcript=bool(src.get("has_transcript")),
        time_known=bool(src.get("time_known", True)),
    )


def _choice_label(facet: str, value: str) -> str:
    from archive.models import SeminarFormat, TalkLanguage

    choices = {"format": SeminarFormat, "language": TalkLanguage}.get(facet)
    if choices is not None:
        try:
            return str(choices(value).label)
        except ValueError:
            return value
    if facet in ("has_video", "has_transcript"):
        return _("Yes") if value == "true" else _("No")
    return value


def _selected_values(query: SearchQuery) -> dict[str, set[str]]:
    return {facet: set(values) for facet, values in query.selected_values().items()}


def _facet_values(facet: str, buckets: list[dict], selected: set[str]) -> list[FacetValue]:
    values = []
    for bucket in buckets:
        raw = str(bucket.get("key_as_string", bucket.get("key")))
        if facet in ("series", "speaker", "topic"):
            value, label = split_facet_value(raw)
        else:
            value, label = raw, _choice_label(facet, raw)
        values.append(
            FacetValue(
                value=value, label=label, count=int(bucket["doc_count"]), selected=value in selected
            )
        )
    # A chosen value that nothing matches any more stays listed (count 0), so it can be unticked.
    present = {v.value for v in values}
    for value in sorted(selected - present):
        values.append(
            FacetValue(value=value, label=_choice_label(facet, value), count=0, selected=True)
        )
    return values


def parse_facets(query: SearchQuery, aggregations: dict) -> dict[str, list[FacetValue]]:
    selected = _selected_values(query)
    return {
        facet: _facet_values(facet, aggregations[facet]["values"]["buckets"], selected[facet])
        for facet in FACETS
        if facet in aggregations
    }


def parse_suggestion(q: str, suggest: dict) -> str | None:
    """The suggester's best rewrite of ``q``, if it differs from what was typed."""
    for entry in suggest.get("did_you_mean", []):
        for option in entry.get("options", []):
            text = option.get("text", "")
            if text and text.casefold() != q.casefold() and option.get("collate_match", True):
                return as_typed(text, q)
    return None


def parse_response(query: SearchQuery, response: dict) -> SearchResults:
    """``SearchResults`` from a raw Elasticsearch response to ``build_search(query)``."""
    query = normalise_query(query)
    hits = response.get("hits", {})
    total = hits.get("total", 0)
    return SearchResults(
        query=query,
        engine=ENGINE_NAME,
        total=int(total["value"] if isinstance(total, dict) else total),
        hits=[_hit(raw, query) for raw in hits.get("hits", [])],
        facets=parse_facets(query, response.get("aggregations", {})),
        suggestion=parse_suggestion(query.q, response.get("suggest", {})) if query.q else None,
    )


def parse_autocomplete(prefix: str, response: dict, limit: int = 8) -> list[dict]:
    """Suggestions ``[{"kind", "label", "url"}]`` for what matched the typed prefix.

    A hit whose title starts (word-wise, ignoring case and diacritics) with the typed words is a
    title suggestion; its speakers and topics that match are speaker / topic suggestions, and
    its moderators who match (and speak nowhere among the hits) moderator suggestions.
    """
    words = _fold(prefix).split()
    out: list[dict] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, label: str, url: str) -> None:
        key = (kind, label.casefold())
        if key not in seen:
            seen.add(key)
            out.append({"kind": kind, "label": label, "url": url})

    moderators: dict[str, dict] = {}
    for raw in response.get("hits", {}).get("hits", []):
        src = raw.get("_source", {})
        if _matches_words(src.get("title", ""), words):
            add("title", src.get("title", ""), localise_url(src.get("url", "")))
        speaking, leading = split_people(src.get("speakers"))
        for speaker in speaking:  # the speaker filter's people
            if _matches_words(speaker.get("name", ""), words):
                add("speaker", speaker.get("name", ""), search_url("speaker", speaker["slug"]))
        for moderator in leading:  # not counted by the speaker filter: their page
            if _matches_words(moderator.get("name", ""), words):
                moderators.setdefault(moderator["name"].casefold(), moderator)
        for topic in src.get("topics") or []:
            if _matches_words(topic.get("name", ""), words):
                add("topic", topic.get("name", ""), search_url("topic", topic["slug"]))
    for key, moderator in moderators.items():
        if ("speaker", key) not in seen:  # who also speaks is suggested as a speaker
            add("moderator", moderator["name"], speaker_page_url(moderator["slug"]))
    return rank_suggestions(out, " ".join(words), limit, typed=prefix)  # as the database does


def search_url(facet: str, value: str) -> str:
    """The search page filtered on one facet value (what a speaker / topic suggestion opens)."""
    from urllib.parse import urlencode

    from django.urls import reverse

    return f"{reverse('search')}?{urlencode({facet: value})}"


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _matches_words(text: str, words: list[str]) -> bool:
    """Every typed word is the start of some word of ``text`` (ignoring case and diacritics)."""
    tokens = _fold(text).replace("-", " ").split()
    return bool(words) and all(any(t.startswith(w) for t in tokens) for w in words)
