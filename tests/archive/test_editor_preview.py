"""Previewing a seminar that has not been saved yet (QA D9)."""

import pytest
from django.urls import reverse

from archive.factories import SpeakerFactory, make_document
from archive.models import SeminarPage
from tests.archive.foundation import add_url, admin_form_data, in_days, make_video


def preview_url(parent) -> str:
    return reverse("wagtailadmin_pages:preview_on_add", args=["archive", "seminarpage", parent.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("video", ["", "embed", "upload"])
def test_preview_of_an_unsaved_upcoming_seminar_shows_the_announcement(
    admin_client, archive_root, video
):
    """The editor fills in a new upcoming seminar and opens the preview before saving it: the
    preview shows the announcement (it crashed on the calendar and embed links, which need
    the page's id)."""
    data = admin_form_data(admin_client, add_url(SeminarPage, archive_root))
    speaker = SpeakerFactory(name="Åsa Öberg")
    document = make_document(["Välkomna"], title="Bildspel")
    data.update(
        {
            "title": "Tillit i vården",
            "slug": "tillit-i-varden",
            "start": in_days(30).strftime("%Y-%m-%d %H:%M"),
            "lead": "Välkommen till ett frukostmöte om tillit.",
            "registration_url": "https://example.org/anmalan",
            "seminar_speakers-TOTAL_FORMS": "1",
            "seminar_speakers-INITIAL_FORMS": "0",
            "seminar_speakers-0-speaker": str(speaker.pk),
            "seminar_speakers-0-role": "speaker",
            "seminar_speakers-0-ORDER": "1",
            "seminar_speakers-0-id": "",
            "seminar_speakers-0-DELETE": "",
            "slides-TOTAL_FORMS": "1",
            "slides-INITIAL_FORMS": "0",
            "slides-0-document": str(document.pk),
            "slides-0-label": "Bilderna",
            "slides-0-ORDER": "1",
            "slides-0-id": "",
            "slides-0-DELETE": "",
        }
    )
    if video == "embed":
        data["video_url"] = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    elif video == "upload":
        data["video_file"] = str(make_video().pk)

    posted = admin_client.post(preview_url(archive_root), data)
    assert posted.status_code == 200
    assert posted.json()["is_valid"] is True

    response = admin_client.get(preview_url(archive_root))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Välkommen till ett frukostmöte om tillit." in html
    assert 'href="https://example.org/anmalan"' in html  # the registration box is there
    assert "Åsa Öberg" in html and "Bilderna" in html
    assert ".ics" not in html  # no calendar file exists for a page that has none
    assert "localhost/embed/" not in html  # nor the archive's own embed page (JSON-LD)
    # Nor links to what the API serves only for saved, public seminars (oEmbed, citations).
    assert "/api/oembed/" not in html and "cite.bib" not in html and "cite.txt" not in html
    assert not SeminarPage.objects.exists()  # a preview saves nothing
