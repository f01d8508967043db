"""schema.org JSON-LD, social cards, canonical/hreflang, sitemap.xml and robots.txt."""

import json
import re
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from django.utils.translation import gettext, override
from wagtail.models import Page

from archive.models import SeminarPage
from archive.structured_data import iso_duration, json_ld_script
from tests.archive.open_data import HIDDEN, build_archive

pytestmark = pytest.mark.django_db
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
LD_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def archive(archive_root):
    return build_archive(archive_root)


def sitemap(client) -> tuple[list[str], str]:
    """The sitemap as a crawler reads it: the index at /sitemap.xml, then each section page it
    lists. Every address (the index's and the entries'), and all the bodies."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    tree = ElementTree.fromstring(index.content)
    assert tree.tag == f"{SITEMAP_NS}sitemapindex"
    sections = [el.text for el in tree.iter(f"{SITEMAP_NS}loc")]
    locs, bodies = list(sections), [index.content.decode()]
    for section in sections:
        parts = urlsplit(section)
        response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        assert response.status_code == 200, section
        bodies.append(response.content.decode())
        locs += [
            el.text for el in ElementTree.fromstring(response.content).iter(f"{SITEMAP_NS}loc")
        ]
    return locs, "\n".join(bodies)


def json_ld(html: str) -> list[dict]:
    return [json.loads(block) for block in LD_RE.findall(html)]


def by_type(blocks, kind):
    return next(b for b in blocks if b["@type"] == kind)


def test_seminar_event_json_ld(client, archive):
    html = client.get("/tillit-i-styrningen/").content.decode()
    event = by_type(json_ld(html), "Event")
    assert event["@context"] == "https://schema.org"
    assert event["name"] == "Tillit i styrningen"
    assert event["url"] == "http://testserver/tillit-i-styrningen/"
    assert event["startDate"].startswith(str(archive.past.local_start.date()))
    assert event["endDate"]
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert event["inLanguage"] == "sv"
    assert event["location"] == {
        "@type": "Place",
        "name": "Kulturhuset, Hörsal 2",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "Sergels torg 1",
            "addressLocality": "Stockholm",
            "addressCountry": "SE",
        },
    }
    assert [p["name"] for p in event["performer"]] == ["Anna Öberg", "Erik Lind"]
    anna = event["performer"][0]
    assert anna["@type"] == "Person"
    assert anna["affiliation"] == {"@type": "Organization", "name": "Göteborgs universitet"}
    assert anna["url"] == f"http://testserver/talare/{archive.anna.slug}/"
    assert event["organizer"] == {"@type": "Organization", "name": "Statskontoret"}


def test_video_object_with_transcript_and_chapters(client, archive):
    html = client.get("/tillit-i-styrningen/").content.decode()
    video = by_type(json_ld(html), "VideoObject")
    assert video["name"] == "Tillit i styrningen"
    assert video["description"].startswith("Hur bygger man tillit")
    assert video["duration"] == "PT12M34S"
    assert video["uploadDate"]
    assert video["contentUrl"].startswith("http://testserver/") and video["contentUrl"].endswith(
        ".webm"
    )
    assert video["embedUrl"] == f"http://testserver/embed/{archive.past.pk}/"
    assert video["thumbnailUrl"][0].endswith(".png")
    assert "Tillit är grunden för styrningen" in video["transcript"]
    assert video["hasPart"] == [
        {
            "@type": "Clip",
            "name": "Inledning",
            "startOffset": 0,
            "endOffset": 400,
            "url": "http://testserver/tillit-i-styrningen/?t=0",
        },
        {
            "@type": "Clip",
            "name": "Frågor från publiken",
            "startOffset": 400,
            "endOffset": 754,
            "url": "http://testserver/tillit-i-styrningen/?t=400",
        },
    ]


def test_upcoming_seminar_has_event_but_no_video(client, archive):
    blocks = json_ld(client.get("/kompetensforsorjning/").content.decode())
    assert [b["@type"] for b in blocks] == ["Event"]


def test_webinar_is_online_event(client, archive):
    archive.upcoming.format = "webinar"
    archive.upcoming.venue = None
    archive.upcoming.save()
    event = json_ld(client.get("/kompetensforsorjning/").content.decode())[0]
    assert event["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert event["location"]["@type"] == "VirtualLocation"


def test_json_ld_cannot_be_broken_out_of(client, archive):
    archive.past.title = 'Ond </script><script>alert("x")</script> & <b>'
    archive.past.save()
    html = client.get("/tillit-i-styrningen/").content.decode()
    assert '</script><script>alert("x")' not in html
    event = by_type(json_ld(html), "Event")
    assert event["name"] == 'Ond </script><script>alert("x")</script> & <b>'
    assert "\\u003C/script\\u003E" in json_ld_script({"name": "</script>"})


def test_speaker_person_json_ld(client, archive):
    html = client.get(archive.anna.get_absolute_url()).content.decode()
    person = by_type(json_ld(html), "Person")
    assert person["name"] == "Anna Öberg"
    assert person["jobTitle"] == "professor"
    assert person["description"].startswith("Har lång erfarenhet")
    assert person["url"] == f"http://testserver/talare/{archive.anna.slug}/"


def test_open_graph_and_twitter_cards(client, archive):
    html = client.get("/tillit-i-styrningen/").content.decode()
    assert '<meta property="og:title" content="Tillit i styrningen">' in html
    assert '<meta property="og:type" content="video.other">' in html
    assert '<meta property="og:url" content="http://testserver/tillit-i-styrningen/">' in html
    assert '<meta property="og:locale" content="sv_SE">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert re.search(r'<meta property="og:image" content="http://testserver/[^"]+\.png">', html)
    en = client.get("/en/tillit-i-styrningen/").content.decode()
    assert '<meta property="og:locale" content="en_GB">' in en


def test_pages_describe_themselves_without_a_search_description(client, archive):
    """Only pages with an SEO description had <meta name="description">; the front page had
    no OpenGraph tags, so a shared link got no card."""
    html = client.get("/tillit-i-styrningen/").content.decode()
    lead = archive.past.lead
    assert lead and f'<meta name="description" content="{lead[:50]}' in html
    front = client.get("/").content.decode()
    assert '<meta property="og:type" content="website">' in front
    assert '<meta property="og:url" content="http://testserver/">' in front


def test_canonical_and_hreflang(client, archive):
    html = client.get("/tillit-i-styrningen/?t=60").content.decode()
    assert '<link rel="canonical" href="http://testserver/tillit-i-styrningen/">' in html
    en = client.get("/en/tillit-i-styrningen/").content.decode()
    assert '<link rel="canonical" href="http://testserver/en/tillit-i-styrningen/">' in en
    assert (
        '<link rel="alternate" hreflang="x-default" href="http://testserver/tillit-i-styrningen/">'
    ) in en
    assert 'hreflang="en" href="http://testserver/en/tillit-i-styrningen/?t=60"' in html


def test_oembed_discovery_only_for_recorded_seminars(client, archive):
    html = client.get("/tillit-i-styrningen/").content.decode()
    assert (
        '<link rel="alternate" type="application/json+oembed" '
        'href="http://testserver/api/oembed/?url=http%3A%2F%2Ftestserver%2Ftillit-i-styrningen'
        '%2F&amp;format=json"'
    ) in html
    assert "json+oembed" not in client.get("/kompetensforsorjning/").content.decode()


def test_sitemap_lists_public_pages_and_speakers(client, archive):
    addresses, body = sitemap(client)
    locs = [urlsplit(loc) for loc in addresses]
    assert all(loc.scheme == "http" and loc.netloc for loc in locs)
    paths = [loc.path for loc in locs]
    assert paths == [
        "/sitemap-pages.xml",
        "/sitemap-seminars.xml",
        "/sitemap-speakers.xml",
        "/",
        "/tillit-i-styrningen/",
        "/kompetensforsorjning/",
        f"/talare/{archive.anna.slug}/",
        f"/talare/{archive.erik.slug}/",
    ]
    assert HIDDEN not in body


def test_every_sitemap_entry_names_the_sites_own_host(client, archive):
    """Page entries came from the Wagtail site (localhost:80 in the demo) and speaker entries
    and robots.txt from the request's host: two addresses in one sitemap."""
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "arkiv.example.se", 443
    site.save()  # (clears Wagtail's cache of site addresses)
    hosts = {urlsplit(loc)[:2] for loc in sitemap(client)[0]}
    assert hosts == {("https", "arkiv.example.se")}
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: https://arkiv.example.se/sitemap.xml" in robots


def test_speaker_only_in_hidden_seminars_not_in_sitemap(client, archive):
    from archive.factories import SpeakerFactory
    from tests.archive.open_data import add_speaker

    secret = SpeakerFactory(name="Hemlig Person")
    add_speaker(archive.draft, secret)
    body = sitemap(client)[1]
    assert secret.slug not in body


def test_robots_txt(client, archive):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    with override("sv"):
        assert f"Disallow: /{gettext('search/')}" in lines  # /sok/
    assert "Disallow: /en/search/" in lines
    # The site's own address, as the sitemap's entries (the test site is localhost:80).
    assert "Sitemap: http://localhost/sitemap.xml" in lines


@pytest.mark.parametrize(
    "seconds, expected",
    [
        (754, "PT12M34S"),
        (3600, "PT1H"),
        (3725, "PT1H2M5S"),
        (0, "PT0S"),
        (None, None),
    ],
)
def test_iso_duration(seconds, expected):
    assert iso_duration(seconds) == expected


def test_sitemap_seminar_entries_are_the_seminars_own(client, archive):
    """Seminars are read as plain pages for speed: each entry must still be exactly what the
    seminar page itself gives (address and last modification)."""
    from django.test import RequestFactory

    from archive.models import public_seminars
    from archive.structured_data import plain_page_routing

    assert plain_page_routing(SeminarPage)
    request = RequestFactory().get("/sitemap.xml")
    public_seminars().first().save_revision().publish()  # one with a publication time
    tree = ElementTree.fromstring(client.get("/sitemap-seminars.xml").content)
    entries = {
        url.find(f"{SITEMAP_NS}loc").text: getattr(url.find(f"{SITEMAP_NS}lastmod"), "text", None)
        for url in tree.iter(f"{SITEMAP_NS}url")
    }
    seminars = list(public_seminars())
    assert len(seminars) == 2
    dated = 0
    for seminar in seminars:
        (own,) = seminar.get_sitemap_urls(request)
        # The sitemap writes the date in the site's time zone (Django's ``date`` filter): an
        # evening after 23:00 UTC is already the next day in Stockholm.
        lastmod = own["lastmod"] and timezone.localtime(own["lastmod"]).date().isoformat()
        assert entries[own["location"]] == lastmod
        dated += bool(lastmod)
    assert dated == 1

    class Routed:  # a page type with its own routing is not read as plain pages
        get_sitemap_urls = Page.get_sitemap_urls
        get_full_url = Page.get_full_url

        def get_url_parts(self, request=None):
            return None

    assert not plain_page_routing(Routed)
