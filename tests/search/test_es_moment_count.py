"""The Elasticsearch engine gives as many moments as the query asks for and counts them all, as
the database engine does (no cluster: request bodies and a canned Elasticsearch 8 response).

With the per-query moment limit ignored, a hit under Elasticsearch had no ``moment_count`` (so
no "show all N moments" link) and an export listed three moments per seminar.
"""

from __future__ import annotations

import copy
import dataclasses

from search.engines.base import MOMENT_COUNT_CAP, SearchQuery
from search.es_queries import build_search, parse_response
from search.export import EXPORT_MAX_MOMENTS, EXPORT_MAX_SLIDES, export_query
from tests.search.test_es_queries import raw_response


def inner_sizes(query: SearchQuery) -> dict[str, int]:
    """{nested path: its inner hits' size} over the whole request body."""
    sizes = {}

    def walk(node):
        if isinstance(node, dict):
            if "inner_hits" in node and "path" in node:
                sizes[node["path"]] = node["inner_hits"]["size"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(build_search(query).to_dict()["query"])
    return sizes


def test_inner_hits_are_sized_by_the_querys_moment_and_slide_limits():
    assert inner_sizes(SearchQuery(q="tillit")) == {"transcript": 3, "slides": 3}
    assert inner_sizes(SearchQuery(q="tillit", max_moments=12, max_slides=5)) == {
        "transcript": 12,
        "slides": 5,
    }
    # An export asks for every moment (up to its cap) and more slide pages.
    assert inner_sizes(export_query(SearchQuery(q="tillit"))) == {
        "transcript": EXPORT_MAX_MOMENTS,
        "slides": EXPORT_MAX_SLIDES,
    }
    # The query with operators names its inner hits too (once each).
    for q in ("tillit OR styrning", "tillit -styrning", "till*"):
        assert inner_sizes(SearchQuery(q=q, max_moments=40)) == {"transcript": 40, "slides": 3}


def test_inner_hits_stay_within_elasticsearchs_inner_result_window():
    """index.max_inner_result_window (100) refuses a bigger from + size with a 400, which
    would send every such search to the database engine."""
    big = SearchQuery(q="tillit", max_moments=500, max_slides=101)
    assert inner_sizes(big) == {"transcript": 100, "slides": 100}


def response_with(total, hits_shown: int | None = None) -> dict:
    """The canned response, its first hit's transcript inner hits counting ``total``."""
    response = copy.deepcopy(raw_response())
    inner = response["hits"]["hits"][0]["inner_hits"]["transcript"]["hits"]
    inner["total"] = total
    if hits_shown is not None:
        inner["hits"] = inner["hits"][:hits_shown]
    return response


def test_a_hit_counts_its_matching_moments_from_the_inner_hits_total():
    first, second = parse_response(
        SearchQuery(q="styrning"), response_with({"value": 57, "relation": "eq"})
    ).hits
    assert len(first.moments) == 2 and first.moment_count == 57
    assert second.moment_count is None  # no inner hits: nothing was counted
    # A hit whose transcript does not say it: counted, none.
    none = response_with({"value": 0, "relation": "eq"}, hits_shown=0)
    assert parse_response(SearchQuery(q="styrning"), none).hits[0].moment_count == 0


def test_the_count_stops_at_the_querys_cap_as_the_database_engine_counts():
    many = response_with({"value": 250, "relation": "eq"})
    (hit, _) = parse_response(SearchQuery(q="styrning"), many).hits
    assert hit.moment_count == MOMENT_COUNT_CAP  # the results page shows "100+"
    exact = dataclasses.replace(SearchQuery(q="styrning"), moment_count_cap=None)
    assert parse_response(exact, many).hits[0].moment_count == 250
    assert parse_response(export_query(SearchQuery(q="styrning")), many).hits[0].moment_count == 250
    few = parse_response(SearchQuery(q="styrning", moment_count_cap=10), many).hits[0]
    assert few.moment_count == 10


def test_a_hit_shows_as_many_moments_and_slide_pages_as_the_query_asks_for():
    response = response_with({"value": 2, "relation": "eq"})
    one = parse_response(SearchQuery(q="styrning", max_moments=1, max_slides=0), response).hits[0]
    assert len(one.moments) == 1 and one.slides == [] and one.moment_count == 2
    # More than three: every inner hit returned is shown (exports ask for up to 100).
    extra = response["hits"]["hits"][0]["inner_hits"]["transcript"]["hits"]
    extra["hits"] = [
        {**extra["hits"][0], "_source": {**extra["hits"][0]["_source"], "start": 100.0 + i}}
        for i in range(8)
    ]
    extra["total"] = {"value": 8, "relation": "eq"}
    hit = parse_response(export_query(SearchQuery(q="styrning")), response).hits[0]
    assert [m.start for m in hit.moments] == [100.0 + i for i in range(8)]
    assert hit.moment_count == 8
