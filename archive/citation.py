"""Stable citations of a seminar: APA-style text and BibTeX.

Authors are the seminar's speakers and panelists (moderators and hosts only when nobody else is
listed), in page order. The citation is built from plain values so it is tested without a database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation

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
SV_MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
AUTHOR_ROLES = ("speaker", "panelist")
# LaTeX's special characters, replaced in one pass so the backslashes that escaping adds are
# never escaped again. A backslash starts a command, "~" is a non-breaking space and "^" stops
# LaTeX outside math mode: those three take their text commands.
BIBTEX_SPECIAL = re.compile(r"[&%$#_{}\\~^]")
BIBTEX_REPLACEMENTS = {
    "\\": r"\textbackslash{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


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
    #: family name of each author where it is not the name's last word ("Nilsson Berg"), else ""
    families: tuple[str, ...] = ()

    def author_names(self) -> list[tuple[str, list[str]]]:
        """(family, given names) of each author."""
        families = self.families + ("",) * (len(self.authors) - len(self.families))
        return [split_name(n, f) for n, f in zip(self.authors, families, strict=False)]


def cited_speakers(seminar) -> list:
    """The speakers a citation names: speakers and panelists, in page order (moderators and
    hosts only when nobody else is listed)."""
    links = seminar.speaker_links
    cited = [link.speaker for link in links if link.role in AUTHOR_ROLES]
    return cited or [link.speaker for link in links]


def citation_data(seminar, url: str) -> CitationData:
    speakers = cited_speakers(seminar)
    start = timezone.localtime(seminar.start)
    return CitationData(
        title=seminar.title,
        authors=tuple(s.name for s in speakers),
        families=tuple(s.family_name for s in speakers),
        year=start.year,
        month=start.month,
        day=start.day,
        url=url,
        slug=seminar.slug,
        series=seminar.series.name if seminar.series else "",
        publisher=settings.WAGTAIL_SITE_NAME,
        has_video=seminar.has_video,
    )


def split_name(name: str, family: str = "") -> tuple[str, list[str]]:
    """'Anna-Karin von Berg' → ('von Berg', ['Anna-Karin']): family name last, particles kept;
    ``family`` when known ('Nilsson Berg' of 'Sara Nilsson Berg')."""
    name = " ".join(name.split())
    family = " ".join(family.split())
    if family and name.endswith(family) and name != family:
        return family, name[: -len(family)].split()
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


def apa_author(name: str, family: str = "") -> str:
    family, given = split_name(name, family)
    return f"{family}, {initials(given)}" if given else family


def apa_authors(names: tuple[str, ...], families: tuple[str, ...] = ()) -> str:
    families = families + ("",) * (len(names) - len(families))
    formatted = [apa_author(n, f) for n, f in zip(names, families, strict=False)]
    if not formatted:
        return ""
    if len(formatted) == 1:
        return formatted[0]
    return ", ".join(formatted[:-1]) + ", & " + formatted[-1]


def to_apa(data: CitationData) -> str:
    """APA 7-style reference for a recorded (or announced) talk; in Swedish as Swedish APA
    writes it ("(2026, 31 maj)", "[Seminarium]")."""
    if translation.get_language() == "sv":
        date = f"({data.year}, {data.day} {SV_MONTHS[data.month - 1]})"
        kind = "[Video]" if data.has_video else "[Seminarium]"
    else:
        date = f"({data.year}, {APA_MONTHS[data.month - 1]} {data.day})"
        kind = "[Video]" if data.has_video else "[Seminar]"
    source = ". ".join(p for p in (data.series, data.publisher) if p)
    authors = apa_authors(data.authors, data.families) or data.publisher
    title = data.title.rstrip(".")
    return f"{authors} {date}. {title} {kind}. {source}. {data.url}"


def bibtex_escape(text: str) -> str:
    r"""``text`` safe in a BibTeX field: 'a & b \ c' → 'a \& b \textbackslash{} c'."""
    return BIBTEX_SPECIAL.sub(lambda m: BIBTEX_REPLACEMENTS.get(m.group(), "\\" + m.group()), text)


def ascii_letters(text: str) -> str:
    """``text`` in lowercase ASCII letters and digits: 'Åkesson' → 'akesson', 'nyårs' → 'nyars'
    (accents dropped from their letters, not the letters dropped)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_text.lower())


def bibtex_key(data: CitationData) -> str:
    """'berg2024tillit': first author's family name, year, first word of the slug (ASCII)."""
    first = data.author_names()[0][0] if data.authors else "seminar"
    name = re.sub(r"[0-9]", "", ascii_letters(first)) or "seminar"
    word = ascii_letters(data.slug.split("-")[0])
    return f"{name}{data.year}{word}"


def to_bibtex(data: CitationData) -> str:
    authors = " and ".join(
        f"{family}, {' '.join(given)}" if given else family for family, given in data.author_names()
    )
    fields = [
        ("author", f"{{{bibtex_escape(authors)}}}" if authors else ""),
        ("title", f"{{{{{bibtex_escape(data.title)}}}}}"),
        ("year", f"{{{data.year}}}"),
        ("month", MONTHS[data.month - 1]),
        ("howpublished", f"{{{bibtex_escape(data.series or data.publisher)}}}"),
        ("publisher", f"{{{bibtex_escape(data.publisher)}}}"),
        # Bare, never escaped: ``url`` is a verbatim field (biblatex reads it verbatim, BibTeX
        # styles that print it wrap it in \url{}), so a percent-encoded path (%C3%A5) is safe
        # there, and "\%" would become part of the link. It is in no other field, where "%" would
        # start a LaTeX comment.
        ("url", f"{{{data.url}}}"),
        ("note", "{Video recording}" if data.has_video else "{Seminar}"),
    ]
    body = ",\n".join(f"  {name} = {value}" for name, value in fields if value)
    return f"@misc{{{bibtex_key(data)},\n{body}\n}}\n"
