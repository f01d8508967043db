"""A live seminar that no site serves has no address, so it is not public.

An editor may make a second archive directly under the page tree's root (a second site's
archive, before or without its site); a seminar moved there, live, has no URL. It was listed as
public all the same: every RSS and Atom feed answered 500 (``add_domain`` on None), the speaker
page linked it as ``href="None"`` and the API gave it the API's own address. And with the main
archive unpublished, the URL-less archive became "the archive" the feeds link to.
"""

import feedparser
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import Page

from archive.factories import SeminarIndexPageFactory, SeminarPageFactory, SeriesFactory
from archive.factories import SpeakerFactory as _SpeakerFactory
from archive.models import SeminarPage, SeminarSpeaker, public_seminars

pytestmark = pytest.mark.django_db


class Stray:
    pass


@pytest.fixture
def stray(archive_root):
    """The site's archive with one seminar, and a second archive no site serves, with another
    seminar by the same speaker in the same series."""
    data = Stray()
    data.series = SeriesFactory(name="Chefsfrukost", slug="chefsfrukost")
    data.speaker = _SpeakerFactory(name="Ottilia Zebrafink", slug="ottilia-zebrafink")
    data.home = SeminarPageFactory(
        parent=archive_root, title="Hemma", slug="hemma", series=data.series
    )
    data.second = SeminarIndexPageFactory(
        parent=Page.get_first_root_node(), title="Andra arkivet", slug="andra"
    )
    data.zebra = SeminarPageFactory(
        parent=data.second, title="Pelikanstyrning", slug="zebra-kolibri", series=data.series
    )
    for page in (data.home, data.zebra):
        SeminarSpeaker.objects.create(page=page, speaker=data.speaker, role="speaker")
        page.save_revision().publish()
    data.zebra.refresh_from_db()
    assert data.zebra.live and data.zebra.get_url() is None
    return data


def feed_links(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return [entry.link for entry in feed.entries]


def test_a_seminar_no_site_serves_is_not_public(stray):
    assert set(public_seminars().values_list("slug", flat=True)) == {"hemma"}
    assert SeminarPage.objects.get(pk=stray.zebra.pk).is_public is False
    assert SeminarPage.objects.get(pk=stray.home.pk).is_public is True


@pytest.mark.parametrize(
    "name, args",
    [
        ("feeds:rss", []),
        ("feeds:atom", []),
        ("feeds:series_rss", ["chefsfrukost"]),
        ("feeds:series_atom", ["chefsfrukost"]),
        ("feeds:speaker_rss", ["ottilia-zebrafink"]),
        ("feeds:speaker_atom", ["ottilia-zebrafink"]),
    ],
)
def test_the_feeds_leave_it_out_and_answer(client, stray, name, args):
    assert feed_links(client, reverse(name, args=args)) == ["http://testserver/hemma/"]


def test_the_calendar_leaves_it_out(client, stray):
    for page in (stray.home, stray.zebra):
        SeminarPage.objects.filter(pk=page.pk).update(
            start=page.start.replace(year=2100), end=page.end.replace(year=2100)
        )
    content = client.get(reverse("feeds:ics")).content.decode()
    assert "Hemma" in content and "Pelikanstyrning" not in content


def test_the_speaker_page_links_only_seminars_with_an_address(client, stray):
    response = client.get(reverse("speaker_detail", args=["ottilia-zebrafink"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="None"' not in html
    assert "Pelikanstyrning" not in html and "Hemma" in html


def test_the_api_does_not_serve_it(client, stray):
    assert client.get("/api/seminars/zebra-kolibri/").status_code == 404
    speaker = client.get("/api/speakers/ottilia-zebrafink/").json()
    assert [seminar["slug"] for seminar in speaker["seminars"]] == ["hemma"]


def test_with_the_main_archive_unpublished_the_feeds_still_answer(client, stray, archive_root):
    """Wagtail still serves the seminars of an unpublished archive (it routes through it), but
    the feeds took the URL-less archive for "the archive" and answered 500."""
    archive_root.unpublish()

    for name in ("feeds:rss", "feeds:atom"):
        assert feed_links(client, reverse(name)) == ["http://testserver/hemma/"]
    assert client.get("/hemma/").status_code == 200
    from archive.models import main_archive

    assert main_archive() is None  # neither archive: one is unpublished, one has no address


def test_its_editor_says_that_no_site_serves_it(admin_client, stray):
    def warnings(page) -> list[str]:
        response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == 200
        return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]

    for page in (stray.zebra, stray.second):
        assert any("Settings → Sites" in text or "Inställningar" in text for text in warnings(page))
    assert warnings(stray.home) == []


def test_the_api_lists_the_served_seminars_whichever_archive_is_found_first(
    client, stray, archive_root
):
    """/api/seminars/ took the first live archive page for "the archive": with the main archive
    unpublished (its seminars still served) it listed nothing, and /api/series/ gave the
    series an address ending in "None"."""
    archive_root.unpublish()
    listing = client.get("/api/seminars/").json()
    assert [s["slug"] for s in listing["results"]] == ["hemma"]
    series = client.get("/api/series/chefsfrukost/").json()
    assert series["url"] == "http://testserver/?series=chefsfrukost"
