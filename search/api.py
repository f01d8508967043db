"""The search API: ``GET /api/search/`` and ``GET /api/autocomplete/`` (mounted by config.api).

Parameters are read by ``search.params`` (the same rules as the search page); repeat a parameter
to select several values of one facet. Bad parameters, unknown ones included, answer 400
``{"error", "parameter"}``. ``/api/seminars/`` takes the same filters (``ArchiveFilters``).
"""

from __future__ import annotations

import math

from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema

from archive.models import SeminarFormat
from config.api import (
    BadParameter,
    api_datetime,
    check_page,
    page_links,
    reject_unknown_parameters,
)
from search.engines import autocomplete_with_fallback, search_with_fallback
from search.engines.base import MAX_MOMENTS, MAX_QUERY_LENGTH, MOMENT_COUNT_CAP
from search.params import parse_search_params
from search.views import log_search

router = Router(tags=["search"])

ROLE_DESCRIPTION = (
    "speaker or panelist (in speakers); moderator or host (in moderators: who leads the seminar)"
)


# The names of these schemas are the names of components in /api/schema/, one namespace for the
# whole API: archive.api's SpeakerRef, SeriesRef, SlideOut... are other shapes.
class HitSpeaker(Schema):
    name: str
    slug: str
    role: str = Field(description=ROLE_DESCRIPTION)


class TopicOut(Schema):
    slug: str
    name: str


class HitSeries(Schema):
    slug: str
    name: str


class MomentOut(Schema):
    start: float = Field(description="Seconds from the start of the recording")
    end: float
    speaker: str
    text: str = Field(description="HTML-escaped text with matches in <mark>")
    url: str = Field(
        description="The seminar page at this moment (absolute; ?t=seconds, to the hundredth)"
    )


class HitSlide(Schema):
    page: int
    text: str = Field(description="HTML-escaped text with matches in <mark>")
    url: str = Field(description="The PDF at this page (absolute; #page=N)")
    label: str = ""


class HitOut(Schema):
    slug: str
    title: str
    url: str = Field(description="The seminar's page (absolute)")
    start: str = Field(
        description="ISO 8601 in the archive's time zone (Europe/Stockholm) with its offset "
        "(2025-10-13T15:00:00+02:00); only the date (2025-10-13) when time_known is false"
    )
    time_known: bool = Field(
        description="False when only the seminar's date is known, not its clock time"
    )
    series: HitSeries | None
    speakers: list[HitSpeaker] = Field(description="Who speaks: speakers and panelists")
    moderators: list[HitSpeaker] = Field(
        description="Who leads the seminar: moderators and hosts (never listed as speakers)"
    )
    topics: list[TopicOut]
    snippet: str = Field(description="HTML-escaped excerpt with matches in <mark>")
    score: float
    moments: list[MomentOut] = Field(
        description=f"Up to {MAX_MOMENTS} best matching transcript moments, in spoken order"
    )
    moment_count: int | None = Field(
        description="How many transcript moments match (moments lists the best of them), "
        f"counted up to {MOMENT_COUNT_CAP}: when moment_count_capped is true there are at least "
        f'that many ("{MOMENT_COUNT_CAP}+"); the export (/api/search/export.json) counts them '
        "all. Null when nothing was searched for (no words)"
    )
    moment_count_capped: bool = Field(
        description=f"True when counting stopped at {MOMENT_COUNT_CAP}: moment_count is a lower "
        f'bound ("{MOMENT_COUNT_CAP}+"), not the exact count'
    )
    slides: list[HitSlide]
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
    num_pages: int = Field(description="Pages of results (at least 1); a page past it is a 400")
    next: str | None = Field(description="This search's next page (absolute URL), or null")
    previous: str | None = Field(description="This search's previous page, or null")
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
    url: str = Field(description="Site-relative: where the site's search box goes")


class AutocompleteOut(Schema):
    query: str
    suggestions: list[AutocompleteItem]


class ArchiveFilters(Schema):
    """Which seminars: the filters ``/api/search/``, its exports and ``/api/seminars/`` take,
    documented for OpenAPI; the values are read (and checked) by ``search.params``."""

    series: list[str] = Field([], description="Series slug; repeat for several (OR)")
    speaker: list[str] = Field(
        [],
        description="Speaker slug (someone who speaks, not a moderator or host); repeat for "
        "several; in a search it also limits moments to them",
    )
    topic: list[str] = Field([], description="Topic (tag) slug; repeat for several")
    year: list[str] = Field([], description="Year, e.g. 2024; repeat for several")
    format: list[str] = Field(
        [],
        description=f"Seminar format: {', '.join(SeminarFormat.values)}; repeat for several",
    )
    lang: list[str] = Field([], description='Language of the talk: "sv" or "en"')
    has_video: str | None = Field(None, description="true or false")
    has_transcript: str | None = Field(None, description="true or false")
    from_: str | None = Field(
        None,
        alias="from",
        description="Held on or after this day: 2024-03-31, or a month (2024-03) or year (2024)",
    )
    to: str | None = Field(
        None,
        description="Held on or before this day: 2024-03-31, or to the end of 2024-03 or 2024",
    )


class SearchFilters(ArchiveFilters):
    """What to search for: text, the filters and the order (search and its CSV/JSON exports)."""

    q: str = Field(
        "",
        description=(
            'Search text (Swedish-aware), at most 200 characters. "a phrase" in quotes; '
            "a OR b: either; -word or NOT word: without it; digitali*: words starting so"
        ),
    )
    sort: str | None = Field(None, description="relevance (default), newest or oldest")


class Paging(Schema):
    page: str | None = Field(
        None, description="Result page, 1–1000 (and at most num_pages); default 1"
    )
    page_size: str | None = Field(None, description="Results per page, 1–100 (default 20)")


class SearchParams(Paging, SearchFilters):
    """The search filters and a page of results."""


def results_payload(request, results) -> dict:
    """The JSON of a search: absolute URLs, times as everywhere in the API (``api_datetime``)."""
    query = results.query
    absolute = request.build_absolute_uri
    num_pages = max(1, math.ceil(results.total / query.page_size))

    def capped(hit) -> bool:  # as the results page shows "100+"
        cap = query.moment_count_cap
        return bool(cap and hit.moment_count is not None and hit.moment_count >= cap)

    return {
        "query": query.q,
        "engine": results.engine,
        "total": results.total,
        "page": query.page,
        "page_size": query.page_size,
        "num_pages": num_pages,
        **page_links(request, query.page, num_pages),
        "suggestion": results.suggestion,
        "searched_for": results.searched_for,
        "fallback_reason": results.fallback_reason,
        "results": [
            {
                "slug": h.slug,
                "title": h.title,
                "url": absolute(h.url),
                "start": api_datetime(h.start, h.time_known),
                "time_known": h.time_known,
                "series": h.series,
                "speakers": h.speakers,
                "moderators": h.moderators,
                "topics": h.topics,
                "snippet": h.snippet,
                "score": h.score,
                "moments": [vars(m) | {"url": absolute(m.url)} for m in h.moments],
                "moment_count": h.moment_count,
                "moment_count_capped": capped(h),
                "slides": [vars(s) | {"url": absolute(s.url)} for s in h.slides],
                "format": h.format,
                "language": h.language,
                "has_video": h.has_video,
                "has_transcript": h.has_transcript,
            }
            for h in results.hits
        ],
        "facets": {name: [vars(v) for v in values] for name, values in results.facets.items()},
    }


@router.get("/search/", response=SearchOut, summary="Search seminars")
def search(request, params: Query[SearchParams]):
    """Values of one filter combine with OR (repeat the parameter), different filters with
    AND. A parameter it does not take is a 400, as is a page past the last."""
    reject_unknown_parameters(request, SearchParams)
    query = parse_search_params(request.GET)
    results = search_with_fallback(query)
    check_page(query.page, max(1, math.ceil(results.total / query.page_size)))
    log_search(query, results)
    return results_payload(request, results)


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
