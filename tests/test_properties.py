"""Property-based tests: random Unicode, control characters and huge inputs never crash the
transcript parsers, the search API or the importers; they answer with clear errors instead."""

import contextlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.importers.seminars import ALLOWED_KEYS
from archive.transcript_formats import (
    Cue,
    TranscriptFormatError,
    parse_srt,
    parse_transcript,
    parse_vtt,
    to_srt,
    to_vtt,
    validate_cues,
)

# Any text, including control characters, surrogates excluded (they cannot be encoded).
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=2000)
FORMATS = ("t.vtt", "t.srt", "t.txt")


@settings(max_examples=150, deadline=None)
@given(data=st.one_of(ANY_TEXT, st.binary(max_size=3000)), filename=st.sampled_from(FORMATS))
def test_parsers_never_crash_on_random_input(data, filename):
    try:
        cues = parse_transcript(data, filename)
    except TranscriptFormatError as exc:
        assert exc.problems, "an error must say what is wrong"
        for line, message in exc.problems:
            assert message.strip()
            assert line is None or line >= 1
        return
    for cue in cues:
        assert cue.end >= cue.start >= 0
        assert cue.text.strip()


@settings(max_examples=30, deadline=None)
@given(filename=st.sampled_from(FORMATS), size=st.integers(200_000, 600_000))
def test_huge_garbage_is_refused_cleanly(filename, size):
    blob = ("\x00\x07\u202e" + "ä" * 50 + "\n") * (size // 54)
    try:
        parse_transcript(blob, filename)
    except TranscriptFormatError as exc:
        assert exc.problems


# Speakers and texts as people write them: letters, digits, punctuation, Swedish letters. No colon
# in cue text: SRT has no voice tags, so "Name: text" is how it carries a speaker.
WORDS = (
    st.text(
        st.characters(categories=("Lu", "Ll", "Nd"), include_characters=" åäöÅÄÖéü.,!?-'"),
        min_size=1,
        max_size=80,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)
NAME_PART = st.tuples(
    st.sampled_from("ABCDEFGHIJKLMNOPRSTUVWÅÄÖ"),
    st.text(st.sampled_from("abcdefghijklmnoprstuvyåäöé"), min_size=1, max_size=10),
).map("".join)
NAMES = st.lists(NAME_PART, min_size=1, max_size=3).map(" ".join)


@st.composite
def cue_lists(draw):
    n = draw(st.integers(1, 40))
    t, cues = 0.0, []
    for _ in range(n):
        gap = draw(st.integers(0, 5000)) / 1000
        length = draw(st.integers(100, 20_000)) / 1000
        start = round(t + gap, 3)
        end = round(start + length, 3)
        cues.append(
            Cue(start=start, end=end, text=draw(WORDS), speaker=draw(st.one_of(st.just(""), NAMES)))
        )
        t = end
    return cues


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cues=cue_lists())
def test_vtt_and_srt_round_trip(cues):
    validate_cues(cues)
    for write, read in ((to_vtt, parse_vtt), (to_srt, parse_srt)):
        back = read(write(cues))
        assert len(back) == len(cues)
        for a, b in zip(cues, back, strict=True):
            assert abs(a.start - b.start) < 0.0015 and abs(a.end - b.end) < 0.0015
            assert b.text == a.text
            assert b.speaker == a.speaker


@pytest.mark.django_db
@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    q=ANY_TEXT,
    page=st.one_of(st.text(max_size=12), st.integers(-(10**12), 10**12).map(str)),
    page_size=st.one_of(st.text(max_size=12), st.integers(-(10**6), 10**6).map(str)),
    extra=st.dictionaries(
        st.sampled_from(
            [
                "series",
                "speaker",
                "topic",
                "year",
                "format",
                "lang",
                "sort",
                "has_video",
                "has_transcript",
            ]
        ),
        ANY_TEXT,
        max_size=4,
    ),
)
def test_search_api_never_500s(client, q, page, page_size, extra):
    params = {"q": q, "page": page, "page_size": page_size, **extra}
    response = client.get("/api/search/", params)
    assert response.status_code in (200, 400), response.content[:500]
    body = response.json()
    if response.status_code == 400:
        assert body["error"] and "parameter" in body
    else:
        assert set(body) >= {"query", "engine", "total", "results", "facets"}


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=ANY_TEXT)
def test_search_page_and_autocomplete_never_500(client, q):
    for url in ("/sok/", "/api/autocomplete/"):
        response = client.get(url, {"q": q})
        assert response.status_code in (200, 400), (url, response.content[:300])


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ANY_TEXT,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(ANY_TEXT, children, max_size=4)
    ),
    max_leaves=12,
)
IMPORT_KEYS = list(ALLOWED_KEYS)  # the keys the import format documents


@pytest.mark.django_db
@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    record=st.dictionaries(st.sampled_from(IMPORT_KEYS) | ANY_TEXT, JSON_VALUES, max_size=8),
    raw=ANY_TEXT,
)
def test_import_validation_never_crashes(tmp_path_factory, record, raw):
    from archive.importers.seminars import validate_record

    base = tmp_path_factory.mktemp("imp")
    result, errors = validate_record(record, 1, base)
    assert result is not None or errors
    for error in errors:
        assert str(error).strip()
    # And the command on a file mixing that record with a line of raw garbage never raises
    # anything but a reported failure.
    from io import StringIO

    from django.core.management import CommandError, call_command

    path = base / "in.jsonl"
    path.write_text(
        json.dumps(record, ensure_ascii=False) + "\n" + raw.replace("\n", " ") + "\n",
        encoding="utf-8",
    )
    out = StringIO()
    with contextlib.suppress(CommandError, SystemExit):
        call_command("import_seminars", str(path), "--dry-run", stdout=out, stderr=out)


@settings(max_examples=80, deadline=None)
@given(text=ANY_TEXT, year=st.one_of(st.none(), st.integers(1990, 2100)))
def test_announcement_parser_never_crashes(text, year):
    from archive.importers.announcement import parse_announcement

    try:
        result = parse_announcement(text, year=year)
    except ValueError as exc:
        assert str(exc).strip()
        return
    assert isinstance(result.unsure, list)


# Segment values as import files hold them: right and wrong types, texts with and without
# control characters, padding and over-long speakers.
SEGMENT_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10_000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["", "  ", "Anna Berg", " Anna Berg ", "a\x00b", "x" * 256, " " + "y" * 255]),
    ANY_TEXT,
    st.lists(st.integers(), max_size=2),
)
TEXT_VALUE = st.one_of(WORDS, ANY_TEXT, st.sampled_from(["", " ", " Anna Berg ", "x" * 256]))
# Segments with the right keys and mostly the right types: the fast path's cases.
PLAIN_SEGMENT = st.fixed_dictionaries(
    {
        "start": st.one_of(st.integers(0, 5000), st.floats(0, 5000, allow_nan=False)),
        "end": st.one_of(st.integers(0, 5000), st.floats(0, 5000, allow_nan=False)),
        "text": TEXT_VALUE,
    },
    optional={
        "speaker": st.one_of(st.none(), TEXT_VALUE, st.sampled_from([False, 0, []])),
        "chapter": st.one_of(st.none(), TEXT_VALUE, st.sampled_from([False, 0, []])),
    },
)
# Anything an import file may hold where a segment belongs.
ANY_SEGMENT = st.one_of(
    st.dictionaries(
        st.sampled_from(["start", "end", "text", "speaker", "chapter", "talare"]),
        SEGMENT_VALUE,
        max_size=5,
    ),
    SEGMENT_VALUE,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    items=st.one_of(
        st.lists(PLAIN_SEGMENT, max_size=5),
        st.lists(st.one_of(PLAIN_SEGMENT, ANY_SEGMENT), max_size=5),
    )
)
def test_inline_transcript_fast_path_reads_what_the_checker_reads(items):
    """Well-formed inline segments skip the per-field checker: same cues, same problems."""
    from pathlib import Path

    from archive.importers.seminars import _checked_cues, _Checker, _inline_cues

    fast, slow = _Checker(1, Path(".")), _Checker(1, Path("."))
    assert _inline_cues(fast, items) == _checked_cues(slow, items)
    assert fast.problems == slow.problems
