"""A speaker or slide PDF named only by a draft, a scheduled or an older revision of a seminar.

Their keys are PROTECT, which guards only what is live: Wagtail's delete screens said "used 0
times" and deleted them, and then the seminar's editor answered 500, reverting failed and
``publish_scheduled`` stopped at that revision on every run (no later scheduled seminar went
live). Now the admin refuses those deletes, naming the seminars; a revision whose speaker or PDF
is gone anyway (an older one, a delete by code) loads without it.
"""

import datetime as dt
import io
import logging

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from archive.factories import SeminarPageFactory, SpeakerFactory, make_document
from archive.models import ArchiveDocument, SeminarPage, SeminarSlide, SeminarSpeaker, Speaker

pytestmark = pytest.mark.django_db


def draft_with_speaker(page, speaker, **revision_fields):
    """A new revision of ``page`` that adds ``speaker``; the live page keeps its speakers."""
    draft = page.get_latest_revision_as_object()
    draft.seminar_speakers.add(SeminarSpeaker(speaker=speaker, role="speaker"))
    revision = draft.save_revision()
    for name, value in revision_fields.items():
        setattr(revision, name, value)
    revision.save()
    return revision


def draft_with_slides(page, document):
    draft = page.get_latest_revision_as_object()
    draft.slides.add(SeminarSlide(document=document, label="Bilder"))
    return draft.save_revision()


@pytest.fixture
def live_seminar(archive_root):
    page = SeminarPageFactory(parent=archive_root, title="Tillit i praktiken", slug="tillit")
    page.save_revision().publish()
    return page


# A revision whose speaker or PDF is gone loads without it ----------------------------------------


def test_the_editor_opens_after_a_drafts_speaker_was_deleted(admin_client, live_seminar, caplog):
    speaker = SpeakerFactory(name="Tillfällig Talare")
    draft_with_speaker(live_seminar, speaker)
    Speaker.objects.filter(pk=speaker.pk).delete()  # by code: nothing live names them

    with caplog.at_level(logging.WARNING, logger="archive.models.pages"):
        response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[live_seminar.pk]))

    assert response.status_code == 200
    assert "Tillfällig Talare" not in response.content.decode()
    assert any("no longer exists" in record.getMessage() for record in caplog.records)


def test_the_editor_opens_after_a_drafts_slide_pdf_was_deleted(admin_client, live_seminar):
    document = make_document(["Kolibrimetoden"], title="Kolibribilder")
    draft_with_slides(live_seminar, document)
    ArchiveDocument.objects.filter(pk=document.pk).delete()

    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[live_seminar.pk]))

    assert response.status_code == 200


def test_reverting_to_a_revision_whose_speaker_was_deleted(admin_client, live_seminar):
    speaker = SpeakerFactory(name="Gammal Talare")
    old = draft_with_speaker(live_seminar, speaker)
    live_seminar.get_latest_revision_as_object().save_revision()  # a later draft
    Speaker.objects.filter(pk=speaker.pk).delete()

    url = reverse("wagtailadmin_pages:revisions_revert", args=[live_seminar.pk, old.pk])
    assert admin_client.get(url).status_code == 200
    old.refresh_from_db()
    assert list(old.as_object().seminar_speakers.all()) == []


def test_publish_scheduled_publishes_past_a_revision_whose_speaker_was_deleted(archive_root):
    """Wagtail publishes scheduled revisions in go-live order; one that could not be rebuilt
    stopped the run, and every later one waited for ever."""
    now = timezone.now()
    first = SeminarPageFactory(parent=archive_root, slug="forst")
    first.save_revision().publish()
    speaker = SpeakerFactory(name="Schemalagd Talare")
    draft_with_speaker(first, speaker, approved_go_live_at=now - dt.timedelta(minutes=10))
    later = SeminarPageFactory(parent=archive_root, slug="senare", live=False)
    revision = later.save_revision()
    revision.approved_go_live_at = now - dt.timedelta(minutes=5)
    revision.save()
    Speaker.objects.filter(pk=speaker.pk).delete()

    call_command("publish_scheduled", stdout=io.StringIO())

    later.refresh_from_db()
    first.refresh_from_db()
    assert later.live
    assert first.live and first.live_revision.approved_go_live_at is None
    assert not SeminarPage.objects.get(pk=first.pk).seminar_speakers.exists()


# The admin refuses the deletes that would do it -----------------------------------------------


def messages_of(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def speaker_delete_url(speaker) -> str:
    return reverse(Speaker.snippet_viewset.get_url_name("delete"), args=[speaker.pk])


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_speaker_a_draft_names_cannot_be_deleted(admin_client, live_seminar, method):
    speaker = SpeakerFactory(name="Tillfällig Talare")
    draft_with_speaker(live_seminar, speaker)

    response = getattr(admin_client, method)(speaker_delete_url(speaker))

    assert response.status_code == 302
    assert Speaker.objects.filter(pk=speaker.pk).exists()
    message = messages_of(response)
    assert reverse("wagtailadmin_pages:edit", args=[live_seminar.pk]) in message
    assert "Tillit i praktiken" in message and "Tillfällig Talare" in message
    assert "det här seminariet" in message and "dessa seminarier" not in message  # one seminar


def test_a_speaker_only_a_scheduled_revision_names_cannot_be_deleted(admin_client, live_seminar):
    speaker = SpeakerFactory(name="Schemalagd Talare")
    draft_with_speaker(live_seminar, speaker, approved_go_live_at=timezone.now() + dt.timedelta(1))
    # a later draft without them: the scheduled revision is no longer the latest
    live_seminar.get_latest_revision_as_object().save_revision()
    latest = SeminarPage.objects.get(pk=live_seminar.pk).get_latest_revision_as_object()
    assert not latest.seminar_speakers.filter(speaker=speaker).exists()

    response = admin_client.post(speaker_delete_url(speaker))

    assert response.status_code == 302
    assert Speaker.objects.filter(pk=speaker.pk).exists()
    assert reverse("wagtailadmin_pages:edit", args=[live_seminar.pk]) in messages_of(response)


def test_the_bulk_delete_of_speakers_is_refused_too(admin_client, live_seminar):
    named, unused = SpeakerFactory(name="Namngiven"), SpeakerFactory(name="Oanvänd")
    draft_with_speaker(live_seminar, named)
    url = reverse("wagtail_bulk_action", args=["archive", "speaker", "delete"])

    response = admin_client.post(f"{url}?id={named.pk}&id={unused.pk}")

    assert response.status_code == 302
    assert Speaker.objects.filter(pk__in=[named.pk, unused.pk]).count() == 2
    assert "Namngiven" in messages_of(response)


def test_a_speaker_is_deleted_once_the_draft_no_longer_names_them(admin_client, live_seminar):
    speaker = SpeakerFactory(name="Tillfällig Talare")
    draft_with_speaker(live_seminar, speaker)
    assert admin_client.post(speaker_delete_url(speaker)).status_code == 302
    assert Speaker.objects.filter(pk=speaker.pk).exists()

    draft = SeminarPage.objects.get(pk=live_seminar.pk).get_latest_revision_as_object()
    draft.seminar_speakers.clear()
    draft.save_revision()  # the editor took them out again
    response = admin_client.post(speaker_delete_url(speaker))

    assert response.status_code == 302
    assert not Speaker.objects.filter(pk=speaker.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_slide_pdf_a_draft_shows_cannot_be_deleted(admin_client, live_seminar, method):
    document = make_document(["Kolibrimetoden"], title="Kolibribilder")
    draft_with_slides(live_seminar, document)

    response = getattr(admin_client, method)(reverse("wagtaildocs:delete", args=[document.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtaildocs:edit", args=[document.pk])
    assert ArchiveDocument.objects.filter(pk=document.pk).exists()
    message = messages_of(response)
    assert "Kolibribilder" in message
    assert reverse("wagtailadmin_pages:edit", args=[live_seminar.pk]) in message


def test_the_bulk_delete_of_documents_is_refused_too(admin_client, live_seminar):
    document = make_document(["Kolibrimetoden"], title="Kolibribilder")
    draft_with_slides(live_seminar, document)
    url = reverse("wagtail_bulk_action", args=["archive", "archivedocument", "delete"])

    response = admin_client.post(f"{url}?id={document.pk}")

    assert response.status_code == 302
    assert ArchiveDocument.objects.filter(pk=document.pk).exists()
    assert "Kolibribilder" in messages_of(response)


def test_a_pdf_is_deleted_once_the_draft_no_longer_shows_it(admin_client, live_seminar):
    document = make_document(["Kolibrimetoden"], title="Kolibribilder")
    draft_with_slides(live_seminar, document)
    url = reverse("wagtaildocs:delete", args=[document.pk])
    assert admin_client.post(url).status_code == 302
    assert ArchiveDocument.objects.filter(pk=document.pk).exists()

    draft = SeminarPage.objects.get(pk=live_seminar.pk).get_latest_revision_as_object()
    draft.slides.clear()
    draft.save_revision()
    response = admin_client.post(url)

    assert response.status_code == 302
    assert not ArchiveDocument.objects.filter(pk=document.pk).exists()
