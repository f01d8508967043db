"""Smoke test: load the demo archive, then walk every public page and every admin edit view."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation
from wagtail.embeds.models import Embed
from wagtail.models import Page, Site
from wagtailmedia.models import Media

from archive.demo import content
from archive.models import (
    ArchiveDocument,
    SeminarIndexPage,
    SeminarPage,
    Series,
    Speaker,
    Transcript,
    TranscriptSegment,
)
from tests.archive.foundation import edit_url


def counts() -> dict[str, int]:
    models = (
        SeminarPage,
        SeminarIndexPage,
        Speaker,
        Series,
        ArchiveDocument,
        Media,
        Transcript,
        TranscriptSegment,
        Embed,
    )
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def demo(db):
    """The demo archive as ``make run`` loads it; the command's output is returned."""
    out = StringIO()
    call_command("load_demo_data", verbosity=0, stdout=out)
    return out.getvalue()


@pytest.fixture
def superuser_client(client, demo):
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def test_demo_data_is_a_realistic_archive(demo):
    assert "Demo archive ready" in demo and "admin / changeme" in demo
    seminars = SeminarPage.objects.live()
    assert seminars.count() == len(content.SEMINARS) >= 15
    assert sum(s.is_upcoming for s in seminars) >= 4
    assert sum(not s.is_upcoming for s in seminars) >= 10
    assert Series.objects.count() >= 3 and Speaker.objects.count() >= 12
    assert all(s.photo_id for s in Speaker.objects.all())
    assert seminars.filter(video_file__isnull=False).count() >= 2
    assert seminars.exclude(video_url="").count() >= 2
    assert seminars.exclude(code="").count() >= 4
    for transcript in Transcript.objects.select_related("seminar"):
        if transcript.seminar.video_file_id:  # an 8-second demo video: a short transcript
            assert transcript.segments.count() >= 6
            assert transcript.segments.order_by("-end").first().end <= 8.5
            continue
        assert 40 <= transcript.segments.count() <= 120
        assert transcript.segments.exclude(chapter="").count() >= 2
    video = Media.objects.filter(type="video").first()
    assert video.duration > 0 and video.width and video.height
    assert bytes(video.file.open("rb").read(4)) == b"\x1a\x45\xdf\xa3"  # a real WebM (EBML)
    doc = ArchiveDocument.objects.first()
    assert doc.page_count and doc.file.open("rb").read(5) == b"%PDF-"
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class is SeminarIndexPage
    # The sitemap and robots.txt point where `make run` serves (BASE_URL), not at Wagtail's
    # placeholder site localhost:80.
    assert site.root_url == settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def test_every_demo_transcript_is_searchable(demo):
    """The demo once created each transcript row before its segments: two of the four were
    indexed empty, and their talks could not be found."""
    from search.engines import database_engine
    from search.engines.base import SearchQuery

    engine = database_engine()
    assert engine.status()["ok"]
    transcripts = Transcript.objects.select_related("seminar")
    assert transcripts.count() >= 4
    for transcript in transcripts:
        words = transcript.segments.order_by("position").last().text.split()[:3]
        hits = engine.search(SearchQuery(q=f'"{" ".join(words)}"', page_size=50)).hits
        hit = next((h for h in hits if h.title == transcript.seminar.title), None)
        assert hit is not None and hit.moments, (transcript.seminar.title, words)


def test_every_public_page_answers_in_swedish_and_english(client, demo):
    pages = Page.objects.live().public().filter(depth__gte=2).specific()
    assert pages.count() == len(content.SEMINARS) + 1
    urls = [page.get_url() for page in pages]  # before any request switches the language
    assert all(urls), "every live page has a URL"
    for url in urls:
        for prefix in ("", "/en"):
            response = client.get(prefix + url)
            assert response.status_code == 200, prefix + url
    for speaker in Speaker.objects.all():
        for url in (f"/talare/{speaker.slug}/", f"/en/speakers/{speaker.slug}/"):
            response = client.get(url)
            assert response.status_code == 200, url
            assert speaker.name in response.content.decode()
    # the variants render what they promise
    translation.activate(settings.LANGUAGE_CODE)
    with_file = SeminarPage.objects.filter(video_file__isnull=False, transcript__isnull=False)[0]
    html = client.get(with_file.url).content.decode()
    assert "<video" in html and with_file.video_file.url in html
    assert '<track kind="captions"' in html  # a demo video with captions
    with_embed = SeminarPage.objects.exclude(video_url="").first()
    html = client.get(with_embed.url).content.decode()
    assert "youtube-nocookie.com" in html or "player.vimeo.com" in html
    upcoming = SeminarPage.objects.exclude(registration_url="").first()
    html = client.get(upcoming.url).content.decode()
    assert upcoming.registration_url in html and "Anmäl dig senast" in html


def test_the_english_site_names_the_archive_in_english(client, demo):
    """The archive's name is interface: /en/ once said "Seminarier" in its title, heading and
    every breadcrumb."""
    with translation.override("sv"):
        seminar_url = SeminarPage.objects.live().first().url
    english = client.get("/en/").content.decode()
    assert "<title>Seminars – " in english and "<h1>Seminars</h1>" in english
    assert "Lectures, conference sessions" in english and "Föreläsningar" not in english
    page = client.get(f"/en{seminar_url}").content.decode()
    assert re.search(r'<nav class="breadcrumbs".*?>Seminars</a>', page, re.S)
    swedish = client.get("/").content.decode()
    assert "<h1>Seminarier</h1>" in swedish and "Föreläsningar" in swedish
    speaker = client.get(f"/en/speakers/{Speaker.objects.first().slug}/").content.decode()
    assert re.search(r'<nav class="breadcrumbs".*?>Seminars</a>', speaker, re.S)


def test_every_page_opens_in_the_admin_editor(superuser_client):
    for page in Page.objects.filter(depth__gte=2):
        response = superuser_client.get(edit_url(page))
        assert response.status_code == 200, f"admin edit of {page}"


def test_loading_again_adds_nothing_and_reset_rebuilds_the_same(demo):
    before = counts()
    out = StringIO()
    call_command("load_demo_data", verbosity=0, stdout=out)
    assert counts() == before
    assert "Created: nothing" in out.getvalue()
    call_command("load_demo_data", "--reset", verbosity=0, stdout=StringIO())
    assert counts() == before


def test_demo_has_a_talk_in_english_found_by_its_english_word_forms(client, demo):
    """The demo shows what the archive does with a talk given in English: its words are found in
    other English forms (``municipality`` finds "municipalities" in the transcript), while a
    Swedish word ranks the Swedish talks first (the English talk's speaker bio, in Swedish, may
    match it too)."""
    from search.engines import database_engine
    from search.engines.base import SearchQuery

    english = SeminarPage.objects.live().get(language="en")
    assert english.transcript.segments.filter(chapter="Introduction").exists()
    engine = database_engine()
    hits = engine.search(SearchQuery(q="municipality", page_size=50)).hits
    assert [h.title for h in hits][:1] == [english.title]
    assert any("municipalities" in m.text for m in hits[0].moments)
    swedish = engine.search(SearchQuery(q="kommunerna", page_size=50)).hits
    assert len(swedish) > 1 and swedish[0].language == "sv"
    page = client.get(english.get_url())
    assert page.status_code == 200
    assert f'<h1 lang="en">{english.title}</h1>' in page.content.decode()
