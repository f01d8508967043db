"""What machines read about the archive: schema.org JSON-LD, OpenGraph, sitemap.xml, robots.txt.

The JSON-LD builders are pure functions of a page (or speaker) and a function turning a path into
an absolute URL, so they are tested without rendering templates. ``json_ld_script`` escapes
``<``, ``>`` and ``&`` the way ``django.utils.html.json_script`` does, so a title containing
``</script>`` cannot end the script element.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import _json_script_escapes, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, override
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.contrib.sitemaps.views import prepare_sitemaps
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap_view
from wagtail.models import Page

from archive.models import SeminarPage, public_speakers
from archive.transcript_formats import time_param

SCHEMA = "https://schema.org"
TRANSCRIPT_MAX_CHARS = 50_000
_JSON_SCRIPT_ESCAPES = tuple((chr(code), escaped) for code, escaped in _json_script_escapes.items())
Absolute = Callable[[str], str]


# Formatting helpers ---------------------------------------------------------------------------


def iso_duration(seconds: float | None) -> str | None:
    """Seconds as an ISO 8601 duration: 3725 → 'PT1H2M5S'."""
    if seconds is None:
        return None
    total = int(round(float(seconds)))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    out = "PT"
    if hours:
        out += f"{hours}H"
    if minutes:
        out += f"{minutes}M"
    if secs or out == "PT":
        out += f"{secs}S"
    return out


def seminar_date(seminar, value):
    """ISO date-time in local time, or only the date when the clock time is not known."""
    if value is None:
        return None
    local = timezone.localtime(value)
    return local.isoformat() if seminar.time_known else local.date().isoformat()


def json_ld_script(data: dict) -> str:
    """A ``<script type="application/ld+json">`` element, safe against ``</script>`` injection."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    # The escapes of json_script, as three replaces: str.translate with a dict walks a 50,000-
    # character transcript one character at a time (milliseconds per page view).
    for char, escaped in _JSON_SCRIPT_ESCAPES:
        payload = payload.replace(char, escaped)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


def _drop_empty(data: dict) -> dict:
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


# Seminar: Event + VideoObject -----------------------------------------------------------------


def person_jsonld(speaker, absolute: Absolute, job_title: str = "") -> dict:
    affiliation = (
        {"@type": "Organization", "name": speaker.affiliation} if speaker.affiliation else None
    )
    return _drop_empty(
        {
            "@type": "Person",
            "name": speaker.name,
            "jobTitle": job_title or speaker.title,
            "affiliation": affiliation,
            "url": absolute(speaker.get_absolute_url()),
        }
    )


def place_jsonld(seminar) -> dict | None:
    venue = seminar.venue
    if not venue:
        return None
    address = _drop_empty(
        {
            "@type": "PostalAddress",
            "streetAddress": venue.street_address,
            "addressLocality": venue.city,
            "addressCountry": "SE",
        }
    )
    name = f"{venue.name}, {seminar.room}" if seminar.room else venue.name
    return {"@type": "Place", "name": name, "address": address}


def attendance_mode(seminar) -> str:
    online = seminar.format == "webinar"
    if online and seminar.venue:
        return f"{SCHEMA}/MixedEventAttendanceMode"
    return f"{SCHEMA}/{'Online' if online else 'Offline'}EventAttendanceMode"


def organizer_jsonld(seminar, absolute: Absolute) -> dict:
    series = seminar.series
    if series and series.organiser:
        return _drop_empty(
            {"@type": "Organization", "name": series.organiser, "url": series.website}
        )
    return {"@type": "Organization", "name": settings.WAGTAIL_SITE_NAME, "url": absolute("/")}


def seminar_event_jsonld(seminar, absolute: Absolute) -> dict:
    url = absolute(seminar.get_url())
    location = place_jsonld(seminar)
    if seminar.format == "webinar":
        virtual = {"@type": "VirtualLocation", "url": url}
        location = [location, virtual] if location else virtual
    if not location:
        location = {"@type": "Place", "name": seminar.room or settings.WAGTAIL_SITE_NAME}
    performers = [
        person_jsonld(link.speaker, absolute, link.title) for link in seminar.speaker_links
    ]
    data = {
        "@context": SCHEMA,
        "@type": "Event",
        "name": seminar.title,
        "description": seminar.lead,
        "url": url,
        "startDate": seminar_date(seminar, seminar.start),
        "endDate": seminar_date(seminar, seminar.end),
        "eventStatus": f"{SCHEMA}/EventScheduled",
        "eventAttendanceMode": attendance_mode(seminar),
        "inLanguage": seminar.language,
        "location": location,
        "performer": performers,
        "organizer": organizer_jsonld(seminar, absolute),
        "superEvent": (
            {"@type": "EventSeries", "name": seminar.series.name} if seminar.series else None
        ),
    }
    return _drop_empty(data)


def rendered_transcript(seminar):
    """The seminar's transcript as rendered once per version (shared with the page's list)."""
    from archive import transcript_cache

    transcript = seminar.transcript_or_none
    if transcript is None:
        return transcript_cache.RenderedTranscript()
    return transcript_cache.rendered(transcript, seminar.speaker_names())


def chapter_clips(chapters: list[dict], url: str, end_of_all: float | None) -> list[dict]:
    """One schema.org ``Clip`` per chapter heading, ending where the next chapter starts."""
    clips = []
    for i, chapter in enumerate(chapters):
        start = float(chapter["start"])
        end = float(chapters[i + 1]["start"]) if i + 1 < len(chapters) else end_of_all
        clips.append(
            _drop_empty(
                {
                    "@type": "Clip",
                    "name": chapter["title"],
                    "startOffset": int(start),
                    "endOffset": int(end) if end is not None else None,
                    "url": f"{url}?t={time_param(start)}",
                }
            )
        )
    return clips


def video_thumbnail(seminar, absolute: Absolute) -> str:
    media = seminar.video_file if seminar.video_file_id else None
    if media and media.thumbnail:
        return absolute(media.thumbnail.url)
    for slide in seminar.slide_links:
        if slide.document.thumbnail:
            return absolute(slide.document.thumbnail.url)
    return absolute(static("img/podcast-cover.png"))


def seminar_video_jsonld(seminar, absolute: Absolute) -> dict | None:
    if not seminar.has_video:
        return None
    from django.urls import reverse

    url = absolute(seminar.get_url())
    transcript = rendered_transcript(seminar)
    duration = seminar.video_duration
    if seminar.video_file_id:
        media = seminar.video_file
        upload = media.created_at
        content = {"contentUrl": absolute(media.url)}
    else:
        upload = seminar.first_published_at or seminar.start
        content = {}
    if seminar.is_public:  # only public seminars can be embedded (a preview, a draft: not yet)
        content["embedUrl"] = absolute(reverse("seminar_embed", args=[seminar.pk]))
    text = transcript.plain_text[:TRANSCRIPT_MAX_CHARS]
    data = {
        "@context": SCHEMA,
        "@type": "VideoObject",
        "name": seminar.title,
        "description": seminar.lead or seminar.title,
        "uploadDate": timezone.localtime(upload).isoformat() if upload else None,
        "duration": iso_duration(duration),
        "thumbnailUrl": [video_thumbnail(seminar, absolute)],
        "inLanguage": seminar.language,
        "url": url,
        "transcript": text,
        "hasPart": chapter_clips(transcript.chapters, url, duration or transcript.end),
        **content,
    }
    return _drop_empty(data)


def seminar_jsonld(seminar, absolute: Absolute) -> list[dict]:
    """Everything for a seminar page: its Event and, once recorded, its VideoObject."""
    video = seminar_video_jsonld(seminar, absolute)
    return [seminar_event_jsonld(seminar, absolute)] + ([video] if video else [])


def speaker_jsonld(speaker, absolute: Absolute) -> dict:
    data = person_jsonld(speaker, absolute)
    data["@context"] = SCHEMA
    data["description"] = speaker.bio
    data["sameAs"] = [speaker.website] if speaker.website else []
    if speaker.photo_id:
        data["image"] = absolute(speaker.photo.get_rendition("fill-400x400").url)
    return _drop_empty(data)


# OpenGraph / Twitter --------------------------------------------------------------------------


def social_meta(
    *, title: str, description: str, url: str, image: str, kind: str, locale: str, video: str = ""
) -> list[tuple[str, str, str]]:
    """(attribute, name, content) triples for OpenGraph and Twitter card meta tags."""
    tags = [
        ("property", "og:site_name", settings.WAGTAIL_SITE_NAME),
        ("property", "og:type", kind),
        ("property", "og:title", title),
        ("property", "og:url", url),
        ("property", "og:locale", {"sv": "sv_SE", "en": "en_GB"}.get(locale, locale)),
        ("name", "twitter:card", "summary_large_image" if image else "summary"),
        ("name", "twitter:title", title),
    ]
    if description:
        tags += [
            ("property", "og:description", description),
            ("name", "twitter:description", description),
        ]
    if image:
        tags += [("property", "og:image", image), ("name", "twitter:image", image)]
    if video:
        tags.append(("property", "og:video", video))
    return tags


# sitemap.xml and robots.txt -------------------------------------------------------------------


#: Entries in one section page of the sitemap (``/sitemap-<section>.xml?p=N``): a crawler's
#: request costs the same however large the archive grows (the whole sitemap in one answer took
#: 0.4 s of CPU at 2,000 seminars, growing with every one).
SECTION_LIMIT = 500


def latest_change(pages):
    """The newest date among ``pages``' sitemap entries (Wagtail's ``lastmod``: the last
    publication, else the latest revision), counted in the database: Django's default reads
    every entry to find it."""
    return (
        pages.order_by()
        .aggregate(latest=Max(Coalesce("last_published_at", "latest_revision_created_at")))
        .get("latest")
    )


class OtherPagesSitemap(WagtailSitemap):
    """Wagtail's sitemap of live, public pages, all but the seminars (see SeminarSitemap)."""

    limit = SECTION_LIMIT

    def items(self):
        return super().items().not_exact_type(SeminarPage)

    def get_latest_lastmod(self):
        return latest_change(self.items())


class SeminarSitemap(WagtailSitemap):
    """The live, public seminars: the bulk of the sitemap (thousands of pages).

    Read as plain ``Page`` rows with only the columns a sitemap entry uses, not as full
    seminar pages (a fifth of the reading time at 2,000 seminars); entries are Wagtail's own
    ``Page.get_sitemap_urls``, the same as a seminar's as long as SeminarPage overrides neither
    it nor its URL routing. Should it ever, its full pages are read instead."""

    FIELDS = ("id", "path", "depth", "url_path", "last_published_at", "latest_revision_created_at")
    limit = SECTION_LIMIT

    def seminars(self):
        return (
            self.get_wagtail_site()
            .root_page.get_descendants(inclusive=True)
            .live()
            .public()
            .exact_type(SeminarPage)
            .order_by("path")
        )

    def get_latest_lastmod(self):
        return latest_change(self.seminars())

    def items(self):
        pages = self.seminars()
        if plain_page_routing(SeminarPage):
            return pages.only(*self.FIELDS)
        return pages.defer_streamfields().specific()


def plain_page_routing(model) -> bool:
    """Whether ``model`` builds its URLs and sitemap entries exactly as ``Page`` does."""
    return all(
        getattr(model, name) is getattr(Page, name)
        for name in ("get_sitemap_urls", "get_url_parts", "get_full_url")
    )


class SpeakerSitemap(DjangoSitemap):
    """Speaker pages of everyone who took part in at least one public seminar."""

    changefreq = "monthly"
    priority = 0.5
    limit = SECTION_LIMIT

    def __init__(self, root_url: str = ""):
        """``root_url``: the Wagtail site's address, which the page entries use, so every entry
        of the sitemap names the same host (Django's own sitemap would use the request's)."""
        super().__init__()
        parts = urlsplit(root_url) if root_url else None
        self.protocol = parts.scheme if parts else None
        self.domain = parts.netloc if parts else ""

    def get_domain(self, site=None):
        return self.domain or super().get_domain(site)

    def items(self):
        # A semi-join (no DISTINCT over whole speaker rows), reading only what an entry uses.
        return public_speakers().only("slug", "name").order_by("name", "pk")

    def location(self, item):
        return item.get_absolute_url()


def site_root_url(request) -> str:
    """The Wagtail site's own address for ``request`` ("" when there is no site)."""
    from wagtail.models import Site

    site = Site.find_for_request(request)
    return site.root_url if site else ""


def _sitemaps(request) -> dict:
    return {
        "pages": OtherPagesSitemap,
        "seminars": SeminarSitemap,
        "speakers": SpeakerSitemap(site_root_url(request)),
    }


def sitemap(request):
    """The sitemap index: one entry for each page of each section (:func:`sitemap_section`),
    at the Wagtail site's address as the entries themselves (Django's index names the
    request's host)."""
    root = site_root_url(request) or f"{request.scheme}://{request.get_host()}"
    entries = []
    for section, site in prepare_sitemaps(request, _sitemaps(request)).items():
        location = root + reverse("sitemap_section", kwargs={"section": section})
        lastmod = site.get_latest_lastmod()
        entries += [SitemapIndexItem(location, lastmod)] + [
            SitemapIndexItem(f"{location}?p={number}", lastmod)
            for number in range(2, site.paginator.num_pages + 1)
        ]
    response = TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


def sitemap_section(request, section):
    """One page (``?p=``, at most SECTION_LIMIT entries) of one section of the sitemap: the
    live, public pages other than seminars, the seminars (read lightly), the speaker pages."""
    sitemaps = _sitemaps(request)
    if section not in sitemaps:
        raise Http404("No such sitemap")
    return wagtail_sitemap_view(request, sitemaps=sitemaps, section=section)


def robots_txt(request):
    """Keep crawlers out of the admin and of search results; point them at the sitemap."""
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /api/search/"]
    for code, _name in settings.LANGUAGES:
        with override(code):
            prefix = "" if code == settings.LANGUAGE_CODE else f"{code}/"
            lines.append(f"Disallow: /{prefix}{gettext('search/')}")
    root = site_root_url(request)
    lines.append(
        f"Sitemap: {root}/sitemap.xml" if root else request.build_absolute_uri("/sitemap.xml")
    )
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
