"""The files of a live seminar that no site serves are not public, as the seminar is not.

``public_seminars()`` (API, search, feeds, embed) leaves out a seminar in an archive outside
every site's root (``routable``), but its transcript, video, poster, slide PDF, slide thumbnail
and body images were served to anyone who guessed their addresses: an editor preparing a second
archive published its recordings before its launch.
"""

import json

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from wagtail.models import Collection, Page
from wagtailmedia.models import Media

from archive.factories import SeminarIndexPageFactory, SeminarPageFactory, SeminarSlideFactory
from archive.models import ArchiveDocument
from archive.transcript_formats import Cue
from archive.transcript_store import save_transcript
from tests.archive.foundation import make_image

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_cached_renditions():
    """Wagtail caches renditions by image id, across tests' rolled-back rows."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def editor(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("redaktor", password="x"))
    return client


def _files(parent, title):
    """A live seminar under ``parent`` with a video and poster, a slide deck, a body image and
    a transcript; the addresses of each kind of file."""
    video = Media(title=title, type="video", duration=30, width=160, height=90)
    video.file.save(f"{title}.webm", ContentFile(b"webm" * 64), save=False)
    video.thumbnail.save(f"{title}.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=False)
    video.save()
    document = ArchiveDocument(title=title, collection=Collection.get_first_root_node())
    document.file.save(f"{title}.pdf", ContentFile(b"%PDF-1.4 bilder"), save=False)
    document.thumbnail.save(f"{title}.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=False)
    document.save()
    image = make_image(title)
    body = [
        {
            "type": "image",
            "value": {
                "image": {"image": image.pk, "alt_text": title, "decorative": False},
                "caption": title,
            },
        }
    ]
    seminar = SeminarPageFactory(parent=parent, slug=title, video_file=video, body=json.dumps(body))
    SeminarSlideFactory(page=seminar, document=document)
    seminar.save_revision().publish()
    save_transcript(seminar, [Cue(0, 2, f"Zorblax {title}.")])
    return {
        "transcript": reverse("transcript_download", args=[seminar.pk, seminar.slug, "vtt"]),
        "video": video.url,
        "poster": video.thumbnail.url,
        "slide PDF": document.file.url,
        "slide document view": document.url,
        "slide thumbnail": document.thumbnail.url,
        "image": image.file.url,
        "rendition": image.get_rendition("width-800").url,
    }


KINDS = [
    "transcript",
    "video",
    "poster",
    "slide PDF",
    "slide document view",
    "slide thumbnail",
    "image",
    "rendition",
]


@pytest.mark.parametrize("kind", KINDS)
def test_the_files_of_a_seminar_no_site_serves_are_not_public(archive_root, editor, kind):
    served = _files(archive_root, "hemma")
    unserved_archive = SeminarIndexPageFactory(
        parent=Page.get_first_root_node(), title="Nästa arkiv", slug="nasta"
    )
    unserved = _files(unserved_archive, "orphan")
    # The same file of a served seminar is public (the document view redirects to the file).
    assert Client().get(served[kind]).status_code in (200, 302)
    assert Client().get(unserved[kind]).status_code == 404
    if kind not in ("transcript", "slide document view"):
        assert editor.get(unserved[kind]).status_code == 200  # editors prepare the archive
