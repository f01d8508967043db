"""The search API: ``GET /api/search/`` and ``GET /api/autocomplete/`` (mounted by config.api).

Parameters are read by ``search.params`` (the same rules as the search page); repeat a parameter
to select several values of one facet. Bad parameters answer 400 ``{"error", "parameter"}``.
"""

from __future__ import annotations

from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema

from config.api import BadParameter
from search.engines import autocomplete_with_fallback, search_with_fallback
from search.engines.base import MAX_QUERY_LENGTH
from search.params import parse_search_params
from search.views import log_search

router = Router(tags=["search"])


class SpeakerOut(Schema):
    name: str
    slug: str
    role: str


class TopicOut(Schema):
    slug: str
    name: str


class SeriesOut(Schema):
    slug: str
    name: str


class MomentOut(Schema):
    start: float = Field(description="Seconds from the start of the recording")
    end: float
    speaker: str
    text: str = Field(description="HTML-escaped text with matches in <mark>")
    url: str = Field(description="The seminar page at this moment (?t=seconds, to the hundredth)")


class SlideOut(Schema):
    page: int
    text: str = Field(description="HTML-escaped text with matches in <mark>")
    url: str = Field(description="The PDF at this page (#page=N)")
    label: str = ""


class HitOut(Schema):
    slug: str
    title: str
    url: str
    start: str = Field(
        description="ISO 8601 (UTC); when time_known is false only its date in the archive's "
        "time zone (Europe/Stockholm) is meaningful"
    )
    time_known: bool = Field(
        description="False when only the seminar's date is known, not its clock time"
    )
    series: SeriesOut | None
    speakers: list[SpeakerOut] = Field(description="Who speaks: speakers and panelists")
    moderators: list[SpeakerOut] = Field(
        description="Who leads the seminar: moderators and hosts (never listed as speakers)"
    )
    topics: list[TopicOut]
    snippet: str = Field(description="HTML-escaped excerpt with matches in <mark>")
    score: float
    moments: list[MomentOut]
    slides: list[SlideOut]
    format: str
    language: str
    has_video: bool
    has_transcript: bool


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool = False


class SearchOut(Schema):
    query: str
    engine: str = Field(description='"database" or "elasticsearch"')
    total: int
    page: int
    page_size: int
    suggestion: str | None = Field(description='"Did you mean" correction of the query')
    searched_for: str = Field(
        "",
        description="The query run instead when the typed one found nothing: its unknown "
        'compound words split into their parts ("detaljstyrning" → "detalj styrning"); "" when '
        "the query ran as typed",
    )
    fallback_reason: str = Field(
        "",
        description='"elasticsearch_unavailable" when Elasticsearch failed and the database '
        "engine answered (the details go to the server's log), else empty",
    )
    results: list[HitOut]
    facets: dict[str, list[FacetValueOut]]


class AutocompleteItem(Schema):
    kind: str = Field(
        description='"title", "speaker", "moderator" (its url is the moderator\'s page) or "topic"'
    )
    label: str
    url: str


class AutocompleteOut(Schema):
    query: str
    suggestions: list[AutocompleteItem]


class SearchFilters(Schema):
    """What to search for, documented for OpenAPI (search and the CSV/JSON exports); the values
    are read (and checked) by ``search.params``."""

    q: str = Field(
        "",
        description=(
            'Search text (Swedish-aware), at most 200 characters. "a phrase" in quotes; '
            "a OR b: either; -word or NOT word: without it; digitali*: words starting so"
        ),
    )
    series: list[str] = Field([], description="Series slug; repeat for several (OR)")
    speaker: list[str] = Field(
        [],
        description="Speaker slug (someone who speaks, not a moderator); repeat for several; "
        "also limits moments to them",
    )
    topic: list[str] = Field([], description="Topic (tag) slug; repeat for several")
    year: list[str] = Field([], description="Year, e.g. 2024; repeat for several")
    format: list[str] = Field([], description="Seminar format, e.g. breakfast_meeting")
    lang: list[str] = Field([], description='Language of the talk: "sv" or "en"')
    has_video: str | None = Field(None, description="true or false")
    has_transcript: str | None = Field(None, description="true or false")
    sort: str | None = Field(None, description="relevance (default), newest or oldest")
    from_: str | None = Field(
        None,
        alias="from",
        description="Held on or after this day: 2024-03-31, or a month (2024-03) or year (2024)",
    )
    to: str | None = Field(
        None,
        description="Held on or before this day: 2024-03-31, or to the end of 2024-03 or 2024",
    )


class SearchParams(SearchFilters):
    """The search filters and a page of results."""

    page: str | None = Field(None, description="Result page, 1–1000")
    page_size: str | None = Field(None, description="Results per page, 1–100 (default 20)")


def results_payload(results) -> dict:
    query = results.query
    return {
        "query": query.q,
        "engine": results.engine,
        "total": results.total,
        "page": query.page,
        "page_size": query.page_size,
        "suggestion": results.suggestion,
        "searched_for": results.searched_for,
        "fallback_reason": results.fallback_reason,
        "results": [
            {
                "slug": h.slug,
                "title": h.title,
                "url": h.url,
                "start": h.start,
                "time_known": h.time_known,
                "series": h.series,
                "speakers": h.speakers,
                "moderators": h.moderators,
                "topics": h.topics,
                "snippet": h.snippet,
                "score": h.score,
                "moments": [vars(m) for m in h.moments],
                "slides": [vars(s) for s in h.slides],
                "format": h.format,
                "language": h.language,
                "has_video": h.has_video,
                "has_transcript": h.has_transcript,
            }
            for h in results.hits
        ],
        "facets": {name: [vars(v) for v in values] for name, values in results.facets.items()},
    }


@router.get(
    "/search/",
    response=SearchOut,
    summary="Search seminars",
    openapi_extra={"responses": {400: {"description": "A bad parameter"}}},
)
def search(request, params: Query[SearchParams]):
    query = parse_search_params(request.GET)
    results = search_with_fallback(query)
    log_search(query, results)
    return results_payload(results)


@router.get(
    "/autocomplete/",
    response=AutocompleteOut,
    url_name="autocomplete",
    summary="Suggest titles, speakers and topics for what has been typed",
)
def autocomplete(request, q: str = ""):
    q = " ".join(q.split())
    if len(q) > MAX_QUERY_LENGTH:
        raise BadParameter(
            "q",
            gettext("The search text is too long: at most %(n)s characters.")
            % {"n": MAX_QUERY_LENGTH},
        )
    suggestions, _engine = autocomplete_with_fallback(q)
    return {"query": q, "suggestions": suggestions}
