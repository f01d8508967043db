"""The Elasticsearch document for one seminar, built from ``seminar_search_document(page)``.

Text fields use the Swedish analyzers of ``search/es_analysis.py`` and carry a ``folded`` subfield
(no-diacritics matching) and a ``plain`` one (unstemmed words, for typo tolerance); title, speaker
names and topic names also carry an ``autocomplete`` edge-n-gram subfield. Transcript segments
and slide pages are ``nested`` so a query can point at the exact moment or page that matched
(``inner_hits``); their text is also copied into root fields so the words of a query may be
spread over a whole seminar.

Facets are keyword fields holding ``"<slug>|<name>"`` (slugs never contain "|"), so one terms
aggregation yields both the value to filter on and the label to show.

A talk in English is also searchable by its English word forms: its text is copied into
``english`` and each segment's and slide page's into ``text_en``, all analysed by the
``en_text`` analyzer (Elasticsearch's ``english`` analyzer with Snowball's English stemmer, as
the database engine stems: "municipalities" and "municipality" meet).
Those fields stay empty for every other talk, so no Swedish talk is matched by English stems
(``planering`` is "planer" to the English rules).

Elasticsearch refuses a document with more than ``NESTED_OBJECTS_LIMIT`` nested objects
(segments plus slide pages). A longer transcript (a full day of short captions) is indexed in
fewer, longer segments: consecutive cues are merged, by one speaker where that suffices, each
segment starting where its first cue does, so a moment still links to the second its words
begin. Only the Elasticsearch document is merged; the transcript itself is unchanged.

``speakers`` holds everyone on the programme with their role (all searchable by name); the speaker
facet (``facet_speakers``), filter (``speaker_slugs``) and ``bios`` hold only those who speak:
moderators and hosts (``archive.models.LEADING_ROLES``) are not counted as speakers.
"""

from __future__ import annotations

import datetime as dt
import math

from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    Float,
    Index,
    InnerDoc,
    Integer,
    Keyword,
    MetaField,
    Nested,
    Object,
    Text,
)

from search.analysis import ENGLISH
from search.engines.base import split_people
from search.es_analysis import (
    ENGLISH_ANALYZER,
    NESTED_OBJECTS_LIMIT,
    analysis_meta,
    index_settings,
)

FACET_SEPARATOR = "|"
SPELL_FIELD = "spell"


def swedish_text(*, autocomplete: bool = False, spell: bool = False, **kwargs) -> Text:
    """Swedish text with ``folded`` and ``plain`` subfields (and optionally ``autocomplete``)."""
    fields = {
        "folded": Text(analyzer="sv_folded_index", search_analyzer="sv_folded_search"),
        "plain": Text(analyzer="plain_index", search_analyzer="plain_search"),
    }
    if autocomplete:
        fields["autocomplete"] = Text(
            analyzer="autocomplete_index", search_analyzer="autocomplete_search"
        )
    if spell:
        kwargs["copy_to"] = SPELL_FIELD
    return Text(analyzer="sv_index", search_analyzer="sv_search", fields=fields, **kwargs)


def facet_value(slug: str, name: str) -> str:
    return f"{slug}{FACET_SEPARATOR}{name}"


def split_facet_value(raw: str) -> tuple[str, str]:
    """``"slug|name"`` → ``("slug", "name")``; a value without separator is its own label."""
    slug, _, name = raw.partition(FACET_SEPARATOR)
    return slug, name or slug


class SlugName(InnerDoc):
    slug = Keyword()
    name = swedish_text(autocomplete=True, spell=True)


class SeminarSpeakerDoc(InnerDoc):
    name = swedish_text(autocomplete=True, spell=True)
    slug = Keyword()
    role = Keyword()
    title = Text(analyzer="sv_index", search_analyzer="sv_search")


def english_text() -> Text:
    """Text of a talk in English, with English stemming and stop words (empty otherwise)."""
    return Text(analyzer=ENGLISH_ANALYZER)


class TranscriptSegmentDoc(InnerDoc):
    start = Float()
    end = Float()
    speaker = Keyword()
    speaker_slug = Keyword()
    text = swedish_text()
    text_en = english_text()


class SlidePageDoc(InnerDoc):
    document_id = Integer()
    page = Integer()
    label = Keyword()
    url = Keyword(index=False)
    text = swedish_text()
    text_en = english_text()


class SeminarDocument(Document):
    page_id = Integer()
    slug = Keyword()
    url = Keyword(index=False)
    title = swedish_text(autocomplete=True, spell=True)
    code = swedish_text()
    series = Object(SlugName)
    format = Keyword()
    format_name = swedish_text()  # "Frukostmöte Breakfast meeting": searched like the topics
    language = Keyword()
    start = Date()
    end = Date()
    time_known = Boolean()  # False: only the date of ``start`` (local time) is known
    year = Integer()
    venue = swedish_text()
    room = Keyword(index=False)
    speakers = Object(SeminarSpeakerDoc, multi=True)
    bios = swedish_text()  # the speakers' biographies
    topics = Object(SlugName, multi=True)
    lead = swedish_text(spell=True)
    body = swedish_text(spell=True)
    transcript = Nested(TranscriptSegmentDoc)
    slides = Nested(SlidePageDoc)
    # All transcript / slide text in one field each: a query's words may come from several segments.
    transcript_text = swedish_text(spell=True)
    slides_text = swedish_text(spell=True)
    english = english_text()  # a talk in English: all its text above, for its English forms
    # "Did you mean": a shingled copy of the seminar's words for the phrase suggester.
    spell = Text(analyzer="spell")
    facet_series = Keyword()
    facet_speakers = Keyword(multi=True)
    speaker_slugs = Keyword(multi=True)  # the speaker filter: the facet's values
    facet_topics = Keyword(multi=True)
    has_video = Boolean()
    has_transcript = Boolean()
    fingerprint = Keyword()
    indexed_at = Date()

    class Meta:
        # A field this class does not declare is a bug: refuse it instead of guessing a mapping.
        dynamic = MetaField("strict")


def seminar_index(name: str) -> Index:
    """The seminar index definition (settings, analysis, mapping) under a concrete index name;
    the mapping's ``_meta`` records what the analysis was built from (``analysis_meta``)."""
    index = Index(name)
    index.settings(**index_settings())
    index.document(SeminarDocument)
    index.get_or_create_mapping().meta("_meta", analysis_meta())
    return index


def _merge_cues(cues: list[dict]) -> dict:
    """One segment of consecutive cues: from the first's start to the last's end, their text
    in order, each speaker named once (a list of slugs when several speak)."""
    names = list(dict.fromkeys(c["speaker"] for c in cues if c["speaker"]))
    slugs = list(dict.fromkeys(c["speaker_slug"] for c in cues if c["speaker_slug"]))
    return {
        "start": cues[0]["start"],
        "end": max(c["end"] for c in cues),
        "speaker": ", ".join(names),
        "speaker_slug": slugs[0] if len(slugs) == 1 else slugs if slugs else "",
        "text": " ".join(c["text"] for c in cues if c["text"]),
    }


def _runs(cues: list[dict], size: int, by_speaker: bool) -> list[list[dict]]:
    """Consecutive cues in groups of at most ``size``; a new group at each change of speaker
    too when ``by_speaker``."""

    def who(cue: dict) -> tuple[str, str]:
        return cue["speaker"], cue["speaker_slug"]

    groups: list[list[dict]] = []
    for cue in cues:
        last = groups[-1] if groups else None
        if last is None or len(last) >= size or (by_speaker and who(cue) != who(last[-1])):
            groups.append([cue])
        else:
            last.append(cue)
    return groups


def fit_transcript(cues: list[dict], limit: int) -> list[dict]:
    """``cues`` as at most ``limit`` segments: unchanged when they fit; else consecutive cues
    merged, the fewest to a segment that fits, by one speaker each where the speaker turns
    allow (the filter "who said it" stays exact), otherwise regardless of speaker."""
    if len(cues) <= limit:
        return cues
    limit = max(limit, 1)
    smallest = math.ceil(len(cues) / limit)
    turns = len(_runs(cues, len(cues), by_speaker=True))
    if turns <= limit:
        size = smallest
        while len(groups := _runs(cues, size, by_speaker=True)) > limit:
            size += max(1, size // 4)
    else:
        groups = _runs(cues, smallest, by_speaker=False)
    return [_merge_cues(group) for group in groups]


def _slides(slides: list[dict]) -> list[dict]:
    """Per-page slide entries from ``[{"document_id", "url", "label", "pages": [...]}]``.

    A flat list of per-page dicts (with ``page`` and ``text``) is accepted as well.
    """
    out = []
    for slide in slides or []:
        pages = slide.get("pages")
        if pages is None:
            pages = [{"page": slide.get("page", 1), "text": slide.get("text", "")}]
        for page in pages:
            out.append(
                {
                    "document_id": slide.get("document_id"),
                    "page": int(page.get("page") or 1),
                    "label": slide.get("label") or "",
                    "url": slide.get("url") or "",
                    "text": page.get("text") or "",
                }
            )
    return out


def _venue_text(venue) -> str:
    if isinstance(venue, dict):
        return ", ".join(p for p in (venue.get("name"), venue.get("city")) if p)
    return venue or ""


def _year(data: dict) -> int | None:
    if data.get("year"):
        return int(data["year"])
    start = data.get("start")
    if isinstance(start, str) and start[:4].isdigit():
        return int(start[:4])
    if isinstance(start, dt.date):
        return start.year
    return None


def from_search_document(data: dict) -> SeminarDocument:
    """The Elasticsearch document for a seminar's plain search document (see archive)."""
    series = data.get("series") or None
    speakers = [
        {
            "name": s.get("name", ""),
            "slug": s.get("slug", ""),
            "role": s.get("role", ""),
            "title": s.get("title", ""),
        }
        for s in data.get("speakers") or []
    ]
    topics = [
        {"slug": t["slug"], "name": t.get("name") or t["slug"]} for t in data.get("topics") or []
    ]
    transcript = [
        {
            "start": float(seg["start"]),
            "end": float(seg.get("end") or seg["start"]),
            "speaker": seg.get("speaker") or "",
            "speaker_slug": seg.get("speaker_slug") or "",
            "text": seg.get("text") or "",
        }
        for seg in data.get("transcript") or []
    ]
    slides = _slides(data.get("slides") or [])
    # Slide pages beyond half the limit (thousands) stay searchable in slides_text only.
    pages = slides[: NESTED_OBJECTS_LIMIT // 2]
    segments = fit_transcript(transcript, NESTED_OBJECTS_LIMIT - len(pages))
    speaking = split_people(speakers)[0]  # the speaker facet and filter: those who speak
    english = None  # (an empty string would be indexed)
    if data.get("language") == ENGLISH:
        for entry in (*segments, *pages):
            entry["text_en"] = entry["text"]
        english = "\n".join(
            filter(
                None,
                (
                    data.get("lead", ""),
                    data.get("body", ""),
                    data.get("title", ""),
                    " ".join(t["name"] for t in topics),
                    " ".join(s["title"] for s in speakers),
                    data.get("bios", ""),
                    *(page["text"] for page in slides),
                    *(seg["text"] for seg in transcript),
                ),
            )
        )
    doc = SeminarDocument(
        meta={"id": str(data["id"])},
        page_id=data["id"],
        slug=data.get("slug", ""),
        url=data.get("url", ""),
        title=data.get("title", ""),
        code=data.get("code", ""),
        series={"slug": series["slug"], "name": series["name"]} if series else None,
        format=data.get("format", ""),
        format_name=data.get("format_name", ""),
        language=data.get("language", ""),
        start=data.get("start"),
        end=data.get("end"),
        time_known=bool(data.get("time_known", True)),
        year=_year(data),
        venue=_venue_text(data.get("venue")),
        room=data.get("room", ""),
        speakers=speakers,
        bios=data.get("bios", ""),  # those who speak (see archive.search_document)
        topics=topics,
        lead=data.get("lead", ""),
        body=data.get("body", ""),
        transcript=segments,
        slides=pages,
        transcript_text="\n".join(seg["text"] for seg in transcript),
        slides_text="\n".join(page["text"] for page in slides),
        english=english,
        facet_series=facet_value(series["slug"], series["name"]) if series else None,
        facet_speakers=list(dict.fromkeys(facet_value(s["slug"], s["name"]) for s in speaking)),
        speaker_slugs=list(dict.fromkeys(s["slug"] for s in speaking)),
        facet_topics=[facet_value(t["slug"], t["name"]) for t in topics],
        has_video=bool(data.get("has_video")),
        has_transcript=bool(data.get("has_transcript", bool(transcript))),
        fingerprint=data.get("fingerprint", ""),
    )
    return doc
