"""The archive's read API (mounted at /api/ by ``config.api``): seminars, speakers, series,
citations, oEmbed, and CSV/JSON export of any search result.

Only public content: everything reads through ``public_seminars()``. ``/api/seminars/`` takes the
search's filters, read and checked by ``search.params`` (the same values, the same 400s). Exports
run the same query as the search page (``search.params``, then the database engine's
``all_hits``, or Elasticsearch page by page), so what a researcher downloads is what they saw, up
to ``EXPORT_MAX_ROWS`` rows.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import functools
import io
import math

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header, urlencode
from django.utils.text import slugify
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status

from archive.citation import citation_data, to_apa, to_bibtex, to_csl_json, to_ris
from archive.models import (
    LEADING_ROLES,
    ArchiveDocument,
    SeminarFormat,
    SeminarIndexPage,
    SeminarPage,
    SeminarSpeaker,
    SeminarTopic,
    Series,
    Speaker,
    TalkLanguage,
    Transcript,
    main_archive,
    public_seminars,
)
from archive.oembed import oembed_for_url, transcript_url
from archive.spreadsheets import as_text_cell

router = Router(tags=["archive"])

# After ``router``: importing config.api mounts this module's router (it may be imported first).
from config.api import (  # noqa: E402
    INTERFACE_LANGUAGE_PARAM,
    BadParameter,
    ErrorOut,
    NotFound,
    api_datetime,
    check_page,
    page_links,
    reject_unknown_parameters,
)
from search.api import ArchiveFilters, Paging, SearchFilters  # noqa: E402  (the same filters)
from search.export import (  # noqa: E402
    EXPORT_MAX_MOMENTS,
    csv_fields,
    export_fields,
    export_query,
    plain,
)

EXPORT_MAX_ROWS = 10_000
EXPORT_PAGE_SIZE = 100
HL_DESCRIPTION = (
    "Interface language of the download: sv or en (its labels, dates and the links it gives). "
    "Without it, the language of the request (Accept-Language). The site's own links pass the "
    "language of the page they are on."
)


def interface_language(request):
    """A context manager running in the language ``?hl=`` asks for (sv, en), else in the one
    LocaleMiddleware chose from the request. An unknown value is a 400 that lists the choices."""
    raw = request.GET.get(INTERFACE_LANGUAGE_PARAM, "").strip()
    codes = [code for code, _name in settings.LANGUAGES]
    if not raw:
        return contextlib.nullcontext()
    if raw not in codes:
        raise BadParameter(
            INTERFACE_LANGUAGE_PARAM,
            gettext("hl must be one of %(choices)s, not “%(value)s”.")
            % {"choices": ", ".join(codes), "value": raw[:20]},
        )
    return translation.override(raw)


def in_interface_language(view):
    """Run an API view in its ``hl`` language, and say which in Content-Language."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        with interface_language(request):
            response = view(request, *args, **kwargs)
            response["Content-Language"] = translation.get_language()
        return response

    return wrapped


# Schemas --------------------------------------------------------------------------------------


class SeriesRef(Schema):
    slug: str
    name: str


class TopicRef(Schema):
    slug: str
    name: str


class SpeakerRef(Schema):
    name: str
    slug: str
    role: str = Field(
        description="speaker or panelist (in speakers); moderator or host (in moderators)"
    )
    title: str = Field("", description="Title and affiliation as given for this seminar")


TIME_DESCRIPTION = (
    "ISO 8601 in the archive's time zone (Europe/Stockholm) with its offset "
    "(2025-10-13T15:00:00+02:00); only the date (2025-10-13) when time_known is false"
)


class SeminarSummary(Schema):
    id: int
    slug: str
    title: str
    url: str
    start: str = Field(description=TIME_DESCRIPTION)
    end: str | None = Field(description=f"{TIME_DESCRIPTION}; null when not known")
    time_known: bool = Field(
        description="False when only the seminar's date is known, not its clock time"
    )
    series: SeriesRef | None
    format: str = Field(description=", ".join(SeminarFormat.values))
    language: str = Field(description="Language of the talk: " + ", ".join(TalkLanguage.values))
    lead: str
    speakers: list[SpeakerRef] = Field(description="Who speaks: speakers and panelists")
    moderators: list[SpeakerRef] = Field(
        description="Who leads the seminar: moderators and hosts (never listed as speakers)"
    )
    topics: list[TopicRef]
    has_video: bool
    has_transcript: bool


class SeminarList(Schema):
    count: int
    page: int
    page_size: int
    num_pages: int = Field(description="Pages of results (at least 1); a page past it is a 400")
    next: str | None
    previous: str | None
    results: list[SeminarSummary]


class VenueOut(Schema):
    name: str
    street_address: str
    city: str


class VideoOut(Schema):
    kind: str  # "file" or "embed"
    url: str
    embed_url: str
    duration: float | None
    captions_url: str


class SlideOut(Schema):
    label: str
    url: str
    page_count: int | None
    file_size: int | None
    text_status: str = Field(
        description="Whether the PDF's text was read for search: "
        + ", ".join(ArchiveDocument.TextStatus.values)
    )


class TranscriptOut(Schema):
    language: str
    review_state: str = Field(description=", ".join(Transcript.ReviewState.values))
    reviewed_at: str | None = Field(description="ISO 8601 (local, with offset), or null")
    segment_count: int
    downloads: dict[str, str]


class CitationOut(Schema):
    apa: str
    bibtex_url: str
    text_url: str
    ris_url: str = Field(description="RIS (EndNote, Zotero, Mendeley)")
    csl_url: str = Field(description="CSL-JSON (Zotero, Pandoc, citeproc)")


class ContactOut(Schema):
    name: str
    email: str
    phone: str


class SeminarDetail(SeminarSummary):
    code: str
    venue: VenueOut | None
    room: str
    video: VideoOut | None
    slides: list[SlideOut]
    transcript: TranscriptOut | None
    registration_url: str
    registration_deadline: str | None = Field(description="ISO 8601 (local, with offset), or null")
    registration_note: str = Field(
        description='What the page says about attending ("Free entry, no registration"), '
        "while the seminar is upcoming; else empty"
    )
    contact: ContactOut | None = Field(
        description="Whom to ask about attending, while the seminar is upcoming (as on its "
        "page); else null"
    )
    citation: CitationOut


class SpeakerOut(Schema):
    slug: str
    name: str
    title: str
    affiliation: str
    url: str
    seminar_count: int


DETAIL_PAGE_SIZE = 20  # seminars a page of a speaker's or series' answer


class DetailPaging(Schema):
    page: str | None = Field(
        None,
        description=f"Page of the seminars ({DETAIL_PAGE_SIZE} a page, newest first); default "
        "1, a page past num_pages is a 400",
    )


class SeminarPages(Schema):
    """A page of the seminars of a speaker or series (``seminar_count`` says how many in all):
    ``next``/``previous`` as the lists have them."""

    page: int
    page_size: int
    num_pages: int = Field(description="Pages of seminars (at least 1)")
    next: str | None
    previous: str | None
    seminars: list[SeminarSummary] = Field(
        description=f"Newest first, {DETAIL_PAGE_SIZE} a page (``page``)"
    )


class SpeakerDetail(SeminarPages, SpeakerOut):
    bio: str
    website: str
    seminars_url: str = Field(
        description="/api/seminars/?speaker=<slug>: the seminars they speak at, with the "
        "filters and paging of /api/seminars/ (which finds those who speak: seminars they only "
        "moderated or hosted are in this answer's pages alone)"
    )


class SeriesOut(Schema):
    slug: str
    name: str
    organiser: str
    description: str
    website: str
    url: str
    seminar_count: int


class SeriesDetail(SeminarPages, SeriesOut):
    seminars_url: str = Field(
        description="/api/seminars/?series=<slug>: the same seminars, with the filters and "
        "paging of /api/seminars/"
    )


class OEmbedOut(Schema):
    version: str
    type: str
    title: str
    provider_name: str
    provider_url: str
    html: str
    width: int
    height: int
    cache_age: int | None = None
    author_name: str | None = None
    author_url: str | None = None
    thumbnail_url: str | None = None
    thumbnail_width: int | None = None
    thumbnail_height: int | None = None


# Serialisation --------------------------------------------------------------------------------


def _with_relations(qs):
    return qs.select_related("series", "venue", "video_file", "transcript").prefetch_related(
        "seminar_speakers__speaker", "tagged_items__tag"
    )


def _has_transcript(seminar) -> bool:
    try:
        return seminar.transcript is not None
    except Transcript.DoesNotExist:
        return False


def _person(link) -> dict:
    return {
        "name": link.speaker.name,
        "slug": link.speaker.slug,
        "role": link.role,
        "title": link.display_title,
    }


def seminar_summary(request, seminar) -> dict:
    """A seminar as lists give it. Its people as search hits give them: ``speakers`` those who
    speak, ``moderators`` those who lead (moderators and hosts); a date-only seminar's times are
    dates (``api_datetime``), never a clock time it does not have."""
    links = list(seminar.seminar_speakers.all())
    return {
        "id": seminar.pk,
        "slug": seminar.slug,
        "title": seminar.title,
        "url": request.build_absolute_uri(seminar.get_url(request)),
        "start": api_datetime(seminar.start, seminar.time_known),
        "end": api_datetime(seminar.end, seminar.time_known),
        "time_known": seminar.time_known,
        "series": {"slug": seminar.series.slug, "name": seminar.series.name}
        if seminar.series
        else None,
        "format": seminar.format,
        "language": seminar.language,
        "lead": seminar.lead,
        "speakers": [_person(link) for link in links if link.role not in LEADING_ROLES],
        "moderators": [_person(link) for link in links if link.role in LEADING_ROLES],
        "topics": [{"slug": t.tag.slug, "name": t.tag.name} for t in seminar.tagged_items.all()],
        "has_video": seminar.has_video,
        "has_transcript": _has_transcript(seminar),
    }


def seminar_detail_data(request, seminar) -> dict:
    from django.urls import reverse

    absolute = request.build_absolute_uri
    in_this_language = f"?{INTERFACE_LANGUAGE_PARAM}={translation.get_language()}"
    data = seminar_summary(request, seminar)
    venue = seminar.venue
    video = None
    if seminar.has_video:
        video = {
            "kind": seminar.video_kind,
            "url": absolute(seminar.video_file.url) if seminar.video_file_id else seminar.video_url,
            "embed_url": absolute(reverse("seminar_embed", args=[seminar.pk])),
            "duration": seminar.video_duration,
            "captions_url": "",
        }
    transcript = None
    if data["has_transcript"]:
        t = seminar.transcript
        downloads = {
            fmt: absolute(url)
            for fmt in ("vtt", "srt", "txt")
            if (url := transcript_url(seminar, fmt))
        }
        transcript = {
            "language": t.language,
            "review_state": t.review_state,
            "reviewed_at": api_datetime(t.reviewed_at),
            "segment_count": t.segments.count(),
            "downloads": downloads,
        }
        if video and seminar.video_kind == "file":
            video["captions_url"] = downloads.get("vtt", "")
    slug = seminar.slug
    data.update(
        code=seminar.code,
        venue={"name": venue.name, "street_address": venue.street_address, "city": venue.city}
        if venue
        else None,
        room=seminar.room,
        video=video,
        slides=[
            {
                "label": slide.display_label,
                "url": absolute(slide.document.url),
                "page_count": slide.document.page_count,
                "file_size": slide.document.get_file_size(),
                "text_status": slide.document.text_status,
            }
            for slide in seminar.slides.select_related("document")
        ],
        transcript=transcript,
        registration_url=seminar.registration_url,
        registration_deadline=api_datetime(seminar.registration_deadline),
        **attending(seminar),
        citation={
            "apa": to_apa(citation_data(seminar, data["url"])),
            # in the language of this answer, as its ``apa`` text
            "bibtex_url": absolute(reverse("api:seminar_cite_bib", kwargs={"slug": slug}))
            + in_this_language,
            "text_url": absolute(reverse("api:seminar_cite_txt", kwargs={"slug": slug}))
            + in_this_language,
            "ris_url": absolute(reverse("api:seminar_cite_ris", kwargs={"slug": slug}))
            + in_this_language,
            "csl_url": absolute(reverse("api:seminar_cite_csl", kwargs={"slug": slug}))
            + in_this_language,
        },
    )
    return data


def attending(seminar) -> dict:
    """The registration note and the contact, as the page shows them: while the seminar is
    upcoming (``components/registration_box.html``)."""
    upcoming = seminar.is_upcoming
    contact = None
    # Only with a way to reach them, as the page (a name alone is no contact).
    if upcoming and (seminar.contact_email or seminar.contact_phone):
        contact = {
            "name": seminar.contact_name,
            "email": seminar.contact_email,
            "phone": seminar.contact_phone,
        }
    return {"registration_note": seminar.registration_note if upcoming else "", "contact": contact}


def paginate(request, qs, summarise, page: int, page_size: int) -> dict:
    count = qs.count()
    num_pages = max(1, math.ceil(count / page_size))
    check_page(page, num_pages)
    rows = list(qs[(page - 1) * page_size : page * page_size])
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "num_pages": num_pages,
        **page_links(request, page, num_pages),
        "results": [summarise(request, row) for row in rows],
    }


def get_public_seminar(slug: str) -> SeminarPage:
    seminar = _with_relations(public_seminars().filter(slug=slug)).order_by("pk").first()
    if seminar is None:
        raise NotFound(
            "slug", gettext("No public seminar has the slug “%(slug)s”.") % {"slug": slug[:100]}
        )
    return seminar


def filter_seminars(qs, query):
    """``qs`` narrowed by the filters of ``query`` (a ``search.engines.base.SearchQuery`` from
    ``parse_search_params``) as the search applies them: values of one filter with OR, filters
    with AND, ``speaker`` only those who speak, years and days in the archive's time zone."""
    if query.series:
        qs = qs.filter(series__slug__in=query.series)
    if query.topic:  # semi-joins: no duplicate rows, so no DISTINCT over pages
        tagged = SeminarTopic.objects.filter(tag__slug__in=query.topic)
        qs = qs.filter(pk__in=tagged.values("content_object_id"))
    if query.speaker:
        speaking = SeminarSpeaker.objects.filter(speaker__slug__in=query.speaker).exclude(
            role__in=LEADING_ROLES
        )
        qs = qs.filter(pk__in=speaking.values("page_id"))
    if query.year:
        qs = qs.filter(start__year__in=query.year)
    if query.format:
        qs = qs.filter(format__in=query.format)
    if query.lang:
        qs = qs.filter(language__in=query.lang)
    if query.has_video is not None:
        video = Q(video_file__isnull=False) | ~Q(video_url="")
        qs = qs.filter(video if query.has_video else ~video)
    if query.has_transcript is not None:
        transcribed = Q(pk__in=Transcript.objects.values("seminar_id"))
        qs = qs.filter(transcribed if query.has_transcript else ~transcribed)

    def day_begins(day):
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

    if query.date_from:
        qs = qs.filter(start__gte=day_begins(query.date_from))
    if query.date_to:
        qs = qs.filter(start__lt=day_begins(query.date_to + dt.timedelta(days=1)))
    return qs


# Seminars -------------------------------------------------------------------------------------


class SeminarListParams(Paging, ArchiveFilters):
    """The search's filters (no text, no sort) and a page."""


@router.get(
    "/seminars/",
    response=SeminarList,
    url_name="seminar_list",
    summary="List public seminars (archive order, the search's filters)",
)
def list_seminars(request, params: Query[SeminarListParams]):
    """Upcoming seminars first, then past ones newest first. Takes the filters of
    /api/search/ with the same values and checks: values of one filter combine with OR (repeat
    the parameter), different filters with AND; ``speaker`` finds those who speak, not
    moderators. A parameter it does not take (``q``, ``sort``: use /api/search/) is a 400, as
    is a page past the last."""
    from search.params import parse_search_params

    reject_unknown_parameters(request, SeminarListParams)
    query = parse_search_params(request.GET)
    # Every public seminar a site serves, whichever archive holds it (the first archive page
    # found could be one no site serves, or unpublished while its seminars are served).
    qs = public_seminars()
    qs = _with_relations(SeminarIndexPage.archive_order(filter_seminars(qs, query)))
    return paginate(request, qs, seminar_summary, query.page, query.page_size)


@router.get(
    "/seminars/{slug}/",
    response=SeminarDetail,
    url_name="seminar_detail",
    summary="One public seminar with speakers, slides, transcript and video",
)
def seminar_detail(request, slug: str):
    return seminar_detail_data(request, get_public_seminar(slug))


def download(content_type: str) -> dict:
    """OpenAPI for an endpoint that answers a file of ``content_type``."""
    return {
        "responses": {
            200: {"description": "OK", "content": {content_type: {"schema": {"type": "string"}}}}
        }
    }


def _citation(request, slug: str, render, content_type: str, suffix: str) -> HttpResponse:
    """The public seminar ``slug`` cited by ``render`` as a ``slug.suffix`` download."""
    seminar = get_public_seminar(slug)
    data = citation_data(seminar, request.build_absolute_uri(seminar.get_url(request)))
    response = HttpResponse(render(data), content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(False, f"{slug}.{suffix}")
    return response


@router.get(
    "/seminars/{slug}/cite.bib",
    url_name="seminar_cite_bib",
    summary="BibTeX citation of a seminar",
    openapi_extra=download("application/x-bibtex"),
)
@in_interface_language
def seminar_cite_bib(request, slug: str, hl: str = Query("", description=HL_DESCRIPTION)):
    return _citation(request, slug, to_bibtex, "application/x-bibtex", "bib")


@router.get(
    "/seminars/{slug}/cite.txt",
    url_name="seminar_cite_txt",
    summary="APA-style text citation of a seminar",
    openapi_extra=download("text/plain"),
)
@in_interface_language
def seminar_cite_txt(request, slug: str, hl: str = Query("", description=HL_DESCRIPTION)):
    return _citation(request, slug, lambda data: to_apa(data) + "\n", "text/plain", "txt")


@router.get(
    "/seminars/{slug}/cite.ris",
    url_name="seminar_cite_ris",
    summary="RIS citation of a seminar (EndNote, Zotero, Mendeley)",
    openapi_extra=download("application/x-research-info-systems"),
)
@in_interface_language
def seminar_cite_ris(request, slug: str, hl: str = Query("", description=HL_DESCRIPTION)):
    return _citation(request, slug, to_ris, "application/x-research-info-systems", "ris")


@router.get(
    "/seminars/{slug}/cite.json",
    url_name="seminar_cite_csl",
    summary="CSL-JSON citation of a seminar (Zotero, Pandoc, citeproc)",
    openapi_extra=download("application/vnd.citationstyles.csl+json"),
)
@in_interface_language
def seminar_cite_csl(request, slug: str, hl: str = Query("", description=HL_DESCRIPTION)):
    return _citation(request, slug, to_csl_json, "application/vnd.citationstyles.csl+json", "json")


# Speakers and series --------------------------------------------------------------------------


def _speakers():
    return Speaker.objects.annotate(
        seminar_count=Count(
            "seminar_roles__page",
            filter=Q(seminar_roles__page__in=public_seminars()),
            distinct=True,
        )
    ).filter(seminar_count__gt=0)


def speaker_out(request, speaker) -> dict:
    return {
        "slug": speaker.slug,
        "name": speaker.name,
        "title": speaker.title,
        "affiliation": speaker.affiliation,
        "url": request.build_absolute_uri(speaker.get_absolute_url()),
        "seminar_count": speaker.seminar_count,
    }


@router.get(
    "/speakers/",
    response=list[SpeakerOut],
    url_name="speaker_list",
    summary="Speakers of public seminars",
)
def list_speakers(request):
    return [speaker_out(request, s) for s in _speakers().order_by("name")]


def seminar_pages(request, seminars, count: int) -> dict:
    """The page ``?page=`` asks for of ``seminars`` (``count`` of them, newest first): a
    speaker's or series' answer lists ``DETAIL_PAGE_SIZE`` at a time. Every one at once was
    743 KB and a second for a series of 600 seminars."""
    from search.params import parse_search_params

    reject_unknown_parameters(request, DetailPaging)
    page = parse_search_params(request.GET).page  # checked as the lists check it
    num_pages = max(1, math.ceil(count / DETAIL_PAGE_SIZE))
    check_page(page, num_pages)
    shown = _with_relations(seminars.order_by("-start", "pk"))
    shown = shown[(page - 1) * DETAIL_PAGE_SIZE : page * DETAIL_PAGE_SIZE]
    return {
        "page": page,
        "page_size": DETAIL_PAGE_SIZE,
        "num_pages": num_pages,
        **page_links(request, page, num_pages),
        "seminars": [seminar_summary(request, s) for s in shown],
    }


def seminars_url(request, **filters) -> str:
    """/api/seminars/ filtered by ``filters``, absolute, in the answer's ``hl`` when it has one
    (as its ``next`` and ``previous`` links are)."""
    from django.urls import reverse

    if request.GET.get("hl"):
        filters["hl"] = request.GET["hl"]
    return request.build_absolute_uri(f"{reverse('api:seminar_list')}?{urlencode(filters)}")


@router.get(
    "/speakers/{slug}/",
    response=SpeakerDetail,
    url_name="speaker_detail",
    summary="A speaker and their public seminars, a page at a time",
)
def speaker_detail(request, slug: str, params: Query[DetailPaging]):
    """Someone on the programme of public seminars, and those seminars (as speaker, panelist,
    moderator or host), newest first, a page at a time; ``seminar_count`` is how many."""
    speaker = _speakers().filter(slug=slug).first()
    if speaker is None:
        raise NotFound(
            "slug",
            gettext("No speaker of a public seminar has the slug “%(slug)s”.")
            % {"slug": slug[:100]},
        )
    # A semi-join: a seminar they have two parts in is one seminar (no DISTINCT over pages).
    seminars = public_seminars().filter(
        pk__in=SeminarSpeaker.objects.filter(speaker=speaker).values("page_id")
    )
    return {
        **speaker_out(request, speaker),
        "bio": speaker.bio,
        "website": speaker.website,
        **seminar_pages(request, seminars, speaker.seminar_count),
        "seminars_url": seminars_url(request, speaker=speaker.slug),
    }


def _series():
    return Series.objects.annotate(
        seminar_count=Count("seminars", filter=Q(seminars__in=public_seminars()), distinct=True)
    ).filter(seminar_count__gt=0)


def _archive_url(request) -> str:
    root = main_archive()
    return (root.get_url(request) if root else None) or "/"


def series_out(request, series, base: str | None = None) -> dict:
    """``base``: the archive's URL, when the caller lists many series (read once)."""
    base = _archive_url(request) if base is None else base
    return {
        "slug": series.slug,
        "name": series.name,
        "organiser": series.organiser,
        "description": series.description,
        "website": series.website,
        "url": request.build_absolute_uri(f"{base}?series={series.slug}"),
        "seminar_count": series.seminar_count,
    }


@router.get(
    "/series/",
    response=list[SeriesOut],
    url_name="series_list",
    summary="Series with public seminars",
)
def list_series(request):
    base = _archive_url(request)
    return [series_out(request, s, base) for s in _series().order_by("name")]


@router.get(
    "/series/{slug}/",
    response=SeriesDetail,
    url_name="series_detail",
    summary="A series and its public seminars, a page at a time",
)
def series_detail(request, slug: str, params: Query[DetailPaging]):
    """A series with public seminars, and those seminars, newest first, a page at a time;
    ``seminar_count`` is how many."""
    series = _series().filter(slug=slug).first()
    if series is None:
        raise NotFound(
            "slug",
            gettext("No series with public seminars has the slug “%(slug)s”.")
            % {"slug": slug[:100]},
        )
    return {
        **series_out(request, series),
        **seminar_pages(request, public_seminars().filter(series=series), series.seminar_count),
        "seminars_url": seminars_url(request, series=series.slug),
    }


# oEmbed ---------------------------------------------------------------------------------------


MAX_FRAME_SIZE = 10_000


def frame_limit(request, name: str) -> int | None:
    """The consumer's ``maxwidth`` or ``maxheight``: None, or a whole number of pixels, 1 or
    more (anything else is a 400: a frame cannot fit within -5 pixels)."""
    raw = (request.GET.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(
            name,
            gettext("%(name)s must be a whole number, not “%(value)s”.")
            % {"name": name, "value": raw[:20]},
        ) from None
    if not 1 <= value <= MAX_FRAME_SIZE:
        raise BadParameter(
            name,
            gettext("%(name)s must be between %(low)s and %(high)s.")
            % {"name": name, "low": 1, "high": MAX_FRAME_SIZE},
        )
    return value


@router.get(
    "/oembed/",
    response={200: OEmbedOut, 404: ErrorOut, 501: ErrorOut},
    url_name="oembed",
    summary="oEmbed (video) for a seminar page URL",
    exclude_none=True,
)
def oembed(
    request,
    url: str,
    format: str = "json",
    maxwidth: str | None = Query(None, description="Widest frame the consumer can show (pixels)"),
    maxheight: str | None = Query(None, description="Highest frame the consumer can show"),
):
    """https://oembed.com/ ``video``: the player (and transcript) in an iframe no larger than
    ``maxwidth`` × ``maxheight``; optional fields are left out when there is nothing to say (a
    thumbnail larger than the limits too)."""
    if format != "json":
        return Status(
            501, {"error": gettext("Only format=json is supported."), "parameter": "format"}
        )
    data = oembed_for_url(
        request, url, frame_limit(request, "maxwidth"), frame_limit(request, "maxheight")
    )
    if data is None:
        return Status(
            404,
            {"error": gettext("No public recorded seminar at this URL."), "parameter": "url"},
        )
    return data


# Search export --------------------------------------------------------------------------------

EXPORT_COLUMNS = (
    "title",
    "url",
    "start",
    "series",
    "speakers",
    "topics",
    "format",
    "language",
    "has_video",
    "has_transcript",
    "snippet",
    "moments",
    # Added later, so at the end: a script that reads the columns by position keeps working.
    "moderator",
    "time_known",
    "moment_count",
    "slides",
)


def local_start(value: str, time_known: bool = True) -> str:
    """An indexed start time (ISO, UTC) in the archive's time zone, ISO with its offset; only
    the local date (2025-10-13) when the clock time is not known: an export never invents one."""
    return api_datetime(value, time_known) or ""


def export_row(hit, absolute=lambda url: url) -> dict:
    """One search hit as an export row: absolute links (a spreadsheet or a reference manager
    has no site to resolve /path/ against), the start in the archive's time zone (the date alone
    when the time is not known, ``time_known`` says which), speakers apart from the moderator;
    every moment up to a cap, their count and the slide hits (``search.export``)."""
    return {
        "title": hit.title,
        "url": absolute(hit.url),
        "start": local_start(hit.start, hit.time_known),
        "time_known": hit.time_known,
        "series": (hit.series or {}).get("name", ""),
        "speakers": "; ".join(s["name"] for s in hit.speakers),
        "moderator": "; ".join(s["name"] for s in hit.moderators),
        "topics": "; ".join(t["name"] for t in hit.topics),
        "format": hit.format,
        "language": hit.language,
        "has_video": hit.has_video,
        "has_transcript": hit.has_transcript,
        "snippet": plain(hit.snippet),
        **export_fields(hit, absolute),
    }


def collect_hits(query, limit: int | None = None) -> tuple[list, int]:
    """Every hit of ``query`` (all pages, not only the first) up to ``limit``, and the total.

    The database engine finds and ranks them once and builds them ``EXPORT_PAGE_SIZE`` at a
    time (``DatabaseEngine.all_hits``): asked page by page, it ranked the whole archive again
    for each page. Elasticsearch is asked page by page, as its result pages are; when it cannot
    answer, the database answers the whole export."""
    from search.engines import database_engine, elasticsearch_enabled, search_with_fallback

    limit = limit or EXPORT_MAX_ROWS
    if elasticsearch_enabled():
        first = search_with_fallback(dataclasses.replace(query, page=1, page_size=EXPORT_PAGE_SIZE))
        if not first.fallback_reason:
            hits, total = list(first.hits), first.total
            pages = math.ceil(min(total, limit) / EXPORT_PAGE_SIZE)
            for number in range(2, pages + 1):
                result = search_with_fallback(
                    dataclasses.replace(query, page=number, page_size=EXPORT_PAGE_SIZE)
                )
                if not result.hits:
                    break
                hits.extend(result.hits)
            return hits[:limit], total
    return database_engine().all_hits(query, limit, EXPORT_PAGE_SIZE)


def run_export(request) -> tuple[list[dict], int, str]:
    from search.params import parse_search_params

    query = export_query(parse_search_params(request.GET))  # every moment, up to a cap
    hits, total = collect_hits(query)
    notice = ""
    if total > len(hits):
        notice = (
            f"Export limited to the first {len(hits)} of {total} results. "
            "Narrow the search with filters to export the rest."
        )
    return [export_row(h, request.build_absolute_uri) for h in hits], total, notice


def csv_row(row: dict) -> dict:
    """A row for people reading a spreadsheet: names instead of codes, yes/no, a local time
    without seconds, and no text that a spreadsheet would run as a formula."""
    from archive.models import SeminarFormat, TalkLanguage

    def label(choices, value):
        return str(choices(value).label) if value in choices.values else value

    yes_no = {True: gettext("yes"), False: gettext("no")}
    row = (
        row
        | csv_fields(row)
        | {
            "start": row["start"][:16].replace("T", " "),  # a date alone stays a date
            "time_known": yes_no[bool(row["time_known"])],
            "format": label(SeminarFormat, row["format"]),
            "language": label(TalkLanguage, row["language"]),
            "has_video": yes_no[bool(row["has_video"])],
            "has_transcript": yes_no[bool(row["has_transcript"])],
        }
    )
    return {key: as_text_cell(value) for key, value in row.items()}  # no cell runs a formula


class ExportParams(SearchFilters):
    hl: str = Field("", description=HL_DESCRIPTION)


class ExportMoment(Schema):
    start: float = Field(description="Seconds into the recording")
    end: float
    time: str = Field(description='As the page shows it: "2:57"')
    speaker: str
    text: str = Field(description="Plain text")
    url: str = Field(description="The seminar's page at this moment (?t=)")


class ExportSlide(Schema):
    page: int
    label: str
    text: str = Field(description="Plain text")
    url: str = Field(description="The PDF at this page (#page=)")


class ExportRow(Schema):
    title: str
    url: str
    start: str = Field(description=TIME_DESCRIPTION)
    time_known: bool
    series: str = Field(description="The series' name")
    speakers: str = Field(description="Who speaks, names joined by '; '")
    moderator: str = Field(description="Who leads (moderators and hosts), joined by '; '")
    topics: str
    format: str
    language: str
    has_video: bool
    has_transcript: bool
    snippet: str = Field(description="Plain text")
    moments: list[ExportMoment] = Field(
        description="Where the words are said, in time order: every moment up to "
        f"{EXPORT_MAX_MOMENTS} (``moment_count`` says how many there are)"
    )
    moment_count: int = Field(description="How many moments of the transcript match")
    slides: list[ExportSlide] = Field(description="Slide pages with the words")


class ExportOut(Schema):
    query: dict[str, str | list[str]] = Field(description="The parameters of the export")
    total: int
    exported: int
    truncated: bool
    notice: str = Field(description="Says when the export was capped, else empty")
    results: list[ExportRow]


class ExportCsvParams(ExportParams):
    delimiter: str = Field("comma", description="comma (default) or semicolon")


def _export_filename(request, ext: str) -> str:
    stem = slugify(request.GET.get("q", "")[:40]) or "all"
    return f"seminars-{stem}-{timezone.localdate():%Y-%m-%d}.{ext}"


@router.get(
    "/search/export.csv",
    url_name="search_export_csv",
    summary="Every result of a search as CSV (UTF-8 with BOM, opens in Excel)",
    openapi_extra=download("text/csv"),
)
@in_interface_language
def export_csv(request, params: Query[ExportCsvParams]):
    """Takes the same parameters as /api/search/ but the page (repeat a parameter to select
    several values). ``start`` is the local date and time (2025-10-13 15:00), or the date alone
    (2025-10-13) when the time is not known (``time_known`` no); ``speakers`` are those who speak,
    ``moderator`` who leads.

    ``moments`` lists where the words are said, every moment up to a cap, as "2:57 Name: text
    (link)" joined by " | " (a capped list ends by saying so); ``moment_count`` is how many
    there are; ``slides`` the slide pages with the words, "p. 3 (label): text (link)".

    ``delimiter=semicolon`` suits Excel with Swedish regional settings; ``hl`` (sv or en) is
    the language of the labels (format, language, yes/no) and of the seminars' links.
    """
    delimiter = params.delimiter
    separators = {"comma": ",", "semicolon": ";"}
    if delimiter not in separators:
        raise BadParameter(
            "delimiter",
            gettext("delimiter must be “comma” or “semicolon”, not “%(value)s”.")
            % {"value": delimiter[:20]},
        )
    rows, total, notice = run_export(request)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, delimiter=separators[delimiter])
    writer.writeheader()
    writer.writerows(csv_row(row) for row in rows)
    response = HttpResponse(
        buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, _export_filename(request, "csv")
    )
    response["X-Total-Count"] = str(total)
    if notice:
        response["X-Export-Notice"] = notice
    return response


@router.get(
    "/search/export.json",
    response=ExportOut,  # documents the answer (the view's JsonResponse goes out as it is)
    url_name="search_export_json",
    summary="Every result of a search as JSON",
)
@in_interface_language
def export_json(request, params: Query[ExportParams]):
    """Takes the same parameters as /api/search/ but the page; ``notice`` says when the export
    was capped; ``hl`` (sv or en) is the language of the seminars' links. ``start`` is ISO 8601
    in the archive's time zone with its offset, or the date alone (2025-10-13) when the time is
    not known (``time_known`` false). ``moments`` are the moments that say the words
    (``start`` in seconds, ``time``, ``speaker``, plain ``text``, ``url``), every one up to a
    cap, and ``moment_count`` how many there are; ``slides`` the slide pages with them."""
    rows, total, notice = run_export(request)
    response = JsonResponse(
        {
            "query": {
                key: values if len(values) > 1 else values[0] for key, values in request.GET.lists()
            },
            "total": total,
            "exported": len(rows),
            "truncated": bool(notice),
            "notice": notice,
            "results": rows,
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["Content-Disposition"] = content_disposition_header(
        True, _export_filename(request, "json")
    )
    if notice:
        response["X-Export-Notice"] = notice
    return response
