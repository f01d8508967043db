"""The contract every public-search engine meets (database and Elasticsearch).

Engines take a ``SearchQuery`` and return ``SearchResults`` of the same shape, so pages, the API and
the behaviour tests do not care which engine answered. Text in ``snippet`` and moment/slide ``text``
is HTML-escaped with matches wrapped in ``<mark>``: safe to render with ``|safe``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

SORTS = ("relevance", "newest", "oldest")
FACETS = (
    "series",
    "speaker",
    "topic",
    "year",
    "format",
    "language",
    "has_video",
    "has_transcript",
)
MAX_QUERY_LENGTH = 200
MAX_PAGE_SIZE = 100
MAX_PAGE = 1000
MAX_MOMENTS = 3  # transcript moments a hit shows
MAX_SLIDE_HITS = 3  # slide pages a hit shows
#: A results page counts each hit's matching moments up to this many ("100+"): a common word
#: in a three-hour transcript matches a thousand segments, all of which a full count reads.
MOMENT_COUNT_CAP = 100


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    page: int = 1
    page_size: int = 20
    series: tuple[str, ...] = ()  # Series slugs
    speaker: tuple[str, ...] = ()  # Speaker slugs; also narrows transcript moments ("who said it")
    topic: tuple[str, ...] = ()  # tag slugs
    year: tuple[int, ...] = ()
    format: tuple[str, ...] = ()  # SeminarFormat values
    lang: tuple[str, ...] = ()  # "sv" / "en"
    has_video: bool | None = None
    has_transcript: bool | None = None
    sort: str = "relevance"  # one of SORTS
    # Seminars held from ``date_from`` to ``date_to``, both days included (local time,
    # settings.TIME_ZONE); None: open-ended.
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    # Transcript moments and slide pages given per hit (exports and the page of one seminar's
    # moments ask for more; not a request parameter).
    max_moments: int = MAX_MOMENTS
    max_slides: int = MAX_SLIDE_HITS
    moment_count_cap: int | None = MOMENT_COUNT_CAP  # None: count every matching moment

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    def selected_values(self) -> dict[str, tuple[str, ...]]:
        """The facet values it filters on, facet → values as the facets give them (slugs,
        str(year), "true"/"false"); every facet, empty when not filtered."""

        def flag(value: bool | None) -> tuple[str, ...]:
            return () if value is None else ("true" if value else "false",)

        return {
            "series": self.series,
            "speaker": self.speaker,
            "topic": self.topic,
            "year": tuple(str(y) for y in self.year),
            "format": self.format,
            "language": self.lang,
            "has_video": flag(self.has_video),
            "has_transcript": flag(self.has_transcript),
        }


@dataclass
class Moment:
    start: float
    end: float
    speaker: str
    text: str  # escaped HTML with <mark>
    url: str  # seminar URL with ?t=<seconds, to the hundredth>


@dataclass
class SlideHit:
    page: int
    text: str  # escaped HTML with <mark>
    url: str  # PDF URL with #page=N
    label: str = ""


@dataclass
class Hit:
    page_id: int
    slug: str
    title: str
    url: str
    start: str  # ISO 8601
    series: dict | None  # {"slug", "name"}
    speakers: list[dict]  # [{"name", "slug", "role"}]: who speaks (see ``split_people``)
    topics: list[dict]  # [{"slug", "name"}]
    snippet: str
    score: float
    moments: list[Moment] = field(default_factory=list)
    slides: list[SlideHit] = field(default_factory=list)
    format: str = ""
    language: str = ""
    has_video: bool = False
    has_transcript: bool = False
    time_known: bool = True  # False: only the date of ``start`` (local time) is known
    moderators: list[dict] = field(default_factory=list)  # [{"name", "slug", "role"}]
    # How many transcript segments match (``moments`` holds the best ``max_moments`` of them),
    # counted up to the query's ``moment_count_cap`` (that many or more when it equals it);
    # None when the engine did not count them.
    moment_count: int | None = None


def split_people(people: list[dict]) -> tuple[list[dict], list[dict]]:
    """A seminar's people (``[{"name", "slug", "role"}]``) as hits show them: those who speak,
    and those who lead it (moderators and hosts: ``archive.models.LEADING_ROLES``)."""
    from archive.models.pages import LEADING_ROLES

    people = [{k: p.get(k, "") for k in ("name", "slug", "role")} for p in people or []]
    return (
        [p for p in people if p["role"] not in LEADING_ROLES],
        [p for p in people if p["role"] in LEADING_ROLES],
    )


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResults:
    query: SearchQuery
    engine: str  # "database" or "elasticsearch"
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    suggestion: str | None = None
    fallback_reason: str = ""  # set when another engine was asked first and failed
    # The query as run instead when the typed one found nothing: its unknown compounds split
    # into their parts ("detaljstyrning" → "detalj styrning"); "" when the query ran as typed.
    searched_for: str = ""


class EngineUnavailable(Exception):
    """The engine cannot answer now (down, timing out); callers fall back to the database."""


class SearchEngine(Protocol):
    name: str

    def search(self, query: SearchQuery) -> SearchResults: ...

    def autocomplete(self, prefix: str, limit: int = 8) -> list[dict]:
        """[{"kind": "title"|"speaker"|"topic", "label", "url"}]"""
        ...

    def index(self, page) -> None:
        """Index one seminar if it is public (live, not view-restricted); else remove it."""
        ...

    def index_many(self, pages) -> int: ...

    def remove(self, page_id: int) -> None: ...

    def rebuild(self, progress=None) -> int:
        """Rebuild from the database; the old index serves until the new one is complete."""
        ...

    def status(self) -> dict:
        """{"engine", "documents", "published", "missing": [ids], "stale": [ids], "ok": bool}"""
        ...


def speaker_page_url(slug: str) -> str:
    """The page of the speaker ``slug`` in the active language (where autocomplete sends a
    moderator: the speaker filter counts only those who speak)."""
    from django.urls import reverse

    return reverse("speaker_detail", kwargs={"slug": slug})


SUGGESTION_POOL = 4  # autocomplete ranks this many times its limit of each kind


def rank_suggestions(suggestions: list[dict], key: str, limit: int, typed: str = "") -> list[dict]:
    """At most ``limit`` suggestions, best first: labels starting with the typed text; then
    those with a word spelled as typed ("oberg" puts "Per Oberg" before the "Öberg"s); then
    those where the typed text begins a longer word than a stop word ("till" puts "Leda med
    tillit" before "från policy till publicering"). Otherwise as found (kinds, then order)."""
    from search.analysis import fold, stopwords, words

    typed_words = words(typed)
    last = typed_words[-1] if typed_words else ""
    stop = stopwords()

    def rank(s):
        label = s["label"].lower()
        label_words = words(label)
        matching = [w for w in label_words if fold(w).startswith(fold(last))] if last else []
        return (
            0 if fold(label).startswith(key) else 1,
            0 if any(w.startswith(last) for w in matching) else 1,
            0 if any(w not in stop for w in matching) else 1,
        )

    return sorted(suggestions, key=rank)[:limit]
