"""The plain-data document that public search indexes for a seminar.

Both search engines (database and Elasticsearch) build their index entries from this one dict, so
its keys are a contract: add keys freely, never rename or remove one without telling both engines.

Keys (all values JSON-serialisable):

- ``id`` int page id; ``slug``; ``title``; ``code`` (session code, may be "")
- ``url``: site-relative page URL in the default language (no /en/ prefix); "" if not routable
- ``series``: ``{"slug", "name"}`` or None; ``format`` (SeminarFormat value);
  ``format_name``: the format's name in every interface language ("Frukostmöte Breakfast
  meeting"; "" for "other"), searched like the topics; ``language`` ("sv"/"en")
- ``start`` / ``end``: ISO 8601 strings (``end`` may be None); ``year`` int (local time)
- ``time_known``: False when only the seminar's date is known (its clock time in ``start`` is a
  placeholder: show and export the local date only)
- ``venue``: ``{"name", "city"}`` or None; ``room``
- ``speakers``: ``[{"name", "slug", "role", "title", "bio"}]`` in page order: everyone on the
  programme; those in ``archive.models.LEADING_ROLES`` (moderators, hosts) are shown and counted
  as moderators, never as speakers, but stay searchable by name
- ``bios``: the biographies of those who speak, one per line (a moderator's or host's describes
  them, not the seminar, and is not searched)
- ``topics``: ``[{"slug", "name"}]`` sorted by name
- ``lead``; ``body`` (StreamField as plain text, blocks separated by blank lines)
- ``slides``: ``[{"document_id", "url", "label", "pages": [{"page", "text"}]}]`` (1-based page
  numbers; only pages with text)
- ``transcript``: ``[{"start", "end", "speaker", "speaker_slug", "text"}]`` in order
  (``speaker_slug`` is "" when the segment names someone who is not a Speaker snippet)
- ``has_video``; ``has_transcript``
- ``fingerprint``: a hash of everything above, so an index can tell a stale entry from a current one
"""

from __future__ import annotations

import hashlib
import json
import re
from html import unescape

from django.conf import settings
from django.utils import translation

_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|div)>|<br\s*/?>", re.IGNORECASE)


def html_to_text(html: str) -> str:
    """Rich text HTML as plain text: block ends become line breaks, tags go, entities decode."""
    text = _BLOCK_END.sub("\n", html or "")
    text = unescape(_TAG.sub("", text))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def body_text(body) -> str:
    """The readable text of a seminar body StreamField (paragraphs, quotes, image captions)."""
    parts = []
    for block in body or []:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            parts.append(html_to_text(getattr(value, "source", str(value))))
        elif kind == "quote":
            parts.append(" – ".join(p for p in (value.get("text"), value.get("attribution")) if p))
        elif kind == "image":
            parts.append(value.get("caption") or "")
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def _slides(page) -> list[dict]:
    slides = []
    for slide in page.slides.select_related("document").all():
        document = slide.document
        pages = [
            {"page": p.number, "text": p.text}
            for p in document.pages.order_by("number")
            if p.text.strip()
        ]
        slides.append(
            {
                "document_id": document.pk,
                "url": document.url,
                "label": slide.display_label,
                "pages": pages,
            }
        )
    return slides


def _transcript(page) -> list[dict]:
    from archive.models import Transcript

    try:
        transcript = page.transcript
    except Transcript.DoesNotExist:
        return []
    rows = transcript.segments.order_by("position").values_list(
        "start", "end", "speaker_name", "speaker__name", "speaker__slug", "text"
    )
    return [
        {
            "start": float(start),
            "end": float(end),
            "speaker": speaker_fk_name or speaker_name,
            "speaker_slug": speaker_slug or "",
            "text": text,
        }
        for start, end, speaker_name, speaker_fk_name, speaker_slug, text in rows
    ]


def _language_neutral_url(page) -> str:
    """The page URL in the default language (no /en/ prefix), whatever language is active."""
    with translation.override(settings.LANGUAGE_CODE):
        return page.get_url() or ""


def document_fingerprint(doc: dict) -> str:
    """A short stable hash of a search document (without its own fingerprint)."""
    data = {k: v for k, v in doc.items() if k != "fingerprint"}
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def format_names(value: str) -> str:
    """A seminar format's name in every interface language, as people search for it
    ("frukostmöte", "webinar"); "" for none or "other", which names nothing."""
    from archive.models.pages import SeminarFormat

    if not value or value == SeminarFormat.OTHER or value not in SeminarFormat.values:
        return ""
    label = SeminarFormat(value).label
    names = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.append(str(label))
    return " ".join(dict.fromkeys(names))


def seminar_search_document(page) -> dict:
    """Everything public search needs about ``page`` (a SeminarPage) as plain data."""
    from archive.models.pages import LEADING_ROLES

    transcript = _transcript(page)
    series = page.series
    venue = page.venue
    doc = {
        "id": page.pk,
        "slug": page.slug,
        "title": page.title,
        "code": page.code or "",
        "url": _language_neutral_url(page),
        "series": {"slug": series.slug, "name": series.name} if series else None,
        "format": page.format,
        "format_name": format_names(page.format),
        "language": page.language,
        "start": page.start.isoformat() if page.start else None,
        "end": page.end.isoformat() if page.end else None,
        "time_known": page.time_known,
        "year": page.local_start.year if page.start else None,
        "venue": {"name": venue.name, "city": venue.city} if venue else None,
        "room": page.room or "",
        "speakers": [
            {
                "name": link.speaker.name,
                "slug": link.speaker.slug,
                "role": link.role,
                "title": link.display_title,
                "bio": link.speaker.bio or "",
            }
            for link in page.seminar_speakers.select_related("speaker").all()
        ],
        "topics": [
            {"slug": tag.slug, "name": tag.name}
            for tag in sorted(page.topics.all(), key=lambda t: t.name.casefold())
        ],
        "lead": page.lead or "",
        "body": body_text(page.body),
        "slides": _slides(page),
        "transcript": transcript,
        "has_video": page.has_video,
        "has_transcript": bool(transcript),
    }
    doc["bios"] = "\n".join(
        s["bio"] for s in doc["speakers"] if s["bio"] and s["role"] not in LEADING_ROLES
    )
    doc["fingerprint"] = document_fingerprint(doc)
    return doc
