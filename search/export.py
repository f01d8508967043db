"""What a search's CSV and JSON exports (``archive.api``) say of each hit's moments and slides.

The results page shows a hit's three best moments and slide pages; an export is for someone who
wants every place a word was said, so it asks the engine for up to EXPORT_MAX_MOMENTS moments and
EXPORT_MAX_SLIDES slide pages per seminar, gives how many moments match (``moment_count``; more
than the moments listed when capped), and the slide hits the page shows. JSON gets them as
structured items (start in seconds, speaker, text, link); CSV as one readable cell each.
"""

from __future__ import annotations

import dataclasses
import re
from html import unescape

from django.utils.translation import gettext

from archive.transcript_formats import format_clock
from search.engines.base import SearchQuery

EXPORT_MAX_MOMENTS = 100  # per seminar: a three-hour talk may say a common word hundreds of times
EXPORT_MAX_SLIDES = 20  # slide pages per seminar
TAG_RE = re.compile(r"<[^>]+>")
CELL_SEPARATOR = " | "


def plain(html_text: str) -> str:
    """Search snippets are escaped HTML with <mark>; exports carry plain text."""
    return unescape(TAG_RE.sub("", html_text or ""))


def export_query(query: SearchQuery) -> SearchQuery:
    """``query`` asking for every moment (up to the cap) and slide hit of each seminar."""
    return dataclasses.replace(
        query,
        max_moments=EXPORT_MAX_MOMENTS,
        max_slides=EXPORT_MAX_SLIDES,
        moment_count_cap=None,  # exact counts
    )


def export_fields(hit, absolute=lambda url: url) -> dict:
    """A hit's ``moments`` (``[{"start", "end", "time", "speaker", "text", "url"}]``, in time
    order; ``start``/``end`` in seconds, ``time`` as shown: "2:57"), ``moment_count`` (how many
    moments match: more than listed when capped) and ``slides`` (``[{"page", "label", "text",
    "url"}]``), with absolute links and plain text."""
    page = absolute(hit.url)

    def moment_url(url: str) -> str:
        """The seminar's link at a moment (``?t=``): the page's made absolute once (an export
        of a common word has tens of thousands of moments)."""
        return page + url[len(hit.url) :] if url.startswith(hit.url + "?") else absolute(url)

    moments = [
        {
            "start": m.start,
            "end": m.end,
            "time": format_clock(m.start),
            "speaker": m.speaker,
            "text": plain(m.text),
            "url": moment_url(m.url),
        }
        for m in hit.moments
    ]
    slides = [
        {"page": s.page, "label": s.label, "text": plain(s.text), "url": absolute(s.url)}
        for s in hit.slides
    ]
    count = hit.moment_count if hit.moment_count is not None else len(moments)
    return {"moments": moments, "moment_count": max(count, len(moments)), "slides": slides}


def csv_fields(row: dict) -> dict:
    """``export_fields`` as spreadsheet cells, in the active language: each moment "2:57 Maria
    Lindqvist: … (link)", each slide hit "p. 3 (Presentation): … (link)", joined by " | "; a
    capped list of moments ends by saying how many it shows."""

    def moment(m):
        who = f" {m['speaker']}:" if m["speaker"] else ""
        return f"{m['time']}{who} {m['text']} ({m['url']})"

    def slide(s):
        label = f" ({s['label']})" if s["label"] else ""
        page = gettext("p. %(n)s") % {"n": s["page"]}  # outside the f-string: makemessages
        return f"{page}{label}: {s['text']} ({s['url']})"

    moments = [moment(m) for m in row["moments"]]
    if row["moment_count"] > len(moments):
        moments.append(
            gettext("(%(shown)s of %(total)s moments)")
            % {"shown": len(moments), "total": row["moment_count"]}
        )
    return {
        "moments": CELL_SEPARATOR.join(moments),
        "moment_count": row["moment_count"],
        "slides": CELL_SEPARATOR.join(slide(s) for s in row["slides"]),
    }
