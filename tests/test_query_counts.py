"""Lists read a fixed number of queries, however many seminars they show.

Each address is fetched with 2 seminars and again with 8 (each with series, venue, speaker,
topic, slides and a transcript; the 6 added ones each in a new series); the query count must
not grow with the list.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.factories import SeminarSpeakerFactory, SeriesFactory, VenueFactory, make_document
from archive.models import SeminarSlide, Series, Speaker, Transcript
from tests.archive.foundation import in_days, seminar

pytestmark = pytest.mark.django_db


def offering_everything(parent, n):
    if n == 0:
        series = SeriesFactory(name="Chefsfrukost")
    elif n == 1:
        series = Series.objects.get(name="Chefsfrukost")
    else:  # the later ones each start a series: lists of series grow too
        series = SeriesFactory(name=f"Serie {n}")
    page = seminar(
        parent,
        title=f"Styrning och tillit {n}",
        start=in_days(-10 - n),
        series=series,
        venue=VenueFactory(),
        lead="Om tillitsbaserad styrning.",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
    page.topics.add("tillit")
    page.save_revision().publish()
    SeminarSpeakerFactory(page=page, speaker=Speaker.objects.get_or_create(name="Hanna Broberg")[0])
    Transcript.objects.create(seminar=page)
    SeminarSlide.objects.create(page=page, document=make_document(["Sida"]), sort_order=0)
    return page


def urls():
    return [
        reverse("feeds:rss"),
        reverse("feeds:atom"),
        reverse("feeds:ics"),
        reverse("feeds:series_rss", args=["chefsfrukost"]),
        reverse("feeds:series_ics", args=["chefsfrukost"]),
        reverse("feeds:speaker_rss", args=["hanna-broberg"]),
        reverse("feeds:topic_rss", args=["tillit"]),
        "/api/seminars/",
        "/api/speakers/",
        "/api/series/",
        "/api/series/chefsfrukost/",
        "/api/speakers/hanna-broberg/",
        "/sitemap.xml",
        "/sitemap-seminars.xml",
        "/sitemap-speakers.xml",
        reverse("search") + "?q=styrning",
        "/api/search/?q=styrning",
    ]


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_lists_do_not_read_per_seminar(client, archive_root):
    for n in range(2):
        offering_everything(archive_root, n)
    for url in urls():
        client.get(url)  # warm the caches (site root, content types)
    few = {url: count(client, url) for url in urls()}
    for n in range(2, 8):
        offering_everything(archive_root, n)
    for url in urls():
        client.get(url)  # the search engine's candidate cache is refreshed on first use
    grown = {url: (few[url], count(client, url)) for url in urls()}
    assert client.get("/api/search/?q=styrning").json()["total"] == 8
    assert {url: c for url, c in grown.items() if c[0] != c[1]} == {}
