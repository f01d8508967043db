"""Messages of the Transcript screen (editor review 9 and 10): an empty file gets one error,
and a segment-editor error starts with a capital letter."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.users.models import UserProfile

from archive.factories import SeminarPageFactory
from archive.models import Transcript
from archive.transcript_formats import Cue
from archive.transcript_store import save_transcript

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", password="x")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    return user


@pytest.fixture
def seminar(archive_root):
    page = SeminarPageFactory(parent=archive_root, slug="med-transkript")
    save_transcript(page, [Cue(1.0, 4.0, "Välkomna."), Cue(5.0, 8.0, "Tack.")], source_name="a.vtt")
    return page


def url(page):
    return f"/admin/archive/transcript/{page.pk}/"


def test_an_empty_file_gets_one_error_not_also_choose_a_file(client, editor, seminar):
    response = client.post(
        url(seminar), {"action": "upload", "file": SimpleUploadedFile("tom.vtt", b"", "text/vtt")}
    )
    assert response.status_code == 200
    form = response.context["upload_form"]
    assert form.has_error("file", "empty") and len(form.errors["file"]) == 1
    assert not form.non_field_errors()  # "Choose a file or paste the transcript." was here
    assert Transcript.objects.get(seminar=seminar).segments.count() == 2


def test_choosing_nothing_still_asks_for_a_file_or_text(client, editor, seminar):
    response = client.post(url(seminar), {"action": "upload", "text": "  "})
    assert len(response.context["upload_form"].non_field_errors()) == 1


def test_a_segment_editor_error_starts_with_a_capital_letter(client, editor, seminar):
    html = client.get(url(seminar)).content.decode()
    version = re.search(r'name="version" value="([^"]*)"', html).group(1)
    data = {"action": "segments", "version": version, "seg-TOTAL_FORMS": "2"}
    data["seg-INITIAL_FORMS"] = "2"
    for i, (start, end, text) in enumerate([(1, 4, "Välkomna."), (5, 3, "Tack.")]):
        data.update(
            {
                f"seg-{i}-position": str(i),
                f"seg-{i}-start": str(start),
                f"seg-{i}-end": str(end),
                f"seg-{i}-text": text,
            }
        )
    response = client.post(url(seminar), data)
    assert response.status_code == 200
    problems = response.context["problems"]
    assert problems and problems[0].startswith("Segment 2 (0:05)"), problems
