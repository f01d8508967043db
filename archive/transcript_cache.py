"""A transcript rendered once per version and shared by every page view.

A 3,000-segment transcript is ~1 MB of HTML; building it costs far more than serving the rest of
the seminar page. It only changes when the transcript is saved (``updated_at``) or a speaker's
name changes, so the rendered list items, chapters and plain text are cached under a key made of
those. The moment a visitor opens with ``?t=`` is marked on the cached HTML with one indexed query.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import mark_safe

from archive.transcript_formats import format_clock, time_param

CACHE_SECONDS = 24 * 3600
#: Renders kept in each web process (the most recently viewed transcripts; ~1 MB per 3,000
#: segments).
LOCAL_ENTRIES = 16
#: Seconds a ``?t=`` may lie before the start of the line it links to (``time_param`` rounds to
#: the hundredth; ``static/js/player.js`` allows the same).
MOMENT_TOLERANCE = 0.05

_local: OrderedDict[str, RenderedTranscript] = OrderedDict()
_local_lock = threading.Lock()

_SEGMENT = (
    '<li class="seg" id="seg-{position}" data-start="{start}" data-end="{end}">{chapter}'
    '<a class="seg__time" href="?t={t}">{clock}</a>'
    '{speaker} <span class="seg__text">{text}</span><button type="button" '
    'class="seg__share js-only" data-share aria-labelledby="share-label"></button></li>'
)


@dataclass
class RenderedTranscript:
    segments_html: str = ""
    chapters: list[dict] = field(default_factory=list)
    count: int = 0
    plain_text: str = ""
    end: float | None = None


_EMBED_CHAPTER = '<li class="embed__chapter"><strong>{chapter}</strong></li>'
_EMBED_SEGMENT = '<li><a href="?t={t}">{clock}</a>{speaker} {text}</li>'


def cache_key(transcript, speaker_names=(), kind: str = "transcript-render:v3") -> str:
    names = hashlib.sha1("\x1f".join(sorted(speaker_names)).encode()).hexdigest()[:12]
    stamp = transcript.updated_at.timestamp() if transcript.updated_at else 0
    return f"{kind}:{transcript.pk}:{stamp}:{names}"


def build(transcript) -> RenderedTranscript:
    """Render every segment (one query; every value escaped)."""
    rows = transcript.segments.order_by("position").values_list(
        "position", "start", "end", "text", "chapter", "speaker_name", "speaker__name"
    )
    parts, chapters, texts = [], [], []
    previous_speaker, end = None, None
    for position, start, seg_end, text, chapter, speaker_name, speaker_fk_name in rows:
        speaker = speaker_fk_name or speaker_name
        clock = format_clock(start)
        if chapter:
            chapters.append(
                {
                    "title": chapter,
                    "t": time_param(start),
                    "start": f"{start:.3f}",
                    "clock": clock,
                    "position": position,
                }
            )
        parts.append(
            _SEGMENT.format(
                position=position,
                start=f"{start:.3f}",
                end=f"{seg_end:.3f}",
                t=time_param(start),
                clock=clock,
                chapter=f'<h3 class="seg__chapter">{escape(chapter)}</h3>' if chapter else "",
                speaker=(
                    f'<span class="seg__speaker">{escape(speaker)}</span>'
                    if speaker and speaker != previous_speaker
                    else ""
                ),
                text=escape(text),
            )
        )
        texts.append(f"{speaker}: {text}" if speaker and speaker != previous_speaker else text)
        previous_speaker, end = speaker, seg_end
    return RenderedTranscript("\n".join(parts), chapters, len(parts), "\n".join(texts), end)


def build_embed(transcript) -> RenderedTranscript:
    """The embed player's list (``templates/archive/embed.html``): a chapter title as an item of
    its own, then each line with its time linked to ``?t=`` and its speaker (one query; every
    value escaped). The links carry only ``t``; :func:`embed_segments_html` adds the page's
    query."""
    from archive.templatetags.archive_tags import timecode

    rows = transcript.segments.order_by("position").values_list(
        "start", "text", "chapter", "speaker_name", "speaker__name"
    )
    parts = []
    for start, text, chapter, speaker_name, speaker_fk_name in rows:
        speaker = speaker_fk_name or speaker_name
        if chapter:
            parts.append(_EMBED_CHAPTER.format(chapter=escape(chapter)))
        parts.append(
            _EMBED_SEGMENT.format(
                t=time_param(start),
                clock=timecode(start),
                speaker=f' <span class="embed__speaker">{escape(speaker)}:</span>'
                if speaker
                else "",
                text=escape(text),
            )
        )
    return RenderedTranscript("\n".join(parts), count=len(rows))


def rendered(transcript, speaker_names=()) -> RenderedTranscript:
    """The rendered transcript: from this process's memory, else the shared cache, else built.

    The key names the version, so no layer can serve a stale render. The process-local layer
    matters in production, where the shared cache is the database: reading a 1 MB pickle from
    it costs more than the rest of the page."""
    return _cached(cache_key(transcript, speaker_names), build, transcript)


def rendered_embed(transcript, speaker_names=()) -> RenderedTranscript:
    """The embed player's rendering (:func:`build_embed`), cached as :func:`rendered` is."""
    return _cached(
        cache_key(transcript, speaker_names, "transcript-embed:v1"), build_embed, transcript
    )


def embed_segments_html(rendered_embed_transcript: RenderedTranscript, query) -> str:
    """The embed's list items, each time link keeping the rest of the page's ``query`` (a
    QueryDict: ``?lang=en``, the embed of an English page, stays English)."""
    html = rendered_embed_transcript.segments_html
    rest = query.copy()
    rest.pop("t", None)
    if rest:
        html = html.replace('<a href="?t=', f'<a href="?{escape(rest.urlencode())}&amp;t=')
    return mark_safe(html)  # noqa: S308 - built from escaped values (build_embed)


def _cached(key: str, build_one, transcript) -> RenderedTranscript:
    with _local_lock:
        result = _local.get(key)
        if result is not None:
            _local.move_to_end(key)
            return result
    result = cache.get(key)
    if result is None:
        result = build_one(transcript)
        cache.set(key, result, CACHE_SECONDS)
    with _local_lock:
        _local[key] = result
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)
    return result


def segments_html(transcript, rendered_transcript: RenderedTranscript, start_time=None) -> str:
    """The list items, with the segment playing at ``start_time`` marked as current."""
    html = rendered_transcript.segments_html
    if start_time is not None and html:
        position = (
            # The line playing then: the last to start by then (as the player marks it, also
            # in a pause after a line), allowing for a ?t= rounded to the hundredth.
            transcript.segments.filter(start__lte=start_time + MOMENT_TOLERANCE)
            .order_by("-start", "-position")
            .values_list("position", flat=True)
            .first()
        )
        if position is not None:
            html = html.replace(
                f'<li class="seg" id="seg-{position}" ',
                f'<li class="seg is-current" id="seg-{position}" aria-current="true" ',
                1,
            )
    return mark_safe(html)  # noqa: S308 - built from escaped values above
