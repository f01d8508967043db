"""Elasticsearch request bodies and response parsing, as plain dicts (no cluster needed)."""

from __future__ import annotations

import pytest
from django.utils import translation

from search.engines.base import FACETS, SearchQuery
from search.es_queries import (
    FIELD_WEIGHTS,
    FUZZINESS,
    MAX_RESULT_WINDOW,
    build_autocomplete,
    build_search,
    parse_autocomplete,
    parse_response,
)


def body(**kwargs) -> dict:
    return build_search(SearchQuery(**kwargs)).to_dict()


def should(d: dict) -> list[dict]:
    return d["query"]["bool"]["should"]


def flat(clauses: list[dict]) -> list[dict]:
    """``clauses`` with each dis_max (the better of a Swedish and an English match) replaced
    by its queries, in order."""
    return [q for c in clauses for q in (c["dis_max"]["queries"] if "dis_max" in c else [c])]


def unwrap(clause: dict) -> dict:
    """A clause, or the Swedish match of a dis_max of the Swedish and the English match."""
    return clause["dis_max"]["queries"][0] if "dis_max" in clause else clause


def multi_matches(d: dict) -> list[dict]:
    return [c["multi_match"] for c in flat(should(d)) if "multi_match" in c]


def nested(d: dict, path: str) -> dict:
    (clause,) = [c["nested"] for c in should(d) if c.get("nested", {}).get("path") == path]
    return clause


def weights(fields: list[str]) -> dict[str, float]:
    out = {}
    for f in fields:
        name, _, weight = f.partition("^")
        out[name] = float(weight or 1)
    return out


# --- the query -------------------------------------------------------------------------------


def test_every_word_must_match_somewhere_with_field_weights():
    d = body(q="tillit styrning")
    main = multi_matches(d)[0]
    assert main["type"] == "cross_fields" and main["operator"] == "and"
    w = weights(main["fields"])
    assert w["title"] == w["code"] == 6
    assert w["speakers.name"] == 4
    assert w["topics.name"] == w["series.name"] == 3
    assert w["lead"] == 2 and w["body"] == 1
    assert w["title"] > w["speakers.name"] > w["topics.name"] > w["lead"] > w["body"]
    assert w["body"] >= w["slides_text"] >= w["transcript_text"] > 0
    assert d["query"]["bool"]["minimum_should_match"] == 1


def test_folded_fields_match_words_typed_without_diacritics():
    folded = multi_matches(body(q="forvaltning"))[1]
    assert folded["type"] == "cross_fields" and folded["operator"] == "and"
    assert all(f.split("^")[0].endswith(".folded") for f in folded["fields"])
    assert "fuzziness" not in folded


def test_typos_are_tolerated_on_longer_words_only_with_a_lower_score():
    mm = multi_matches(body(q="forvaltnig"))
    (fuzzy,) = [m for m in mm if "fuzziness" in m]
    assert fuzzy["fuzziness"] == FUZZINESS == "AUTO:5,8"
    assert fuzzy["prefix_length"] == 1
    assert fuzzy["operator"] == "and"
    # Typos are compared with the words as written (unstemmed): "styrnig" would stem to "styrn".
    assert all(f.split("^")[0].endswith(".plain") for f in fuzzy["fields"])
    assert fuzzy["boost"] < 1


def test_exact_phrase_gets_a_boost_above_scattered_words():
    mm = multi_matches(body(q="tillitsbaserad styrning i praktiken"))
    (phrase,) = [m for m in mm if m.get("type") == "phrase"]
    assert phrase["query"] == "tillitsbaserad styrning i praktiken"
    assert phrase["boost"] > max(m.get("boost", 1) for m in mm if m is not phrase)
    assert weights(phrase["fields"])["title"] == 6
    # A single word has no phrase to reward.
    assert not [m for m in multi_matches(body(q="tillit")) if m.get("type") == "phrase"]


def test_a_phrase_typed_without_diacritics_is_a_phrase_in_the_folded_fields():
    """ "enkel fraga": the folded fields hold "fråga" also as "fraga", at the same position."""
    d = body(q="enkel fraga")
    (phrase,) = [m for m in multi_matches(d) if m.get("type") == "phrase"]
    assert weights(phrase["fields"])["title.folded"] == 6
    assert weights(phrase["fields"])["title"] == 6  # and as typed
    clauses = nested(d, "transcript")["query"]["bool"]["should"]
    assert {"match_phrase": {"transcript.text": {"query": "enkel fraga", "boost": 3.0}}} in clauses
    assert any("transcript.text.folded" in c.get("match_phrase", {}) for c in clauses)


def test_a_quoted_phrase_is_required_also_without_diacritics():
    """As in the database engine, "a phrase" must stand in one field in that order."""
    d = body(q='"forvaltningspolitiken infor valet" budget')
    must = d["query"]["bool"]["must"]
    assert must[0]["bool"]["minimum_should_match"] == 1  # every word, somewhere
    assert must[1] == {
        "multi_match": {
            "query": "forvaltningspolitiken infor valet",
            "type": "phrase",
            "fields": must[1]["multi_match"]["fields"],
        }
    }
    assert {"title", "title.folded", "transcript_text.folded"} <= set(
        must[1]["multi_match"]["fields"]
    )
    either = body(q='"enkel fraga" OR budget')["query"]["bool"]["must"][0]["bool"]["should"]
    assert either[0]["bool"]["must"][1]["multi_match"]["query"] == "enkel fraga"
    assert "must" not in body(q='"tillit" budget')["query"]["bool"]  # one word: no phrase


@pytest.mark.parametrize(
    "q, same_as",
    [
        ("tillit AND styrning", "tillit styrning"),
        ("tillit && styrning", "tillit styrning"),
        ("tillit OR", "tillit"),
        ("OR tillit", "tillit"),
        ("tillit NOT", "tillit"),
        ("tillit^2", "tillit"),
        ("tillit^2 styrning~", "tillit styrning"),
    ],
)
def test_and_dangling_operators_and_boosts_ask_for_no_more_words(q, same_as):
    assert body(q=q)["query"] == body(q=same_as)["query"]
    assert body(q=q)["suggest"]["did_you_mean"]["text"] == same_as


def test_only_operators_ask_for_nothing():
    assert body(q="AND")["query"] == {"bool": {"must_not": [{"match_all": {}}]}}


def test_transcript_moments_come_from_a_nested_query_with_inner_hits():
    transcript = nested(body(q="förtroende"), "transcript")
    assert transcript["score_mode"] == "max"
    inner = transcript["inner_hits"]
    assert inner["name"] == "transcript" and inner["size"] == 3
    assert inner["highlight"]["encoder"] == "html"
    assert inner["highlight"]["pre_tags"] == ["<mark>"]
    assert inner["highlight"]["post_tags"] == ["</mark>"]
    assert inner["highlight"]["fields"]["transcript.text"] == {"number_of_fragments": 0}
    clauses = flat(transcript["query"]["bool"]["should"])
    assert {"match": {"transcript.text": {"query": "förtroende", "operator": "and"}}} in clauses
    assert any("match_phrase" in c for c in clauses)
    (fuzzy,) = [
        c["match"]["transcript.text.plain"]
        for c in clauses
        if "transcript.text.plain" in c.get("match", {})
    ]
    assert fuzzy["fuzziness"] == "AUTO:5,8" and fuzzy["operator"] == "and"


def test_who_said_it_speaker_filter_applies_inside_the_transcript_query():
    d = body(q="förtroende", speaker=("anna-svensson", "bjorn-oberg"))
    inner_filter = nested(d, "transcript")["query"]["bool"]["filter"]
    assert inner_filter == [
        {"terms": {"transcript.speaker_slug": ["anna-svensson", "bjorn-oberg"]}}
    ]
    # ...and one of them must speak at the seminar itself (not only moderate it).
    assert {"terms": {"speaker_slugs": ["anna-svensson", "bjorn-oberg"]}} in (
        d["post_filter"]["bool"]["filter"]
    )
    # Without a speaker filter every speaker's segments count.
    assert "filter" not in nested(body(q="förtroende"), "transcript")["query"]["bool"]


def test_slide_pages_come_from_a_nested_query_with_highlighted_fragments():
    slides = nested(body(q="nyckeltal"), "slides")
    inner = slides["inner_hits"]
    assert inner["name"] == "slides" and inner["size"] == 3
    assert inner["highlight"]["encoder"] == "html"
    assert inner["highlight"]["fields"]["slides.text"]["number_of_fragments"] == 1


def test_an_empty_query_lists_everything_newest_first_without_moments():
    d = body()
    assert d["query"] == {"match_all": {}}
    assert d["sort"][0] == {"start": {"order": "desc"}}
    assert "highlight" not in d and "suggest" not in d


# --- filters and facets ----------------------------------------------------------------------


def test_filters_go_to_post_filter_so_facets_still_see_other_values():
    d = body(
        q="styrning",
        series=("forvaltningsdagarna",),
        topic=("tillit",),
        year=(2023, 2024),
        format=("webinar",),
        lang=("sv",),
        has_video=True,
        has_transcript=False,
    )
    assert d["post_filter"]["bool"]["filter"] == [
        {"terms": {"series.slug": ["forvaltningsdagarna"]}},
        {"terms": {"topics.slug": ["tillit"]}},
        {"terms": {"year": [2023, 2024]}},
        {"terms": {"format": ["webinar"]}},
        {"terms": {"language": ["sv"]}},
        {"term": {"has_video": True}},
        {"term": {"has_transcript": False}},
    ]
    # The main query is untouched by filters (aggregations run on it).
    assert "filter" not in d["query"]["bool"]


def test_a_date_range_filters_the_query_itself_in_local_days():
    """Unlike facet filters, the dates narrow what every facet counts (the query's filter),
    with both days included in Stockholm's time."""
    import datetime as dt

    d = body(q="styrning", date_from=dt.date(2024, 6, 1), date_to=dt.date(2024, 6, 30))
    held = {
        "range": {
            "start": {"gte": "2024-06-01", "lt": "2024-07-01", "time_zone": "Europe/Stockholm"}
        }
    }
    assert d["query"]["bool"]["filter"] == [held]
    assert "post_filter" not in d
    assert body(date_to=dt.date(2024, 12, 31))["query"]["bool"]["filter"] == [
        {"range": {"start": {"lt": "2025-01-01", "time_zone": "Europe/Stockholm"}}}
    ]
    assert "filter" not in body(q="styrning")["query"].get("bool", {})


def test_each_facet_counts_with_all_filters_except_its_own():
    d = body(q="styrning", topic=("tillit",), year=(2024,))
    aggs = d["aggs"]
    assert set(aggs) == set(FACETS)
    topic_filter = aggs["topic"]["filter"]["bool"]["filter"]
    assert topic_filter == [{"terms": {"year": [2024]}}]
    year_filter = aggs["year"]["filter"]["bool"]["filter"]
    assert year_filter == [{"terms": {"topics.slug": ["tillit"]}}]
    speaker_filter = aggs["speaker"]["filter"]["bool"]["filter"]
    assert {"terms": {"topics.slug": ["tillit"]}} in speaker_filter
    assert {"terms": {"year": [2024]}} in speaker_filter
    assert aggs["speaker"]["aggs"]["values"]["terms"]["field"] == "facet_speakers"
    assert aggs["year"]["aggs"]["values"]["terms"]["order"] == {"_key": "desc"}


def test_without_filters_facets_count_everything_that_matched():
    d = body(q="styrning")
    assert "post_filter" not in d
    assert d["aggs"]["series"]["filter"] == {"match_all": {}}


# --- sorting, paging, highlighting, suggestions -------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "first"),
    [
        ("relevance", "_score"),
        ("newest", {"start": {"order": "desc"}}),
        ("oldest", {"start": {"order": "asc"}}),
    ],
)
def test_sort_orders(sort, first):
    assert body(q="styrning", sort=sort)["sort"][0] == first


def test_pagination_and_limits():
    d = body(q="styrning", page=3, page_size=10)
    assert (d["from"], d["size"]) == (20, 10)
    assert d["track_total_hits"] is True
    d = body(q="styrning", page=1, page_size=10_000)
    assert d["size"] == 100  # MAX_PAGE_SIZE
    d = body(q="x" * 500)
    assert len(multi_matches(d)[0]["query"]) == 200  # MAX_QUERY_LENGTH
    # Past the result window Elasticsearch would refuse: an empty page instead of an error.
    d = body(q="styrning", page=1000, page_size=20)
    assert d["from"] + d["size"] <= MAX_RESULT_WINDOW and d["size"] == 0


def test_highlight_escapes_html_and_marks_matches():
    h = body(q="styrning")["highlight"]
    assert h["encoder"] == "html"
    assert (h["pre_tags"], h["post_tags"]) == (["<mark>"], ["</mark>"])
    assert {"lead", "body", "slides_text", "transcript_text"} <= set(h["fields"])


def test_big_fields_stay_out_of_the_returned_source():
    excluded = body(q="styrning")["_source"]["excludes"]
    assert {"transcript", "slides", "transcript_text", "slides_text", "body"} <= set(excluded)
    assert "english" in excluded


def test_did_you_mean_uses_a_phrase_suggester_that_only_offers_phrases_with_results():
    suggest = body(q="tilitsbaserad styrnig")["suggest"]["did_you_mean"]
    assert suggest["text"] == "tilitsbaserad styrnig"
    phrase = suggest["phrase"]
    assert phrase["field"] == "spell"
    assert phrase["direct_generator"][0]["field"] == "spell"
    assert phrase["collate"]["prune"] is False
    assert "{{suggestion}}" in str(phrase["collate"]["query"])


def test_autocomplete_searches_the_edge_ngram_fields():
    d = build_autocomplete("  tilli  sv ", limit=5).to_dict()
    mm = d["query"]["multi_match"]
    assert mm["query"] == "tilli sv" and mm["operator"] == "and"
    assert set(weights(mm["fields"])) == {
        "title.autocomplete",
        "speakers.name.autocomplete",
        "topics.name.autocomplete",
    }
    assert d["size"] == 20  # four times the limit, ranked as the database ranks them


# --- parsing responses -------------------------------------------------------------------------

SEMINAR_URL = "/seminarier/tillit-i-styrningen/"


def raw_response(**overrides) -> dict:
    """A response shaped exactly like Elasticsearch 8's answer to build_search()."""
    response = {
        "took": 4,
        "timed_out": False,
        "hits": {
            "total": {"value": 2, "relation": "eq"},
            "max_score": 12.5,
            "hits": [
                {
                    "_index": "seminars-20250101000000000000",
                    "_id": "41",
                    "_score": 12.5,
                    "_source": {
                        "page_id": 41,
                        "slug": "tillit-i-styrningen",
                        "url": SEMINAR_URL,
                        "title": "Tillit i styrningen",
                        "start": "2024-03-05T09:00:00+01:00",
                        "series": {"slug": "forvaltningsdagarna", "name": "Förvaltningsdagarna"},
                        "speakers": [
                            {
                                "name": "Anna Svensson",
                                "slug": "anna-svensson",
                                "role": "speaker",
                                "title": "utredare",
                            }
                        ],
                        "topics": [{"slug": "tillit", "name": "Tillit"}],
                        "lead": "Om <b>tillit</b> & styrning.",
                        "format": "panel",
                        "language": "sv",
                        "has_video": True,
                        "has_transcript": True,
                    },
                    "highlight": {
                        "body": ["Detalj<mark>styrning</mark> &amp; &lt;kontroll&gt;"],
                    },
                    "inner_hits": {
                        "transcript": {
                            "hits": {
                                "total": {"value": 2, "relation": "eq"},
                                "hits": [
                                    {
                                        "_index": "x",
                                        "_id": "41",
                                        "_nested": {"field": "transcript", "offset": 7},
                                        "_score": 3.1,
                                        "_source": {
                                            "start": 754.9,
                                            "end": 760.2,
                                            "speaker": "Anna Svensson",
                                            "speaker_slug": "anna-svensson",
                                            "text": "Styrning & <tillit>",
                                        },
                                        "highlight": {
                                            "transcript.text": [
                                                "<mark>Styrning</mark> &amp; &lt;tillit&gt;"
                                            ]
                                        },
                                    },
                                    {
                                        "_index": "x",
                                        "_id": "41",
                                        "_nested": {"field": "transcript", "offset": 2},
                                        "_score": 2.0,
                                        "_source": {
                                            "start": 62.0,
                                            "end": 70.0,
                                            "speaker": "Björn Öberg",
                                            "speaker_slug": "bjorn-oberg",
                                            "text": "Om <script>styrning</script>",
                                        },
                                    },
                                ],
                            }
                        },
                        "slides": {
                            "hits": {
                                "total": {"value": 1, "relation": "eq"},
                                "hits": [
                                    {
                                        "_index": "x",
                                        "_id": "41",
                                        "_nested": {"field": "slides", "offset": 3},
                                        "_score": 1.2,
                                        "_source": {
                                            "document_id": 9,
                                            "page": 4,
                                            "label": "Presentation",
                                            "url": "/documents/9/bilder.pdf",
                                            "text": "Nyckeltal för styrning",
                                        },
                                        "highlight": {
                                            "slides.text.folded": [
                                                "Nyckeltal för <mark>styrning</mark>"
                                            ]
                                        },
                                    },
                                ],
                            }
                        },
                    },
                },
                {
                    "_index": "seminars-20250101000000000000",
                    "_id": "42",
                    "_score": None,
                    "_source": {
                        "page_id": 42,
                        "slug": "frukost",
                        "url": "/seminarier/frukost/",
                        "title": "Frukostmöte",
                        "start": "2019-05-02T08:00:00+02:00",
                        "lead": "A" * 400,
                        "speakers": [],
                        "topics": [],
                    },
                },
            ],
        },
        "aggregations": {
            "series": {
                "doc_count": 2,
                "values": {
                    "buckets": [{"key": "forvaltningsdagarna|Förvaltningsdagarna", "doc_count": 1}]
                },
            },
            "speaker": {
                "doc_count": 2,
                "values": {
                    "buckets": [
                        {"key": "anna-svensson|Anna Svensson", "doc_count": 1},
                        {"key": "bjorn-oberg|Björn Öberg", "doc_count": 1},
                    ]
                },
            },
            "topic": {"doc_count": 2, "values": {"buckets": []}},
            "year": {
                "doc_count": 2,
                "values": {
                    "buckets": [{"key": 2024, "doc_count": 1}, {"key": 2019, "doc_count": 1}]
                },
            },
            "format": {
                "doc_count": 2,
                "values": {
                    "buckets": [
                        {"key": "panel", "doc_count": 1},
                        {"key": "webinar", "doc_count": 1},
                    ]
                },
            },
            "language": {"doc_count": 2, "values": {"buckets": [{"key": "sv", "doc_count": 2}]}},
            "has_video": {
                "doc_count": 2,
                "values": {
                    "buckets": [
                        {"key": 1, "key_as_string": "true", "doc_count": 1},
                        {"key": 0, "key_as_string": "false", "doc_count": 1},
                    ]
                },
            },
            "has_transcript": {
                "doc_count": 2,
                "values": {"buckets": [{"key": 1, "key_as_string": "true", "doc_count": 1}]},
            },
        },
        "suggest": {
            "did_you_mean": [
                {
                    "text": "tilit styrnig",
                    "offset": 0,
                    "length": 13,
                    "options": [{"text": "tillit styrning", "score": 0.02}],
                }
            ]
        },
    }
    response.update(overrides)
    return response


@pytest.fixture
def results():
    query = SearchQuery(q="tilit styrnig", speaker=("anna-svensson",), has_video=True)
    with translation.override("sv"):
        return parse_response(query, raw_response())


def test_parse_hits(results):
    assert results.engine == "elasticsearch"
    assert results.total == 2
    first, second = results.hits
    assert (first.page_id, first.title, first.url) == (41, "Tillit i styrningen", SEMINAR_URL)
    assert first.series == {"slug": "forvaltningsdagarna", "name": "Förvaltningsdagarna"}
    assert first.speakers == [{"name": "Anna Svensson", "slug": "anna-svensson", "role": "speaker"}]
    assert first.topics == [{"slug": "tillit", "name": "Tillit"}]
    assert first.start == "2024-03-05T09:00:00+01:00"
    assert (first.format, first.language, first.has_video) == ("panel", "sv", True)
    assert first.score == 12.5 and second.score == 0.0


def test_snippet_is_the_escaped_highlight_or_the_escaped_lead(results):
    first, second = results.hits
    assert first.snippet == "Detalj<mark>styrning</mark> &amp; &lt;kontroll&gt;"
    assert second.snippet.startswith("AAAA") and len(second.snippet) < 200
    no_highlight = raw_response()
    del no_highlight["hits"]["hits"][0]["highlight"]
    hit = parse_response(SearchQuery(q="x"), no_highlight).hits[0]
    assert hit.snippet == "Om &lt;b&gt;tillit&lt;/b&gt; &amp; styrning."


def test_moments_link_to_the_second_in_the_video_in_spoken_order(results):
    moments = results.hits[0].moments
    assert [m.url for m in moments] == [f"{SEMINAR_URL}?t=62", f"{SEMINAR_URL}?t=754.9"]
    early, late = moments
    assert (late.start, late.end, late.speaker) == (754.9, 760.2, "Anna Svensson")
    assert late.text == "<mark>Styrning</mark> &amp; &lt;tillit&gt;"
    # No highlight returned: the source text is escaped, never passed through raw.
    assert early.text == "Om &lt;script&gt;styrning&lt;/script&gt;"
    assert results.hits[1].moments == []


def test_slide_hits_open_the_pdf_at_the_page(results):
    (slide,) = results.hits[0].slides
    assert slide.url == "/documents/9/bilder.pdf#page=4"
    assert (slide.page, slide.label) == (4, "Presentation")
    assert slide.text == "Nyckeltal för <mark>styrning</mark>"


def test_facets_have_values_labels_counts_and_selection(results):
    facets = results.facets
    assert set(facets) == set(FACETS)
    speakers = {f.value: f for f in facets["speaker"]}
    assert speakers["anna-svensson"].label == "Anna Svensson"
    assert speakers["anna-svensson"].selected is True
    assert speakers["bjorn-oberg"].selected is False
    assert [(f.value, f.label) for f in facets["series"]] == [
        ("forvaltningsdagarna", "Förvaltningsdagarna")
    ]
    assert [(f.value, f.count) for f in facets["year"]] == [("2024", 1), ("2019", 1)]
    formats = {f.value: f.label for f in facets["format"]}
    assert formats["panel"] == "Panelsamtal"  # the model's choice label, in Swedish
    video = {f.value: f for f in facets["has_video"]}
    assert video["true"].selected and not video["false"].selected
    assert facets["topic"] == []


def test_a_chosen_value_without_matches_stays_listed_so_it_can_be_unticked():
    query = SearchQuery(q="styrning", topic=("tillit", "kvantdatorer"), format=("panel",))
    facets = parse_response(query, raw_response()).facets
    topics = {f.value: (f.count, f.selected) for f in facets["topic"]}
    assert topics == {"kvantdatorer": (0, True), "tillit": (0, True)}
    panel = [f for f in facets["format"] if f.value == "panel"]
    assert [(f.count, f.selected) for f in panel] == [(1, True)]  # listed once, with its count


def test_did_you_mean(results):
    assert results.suggestion == "tillit styrning"
    same = raw_response(
        suggest={
            "did_you_mean": [{"text": "tillit", "options": [{"text": "Tillit", "score": 0.1}]}]
        }
    )
    assert parse_response(SearchQuery(q="tillit"), same).suggestion is None
    assert parse_response(SearchQuery(q="tillit"), raw_response(suggest={})).suggestion is None
    # A name typed with a capital keeps it (the index has only lower case).
    name = raw_response(
        suggest={"did_you_mean": [{"text": "åkeson", "options": [{"text": "åkesson"}]}]}
    )
    assert parse_response(SearchQuery(q="Åkeson"), name).suggestion == "Åkesson"


def test_urls_and_labels_follow_the_active_language():
    with translation.override("en"):
        results = parse_response(SearchQuery(q="styrning"), raw_response())
    assert {f.value: f.label for f in results.facets["format"]}["panel"] == "Panel"
    assert results.hits[0].url == f"/en{SEMINAR_URL}"
    assert results.hits[0].moments[0].url == f"/en{SEMINAR_URL}?t=62"
    # PDFs are not translated pages.
    assert results.hits[0].slides[0].url == "/documents/9/bilder.pdf#page=4"


def test_parse_autocomplete_names_what_matched():
    response = {
        "hits": {
            "hits": [
                {
                    "_source": {
                        "title": "Tillit i styrningen",
                        "url": SEMINAR_URL,
                        "speakers": [
                            {"name": "Tilda Östlund", "slug": "tilda-ostlund"},
                            {"name": "Anna Svensson", "slug": "anna-svensson"},
                        ],
                        "topics": [{"slug": "tillit", "name": "Tillit"}],
                    }
                },
                {
                    "_source": {
                        "title": "Ledarskap",
                        "url": "/seminarier/ledarskap/",
                        "speakers": [{"name": "Tilda Östlund", "slug": "tilda-ostlund"}],
                        "topics": [{"slug": "tillit", "name": "Tillit"}],
                    }
                },
            ]
        }
    }
    with translation.override("sv"):
        out = parse_autocomplete("til", response)
    assert [(s["kind"], s["label"]) for s in out] == [
        ("title", "Tillit i styrningen"),
        ("speaker", "Tilda Östlund"),
        ("topic", "Tillit"),
    ]
    assert out[0]["url"] == SEMINAR_URL
    assert out[1]["url"].endswith("?speaker=tilda-ostlund")
    assert out[2]["url"].endswith("?topic=tillit")
    # Diacritics need not be typed; the limit is respected.
    assert [s["label"] for s in parse_autocomplete("tilda ost", response)] == ["Tilda Östlund"]
    assert len(parse_autocomplete("til", response, limit=2)) == 2


def test_parse_autocomplete_suggests_moderators_once_and_leads_to_their_page():
    def hit(*people):
        return {"_source": {"title": "Samtal", "url": SEMINAR_URL, "speakers": list(people)}}

    ulla = {"name": "Ulla Öhman", "slug": "ulla-ohman", "role": "moderator"}
    both = {"name": "Öhmer Talar", "slug": "ohmer-talar", "role": "host"}
    response = {"hits": {"hits": [hit(ulla, both), hit({**both, "role": "speaker"})]}}
    with translation.override("en"):
        out = parse_autocomplete("ohm", response)
    assert [(s["kind"], s["label"], s["url"]) for s in out] == [
        ("speaker", "Öhmer Talar", "/en/search/?speaker=ohmer-talar"),
        ("moderator", "Ulla Öhman", "/en/speakers/ulla-ohman/"),
    ]


def test_operators_become_required_alternatives_and_exclusions():
    query = body(q='klimat OR budget styrning -skola -"öppna data"')["query"]["bool"]
    plain, either = query["must"]
    assert "'query': 'styrning'" in str(plain) and "transcript" in str(plain)  # its moments
    alternatives = either["bool"]["should"]
    assert either["bool"]["minimum_should_match"] == 1
    assert [unwrap(a["bool"]["should"][0])["multi_match"]["query"] for a in alternatives] == [
        "klimat",
        "budget",
    ]
    word, phrase = query["must_not"]
    assert word["multi_match"]["query"] == "skola"
    assert phrase["multi_match"] == {
        "query": "öppna data",
        "type": "phrase",
        "fields": phrase["multi_match"]["fields"],
    }
    assert {"transcript_text", "transcript_text.folded", "bios"} <= set(
        word["multi_match"]["fields"]
    )
    assert "suggest" not in body(q="klimat -skola")  # "did you mean" only for plain words
    assert "suggest" in body(q="klimat skola")


def test_only_alternatives_still_find_their_moments_and_only_exclusions_find_nothing():
    query = body(q="klimat OR budget")["query"]["bool"]
    (moments, slides) = query["should"]
    assert moments["nested"]["path"] == "transcript" and slides["nested"]["path"] == "slides"
    words = moments["nested"]["query"]["bool"]["should"][0]  # (the words' nested query)
    inner = unwrap(words["bool"]["should"][0])["match"]["transcript.text"]
    assert inner == {"query": "klimat budget", "operator": "or"}
    assert body(q="-klimat")["query"] == {"bool": {"must_not": [{"match_all": {}}]}}
    # No operators: the request is exactly as before.
    assert "must" not in body(q="klimat budget")["query"]["bool"]


def test_a_trailing_star_is_a_real_prefix_query_on_the_words_as_written():
    """``digitali*`` finds every word that starts so: ``prefix`` queries on the unstemmed,
    folded ``.plain`` fields, not ``phrase_prefix`` (which expands to the first 50 words of the
    term dictionary only, so "samverkan" is lost among 50 other "sam…" words)."""
    query = body(q="digitali* styrning")["query"]["bool"]
    plain, prefix = query["must"]
    assert "'query': 'styrning'" in str(plain)
    assert prefix["bool"]["minimum_should_match"] == 1
    assert prefix["bool"]["should"] == [
        {"prefix": {f"{name}.plain": {"value": "digitali", "boost": weight}}}
        for name, weight in FIELD_WEIGHTS.items()
    ]
    assert "phrase_prefix" not in str(body(q="digitali* styrning"))
    assert "suggest" not in body(q="digitali*")
    only = body(q="Digitali*")["query"]["bool"]  # lowercased: prefix queries are not analysed
    for clause, path in zip(only["should"], ("transcript", "slides"), strict=True):
        words = clause["nested"]["query"]["bool"]["should"][0]["bool"]["should"]
        assert words == [{"prefix": {f"{path}.text.plain": {"value": "digitali"}}}]
        assert f"{path}.text.plain" in clause["nested"]["inner_hits"]["highlight"]["fields"]
    excluded = body(q="tillit -sam*")["query"]["bool"]["must_not"][0]
    assert {"prefix": {"lead.plain": {"value": "sam", "boost": 2}}} in excluded["bool"]["should"]
    either = body(q="tillit OR sam*")["query"]["bool"]["must"][0]["bool"]["should"]
    assert {"prefix": {"title.plain": {"value": "sam", "boost": 6}}} in either[1]["bool"]["should"]
    # Too short to be a prefix: the word itself.
    assert "must" not in body(q="di*")["query"]["bool"]
    # Every field searched has its .plain subfield (unstemmed, folded at index time).
    from search.es_documents import seminar_index

    properties = seminar_index("test_seminars-x").to_dict()["mappings"]["properties"]
    for name in [*FIELD_WEIGHTS, "transcript.text", "slides.text"]:
        node = {"properties": properties}
        for part in name.split("."):
            node = node["properties"][part]
        plain = node["fields"]["plain"]
        assert (plain["analyzer"], plain["search_analyzer"]) == ("plain_index", "plain_search")


def test_hits_keep_the_moderator_apart_and_say_whether_the_time_is_known():
    raw = raw_response()
    source = raw["hits"]["hits"][0]["_source"]
    source["speakers"].append({"name": "Peter Öhman", "slug": "peter-ohman", "role": "moderator"})
    source["time_known"] = False
    first, second = parse_response(SearchQuery(q="tillit"), raw).hits
    assert [s["name"] for s in first.speakers] == ["Anna Svensson"]
    assert first.moderators == [{"name": "Peter Öhman", "slug": "peter-ohman", "role": "moderator"}]
    assert first.time_known is False
    assert second.time_known is True  # indexed before the field existed: a time was given


def test_talks_in_english_are_also_searched_by_their_english_forms():
    """The English-analysed fields (filled only for talks in English) are searched with every
    word required, at the seminar level and in each transcript segment and slide page, and
    their matches are highlighted."""
    d = body(q="municipality governing")
    (best,) = [c["dis_max"]["queries"] for c in should(d) if "dis_max" in c]
    swedish, english = best  # the better of the two counts, not their sum
    assert swedish["multi_match"]["type"] == "cross_fields"
    assert english == {
        "match": {"english": {"query": "municipality governing", "operator": "and", "boost": 0.8}}
    }
    for path in ("transcript", "slides"):
        clause = nested(d, path)
        assert {
            "match": {
                f"{path}.text_en": {
                    "query": "municipality governing",
                    "operator": "and",
                    "boost": 0.8,
                }
            }
        } in flat(clause["query"]["bool"]["should"])
        assert f"{path}.text_en" in clause["inner_hits"]["highlight"]["fields"]
    assert "english" in d["highlight"]["fields"]


def test_a_moment_matched_only_by_its_english_form_shows_that_highlight():
    raw = {
        "_id": "1",
        "_source": {"page_id": 1, "url": "/s/", "title": "Trust", "language": "en"},
        "highlight": {"english": ["Three <mark>municipalities</mark> told us"]},
        "inner_hits": {
            "transcript": {
                "hits": {
                    "hits": [
                        {
                            "_source": {"start": 12, "end": 18, "text": "Three municipalities"},
                            "highlight": {
                                "transcript.text_en": ["Three <mark>municipalities</mark>"]
                            },
                        }
                    ]
                }
            }
        },
    }
    results = parse_response(
        SearchQuery(q="municipality"), {"hits": {"total": {"value": 1}, "hits": [raw]}}
    )
    (hit,) = results.hits
    assert hit.snippet == "Three <mark>municipalities</mark> told us"
    assert hit.moments[0].text == "Three <mark>municipalities</mark>"


def test_parse_autocomplete_ranks_as_the_database_engine():
    people = [{"name": f"{c} Öberg", "slug": f"{c.lower()}-oberg"} for c in "ABCDEFGHIJ"]
    people.append({"name": "Per Oberg", "slug": "per-oberg"})
    response = {
        "hits": {"hits": [{"_source": {"title": "Samtal", "url": "/", "speakers": people}}]}
    }
    out = parse_autocomplete("oberg", response)
    assert len(out) == 8 and out[0]["label"] == "Per Oberg"
