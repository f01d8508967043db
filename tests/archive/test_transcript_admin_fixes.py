"""The admin Transcript screen: saving while the page's draft is invalid (QA D12) and removing a
transcript (QA D14)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from wagtail.models import Workflow

from archive.factories import SeminarPageFactory
from archive.models import Transcript
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
