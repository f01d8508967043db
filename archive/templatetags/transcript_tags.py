"""Everything the player and the transcript components need, fetched in two queries.

``{% seminar_transcript page request as tx %}`` gives ``tx.transcript`` (or None),
``tx.segments_html`` (the server-rendered segment list items), ``tx.chapters``,
``tx.start_time`` (from ``?t=``), the download URLs and which kind of player to build.
Segments are rendered in Python rather than by a template loop, once per transcript version
(``archive.transcript_cache``), so a 3,000-segment transcript stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import template
from django.utils.translation import gettext

from archive import transcript_cache
from archive.embeds import VIMEO, YOUTUBE
from archive.models import Transcript
from archive.transcript_formats import parse_time_param

register = template.Library()


@dataclass
class TranscriptView:
    transcript: Transcript | None = None
    segments_html: str = ""
    segment_count: int = 0
    chapters: list[dict] = field(default_factory=list)
    start_time: float | None = None
    downloads: list[tuple[str, str, str]] = field(default_factory=list)
    captions_url: str = ""
    youtube_id: str = ""
    vimeo_id: str = ""

    @property
    def has_segments(self) -> bool:
        return self.segment_count > 0


@register.simple_tag
def seminar_transcript(page, request=None) -> TranscriptView:
    view = TranscriptView()
    if request is not None:
        view.start_time = parse_time_param(request.GET.get("t"))
    if page.video_url:
        if match := YOUTUBE.search(page.video_url):
            view.youtube_id = match.group(1)
        elif match := VIMEO.search(page.video_url):
            view.vimeo_id = match.group(1)
    transcript = page.transcript_or_none
    if transcript is None:
        return view
    view.transcript = transcript
    done = transcript_cache.rendered(transcript, page.speaker_names())
    view.segments_html = transcript_cache.segments_html(transcript, done, view.start_time)
    view.chapters, view.segment_count = done.chapters, done.count
    if view.segment_count:
        view.captions_url = transcript.download_url("vtt")
        view.downloads = [
            ("vtt", "WebVTT", view.captions_url),
            ("srt", "SRT", transcript.download_url("srt")),
            ("txt", gettext("Plain text"), transcript.download_url("txt")),
        ]
    return view
