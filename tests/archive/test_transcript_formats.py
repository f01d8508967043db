"""Parsing and writing transcripts from real files written in the test (no database)."""

import math

import pytest
from django.utils import translation

from archive.transcript_formats import (
    Cue,
    TranscriptFormatError,
    decode_transcript,
    format_clock,
    format_timestamp,
    parse_srt,
    parse_stamped_text,
    parse_transcript,
    parse_vtt,
    to_srt,
    to_txt,
    to_vtt,
    validate_cues,
)

VTT = """WEBVTT

NOTE chapter: Inledning

1
00:00:01.000 --> 00:00:04.250
<v Anna Svensson>Välkomna till <b>Tillitsdelegationens</b> seminarium &amp; samtal.

00:00:04.250 --> 00:00:09.000 align:start
<v.loud Bertil Åberg>Tack. Vi börjar
med styrningen.

NOTE chapter: Frågor

00:01:02.500 --> 00:01:10.000
<i>Publiken</i> ställer frågor.
"""

SRT = """1
00:00:01,000 --> 00:00:04,000
Anna Svensson: Hej och <i>välkomna</i>!

2
00:00:04,000 --> 00:00:08,500
Det här är en text utan talare.
Med två rader.

3
01:02:03,004 --> 01:02:05,000
Kl. 10: frukost
"""


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted as written in the code (English msgids); Swedish has its own test."""
    with translation.override("en"):
        yield


def write(tmp_path, name, data: bytes) -> bytes:
    """Write a real file and read it back as an upload would arrive."""
    path = tmp_path / name
    path.write_bytes(data)
    return path.read_bytes()


def test_vtt_voice_tags_become_speakers_and_other_tags_are_stripped(tmp_path):
    data = write(tmp_path, "talk.vtt", VTT.encode("utf-8"))
    cues = parse_transcript(data, "talk.vtt")
    assert [c.speaker for c in cues] == ["Anna Svensson", "Bertil Åberg", ""]
    assert cues[0].text == "Välkomna till Tillitsdelegationens seminarium & samtal."
    assert cues[1].text == "Tack. Vi börjar med styrningen."
    assert cues[2].text == "Publiken ställer frågor."
    assert (cues[0].start, cues[0].end) == (1.0, 4.25)
    assert cues[2].start == 62.5
    assert [c.chapter for c in cues] == ["Inledning", "", "Frågor"]
    assert [c.line for c in cues] == [6, 9, 15]


@pytest.mark.parametrize(
    "encoding,bom",
    [
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
    ],
)
def test_vtt_with_bom_crlf_and_utf16(tmp_path, encoding, bom):
    text = VTT.replace("\n", "\r\n")
    data = write(tmp_path, "talk.vtt", bom + text.encode(encoding))
    cues = parse_transcript(data, "TALK.VTT")
    assert len(cues) == 3
    assert cues[1].speaker == "Bertil Åberg"
    assert cues[1].text == "Tack. Vi börjar med styrningen."
    assert [c.line for c in cues] == [6, 9, 15]


def test_srt_with_name_prefix_and_tags(tmp_path):
    data = write(tmp_path, "talk.srt", SRT.encode("utf-8"))
    cues = parse_transcript(data, "talk.srt")
    assert [(c.start, c.end) for c in cues] == [(1.0, 4.0), (4.0, 8.5), (3723.004, 3725.0)]
    assert cues[0].speaker == "Anna Svensson"
    assert cues[0].text == "Hej och välkomna!"
    assert cues[1].speaker == ""
    assert cues[1].text == "Det här är en text utan talare. Med två rader."
    # "Kl. 10:" has digits: not a speaker name.
    assert cues[2].speaker == ""
    assert cues[2].text == "Kl. 10: frukost"
    assert [c.line for c in cues] == [2, 6, 11]


def test_stamped_text_with_speakers_chapters_and_unstamped_paragraphs(tmp_path):
    text = (
        "# Inledning\n"
        "[00:05] Anna Svensson: Välkomna hit!\n"
        "Vi börjar strax.\n"
        "\n"
        "Bertil Berg: Tack för det, nu kör vi.\n"
        "\n"
        "# Frågor\n"
        "[1:01:00] Publiken: En fråga.\n"
    )
    cues = parse_transcript(write(tmp_path, "talk.txt", text.encode()), "talk.txt")
    assert [c.speaker for c in cues] == ["Anna Svensson", "Bertil Berg", "Publiken"]
    assert cues[0].text == "Välkomna hit! Vi börjar strax."
    assert [c.chapter for c in cues] == ["Inledning", "", "Frågor"]
    assert cues[0].start == 5.0
    # The unstamped paragraph sits between the stamps, ends where the next stamp starts.
    assert 5.0 < cues[1].start < 3660.0
    assert cues[0].end == cues[1].start and cues[1].end == 3660.0
    # The last segment gets an end from its length, at least two seconds.
    assert cues[2].start == 3660.0 and cues[2].end >= 3662.0
    assert [c.line for c in cues] == [2, 5, 8]
    validate_cues(cues)


def test_stamped_text_without_stamps_keeps_order_from_zero():
    cues = parse_stamped_text("Första stycket här.\n\nAndra stycket, lite längre än det första.")
    assert cues[0].start == 0.0
    assert cues[0].end == cues[1].start < cues[1].end
    validate_cues(cues)


def test_bad_stamp_names_its_line():
    with pytest.raises(TranscriptFormatError) as err:
        parse_stamped_text("[00:01] ok\n[12:75] fel\n[00:9] fel igen\n")
    assert [line for line, _msg in err.value.problems] == [2, 3]
    assert "[12:75]" in err.value.problems[0][1]


def test_unreadable_vtt_time_line_is_reported_not_dropped():
    text = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nett\n\n00:00:02.000 --> 00:0x:03.000\ntvå\n"
    with pytest.raises(TranscriptFormatError) as err:
        parse_vtt(text)
    assert err.value.problems[0][0] == 6
    assert "00:0x:03.000" in err.value.problems[0][1]


def test_file_that_is_not_vtt_is_rejected():
    with pytest.raises(TranscriptFormatError) as err:
        parse_transcript(b"1\n00:00:01,000 --> 00:00:02,000\nhej\n", "talk.vtt")
    assert "WEBVTT" in str(err.value)


def test_unknown_extension_is_rejected():
    with pytest.raises(TranscriptFormatError, match=r"\.vtt"):
        parse_transcript(b"hej", "talk.docx")


def test_unknown_encoding_says_save_as_utf8(tmp_path):
    data = write(tmp_path, "talk.txt", "[00:01] Hej\n[00:02] Åsa säger något\n".encode("cp1252"))
    with pytest.raises(TranscriptFormatError) as err:
        decode_transcript(data)
    assert err.value.problems[0][0] == 2
    assert "unknown encoding" in str(err.value) and "UTF-8" in str(err.value)
    with pytest.raises(TranscriptFormatError):
        parse_transcript(data, "talk.txt")


def test_validation_lists_every_problem_with_its_line():
    cues = [
        Cue(0.0, 5.0, "Ett", line=3),
        Cue(4.0, 8.0, "Överlappar", line=6),  # overlaps previous
        Cue(10.0, 9.0, "Baklänges", line=9),  # ends before it starts
        Cue(11.0, 12.0, "   ", line=12),  # empty text
        Cue(9.5, 10.0, "Tidigare", line=15),  # starts before previous
        Cue(20.0, 130.0, "För lång", line=18),  # beyond the video
    ]
    with pytest.raises(TranscriptFormatError) as err:
        validate_cues(cues, duration=120)
    problems = err.value.problems
    assert [line for line, _ in problems] == [6, 9, 12, 15, 18]
    text = str(err.value)
    assert "Line 6:" in text and "overlaps" in text
    assert "backwards" in problems[1][1]
    assert "no text" in problems[2][1]
    assert "before the previous segment" in problems[3][1]
    assert "after the end of the video (2:00)" in problems[4][1]


def test_validation_accepts_touching_cues_and_no_duration():
    validate_cues([Cue(0, 5, "a"), Cue(5, 9, "b")], duration=None)
    with pytest.raises(TranscriptFormatError, match="no segments"):
        validate_cues([])


def test_vtt_round_trip_is_cue_for_cue(tmp_path):
    cues = parse_vtt(VTT)
    out = to_vtt(cues)
    again = parse_transcript(write(tmp_path, "out.vtt", out.encode()), "out.vtt")
    strip = [(c.start, c.end, c.text, c.speaker, c.chapter) for c in cues]
    assert [(c.start, c.end, c.text, c.speaker, c.chapter) for c in again] == strip
    assert "<v Anna Svensson>" in out and "&amp;" in out


def test_srt_and_txt_round_trip():
    cues = [
        Cue(1.0, 4.0, "Hej & <hallå>", speaker="Anna Svensson", chapter="Start"),
        Cue(4.0, 7.5, "Svar utan talare."),
    ]
    srt = to_srt(cues)
    assert srt.startswith("1\n00:00:01,000 --> 00:00:04,000\nAnna Svensson: Hej & <hallå>")
    back = parse_srt(srt)
    assert [(c.start, c.end, c.speaker) for c in back] == [
        (1.0, 4.0, "Anna Svensson"),
        (4.0, 7.5, ""),
    ]
    txt = to_txt(cues)
    assert txt.startswith("# Start\n\n[00:01] Anna Svensson: Hej & <hallå>")
    back = parse_stamped_text(txt)
    assert [(c.start, c.text, c.speaker, c.chapter) for c in back] == [
        (1.0, "Hej & <hallå>", "Anna Svensson", "Start"),
        (4.0, "Svar utan talare.", "", ""),
    ]


@pytest.mark.parametrize(
    "value,seconds",
    [
        ("754", 754.0),
        ("754.5", 754.5),
        ("12m34s", 754.0),
        ("1h2m3s", 3723.0),
        ("12:34", 754.0),
        ("1:02:03", 3723.0),
        ("45s", 45.0),
        ("", None),
        ("abc", None),
        ("1:xx", None),
        (None, None),
    ],
)
def test_deep_link_time_values(value, seconds):
    from archive.transcript_formats import parse_time_param

    assert parse_time_param(value) == seconds


@pytest.mark.parametrize(
    "seconds, value",
    [(31.17, "31.17"), (31.166, "31.17"), (56.0, "56"), (0.5, "0.5"), (0, "0"), (3723.1, "3723.1")],
)
def test_moment_values_keep_the_hundredths_and_read_back(seconds, value):
    from archive.transcript_formats import parse_time_param, time_param

    assert time_param(seconds) == value
    assert parse_time_param(value) == pytest.approx(seconds, abs=0.005)


def test_messages_speak_the_editors_language():
    cues = [Cue(0.0, 5.0, "Hej", line=3), Cue(4.0, 8.0, "", line=6)]
    with translation.override("sv"), pytest.raises(TranscriptFormatError) as err:
        validate_cues(cues)
    assert err.value.messages() == [
        "Rad 6: segment 2 (0:04) saknar text. Skriv in texten eller ta bort segmentet.",
        "Rad 6: segment 2 (0:04) överlappar föregående segment, som slutar 00:00:05.000. "
        "Låt det börja då eller senare.",
    ]
    with translation.override("sv"), pytest.raises(TranscriptFormatError, match="inga segment"):
        validate_cues([])


@pytest.mark.parametrize(
    "start, end", [(math.inf, 2.0), (0.0, math.nan), (0.0, 1e308), (-1e300, 1)]
)
def test_times_beyond_any_recording_are_refused_with_a_message(start, end):
    with translation.override("en"), pytest.raises(TranscriptFormatError) as error:
        validate_cues([Cue(0, 1, "Hej."), Cue(start, end, "Sedan.")])
    assert error.value.messages() == [
        "Segment 2: its times must be seconds from 0 to 360000 (100 hours). Correct them."
    ]


def test_clocks_never_fail_on_a_stored_time():
    for seconds in (math.inf, -math.inf, math.nan, 1e308, -5.0):
        assert format_timestamp(seconds).count(":") == 2
        assert ":" in format_clock(seconds)
