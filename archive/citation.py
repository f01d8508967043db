"""Stable citations of a seminar: APA-style text, BibTeX, RIS and CSL-JSON.

Authors are the seminar's speakers and panelists (moderators and hosts only when nobody else is
listed), in page order. The citation is built from plain values so it is tested without a database.
Its words (the kind of item, the note) are in the active language, as the APA text is.
"""

from __future__ import annotations

import json
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
# LaTeX outside math mode: those three take their text commands. Braces too: BibTeX and biber
# count every brace, "\{" included, so one "}" in a title ended the field and the entry there
# (everything after it was lost); the text commands keep every field's braces balanced.
BIBTEX_SPECIAL = re.compile(r"[&%$#_{}\\~^]")
BIBTEX_REPLACEMENTS = {
    "\\": r"\textbackslash{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
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
    language: str = ""  # of the talk: "sv", "en" (archive.models.TalkLanguage)
    page_id: int | None = None  # makes the BibTeX key unique

    @property
    def date(self) -> str:
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

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
        language=seminar.language or "",
        page_id=seminar.pk,
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
    r"""``text`` safe in a BibTeX field: 'a & b \ c' → 'a \& b \textbackslash{} c', and
    '}' → '\textbraceright{}' (the field's braces always balance)."""
    return BIBTEX_SPECIAL.sub(lambda m: BIBTEX_REPLACEMENTS.get(m.group(), "\\" + m.group()), text)


def ascii_letters(text: str) -> str:
    """``text`` in lowercase ASCII letters and digits: 'Åkesson' → 'akesson', 'nyårs' → 'nyars'
    (accents dropped from their letters, not the letters dropped)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_text.lower())


def bibtex_key(data: CitationData) -> str:
    """'berg2024tillit-57': first author's family name, year, first word of the slug (ASCII),
    and the seminar's page id, without which one speaker's talks in a year often shared a key
    (a breakfast series whose slugs all start "chefsfrukost-", imported slugs such as "a3-")."""
    first = data.author_names()[0][0] if data.authors else "seminar"
    name = re.sub(r"[0-9]", "", ascii_letters(first)) or "seminar"
    word = ascii_letters(data.slug.split("-")[0])
    suffix = f"-{data.page_id}" if data.page_id is not None else ""
    return f"{name}{data.year}{word}{suffix}"


# The words of a citation, in the active language (as to_apa writes its own).
NOTES = {
    "sv": {"video": "Videoinspelning", "seminar": "Seminarium"},
    "en": {"video": "Video recording", "seminar": "Seminar"},
}
#: The language of the talk as biblatex names it (its ``language`` field).
BIBLATEX_LANGUAGES = {"sv": "swedish", "en": "english"}


def citation_note(data: CitationData) -> str:
    """ "Video recording" or "Seminar", in the active language (English unless Swedish)."""
    words = NOTES["sv" if translation.get_language() == "sv" else "en"]
    return words["video" if data.has_video else "seminar"]


def to_bibtex(data: CitationData) -> str:
    """A ``@misc`` entry: BibTeX's ``year`` and ``month`` and biblatex's ``date`` (with the
    day), the talk's ``language``, and a ``note`` in the active language."""
    authors = " and ".join(
        f"{family}, {' '.join(given)}" if given else family for family, given in data.author_names()
    )
    url = data.url.replace("{", "%7B").replace("}", "%7D")
    fields = [
        ("author", f"{{{bibtex_escape(authors)}}}" if authors else ""),
        ("title", f"{{{{{bibtex_escape(data.title)}}}}}"),
        ("year", f"{{{data.year}}}"),
        ("month", MONTHS[data.month - 1]),
        ("date", f"{{{data.date}}}"),
        ("howpublished", f"{{{bibtex_escape(data.series or data.publisher)}}}"),
        ("publisher", f"{{{bibtex_escape(data.publisher)}}}"),
        # Bare, never escaped: ``url`` is a verbatim field (biblatex reads it verbatim, BibTeX
        # styles that print it wrap it in \url{}), so a percent-encoded path (%C3%A5) is safe
        # there, and "\%" would become part of the link. It is in no other field, where "%" would
        # start a LaTeX comment. Braces (none in the archive's addresses) are percent-encoded
        # as in any URL, so that they cannot end the field.
        ("url", f"{{{url}}}"),
        ("language", f"{{{BIBLATEX_LANGUAGES.get(data.language, '')}}}"),
        ("note", f"{{{citation_note(data)}}}"),
    ]
    body = ",\n".join(f"  {name} = {value}" for name, value in fields if value.strip("{}"))
    return f"@misc{{{bibtex_key(data)},\n{body}\n}}\n"


def to_ris(data: CitationData) -> str:
    """An RIS record (EndNote, Zotero, Mendeley): a video recording (``VIDEO``) when the
    seminar has one, else a presentation (``SLIDE``, which Zotero reads as one). Lines end in
    CR LF, as the format asks; a value is one line."""

    def line(tag: str, value) -> str:
        return f"{tag}  - {' '.join(str(value).split())}\r\n"

    lines = [line("TY", "VIDEO" if data.has_video else "SLIDE")]
    lines += [
        line("AU", f"{family}, {' '.join(given)}" if given else family)
        for family, given in data.author_names()
    ]
    lines += [
        line("TI", data.title),
        line("PY", data.year),
        line("DA", f"{data.year:04d}/{data.month:02d}/{data.day:02d}/"),
    ]
    if data.series:
        lines.append(line("T3", data.series))
    if data.publisher:
        lines.append(line("PB", data.publisher))
    lines.append(line("UR", data.url))
    if data.language:
        lines.append(line("LA", data.language))
    lines += [line("N1", citation_note(data)), line("ID", bibtex_key(data)), "ER  - \r\n"]
    return "".join(lines)


def to_csl_json(data: CitationData) -> str:
    """CSL-JSON (Zotero, Pandoc, citeproc): a list of one item, a ``speech`` (a recorded one
    a ``motion_picture``, as Zotero exports a video recording)."""
    authors = [
        {"family": family, "given": " ".join(given)} if given else {"literal": family}
        for family, given in data.author_names()
    ]
    item = {
        "id": bibtex_key(data),
        "type": "motion_picture" if data.has_video else "speech",
        "title": data.title,
        "author": authors,
        "issued": {"date-parts": [[data.year, data.month, data.day]]},
        "URL": data.url,
        "genre": citation_note(data),
    }
    if data.series:
        item["collection-title"] = data.series
    if data.publisher:
        item["publisher"] = data.publisher
    if data.language:
        item["language"] = data.language
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"
