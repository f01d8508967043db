"""The public search page (/sok/, /en/search/): a plain GET form that works without JavaScript."""

from __future__ import annotations

import dataclasses
import functools
import logging
import math
from urllib.parse import urlencode

from django.conf import settings
from django.db import DatabaseError, transaction
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from config.api import BadParameter
from config.middleware import rate_limit_wait
from search.analysis import parse_query
from search.engines import database_engine, search_with_fallback
from search.engines.base import MAX_PAGE, SearchQuery
from search.models import SearchLog
from search.params import (
    FACET_PARAMS,
    FIRST_YEAR,
    LAST_YEAR,
    DateRangeReversed,
    has_filters,
    normalise_query_text,
    parse_search_params,
)

logger = logging.getLogger(__name__)

FACET_TITLES = {
    "series": _("Series"),
    "speaker": _("Speaker"),
    "topic": _("Topic"),
    "year": _("Year"),
    "format": _("Format"),
    "language": _("Language"),
    "has_video": _("Video"),
    "has_transcript": _("Transcript"),
}
SORT_LABELS = {
    "relevance": _("Relevance"),
    "newest": _("Newest first"),
    "oldest": _("Oldest first"),
}
SINGLE_VALUED = ("has_video", "has_transcript")
#: Moments (and slide pages) the page of one seminar's moments lists at most.
SEMINAR_MOMENTS_LIMIT = 500


def log_search(query: SearchQuery, results) -> None:
    """Record a first-page search anonymously: normalised text, filters, count, engine, date."""
    if query.page != 1 or not (query.q or has_filters(query)):
        return
    pairs = [(FACET_PARAMS[f], v) for f, values in query.selected_values().items() for v in values]
    pairs += [
        (name, day) for name, day in (("from", query.date_from), ("to", query.date_to)) if day
    ]
    filters = urlencode(pairs)
    try:
        with transaction.atomic():  # a savepoint: a failed insert leaves the request usable
            SearchLog.objects.create(
                query=normalise_query_text(query.q).lower()[:200],
                filters=filters[:500],
                results=results.total,
                engine=results.engine,
                fallback=bool(results.fallback_reason),
            )
    except DatabaseError as exc:
        # The answer is ready; a locked database (SQLite during a rebuild) must not cost it.
        logger.warning("Search not logged: %s", exc)


def _params_without(params, *names) -> list[tuple[str, str]]:
    return [(k, v) for k in params for v in params.getlist(k) if k not in names and v]


def toggle_url(params, name: str, value: str, selected: bool) -> str:
    """The query string that selects (or deselects) one facet value, back on page 1."""
    pairs = _params_without(params, "page")
    if name in SINGLE_VALUED:
        pairs = [(k, v) for k, v in pairs if k != name]
        if not selected:
            pairs.append((name, value))
    elif selected:
        pairs = [(k, v) for k, v in pairs if not (k == name and v == value)]
    else:
        pairs.append((name, value))
    return "?" + urlencode(pairs)


def facet_groups(params, facets) -> list[dict]:
    groups = []
    for facet, values in facets.items():
        if not values:
            continue
        name = FACET_PARAMS[facet]
        groups.append(
            {
                "name": name,
                "title": FACET_TITLES.get(facet, facet),
                "values": [
                    {
                        "value": v.value,
                        "label": v.label,
                        "count": v.count,
                        "selected": v.selected,
                        "url": toggle_url(params, name, v.value, v.selected),
                    }
                    for v in values
                ],
            }
        )
    return groups


def page_links(params, current: int, last: int) -> list[dict]:
    """Numbered links around the current page (first and last always)."""
    base = _params_without(params, "page")
    numbers = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    links, previous = [], 0
    for n in numbers:
        if n - previous > 1:
            links.append({"gap": True})
        links.append(
            {"number": n, "current": n == current, "url": "?" + urlencode([*base, ("page", n)])}
        )
        previous = n
    return links


def read_params(params) -> tuple[SearchQuery, object, BadParameter | None]:
    """The query from ``params`` and the params it was read from: a bad parameter is reported
    (the first) and left out, the rest still apply. Every link and hidden field on the page is
    built from the returned params, so nothing the page does not show can filter the next
    search."""
    error = None
    for _attempt in range(len(params) + 1):
        try:
            return parse_search_params(params), params, error
        except BadParameter as exc:
            error = error or exc
            params = params.copy()
            params.pop(exc.parameter, None)
    return SearchQuery(), QueryDict(), error


def error_message(error: BadParameter | None) -> str:
    """What the page says of a bad parameter: the API's message, but a reversed date range
    named by the page's field labels (the parameters are "from" and "to")."""
    if isinstance(error, DateRangeReversed):
        return gettext(
            "The date in “To” (%(to)s) is before the one in “From” (%(from)s): swap them."
        ) % {"to": error.end.isoformat(), "from": error.start.isoformat()}
    return error.message if error else ""


def date_values(query: SearchQuery, error: BadParameter | None) -> dict[str, str]:
    """The date fields' values: the dates searched, or both dates of a reversed range (the
    search left "to" out), so that the visitor can swap them."""
    if isinstance(error, DateRangeReversed):
        return {"from": error.start.isoformat(), "to": error.end.isoformat()}
    return {
        "from": query.date_from.isoformat() if query.date_from else "",
        "to": query.date_to.isoformat() if query.date_to else "",
    }


def only_exclusions(text: str) -> bool:
    """Whether ``text`` excludes words (``-tillit``, ``NOT tillit``) but asks for none: it can
    find nothing, whatever the archive holds."""
    parsed = parse_query(text)
    return parsed.empty and bool(parsed.excluded)


def moments_url(params, hit, q: str) -> str:
    """The page of every moment of ``hit`` that says ``q`` (the words searched), with the
    search's other parameters (its speakers narrow the moments; the rest lead back)."""
    pairs = [("q", q), *_params_without(params, "q")]
    return (
        reverse("search_seminar_moments", kwargs={"page_id": hit.page_id}) + "?" + urlencode(pairs)
    )


def rate_limited(view):
    """``view`` under the per-client limit of the search pages (``SEARCH_RATE_LIMIT``): each
    search runs the engine (a moments page up to 500 moments), as the API's do under its limit.
    Over it: a 429 page saying how long to wait, with Retry-After."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        rate = getattr(settings, "SEARCH_RATE_LIMIT", "")
        wait = rate_limit_wait(request, "search", rate) if rate else None
        if wait is None:
            return view(request, *args, **kwargs)
        response = render(request, "429.html", {"seconds": wait}, status=429)
        response["Retry-After"] = str(wait)
        return response

    return wrapped


@rate_limited
def search_page(request):
    query, params, error = read_params(request.GET)
    results = search_with_fallback(query)
    log_search(query, results)
    last_page = max(1, min(MAX_PAGE, math.ceil(results.total / query.page_size)))
    searched_words = results.searched_for or query.q
    for hit in results.hits:
        hit.start_date = parse_datetime(hit.start) if hit.start else None
        # Moments beyond those shown: a link to all of them (the database index counts them,
        # up to a cap: "100+")
        more = hit.moment_count is not None and hit.moment_count > len(hit.moments)
        hit.more_moments_url = moments_url(params, hit, searched_words) if more else ""
        capped = more and query.moment_count_cap and hit.moment_count >= query.moment_count_cap
        hit.moment_total = f"{hit.moment_count}+" if capped else hit.moment_count
    context = {
        "query": query,
        "results": results,
        "error": error,
        "error_message": error_message(error),
        "date_values": date_values(query, error),
        "only_exclusions": not results.total and only_exclusions(query.q),
        "searched": bool(query.q or has_filters(query)),
        "facet_groups": facet_groups(params, results.facets),
        "selected_filters": sum(v.selected for values in results.facets.values() for v in values),
        "sorts": list(SORT_LABELS.items()),
        # The date fields offer what the parameters accept.
        "date_min": f"{FIRST_YEAR}-01-01",
        "date_max": f"{LAST_YEAR}-12-31",
        # Without words there is nothing to rank: "relevance" lists the newest first, and says
        # so beside the menu. The menu keeps showing "relevance": it goes with the next search.
        "newest_without_words": query.sort == "relevance" and not query.q,
        "last_page": last_page,
        "last_page_url": (
            "?" + urlencode([*_params_without(params, "page"), ("page", last_page)])
            if results.total and not results.hits and query.page > last_page
            else ""
        ),
        "hidden_filters": _params_without(params, "q", "sort", "page", "from", "to"),
        # The CSV/JSON exports take the same text, filters and order, and export every page,
        # in this page's language (``hl``: the API is not under a language prefix).
        "export_query": urlencode(
            [*_params_without(params, "page", "page_size", "hl"), ("hl", get_language())]
        ),
        "page_links": page_links(params, query.page, last_page) if last_page > 1 else [],
        "previous_url": (
            "?" + urlencode([*_params_without(params, "page"), ("page", query.page - 1)])
        )
        if query.page > 1
        else "",
        "next_url": (
            "?" + urlencode([*_params_without(params, "page"), ("page", query.page + 1)])
            if query.page < last_page
            else ""
        ),
        "suggestion_url": (
            "?" + urlencode([*_params_without(params, "q", "page"), ("q", results.suggestion)])
            if results.suggestion
            else ""
        ),
    }
    return render(request, "search/search_page.html", context, status=400 if error else 200)


@rate_limited
def seminar_moments(request, page_id: int):
    """Every moment of one seminar's recording (up to SEMINAR_MOMENTS_LIMIT), and every slide
    page, that says the search's words, each linked to the seminar at that moment (``?t=``):
    where a hit that shows three of many moments leads. Only what the speakers named in
    ``speaker`` said, as on the results page. Public seminars only: the database index, which
    every engine setup keeps, holds no others."""
    query, params, error = read_params(request.GET)
    limited = dataclasses.replace(
        query,
        max_moments=SEMINAR_MOMENTS_LIMIT,
        max_slides=SEMINAR_MOMENTS_LIMIT,
        moment_count_cap=None,
    )
    engine = database_engine()
    hit = engine.seminar_hit(page_id, limited)
    if hit is None:
        raise Http404("No public seminar has this id.")
    if not query.q and not error:  # no words to look for: the seminar itself
        return redirect(hit.url)
    back = urlencode(_params_without(params))
    # Those of the filter who take part, moderators too (their words are filtered alike).
    people = hit.speakers + hit.moderators
    speakers = [p["name"] for p in people if p["slug"] in query.speaker]
    if query.speaker and not speakers:
        # A filter naming nobody of this seminar would hide every moment and say the recording
        # does not have the words: show what the seminar says instead.
        hit = engine.seminar_hit(page_id, dataclasses.replace(limited, speaker=()))
    context = {
        "query": query,
        "hit": hit,
        "error": error,
        "error_message": error_message(error),
        "capped": hit.moment_count is not None and hit.moment_count > len(hit.moments),
        "speaker_names": ", ".join(speakers),
        "back_url": reverse("search") + (f"?{back}" if back else ""),
    }
    return render(request, "search/seminar_moments.html", context, status=400 if error else 200)
