"""Reading old Swedish seminar announcements (saved page text or HTML) into draft seminars.

Old pages are loosely structured: labelled lines ("Medverkande: ...", "Lokal: ..."), headings on a
line of their own followed by their value ("Datum och tid" / "Onsdagen den 16 maj" /
"Kl. 08:00-09:30"), and facts inside prose ("Vårt frukostsamtal leds av ... som är ...").
:func:`parse_announcement` is pure (no database, no network: it never fetches a URL) and returns an
:class:`Announcement` with the fields it recognised, what it was ``unsure`` of (for the editor) and
the ``leftover`` text it could not place (kept in the body). :func:`create_draft` writes it as a
draft seminar.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import formats, timezone
from django.utils.translation import gettext as _

MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "mars": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "maj": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augusti": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = {
    "måndag": 0,
    "tisdag": 1,
    "onsdag": 2,
    "torsdag": 3,
    "fredag": 4,
    "lördag": 5,
    "söndag": 6,
}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE_RE = re.compile(
    rf"(?:(?P<weekday>{'|'.join(WEEKDAYS)})(?:en)?\s+)?(?:den\s+)?"
    rf"(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH_RE})\.?(?:\s+(?P<year>(?:19|20)\d\d))?\b",
    re.IGNORECASE,
)
TIME_RE = re.compile(
    r"(?:\bkl(?:ockan)?\.?\s*)?\b(?P<h1>[01]?\d|2[0-3])[.:](?P<m1>[0-5]\d)"
    r"(?:\s*(?:-|–|—|till)\s*(?P<h2>[01]?\d|2[0-3])[.:](?P<m2>[0-5]\d))?\b",
    re.IGNORECASE,
)
ISO_DATE_RE = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b")
# A person's name: two to four capitalised words (hyphens allowed: "Anna-Karin", "Lind-Berg").
NAME = r"[A-ZÅÄÖÉÜ][a-zåäöéüA-ZÅÄÖ'’]+(?:-[A-ZÅÄÖa-zåäö][a-zåäöéü]+)?"
NAME_RE = rf"{NAME}(?:\s+(?:af\s+|von\s+|de\s+)?{NAME}){{1,3}}"
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# An address written to fool spam robots: "julia(at)example.se", "julia [at] example [dot] se",
# "julia (snabel-a) example (punkt) se".
OBFUSCATED_EMAIL_RE = re.compile(
    r"(?P<user>[\w.+-]+)\s*[(\[{]\s*(?:at|snabel-a)\s*[)\]}]\s*"
    r"(?P<domain>[\w-]+(?:\s*(?:\.|[(\[{]\s*(?:dot|punkt)\s*[)\]}])\s*[\w-]+)*)",
    re.IGNORECASE,
)
_OBFUSCATED_DOT = re.compile(r"\s*(?:\.|[(\[{]\s*(?:dot|punkt)\s*[)\]}])\s*", re.IGNORECASE)
PHONE_RE = re.compile(r"(?:tel(?:efon)?\.?:?\s*)?(?P<phone>\+?\d[\d \-]{5,}\d)", re.IGNORECASE)
CODE_TITLE_RE = re.compile(r"^(?P<code>[A-ZÅÄÖ]{1,2}\d{1,3})[.:]\s+(?P<title>\S.*)$")
MODERATOR_RES = [
    re.compile(
        rf"\b(?:leds|modereras)\s+av\s+(?P<name>{NAME_RE})"
        r"(?:\s*,\s*|\s+som\s+är\s+|\s+som\s+)?(?P<title>[^.!?]*)"
    ),
    re.compile(
        rf"\b[Mm]oderator\s+(?:är|blir)\s+(?P<name>{NAME_RE})(?:\s*,\s*)?(?P<title>[^.!?]*)"
    ),
]
DEADLINE_RE = re.compile(
    rf"senast\s+(?:den\s+)?(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH_RE})\b"
    r"(?:\s+(?P<year>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
#: English month names, for deadlines written in English ("Register by 10 March").
EN_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "october": 10,
    "oct": 10,
}
DEADLINE_MONTHS = {**MONTHS, **EN_MONTHS}
_ANY_MONTH_RE = "|".join(sorted(DEADLINE_MONTHS, key=len, reverse=True))
_ANY_WEEKDAY_RE = (
    rf"(?:{'|'.join(WEEKDAYS)})(?:en)?|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
)
#: The date of a registration deadline: "10 mars 2027", "fredagen den 10:e mars",
#: "10 March 2027", "March 10, 2027" (or ISO, through ISO_DATE_RE).
DEADLINE_DATE_RES = (
    re.compile(
        rf"(?:(?:{_ANY_WEEKDAY_RE}),?\s+)?(?:den\s+|the\s+)?(?P<day>\d{{1,2}})"
        rf"(?::[ea]|st|nd|rd|th)?\.?\s+(?:of\s+)?(?P<month>{_ANY_MONTH_RE})\.?"
        r"(?:,?\s+(?P<year>(?:19|20)\d\d))?\b",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?:(?:{_ANY_WEEKDAY_RE}),?\s+)?(?P<month>{_ANY_MONTH_RE})\.?\s+(?P<day>\d{{1,2}})"
        r"(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?",
        re.IGNORECASE,
    ),
)
#: A line that gives the registration deadline: "Sista anmälningsdag: 10 mars", "Sista dag för
#: anmälan är 10 mars", "Anmäl dig senast 10 mars", "Anmälan senast: 10 mars", "Registration
#: deadline: 10 March", "Register by 10 March". ``value`` is what follows the label.
DEADLINE_LINE_RE = re.compile(
    r"^(?:sista\s+(?:anmälningsdag(?:en)?|anmälningsdatum(?:et)?|dag(?:en)?\s+(?:för|att)\s+"
    r"(?:anmälan|anmäla\s+(?:dig|sig|er)|anmäla))"
    r"|(?:anmälan|anmäl\s+(?:dig|er)|anmälningar)(?:\s+[^\s:]+){0,4}?\s+senast"
    r"|registration\s+deadline|deadline\s+for\s+registration|last\s+day\s+to\s+register"
    r"|register\s+(?:by|before|no\s+later\s+than)|registration\s+closes(?:\s+on)?)"
    r"(?:\s*(?::|–|—|-|\bär\b|\bis\b))?\s*(?P<value>.*)$",
    re.IGNORECASE,
)
#: The same phrases inside a sentence of prose ("Sista anmälningsdag är 10 mars.").
DEADLINE_IN_PROSE_RE = re.compile(
    r"\bsista\s+(?:anmälningsdag(?:en)?|dag(?:en)?\s+för\s+anmälan)(?:\s*:|\s+är)?\s+"
    r"(?P<value>[^.!?]*\d[^.!?]*)",
    re.IGNORECASE,
)
URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"'”»]+", re.IGNORECASE)
#: What is left of an "Anmälan:" line once its link is taken: words that only point at the link
#: ("Anmäl dig här:", "via formuläret") are no note.
REGISTRATION_FILLER_RE = re.compile(
    r"^(?:[\s:;,.!–—-]|\b(?:anmäl(?:an|ningen)?|dig|er|här|nedan|via|på|genom|i|till|sker|görs"
    r"|länk(?:en)?|(?:webb|anmälnings)?formulär(?:et)?|register|registration|sign|up|here|at|"
    r"online|the|form|link|through)\b)*$",
    re.IGNORECASE,
)
#: A room given inside a place line: "Stadshuset, Umeå. Lokal: Sal B", "…, Umeå, Rum: 203",
#: "Stadshuset, Umeå. Sal B".
ROOM_LABEL_IN_PLACE_RE = re.compile(
    r"(?:^|[.,;]|\s[–—-])\s*(?:lokal|rum|sal)\s*:\s*(?P<room>\S.*)$", re.IGNORECASE
)
ROOM_SENTENCE_IN_PLACE_RE = re.compile(
    r"\.\s+(?P<room>(?:sal|salong|rum|hörsal|aula|konferensrum|lokal)\s+\S.*)$",
    re.IGNORECASE,
)
#: The last part of a place that is a town: "Umeå", "Upplands Väsby", "903 26 Umeå".
CITY_RE = re.compile(
    r"^(?:(?P<postcode>\d{3}\s?\d{2})\s+)?"
    r"(?P<city>[A-ZÅÄÖ][a-zåäöéü]+(?:[ -][A-ZÅÄÖ][a-zåäöéü]+)?)$"
)
CONTACT_RE = re.compile(rf"\bKontakta\s+(?P<name>{NAME_RE})")
ROOM_WORDS = re.compile(
    r"\b(?:sal|salong|rum|hörsal|aula|konferensrum|lokal|våning|plan)\b", re.IGNORECASE
)
STREET_RE = re.compile(
    r"\w+(?:gatan|vägen|torget|gränd|gränden|backen|allén|plan|leden|stigen|väg|gata)\s+\d",
    re.IGNORECASE,
)
#: Lines of web-page furniture (feedback widgets, share buttons) that are never content.
CHROME = {
    "hjälpte informationen på sidan dig?",
    "tipsa:",
    "user information",
    "tack för att du hjälper oss!",
    "dela:",
    "dela sidan:",
    "skriv ut",
    "till toppen",
}
#: Headings that stand alone on a line; their value is the next block.
HEADINGS = {
    "datum och tid": "when",
    "tid och plats": "when",
    "tid": "when",
    "datum": "when",
    "när": "when",
    "plats": "where",
    "lokal": "room",
    "var": "where",
    "anmälan": "registration",
    "anmäl dig": "registration",
    "registration": "registration",
    "sista anmälningsdag": "deadline",
    "sista dag för anmälan": "deadline",
    "registration deadline": "deadline",
    "har du frågor?": "contact",
    "frågor?": "contact",
    "kontakt": "contact",
    "kontaktperson": "contact",
    "medverkande": "speakers",
    "talare": "speakers",
    "föreläsare": "speakers",
    "medverkar": "speakers",
    "moderator": "moderator",
    "samtalsledare": "moderator",
    "presentation": "slides",
    "presentationer": "slides",
    "bilder": "slides",
    "video": "video",
    "film": "video",
    "inspelning": "video",
}
#: Labels that start a line ("Lokal: Salong 1, Folkan").
LABEL_RE = re.compile(
    r"^(?P<label>datum och tid|tid och plats|tid|datum|plats|lokal|rum|anmälan|registration|"
    r"kontakt(?:person)?|"
    r"medverkande|talare|föreläsare|moderator|samtalsledare|presentation(?:er)?|video|film|"
    r"inspelning|publicerad|publicerat)\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
FORMAT_HINTS = (
    (re.compile(r"frukost|morgonsamtal|morgonmöte", re.IGNORECASE), "breakfast_meeting"),
    (re.compile(r"webbinar", re.IGNORECASE), "webinar"),
    (re.compile(r"föreläsning", re.IGNORECASE), "lecture"),
    (re.compile(r"panel(?:samtal|debatt)", re.IGNORECASE), "panel"),
)
_HTML_RE = re.compile(r"<(?:html|body|p|div|h[1-6]|br|article|section|span|a)\b", re.IGNORECASE)


class AnnouncementError(ValueError):
    """The text cannot become a seminar; the message says what to add. ``field`` is the input
    to correct: "text" or "year"."""

    def __init__(self, message: str, field: str = "text"):
        super().__init__(message)
        self.field = field


@dataclass
class SpeakerInfo:
    name: str
    title: str = ""
    role: str = "speaker"


@dataclass
class Announcement:
    title: str = ""
    code: str = ""
    format: str = ""
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    time_known: bool = False
    venue: str = ""
    venue_address: str = ""
    venue_city: str = ""
    room: str = ""
    speakers: list[SpeakerInfo] = field(default_factory=list)
    registration_deadline: dt.datetime | None = None
    registration_url: str = ""
    registration_note: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    lead: str = ""
    body: list[str] = field(default_factory=list)
    published: dt.date | None = None
    unsure: list[str] = field(default_factory=list)
    leftover: str = ""
    series: str = ""  # the archive's series named at the start of the title (recognise_series)
    series_checked: bool = field(default=False, repr=False)
    series_pk: int | None = field(default=None, repr=False)

    def recognised(self) -> dict:
        """The fields found, as plain values (for the command's report)."""
        keys = (
            "title",
            "series",
            "code",
            "format",
            "start",
            "end",
            "venue",
            "venue_address",
            "venue_city",
            "room",
            "registration_deadline",
            "registration_url",
            "registration_note",
            "contact_name",
            "contact_email",
            "contact_phone",
            "published",
        )
        found = {k: getattr(self, k) for k in keys if getattr(self, k)}
        if self.speakers:
            found["speakers"] = [
                f"{s.name} ({s.role})" + (f", {s.title}" if s.title else "") for s in self.speakers
            ]
        return found


# --------------------------------------------------------------------------- text


def html_to_text(markup: str) -> tuple[str, list[str]]:
    """Readable text (one block per paragraph/heading/list item) and the page's absolute links
    whose text mentions registration ("Anmäl")."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "svg", "iframe", "head"]):
        tag.decompose()
    links = [
        a["href"]
        for a in soup.find_all("a", href=True)
        if re.search(r"anmäl", a.get_text(), re.IGNORECASE)
        and a["href"].startswith(("http://", "https://"))
    ]
    for br in soup.find_all("br"):
        br.replace_with("\n")
    # Paragraph-like elements become blocks; list items and table rows lines of their block
    # (so a heading's value may be a whole list).
    blocks = (
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "table",
        "ul",
        "ol",
        "dl",
    )
    for tag in soup.find_all(("li", "dt", "dd", "tr")):
        tag.insert_after("\n")
    for tag in soup.find_all(blocks):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    return soup.get_text(), links


def _clean_lines(text: str) -> list[str]:
    text = text.replace("\xa0", " ").replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if line.casefold() in CHROME:
            continue
        lines.append(_undouble(line))
    return lines


def _undouble(line: str) -> str:
    """Scraped pages sometimes repeat an element's text twice in a row: "AbcAbc" -> "Abc"."""
    half = len(line) // 2
    if len(line) > 10 and len(line) % 2 == 0 and line[:half] == line[half:]:
        return line[:half]
    return line


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks, current = [], []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _heading(line: str) -> str | None:
    return HEADINGS.get(line.strip().rstrip(":").strip().casefold())


def _is_name(text: str) -> bool:
    return bool(re.fullmatch(NAME_RE, text.strip()))


# --------------------------------------------------------------------------- parsing


@dataclass
class _DateParts:
    day: int
    month: int
    year: int | None
    weekday: str | None
    text: str
    clock: tuple[int, int] | None = None  # a deadline's time of day, when given


def _split_room(text: str) -> tuple[str, str]:
    """A place line and the room given at its end: "Stadshuset, Umeå. Lokal: Sal B" ->
    ("Stadshuset, Umeå", "Sal B"); ("…", "") when it names none that way."""
    m = ROOM_LABEL_IN_PLACE_RE.search(text) or ROOM_SENTENCE_IN_PLACE_RE.search(text)
    if not m:
        return text, ""
    return text[: m.start()].strip(" ,;.–—-"), m["room"].strip(" ,;.")


def _deadline_parts(value: str) -> tuple[_DateParts | None, str]:
    """The date (and time of day, if any) that ``value`` gives as a registration deadline, and
    the rest of ``value`` (for the registration note); (None, value) when it gives no date."""
    for pattern in DEADLINE_DATE_RES:
        if m := pattern.search(value):
            day, month = int(m["day"]), DEADLINE_MONTHS[m["month"].lower()]
            year = int(m["year"]) if m["year"] else None
            break
    else:
        if not (m := ISO_DATE_RE.search(value)):
            return None, value
        day, month, year = int(m["day"]), int(m["month"]), int(m["year"])
    parts = _DateParts(day, month, year, None, m.group(0).strip())
    after = value[m.end() :]
    if clock := TIME_RE.match(after.lstrip(" ,")):
        parts.clock = (int(clock["h1"]), int(clock["m1"]))
        after = after.lstrip(" ,")[clock.end() :]
    rest = f"{value[: m.start()]} {after}".lstrip(" ,;:.–—-").rstrip(" ,;:–—-")
    return parts, rest


class _Parser:
    def __init__(self, year: int | None):
        self.year = year
        self.a = Announcement()
        self.date: _DateParts | None = None
        self.times: tuple[tuple[int, int], tuple[int, int] | None] | None = None
        self.times_text = ""  # the time range as written, for the "check" list
        self.deadline: _DateParts | None = None
        self.leftover: list[str] = []
        self.prose: list[str] = []
        self.bylines: list[str] = []
        self.mentions_video = False
        self.slides: list[str] = []

    # ---- fields

    def add_speaker(self, name: str, title: str = "", role: str = "speaker") -> None:
        name = " ".join(name.split())
        title = " ".join(title.split()).strip(" ,.")
        for existing in self.a.speakers:
            if existing.name.casefold() == name.casefold():
                existing.title = existing.title or title
                if role == "moderator":
                    existing.role = role
                return
        self.a.speakers.append(SpeakerInfo(name, title, role))

    def speaker_line(self, text: str, role: str) -> None:
        for part in re.split(r"\s*;\s*", text):
            if not part:
                continue
            name, _sep, title = part.partition(",")
            if _is_name(name):
                self.add_speaker(name, title, role)
            else:
                self.a.unsure.append(
                    _(
                        "Could not tell the name from the title in “%(text)s”: "
                        "add the speaker by hand."
                    )
                    % {"text": part}
                )
                self.leftover.append(part)

    def when_line(self, text: str) -> bool:
        used = False
        if self.date is None and (m := DATE_RE.search(text)):
            self.date = _DateParts(
                int(m["day"]),
                MONTHS[m["month"].lower()],
                int(m["year"]) if m["year"] else None,
                (m["weekday"] or "").lower() or None,
                m.group(0),
            )
            used = True
            text = text[: m.start()] + text[m.end() :]
        if self.times is None and (m := TIME_RE.search(text)):
            start = (int(m["h1"]), int(m["m1"]))
            end = (int(m["h2"]), int(m["m2"])) if m["h2"] else None
            self.times = (start, end)
            self.times_text = m.group(0).strip()
            used = True
        return used

    def take_room(self, room: str, line: str) -> bool:
        """The room, unless another one was read already: then the line goes on the check
        list and to the editors' notes (False)."""
        if not self.a.room:
            self.a.room = room
        elif room.casefold() != self.a.room.casefold():
            self.a.unsure.append(
                _("Did not know where “%(text)s” belongs in the place “%(place)s”.")
                % {"text": room, "place": line}
            )
            self.leftover.append(line)
            return False
        return True

    def place_line(self, text: str, room_first: bool) -> None:
        place, room = _split_room(text)
        if room and not self.take_room(room, text):
            return
        known = {
            self.a.venue.casefold(),
            self.a.room.casefold(),
            self.a.venue_address.casefold(),
            self.a.venue_city.casefold(),
        }
        parts = [p.strip() for p in place.split(",") if p.strip().casefold() not in known]
        unplaced = []
        for part in parts:
            if STREET_RE.search(part) and not self.a.venue_address:
                self.a.venue_address = part
            elif ROOM_WORDS.search(part) and not self.a.room:
                self.a.room = part
            else:
                unplaced.append(part)
        if room_first and unplaced and not self.a.room and len(unplaced) > 1:
            self.a.room = unplaced.pop(0)
        if unplaced and not self.a.venue:
            self.a.venue = unplaced.pop(0)
        if unplaced and not self.a.venue_city and (city := CITY_RE.match(unplaced[-1])):
            # The last part after the venue is the town ("Stadshuset, Storgatan 1, Umeå"); a
            # postcode before it stays with the street address.
            unplaced.pop()
            self.a.venue_city = city["city"]
            if city["postcode"] and self.a.venue_address:
                self.a.venue_address = f"{self.a.venue_address}, {city['postcode']}"
            elif not self.a.venue_address and not city["postcode"]:
                self.a.unsure.append(
                    _("“%(city)s” in the place “%(place)s” was taken as the city: check it.")
                    % {"city": city["city"], "place": text}
                )
        if unplaced:
            if self.a.venue_address or not re.search(r"\d", unplaced[0]):
                self.a.unsure.append(
                    _("Did not know where “%(text)s” belongs in the place “%(place)s”.")
                    % {"text": ", ".join(unplaced), "place": text}
                )
                self.leftover.append(text)
            else:
                self.a.venue_address = ", ".join(unplaced)

    def room_line(self, text: str) -> None:
        """ "Rum: 203": the room, whatever it is called."""
        room = text.strip(" .")
        if room:
            self.take_room(room, text)

    def registration_line(self, text: str) -> None:
        text = self.take_registration_url(text)
        if self.deadline is None and (m := DEADLINE_RE.search(text)):
            self.deadline = _DateParts(
                int(m["day"]),
                MONTHS[m["month"].lower()],
                int(m["year"]) if m["year"] else None,
                None,
                m.group(0),
            )
            self.add_registration_note(text[m.end() :].lstrip(" ,;:.–—-"))
            return
        if self.deadline_line(text):
            return
        self.add_registration_note(text)

    def add_registration_note(self, text: str) -> None:
        """``text`` in the registration note, unless it only points at the link."""
        text = text.strip()
        if not text or REGISTRATION_FILLER_RE.match(text):
            return
        note = f"{self.a.registration_note} {text}".strip()
        self.a.registration_note = note[:500]

    def take_registration_url(self, text: str) -> str:
        """The registration link in ``text`` becomes the registration URL (the page's sign-up
        button); returns ``text`` without it. A link that cannot be used stays in the text,
        and the editor is told."""
        m = URL_RE.search(text)
        if not m:
            return text
        written = m.group(0).rstrip(".,;:!?)")
        url = written if written.lower().startswith("http") else f"https://{written}"
        try:
            if len(url) > 200:
                raise ValidationError("too long")
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            self.a.unsure.append(
                _(
                    "The registration link “%(url)s” cannot be used (it must be a web address "
                    "starting with http:// or https://, at most 200 characters): fill it in by "
                    "hand. It was kept in the registration note."
                )
                % {"url": written}
            )
            return text
        before = text[: m.start()].strip()
        after = text[m.start() + len(written) :].lstrip(" .,;:!?)")
        rest = after if REGISTRATION_FILLER_RE.match(before) else f"{before} {after}"
        if not self.a.registration_url:
            self.a.registration_url = url
            if url != written:
                self.a.unsure.append(
                    _("The registration link “%(written)s” was read as %(url)s: check it.")
                    % {"written": written, "url": url}
                )
        elif url != self.a.registration_url:
            self.a.unsure.append(
                _(
                    "A second registration link, “%(url)s”, was kept in the registration "
                    "note: check which one is right."
                )
                % {"url": written}
            )
            return text
        return " ".join(rest.split())

    def deadline_line(self, line: str) -> bool:
        """Whether ``line`` gives the registration deadline ("Sista anmälningsdag: 10 mars",
        "Anmäl dig senast 10 mars", "Register by 10 March"); it is then used up: the deadline is
        read, a link and any further text go to the registration, and a date that cannot be read
        is listed for the editor (never left for the lead paragraph)."""
        m = DEADLINE_LINE_RE.match(line.strip())
        if not m:
            return False
        self.deadline_value(m["value"], line)
        return True

    def deadline_value(self, value: str, line: str) -> None:
        """The deadline that ``value``, the part of ``line`` after its label, gives."""
        without_url = self.take_registration_url(value)
        line = line.replace(value, without_url) if value else line
        parts, rest = _deadline_parts(without_url)
        if parts is None:
            self.a.unsure.append(
                _(
                    "The registration deadline in “%(text)s” could not be read: fill it in. "
                    "The line was kept in the registration note."
                )
                % {"text": line.strip()}
            )
            self.add_registration_note(line)
            return
        if self.deadline is None:
            self.deadline = parts
        elif (parts.day, parts.month, parts.year) != (
            self.deadline.day,
            self.deadline.month,
            self.deadline.year,
        ):
            self.a.unsure.append(
                _(
                    "The text gives two registration deadlines: “%(first)s” was kept and "
                    "“%(second)s” left out. Check it."
                )
                % {"first": self.deadline.text, "second": parts.text}
            )
        self.add_registration_note(rest)

    def contact_line(self, text: str) -> bool:
        used = False
        if not self.a.contact_email and (m := EMAIL_RE.search(text)):
            self.a.contact_email = m.group(0).rstrip(".")
            used = True
        elif not self.a.contact_email and (m := OBFUSCATED_EMAIL_RE.search(text)):
            written = m.group(0)
            address = f"{m['user']}@{_OBFUSCATED_DOT.sub('.', m['domain'])}"
            if EMAIL_RE.fullmatch(address):
                self.a.contact_email = address
                self.a.unsure.append(
                    _("The e-mail address “%(written)s” was read as %(address)s: check it.")
                    % {"written": written, "address": address}
                )
            else:
                self.a.unsure.append(
                    _(
                        "An e-mail address written as “%(written)s” could not be read: add the "
                        "contact's address by hand."
                    )
                    % {"written": written}
                )
            used = True
        if not self.a.contact_name:
            m = CONTACT_RE.search(text)
            name = m["name"] if m else text.split(",")[0].strip()
            if m or _is_name(name):
                self.a.contact_name = name
                used = True
        if not self.a.contact_phone and (m := PHONE_RE.search(EMAIL_RE.sub("", text))):
            self.a.contact_phone = m["phone"].strip()
            used = True
        return used

    def section(self, kind: str, lines: list[str]) -> None:
        """The value block that follows a heading."""
        for line in lines:
            if kind == "deadline":
                self.deadline_value(line, line)
            elif kind not in ("registration", "slides", "video") and self.deadline_line(line):
                continue
            elif kind == "when":
                if not self.when_line(line):
                    self.leftover.append(line)
            elif kind in ("where", "room"):
                self.place_line(line, room_first=kind == "room")
            elif kind == "registration":
                self.registration_line(line)
            elif kind == "contact":
                if not self.contact_line(line):
                    self.prose.append(line)
            elif kind in ("speakers", "moderator"):
                self.speaker_line(line, "moderator" if kind == "moderator" else "speaker")
            elif kind == "slides" and line not in self.slides:
                self.slides.append(line)
            elif kind == "video":
                self.mentions_video = True

    def label(self, label: str, value: str) -> None:
        kind = {
            "publicerad": "published",
            "publicerat": "published",
            "kontaktperson": "contact",
        }.get(label) or _heading(label)
        if kind == "published":
            self.a.published = _published_date(value)
            if self.a.published is None:
                self.leftover.append(f"{label}: {value}")
        elif kind == "video":
            self.mentions_video = True
        elif label == "rum":
            self.room_line(value)
        elif kind:
            self.section(kind, [value] if value else [])

    def prose_block(self, lines: list[str]) -> None:
        paragraph = " ".join(lines)
        for pattern in MODERATOR_RES:
            if m := pattern.search(paragraph):
                title = m["title"].strip()
                if " och " in title:
                    short = title.split(" och ")[0]
                    self.a.unsure.append(
                        _(
                            "Moderator %(name)s's title shortened to “%(short)s” "
                            "from “%(full)s”: check it."
                        )
                        % {"name": m["name"], "short": short, "full": title}
                    )
                    title = short
                self.add_speaker(m["name"], title, "moderator")
                break
        if (
            re.search(r"\banmäl", paragraph, re.IGNORECASE)
            and self.deadline is None
            and (m := DEADLINE_RE.search(paragraph))
        ):
            self.registration_line(m.group(0))
        if self.deadline is None and (m := DEADLINE_IN_PROSE_RE.search(paragraph)):
            parts, _rest = _deadline_parts(m["value"])
            self.deadline = parts
        if "kontakta" in paragraph.casefold():
            self.contact_line(paragraph)
        self.prose.append(paragraph)

    # ---- whole text

    def run(self, text: str) -> Announcement:
        pending: str | None = None
        after_date = False  # the block before gave the date, and no clock time
        for block in _blocks(_clean_lines(text)):
            # "Onsdagen den 16 maj" and "Kl. 08:00-09:30" in paragraphs of their own (<p> each,
            # as old pages have it): the clock time belongs to the date before it, and the rest
            # of its paragraph to the date and time too (editor review 5).
            if after_date and not pending and TIME_RE.match(block[0]):
                self.section("when", block)
                after_date = False
                continue
            had_date = self.date is not None
            pending = self.block(block, pending)
            after_date = not had_date and self.date is not None and self.times is None
        self.finish()
        return self.a

    def block(self, block: list[str], pending: str | None) -> str | None:
        """Reads one paragraph; returns the kind of the heading it is, whose value the next
        paragraph gives (else None)."""
        if len(block) == 1 and (kind := _heading(block[0])):
            if pending == "video" or kind == "video":
                self.mentions_video = True
            return kind
        if pending:
            self.section(pending, block)
            return None
        rest = []
        for line in block:
            if m := LABEL_RE.match(line):
                self.label(m["label"].lower(), m["value"].strip())
            elif line[:1].isupper() and self.deadline_line(line):
                continue
            elif not self.a.title and not rest:
                self.title_line(line)
            else:
                rest.append(line)
        if rest:
            if len(rest) == 1 and _is_name(rest[0]):
                self.bylines.append(rest[0])
            elif not self.a.title:
                self.title_line(rest[0])
                if rest[1:]:
                    self.prose_block(rest[1:])
            else:
                self.prose_block(rest)
        return None

    def title_line(self, line: str) -> None:
        if m := CODE_TITLE_RE.match(line):
            self.a.code, self.a.title = m["code"], m["title"].strip()
        else:
            self.a.title = line.strip()

    def finish(self) -> None:
        a = self.a
        if not a.title:
            a.unsure.append(_("No title found: add one."))
        known = {s.name.casefold() for s in a.speakers}
        for name in self.bylines:
            if name.casefold() not in known and name.casefold() != a.contact_name.casefold():
                self.add_speaker(name)
                a.unsure.append(
                    _("“%(name)s” stands alone on a line: added as a speaker; check the role.")
                    % {"name": name}
                )
        if self.prose:
            a.lead, a.body = self.prose[0], self.prose[1:]
        for slide in self.slides:
            label = re.sub(r"\s*\(PDF[^)]*\)\s*$", "", slide)
            a.unsure.append(
                _("The page links to the presentation “%(label)s”: upload the PDF under Slides.")
                % {"label": label}
            )
        if self.mentions_video:
            a.unsure.append(_("The page mentions a video: add it under Recording."))
        for pattern, fmt in FORMAT_HINTS:
            if pattern.search(a.title) or pattern.search(a.lead):
                a.format = fmt
                break
        else:
            if a.code:
                a.format = "conference_session"
        self.resolve_dates()
        a.leftover = "\n".join(self.leftover)
        if a.leftover:
            a.unsure.append(
                _("Not recognised (kept in the body): %(text)s")
                % {"text": " / ".join(self.leftover)}
            )

    def resolve_end(self, day: dt.date, start: tuple[int, int], end: tuple[int, int], tz):
        """The end of a seminar on ``day`` from ``start`` to ``end`` (hour, minute). A range that
        crosses midnight ("23.00-01.00") ends the next day; an end earlier in the same hour
        ("14.45-14.00", a typo) is dropped. Either way the editor is asked to check it: a draft
        must never end before it starts."""
        if end >= start:
            return dt.datetime.combine(day, dt.time(*end), tzinfo=tz)
        if end[0] < start[0]:
            next_day = day + dt.timedelta(days=1)
            self.a.unsure.append(
                _(
                    "The time “%(time)s” ends before it starts, so the seminar was taken to "
                    "end the next day, %(end)s: check it."
                )
                % {
                    "time": self.times_text,
                    "end": f"{formats.date_format(next_day, 'j F')} {end[0]:02d}:{end[1]:02d}",
                }
            )
            return dt.datetime.combine(next_day, dt.time(*end), tzinfo=tz)
        self.a.unsure.append(
            _("The time “%(time)s” ends before it starts: the end time was left out. Fill it in.")
            % {"time": self.times_text}
        )
        return None

    def resolve_dates(self) -> None:
        a = self.a
        if self.date is None:
            a.unsure.append(_("No date found: fill in when the seminar starts."))
            return
        year = self.date.year or self.year or (a.published.year if a.published else None)
        if year is None:
            raise AnnouncementError(
                _(
                    "The text gives the date “%(date)s” without a year and has no “Publicerad” "
                    "date to take it from. Give the year (--year YYYY, or the Year field)."
                )
                % {"date": self.date.text},
                field="year",
            )
        if not self.date.year and not self.year:
            a.unsure.append(
                _("The year %(year)s was taken from the “Publicerad” date: check it.")
                % {"year": year}
            )
        try:
            day = dt.date(year, self.date.month, self.date.day)
        except ValueError as exc:
            raise AnnouncementError(
                _("“%(date)s” is not a real date in %(year)s.")
                % {"date": self.date.text, "year": year}
            ) from exc
        if self.date.weekday and WEEKDAYS.get(self.date.weekday) != day.weekday():
            a.unsure.append(
                _("“%(date)s” is not a %(weekday)s in %(year)s: check the year.")
                % {"date": self.date.text, "weekday": self.date.weekday, "year": year}
            )
        tz = timezone.get_default_timezone()
        if self.times:
            (h1, m1), end = self.times
            a.start = dt.datetime.combine(day, dt.time(h1, m1), tzinfo=tz)
            if end:
                a.end = self.resolve_end(day, (h1, m1), end, tz)
            a.time_known = True
        else:
            a.start = dt.datetime.combine(day, dt.time(0, 0), tzinfo=tz)
            a.unsure.append(_("No clock time found: the seminar is kept as a date only."))
        if self.deadline:
            d = self.deadline
            dyear = d.year or (year if (d.month, d.day) <= (day.month, day.day) else year - 1)
            try:
                deadline = dt.datetime.combine(
                    dt.date(dyear, d.month, d.day), dt.time(*(d.clock or (23, 59))), tzinfo=tz
                )
            except ValueError:
                deadline = None
                a.unsure.append(
                    _("The registration deadline “%(date)s” is not a real date.") % {"date": d.text}
                )
            if deadline is not None:
                # Without a year, a day later in the calendar than the seminar's is taken to
                # be in the year before (November for a January seminar), but not months
                # before: "senast 30 maj" for a seminar on 16 May is a slip, not a year ahead.
                slip = not d.year and a.start - deadline > MAX_DEADLINE_LEAD
                if slip or deadline > a.start:
                    a.unsure.append(
                        _(
                            "The registration deadline “%(date)s” comes after the seminar: "
                            "check it. Registration is kept open until the start."
                        )
                        % {"date": d.text}
                    )
                    deadline = a.start
                a.registration_deadline = deadline


#: How long before a seminar a deadline given without a year may be. Later in the calendar than
#: the seminar's day it is taken to be in the year before (November for a January seminar), but
#: not when that would open registration months early: then it is a slip.
MAX_DEADLINE_LEAD = dt.timedelta(days=120)


def _published_date(value: str) -> dt.date | None:
    if m := ISO_DATE_RE.search(value):
        try:
            return dt.date(int(m["year"]), int(m["month"]), int(m["day"]))
        except ValueError:
            return None
    if (m := DATE_RE.search(value)) and m["year"]:
        try:
            return dt.date(int(m["year"]), MONTHS[m["month"].lower()], int(m["day"]))
        except ValueError:
            return None
    return None


def parse_announcement(text: str, year: int | None = None) -> Announcement:
    """Recognise what an old announcement page says; see the module docstring.

    ``text`` is the saved page text or its HTML. Dates without a year take ``year``, else the
    year of a "Publicerad" date in the text; with neither, :class:`AnnouncementError` asks for it.
    """
    links: list[str] = []
    if _HTML_RE.search(text):
        text, links = html_to_text(text)
    parser = _Parser(year)
    announcement = parser.run(text)
    if links and not announcement.registration_url:
        announcement.registration_url = links[0]
    return announcement


# --------------------------------------------------------------------------- writing


def _unique_slug(parent, base: str) -> str:
    from archive.models import SeminarPage
    from archive.validators import slug_route_conflict

    base = base[:240].strip("-") or "seminarium"
    taken = set(
        SeminarPage.objects.child_of(parent)
        .filter(slug__startswith=base)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken or slug_route_conflict(parent, slug):
        slug, n = f"{base}-{n}", n + 1
    return slug


SERIES_SEPARATOR_RE = re.compile(r"\s*(?::|\s[–—-])\s*")


def recognise_series(announcement: Announcement):
    """The archive's series that the title starts with ("Chefsfrukost: Leda med tillit" when
    the archive has a series "Chefsfrukost"), or None. The title then loses that prefix, as the
    archive titles its series' seminars ("Leda med tillit" in "Chefsfrukost"), and the editor is
    asked to check it (editor review 11). Done once per announcement: :func:`same_seminars`
    and :func:`create_draft` both call it, so a re-import is still found by its stripped title."""
    from archive.models import Series

    if announcement.series_checked:
        return Series.objects.filter(pk=announcement.series_pk).first()
    announcement.series_checked = True
    title = announcement.title
    for series in sorted(Series.objects.only("pk", "name"), key=lambda s: -len(s.name)):
        name = series.name.strip()
        if not name or title[: len(name)].casefold() != name.casefold():
            continue
        separator = SERIES_SEPARATOR_RE.match(title, len(name))
        rest = title[separator.end() :].strip() if separator else ""
        if not rest:
            continue
        announcement.title, announcement.series, announcement.series_pk = rest, name, series.pk
        announcement.unsure.append(
            _(
                "The title began with the series “%(series)s”: the draft is in that series and "
                "is titled “%(title)s”. Check it."
            )
            % {"series": series.name, "title": rest}
        )
        return series
    return None


def same_seminars(announcement: Announcement, parent, source_url: str = ""):
    """Seminars under ``parent`` that this announcement may already be: the same title on the
    same day, or imported from the same old page (drafts included)."""
    from django.db.models import Q

    from archive.models import SeminarPage

    recognise_series(announcement)
    same = Q(pk__in=[])
    if announcement.title and announcement.start:
        day = timezone.localtime(announcement.start).date()
        same |= Q(title__iexact=announcement.title[:255].strip(), start__date=day)
    if source_url:
        same |= Q(source_url=source_url[:1000])
    return SeminarPage.objects.child_of(parent).filter(same).order_by("pk")


def create_draft(announcement: Announcement, parent, *, user=None, source_url: str = ""):
    """A draft seminar under ``parent`` with what was recognised; what was unsure is listed in the
    page's notes for editors (never shown to visitors), so it travels with the page until an
    editor clears it. Raises :class:`AnnouncementError` when a title or a date is missing."""
    from django.utils.text import slugify

    from archive.importers.seminars import SnippetCache, body_blocks
    from archive.models import SeminarPage, SeminarSpeaker, Venue

    a = announcement
    if not a.title:
        raise AnnouncementError(
            _("No title found: the first line of the text should be the seminar's title.")
        )
    series = recognise_series(a)
    if a.start is None:
        raise AnnouncementError(
            _("No date found: add a line such as “Tid: 31 maj 2017 14.00-14.45” to the text.")
        )
    contact_name = a.contact_name[:255]
    if contact_name and not (a.contact_email or a.contact_phone):
        # A seminar names its contact only with a way to reach them (SeminarPage.clean): the
        # draft could not be saved with the name alone, so the name goes to the editor.
        a.unsure.append(
            _(
                "The text names “%(name)s” as the contact but gives no e-mail address or phone "
                "number, so the contact was left empty. Add the name with an address or a "
                "number (Registration tab) if visitors should contact them."
            )
            % {"name": contact_name}
        )
        contact_name = ""
    cache = SnippetCache()
    page = SeminarPage(
        title=a.title[:255],
        slug=_unique_slug(parent, slugify(a.title)),
        live=False,
        code=a.code[:20],
        start=a.start,
        end=a.end,
        time_known=a.time_known,
        room=a.room[:120],
        lead=a.lead,
        registration_url=a.registration_url[:200],
        registration_deadline=a.registration_deadline,
        registration_note=a.registration_note,
        contact_name=contact_name,
        contact_email=a.contact_email[:254],
        contact_phone=a.contact_phone[:40],
        source_url=source_url[:1000],
        series=series,
    )
    if a.format:
        page.format = a.format
    if a.venue:
        venue, created = cache.get_or_create(
            Venue, a.venue[:255], street_address=a.venue_address[:255], city=a.venue_city[:120]
        )
        filled = []
        if not created and a.venue_address and not venue.street_address:
            venue.street_address = a.venue_address[:255]
            filled.append("street_address")
        if not created and a.venue_city and not venue.city:
            venue.city = a.venue_city[:120]
            filled.append("city")
        if filled:
            venue.save(update_fields=filled)
        page.venue = venue
    from archive.models import Speaker

    page.seminar_speakers = [
        SeminarSpeaker(
            speaker=cache.get_or_create(Speaker, s.name[:255], title=s.title[:255])[0],
            role=s.role,
            title=s.title[:255],
        )
        for s in a.speakers
    ]
    # What the parser was unsure of goes to the editors' notes, which visitors never see: a
    # paragraph in the body would be published if an editor forgot to remove it.
    page.editor_notes = (
        "\n".join([_("Check after import:")] + [f"• {item}" for item in a.unsure])
        if a.unsure
        else ""
    )
    page.body = body_blocks("\n\n".join(a.body + ([a.leftover] if a.leftover else [])))
    parent.add_child(instance=page)
    page.save_revision(user=user, log_action=True, clean=False)
    return page
