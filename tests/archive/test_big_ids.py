"""Ids in URLs larger than any database integer are 404s, never 500s (SQLite raised
``OverflowError`` for a number past 64 bits: a garbled link or a bot got the error page)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.archive.open_data import build_archive

HUGE = [str(2**31), str(2**63 - 1), str(2**63), "99999999999999999999", "9" * 400]
PUBLIC = [
    "/embed/{n}/",
    "/en/embed/{n}/",
    "/transkript/{n}/tillit-i-styrningen.vtt",
    "/en/transkript/{n}/tillit-i-styrningen.srt",
    "/flode/seminarium/{n}.ics",
    "/en/feeds/seminar/{n}.ics",
]


@pytest.fixture
def archive(archive_root):
    return build_archive(archive_root)


def test_a_public_id_too_large_for_the_database_is_a_404(client, archive):
    # Made by reverse() as before (Swedish: no request has switched the language yet).
    pk, slug = archive.past.pk, archive.past.slug
    assert reverse("seminar_embed", args=[pk]) == f"/embed/{pk}/"
    assert reverse("transcript_download", args=[pk, slug, "vtt"]) == f"/transkript/{pk}/{slug}.vtt"
    assert reverse("feeds:seminar_ics", args=[pk]) == f"/flode/seminarium/{pk}.ics"
    client.raise_request_exception = True  # a 500 fails the test with its traceback
    for url in PUBLIC:
        for number in HUGE:
            assert client.get(url.format(n=number)).status_code == 404, (url, number)
        # The same addresses with a real id still answer.
        assert client.get(url.format(n=archive.past.pk)).status_code == 200, url


def test_the_transcript_editor_answers_404_for_an_id_too_large(client, archive):
    admin = get_user_model().objects.create_superuser("boss", "boss@example.org", "x")
    client.force_login(admin)
    client.raise_request_exception = True
    for number in HUGE:
        for suffix in ("", "remove/"):
            url = f"/admin/archive/transcript/{number}/{suffix}"
            assert client.get(url).status_code == 404, url
    for name in ("archive_transcript_edit", "archive_transcript_remove"):
        assert client.get(reverse(name, args=[archive.past.pk])).status_code == 200, name
