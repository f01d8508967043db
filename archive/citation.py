"""Stable citations of a seminar: APA-style text and BibTeX.

Authors are the seminar's speakers and panelists (moderators and hosts only when nobody else is
listed), in page order. The citation is built from plain values so it is tested without a database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
APA_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
AUTHOR_ROLES = ("speaker", "panelist")
BIBTEX_SPECIAL = re.compile(r"([&%$#_{}])")


@dataclass(frozen=True)
class CitationData:
    title: str
    authors: tuple[str, ...]  # full names as written, e.g. "Anna-Karin Berg"
    year: int
    month: int
    day: int
    url: str
    slug: str
    series: str = ""
    publisher: str = ""
    has_video: bool = False


def citation_data(seminar, url: str) -> CitationData:
    links = seminar.speaker_links
    authors = [link.speaker.name for link in links if link.role in AUTHOR_ROLES]
    if not authors:
        authors = [link.speaker.name for link in links]
    start = timezone.localtime(seminar.start)
    return CitationData(
        title=seminar.title,
        authors=tuple(authors),
        year=start.year,
        month=start.month,
        day=start.day,
        url=url,
        slug=seminar.slug,
        series=seminar.series.name if seminar.series else "",
        publisher=settings.WAGTAIL_SITE_NAME,
        has_video=seminar.has_video,
    )


def split_name(name: str) -> tuple[str, list[str]]:
    """'Anna-Karin von Berg' → ('von Berg', ['Anna-Karin']): family name last, particles kept."""
    parts = name.split()
    if len(parts) == 1:
        return parts[0], []
    family_start = len(parts) - 1
    while family_start > 1 and parts[family_start - 1].lower() in ("von", "van", "de", "af", "der"):
        family_start -= 1
    return " ".join(parts[family_start:]), parts[:family_start]


def initials(given: list[str]) -> str:
    """['Anna-Karin', 'Maria'] → 'A.-K. M.'"""
    return " ".join("-".join(f"{p[0]}." for p in g.split("-") if p) for g in given)


def apa_author(name: str) -> str:
    family, given = split_name(name)
    return f"{family}, {initials(given)}" if given else family


def apa_authors(names: tuple[str, ...]) -> str:
    formatted = [apa_author(n) for n in names]
    if not formatted:
        return ""
    if len(formatted) == 1:
        return formatted[0]
    return ", ".join(formatted[:-1]) + ", & " + formatted[-1]


def to_apa(data: CitationData) -> str:
    """APA 7-style reference for a recorded (or announced) talk."""
    date = f"({data.year}, {APA_MONTHS[data.month - 1]} {data.day})"
    kind = "[Video]" if data.has_video else "[Seminar]"
    source = ". ".join(p for p in (data.series, data.publisher) if p)
    authors = apa_authors(data.authors) or data.publisher
    title = data.title.rstrip(".")
    return f"{authors} {date}. {title} {kind}. {source}. {data.url}"


def bibtex_escape(text: str) -> str:
    return BIBTEX_SPECIAL.sub(r"\\\1", text)


def bibtex_key(data: CitationData) -> str:
    """'berg2024tillit': first author's family name, year, first word of the slug (ASCII)."""
    first = split_name(data.authors[0])[0] if data.authors else "seminar"
    ascii_name = unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z]", "", ascii_name.lower()) or "seminar"
    word = re.sub(r"[^a-z0-9]", "", data.slug.split("-")[0].lower())
    return f"{name}{data.year}{word}"


def to_bibtex(data: CitationData) -> str:
    authors = " and ".join(
        f"{family}, {' '.join(given)}" if given else family
        for family, given in map(split_name, data.authors)
    )
    fields = [
        ("author", f"{{{bibtex_escape(authors)}}}" if authors else ""),
        ("title", f"{{{{{bibtex_escape(data.title)}}}}}"),
        ("year", f"{{{data.year}}}"),
        ("month", MONTHS[data.month - 1]),
        ("howpublished", f"{{{bibtex_escape(data.series or data.publisher)}}}"),
        ("publisher", f"{{{bibtex_escape(data.publisher)}}}"),
        ("url", f"{{{data.url}}}"),
        ("note", "{Video recording}" if data.has_video else "{Seminar}"),
    ]
    body = ",\n".join(f"  {name} = {value}" for name, value in fields if value)
    return f"@misc{{{bibtex_key(data)},\n{body}\n}}\n"
