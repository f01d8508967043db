"""Speakers, series and topics that only drafts or private seminars have are not public.

Found by an adversarial review: a speaker on a draft had a public page (name, title, bio, in
HTML, JSON-LD and OpenGraph), and feeds and "subscribe" links named draft-only series, speakers
and topics, though the API already answered 404 for them.
"""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from archive.factories import (
    SeminarPageFactory,
    SeminarSpeakerFactory,
    SeriesFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(archive_root):
    """A draft seminar with its own series, speaker (with a bio) and topic."""
    series = SeriesFactory(name="Hemligserien", slug="hemligserien")
    speaker = SpeakerFactory(name="Drafta Hemligsson", slug="drafta-hemligsson", bio="Quokkabanan")
    seminar = SeminarPageFactory(parent=archive_root, slug="utkast", series=series)
    SeminarSpeakerFactory(page=seminar, speaker=speaker)
    seminar.topics.add("Zebrakorv")
    seminar.save_revision().publish()
    seminar.unpublish()
    return seminar, series, speaker


def urls(series_slug, speaker_slug, topic_slug):
    return [
        reverse("speaker_detail", args=[speaker_slug]),
        "/en/speakers/" + speaker_slug + "/",
        reverse("feeds:speaker_rss", args=[speaker_slug]),
        reverse("feeds:speaker_atom", args=[speaker_slug]),
        reverse("feeds:series_rss", args=[series_slug]),
        reverse("feeds:series_atom", args=[series_slug]),
        reverse("feeds:series_podcast", args=[series_slug]),
        reverse("feeds:series_ics", args=[series_slug]),
        reverse("feeds:topic_rss", args=[topic_slug]),
        reverse("feeds:topic_atom", args=[topic_slug]),
    ]


def test_names_only_drafts_have_are_not_found(archive_root, hidden):
    seminar, series, speaker = hidden
    for url in urls(series.slug, speaker.slug, "zebrakorv"):
        response = Client().get(url)
        assert response.status_code == 404, url
        assert b"Quokkabanan" not in response.content and b"Hemlig" not in response.content
    for param in ("series=hemligserien", "speaker=drafta-hemligsson", "topic=zebrakorv"):
        html = Client().get(f"{archive_root.url}?{param}").content.decode()
        assert "Hemlig" not in html and "Zebrakorv" not in html, param


def test_names_of_private_seminars_are_not_found_either(archive_root, hidden):
    seminar, series, speaker = hidden
    seminar.save_revision().publish()
    PageViewRestriction.objects.create(page=seminar, restriction_type="login")
    for url in urls(series.slug, speaker.slug, "zebrakorv"):
        assert Client().get(url).status_code == 404, url


def test_they_appear_once_a_public_seminar_has_them(archive_root, hidden):
    seminar, series, speaker = hidden
    seminar.save_revision().publish()
    for url in urls(series.slug, speaker.slug, "zebrakorv"):
        assert Client().get(url).status_code == 200, url
    assert "Quokkabanan" in Client().get(reverse("speaker_detail", args=[speaker.slug])).text
    html = Client().get(f"{archive_root.url}?series=hemligserien").content.decode()
    assert "Prenumerera: Hemligserien" in html
