"""The transcript on the seminar page, its downloads, and the review workflow."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from wagtail.models import PageViewRestriction, Workflow

from archive.factories import (
    SeminarPageFactory,
    SeminarSlideFactory,
    SeminarSpeakerFactory,
    SpeakerFactory,
    make_document,
    make_pdf,
)
from archive.models import ArchiveDocument, Transcript
from archive.transcript_formats import Cue, parse_vtt
from archive.transcript_store import save_transcript

pytestmark = pytest.mark.django_db

VTT = (
    "WEBVTT\n\nNOTE chapter: Inledning\n\n"
    "00:00:01.000 --> 00:00:04.000\n<v Anna Svensson>Välkomna till seminariet.\n\n"
    "00:00:04.000 --> 00:00:09.500\n<v Bertil Berg>Tack &amp; hej.\n\n"
    "NOTE chapter: Frågor\n\n"
    "00:00:12.000 --> 00:00:15.000\nEn fråga från publiken.\n"
)


SRT_TWO = (
    "1\n00:00:01,000 --> 00:00:04,000\nFörst i den nya.\n\n"
    "2\n00:00:04,000 --> 00:00:08,000\nSedan i den nya.\n"
)


def english_url(page) -> str:
    """The page's path under the /en/ prefix (the English interface)."""
    with translation.override("sv"):
        return "/en" + page.get_url_parts()[2]


@pytest.fixture
def seminar(archive_root):
    page = SeminarPageFactory(
        parent=archive_root,
        slug="tillit",
        title="Tillit i styrningen",
        video_url="https://www.youtube.com/watch?v=abcdefghijk",
    )
    SeminarSpeakerFactory(page=page, speaker=SpeakerFactory(name="Anna Svensson"))
    save_transcript(page, parse_vtt(VTT))
    return page


def test_seminar_page_shows_transcript_with_chapters_and_timestamps(client, seminar):
    response = client.get(seminar.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Välkomna till seminariet." in html
    assert "Tack &amp; hej." in html
    # Server-rendered: timestamps link to ?t= so the transcript works without JavaScript, and
    # with no #seg- fragment, whose jump to the line scrolled the video off the screen.
    assert 'href="?t=4"' in html and "#seg-" not in html
    assert re.search(r'<h3 class="seg__chapter">Frågor</h3>', html)
    assert 'data-seek="12.000"' in html  # chapter list
    assert 'aria-live="polite"' in html
    assert "js/player.js" in html and "<script>" not in html  # no inline scripts (CSP)
    assert "enablejsapi=1" in html  # YouTube iframe controllable through its API
    assert "review-badge--edited" in html


def test_moments_between_whole_seconds_link_to_and_mark_their_own_line(client, archive_root):
    """Lines start at 31.17 s in real transcripts: a link floored to ?t=31 marked (and the
    player opened) the line before, and a ?t= in a pause between lines marked nothing."""
    page = SeminarPageFactory(parent=archive_root, slug="bråkdelar")
    save_transcript(
        page,
        [
            Cue(1.0, 4.5, "Välkomna allihop."),
            Cue(4.5, 20.0, "Vi börjar."),  # a pause from 20 to 31.17
            Cue(31.17, 35.0, "Vad menar vi med tillit?", chapter="Tillit"),
        ],
    )
    html = client.get(page.url).content.decode()
    assert 'href="?t=31.17">' in html
    assert 'href="?t=31.17" data-seek="31.170"' in html  # the chapter list

    def marked(t):
        html = client.get(f"{page.url}?t={t}").content.decode()
        found = re.findall(r'<li class="seg is-current" id="seg-(\d+)"', html)
        assert len(found) <= 1
        return int(found[0]) if found else None

    assert marked("31.17") == 2
    assert marked("33") == 2
    assert marked("25") == 1  # in the pause: the line before stays current, as in the player
    assert marked("4.5") == 1
    assert marked("0.5") is None  # before the first line


def test_seminar_with_a_unicode_slug_has_its_transcript_and_downloads(client, archive_root):
    """Wagtail's default allows slugs such as "öppna-data"; the download URLs must too."""
    page = SeminarPageFactory(parent=archive_root, slug="öppna-data", title="Öppna data")
    save_transcript(page, parse_vtt(VTT))
    response = client.get(page.url)
    assert response.status_code == 200
    url = Transcript.objects.get().download_url("srt")
    assert url in response.content.decode()
    download = client.get(url)
    assert download.status_code == 200
    assert "Välkomna till seminariet." in download.content.decode()
    assert download["Content-Disposition"] == "attachment; filename*=utf-8''%C3%B6ppna-data.srt"
    # Link checkers and podcast apps ask with HEAD first.
    head = client.head(url)
    assert head.status_code == 200 and head["Content-Type"].startswith("application/x-subrip")
    # What was said is marked as Swedish, also on the English page; the interface around it
    # (headings, badge, buttons) is in the page's language.
    for prefix, interface in (("", "sv"), ("/en", "en")):
        html = client.get(prefix + page.url).content.decode()
        assert f'<html lang="{interface}"' in html
        section = re.search(r'<section class="transcript"[^>]*>', html).group(0)
        assert "lang=" not in section
        assert re.search(r'<ol class="transcript__segments"[^>]*lang="sv"', html)


def test_deep_link_marks_the_segment_and_starts_the_embed_there(client, seminar):
    html = client.get(seminar.url + "?t=5").content.decode()
    current = re.search(r'<li class="seg is-current" id="seg-(\d+)"[^>]*aria-current="true"', html)
    assert current and current.group(1) == "1"
    assert "start=5" in html
    assert 'data-start="5.000"' in html


def test_downloads_round_trip_with_content_types_and_filenames(client, seminar):
    transcript = Transcript.objects.get()
    expected = {
        "vtt": "text/vtt; charset=utf-8",
        "srt": "application/x-subrip; charset=utf-8",
        "txt": "text/plain; charset=utf-8",
    }
    for fmt, content_type in expected.items():
        response = client.get(transcript.download_url(fmt))
        assert response.status_code == 200, fmt
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == f'attachment; filename="tillit.{fmt}"'
    vtt = client.get(transcript.download_url("vtt")).content.decode("utf-8")
    key = [(c.start, c.end, c.text, c.speaker, c.chapter) for c in parse_vtt(VTT)]
    assert [(c.start, c.end, c.text, c.speaker, c.chapter) for c in parse_vtt(vtt)] == key
    # Linked from the page (and in English under /en/).
    assert transcript.download_url("srt") in client.get(seminar.url).content.decode()
    assert client.get("/en" + transcript.download_url("txt")).status_code == 200


def test_a_transcript_download_answers_304_while_unchanged(client, seminar):
    """Players and caption tools fetch the captions again on every view: each got the whole
    file (no ETag, no 304), as the feeds did."""
    from archive.transcript_store import save_transcript

    transcript = Transcript.objects.get()
    url = transcript.download_url("vtt")
    first = client.get(url)
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) > 2
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    save_transcript(seminar, parse_vtt(VTT.replace("Välkomna", "Hej och välkomna")))
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_a_time_stored_out_of_range_still_downloads(client, seminar):
    """Times of 1e308 s once got past every check (form fields and JSON allow them) and then
    every download of the transcript answered 500 (adversarial review)."""
    from archive.models import TranscriptSegment

    TranscriptSegment.objects.filter(position=1).update(start=1e300, end=1e308)
    transcript = Transcript.objects.get()
    for fmt in ("vtt", "srt", "txt"):
        assert client.get(transcript.download_url(fmt)).status_code == 200, fmt
    assert "100:00:00.000" in client.get(transcript.download_url("vtt")).content.decode()


def test_captions_track_for_uploaded_video(client, archive_root):
    from wagtailmedia.models import Media

    media = Media(title="Film", type="video", duration=30)
    media.file.save("film.webm", ContentFile(b"not really a video"), save=False)
    media.save()
    page = SeminarPageFactory(parent=archive_root, video_file=media, language="en")
    save_transcript(page, [Cue(0, 2, "Hello")])
    html = client.get(page.url).content.decode()
    track = re.search(r"<track [^>]+>", html).group(0)
    assert 'kind="captions"' in track and 'srclang="en"' in track and 'label="English"' in track
    assert Transcript.objects.get(seminar=page).download_url("vtt") in track
    assert "data-speed" in html  # speed control for uploaded video
    # The speeds are written as numbers are in the page's language.
    assert ">0,75×<" in html and ">1,5×<" in html
    english = client.get("/en" + page.url).content.decode()
    assert ">0.75×<" in english and ">1.5×<" in english and ">2×<" in english


def test_draft_and_private_transcripts_are_not_downloadable(client, seminar):
    url = Transcript.objects.get().download_url("vtt")
    assert client.get(url.replace(".vtt", ".pdf")).status_code == 404
    assert client.get(url.replace("/tillit.", "/annan.")).status_code == 404
    PageViewRestriction.objects.create(page=seminar, restriction_type="password", password="x")
    assert client.get(url).status_code == 404
    PageViewRestriction.objects.all().delete()
    assert client.get(url).status_code == 200
    seminar.unpublish()
    assert client.get(url).status_code == 404


def test_a_visitor_with_the_password_gets_working_downloads_and_no_public_links(client, seminar):
    """Behind a password the page showed download, BibTeX and oEmbed links that all answered
    404 to the visitor who had given the password. Downloads now follow the page's restriction;
    the public API's links (citations, oEmbed) are left out."""
    from django.test import Client
    from django.urls import reverse

    restriction = PageViewRestriction.objects.create(
        page=seminar, restriction_type="password", password="hemligt"
    )
    url = Transcript.objects.get().download_url("vtt")
    assert client.get(url).status_code == 404
    response = client.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, seminar.pk]),
        {"password": "hemligt", "return_url": seminar.url},
    )
    assert response.status_code == 302
    html = client.get(seminar.url).content.decode()
    assert "Välkomna till seminariet." in html and url in html
    assert "cite.bib" not in html and "json+oembed" not in html
    download = client.get(url)
    assert download.status_code == 200 and "Välkomna till seminariet." in download.content.decode()
    assert "private" in download["Cache-Control"]
    assert "Access-Control-Allow-Origin" not in download
    assert Client().get(url).status_code == 404  # anyone else
    restriction.delete()
    public = client.get(seminar.url).content.decode()
    assert "cite.bib" in public
    assert client.get(url)["Access-Control-Allow-Origin"] == "*"


def test_three_thousand_segments_render_with_bounded_queries(
    client, seminar, django_assert_max_num_queries
):
    cues = [
        Cue(
            i * 2.0,
            i * 2.0 + 2.0,
            f"Mening nummer {i} om styrning.",
            speaker="Anna Svensson" if i % 2 else "Bertil Berg",
            chapter=f"Del {i // 500}" if i % 500 == 0 else "",
        )
        for i in range(3000)
    ]
    save_transcript(seminar, cues)
    with django_assert_max_num_queries(40):
        response = client.get(seminar.url)
    html = response.content.decode()
    assert html.count('<li class="seg') == 3000
    assert "Mening nummer 2999 om styrning." in html


def test_review_through_moderators_workflow_records_reviewer(client, seminar, django_user_model):
    from archive.transcript_store import request_review

    editor = django_user_model.objects.create_superuser("redaktor", password="x")
    moderator = django_user_model.objects.create_user(
        "moderator", password="x", first_name="Maja", last_name="Moderator"
    )
    moderator.groups.add(Group.objects.get(name="Moderators"))
    workflow = Workflow.objects.get(name="Moderators approval")
    workflow.workflow_pages.get_or_create(page=seminar.get_parent())

    save_transcript(seminar, parse_vtt(VTT), user=editor)
    state = request_review(seminar, editor)
    assert state is not None and state.status == "in_progress"
    assert Transcript.objects.get().review_state == "edited"

    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve")

    transcript = Transcript.objects.get()
    assert transcript.review_state == "reviewed"
    assert transcript.reviewed_by == moderator and transcript.reviewed_at is not None
    html = client.get(english_url(seminar)).content.decode()
    assert "review-badge--reviewed" in html and "Reviewed by Maja Moderator" in html
    # Editing again takes the badge back to "edited".
    save_transcript(seminar, [Cue(0, 1, "Ny text")], user=editor)
    assert "Edited, not yet reviewed" in client.get(english_url(seminar)).content.decode()


def test_the_review_badge_never_shows_a_login_name(client, seminar, django_user_model):
    """A reviewer without a full name was shown by login name: "Granskat av admin, 7 december
    2026"."""
    import datetime as dt

    from django.utils import timezone

    admin = django_user_model.objects.create_user("admin", password="x")
    reviewed_at = timezone.make_aware(dt.datetime(2026, 12, 7, 10, 0))
    Transcript.objects.filter(seminar=seminar).update(
        review_state="reviewed", reviewed_by=admin, reviewed_at=reviewed_at
    )
    html = client.get(seminar.url).content.decode()
    badge = re.search(r'<p class="review-badge[^"]*">(.*?)</p>', html, re.S).group(1)
    assert " ".join(badge.split()) == "Granskat 7 december 2026"
    admin.first_name, admin.last_name = "Maja", "Granskare"
    admin.save()
    html = client.get(seminar.url).content.decode()
    assert "Granskat av Maja Granskare, 7 december 2026" in html


def test_admin_upload_rejects_bad_file_and_keeps_old_transcript(client, seminar, django_user_model):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin = django_user_model.objects.create_superuser("admin", password="x")
    client.force_login(admin)
    url = f"/admin/archive/transcript/{seminar.pk}/"
    assert client.get(url).status_code == 200
    bad = (
        "WEBVTT\n\n00:00:05.000 --> 00:00:03.000\nBaklänges\n\n00:00:04.000 --> 00:00:06.000\n\n"
    ).encode()
    response = client.post(
        url, {"action": "upload", "file": SimpleUploadedFile("fel.vtt", bad, "text/vtt")}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Rad 3:" in html and "baklänges" in html  # the admin speaks Swedish
    assert Transcript.objects.get().segments.count() == 3

    response = client.post(
        url,
        {
            "action": "upload",
            "machine": "on",
            "text": "[00:01] Anna Svensson: Hej.\n[00:03] Hej då.",
        },
    )
    assert response.status_code == 302
    transcript = Transcript.objects.get()
    assert transcript.review_state == "machine"
    assert [s.speaker_id is not None for s in transcript.segments.all()] == [True, False]
    # Each accepted change saved a new page revision; the rejected one did not.
    assert seminar.revisions.count() == 1


def form_version(html: str) -> str:
    return re.search(r'name="version" value="([^"]*)"', html).group(1)


def test_segment_edits_never_overwrite_a_transcript_changed_since(
    client, seminar, django_user_model
):
    """Tab A opens the editor, tab B replaces the transcript, tab A saves an edit: A's stale
    rows once overwrote B's transcript without a word. Now A is told and nothing changes."""
    admin = django_user_model.objects.create_superuser("admin", password="x")
    client.force_login(admin)
    url = f"/admin/archive/transcript/{seminar.pk}/"
    html = client.get(url).content.decode()
    assert re.search(r"<h1[^>]*>.*Transkript", html, re.S) and seminar.title in html
    opened = form_version(html)
    stale_edit = {
        "action": "segments",
        "version": opened,
        "seg-TOTAL_FORMS": "1",
        "seg-INITIAL_FORMS": "1",
        "seg-0-position": "0",
        "seg-0-start": "1",
        "seg-0-end": "4",
        "seg-0-text": "Rättad i flik A",
    }
    response = client.post(
        url,
        {"action": "upload", "file": SimpleUploadedFile("ny.srt", SRT_TWO.encode(), "text/plain")},
    )
    assert response.status_code == 302
    replaced = [s.text for s in Transcript.objects.get().segments.all()]
    assert replaced == ["Först i den nya.", "Sedan i den nya."]

    response = client.post(url, stale_edit)
    html = response.content.decode()
    assert response.status_code == 200
    assert "ändrades" in html and "Ladda om sidan" in html
    transcript = Transcript.objects.get()
    assert [s.text for s in transcript.segments.all()] == replaced
    assert transcript.source_name == "ny.srt"

    # With the version of the page as it is now, the same edit is saved.
    stale_edit["version"] = form_version(client.get(url).content.decode())
    assert client.post(url, stale_edit).status_code == 302
    assert Transcript.objects.get().segments.get(position=0).text == "Rättad i flik A"


def test_segment_save_without_a_transcript_is_refused_not_a_crash(
    client, archive_root, django_user_model
):
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    page = SeminarPageFactory(parent=archive_root, slug="utan")
    response = client.post(
        f"/admin/archive/transcript/{page.pk}/",
        {"action": "segments", "version": "", "seg-TOTAL_FORMS": "0", "seg-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    assert "inget transkript" in response.content.decode()
    assert not Transcript.objects.exists()


def test_admin_segment_editor_pages_and_saves_edits(client, seminar, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", password="x")
    client.force_login(admin)
    save_transcript(seminar, [Cue(i, i + 1, f"Segment {i}") for i in range(250)])
    url = f"/admin/archive/transcript/{seminar.pk}/"
    html = client.get(url + "?p=3").content.decode()
    assert 'name="seg-TOTAL_FORMS" value="50"' in html
    assert "Segment 249" in html and "Segment 199" not in html
    data = {
        "action": "segments",
        "version": form_version(html),
        "seg-TOTAL_FORMS": "2",
        "seg-INITIAL_FORMS": "2",
        "seg-0-position": "200",
        "seg-0-start": "200",
        "seg-0-end": "201",
        "seg-0-speaker": "Anna Svensson",
        "seg-0-text": "Rättad text",
        "seg-0-chapter": "Slut",
        "seg-1-position": "201",
        "seg-1-start": "201",
        "seg-1-end": "202",
        "seg-1-text": "Segment 201",
        "seg-1-DELETE": "on",
    }
    response = client.post(url + "?p=3", data)
    assert response.status_code == 302
    segments = list(Transcript.objects.get().segments.select_related("speaker"))
    assert len(segments) == 249
    assert segments[200].text == "Rättad text" and segments[200].chapter == "Slut"
    assert segments[200].speaker.name == "Anna Svensson"
    # An edit that overlaps is refused with the segment named, and nothing changes.
    data["version"] = form_version(client.get(url + "?p=3").content.decode())
    data.update({"seg-0-end": "205", "seg-1-DELETE": ""})
    data["seg-1-position"], data["seg-1-start"], data["seg-1-end"] = "201", "202", "203"
    response = client.post(url + "?p=3", data)
    assert "överlappar föregående segment" in response.content.decode()
    assert Transcript.objects.get().segments.get(position=200).end == 201


def test_segment_editor_names_every_input_by_its_column_and_row(client, seminar, django_user_model):
    """The table shows the field labels only as column headings: each input is labelled by
    its heading and its row (screen readers and voice control need a name per field)."""
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    save_transcript(seminar, [Cue(i, i + 1, f"Segment {i}") for i in range(3)])
    html = client.get(f"/admin/archive/transcript/{seminar.pk}/").content.decode()
    table = re.search(r'<table class="listing transcript-segments">.*?</table>', html, re.S)[0]
    ids = set(re.findall(r'id="([^"]+)"', html))
    inputs = re.findall(r"<(?:input|textarea)\b[^>]*>", table)
    visible = [tag for tag in inputs if 'type="hidden"' not in tag]
    assert len(visible) == 3 * 6  # start, end, speaker, text, chapter, delete
    for tag in visible:
        labelled_by = re.search(r'aria-labelledby="([^"]+)"', tag)
        assert labelled_by, tag
        column, row = labelled_by[1].split()
        assert {column, row} <= ids, tag
    assert re.search(r'<th scope="row" id="seg-2-label">.*?3', table, re.S)
    assert '<th id="seg-col-text">Text</th>' in table


def test_segment_editor_shows_every_field_error_and_drops_control_characters(
    client, seminar, django_user_model
):
    """A too long speaker name was refused with no message at all, and the edits were lost
    without a word; a NUL in the text refused the row, though transcripts drop it."""
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    url = f"/admin/archive/transcript/{seminar.pk}/"
    edit = {
        "action": "segments",
        "version": form_version(client.get(url).content.decode()),
        "seg-TOTAL_FORMS": "1",
        "seg-INITIAL_FORMS": "1",
        "seg-0-position": "0",
        "seg-0-start": "1",
        "seg-0-end": "4",
        "seg-0-speaker": "x" * 256,
        "seg-0-text": "Rättad\x00 text",
    }
    response = client.post(url, edit)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ingenting ändrades" in html
    assert "Segment 1, Talare:" in html and "som mest 255 tecken" in html
    edit["seg-0-speaker"] = "Anna Svensson"
    assert client.post(url, edit).status_code == 302
    assert Transcript.objects.get().segments.get(position=0).text == "Rättad text"


def test_a_file_with_thousands_of_problems_lists_the_first_fifty(
    client, seminar, django_user_model
):
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    # 3,000 cues that each run backwards.
    srt = "".join(
        f"{i}\n00:00:{i % 60:02d},500 --> 00:00:{i % 60:02d},100\nText {i}\n\n"
        for i in range(1, 3001)
    )
    response = client.post(
        f"/admin/archive/transcript/{seminar.pk}/",
        {"action": "upload", "file": SimpleUploadedFile("fel.srt", srt.encode(), "text/plain")},
    )
    html = response.content.decode()
    problems = re.search(r'<ul class="transcript-problems">(.*?)</ul>', html, re.S).group(1)
    assert problems.count("<li>") == 51
    more = int(re.search(r"… och (\d+) problem till", problems).group(1))
    assert more > 2900  # every cue has at least one problem
    assert len(html) < 200_000


def test_slides_show_count_thumbnail_and_editor_warning(
    client, archive_root, django_capture_on_commit_callbacks, django_user_model
):
    page = SeminarPageFactory(parent=archive_root)
    with django_capture_on_commit_callbacks(execute=True):
        good = make_document(["Ett", "Två", "Tre"], title="Bilder")
        broken = ArchiveDocument(title="Trasig")
        broken.file.save("trasig.pdf", ContentFile(b"%PDF-1.4 trasig"), save=False)
        broken.save()
    SeminarSlideFactory(page=page, document=good, label="Huvudpresentation")
    SeminarSlideFactory(
        page=page, document=ArchiveDocument.objects.get(pk=broken.pk), label="Bilaga"
    )
    html = client.get(page.url).content.decode()
    assert "3 pages" in html or "3 sidor" in html
    assert ArchiveDocument.objects.get(pk=good.pk).thumbnail.url in html
    assert "slide-item__thumb--placeholder" in html  # the broken PDF has no thumbnail

    admin = django_user_model.objects.create_superuser("admin", password="x")
    client.force_login(admin)
    edit = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    warning = re.search(r'<li class="warning">(.*?)</li>', edit, re.DOTALL).group(1)
    assert "Bilaga" in warning and "PDF-filen kunde inte läsas" in warning
    assert f"/admin/archive/transcript/{page.pk}/" in edit
    assert make_pdf  # the generator used by make_document


def test_seminar_page_reads_its_transcript_and_slides_once(
    client, seminar, django_capture_on_commit_callbacks
):
    """The player, the transcript list, the JSON-LD and the social preview share one read of
    the transcript row and one of the slide rows (they each used to query their own)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with django_capture_on_commit_callbacks(execute=True):
        deck = make_document(["Ett", "Två"], title="Bilder")
    SeminarSlideFactory(page=seminar, document=ArchiveDocument.objects.get(pk=deck.pk))
    client.get(seminar.url)  # warm: site root, template and transcript caches
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(seminar.url).content.decode()
    tables = [
        q["sql"].split(" FROM ", 1)[1].split()[0]
        for q in ctx.captured_queries
        if " FROM " in q["sql"]
    ]
    assert tables.count('"archive_transcript"') == 1, tables
    assert tables.count('"archive_seminarslide"') == 1, tables
    thumbnail = ArchiveDocument.objects.get(pk=deck.pk).thumbnail.url
    assert f'<meta property="og:image" content="http://testserver{thumbnail}">' in html
    assert f'"thumbnailUrl": ["http://testserver{thumbnail}"]' in html  # JSON-LD
    assert "Välkomna till seminariet." in html


def test_test_media_view_answers_range_requests(client):
    """Browsers seek in video with Range requests; the test/dev media view must answer them.
    (A file outside the seminar folders: who may fetch those is tests/archive/
    test_media_access.py.)"""
    from django.core.files.storage import default_storage

    def body(response):
        return b"".join(response.streaming_content)

    name = default_storage.save("uploads/range-test.webm", ContentFile(b"0123456789"))
    url = "/media/" + name
    full = client.get(url)
    assert full.status_code == 200 and full["Accept-Ranges"] == "bytes"
    assert full["Content-Type"] == "video/webm"
    assert body(full) == b"0123456789"
    part = client.get(url, HTTP_RANGE="bytes=2-5")
    assert part.status_code == 206 and body(part) == b"2345"
    assert part["Content-Range"] == "bytes 2-5/10"
    assert body(client.get(url, HTTP_RANGE="bytes=-3")) == b"789"
    assert body(client.get(url, HTTP_RANGE="bytes=7-")) == b"789"
    assert client.get(url, HTTP_RANGE="bytes=20-").status_code == 416
    assert client.get("/media/../settings.py").status_code == 404


def test_the_password_page_is_the_sites_own_and_tells_nothing_about_the_seminar(client, seminar):
    from django.urls import reverse

    restriction = PageViewRestriction.objects.create(
        page=seminar, restriction_type="password", password="hemligt"
    )
    response = client.get(seminar.url)
    html = response.content.decode()
    assert "Lösenord krävs" in html and 'class="site-header"' in html
    assert seminar.title not in html and "Välkomna till seminariet." not in html
    assert '<meta name="robots" content="noindex">' in html
    action = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, seminar.pk])
    wrong = client.post(action, {"password": "fel", "return_url": seminar.url})
    assert 'role="alert"' in wrong.content.decode() and 'aria-invalid="true"' in (
        wrong.content.decode()
    )
    right = client.post(action, {"password": "hemligt", "return_url": seminar.url})
    assert right.status_code == 302
    assert "Välkomna till seminariet." in client.get(seminar.url).content.decode()
