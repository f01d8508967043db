"""Saving transcripts: validation first, one transaction, speakers resolved to the seminar's own."""

import pytest

from archive.factories import SeminarPageFactory, SeminarSpeakerFactory, SpeakerFactory
from archive.models import Transcript, TranscriptSegment
from archive.transcript_formats import Cue, TranscriptFormatError, parse_transcript
from archive.transcript_store import save_transcript, transcript_cues

pytestmark = pytest.mark.django_db


@pytest.fixture
def seminar(archive_root):
    page = SeminarPageFactory(parent=archive_root, duration=600)
    SeminarSpeakerFactory(page=page, speaker=SpeakerFactory(name="Anna Svensson"))
    return page


def test_save_resolves_the_seminars_speakers_and_keeps_free_names(seminar, django_user_model):
    # A speaker with the same name who is NOT on this seminar must not be linked.
    SpeakerFactory(name="Bertil Berg")
    vtt = (
        b"WEBVTT\n\nNOTE chapter: Inledning\n\n00:00:01.000 --> 00:00:03.000\n"
        b"<v  anna   SVENSSON >Hej.\n\n00:00:03.000 --> 00:00:05.000\n<v Bertil Berg>Tack.\n"
    )
    transcript = save_transcript(seminar, parse_transcript(vtt, "a.vtt"), source_name="a.vtt")
    segments = list(transcript.segments.select_related("speaker"))
    assert segments[0].speaker.name == "Anna Svensson" and segments[0].speaker_name == ""
    assert segments[1].speaker is None and segments[1].speaker_name == "Bertil Berg"
    assert [s.position for s in segments] == [0, 1]
    assert segments[0].chapter == "Inledning"
    assert transcript.source_name == "a.vtt"
    assert transcript.review_state == Transcript.ReviewState.EDITED
    assert transcript.language == seminar.language


def test_saving_again_replaces_every_segment(seminar):
    save_transcript(seminar, [Cue(0, 1, "gammal"), Cue(1, 2, "gammal 2"), Cue(2, 3, "gammal 3")])
    transcript = save_transcript(
        seminar, [Cue(0, 2, "ny")], review_state=Transcript.ReviewState.MACHINE
    )
    assert list(transcript.segments.values_list("text", flat=True)) == ["ny"]
    assert TranscriptSegment.objects.count() == 1
    assert Transcript.objects.get().review_state == "machine"


def test_rejected_input_changes_nothing(seminar):
    save_transcript(seminar, [Cue(0, 5, "Första versionen.")])
    bad = [Cue(0, 5, "ok", line=3), Cue(4, 700, "för lång och överlappar", line=6)]
    with pytest.raises(TranscriptFormatError) as err:
        save_transcript(seminar, bad)
    # Both problems named with their lines; the video is 600 s long.
    assert [line for line, _ in err.value.problems] == [6, 6]
    assert [c.text for c in transcript_cues(seminar.transcript)] == ["Första versionen."]


def test_reviewed_state_records_reviewer(seminar, django_user_model):
    user = django_user_model.objects.create_user("granskare", password="x")
    transcript = save_transcript(
        seminar, [Cue(0, 1, "a")], user=user, review_state=Transcript.ReviewState.REVIEWED
    )
    assert transcript.reviewed_by == user and transcript.reviewed_at is not None
    transcript = save_transcript(seminar, [Cue(0, 1, "b")], user=user)
    transcript.refresh_from_db()
    assert transcript.review_state == "edited" and transcript.reviewed_by is None


def test_cues_round_trip_through_the_database(seminar):
    cues = [
        Cue(0.5, 2.25, "Hej", speaker="Anna Svensson", chapter="Start"),
        Cue(2.25, 4.0, "Svar", speaker="Publiken"),
    ]
    save_transcript(seminar, cues)
    back = transcript_cues(Transcript.objects.get())
    assert [(c.start, c.end, c.text, c.speaker, c.chapter) for c in back] == [
        (0.5, 2.25, "Hej", "Anna Svensson", "Start"),
        (2.25, 4.0, "Svar", "Publiken", ""),
    ]


def test_awkward_text_and_times_are_stored_exactly(seminar):
    """Segments are written in one statement (on PostgreSQL as one JSON document): quotes,
    backslashes, JSON-looking text, line breaks, emoji and millisecond times survive as given."""
    texts = [
        "Hon sa: \"styrning\" och 'tillit'.",
        r"C:\mappar\n inte en radbrytning \\ \u00e5",
        '{"start": 1, "text": "inte JSON"}]',
        "Rad ett\nrad två\ttab",
        "Välfärd 🙂 – ÅÄÖ åäö ü ß",
    ]
    cues = [Cue(i * 1.5 + 0.001, i * 1.5 + 1.234, text) for i, text in enumerate(texts)]
    transcript = save_transcript(seminar, cues)
    stored = list(
        transcript.segments.order_by("position").values_list("start", "end", "text", "speaker_id")
    )
    assert [s[2] for s in stored] == texts
    assert [(s[0], s[1]) for s in stored] == [(round(c.start, 3), round(c.end, 3)) for c in cues]
    assert {s[3] for s in stored} == {None}


def test_control_characters_are_dropped_before_checking_and_storing(seminar):
    """PostgreSQL refuses NUL in text; the other control characters are invisible noise."""
    vtt = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Anna\x00 Svensson>Hej\x00 då\x01\x7f."
        "\n\n00:00:03.000 --> 00:00:05.000\nRad ett\trad\x9b två\n"
    ).encode()
    transcript = save_transcript(seminar, parse_transcript(vtt, "a.vtt"))
    segments = list(transcript.segments.order_by("position").select_related("speaker"))
    assert [s.text for s in segments] == ["Hej då.", "Rad ett rad två"]
    assert segments[0].speaker.name == "Anna Svensson"


def test_a_cue_of_control_characters_only_has_no_text(seminar):
    with pytest.raises(TranscriptFormatError) as err:
        save_transcript(seminar, [Cue(0, 1, "ok"), Cue(1, 2, "\x00\x07", line=4)])
    assert [line for line, _ in err.value.problems] == [4]
    assert not TranscriptSegment.objects.exists()
