"""Filtering and facet counting work on posting lists (with or without search words); they must
give exactly what the plain definition, checking every seminar one by one, gives."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from search.engines.database import (
    FACETS,
    Candidates,
    filter_and_count,
    parse_candidate,
    sort_candidates,
)


def filter_every_seminar(candidates, selected):
    """The definition: candidates matching every selected facet (OR within one facet); a
    facet's counts cover the results of every OTHER facet's filter, unselected facets count
    the results."""
    everything: list[str] = []
    partial: dict[str, list[str]] = {facet: [] for facet in selected}
    results = []
    for candidate in candidates:
        failing = [f for f, keys in selected.items() if candidate.keys.isdisjoint(keys)]
        if not failing:
            results.append(candidate)
            everything.extend(candidate.keys)
        elif len(failing) == 1:
            partial[failing[0]].extend(candidate.by_facet.get(failing[0], ()))
    counts: dict[str, Counter] = {facet: Counter() for facet in FACETS}
    for key, n in Counter(everything).items():
        counts[key.split("=", 1)[0]][key] += n
    for facet, keys in partial.items():
        counts[facet].update(keys)
    return results, counts


# A few values per facet, so random seminars share them and random filters hit and miss.
VALUES = {
    "series": ["frukost", "webbinarium", "konferens"],
    "speaker": ["anna-berg", "per-ek", "asa-oberg", "lars-lind"],
    "topic": ["styrning", "tillit", "npm"],
    "year": ["2018", "2019", "2024"],
    "format": ["breakfast", "webinar"],
    "language": ["sv", "en"],
    "has_video": ["true", "false"],
}


def keys_of(facet):
    return st.sets(st.sampled_from([f"{facet}={v}" for v in VALUES[facet]]), max_size=3)


seminar = st.tuples(*(keys_of(facet) for facet in VALUES)).map(
    lambda groups: sorted(k for group in groups for k in group)
)


@settings(max_examples=300, deadline=None)
@given(
    seminars=st.lists(seminar, max_size=40),
    selected=st.dictionaries(
        st.sampled_from(sorted(VALUES)),
        st.integers(min_value=0, max_value=2**8),
        max_size=3,
    ),
    matched=st.one_of(st.none(), st.sets(st.integers(min_value=1, max_value=45))),
)
def test_posting_lists_give_what_checking_every_seminar_gives(seminars, selected, matched):
    """``matched``: the seminars a query's words matched (None: browsing, no words); ids the
    index no longer lists (past the last seminar) are ignored."""
    rows = {
        pid: parse_candidate(pid, f"2020-01-{pid % 28 + 1:02d}", "\t".join(keys))
        for pid, keys in enumerate(seminars, start=1)
    }
    # Each selected facet gets a non-empty subset of its values (bits of the drawn integer),
    # sometimes one no seminar has.
    chosen = {}
    for facet, bits in selected.items():
        values = [*VALUES[facet], "nobody"]
        picked = {f"{facet}={v}" for i, v in enumerate(values) if bits >> i & 1}
        chosen[facet] = picked or {f"{facet}={values[0]}"}
    considered = [c for c in rows.values() if matched is None or c.page_id in matched]
    expected_results, expected_counts = filter_every_seminar(considered, chosen)
    results, counts = filter_and_count(Candidates.build(rows), chosen, within=matched)
    assert sorted(c.page_id for c in results) == sorted(c.page_id for c in expected_results)
    assert {f: +c for f, c in counts.items()} == {f: +c for f, c in expected_counts.items()}


def test_browsing_without_filters_does_not_hand_out_the_cached_counts():
    rows = {1: parse_candidate(1, "2020-01-01", "series=frukost\ttopic=tillit")}
    candidates = Candidates.build(rows)
    _results, counts = filter_and_count(candidates, {})
    counts["series"]["series=frukost"] += 5
    assert candidates.counts["series"]["series=frukost"] == 1


@settings(max_examples=200, deadline=None)
@given(
    starts=st.lists(st.sampled_from(["2019-05-01", "2020-01-02", "2020-01-03", ""]), max_size=60),
    scores=st.lists(st.sampled_from([0.0, 1.5, 2.0, 7.25]), min_size=60, max_size=60),
    sort=st.sampled_from(["relevance", "newest", "oldest"]),
    limit=st.integers(min_value=0, max_value=70),
)
def test_first_results_from_the_heap_equal_the_full_sort(starts, scores, sort, limit):
    """A result page is taken from a heap when it is small against the matches; it must be
    exactly the head of the full sort, ties (same score, same start) included."""
    rows = [parse_candidate(pid, start, "") for pid, start in enumerate(starts, start=1)]
    by_id = {c.page_id: scores[c.page_id - 1] for c in rows}
    full = sort_candidates(rows, sort, by_id)
    assert sort_candidates(rows, sort, by_id, limit=limit) == full[:limit]
