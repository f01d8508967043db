"""Subscriptions: RSS 2.0 and Atom feeds, a podcast feed per series and iCalendar files.

Every feed reads through ``public_seminars()``: drafts and view-restricted seminars never appear.
Feeds are Django syndication ``Feed`` instances shared by all requests, so each request works on a
shallow copy that knows its request (absolute URLs for enclosures and artwork need the host).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import mimetypes
import re
from collections import Counter

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import linebreaks
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from taggit.models import Tag

from archive.converters import UnicodeSlugConverter
from archive.models import (
    SeminarFormat,
    SeminarSpeaker,
    SeminarTopic,
    Series,
    Speaker,
    main_archive,
    public_seminars,
)
from archive.models.pages import upcoming_q
from archive.transcript_formats import text_without_control_characters

FEED_LENGTH = 50
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_CATEGORY = "Government"
# The feeds' URLs take the Unicode ``uslug`` (a topic "uppföljning" has the slug "uppföljning"):
# an ASCII-only check here left such a topic's "Subscribe" box empty.
SLUG_RE = re.compile(UnicodeSlugConverter.regex)


# Conditional requests -------------------------------------------------------------------------


def _start_of_today() -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))


def validated(view):
    """``view`` answering conditional requests: each answer carries an ETag made from its bytes,
    and a client that sends it back (If-None-Match) while nothing changed gets 304 without the
    body. Feed readers and podcast apps poll; each poll downloaded the whole feed.

    Only the ETag decides. The feeds' Last-Modified is the newest item's date, and a feed also
    changes without one (a seminar unpublished or made private, a speaker renamed), so a 304 to
    If-Modified-Since alone would keep a reader on a feed that still lists what was taken off."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        set_response_etag(response)
        return get_conditional_response(request, etag=response["ETag"], response=response)

    return wrapped


# Pure helpers -------------------------------------------------------------------------------


def one_line(text: str) -> str:
    """``text`` without control characters and bidi overrides, for a title, name or place."""
    return text_without_control_characters(text, single_line=True)


def plain(text: str) -> str:
    """``text`` without control characters, for a description."""
    return text_without_control_characters(text)


def without_control_characters(value):
    """``value`` (a feed's or an item's values: texts in dicts, lists and tuples) without the
    control characters XML 1.0 refuses and without bidi overrides (:func:`one_line`): a feed
    reader shows a description as one run of text, where an override left open reverses the
    rest."""
    if isinstance(value, str):
        return one_line(value)
    if isinstance(value, dict):
        return {key: without_control_characters(v) for key, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(without_control_characters(v) for v in value)
    return value


def itunes_duration(seconds: float | None) -> str:
    """Seconds as the HH:MM:SS that podcast apps expect (empty when unknown)."""
    if not seconds:
        return ""
    total = int(round(float(seconds)))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def seminar_summary(seminar, when: bool = True) -> str:
    """Plain-text paragraphs: when and where the seminar takes place (a feed item's own dates
    say when it was published), the lead, who speaks and who moderates (the page keeps the roles
    apart; the feeds once listed moderators and hosts as speakers). ``when`` False leaves the
    date and place out, for a calendar event that has them in its own fields."""
    parts = [seminar_when_where(seminar)] if when else []
    if seminar.lead:
        parts.append(seminar.lead.strip())
    names = speaking_names(seminar)
    if names:
        parts.append(_("Speakers: %(names)s") % {"names": ", ".join(names)})
    leading = [one_line(link.speaker.name) for link in seminar.leading_links]
    if leading:
        parts.append(_("Moderator: %(names)s") % {"names": ", ".join(leading)})
    return "\n\n".join(parts)


def seminar_summary_html(seminar) -> str:
    """``seminar_summary`` as the HTML a feed item's description is: RSS ``<description>`` and
    Atom ``<summary type="html">`` are read as HTML, so plain text ran together into one line
    there and a "<" or "&" in a lead was taken for markup. Every piece of text is escaped; each
    part is a paragraph, and "When" and "Where" are lines of one (``<br>``)."""
    return linebreaks(seminar_summary(seminar), autoescape=True)


def seminar_when_where(seminar) -> str:
    """'När: 13 oktober 2025, 15:00–16:30' and 'Var: Sal 3, Kulturhuset, Stockholm' in the active
    language and the archive's time zone; the date alone when the clock time is unknown."""
    lines = [_("When: %(when)s") % {"when": seminar.when_text}]
    where = seminar_location(seminar)
    if not where and seminar.format == SeminarFormat.WEBINAR:
        where = str(SeminarFormat.WEBINAR.label)
    if where:
        lines.append(_("Where: %(where)s") % {"where": where})
    return "\n".join(lines)


def speaking_names(seminar) -> list[str]:
    """Who speaks (speakers and panelists), for the Speakers line and the feed's author."""
    return [one_line(link.speaker.name) for link in seminar.speaking_links]


def archive_root():
    return main_archive()


def archive_url() -> str:
    """The archive's address; "/" when no published archive has one (it may be unpublished,
    or only an archive no site serves is live: its ``get_url()`` is None)."""
    root = archive_root()
    return (root.get_url() if root else None) or "/"


# RSS and Atom ---------------------------------------------------------------------------------


def public_subject(queryset, slug, seminars):
    """The series, speaker or topic ``slug`` names when ``seminars(it)`` (its public seminars)
    has one; else 404. Looked up by slug first: ``public_series()`` and the like read every
    public seminar of the archive to find one slug (a tenth of a second at 2,000 seminars)."""
    obj = get_object_or_404(queryset, slug=slug)
    if not seminars(obj).exists():
        raise Http404("No public seminar")
    return obj


def series_seminars(series):
    return public_seminars().filter(series=series)


def speaker_seminars(speaker):
    # a subquery, not a join: a speaker named twice on one seminar lists it once
    return public_seminars().filter(
        pk__in=SeminarSpeaker.objects.filter(speaker=speaker).values("page_id")
    )


def topic_seminars(tag):
    return public_seminars().filter(
        pk__in=SeminarTopic.objects.filter(tag=tag).values("content_object_id")
    )


class RequestAwareFeed(Feed):
    """A Feed that, per request, runs on a copy holding ``self.request``."""

    request = None

    def __call__(self, request, *args, **kwargs):
        clone = copy.copy(self)
        clone.request = request
        return Feed.__call__(clone, request, *args, **kwargs)

    def absolute(self, url: str) -> str:
        return self.request.build_absolute_uri(url) if self.request else url

    def get_feed(self, obj, request):
        """The feed with its texts cleaned: Django's XML writer refuses a control character
        (a 500 for the whole feed), and one stored before saving cleaned texts (or written
        around ``save``) must not take every subscriber's feed down."""
        feed = super().get_feed(obj, request)
        feed.feed = without_control_characters(feed.feed)
        feed.items = [without_control_characters(item) for item in feed.items]
        return feed


class SeminarFeed(RequestAwareFeed):
    """All public seminars, newest first. Subclasses narrow ``seminars(obj)``."""

    kind = "archive"

    def get_object(self, request, *args, **kwargs):
        return None

    def seminars(self, obj):
        return public_seminars()

    def items(self, obj):
        return (
            self.seminars(obj)
            .select_related("series", "venue")
            .prefetch_related("seminar_speakers__speaker", "tagged_items__tag")
            .order_by("-start", "-pk")[:FEED_LENGTH]
        )

    def get_feed(self, obj, request):
        # The feed's <language> is that of what it lists, not of the interface it was asked
        # in: the English site's feeds list Swedish seminars (mostly), and podcast apps and
        # readers use it to pick fonts, voices and hyphenation.
        # An empty feed (or a tie) takes the archive's main language, not the interface's.
        languages = Counter(self.items(obj).values_list("language", flat=True))
        main = settings.LANGUAGE_CODE
        self.language = max(
            languages, key=lambda code: (languages[code], code == main), default=main
        )
        return super().get_feed(obj, request)

    def title(self, obj):
        return settings.WAGTAIL_SITE_NAME

    def subtitle(self, obj):
        return _("Seminars, talks and their recordings")

    description = subtitle

    def link(self, obj):
        return archive_url()

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return seminar_summary_html(item)

    def item_link(self, item):
        return item.get_url()

    # A feed item's dates say when it appeared and last changed in the archive, never the
    # seminar's own date: an upcoming seminar's start once made the whole feed's lastBuildDate,
    # Atom <updated> and Last-Modified lie in the future (the seminar's date, time and place
    # open the item's description: ``seminar_summary``).
    def item_pubdate(self, item):
        published = item.first_published_at or item.last_published_at
        if published:
            return published
        # Live without a publish (made by code): the start of today at the latest, not now, so
        # the feed's bytes (and its ETag, ``validated``) stay the same from one poll to the next.
        return min(item.start, _start_of_today())

    def item_updateddate(self, item):
        return item.last_published_at or self.item_pubdate(item)

    def item_categories(self, item):
        return [tagged.tag.name for tagged in item.tagged_items.all()]

    def item_author_name(self, item):
        names = speaking_names(item)
        return ", ".join(names) if names else None


class SeriesFeed(SeminarFeed):
    kind = "series"

    def get_object(self, request, slug):
        return public_subject(Series.objects.all(), slug, series_seminars)

    def seminars(self, obj):
        return series_seminars(obj)

    def title(self, obj):
        return f"{obj.name} – {settings.WAGTAIL_SITE_NAME}"

    def subtitle(self, obj):
        return obj.description or _("Seminars in the series %(name)s") % {"name": obj.name}

    description = subtitle

    def link(self, obj):
        return f"{archive_url()}?series={obj.slug}"


class SpeakerFeed(SeminarFeed):
    kind = "speaker"

    def get_object(self, request, slug):
        return public_subject(Speaker.objects.all(), slug, speaker_seminars)

    def seminars(self, obj):
        return speaker_seminars(obj)

    def title(self, obj):
        return f"{obj.name} – {settings.WAGTAIL_SITE_NAME}"

    def subtitle(self, obj):
        return _("Seminars with %(name)s") % {"name": obj.name}

    description = subtitle

    def link(self, obj):
        return obj.get_absolute_url()


class TopicFeed(SeminarFeed):
    kind = "topic"

    def get_object(self, request, slug):
        return public_subject(Tag.objects.all(), slug, topic_seminars)

    def seminars(self, obj):
        return topic_seminars(obj)

    def title(self, obj):
        return f"{obj.name} – {settings.WAGTAIL_SITE_NAME}"

    def subtitle(self, obj):
        return _("Seminars about %(name)s") % {"name": obj.name}

    description = subtitle

    def link(self, obj):
        return f"{archive_url()}?topic={obj.slug}"


class SpeakersAtom1Feed(Atom1Feed):
    """Atom with one ``<author>`` per speaker (name and speaker page), as Atom allows: a single
    ``<author><name>`` listing everybody ("A, B, C") read as one person in feed readers."""

    def add_item_elements(self, handler, item):
        authors = item.get("authors")
        if authors is None:
            return super().add_item_elements(handler, item)
        super().add_item_elements(handler, {**item, "author_name": None})
        for name, uri in authors:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            if uri:
                handler.addQuickElement("uri", uri)
            handler.endElement("author")


class AtomAuthors:
    """Gives a seminar feed's Atom twin its speakers one by one (``SpeakersAtom1Feed``)."""

    feed_type = SpeakersAtom1Feed

    def item_extra_kwargs(self, item):
        authors = [
            (link.speaker.name, self.absolute(link.speaker.get_absolute_url()))
            for link in item.speaking_links
        ]
        return {**super().item_extra_kwargs(item), "authors": authors}


def atom(feed_class):
    """The Atom twin of an RSS feed class (RSS keeps one author line: ``<dc:creator>``)."""
    return type(f"Atom{feed_class.__name__}", (AtomAuthors, feed_class), {})


ArchiveAtomFeed = atom(SeminarFeed)
SeriesAtomFeed = atom(SeriesFeed)
SpeakerAtomFeed = atom(SpeakerFeed)
TopicAtomFeed = atom(TopicFeed)


# Podcast --------------------------------------------------------------------------------------


class PodcastFeedGenerator(Rss201rev2Feed):
    """RSS 2.0 with the iTunes namespace tags podcast apps require."""

    def rss_attributes(self):
        attrs = super().rss_attributes()
        attrs["xmlns:itunes"] = ITUNES_NS
        return attrs

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        handler.addQuickElement("itunes:author", self.feed["itunes_author"])
        handler.addQuickElement("itunes:summary", self.feed["description"])
        handler.addQuickElement("itunes:explicit", "false")
        handler.addQuickElement("itunes:type", "episodic")
        handler.addQuickElement("itunes:image", attrs={"href": self.feed["itunes_image"]})
        handler.addQuickElement("itunes:category", attrs={"text": PODCAST_CATEGORY})
        handler.startElement("itunes:owner", {})
        handler.addQuickElement("itunes:name", self.feed["itunes_author"])
        handler.endElement("itunes:owner")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("itunes:author", item["itunes_author"])
        handler.addQuickElement("itunes:summary", item["itunes_summary"])  # plain text
        handler.addQuickElement("itunes:explicit", "false")
        if item["itunes_duration"]:
            handler.addQuickElement("itunes:duration", item["itunes_duration"])
        if item["itunes_image"]:
            handler.addQuickElement("itunes:image", attrs={"href": item["itunes_image"]})


class PodcastFeed(SeriesFeed):
    """A series' uploaded recordings as podcast episodes (embedded videos cannot be enclosed)."""

    feed_type = PodcastFeedGenerator
    kind = "podcast"

    def seminars(self, obj):
        return public_seminars().filter(series=obj, video_file__isnull=False)

    def items(self, obj):
        return super().items(obj).select_related("video_file")

    def feed_extra_kwargs(self, obj):
        return {
            "itunes_author": obj.organiser or settings.WAGTAIL_SITE_NAME,
            "itunes_image": self.absolute(static("img/podcast-cover.png")),
        }

    def item_extra_kwargs(self, item):
        media = item.video_file
        thumbnail = media.thumbnail.url if media and media.thumbnail else ""
        return {
            "itunes_author": self.item_author_name(item) or settings.WAGTAIL_SITE_NAME,
            # <description> is HTML (``item_description``); Apple's itunes:summary is plain text.
            "itunes_summary": seminar_summary(item),
            "itunes_duration": itunes_duration(item.video_duration),
            "itunes_image": self.absolute(thumbnail) if thumbnail else "",
        }

    def item_enclosures(self, item):
        media = item.video_file
        try:
            length = media.file.size
        except (FileNotFoundError, OSError, ValueError):
            length = 0
        mime = mimetypes.guess_type(media.file.name)[0] or "video/mp4"
        return [Enclosure(self.absolute(media.url), str(length), mime)]


# iCalendar ------------------------------------------------------------------------------------


def seminar_location(seminar) -> str:
    parts = [seminar.room] if seminar.room else []
    if seminar.venue:
        parts.append(seminar.venue.one_line())
    return one_line(", ".join(parts))


def seminar_event(seminar, url: str, host: str):
    """One VEVENT: whole-day when the clock time is unknown."""
    from icalendar import Event

    event = Event()
    event.add("uid", f"seminar-{seminar.pk}@{host}")
    # Texts without control characters, which RFC 5545 does not allow in TEXT values.
    event.add("summary", one_line(seminar.title))
    start = timezone.localtime(seminar.start)
    if seminar.time_known:
        event.add("dtstart", start)
        event.add("dtend", timezone.localtime(seminar.end or seminar.start + dt.timedelta(hours=1)))
    else:
        event.add("dtstart", start.date())
        end_day = timezone.localtime(seminar.end).date() if seminar.end else start.date()
        event.add("dtend", end_day + dt.timedelta(days=1))
    # Never "now" (a seminar live without a publish, made by code): the calendar's bytes, and
    # its ETag (``validated``), must stay the same from one poll to the next.
    event.add("dtstamp", seminar.last_published_at or _start_of_today())
    location = seminar_location(seminar)
    if location:
        event.add("location", one_line(location))
    description = seminar_summary(seminar, when=False)  # DTSTART and LOCATION say when, where
    event.add("description", plain(f"{description}\n\n{url}" if description else url))
    event.add("url", url)
    if seminar.series:
        event.add("categories", [one_line(seminar.series.name)])
    return event


def build_calendar(seminars, request, name: str) -> bytes:
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", f"-//{settings.WAGTAIL_SITE_NAME}//seminars//SV")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", one_line(name))
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    host = request.get_host().split(":")[0]
    for seminar in seminars:
        url = request.build_absolute_uri(seminar.get_url())
        cal.add_component(seminar_event(seminar, url, host))
    cal.add_missing_timezones()
    return cal.to_ical()


def upcoming_seminars(qs=None):
    qs = public_seminars() if qs is None else qs
    return (
        qs.filter(upcoming_q())
        .select_related("series", "venue")
        .prefetch_related("seminar_speakers__speaker")
        .order_by("start", "pk")
        .distinct()
    )


def calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response


def archive_calendar(request):
    """Upcoming public seminars of the whole archive as an .ics file."""
    content = build_calendar(upcoming_seminars(), request, settings.WAGTAIL_SITE_NAME)
    # Named in the interface's language: "seminarier.ics", on the English site "seminars.ics".
    return calendar_response(content, f"{slugify(_('seminars')) or 'seminars'}.ics")


def seminar_calendar(request, page_id: int):
    """One public seminar as an .ics file: "add to calendar" on its page."""
    seminar = get_object_or_404(
        public_seminars()
        .select_related("series", "venue")
        .prefetch_related("seminar_speakers__speaker"),
        pk=page_id,
    )
    content = build_calendar([seminar], request, seminar.title)
    return calendar_response(content, f"{seminar.slug}.ics")


def series_calendar(request, slug):
    series = public_subject(Series.objects.all(), slug, series_seminars)
    seminars = upcoming_seminars(series_seminars(series))
    content = build_calendar(seminars, request, f"{series.name} – {settings.WAGTAIL_SITE_NAME}")
    return calendar_response(content, f"{series.slug}.ics")


# Links for templates --------------------------------------------------------------------------


def subscribe_links(kind: str = "archive", slug: str | None = None) -> list[dict]:
    """The feeds for the archive or one series/speaker/topic, for <link rel="alternate"> and lists.

    Each link is ``{"url", "type", "label"}``; ``kind`` is archive, series, speaker or topic.
    """
    if kind not in ("archive", "series", "speaker", "topic"):
        raise ValueError(f"No feeds for {kind!r}: use archive, series, speaker or topic")
    if kind != "archive" and not SLUG_RE.fullmatch(slug or ""):
        return []
    args = [slug] if slug else []
    prefix = "" if kind == "archive" else f"{kind}_"
    links = [
        {
            "url": reverse(f"feeds:{prefix}rss", args=args),
            "type": "application/rss+xml",
            "label": _("RSS"),
        },
        {
            "url": reverse(f"feeds:{prefix}atom", args=args),
            "type": "application/atom+xml",
            "label": _("Atom"),
        },
    ]
    if kind in ("archive", "series"):
        links.append(
            {
                "url": reverse(f"feeds:{prefix}ics", args=args),
                "type": "text/calendar",
                "label": _("Calendar (iCal)"),
            }
        )
    if kind == "series":
        links.append(
            {
                "url": reverse("feeds:series_podcast", args=args),
                "type": "application/rss+xml",
                "label": _("Podcast"),
            }
        )
    return links
