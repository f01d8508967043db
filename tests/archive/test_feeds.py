"""RSS, Atom, podcast and iCalendar feeds, read back with feedparser and icalendar."""

from xml.etree import ElementTree

import feedparser
import icalendar
import pytest
from django.urls import reverse
from django.utils import translation

from archive.feeds import itunes_duration, subscribe_links
from tests.archive.open_data import HIDDEN, build_archive

pytestmark = pytest.mark.django_db
ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"


@pytest.fixture
def archive(archive_root):
    return build_archive(archive_root)


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, (url, feed.bozo_exception)
    return response, feed


def test_swedish_and_english_feed_urls():
    assert reverse("feeds:rss") == "/flode/rss/"
    assert reverse("feeds:series_rss", args=["chefsfrukost"]) == "/flode/serie/chefsfrukost/rss/"
    assert reverse("feeds:ics") == "/flode/kalender.ics"
    with translation.override("en"):
        assert reverse("feeds:rss") == "/en/feeds/rss/"
        assert reverse("feeds:speaker_atom", args=["anna"]) == "/en/feeds/speaker/anna/atom/"
        assert reverse("feeds:topic_rss", args=["tillit"]) == "/en/feeds/topic/tillit/rss/"


def test_archive_rss_lists_public_seminars_newest_first(client, archive):
    response, feed = parse(client, "/flode/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    assert feed.version == "rss20"
    assert [e.title for e in feed.entries] == [archive.upcoming.title, archive.past.title]
    entry = feed.entries[1]
    assert entry.link == "http://testserver/tillit-i-styrningen/"
    assert "Anna Öberg" in entry.summary
    assert [t.term for t in entry.tags] == ["Tillit"]


def test_archive_atom(client, archive):
    _response, feed = parse(client, "/en/feeds/atom/")
    assert feed.version == "atom10"
    assert {e.link for e in feed.entries} == {
        "http://testserver/en/tillit-i-styrningen/",
        "http://testserver/en/kompetensforsorjning/",
    }


def test_a_feed_declares_the_language_of_its_seminars_not_of_the_interface(client, archive):
    """The English site's feeds once declared "en" for Swedish seminars."""
    assert {archive.past.language, archive.upcoming.language} == {"sv"}
    for url in ("/en/feeds/atom/", "/en/feeds/rss/", "/flode/rss/"):
        assert parse(client, url)[1].feed.language == "sv", url
    for page in (archive.past, archive.upcoming):
        page.language = "en"
        page.save_revision().publish()
    for url in ("/en/feeds/atom/", "/flode/rss/"):
        assert parse(client, url)[1].feed.language == "en", url
    # A tie, and an empty feed, take the archive's main language (not the interface's).
    archive.past.language = "sv"
    archive.past.save_revision().publish()
    assert parse(client, "/en/feeds/atom/")[1].feed.language == "sv"
    for page in (archive.past, archive.upcoming):
        page.unpublish()
    assert parse(client, "/en/feeds/atom/")[1].feed.language == "sv"


@pytest.mark.parametrize("kind, attr", [("series", "series"), ("speaker", "erik"), ("topic", None)])
@pytest.mark.parametrize("fmt, version", [("rss", "rss20"), ("atom", "atom10")])
def test_filtered_feeds(client, archive, kind, attr, fmt, version):
    slug = getattr(archive, attr).slug if attr else "tillit"
    _response, feed = parse(client, reverse(f"feeds:{kind}_{fmt}", args=[slug]))
    assert feed.version == version
    assert {e.title for e in feed.entries} == {archive.past.title, archive.upcoming.title}


def test_topic_feeds_for_topics_with_swedish_letters(client, archive):
    """Topic slugs keep å, ä and ö ("öppna-data"): their feeds must resolve, not 404."""
    from taggit.models import Tag

    archive.past.topics.add("Öppna data")
    archive.past.save_revision().publish()
    slug = Tag.objects.get(name="Öppna data").slug
    assert slug == "öppna-data"
    for fmt in ("rss", "atom"):
        url = reverse(f"feeds:topic_{fmt}", args=[slug])
        assert url == "/flode/amne/%C3%B6ppna-data/" + fmt + "/"
        _response, feed = parse(client, url)
        assert [e.title for e in feed.entries] == [archive.past.title]


def test_speaker_feed_only_has_their_seminars(client, archive):
    _response, feed = parse(client, reverse("feeds:speaker_rss", args=[archive.anna.slug]))
    assert [e.title for e in feed.entries] == [archive.past.title]
    assert feed.feed.title.startswith("Anna Öberg")


def test_unknown_slug_is_404(client, archive):
    assert client.get("/flode/serie/finns-inte/rss/").status_code == 404
    assert client.get("/flode/serie/finns-inte/podcast/").status_code == 404


def test_podcast_feed_is_valid_for_podcast_apps(client, archive):
    response, feed = parse(client, reverse("feeds:series_podcast", args=[archive.series.slug]))
    body = response.content.decode()
    assert 'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"' in body
    # Apple's current spec: "true"/"false" (feedparser only maps the old yes/clean values).
    channel = ElementTree.fromstring(response.content).find("channel")
    assert channel.find(f"{{{ITUNES}}}explicit").text == "false"
    assert [e.find(f"{{{ITUNES}}}explicit").text for e in channel.iter("item")] == ["false"]
    assert feed.feed.author == "Statskontoret"
    assert feed.feed.image.href == "http://testserver/static/img/podcast-cover.png"
    assert feed.feed.tags[0].term == "Government"
    assert feed.feed.summary == "Frukostmöten om ledning."
    # Only the public seminar with an uploaded video is an episode.
    assert [e.title for e in feed.entries] == [archive.past.title]
    episode = feed.entries[0]
    assert episode.itunes_duration == "00:12:34"
    assert "Tillit" in episode.summary or "tillit" in episode.summary
    enclosure = episode.enclosures[0]
    assert enclosure.type == "video/webm"
    assert int(enclosure.length) == 4096
    assert enclosure.href.startswith("http://testserver/")
    assert enclosure.href.endswith(".webm")
    assert episode.image.href.endswith(".png")


def test_itunes_duration():
    assert itunes_duration(754) == "00:12:34"
    assert itunes_duration(3725.4) == "01:02:05"
    assert itunes_duration(None) == ""


def test_calendar_has_upcoming_public_seminars(client, archive):
    response = client.get("/flode/kalender.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = icalendar.Calendar.from_ical(response.content)
    events = list(cal.walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == [archive.upcoming.title]
    event = events[0]
    assert str(event["location"]) == "Sal A, Kulturhuset, Sergels torg 1, Stockholm"
    assert str(event["url"]) == "http://testserver/kompetensforsorjning/"
    assert "Erik Lind" in str(event["description"])
    assert "http://testserver/kompetensforsorjning/" in str(event["description"])
    assert event.decoded("dtstart") == archive.upcoming.start.replace(microsecond=0)
    assert "VTIMEZONE" in response.content.decode()
    assert str(event["uid"]).startswith(f"seminar-{archive.upcoming.pk}@")


def test_an_upcoming_seminar_page_offers_its_own_calendar_event(client, archive):
    page = archive.upcoming
    url = reverse("feeds:seminar_ics", args=[page.pk])
    assert url == f"/flode/seminarium/{page.pk}.ics"
    html = client.get(page.url).content.decode()
    assert f'href="{url}"' in html and "Lägg till i din kalender" in html
    response = client.get(url)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["summary"]) == page.title
    assert event.decoded("dtstart") == page.start.replace(microsecond=0)
    assert str(event["location"]) == "Sal A, Kulturhuset, Sergels torg 1, Stockholm"
    for hidden in archive.hidden:
        assert client.get(reverse("feeds:seminar_ics", args=[hidden.pk])).status_code == 404


def test_series_calendar_and_whole_day_events(client, archive):
    archive.upcoming.time_known = False
    archive.upcoming.save()
    response = client.get(reverse("feeds:series_ics", args=[archive.series.slug]))
    cal = icalendar.Calendar.from_ical(response.content)
    (event,) = cal.walk("VEVENT")
    start = event.decoded("dtstart")
    assert not hasattr(start, "hour"), "unknown clock time → all-day event"
    assert str(cal["x-wr-calname"]).startswith("Chefsfrukost")


FEED_URLS = [
    "/flode/rss/",
    "/flode/atom/",
    "/en/feeds/rss/",
    "/flode/kalender.ics",
    "/flode/serie/chefsfrukost/rss/",
    "/flode/serie/chefsfrukost/atom/",
    "/flode/serie/chefsfrukost/podcast/",
    "/flode/serie/chefsfrukost/kalender.ics",
    "/flode/amne/tillit/rss/",
    "/flode/amne/tillit/atom/",
]


@pytest.mark.parametrize("url", FEED_URLS)
def test_hidden_seminars_never_in_feeds(client, archive, url):
    body = client.get(url).content.decode()
    assert archive.past.title in body or archive.upcoming.title in body
    assert HIDDEN not in body
    assert "hemligt-" not in body


def test_speaker_feeds_hide_draft_and_private(client, archive):
    body = client.get(reverse("feeds:speaker_rss", args=[archive.anna.slug])).content.decode()
    assert HIDDEN not in body


def test_subscribe_links_on_pages(client, archive):
    archive_page = client.get("/").content.decode()
    assert 'type="application/rss+xml" href="/flode/rss/"' in archive_page
    assert 'href="/flode/kalender.ics"' in archive_page
    series_view = client.get("/?series=chefsfrukost").content.decode()
    assert 'href="/flode/serie/chefsfrukost/podcast/"' in series_view
    head_link = (
        '<link rel="alternate" type="application/rss+xml" href="/flode/serie/chefsfrukost/rss/"'
    )
    assert head_link in series_view
    speaker_page = client.get(archive.anna.get_absolute_url()).content.decode()
    assert f'href="/flode/talare/{archive.anna.slug}/rss/"' in speaker_page
    # A bogus filter value never breaks the page.
    assert client.get("/?series=%3Cscript%3E").status_code == 200


def test_subscribe_links_validate_kind():
    with pytest.raises(ValueError, match="archive, series, speaker or topic"):
        subscribe_links("venue", "x")


def test_feed_dates_say_when_seminars_were_published_never_the_future(client, archive):
    """An upcoming seminar's start date was its pubDate, so lastBuildDate, Atom <updated> and
    Last-Modified lay months ahead and a newly published recording changed none of them."""
    import datetime as dt
    from email.utils import parsedate_to_datetime

    from django.utils import timezone

    now = timezone.now()
    assert archive.upcoming.start > now
    for name in ("feeds:rss", "feeds:atom"):
        response, feed = parse(client, reverse(name))
        assert parsedate_to_datetime(response["Last-Modified"]) <= now + dt.timedelta(seconds=5)
        for entry in feed.entries:
            published = entry.get("published_parsed") or entry.get("updated_parsed")
            assert dt.datetime(*published[:6], tzinfo=dt.UTC) <= now + dt.timedelta(seconds=5)
    # Publishing again (a recording added, say) moves the feed's date.
    from archive.models import SeminarPage

    earlier = now - dt.timedelta(days=10)
    SeminarPage.objects.update(first_published_at=earlier, last_published_at=earlier)
    old = parse(client, reverse("feeds:rss"))[0]["Last-Modified"]
    assert parsedate_to_datetime(old) <= earlier + dt.timedelta(seconds=1)
    SeminarPage.objects.get(pk=archive.past.pk).save_revision().publish()
    new = parse(client, reverse("feeds:rss"))[0]["Last-Modified"]
    assert parsedate_to_datetime(new) > parsedate_to_datetime(old)


def test_moderators_are_named_as_moderators_not_speakers(client, archive):
    from archive.factories import SpeakerFactory
    from tests.archive.open_data import add_speaker

    add_speaker(archive.past, SpeakerFactory(name="Peter Öhman"), role="moderator", order=9)
    _response, feed = parse(client, reverse("feeds:rss"))
    entry = next(e for e in feed.entries if e.title == archive.past.title)
    speakers, moderators = entry.summary.split("Moderator:")
    assert "Peter Öhman" in moderators and "Erik Lind" in moderators
    assert "Peter Öhman" not in speakers and "Erik Lind" not in speakers
    assert "Anna Öberg" in speakers
    assert "Peter Öhman" not in entry.get("author", "")


def test_a_filtered_list_offers_the_feed_that_follows_it(client, archive):
    """?series= offered feeds titled by the slug, ?series=nope feeds that answer 404, and
    ?topic= only the whole archive's feeds."""
    import re

    html = client.get(f"/?series={archive.series.slug}").content.decode()
    assert f'title="{archive.series.name} (RSS)"' in html
    assert f"Prenumerera: {archive.series.name}" in html
    html = client.get("/?topic=tillit").content.decode()
    topic_rss = reverse("feeds:topic_rss", args=["tillit"])
    assert f'href="{topic_rss}"' in html and "Prenumerera: Tillit" in html
    parse(client, topic_rss)
    html = client.get("/?series=finns-inte").content.decode()
    assert "/serie/finns-inte/" not in html
    assert re.search(r'<h2 id="subscribe-heading-archive"[^>]*>Prenumerera</h2>', html)


def test_items_say_when_and_where_the_seminar_takes_place(client, archive):
    """An item's description had the lead and the speakers but not the seminar's date, time or
    place (its pubDate is when it was published)."""
    import datetime as dt

    from archive.models import SeminarPage

    utc = dt.UTC
    SeminarPage.objects.filter(pk=archive.past.pk).update(
        start=dt.datetime(2025, 10, 13, 13, 0, tzinfo=utc),  # 15:00 in Stockholm (summer time)
        end=dt.datetime(2025, 10, 13, 14, 30, tzinfo=utc),
    )
    SeminarPage.objects.filter(pk=archive.upcoming.pk).update(
        start=dt.datetime(2025, 11, 3, 8, 0, tzinfo=utc), time_known=False, venue=None, room=""
    )
    with translation.override("en"):
        for url in (reverse("feeds:rss"), reverse("feeds:atom")):
            _response, feed = parse(client, url)
            summaries = {e.title: e.summary for e in feed.entries}
            past = summaries[archive.past.title]
            assert "When: 13 October 2025, 15:00–16:30" in past, url
            assert "Where: Hörsal 2, Kulturhuset, Sergels torg 1, Stockholm" in past, url
            assert past.index("When:") < past.index("Speakers: Anna Öberg")
            upcoming = summaries[archive.upcoming.title]
            assert "When: 3 November 2025" in upcoming and "09:00" not in upcoming, url
            assert "Where:" not in upcoming  # no venue, no room, not a webinar
    _response, feed = parse(client, reverse("feeds:series_rss", args=[archive.series.slug]))
    past = next(e.summary for e in feed.entries if e.title == archive.past.title)
    assert "13 oktober 2025, 15:00–16:30" in past  # in the feed's language


def test_a_webinar_without_a_venue_says_so_and_calendar_events_do_not_repeat_the_date(
    client, archive
):
    from archive.feeds import seminar_summary
    from archive.models import SeminarPage

    SeminarPage.objects.filter(pk=archive.upcoming.pk).update(format="webinar", venue=None, room="")
    seminar = SeminarPage.objects.get(pk=archive.upcoming.pk)
    with translation.override("en"):
        assert "Where: Webinar" in seminar_summary(seminar)
        assert "When:" not in seminar_summary(seminar, when=False)


def description_paragraphs(html: str) -> list[list[str]]:
    """The paragraphs of a feed item's HTML description as a reader renders them: each a list
    of its lines (``<br>``); any other tag fails."""
    from html.parser import HTMLParser

    class Paragraphs(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.paragraphs, self.outside, self.open = [], "", False

        def handle_starttag(self, tag, attrs):
            assert tag == "p" and not self.open or tag == "br" and self.open, (tag, html)
            if tag == "p":
                self.paragraphs.append([""])
                self.open = True
            else:
                self.paragraphs[-1].append("")

        def handle_endtag(self, tag):
            assert tag == "p" and self.open, (tag, html)
            self.open = False

        def handle_data(self, data):
            if self.open:
                self.paragraphs[-1][-1] += data
            else:
                self.outside += data

    parser = Paragraphs()
    parser.feed(html)
    parser.close()
    assert not parser.outside.strip(), f"text outside the paragraphs in {html!r}"
    return [[line.strip() for line in p] for p in parser.paragraphs]


def test_item_descriptions_are_escaped_html_with_paragraphs_and_line_breaks(client, archive):
    """RSS <description> and Atom <summary type="html"> held plain text: readers render it as
    HTML, so "When", "Where", the lead and the speakers ran into one line, and a "<" or "&" in a
    lead was read as markup."""
    from archive.feeds import seminar_summary
    from archive.models import SeminarPage

    lead = "Vem bestämmer <egentligen>? Staten & kommunerna.\nEn andra rad."
    SeminarPage.objects.filter(pk=archive.past.pk).update(lead=lead)
    seminar = SeminarPage.objects.get(pk=archive.past.pk)
    atom = "{http://www.w3.org/2005/Atom}"
    feeds = [
        (reverse("feeds:rss"), "sv"),
        (reverse("feeds:series_rss", args=[archive.series.slug]), "sv"),
        (reverse("feeds:series_podcast", args=[archive.series.slug]), "sv"),
        (reverse("feeds:topic_rss", args=["tillit"]), "sv"),
        (reverse("feeds:atom"), "sv"),
        (reverse("feeds:speaker_atom", args=[archive.anna.slug]), "sv"),
    ]
    with translation.override("en"):
        feeds += [(reverse("feeds:rss"), "en"), (reverse("feeds:atom"), "en")]
    for url, language in feeds:
        response, feed = parse(client, url)
        root = ElementTree.fromstring(response.content)
        if root.tag == f"{atom}feed":
            entry = next(
                e for e in root.iter(f"{atom}entry") if e.findtext(f"{atom}title") == seminar.title
            )
            summary = entry.find(f"{atom}summary")
            assert summary.get("type") == "html", url
            html = summary.text
        else:
            item = next(i for i in root.iter("item") if i.findtext("title") == seminar.title)
            html = item.findtext("description")
        paragraphs = description_paragraphs(html)
        with translation.override(language):
            text = seminar_summary(seminar)
        # The plain text's paragraphs and lines, every character of them, as HTML.
        assert paragraphs == [p.split("\n") for p in text.split("\n\n")], url
        assert len(paragraphs[0]) == 2  # When and Where: two lines of one paragraph
        assert paragraphs[1] == [
            "Vem bestämmer <egentligen>? Staten & kommunerna.",
            "En andra rad.",
        ]
        assert "&lt;egentligen&gt;" in html and "&amp; kommunerna" in html, url
        entry = next(e for e in feed.entries if e.title == seminar.title)
        assert entry.summary_detail.type == "text/html", url
        assert "<egentligen>" not in entry.summary and "&lt;egentligen&gt;" in entry.summary, url


def test_a_podcast_episodes_itunes_summary_stays_plain_text(client, archive):
    from archive.feeds import seminar_summary
    from archive.models import SeminarPage

    SeminarPage.objects.filter(pk=archive.past.pk).update(lead="Staten & <kommunerna>")
    response = client.get(reverse("feeds:series_podcast", args=[archive.series.slug]))
    (item,) = ElementTree.fromstring(response.content).find("channel").iter("item")
    summary = item.findtext(f"{{{ITUNES}}}summary")
    assert summary == seminar_summary(SeminarPage.objects.get(pk=archive.past.pk))
    assert "Staten & <kommunerna>" in summary and "<p>" not in summary
    assert item.findtext("description").startswith("<p>")


def test_the_archive_calendar_file_is_named_in_the_interface_language(client, archive):
    """The English site's calendar downloaded as "seminarier.ics"."""
    swedish = client.get(reverse("feeds:ics"))
    assert swedish["Content-Disposition"] == 'inline; filename="seminarier.ics"'
    with translation.override("en"):
        url = reverse("feeds:ics")
    assert url == "/en/feeds/calendar.ics"
    english = client.get(url)
    assert english["Content-Disposition"] == 'inline; filename="seminars.ics"'
    assert icalendar.Calendar.from_ical(english.content).walk("VEVENT")


@pytest.mark.parametrize(
    "url",
    [
        "/flode/rss/",
        "/en/feeds/atom/",
        "/flode/serie/chefsfrukost/podcast/",
        "/flode/kalender.ics",
        "/flode/serie/chefsfrukost/kalender.ics",
    ],
)
def test_feeds_answer_conditional_requests(client, archive, url):
    """Feed readers and podcast apps poll: every poll downloaded the whole feed (no ETag, and
    no 304 ever)."""
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) > 2
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    # Changed (both seminars renamed and published): the whole feed again, a new ETag.
    for page in (archive.past, archive.upcoming):
        page.title += " (ny titel)"
        page.save_revision().publish()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    # Only the ETag decides: a feed's Last-Modified is its newest item's date, which a seminar
    # taken off it does not change, so If-Modified-Since alone must not keep the old list.
    modified = changed.get("Last-Modified")
    if modified:
        archive.past.unpublish()
        response = client.get(url, HTTP_IF_MODIFIED_SINCE=modified)
        assert response.status_code == 200
        assert archive.past.title not in response.content.decode()


def test_a_calendar_keeps_its_bytes_from_one_poll_to_the_next(client, archive, monkeypatch):
    """A seminar live without a publish (made by code) had "now" as its DTSTAMP: the calendar,
    and its ETag, changed every second, so a poll a second later never got its 304."""
    import datetime as dt

    from django.utils import timezone

    SeminarPage = type(archive.upcoming)
    SeminarPage.objects.filter(pk=archive.upcoming.pk).update(last_published_at=None)
    first = client.get("/flode/kalender.ics")
    later = timezone.now() + dt.timedelta(seconds=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    again = client.get("/flode/kalender.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_names_only_hidden_seminars_have_get_no_feed(client, archive):
    """A series, speaker or topic is looked up by its slug and then asked for a public seminar
    of its own (not found among every public seminar's): one that only drafts and private
    seminars have is still a 404, its feeds and calendar alike."""
    from taggit.models import Tag

    from archive.factories import SeriesFactory, SpeakerFactory
    from tests.archive.open_data import add_speaker

    secret_series = SeriesFactory(name="Hemlig serie", slug="hemlig-serie")
    secret_speaker = SpeakerFactory(name="Hemlig Talare")
    for page in (archive.draft, archive.private):
        page.series = secret_series
        page.topics.add("Hemligt ämne")
        page.save()
        add_speaker(page, secret_speaker, "speaker", 1)
    urls = [
        reverse("feeds:series_rss", args=["hemlig-serie"]),
        reverse("feeds:series_podcast", args=["hemlig-serie"]),
        reverse("feeds:speaker_rss", args=[secret_speaker.slug]),
        reverse("feeds:topic_rss", args=[Tag.objects.get(name="Hemligt ämne").slug]),
        reverse("feeds:series_ics", args=["hemlig-serie"]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_a_speaker_named_twice_on_a_seminar_lists_it_once(client, archive):
    from tests.archive.open_data import add_speaker

    add_speaker(archive.past, archive.anna, "moderator", 5)
    for name in ("speaker_rss", "speaker_atom"):
        _response, feed = parse(client, reverse(f"feeds:{name}", args=[archive.anna.slug]))
        assert [e.title for e in feed.entries] == [archive.past.title]
