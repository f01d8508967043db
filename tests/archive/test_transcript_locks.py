"""The Transcript screen respects Wagtail's page locks, as the page editor does (review "admin",
defect 1): a page locked by another user, scheduled to go live, or in moderation (for editors who
are not its reviewers) gets no new transcript, no segment edits and no removal, and no revision
or workflow either; the screen says who locked it and what to do.

The users are real: ``redaktor`` in Wagtail's Editors group, moderators in Moderators (the groups
and the "Moderators approval" workflow on Root are Wagtail's defaults)."""

import datetime as dt
import html
import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, WorkflowPage, WorkflowState
from wagtail.users.models import UserProfile

from archive import admin_views
from archive.factories import SeminarPageFactory
from archive.models import Transcript
from archive.transcript_formats import Cue
from archive.transcript_store import save_transcript

pytestmark = pytest.mark.django_db

OLD_TEXT = ["Gammal mening ett.", "Gammal mening två."]
PASTED = "[00:01] Anna: Helt ny text som inte får sparas.\n\n[00:05] Bo: Inte heller detta."


def transcript_url(page) -> str:
    return reverse("archive_transcript_edit", args=[page.pk])


def remove_url(page) -> str:
    return reverse("archive_transcript_remove", args=[page.pk])


def make_user(django_user_model, username, group, first_name, last_name):
    user = django_user_model.objects.create_user(
        username, password="x", first_name=first_name, last_name=last_name
    )
    user.groups.add(Group.objects.get(name=group))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"  # the admin speaks English to them
    profile.save()
    return user


@pytest.fixture
def editor(django_user_model):
    return make_user(django_user_model, "redaktor", "Editors", "Erik", "Redaktör")


@pytest.fixture
def moderator(django_user_model):
    return make_user(django_user_model, "moderator", "Moderators", "Maja", "Moderator")


@pytest.fixture
def seminar(archive_root):
    page = SeminarPageFactory(parent=archive_root, slug="oppna-data", title="Öppna data")
    save_transcript(page, [Cue(1, 4, OLD_TEXT[0]), Cue(4, 6, OLD_TEXT[1])])
    return page


def lock(page, user):
    page.locked, page.locked_by, page.locked_at = True, user, timezone.now()
    page.save(update_fields=["locked", "locked_by", "locked_at"])


def texts(page) -> list[str]:
    return [s.text for s in Transcript.objects.get(seminar=page).segments.order_by("position")]


def segments_post(client, page) -> dict:
    """The segment editor's form as shown, with the first segment's text changed."""
    html = client.get(transcript_url(page)).content.decode()
    version = re.search(r'name="version" value="([^"]*)"', html).group(1)
    data = {"action": "segments", "version": version, "seg-TOTAL_FORMS": "2"}
    data["seg-INITIAL_FORMS"] = "2"
    for i, (start, end, text) in enumerate([(1, 4, "Ändrad mening."), (4, 6, OLD_TEXT[1])]):
        data.update(
            {
                f"seg-{i}-position": str(i),
                f"seg-{i}-start": str(start),
                f"seg-{i}-end": str(end),
                f"seg-{i}-text": text,
            }
        )
    return data


def lock_notice(response) -> str:
    """The lock notice the Transcript screen shows, as text ("" when there is none)."""
    found = re.search(
        r'class="[^"]*transcript-lock".*?<p>(.*?)</p>', response.content.decode(), re.S
    )
    return html.unescape(found.group(1)) if found else ""


def levels(response) -> list[str]:
    return [m.level_tag for m in get_messages(response.wsgi_request)]


def assert_untouched(page, revisions: int):
    """The transcript, the page's revisions and its workflow are as they were."""
    assert texts(page) == OLD_TEXT
    page.refresh_from_db()
    assert page.revisions.count() == revisions
    assert not WorkflowState.objects.filter(object_id=str(page.pk)).exists()


def test_a_page_locked_by_another_user_refuses_every_transcript_change(
    client, editor, moderator, seminar
):
    lock(seminar, moderator)
    revisions = seminar.revisions.count()
    client.force_login(editor)

    # The screen says who locked the page, since when, and what to do; it offers no save.
    response = client.get(transcript_url(seminar))
    assert response.status_code == 200
    page = response.content.decode()
    notice = lock_notice(response)
    assert notice.startswith("“Öppna data” was locked by Maja Moderator on ")
    assert "cannot be replaced, edited or removed" in notice
    assert "Ask Maja Moderator to unlock it" in notice
    assert "Save transcript" not in page and "Save these segments" not in page
    assert f'href="{remove_url(seminar)}"' not in page
    unlock = reverse("wagtailadmin_pages:unlock", args=[seminar.pk])
    assert unlock not in page  # Editors may not unlock another user's lock

    # Uploading or pasting: refused, the pasted text is kept on the screen.
    response = client.post(transcript_url(seminar), {"action": "upload", "text": PASTED})
    assert response.status_code == 200
    assert levels(response) == ["error"]
    assert "Helt ny text som inte får sparas." in response.content.decode()
    assert "was locked by Maja Moderator" in lock_notice(response)
    assert_untouched(seminar, revisions)

    # Segment edits: refused.
    response = client.post(transcript_url(seminar), segments_post(client, seminar))
    assert response.status_code == 200 and levels(response) == ["error"]
    assert_untouched(seminar, revisions)

    # Removal: not even the question, and a POST removes nothing.
    for response in (client.get(remove_url(seminar)), client.post(remove_url(seminar))):
        assert response.status_code == 302 and response.url == transcript_url(seminar)
        assert set(levels(response)) == {"error"}
    assert_untouched(seminar, revisions)
    assert not PageLogEntry.objects.filter(action="archive.transcript.remove").exists()

    # The public download still serves the old text.
    vtt = client.get(f"/transkript/{seminar.pk}/{seminar.slug}.vtt").content.decode()
    assert OLD_TEXT[0] in vtt and "Helt ny text" not in vtt


def test_the_user_who_holds_the_lock_may_change_the_transcript(
    client, editor, django_user_model, seminar
):
    # Without moderation: Wagtail drops an editor's lock when the moderation task starts (and
    # the workflow's lock applies then, tested below).
    WorkflowPage.objects.all().delete()
    other = make_user(django_user_model, "redaktor2", "Editors", "Eva", "Ek")
    lock(seminar, other)
    client.force_login(editor)
    response = client.post(transcript_url(seminar), {"action": "upload", "text": PASTED})
    assert response.status_code == 200 and "was locked by Eva Ek" in lock_notice(response)
    assert texts(seminar) == OLD_TEXT

    client.force_login(other)
    response = client.get(transcript_url(seminar))
    assert lock_notice(response) == "" and "Save transcript" in response.content.decode()
    response = client.post(transcript_url(seminar), segments_post(client, seminar))
    assert response.status_code == 302
    assert texts(seminar) == ["Ändrad mening.", OLD_TEXT[1]]
    response = client.post(transcript_url(seminar), {"action": "upload", "text": PASTED})
    assert response.status_code == 302
    assert texts(seminar)[0] == "Helt ny text som inte får sparas."
    assert client.post(remove_url(seminar)).status_code == 302
    assert not Transcript.objects.filter(seminar=seminar).exists()
    seminar.refresh_from_db()
    assert seminar.locked and seminar.locked_by == other


def test_a_user_who_may_unlock_gets_an_unlock_button_that_returns_here(
    client, moderator, django_user_model, seminar
):
    other = make_user(django_user_model, "moderator2", "Moderators", "Bo", "Berg")
    lock(seminar, other)
    client.force_login(moderator)
    response = client.get(transcript_url(seminar))
    assert "You may unlock it" in lock_notice(response)
    page = response.content.decode()
    unlock = reverse("wagtailadmin_pages:unlock", args=[seminar.pk])
    assert f'action="{unlock}"' in page
    assert f'name="next" value="{transcript_url(seminar)}"' in page

    response = client.post(unlock, {"next": transcript_url(seminar)})
    assert response.status_code == 302 and response.url == transcript_url(seminar)
    response = client.post(transcript_url(seminar), {"action": "upload", "text": PASTED})
    assert response.status_code == 302
    assert texts(seminar)[0] == "Helt ny text som inte får sparas."


@pytest.fixture
def scheduled(archive_root, django_user_model):
    """A draft scheduled to go live next year: Wagtail locks it (ScheduledForPublishLock)."""
    page = SeminarPageFactory(
        parent=archive_root, slug="schemalagd", title="Schemalagd", live=False
    )
    save_transcript(page, [Cue(1, 4, OLD_TEXT[0]), Cue(4, 6, OLD_TEXT[1])])
    page.go_live_at = timezone.now() + dt.timedelta(days=200)
    admin = django_user_model.objects.create_superuser("admin", password="x")
    page.save_revision(user=admin).publish(user=admin)
    page.refresh_from_db()
    assert page.approved_schedule and not page.live
    return page


def test_a_page_scheduled_to_go_live_refuses_transcript_changes(
    client, editor, moderator, scheduled
):
    """The editor's save was kept, a revision added and the page sent to moderation, where the
    moderator could only cancel the workflow: a scheduled page cannot be approved."""
    revisions = scheduled.revisions.count()
    client.force_login(editor)
    response = client.get(transcript_url(scheduled))
    notice = lock_notice(response)
    assert "“Schemalagd” is scheduled to go live on " in notice
    assert "ask someone who may publish the seminar (a moderator)" in notice
    assert "/unschedule/" not in response.content.decode()  # Editors may not publish

    response = client.post(transcript_url(scheduled), {"action": "upload", "text": PASTED})
    assert response.status_code == 200 and levels(response) == ["error"]
    response = client.post(transcript_url(scheduled), segments_post(client, scheduled))
    assert response.status_code == 200 and levels(response) == ["error"]
    assert client.post(remove_url(scheduled)).status_code == 302
    assert_untouched(scheduled, revisions)

    # A moderator is offered to cancel the schedule, and comes back here to change it.
    client.force_login(moderator)
    response = client.get(transcript_url(scheduled))
    assert "cancel the scheduled publishing (“Cancel scheduled publish” below)" in lock_notice(
        response
    )
    unschedule = reverse(
        "wagtailadmin_pages:revisions_unschedule",
        args=[scheduled.pk, scheduled.scheduled_revision.pk],
    )
    assert f'href="{unschedule}?next={transcript_url(scheduled)}"' in response.content.decode()
    response = client.post(unschedule, {"next": transcript_url(scheduled)})
    assert response.status_code == 302 and response.url == transcript_url(scheduled)
    response = client.post(transcript_url(scheduled), {"action": "upload", "text": PASTED})
    assert response.status_code == 302
    assert texts(scheduled)[0] == "Helt ny text som inte får sparas."


def test_a_seminar_in_moderation_is_locked_for_editors_but_not_for_its_reviewers(
    client, editor, moderator, seminar
):
    """As in the page editor: while the "Moderators approval" task is in progress only its
    reviewers may change the page, and the transcript they are approving with it."""
    client.force_login(editor)
    response = client.post(transcript_url(seminar), {"action": "upload", "text": PASTED})
    assert response.status_code == 302  # saved and submitted for moderation
    seminar.refresh_from_db()
    assert seminar.workflow_in_progress

    notice = lock_notice(client.get(transcript_url(seminar)))
    assert "“Öppna data” is awaiting moderation (“Moderators approval”)" in notice
    # The editor submitted it, so they may cancel the workflow (Wagtail's rule).
    assert "cancel the workflow in the seminar editor" in notice
    response = client.post(transcript_url(seminar), segments_post(client, seminar))
    assert response.status_code == 200 and levels(response) == ["error"]
    assert texts(seminar)[0] == "Helt ny text som inte får sparas."

    client.force_login(moderator)
    assert lock_notice(client.get(transcript_url(seminar))) == ""
    response = client.post(transcript_url(seminar), segments_post(client, seminar))
    assert response.status_code == 302
    assert texts(seminar)[0] == "Ändrad mening."
    assert WorkflowState.objects.filter(object_id=str(seminar.pk)).count() == 1


def test_a_lock_taken_while_the_upload_is_read_is_respected(
    client, editor, moderator, seminar, monkeypatch
):
    """The lock is checked again in the transaction that saves: a moderator who locks the page
    while a large file is being read still wins."""
    revisions = seminar.revisions.count()
    read = admin_views.TranscriptUploadForm.cues

    def read_while_locking(form):
        lock(seminar, moderator)
        return read(form)

    monkeypatch.setattr(admin_views.TranscriptUploadForm, "cues", read_while_locking)
    client.force_login(editor)
    response = client.post(transcript_url(seminar), {"action": "upload", "text": PASTED})
    assert response.status_code == 200 and levels(response) == ["error"]
    assert "was locked by Maja Moderator" in lock_notice(response)
    assert_untouched(seminar, revisions)
