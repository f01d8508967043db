"""One save lists every problem of a transcript: an unreadable time stamp (or time line) no
longer hides the segments that run backwards or overlap, which appeared only on the next save
(admin review, defect 5)."""

import pytest
from django.utils import translation
from wagtail.users.models import UserProfile

from archive.factories import SeminarPageFactory
from archive.models import Transcript
from archive.transcript_formats import (
    Cue,
    TranscriptFormatError,
    parse_srt,
    parse_stamped_text,
    parse_vtt,
)
from archive.transcript_store import save_transcript

# As the reviewer pasted it.
PASTED = "# Intro\n[00:05] Anna: Hej\n[00:03] Bertil: bakåt\n\n[99:99] X: fel"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def problems(parse, text) -> list[tuple[int, str]]:
    with pytest.raises(TranscriptFormatError) as error:
        parse(text)
    return error.value.problems


def test_a_bad_stamp_and_times_running_backwards_are_listed_together():
    found = problems(parse_stamped_text, PASTED)
    assert [line for line, _message in found] == [3, 5]
    assert found[0][1] == (
        "segment 2 (0:03) starts before the previous segment (0:05): times must run forwards."
    )
    assert "the time stamp [99:99] could not be read" in found[1][1]
    # Only bad stamps: just those.
    found = problems(parse_stamped_text, "[99:99] fel\n[12:75] fel igen")
    assert [line for line, _message in found] == [1, 2]


def test_segments_after_a_bad_stamp_keep_their_numbers_and_every_kind_is_listed():
    text = "[00:05] A\n\n[99:99] B\nmer B\n\n[00:03] C\n\n[00:10]\n\n[00:12] D\n[00:11] E"
    found = problems(parse_stamped_text, text)
    assert [line for line, _message in found] == [3, 6, 8, 11]
    assert "[99:99] could not be read" in found[0][1]
    # Segment 3 is "C" (the unreadable one is segment 2), compared with segment 1.
    assert found[1][1].startswith("segment 3 (0:03) starts before the previous segment (0:05)")
    assert found[2][1].startswith("segment 4 (0:10) has no text")
    assert found[3][1].startswith("segment 6 (0:11) starts before the previous segment (0:12)")


@pytest.mark.parametrize("stamp", ["00:x5", "12;05", "1:2o"])
def test_a_stamp_mistyped_with_a_letter_is_reported_not_kept_as_text(stamp):
    found = problems(parse_stamped_text, f"[00:01] Hej.\n\n[{stamp}] Sedan.\n\n[applåder] Tack.")
    assert found == [
        (
            3,
            f"the time stamp [{stamp}] could not be read. Write it as [mm:ss] or [hh:mm:ss], "
            "e.g. [12:05] or [1:02:03].",
        )
    ]
    # Brackets that are no stamp stay text.
    cues = parse_stamped_text("[00:01] Hej.\n\n[applåder] Tack.")
    assert [c.text for c in cues] == ["Hej.", "[applåder] Tack."]


def test_vtt_lists_an_unreadable_time_line_with_the_other_cues_problems():
    text = (
        "WEBVTT\n\n00:00:05.000 --> 00:00:06.000\nHej\n\n"
        "00:00:03.000 --> 00:00:04.000\nbakåt\n\n"
        "00:00:99.000 --> 00:00:10.000\nfel\n\n"
        "00:00:11.000 --> 00:00:12.000\nok\n\n"
        "00:00:11.500 --> 00:00:13.000\növerlappar\n"
    )
    found = problems(parse_vtt, text)
    assert [line for line, _message in found] == [6, 9, 15]
    assert found[0][1].startswith("segment 2 (0:03) starts before the previous segment")
    assert "could not be read" in found[1][1]
    assert found[2][1].startswith("segment 5 (0:11) overlaps the previous segment")


def test_srt_lists_an_unreadable_time_line_with_the_other_cues_problems():
    text = (
        "1\n00:00:05,000 --> 00:00:06,000\nHej\n\n"
        "2\n00:00:0x,000 --> 00:00:04,000\nfel\n\n"
        "3\n00:00:03,000 --> 00:00:04,000\nbakåt\n"
    )
    found = problems(parse_srt, text)
    assert [line for line, _message in found] == [6, 10]
    assert "could not be read" in found[0][1]
    assert found[1][1].startswith("segment 3 (0:03) starts before the previous segment (0:05)")


@pytest.mark.django_db
def test_the_transcript_screen_lists_every_problem_and_saves_nothing(
    client, django_user_model, archive_root
):
    user = django_user_model.objects.create_superuser("admin", password="x")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    page = SeminarPageFactory(parent=archive_root, slug="klistrat")
    save_transcript(page, [Cue(0, 2, "Det som fanns.")])
    revisions = page.revisions.count()
    response = client.post(
        f"/admin/archive/transcript/{page.pk}/", {"action": "upload", "text": PASTED}
    )
    assert response.status_code == 200
    shown = response.context["problems"]
    assert len(shown) == 2
    assert shown[0].startswith("Line 3: segment 2 (0:03) starts before the previous segment")
    assert shown[1].startswith("Line 5: the time stamp [99:99] could not be read")
    # Nothing was saved; the pasted text is kept for correcting.
    transcript = Transcript.objects.get(seminar=page)
    assert [s.text for s in transcript.segments.all()] == ["Det som fanns."]
    assert page.revisions.count() == revisions
    assert "[99:99] X: fel" in response.content.decode()
