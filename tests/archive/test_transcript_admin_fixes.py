"""The admin Transcript screen: saving while the page's draft is invalid (QA D12) and removing a
transcript (QA D14)."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from wagtail.models import PageLogEntry, Workflow
from wagtail.users.models import UserProfile

from archive.factories import SeminarPageFactory
from archive.models import Transcript, TranscriptSegment
from archive.transcript_formats import Cue
from archive.transcript_store import save_transcript
from tests.archive.foundation import assert_shows_one_of, both_languages

pytestmark = pytest.mark.django_db


def transcript_url(page) -> str:
    return f"/admin/archive/transcript/{page.pk}/"


@pytest.fixture
def admin(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", password="x")
    client.force_login(user)
    return user


@pytest.fixture
def broken_draft(archive_root):
    """A live seminar whose latest draft ends before it starts, as "Importera inbjudan" could
    leave one (drafts from the importers are saved without the page's validation)."""
    page = SeminarPageFactory(parent=archive_root, slug="natt", title="Nattseminarium")
    draft = page.specific
    draft.lead = "Utkastets ingress."
    draft.end = draft.start - dt.timedelta(hours=22)
    draft.save_revision(clean=False)
    return page


def test_a_transcript_is_saved_when_the_seminars_draft_needs_correcting(
    client, admin, broken_draft
):
    """Pasting a transcript answered 500 (the draft's ValidationError) and lost the text."""
    revisions = broken_draft.revisions.count()
    response = client.post(
        transcript_url(broken_draft),
        {"action": "upload", "text": "[00:05] Anna: Välkomna!\n\n[00:20] Bo: Tack."},
    )
    assert response.status_code == 302
    transcript = Transcript.objects.get(seminar=broken_draft)
    assert [s.text for s in transcript.segments.all()] == ["Välkomna!", "Tack."]
    assert transcript.review_state == "edited"
    # No revision of an invalid page was saved for it.
    assert broken_draft.revisions.count() == revisions
    # The editor is told that it is saved, and what to fix on the page, with a way there.
    sent = {m.level_tag: str(m) for m in get_messages(response.wsgi_request)}
    assert set(sent) == {"success", "warning"}
    assert_shows_one_of(
        sent["warning"],
        both_languages("The seminar cannot end before it starts. Check the end time."),
    )
    assert f'href="/admin/pages/{broken_draft.pk}/edit/"' in sent["warning"]
    # The draft is left as it was, for the editor to correct.
    latest = broken_draft.get_latest_revision_as_object()
    assert latest.lead == "Utkastets ingress." and latest.end < latest.start


def test_an_invalid_draft_is_not_submitted_to_moderation(client, admin, broken_draft):
    """Approving it would fail when Wagtail publishes it, so it is not submitted at all."""
    workflow = Workflow.objects.get(name="Moderators approval")
    workflow.workflow_pages.get_or_create(page=broken_draft.get_parent())
    save_transcript(broken_draft, [Cue(0, 2, "Förra")])
    response = client.post(
        transcript_url(broken_draft), {"action": "upload", "text": "[00:01] Ny text."}
    )
    assert response.status_code == 302
    broken_draft.refresh_from_db()
    assert not broken_draft.workflow_in_progress
    assert [s.text for s in Transcript.objects.get().segments.all()] == ["Ny text."]


def test_a_valid_draft_is_still_revised_and_submitted(client, admin, archive_root):
    page = SeminarPageFactory(parent=archive_root, slug="dag")
    workflow = Workflow.objects.get(name="Moderators approval")
    workflow.workflow_pages.get_or_create(page=archive_root)
    assert Group.objects.filter(name="Moderators").exists()
    response = client.post(transcript_url(page), {"action": "upload", "text": "[00:01] Hej."})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.revisions.count() == 1 and page.workflow_in_progress


# --- Removing a transcript (D14) ------------------------------------------------------------

WRONG = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nOm xylofonkvartetter i kommunen.\n\n" + (
    "00:00:04.000 --> 00:00:06.000\nFel seminarium.\n"
)


@pytest.fixture
def wrong_transcript(client, admin, archive_root, settings):
    """A published seminar to which an editor uploaded another seminar's transcript."""
    settings.ELASTICSEARCH_URL = ""
    from tests.search.conftest import SeminarMaker

    page = SeminarMaker(archive_root)("Attraktiv arbetsgivare", lead="Om arbetsgivare.")
    response = client.post(
        transcript_url(page),
        {"action": "upload", "file": SimpleUploadedFile("annat.vtt", WRONG.encode(), "text/vtt")},
    )
    assert response.status_code == 302
    assert search_total(client, "xylofonkvartetter") == 1
    return page


def search_total(client, q: str) -> int:
    return client.get("/api/search/", {"q": q}).json()["total"]


def remove_url(page) -> str:
    return reverse("archive_transcript_remove", args=[page.pk])


def test_an_editor_removes_a_transcript_after_confirming(client, admin, wrong_transcript):
    page = wrong_transcript
    screen = client.get(transcript_url(page)).content.decode()
    assert f'href="{remove_url(page)}"' in screen

    # The link asks first; nothing is removed by looking at the question.
    question = client.get(remove_url(page))
    assert question.status_code == 200
    html = question.content.decode()
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert "annat.vtt" in html and page.title in html
    assert Transcript.objects.filter(seminar=page).exists()

    response = client.post(remove_url(page))
    assert response.status_code == 302 and response.url == transcript_url(page)
    assert not Transcript.objects.filter(seminar=page).exists()
    assert not TranscriptSegment.objects.exists()
    sent = list(get_messages(response.wsgi_request))
    assert [m.level_tag for m in sent] == ["success"] and page.title in str(sent[0])
    # Gone from the page, the downloads and search.
    assert "Fel seminarium." not in client.get(page.url).content.decode()
    assert client.get(f"/transkript/{page.pk}/{page.slug}.vtt").status_code == 404
    assert search_total(client, "xylofonkvartetter") == 0
    assert search_total(client, "arbetsgivare") == 1  # the seminar itself is still found
    # The page's history says who removed it.
    entry = PageLogEntry.objects.filter(page=page, action="archive.transcript.remove").get()
    assert entry.user == admin and entry.data["segments"] == 2
    history = client.get(reverse("wagtailadmin_pages:history", args=[page.pk]))
    assert_shows_one_of(history.content.decode(), both_languages("Transcript removed"))
    # A new transcript can be uploaded afterwards.
    assert client.get(transcript_url(page)).status_code == 200


def test_removing_needs_post_with_csrf_and_edit_permission(
    client, admin, wrong_transcript, django_user_model
):
    page = wrong_transcript
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(admin)
    assert checked.post(remove_url(page)).status_code == 403  # no CSRF token
    assert client.put(remove_url(page)).status_code == 405

    reader = django_user_model.objects.create_user("lasare", password="x")
    reader.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(reader)
    for response in (client.get(remove_url(page)), client.post(remove_url(page))):
        # Wagtail answers PermissionDenied in the admin with a redirect to the dashboard.
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert Transcript.objects.get(seminar=page).segments.count() == 2


def test_removing_when_there_is_no_transcript_says_so(client, admin, archive_root):
    page = SeminarPageFactory(parent=archive_root, slug="tom")
    response = client.post(remove_url(page))
    assert response.status_code == 302
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["info"]
    assert not PageLogEntry.objects.filter(action="archive.transcript.remove").exists()


def test_deleting_every_segment_points_to_the_remove_action(client, admin, wrong_transcript):
    """It said "The transcript has no segments. Check the file." – no file was involved."""
    profile = UserProfile.get_for_user(admin)
    profile.preferred_language = "en"
    profile.save()
    page = wrong_transcript
    html = client.get(transcript_url(page)).content.decode()
    version = re.search(r'name="version" value="([^"]*)"', html).group(1)
    data = {
        "action": "segments",
        "version": version,
        "seg-TOTAL_FORMS": "2",
        "seg-INITIAL_FORMS": "2",
    }
    for i, (start, end) in enumerate([(1, 4), (4, 6)]):
        data.update(
            {
                f"seg-{i}-position": str(i),
                f"seg-{i}-start": str(start),
                f"seg-{i}-end": str(end),
                f"seg-{i}-text": "x",
                f"seg-{i}-DELETE": "on",
            }
        )
    response = client.post(transcript_url(page), data)
    assert response.status_code == 200
    problems = response.context["problems"]
    assert len(problems) == 1 and "Remove transcript" in problems[0]
    assert "file" not in problems[0]
    assert Transcript.objects.get(seminar=page).segments.count() == 2
