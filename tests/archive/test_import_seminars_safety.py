"""``import_seminars`` and the work of editors and the shape of real files (review "import"):
``--update`` never publishes an editor's draft nor brings back a seminar taken offline; the dry
run of ``--update`` checks each record together with the seminar it updates, as the real run
does; names and texts written in decomposed Unicode (NFD, as macOS writes them) are one name."""

import datetime as dt
import re
import unicodedata

import pytest
from django.utils import timezone, translation
from wagtail.models import Revision, Workflow

from archive.factories import make_pdf
from archive.models import SeminarPage, Series, Speaker, Venue
from tests.archive.test_import_seminars import EXAMPLE_DIR, good, make_video, run, write_jsonl

A3 = "a3-tillitsbaserad-styrning-2017"
FRUKOST = "frukost-ledarskap-2016"


@pytest.fixture(autouse=True)
def english():
    """Messages from Django and the models are asserted in English (their msgids)."""
    with translation.override("en"):
        yield


@pytest.fixture
def example(archive_root):
    """The documented example, imported."""
    out, err, error = run(EXAMPLE_DIR / "seminars.jsonl")
    assert error is None, err
    return archive_root


def page(slug) -> SeminarPage:
    return SeminarPage.objects.get(slug=slug)


def problems(stderr: str) -> list[str]:
    """The problem lines of a run's report (the same list for a dry run and a real run)."""
    return [line.strip() for line in stderr.splitlines() if line.startswith("  line ")]


def notes(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith("Note: ")]


def save_draft(slug, user=None, **values) -> Revision:
    """What an editor's "Save draft" does: a new revision, the live page as it was."""
    draft = page(slug).get_latest_revision_as_object()
    for name, value in values.items():
        setattr(draft, name, value)
    return draft.save_revision(user=user)


# --------------------------------------------------------------------------- editors' work


@pytest.mark.django_db
def test_update_never_publishes_an_editors_unpublished_draft(example, tmp_path, client):
    revision = save_draft(A3, body=[{"type": "paragraph", "value": "<p>UTKAST: EJ GRANSKAD</p>"}])
    path = write_jsonl(tmp_path, {"id": A3, "room": "Sal 9"})

    dry_out, dry_err, dry_error = run(path, "--update", "--dry-run")
    out, err, error = run(path, "--update")
    assert error is not None and dry_error is not None
    assert "0 updated" in out and "1 failed" in out
    assert problems(err) == problems(dry_err) and len(problems(err)) == 1
    message = problems(err)[0]
    assert message.startswith(f"line 1: “{A3}” has changes saved as a draft that are not")
    assert "publish the draft, or discard it" in message and "run the import again" in message

    # Nothing of the draft (nor of the record) went public; the draft is still the editor's.
    response = client.get(f"/{A3}/")
    html = response.content.decode()
    assert response.status_code == 200 and "UTKAST" not in html and "Delegationen berättar" in html
    seminar = page(A3)
    assert seminar.room == "Sal 1" and seminar.has_unpublished_changes
    assert seminar.latest_revision_id == revision.pk  # no revision added

    # With --draft it would mix into the editor's draft: refused the same way.
    out, err, error = run(path, "--update", "--draft")
    assert error is not None and problems(err) == problems(dry_err)
    assert page(A3).latest_revision_id == revision.pk

    # Once the editor has published the draft, the update lands on top of it.
    revision.publish()
    out, err, error = run(path, "--update")
    assert error is None, err
    assert "1 updated" in out
    html = client.get(f"/{A3}/").content.decode()
    assert "UTKAST" in html and "Sal 9" in html


@pytest.mark.django_db
def test_an_unchanged_record_is_skipped_even_when_an_editor_has_a_draft(example, tmp_path):
    """Re-running the whole file is safe: a record that changes nothing writes nothing, so it
    need not wait for the editor."""
    revision = save_draft(A3, title="Utkast till ny titel")
    out, err, error = run(EXAMPLE_DIR / "seminars.jsonl", "--update", "--dry-run")
    assert error is None, err
    out, err, error = run(EXAMPLE_DIR / "seminars.jsonl", "--update")
    assert error is None, err
    assert "0 updated, 3 skipped (unchanged), 0 failed" in out
    assert page(A3).latest_revision_id == revision.pk


@pytest.mark.django_db
def test_update_of_an_unpublished_seminar_keeps_it_offline(example, tmp_path, client):
    assert client.get(f"/{FRUKOST}/").status_code == 200
    page(FRUKOST).unpublish()
    assert client.get(f"/{FRUKOST}/").status_code == 404
    path = write_jsonl(tmp_path, {"id": FRUKOST, "room": "Lilla salen"})

    dry_out, dry_err, dry_error = run(path, "--update", "--dry-run")
    assert dry_error is None, dry_err
    out, err, error = run(path, "--update")
    assert error is None, err
    assert "1 updated" in out
    assert notes(out) == notes(dry_out) and len(notes(out)) == 1
    assert f"line 1: “{FRUKOST}” is not live" in notes(out)[0]
    assert "saved as a draft revision and the seminar stays offline" in notes(out)[0]

    assert client.get(f"/{FRUKOST}/").status_code == 404
    seminar = page(FRUKOST)
    assert not seminar.live and seminar.live_revision_id is None
    assert seminar.get_latest_revision_as_object().room == "Lilla salen"
    # The editor publishes it when it should be public again: the correction is in it.
    seminar.get_latest_revision().publish()
    assert client.get(f"/{FRUKOST}/").status_code == 200
    assert page(FRUKOST).room == "Lilla salen"


@pytest.mark.django_db
def test_update_of_a_seminar_in_moderation_is_refused(example, tmp_path, django_user_model):
    editor = django_user_model.objects.create_superuser("redaktor", password="x")
    workflow = Workflow.objects.get(name="Moderators approval")
    workflow.workflow_pages.get_or_create(page=example)
    save_draft(A3, user=editor, title="Inskickad för granskning")
    workflow.start(page(A3), editor)
    assert page(A3).workflow_in_progress
    path = write_jsonl(tmp_path, {"id": A3, "room": "Sal 9"})

    dry_out, dry_err, dry_error = run(path, "--update", "--dry-run")
    out, err, error = run(path, "--update")
    assert error is not None and dry_error is not None
    assert problems(err) == problems(dry_err) and len(problems(err)) == 1
    assert problems(err)[0].startswith(
        f"line 1: “{A3}” is in moderation (workflow “Moderators approval”"
    )
    seminar = page(A3)
    assert seminar.room == "Sal 1" and seminar.title != "Inskickad för granskning"
    assert seminar.get_latest_revision_as_object().title == "Inskickad för granskning"


@pytest.mark.django_db
def test_update_of_a_seminar_with_a_scheduled_revision_is_refused(example, tmp_path):
    """The scheduled revision would go live later and undo the update."""
    draft = page(A3).get_latest_revision_as_object()
    draft.go_live_at = timezone.now() + dt.timedelta(days=3)
    draft.room = "Sal 5"
    draft.save_revision().publish()
    assert page(A3).scheduled_revision is not None
    path = write_jsonl(tmp_path, {"id": A3, "room": "Sal 9"})

    dry_err = run(path, "--update", "--dry-run")[1]
    out, err, error = run(path, "--update")
    assert error is not None
    assert problems(err) == problems(dry_err) and len(problems(err)) == 1
    assert "has a revision scheduled to go live on" in problems(err)[0]
    assert page(A3).room == "Sal 1"


# --------------------------------------------------------------------------- dry run = real run


@pytest.mark.django_db
def test_dry_run_of_update_checks_the_record_with_the_stored_values(example, tmp_path):
    """Fields the record leaves out keep their stored values, and the two together must pass
    the page's rules: the dry run said "0 problems" where the real run failed both first lines.
    The records that are fine (an embed URL replacing an uploaded video, a video file replacing
    an embed URL, new speakers and topics) pass both, and the dry run creates nothing."""
    make_video(tmp_path / "film.mp4")
    setup = [
        good(1, video_file="film.mp4", topics=["gammal"], speakers=[{"name": "Eva Lindqvist"}]),
        good(2, video_url="https://vimeo.com/123456"),
    ]
    assert run(write_jsonl(tmp_path, *setup, name="setup.jsonl"))[2] is None
    path = write_jsonl(
        tmp_path,
        {"id": FRUKOST, "end": "2016-03-08T10:00"},  # stored start: 2016-03-09
        {"id": A3, "registration": {"deadline": "2017-06-30"}},  # stored start: 2017-05-31
        {
            "id": "seminarium-1",
            "video_url": "https://vimeo.com/654321",
            "topics": ["arkiv"],
            "speakers": [{"name": "Omar Haddad"}],
        },
        {"id": "seminarium-2", "video_file": "film.mp4"},
        {
            "id": "oppet-seminarium-om-arkivering",
            "speakers": [{"name": "Helt Ny Talare"}],
            "topics": ["arkiv", "Tillit"],
            "event": "Ny serie",
        },
    )
    before = counts()
    dry_out, dry_err, dry_error = run(path, "--update", "--dry-run")
    assert dry_error is not None
    assert "2 seminar(s) with problems" in dry_out
    assert counts() == before
    out, err, error = run(path, "--update")
    assert error is not None
    assert "3 updated" in out and "2 failed" in out
    assert problems(dry_err) == problems(err)
    assert problems(err) == [
        "line 1, key “end”: The seminar cannot end before it starts. Check the end time.",
        "line 2, key “registration.deadline”: The registration deadline is after the seminar "
        "starts. Set it on or before the start.",
    ]
    assert page(FRUKOST).end is None and page(A3).registration_deadline.month == 5
    one, two = page("seminarium-1"), page("seminarium-2")
    assert one.video_file_id is None and one.video_url == "https://vimeo.com/654321"
    assert [t.name for t in one.topics.all()] == ["arkiv"]
    assert [s.speaker.name for s in one.seminar_speakers.all()] == ["Omar Haddad"]
    assert two.video_file_id is not None and two.video_url == ""
    other = page("oppet-seminarium-om-arkivering")
    assert [s.speaker.name for s in other.seminar_speakers.all()] == ["Helt Ny Talare"]
    assert sorted(t.name for t in other.topics.all()) == ["arkiv", "tillit"]


def counts() -> dict:
    from taggit.models import Tag
    from wagtailmedia.models import Media

    from archive.models import ArchiveDocument, SeminarSlide, SeminarSpeaker, SeminarTopic

    models = (Revision, Media, Speaker, Series, Venue, Tag, ArchiveDocument)
    links = (SeminarSpeaker, SeminarSlide, SeminarTopic)
    return {
        **{model.__name__: model.objects.count() for model in models},
        **{model.__name__: sorted(model.objects.values_list()) for model in links},
    }


@pytest.mark.django_db
def test_dry_run_of_update_checks_a_new_video_against_the_kept_transcript(archive_root, tmp_path):
    said = [{"start": 0, "end": 2, "text": "Hej."}, {"start": 2, "end": 9, "text": "Slut."}]
    assert run(write_jsonl(tmp_path, good(1, transcript=said)))[2] is None
    make_video(tmp_path / "kort.mp4", seconds=2)
    path = write_jsonl(tmp_path, {"id": "seminarium-1", "video_file": "kort.mp4"})

    dry_err = run(path, "--update", "--dry-run")[1]
    out, err, error = run(path, "--update")
    assert error is not None
    assert problems(dry_err) == problems(err) and len(problems(err)) == 1
    assert "line 1, key “video_file”: the video would last 0:02" in problems(err)[0]


@pytest.mark.django_db
def test_dry_run_of_update_with_draft_reports_a_transcript_that_would_go_public(
    archive_root, tmp_path
):
    said = [{"start": 0, "end": 2, "text": "Det gamla."}]
    assert run(write_jsonl(tmp_path, good(1, transcript=said)))[2] is None
    new = [{"start": 0, "end": 2, "text": "Det nya."}]
    path = write_jsonl(tmp_path, {"id": "seminarium-1", "transcript": new})
    dry_err = run(path, "--update", "--draft", "--dry-run")[1]
    err = run(path, "--update", "--draft")[1]
    assert problems(dry_err) == problems(err) and len(problems(err)) == 1
    assert "with --draft, this published seminar's new transcript" in problems(err)[0]


# --------------------------------------------------------------------------- composed names


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.mark.django_db
def test_decomposed_names_are_the_same_speaker_series_and_venue(
    archive_root, tmp_path, client, settings
):
    """A record from macOS (NFD) names the speaker of an earlier record: one speaker, found by
    search; every text is stored composed; file names stay as they are on disk."""
    settings.ELASTICSEARCH_URL = ""
    pdf_name = nfd("Öppna data.pdf")
    (tmp_path / pdf_name).write_bytes(make_pdf(["Öppna data"]))
    composed = good(
        1,
        event="Förvaltningsdagarna",
        venue="Folkets hus Göteborg",
        speakers=[{"name": "Åsa Öberg", "title": "utredare"}],
    )
    decomposed = {
        "id": "m05-nfd",
        "title": nfd("Återkoppling i förvaltningen"),
        "start": "2019-03-05T09:00",
        "event": nfd("förvaltningsdagarna"),
        "venue": nfd("Folkets hus Göteborg"),
        "summary": nfd("Hur återkoppling når fram."),
        "speakers": [{"name": nfd("Åsa Öberg"), "title": nfd("föreläsare")}],
        "topics": [nfd("återkoppling")],
        "slides": [pdf_name],
        "transcript": [
            {"start": 0, "end": 3, "speaker": nfd("Åsa Öberg"), "text": nfd("Vår röst.")}
        ],
    }
    out, err, error = run(write_jsonl(tmp_path, composed, decomposed))
    assert error is None, err
    assert "2 created" in out

    assert list(Speaker.objects.values_list("name", "slug")) == [("Åsa Öberg", "asa-oberg")]
    assert Series.objects.count() == 1 and Venue.objects.count() == 1
    seminar = page("m05-nfd")
    assert seminar.title == "Återkoppling i förvaltningen"
    assert seminar.lead == "Hur återkoppling når fram."
    assert seminar.seminar_speakers.get().title == "föreläsare"
    assert [t.name for t in seminar.topics.all()] == ["återkoppling"]
    assert seminar.slides.count() == 1
    segment = seminar.transcript.segments.get()
    assert segment.text == "Vår röst." and segment.speaker.name == "Åsa Öberg"

    for q in ("Öberg", "Oberg", "Åsa"):
        data = client.get("/api/search/", {"q": q}).json()
        assert {r["slug"] for r in data["results"]} == {"seminarium-1", "m05-nfd"}, q


@pytest.mark.django_db
def test_a_decomposed_transcript_file_is_stored_composed(archive_root, tmp_path):
    (tmp_path / "tal.vtt").write_text(
        nfd("WEBVTT\n\n00:00:00.000 --> 00:00:03.000\n<v Åsa Öberg>Välkomna till mötet.\n"),
        encoding="utf-8",
    )
    path = write_jsonl(tmp_path, good(1, speakers=[{"name": "Åsa Öberg"}], transcript="tal.vtt"))
    assert run(path)[2] is None
    segment = page("seminarium-1").transcript.segments.get()
    assert segment.text == "Välkomna till mötet." and segment.speaker.name == "Åsa Öberg"


@pytest.mark.django_db
def test_snippet_names_match_in_either_unicode_form():
    """What the admin saves and what the importers look up: one key for NFC and NFD."""
    speaker = Speaker.objects.create(name=nfd("Åsa  Öberg"))
    assert speaker.name == "Åsa Öberg" and speaker.slug == "asa-oberg"
    assert Speaker.normalise_name(nfd("ÅSA ÖBERG")) == Speaker.normalise_name("åsa öberg")
    assert Speaker.find_by_name("åsa öberg") == speaker
    assert Speaker.find_by_name(nfd("Åsa Öberg")) == speaker
    assert re.fullmatch(r"\w+ \w+", Speaker.normalise_name(nfd("Åsa Öberg")))
