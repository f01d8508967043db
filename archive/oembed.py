"""oEmbed provider: other sites paste a seminar URL and get our player in an iframe.

``oembed_for_url`` answers the JSON of https://oembed.com/ (type ``video``) for the URL of a
public seminar page (Swedish or ``/en/``) or of its embed page; anything else is ``None`` (404).
The embed page (``/embed/<page_id>/``) is the only view that may be framed by other sites.
"""

from __future__ import annotations

import math
from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import format_html
from django.views.decorators.clickjacking import xframe_options_exempt
from wagtail.models import Site

from archive import transcript_cache
from archive.models import Transcript, public_seminars
from archive.transcript_formats import parse_time_param, time_param

DEFAULT_WIDTH = 640
MIN_WIDTH = 240
TRANSCRIPT_HEIGHT = 180


def _language_prefixes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE}


def seminar_for_path(path: str, site: Site | None):
    """The public seminar a site path points at, or None. Accepts /en/... and /embed/<id>/."""
    parts = [p for p in path.split("/") if p]
    if parts and parts[0] in _language_prefixes():
        parts = parts[1:]
    seminars = public_seminars()
    if len(parts) == 2 and parts[0] == "embed" and parts[1].isdigit():
        return seminars.filter(pk=int(parts[1])).first()
    if not parts or site is None:
        return None
    url_path = site.root_page.url_path + "/".join(parts) + "/"
    return seminars.filter(url_path=url_path).first()


def embed_query(parts) -> str:
    """The embed page's query for a pasted URL: its moment (``?t=`` or ``#t=``) and its
    interface language (``/en/...``), so the player starts where the link pointed, in the
    language the link was in."""
    query = {}
    path = [p for p in parts.path.split("/") if p]
    if path and path[0] in _language_prefixes():
        query["lang"] = path[0]
    fragment = parse_qs(parts.fragment).get("t", [None])[0]
    seconds = parse_time_param(parse_qs(parts.query).get("t", [fragment])[0])
    if seconds is not None:
        query["t"] = time_param(seconds)
    return urlencode(query)


def frame_size(maxwidth: int | None, maxheight: int | None) -> tuple[int, int]:
    """A 16:9 video plus room for the transcript below it, as large as fits within the
    consumer's limits (the oEmbed spec: the provider must respect them). Too low for both, the
    frame is the video alone (the embed page's transcript then scrolls below it): narrowed
    until the 16:9 video fits, never stretched."""
    width = min(DEFAULT_WIDTH, maxwidth or DEFAULT_WIDTH)
    if maxheight:
        with_transcript = math.floor((maxheight - TRANSCRIPT_HEIGHT) * 16 / 9)
        if with_transcript >= min(width, MIN_WIDTH):
            width = min(width, with_transcript)
        else:
            width = min(width, math.floor(maxheight * 16 / 9))
            return width, min(maxheight, round(width * 9 / 16))
    return width, round(width * 9 / 16) + TRANSCRIPT_HEIGHT


def oembed_for_url(
    request, url: str, maxwidth: int | None = None, maxheight: int | None = None
) -> dict | None:
    """The oEmbed response for ``url``, or None when it is not a public seminar of this site."""
    parts = urlsplit(url)
    if parts.netloc and parts.netloc.split(":")[0] != request.get_host().split(":")[0]:
        return None
    site = Site.find_for_request(request)
    seminar = seminar_for_path(parts.path, site)
    if seminar is None or not seminar.has_video:
        return None
    width, height = frame_size(maxwidth, maxheight)
    src = request.build_absolute_uri(reverse("seminar_embed", args=[seminar.pk]))
    if query := embed_query(parts):
        src += "?" + query
    html = format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" frameborder="0" '
        'allow="autoplay; fullscreen; picture-in-picture" allowfullscreen></iframe>',
        src,
        width,
        height,
        seminar.title,
    )
    data = {
        "version": "1.0",
        "type": "video",
        "title": seminar.title,
        "provider_name": settings.WAGTAIL_SITE_NAME,
        "provider_url": request.build_absolute_uri("/"),
        "html": str(html),
        "width": width,
        "height": height,
        "cache_age": 3600,
    }
    names = seminar.speaker_names()
    if names:
        data["author_name"] = ", ".join(names)
        # The speaker's page in the language of the pasted link (/en/speakers/… for /en/…).
        language = parse_qs(embed_query(parts)).get("lang", [settings.LANGUAGE_CODE])[0]
        with translation.override(language):
            data["author_url"] = request.build_absolute_uri(
                seminar.speaker_links[0].speaker.get_absolute_url()
            )
    media = seminar.video_file if seminar.video_file_id else None
    if media and media.thumbnail:
        thumbnail = (media.width or width, media.height or round(width * 9 / 16))
        # The thumbnail must respect the limits too (the spec): one larger is left out.
        if thumbnail[0] <= (maxwidth or thumbnail[0]) and thumbnail[1] <= (
            maxheight or thumbnail[1]
        ):
            data["thumbnail_url"] = request.build_absolute_uri(media.thumbnail.url)
            data["thumbnail_width"], data["thumbnail_height"] = thumbnail
    return data


def transcript_url(seminar, fmt: str) -> str:
    """The public download URL of a seminar's transcript in ``fmt`` (vtt, srt, txt), or ''.

    The transcript downloads are routed by ``archive/urls.py``; until a route exists there is no
    link rather than an error.
    """
    try:
        return reverse(
            "transcript_download",
            kwargs={"page_id": seminar.pk, "slug": seminar.slug, "fmt": fmt},
        )
    except NoReverseMatch:
        return ""


@xframe_options_exempt
def embed_player(request, page_id: int):
    """A bare page with the video and its transcript, made to be framed by other sites."""
    seminar = public_seminars().filter(pk=page_id).select_related("video_file").first()
    if seminar is None or not seminar.has_video:
        raise Http404("No public recorded seminar with this id")
    language = request.GET.get("lang")
    if language in _language_prefixes():  # embedded from the /en/ page: its interface
        with translation.override(language):
            return _embed_page(request, seminar)
    return _embed_page(request, seminar)


def _embed_page(request, seminar):
    """The player and the transcript's lines, rendered once per transcript version and shared
    by every view (``transcript_cache``, as on the seminar page): other sites' visitors each
    load this page, and a 5,000-line transcript took half a second to render."""
    try:
        transcript = seminar.transcript
    except Transcript.DoesNotExist:
        transcript = None
    segments_html, count = "", 0
    if transcript is not None:
        done = transcript_cache.rendered_embed(transcript, seminar.speaker_names())
        segments_html = transcript_cache.embed_segments_html(done, request.GET)
        count = done.count
    return render(
        request,
        "archive/embed.html",
        {
            "page": seminar,
            "segments_html": segments_html,
            "segment_count": count,
            "page_url": request.build_absolute_uri(seminar.get_url()),
            "captions_url": transcript_url(seminar, "vtt") if count else "",
            "start_time": parse_time_param(request.GET.get("t")),
        },
    )
