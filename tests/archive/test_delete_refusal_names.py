"""The refusal to delete a speaker a seminar still names tells seminars of the same title apart
(editor review 12): each with its date and whether it is published, linked to its editor."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from archive.factories import SeminarPageFactory, SpeakerFactory
from archive.models import SeminarSpeaker, Speaker

pytestmark = pytest.mark.django_db


def test_two_seminars_of_the_same_title_are_told_apart(client, archive_root):
    client.force_login(get_user_model().objects.create_superuser("admin", "a@e.se", "x"))
    speaker = SpeakerFactory(name="Eva Lindqvist")
    title = "Tillitsbaserad styrning av offentlig sektor"
    first = SeminarPageFactory(
        parent=archive_root,
        title=title,
        start=timezone.make_aware(dt.datetime(2018, 5, 16, 8, 0)),
    )
    copy = SeminarPageFactory(
        parent=archive_root,
        title=title,
        live=False,
        start=timezone.make_aware(dt.datetime(2024, 3, 12, 13, 0)),
    )
    for page in (first, copy):
        draft = page.get_latest_revision_as_object()
        draft.seminar_speakers.add(SeminarSpeaker(speaker=speaker, role="speaker"))
        draft.save_revision()

    response = client.post(
        reverse(Speaker.snippet_viewset.get_url_name("delete"), args=[speaker.pk])
    )

    assert response.status_code == 302 and Speaker.objects.filter(pk=speaker.pk).exists()
    message = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert f"{title}</a> (16 maj 2018, publicerat)" in message
    assert f"{title}</a> (12 mars 2024, utkast)" in message
    for page in (first, copy):
        assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in message
