"""Which transcript moments the database engine shows: the segments that match the most query
words, the earliest first, also in long transcripts (where it stops early)."""

import pytest

from search.engines.base import MAX_MOMENTS, SearchQuery
from search.engines.database import DatabaseEngine


@pytest.fixture
def engine(settings):
    settings.ELASTICSEARCH_URL = ""
    return DatabaseEngine()


def starts(engine, q):
    [hit] = engine.search(SearchQuery(q=q)).hits
    return [m.start for m in hit.moments]


def test_moments_are_the_segments_matching_most_words_earliest_first(engine, seminar):
    lines = {
        3: "Budgeten och styrningen hänger ihop.",
        40: "Styrningen av budgeten igen.",
        90: "Budgeten är stram.",
    }
    transcript = [
        (float(t), t + 0.9, "", lines.get(t, f"Budgeten, del {t}.")) for t in range(0, 1200, 1)
    ]  # 1,200 segments, every one says "budgeten"
    seminar("Ett långt samtal", lead="Om pengar.", transcript=transcript)
    assert len(transcript) > 100 * MAX_MOMENTS
    # One word: every segment matches equally; the earliest ones are shown.
    assert starts(engine, "budget") == [0.0, 1.0, 2.0]
    # Two words: the two segments with both come first, then the earliest with one.
    assert starts(engine, "budget styrning") == [0.0, 3.0, 40.0]
    # Three segments or more with both words: the earliest of those.
    assert starts(engine, "budgeten") == [0.0, 1.0, 2.0]
    assert starts(engine, "styrning") == [3.0, 40.0]


def test_three_words_rank_segments_by_how_many_they_match(engine, seminar):
    transcript = [(float(t), t + 0.9, "", f"Budgeten, del {t}.") for t in range(300)]
    transcript[200] = (200.0, 200.9, "", "Budgeten, styrningen och tilliten.")
    transcript[250] = (250.0, 250.9, "", "Styrningen och budgeten.")
    seminar("Ett långt samtal", lead="Om pengar.", transcript=transcript)
    assert starts(engine, "budget styrning tillit") == [0.0, 200.0, 250.0]
