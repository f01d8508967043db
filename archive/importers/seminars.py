"""Bulk import of seminars from JSON Lines or a JSON array (format: ``docs/import-format.md``).

Two steps, kept apart so that ``--dry-run`` and the tests share the checks:

- :func:`validate_record` is pure: it checks one decoded record (keys, types, dates, lengths,
  URLs, e-mail addresses, roles) and reads its attachments (PDFs are counted with
  :func:`archive.validators.pdf_page_count`, videos probed with PyAV, transcripts parsed with
  :mod:`archive.transcript_formats`) but writes nothing. It returns an :class:`ImportRecord` and
  the list of :class:`RecordProblem` found.
- :func:`write_record` creates or updates the seminar page for a valid record. The caller wraps it
  in ``transaction.atomic()``; files it stored are deleted again when it fails, so a bad record
  leaves nothing behind.
- :func:`check_update` is what a dry run of ``--update`` adds: it applies a record to the stored
  seminar in memory, by the code :func:`write_record` uses (``_merge``), and returns the problems
  the write would report (the record's values with the stored ones against the page's rules, an
  editor's draft or a review waiting on the seminar), creating and storing nothing.

An update never publishes more than the record: a live seminar is updated from its live
version, one that is not live stays a draft, and one with an editor's unpublished draft, in
moderation or with a scheduled revision is refused (unless the record changes nothing).

Missing and ``null`` keys mean "unknown": a new seminar leaves the field empty, ``--update``
leaves the existing value untouched.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator, validate_email, validate_slug
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.models import get_all_child_relations
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.signal_handlers import reference_index_auto_update_disabled
from wagtail.signals import page_published
from wagtail.utils.file import hash_filelike

from archive.models import (
    ArchiveDocument,
    SeminarIndexPage,
    SeminarPage,
    SeminarSlide,
    SeminarSpeaker,
    Series,
    Speaker,
    SpeakerRole,
    TalkLanguage,
    Transcript,
    Venue,
)
from archive.signals import note_changed
from archive.transcript_formats import (
    CONTROL_CHARACTERS,
    DURATION_TOLERANCE,
    MAX_SECONDS,
    MAX_TRANSCRIPT_BYTES,
    Cue,
    TranscriptFormatError,
    cues_without_control_characters,
    format_clock,
    parse_transcript,
    validate_cues,
)
from archive.validators import pdf_page_count, slug_route_conflict

ALLOWED_KEYS = (
    "id",
    "source_url",
    "title",
    "code",
    "event",
    "start",
    "end",
    "venue",
    "room",
    "language",
    "summary",
    "body",
    "speakers",
    "topics",
    "video_url",
    "video_file",
    "slides",
    "transcript",
    "registration",
    "contact",
)
SPEAKER_KEYS = ("name", "role", "title", "bio")
SEGMENT_KEYS = ("start", "end", "speaker", "text", "chapter")
REGISTRATION_KEYS = ("url", "deadline")
CONTACT_KEYS = ("name", "email", "phone")
TRANSCRIPT_EXTENSIONS = (".vtt", ".srt", ".txt")
#: taggit's Tag.name length.
TOPIC_MAX_LENGTH = 100

#: Where a page field's validation error points in the import file.
FIELD_TO_KEY = {
    "title": "title",
    "slug": "id",
    "code": "code",
    "start": "start",
    "end": "end",
    "room": "room",
    "language": "language",
    "lead": "summary",
    "body": "body",
    "video_url": "video_url",
    "video_file": "video_file",
    "source_url": "source_url",
    "registration_url": "registration.url",
    "registration_deadline": "registration.deadline",
    "contact_name": "contact.name",
    "contact_email": "contact.email",
    "contact_phone": "contact.phone",
}

_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_url_validator = URLValidator(schemes=["http", "https"])


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class RecordProblem:
    """One thing wrong with one record: where (line, key) and what to fix.

    (Named so, not ``ImportError``, to keep Python's built-in exception usable.)
    """

    line: int
    key: str
    message: str

    def __str__(self):
        where = f"line {self.line}" + (f", key “{self.key}”" if self.key else "")
        return f"{where}: {self.message}"


class RecordFailed(Exception):
    """Writing a record failed; ``problems`` says why (the line's transaction rolls back)."""

    def __init__(self, problems: list[RecordProblem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass
class SpeakerEntry:
    name: str
    role: str = SpeakerRole.SPEAKER
    title: str = ""
    bio: str = ""


@dataclass
class Attachment:
    path: Path  # resolved
    name: str  # as written in the file, for messages and source names


@dataclass
class ImportRecord:
    """A validated record. ``None`` (and a missing entry in ``fields``) means "not in the file"."""

    line: int
    slug: str = ""
    slug_key: str = "id"  # "title" when the slug was made from the title
    fields: dict[str, Any] = field(default_factory=dict)  # SeminarPage attribute -> value
    event: str | None = None
    venue: str | None = None
    speakers: list[SpeakerEntry] | None = None
    topics: list[str] | None = None
    slides: list[Attachment] | None = None
    video_file: Attachment | None = None
    video_duration: float | None = None
    transcript: list[Cue] | None = None
    transcript_source: str = ""


# --------------------------------------------------------------------------- reading files


class _NotJSONNumber(ValueError):
    pass


def _no_constant(name: str):
    raise _NotJSONNumber(f"{name} is not a number JSON allows; write the number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotJSONNumber(f"{text} is too large a number")
    return value


# Strict JSON: Python's own reader also takes NaN and Infinity (not JSON), and turns 1e400 into
# infinity; either would pass as a time and break the transcript's downloads later.
_DECODER = json.JSONDecoder(parse_constant=_no_constant, parse_float=_finite_float)


def _decode_problem(exc: ValueError) -> tuple[int | None, str]:
    """(column or None, message) of a failed decode: a syntax error, or a number refused."""
    if isinstance(exc, json.JSONDecodeError):
        return exc.colno, exc.msg
    return None, str(exc)  # ours, or Python's limit on very long integers


def iter_records(text: str) -> Iterator[tuple[int, Any, RecordProblem | None]]:
    """(line number, decoded object, problem) for each seminar of a JSON Lines file or a JSON
    array, one at a time: a large archive's seminars (and their transcripts) are never all
    decoded at once.

    Blank lines are skipped. In JSON Lines a line that is not valid JSON yields a problem for
    that line only; in an array every element is numbered by the line it starts on.
    """
    stripped = text.lstrip("\ufeff")
    if stripped.lstrip().startswith("["):
        yield from _read_array(stripped)
        return
    for number, raw in enumerate(_lines(stripped), start=1):
        if not raw.strip():
            continue
        try:
            obj = _DECODER.decode(raw)
        except ValueError as exc:
            column, message = _decode_problem(exc)
            where = f" at column {column}" if column else ""
            yield (
                number,
                None,
                RecordProblem(
                    number,
                    "",
                    f"invalid JSON{where}: {message}. Each line must be one complete JSON object.",
                ),
            )
            continue
        yield number, obj, None


def _lines(text: str) -> Iterator[str]:
    """The lines of a JSON Lines text one at a time (``str.splitlines`` would hold them all, and
    would also split at the U+2028 a JSON string may contain). A trailing ``\r`` stays on the
    line: JSON ignores it. A file with only ``\r`` line ends (old Mac) is split at those."""
    separator = "\n" if "\n" in text else "\r"
    start = 0
    while (end := text.find(separator, start)) >= 0:
        yield text[start:end]
        start = end + 1
    yield text[start:]


def _read_array(text: str) -> Iterator[tuple[int, Any, RecordProblem | None]]:
    decoder = _DECODER
    pos = text.index("[") + 1
    line, counted_to = 1, 0  # newlines are counted once, as reading goes forward

    def line_at(i):
        nonlocal line, counted_to
        line += text.count("\n", counted_to, i)
        counted_to = i
        return line

    def skip_ws(i):
        while i < len(text) and text[i] in " \t\r\n":
            i += 1
        return i

    def problem_at(i, msg):
        at = line_at(i)
        column = i - (text.rfind("\n", 0, i) + 1) + 1
        return (
            at,
            None,
            RecordProblem(
                at,
                "",
                (
                    f"invalid JSON at column {column}: {msg}. The file stops being read here; "
                    "fix it and run again."
                ),
            ),
        )

    pos = skip_ws(pos)
    if pos < len(text) and text[pos] == "]":
        return
    while pos < len(text):
        first_line = line_at(pos)
        try:
            obj, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            yield problem_at(exc.pos, exc.msg)
            return
        except ValueError as exc:  # a number refused: this seminar's element has no position
            yield problem_at(pos, _decode_problem(exc)[1])
            return
        yield first_line, obj, None
        pos = skip_ws(end)
        if pos < len(text) and text[pos] == ",":
            pos = skip_ws(pos + 1)
            continue
        if pos < len(text) and text[pos] == "]":
            if text[pos + 1 :].strip():
                yield problem_at(pos + 1, "extra data after the closing ]")
            return
        if pos < len(text):
            yield problem_at(pos, "expected , or ] between the seminars")
            return
    yield problem_at(len(text), "the array is not closed with ]")


# --------------------------------------------------------------------------- validation


# The years a seminar's dates may fall in: beyond them a date is a typo (20017), and at the
# ends of the calendar (9999-12-31T23:59-12:00) it cannot even be stored in UTC.
FIRST_YEAR, LAST_YEAR = 1900, 2200


def _exists_locally(moment: dt.datetime) -> bool:
    """False for a wall-clock time in the site's zone that the spring change to summer time
    skips (2017-03-26T02:30 in Stockholm); True for any time with its own UTC offset."""
    if moment.tzinfo is not timezone.get_default_timezone():
        return True  # an explicit offset (2017-03-26T02:30+01:00) names one instant
    round_trip = moment.astimezone(dt.UTC).astimezone(moment.tzinfo)
    return round_trip.replace(tzinfo=None) == moment.replace(tzinfo=None)


def parse_when(value: str, *, end_of_day: bool = False) -> tuple[dt.datetime, bool]:
    """An aware datetime and whether the clock time was given, for an ISO 8601 date or
    date-time. Naive values are Europe/Stockholm (the site's zone); a plain date is local
    midnight (or 23:59 with ``end_of_day``, used for registration deadlines)."""
    text = value.strip()
    tz = timezone.get_default_timezone()
    if _DATE_ONLY.fullmatch(text):
        day = dt.date.fromisoformat(text)
        clock = dt.time(23, 59) if end_of_day else dt.time(0, 0)
        return dt.datetime.combine(day, clock, tzinfo=tz), False
    moment = dt.datetime.fromisoformat(text.replace(" ", "T", 1))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment, True


def body_blocks(text: str) -> list[dict]:
    """StreamField data for plain text: one paragraph per blank-line-separated block."""
    blocks = []
    for para in re.split(r"\n\s*\n", text.strip()):
        lines = [html.escape(" ".join(line.split())) for line in para.splitlines() if line.strip()]
        if lines:
            blocks.append({"type": "paragraph", "value": "<p>" + "<br/>".join(lines) + "</p>"})
    return blocks


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def nfc(text: str) -> str:
    """``text`` in Unicode's composed form (NFC). Files from macOS and some web exports write
    "Å" as "A" plus a combining ring (NFD): it looks the same, but would make a second speaker
    of the same name and could not be found by the name as typed."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _nfc_cues(cues: list[Cue]) -> list[Cue]:
    """``cues`` with their texts, speakers and chapters in NFC (one test over all of them first:
    real transcripts are already composed)."""
    texts = "\n".join(f"{c.text or ''}{c.speaker or ''}{c.chapter or ''}" for c in cues)
    if unicodedata.is_normalized("NFC", texts):
        return cues
    return [
        replace(
            c, text=nfc(c.text or ""), speaker=nfc(c.speaker or ""), chapter=nfc(c.chapter or "")
        )
        for c in cues
    ]


class _Checker:
    """Collects problems for one record; each helper returns the cleaned value or None."""

    def __init__(self, line: int, base_dir: Path):
        self.line = line
        self.base_dir = base_dir
        self.problems: list[RecordProblem] = []

    def fail(self, key: str, message: str) -> None:
        self.problems.append(RecordProblem(self.line, key, message))

    def keys(self, obj: dict, allowed: tuple[str, ...], where: str) -> None:
        for key in obj:
            if key not in allowed:
                self.fail(
                    f"{where}{key}",
                    (
                        f"unknown key. Allowed keys{' in ' + where.rstrip('.') if where else ''}: "
                        f"{', '.join(allowed)}."
                    ),
                )

    def text(self, key, value, max_length=None, *, required=False, compose=True) -> str | None:
        """The text, stripped, without control characters and (unless ``compose`` is false: an
        address or a file name, which must stay as written) in NFC, see :func:`nfc`."""
        if value is None:
            if required:
                self.fail(key, "missing: expected a non-empty text.")
            return None
        if not isinstance(value, str):
            self.fail(key, f"expected a text (a JSON string), got {_json_type(value)}.")
            return None
        if _SURROGATE.search(value):  # cannot be stored (nor written as UTF-8)
            self.fail(
                key,
                "contains a broken character (a lone UTF-16 surrogate, such as \\ud800): "
                "fix the text's encoding.",
            )
            return None
        # Invisible control characters are dropped (PostgreSQL refuses NUL in text).
        value = CONTROL_CHARACTERS.sub("", value).strip()
        if compose:
            value = nfc(value)
        if required and not value:
            self.fail(key, "missing: expected a non-empty text.")
            return None
        if max_length and len(value) > max_length:
            self.fail(
                key,
                (
                    f"text too long for the field: {len(value)} characters, "
                    f"at most {max_length} allowed. Shorten it."
                ),
            )
            return None
        return value

    def url(self, key, value, max_length=200) -> str | None:
        value = self.text(key, value, max_length, compose=False)
        if value:
            try:
                _url_validator(value)
            except ValidationError:
                self.fail(key, f"bad URL “{value}”: expected a full http:// or https:// address.")
                return None
        return value

    def email(self, key, value) -> str | None:
        value = self.text(key, value, 254)
        if value:
            try:
                validate_email(value)
            except ValidationError:
                self.fail(key, f"bad e-mail address “{value}”: expected name@example.se.")
                return None
        return value

    def when(self, key, value, *, end_of_day=False):
        if value is None:
            return None
        if isinstance(value, str):
            try:
                moment, known = parse_when(value, end_of_day=end_of_day)
            except ValueError:
                pass
            else:
                if known and not _exists_locally(moment):
                    self.fail(
                        key,
                        f"{json.dumps(value, ensure_ascii=False)} does not exist in Swedish "
                        "time: the clocks jump an hour forward that night. Give the time after "
                        "the jump, or the UTC offset (+01:00 or +02:00).",
                    )
                    return None
                if FIRST_YEAR <= moment.year <= LAST_YEAR:
                    return moment, known
                self.fail(
                    key,
                    f"date {json.dumps(value, ensure_ascii=False)} is outside the years "
                    f"{FIRST_YEAR}–{LAST_YEAR}: check the year.",
                )
                return None
        self.fail(
            key,
            (
                f"bad date {json.dumps(value, ensure_ascii=False)}: expected an ISO 8601 date "
                "(2017-05-31) or date-time (2017-05-31T14:00 or 2017-05-31T14:00:00+02:00)."
            ),
        )
        return None

    def obj(self, key, value) -> dict | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.fail(key, f"expected an object ({{...}}), got {_json_type(value)}.")
            return None
        return value

    def items(self, key, value) -> list | None:
        if value is None:
            return None
        if not isinstance(value, list):
            self.fail(key, f"expected a list ([...]), got {_json_type(value)}.")
            return None
        return value

    def attachment(
        self, key, value, suffixes: tuple[str, ...] | None = None, max_size: int | None = None
    ) -> Attachment | None:
        """The file ``value`` names, relative to the import file; None (and a problem) when it
        is absolute, has another suffix, is missing or is larger than ``max_size`` bytes (the
        limit of an upload of its kind in the admin)."""
        name = self.text(key, value, compose=False)  # the file's name as it is on disk
        if not name:
            return None
        if Path(name).is_absolute():
            self.fail(
                key, (f"“{name}” is an absolute path: give a path relative to the import file.")
            )
            return None
        path = (self.base_dir / name).resolve()
        if suffixes and path.suffix.lower() not in suffixes:
            self.fail(key, f"“{name}”: expected a file ending in {' or '.join(suffixes)}.")
            return None
        if not path.is_file():
            self.fail(key, f"attachment not found: {path}")
            return None
        size = path.stat().st_size
        if max_size is not None and size > max_size:
            self.fail(
                key,
                (
                    f"“{name}” is {_file_size(size, max_size)}; the largest accepted is "
                    f"{_file_size(max_size, size)}, as for an upload in the admin."
                ),
            )
            return None
        return Attachment(path=path, name=name)


def _file_size(size: int, other: int) -> str:
    """``size`` in MB, or in bytes where MB would not tell it from ``other``."""
    megabytes = f"{size / (1024 * 1024):,.1f} MB"
    return megabytes if megabytes != f"{other / (1024 * 1024):,.1f} MB" else f"{size:,} bytes"


def _json_type(value) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), "a value")


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def validate_record(
    obj, line: int, base_dir: Path, *, for_update: bool = False
) -> tuple[ImportRecord, list[RecordProblem]]:
    """Check one decoded record and its attachments; writes nothing.

    ``for_update``: title and start may be left out (an update keeps what the file does not
    mention); :func:`write_record` still requires them when the seminar does not exist yet.
    """
    check = _Checker(line, Path(base_dir))
    record = ImportRecord(line=line)
    if not isinstance(obj, dict):
        check.fail("", f"expected a JSON object ({{...}}) for one seminar, got {_json_type(obj)}.")
        return record, check.problems
    check.keys(obj, ALLOWED_KEYS, "")
    f = record.fields

    title = check.text(
        "title", obj.get("title"), _max_length(SeminarPage, "title"), required=not for_update
    )
    if title:
        f["title"] = title
    _check_slug(check, record, obj.get("id"), title, for_update)

    for key, attr in (("code", "code"), ("room", "room"), ("summary", "lead")):
        value = check.text(key, obj.get(key), _max_length(SeminarPage, attr))
        if value is not None:
            f[attr] = value
    for key in ("event", "venue"):
        value = check.text(key, obj.get(key), 255)
        if value:
            setattr(record, key, value)
    for key, max_length in (("source_url", 1000), ("video_url", 200)):
        value = check.url(key, obj.get(key), max_length)
        if value is not None:
            f[key] = value
    body = check.text("body", obj.get("body"))
    if body is not None:
        f["body"] = body_blocks(body)
    language = obj.get("language")
    if language is not None:
        if language in TalkLanguage.values:
            f["language"] = language
        else:
            check.fail(
                "language",
                (
                    f"unknown language {json.dumps(language)}: expected one of "
                    f"{', '.join(TalkLanguage.values)}."
                ),
            )

    _check_dates(check, f, obj, for_update)
    _check_registration_and_contact(check, f, obj, for_update)
    _check_speakers(check, record, obj.get("speakers"))
    _check_topics(check, record, obj.get("topics"))
    _check_video(check, record, obj)
    _check_slides(check, record, obj.get("slides"))
    _check_transcript(check, record, obj.get("transcript"))
    return record, check.problems


def _check_slug(check: _Checker, record: ImportRecord, value, title, for_update) -> None:
    max_length = _max_length(SeminarPage, "slug")
    if value is not None:
        slug = check.text("id", value, max_length)
        if slug:
            try:
                validate_slug(slug)
            except ValidationError:
                check.fail(
                    "id",
                    (
                        f"“{slug}” is not a valid id: use only letters a-z, digits, hyphens and "
                        "underscores (it becomes the page's address)."
                    ),
                )
                return
            if slug != slug.lower():
                check.fail(
                    "id",
                    f"“{slug}” has capital letters: ids are lower case (“{slug.lower()}”), as "
                    "the page addresses they become.",
                )
                return
            record.slug = slug
    elif title:
        record.slug = slugify(title)[:max_length].strip("-")
        record.slug_key = "title"
        if not record.slug:
            check.fail("id", "the title gives no usable address: add an id (e.g. “a3-2017”).")
    elif for_update:
        check.fail("id", "missing: an update needs the id (or title) of the seminar to update.")


def _check_dates(check: _Checker, f: dict, obj: dict, for_update: bool) -> None:
    start = check.when("start", obj.get("start"))
    if start:
        f["start"], f["time_known"] = start
    elif obj.get("start") is None and not for_update:
        check.fail("start", "missing: expected the date (2017-05-31) or date-time of the seminar.")
    end = check.when("end", obj.get("end"))
    if end:
        f["end"] = end[0]
        if start and end[0] < start[0]:
            check.fail("end", "the seminar cannot end before it starts: check start and end.")


def _check_registration_and_contact(check: _Checker, f: dict, obj: dict, for_update: bool) -> None:
    reg = check.obj("registration", obj.get("registration"))
    if reg is not None:
        check.keys(reg, REGISTRATION_KEYS, "registration.")
        url = check.url("registration.url", reg.get("url"))
        if url is not None:
            f["registration_url"] = url
        deadline = check.when("registration.deadline", reg.get("deadline"), end_of_day=True)
        if deadline:
            f["registration_deadline"] = deadline[0]
            if f.get("start") and deadline[0] > f["start"]:
                check.fail(
                    "registration.deadline",
                    (
                        "the registration deadline is after the seminar starts: set it on or "
                        "before the start."
                    ),
                )
    contact = check.obj("contact", obj.get("contact"))
    if contact is not None:
        check.keys(contact, CONTACT_KEYS, "contact.")
        for key, attr, validate in (
            ("name", "contact_name", None),
            ("email", "contact_email", 1),
            ("phone", "contact_phone", None),
        ):
            if validate:
                value = check.email(f"contact.{key}", contact.get(key))
            else:
                value = check.text(
                    f"contact.{key}", contact.get(key), _max_length(SeminarPage, attr)
                )
            if value is not None:
                f[attr] = value
        # SeminarPage.clean() refuses it too; a new seminar is refused here already, so a dry
        # run says so (an update's stored address or number counts: _merge checks that).
        if (
            not for_update
            and f.get("contact_name")
            and not (contact.get("email") or contact.get("phone"))
        ):
            check.fail(
                "contact.name",
                "a contact name needs an e-mail address or a phone number (visitors are invited "
                "to ask the contact): add contact.email or contact.phone, or leave the name out.",
            )


def _check_speakers(check: _Checker, record: ImportRecord, value) -> None:
    items = check.items("speakers", value)
    if items is None:
        return
    roles = SpeakerRole.values
    entries = []
    for i, item in enumerate(items):
        key = f"speakers[{i}]"
        if not isinstance(item, dict):
            check.fail(key, f"expected an object ({{...}}), got {_json_type(item)}.")
            continue
        check.keys(item, SPEAKER_KEYS, f"{key}.")
        name = check.text(
            f"{key}.name", item.get("name"), _max_length(Speaker, "name"), required=True
        )
        role = item.get("role") or SpeakerRole.SPEAKER
        if role not in roles:
            check.fail(
                f"{key}.role",
                (
                    f"bad role {json.dumps(role, ensure_ascii=False)}: expected one of "
                    f"{', '.join(roles)}."
                ),
            )
        title = check.text(f"{key}.title", item.get("title"), _max_length(SeminarSpeaker, "title"))
        bio = check.text(f"{key}.bio", item.get("bio"))
        if name:
            entries.append(SpeakerEntry(" ".join(name.split()), role, title or "", bio or ""))
    record.speakers = entries


def _check_topics(check: _Checker, record: ImportRecord, value) -> None:
    items = check.items("topics", value)
    if items is None:
        return
    topics = []
    for i, item in enumerate(items):
        topic = check.text(f"topics[{i}]", item, TOPIC_MAX_LENGTH, required=True)
        if topic and "," in topic:
            # The admin's topic field separates topics with commas: it could never show or
            # keep this one.
            parts = ", ".join(f"“{p.strip()}”" for p in topic.split(",") if p.strip())
            check.fail(
                f"topics[{i}]",
                f"a topic cannot contain a comma: give {parts} as separate topics.",
            )
            continue
        if topic and topic.casefold() not in {t.casefold() for t in topics}:
            topics.append(topic)
    record.topics = topics


def _check_video(check: _Checker, record: ImportRecord, obj: dict) -> None:
    video = check.attachment(
        "video_file", obj.get("video_file"), max_size=settings.ARCHIVE_MEDIA_MAX_UPLOAD_SIZE
    )
    if video is None:
        return
    if record.fields.get("video_url"):
        check.fail(
            "video_file",
            ("give either video_file or video_url, not both: a seminar has one video."),
        )
        return
    try:
        record.video_duration = probe_video(video.path)
    except ValueError as exc:
        check.fail("video_file", f"“{video.name}” is not a video that can be read ({exc}).")
        return
    record.video_file = video


def probe_video(path: Path) -> float | None:
    """The length in seconds of a video file (None when the container does not say);
    ValueError when it is not a video (judged by its bytes, not its name)."""
    from archive.media_probe import probe_media

    return probe_media(path, "video")


def _check_slides(check: _Checker, record: ImportRecord, value) -> None:
    items = check.items("slides", value)
    if items is None:
        return
    slides = []
    for i, item in enumerate(items):
        key = f"slides[{i}]"
        if item is None:  # else it would vanish, and with --update take the slides with it
            check.fail(key, "expected the path of a PDF, got null. Remove it or name the file.")
            continue
        attachment = check.attachment(key, item, max_size=settings.WAGTAILDOCS_MAX_UPLOAD_SIZE)
        if attachment is None:
            continue
        try:
            with attachment.path.open("rb") as fh:
                pdf_page_count(fh)
        except ValidationError as exc:
            check.fail(key, f"“{attachment.name}” is not a usable PDF: {' '.join(exc.messages)}")
            continue
        slides.append(attachment)
    record.slides = slides


def _check_transcript(check: _Checker, record: ImportRecord, value) -> None:
    if value is None:
        return
    if isinstance(value, str):
        attachment = check.attachment(
            "transcript", value, TRANSCRIPT_EXTENSIONS, max_size=MAX_TRANSCRIPT_BYTES
        )
        if attachment is None:
            return
        try:
            cues = parse_transcript(attachment.path.read_bytes(), attachment.path.name)
        except TranscriptFormatError as exc:
            for line, message in exc.problems:
                where = f"{attachment.name} line {line}: " if line else f"{attachment.name}: "
                check.fail("transcript", f"invalid transcript: {where}{message}")
            return
        source = attachment.name
        cues = _nfc_cues(cues_without_control_characters(cues))  # as _Checker.text cleans texts
    elif isinstance(value, list):
        cues = _inline_cues(check, value)  # cleaned as they are read
        if cues is None:
            return
        source = "import"
    else:
        check.fail(
            "transcript", (f"expected a file path or a list of segments, got {_json_type(value)}.")
        )
        return
    try:
        validate_cues(cues, duration=record.video_duration)
    except TranscriptFormatError as exc:
        for line, message in exc.problems:
            where = f"{source} line {line}: " if line and source != "import" else ""
            check.fail("transcript", f"invalid transcript times: {where}{message}")
        return
    record.transcript = cues
    record.transcript_source = Path(source).name if source != "import" else ""


_SEGMENT_KEY_SET = frozenset(SEGMENT_KEYS)
_NUMBER_TYPES = (int, float)  # exact types: True and False are not seconds


def _inline_cues(check: _Checker, items: list) -> list[Cue] | None:
    """The cues of an inline transcript, cleaned as :meth:`_Checker.text` cleans texts; None
    (with every problem reported) when a segment is malformed.

    Transcripts run to thousands of segments and the import reads each twice, so well-formed
    segments take a fast path: plain type tests, and one search for control characters over
    the whole transcript instead of one substitution per text. Anything unusual goes through
    the checker, which reports it."""
    cues = _well_formed_cues(items)
    return cues if cues is not None else _checked_cues(check, items)


def _well_formed_cues(items: list) -> list[Cue] | None:
    """The cues, when every segment is well formed and no text holds a control character, needs
    cutting or composing (NFC); else None."""
    rows = []
    for item in items:
        if type(item) is not dict or not item.keys() <= _SEGMENT_KEY_SET:
            return None
        start, end, text = item.get("start"), item.get("end"), item.get("text")
        speaker, chapter = item.get("speaker"), item.get("chapter")
        speaker = "" if speaker is None else speaker
        chapter = "" if chapter is None else chapter
        if (
            type(start) not in _NUMBER_TYPES
            or type(end) not in _NUMBER_TYPES
            or type(text) is not str
            or type(speaker) is not str
            or type(chapter) is not str
            or len(speaker) > 255
            or len(chapter) > 255
        ):
            return None
        text = text.strip()
        if not text or not (_seconds_in_range(start) and _seconds_in_range(end)):
            return None
        rows.append((float(start), float(end), text, speaker.strip(), chapter.strip()))
    texts = "\n".join("".join(row[2:]) for row in rows)
    if (
        CONTROL_CHARACTERS.search(texts)
        or _SURROGATE.search(texts)
        or not unicodedata.is_normalized("NFC", texts)
    ):
        return None
    return [Cue(start, end, text, speaker=sp, chapter=ch) for start, end, text, sp, ch in rows]


def _seconds_in_range(value: int | float) -> bool:
    """A number of seconds a recording can have (finite, 0 to MAX_SECONDS; a negative time is
    left for ``validate_cues`` to report in its own words)."""
    try:
        return -MAX_SECONDS <= float(value) <= MAX_SECONDS
    except OverflowError:  # an integer too large for a float
        return False


def _checked_cues(check: _Checker, items: list) -> list[Cue] | None:
    cues, ok = [], True
    for i, item in enumerate(items):
        key = f"transcript[{i}]"
        if not isinstance(item, dict):
            check.fail(key, f"expected an object ({{...}}), got {_json_type(item)}.")
            ok = False
            continue
        check.keys(item, SEGMENT_KEYS, f"{key}.")
        times = []
        for name in ("start", "end"):
            value = item.get(name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                check.fail(
                    f"{key}.{name}",
                    (f"expected a number of seconds (e.g. 4.2), got {_json_type(value)}."),
                )
                ok = False
            elif not _seconds_in_range(value):
                check.fail(
                    f"{key}.{name}",
                    f"{str(value)[:20]} is not a time in a recording: give seconds from 0 to "
                    f"{MAX_SECONDS:.0f} (100 hours).",
                )
                ok = False
            times.append(value)
        text = check.text(f"{key}.text", item.get("text"), required=True)
        speaker = check.text(f"{key}.speaker", item.get("speaker"), 255) or ""
        chapter = check.text(f"{key}.chapter", item.get("chapter"), 255) or ""
        if text is None:
            ok = False
        if ok:
            cues.append(
                Cue(float(times[0]), float(times[1]), text, speaker=speaker, chapter=chapter)
            )
    return cues if ok else None


def check_duplicates(records: list[ImportRecord]) -> list[RecordProblem]:
    """Records that would get the same address as an earlier record in the same file."""
    first: dict[str, int] = {}
    problems = []
    for record in records:
        if not record.slug:
            continue
        if record.slug in first:
            problems.append(
                RecordProblem(
                    record.line,
                    record.slug_key,
                    (
                        f"duplicate id “{record.slug}”: line {first[record.slug]} already uses it. "
                        "Give each seminar its own id."
                    ),
                )
            )
        else:
            first[record.slug] = record.line
    return problems


# --------------------------------------------------------------------------- target


def resolve_parent(spec: str | None) -> SeminarIndexPage:
    """The archive a run imports into: a page id, a path (``/seminarier/``) or the first one."""
    archives = SeminarIndexPage.objects.order_by("path")
    if not spec:
        parent = archives.first()
        if parent is None:
            raise LookupError("There is no seminar archive (SeminarIndexPage) yet: create one.")
        return parent
    spec = spec.strip()
    if spec.isdigit():
        parent = archives.filter(pk=int(spec)).first()
    else:
        path = "/" + spec.strip("/") + "/"
        parent = archives.filter(url_path=path).first()
        if parent is None:
            matches = [p for p in archives if p.url_path.endswith(path)]
            parent = matches[0] if len(matches) == 1 else None
    if parent is None:
        known = ", ".join(f"{p.url_path} (id {p.pk})" for p in archives) or "none"
        raise LookupError(f"No seminar archive “{spec}”. Archives: {known}.")
    return parent


def existing_seminar(parent, slug: str) -> SeminarPage | None:
    return SeminarPage.objects.child_of(parent).filter(slug=slug).first()


class SeminarsBySlug:
    """The seminars under ``parent`` by slug, for one run: one query up front instead of one per
    record (a new seminar, the common case, then costs none). :meth:`add` records a seminar the
    run created, once its transaction has committed."""

    def __init__(self, parent):
        self.parent = parent
        self._pks = dict(SeminarPage.objects.child_of(parent).values_list("slug", "pk"))

    def get(self, slug: str) -> SeminarPage | None:
        pk = self._pks.get(slug)
        return SeminarPage.objects.filter(pk=pk).first() if pk else None

    def add(self, page) -> None:
        self._pks[page.slug] = page.pk


_LOOK_UP = object()


def check_target(
    record: ImportRecord, parent, *, update: bool, existing=_LOOK_UP
) -> list[RecordProblem]:
    """Problems that depend on what is already in the archive (read-only, for dry runs too).
    ``existing``: the seminar already at the record's address, when the caller looked it up."""
    if existing is _LOOK_UP:
        existing = existing_seminar(parent, record.slug) if record.slug else None
    if existing and not update:
        return [
            RecordProblem(
                record.line,
                record.slug_key,
                (
                    f"a seminar with the address “{record.slug}” already exists under "
                    f"{parent.url_path} (page id {existing.pk}). Run with --update to update "
                    "it, or give this one another id."
                ),
            )
        ]
    if existing is None and record.slug:
        taken = slug_route_conflict(parent, record.slug)
        if taken:
            return [
                RecordProblem(
                    record.line,
                    record.slug_key,
                    (
                        f"the address {taken} belongs to the site itself (search, feeds, the "
                        f"API or the admin), so a seminar “{record.slug}” could not be reached "
                        "there. Give it another id."
                    ),
                )
            ]
    if existing is None:
        missing = [k for k in ("title", "start") if k not in record.fields]
        if missing:
            return [
                RecordProblem(
                    record.line,
                    k,
                    (f"missing {k}: “{record.slug}” is a new seminar, which needs a {k}."),
                )
                for k in missing
            ]
    return []


# --------------------------------------------------------------------------- writing


#: (model, pk) of objects whose admin search entry is due, while ``defer_admin_search_index`` runs.
_admin_search_pending: set | None = None
ADMIN_INDEX_CHUNK = 500


@contextmanager
def defer_admin_search_index(models=(SeminarPage, Speaker, Series, Venue, ArchiveDocument)):
    """Update Wagtail's admin search index once, in bulk, when the block ends, instead of on every
    save of ``models`` (a seminar takes several saves; each one refreshes the index's title norms
    over the whole table). Objects noted with :func:`note_admin_index` are indexed at the end,
    also when the block ends in an error (for what was committed); anything missed, for example
    by a killed process, is caught up by ``manage.py update_index``."""
    global _admin_search_pending
    from modelsearch.signal_handlers import post_save_signal_handler

    if _admin_search_pending is not None:  # already deferred by an outer block
        yield
        return
    disconnected = [m for m in models if post_save.disconnect(post_save_signal_handler, sender=m)]
    _admin_search_pending = set()
    try:
        yield
    finally:
        pending, _admin_search_pending = _admin_search_pending, None
        for model in disconnected:
            post_save.connect(post_save_signal_handler, sender=model)
        _update_admin_index(pending)


def note_admin_index(obj) -> None:
    """Have ``obj`` indexed in Wagtail's admin search at the end of the deferring block (outside
    one, its ``post_save`` signal already did it)."""
    if _admin_search_pending is not None:
        _admin_search_pending.add((type(obj), obj.pk))


def _update_admin_index(pending: set) -> None:
    from modelsearch.backends import get_search_backends

    by_model: dict[type, list] = {}
    for model, pk in pending:
        by_model.setdefault(model, []).append(pk)
    backends = list(get_search_backends(with_auto_update=True))
    for model, pks in by_model.items():
        pks.sort()
        for i in range(0, len(pks), ADMIN_INDEX_CHUNK):
            objects = list(
                model.get_indexed_objects().filter(pk__in=pks[i : i + ADMIN_INDEX_CHUNK])
            )
            for backend in backends:
                if objects:
                    backend.add_bulk(model, objects)


class SnippetCache:
    """Series, venues and speakers by normalised name for one run, loaded once per model.

    Snippets created by a record stay pending until :meth:`commit`; :meth:`rollback` forgets
    them when the record's transaction is rolled back, so no stale object is reused.
    """

    def __init__(self):
        self._known: dict[type, dict[str, Any]] = {}
        self._pending: list[tuple[type, str, Any]] = []

    def _table(self, model):
        if model not in self._known:
            # Keyed by the name as normalise_name reads it now (not the stored name_key), so a
            # row saved before names were composed (NFC) is still found; the oldest row wins.
            table = self._known[model] = {}
            for obj in model.objects.order_by("pk"):
                table.setdefault(model.normalise_name(obj.name), obj)
        return self._known[model]

    def find(self, model, name: str):
        """The snippet of that name (ignoring case, runs of spaces and Unicode composition),
        one this run created included; None when there is none. Creates nothing."""
        key = model.normalise_name(name)
        for pending_model, pending_key, obj in self._pending:
            if pending_model is model and pending_key == key:
                return obj
        return self._table(model).get(key)

    def get_or_create(self, model, name: str, **defaults):
        obj = self.find(model, name)
        if obj is not None:
            return obj, False
        obj = model(name=name, **defaults)
        obj.save()
        note_admin_index(obj)
        self._pending.append((model, model.normalise_name(name), obj))
        return obj, True

    def commit(self):
        for model, key, obj in self._pending:
            self._table(model)[key] = obj
        self._pending.clear()

    def rollback(self):
        self._pending.clear()


class _Storing:
    """How :func:`_apply` writes: series, venues, speakers and topics are found or created, the
    record's PDFs and video stored (``stored`` lists the files, to delete them again when the
    record fails)."""

    def __init__(self, cache: SnippetCache, stored: list):
        self.cache = cache
        self.stored = stored
        self.new_objects = False  # whether anything was created for the page

    def snippet(self, model, name: str, **defaults):
        obj, created = self.cache.get_or_create(model, name, **defaults)
        self.new_objects |= created
        return obj, created

    def fill_bio(self, speaker: Speaker, bio: str) -> None:
        speaker.bio = bio
        speaker.save(update_fields=["bio"])

    def topics(self, page: SeminarPage, names: list[str]) -> None:
        page.topics.set(names)

    def document(self, attachment: Attachment, title: str, number: int, total: int):
        digest = _sha1(attachment.path)
        document = _archived_document(digest)
        if document is None:
            self.new_objects = True
            document = _store_document(attachment, digest, title, number, total, self.stored)
        return document

    def video(self, record: ImportRecord, page: SeminarPage):
        self.new_objects = True
        return _store_video(record, page, self.stored)


class _LookingUp:
    """How :func:`_apply` runs for a dry run (:func:`check_update`): what the archive already
    has is found as the write pass finds it; what it lacks stands in as an unsaved object and
    counts as a change. Nothing is created, stored or changed."""

    def __init__(self, cache: SnippetCache):
        self.cache = cache
        self.new_objects = False

    def snippet(self, model, name: str, **defaults):
        obj = self.cache.find(model, name)
        if obj is not None:
            return obj, False
        self.new_objects = True
        return model(name=name, **defaults), True

    def fill_bio(self, speaker: Speaker, bio: str) -> None:
        pass  # the speaker's, not the page's: no change to the seminar

    def topics(self, page: SeminarPage, names: list[str]) -> None:
        # The tags taggit's ``set`` would pick (TAGGIT_CASE_INSENSITIVE: the oldest match
        # ignoring case), without creating the missing ones.
        tag_model = page.topics.through.tag_model()
        lookup = "name__iexact" if getattr(settings, "TAGGIT_CASE_INSENSITIVE", False) else "name"
        tags = []
        for name in names:
            tag = tag_model._default_manager.filter(**{lookup: name}).order_by("pk").first()
            if tag is None:
                self.new_objects = True
                return
            tags.append(tag)
        page.topics.set(tags)

    def document(self, attachment: Attachment, title: str, number: int, total: int):
        document = _archived_document(_sha1(attachment.path))
        if document is None:
            self.new_objects = True
            document = ArchiveDocument(title=_document_title(title, number, total))
        return document

    def video(self, record: ImportRecord, page: SeminarPage):
        from wagtailmedia.models import get_media_model

        self.new_objects = True
        title = record.fields.get("title") or page.title
        return get_media_model()(
            title=title[:255], type="video", duration=record.video_duration or 0
        )


@dataclass
class WriteResult:
    action: str  # "created", "updated" or "unchanged"
    page: SeminarPage
    note: str = ""  # what the update did that the run did not ask for (see _Update.note)


def write_record(
    record: ImportRecord,
    parent,
    *,
    update: bool = False,
    draft: bool = False,
    cache: SnippetCache | None = None,
    user=None,
    seminars: SeminarsBySlug | None = None,
) -> WriteResult:
    """Create (or with ``update`` revise) the seminar for a validated record.

    Run it inside ``transaction.atomic()``: it raises :class:`RecordFailed` when the archive or
    the page model refuses the record, after deleting any file it stored. ``seminars``: the
    run's lookup of the seminars under ``parent`` (the caller adds what it committed).
    """
    existing = seminars.get(record.slug) if seminars else existing_seminar(parent, record.slug)
    problems = check_target(record, parent, update=update, existing=existing)
    if problems:
        raise RecordFailed(problems)
    cache = cache or SnippetCache()
    stored: list = []
    try:
        return _write(record, parent, existing, draft=draft, cache=cache, user=user, stored=stored)
    except BaseException:
        for fieldfile in stored:
            fieldfile.storage.delete(fieldfile.name)
        raise


def check_update(
    record: ImportRecord, existing: SeminarPage, *, draft: bool, snippets: SnippetCache
) -> tuple[list[RecordProblem], str]:
    """For a dry run of ``--update``: the problems the write pass will find when it applies
    ``record`` to the stored seminar ``existing`` (the record's dates against the stored ones,
    the page model's rules, an editor's draft waiting on the seminar, ...), and the note it
    will give ("" for none). Found by the write pass's own code (:func:`_merge`), with nothing
    created or stored; ``snippets`` is the run's lookup of series, venues and speakers."""
    update = _merge(record, existing, draft=draft, resolve=_LookingUp(snippets))
    return update.problems, update.note


@dataclass
class _Update:
    """What updating a stored seminar with a record comes to. ``page``: the seminar as the update
    would save it (in memory); ``problems``: why it may not be saved (then nothing is)."""

    page: SeminarPage
    changed: bool
    transcript_changed: bool = False
    publish: bool = False
    note: str = ""  # e.g. that a seminar that is not live stays a draft
    problems: list[RecordProblem] = field(default_factory=list)


def _merge(record: ImportRecord, existing: SeminarPage, *, draft: bool, resolve) -> _Update:
    """The record applied to the stored seminar, and whether and how that may be saved: the one
    decision behind the write pass (``resolve`` is :class:`_Storing`) and the dry run
    (:class:`_LookingUp`), so the two report the same problems.

    - A live seminar is updated from its live version (never from a draft an editor saved) and
      published, unless ``draft``.
    - A seminar that is not live (an editor unpublished it, or it was never published) is
      updated from its latest revision and stays offline: the update is a draft revision.
    - An update that changes nothing is skipped, whatever waits on the seminar; one that changes
      something is refused while an editor's work waits on it (:func:`_waiting_work`).
    - The result must pass the page model's validation (``full_clean``, as Wagtail's
      ``save_revision`` runs it): the record's values together with the stored ones.
    """
    live = existing.live
    page = existing if live else existing.get_latest_revision_as_object()
    before = _snapshot(page)
    transcript_changed = record.transcript is not None and not _same_transcript(
        page, record.transcript
    )
    _apply(record, page, resolve)
    if not (transcript_changed or resolve.new_objects or _snapshot(page) != before):
        return _Update(page, changed=False)
    update = _Update(
        page, changed=True, transcript_changed=transcript_changed, publish=live and not draft
    )
    problems = update.problems
    waiting = _waiting_work(existing)
    if waiting:
        problems.append(RecordProblem(record.line, "", waiting))
    if draft and transcript_changed and live:
        # A transcript has no draft revisions: saving it would publish it at once, beside a
        # page whose other changes wait as a draft.
        problems.append(
            RecordProblem(
                record.line,
                "transcript",
                "with --draft, this published seminar's new transcript would be public at "
                "once (transcripts have no draft revisions). Import it without --draft, or "
                "leave the transcript out of this run.",
            )
        )
    if record.video_file is not None and not transcript_changed:
        problems += _kept_transcript_problems(record, page)
    try:
        page.full_clean()
    except ValidationError as exc:
        problems += _validation_problems(record.line, exc)
    if not live and not draft:
        update.note = (
            f"“{record.slug}” is not live (it was unpublished, or never published), so the "
            "update is saved as a draft revision and the seminar stays offline. Publish it in "
            "the admin if it should be public."
        )
    return update


def _waiting_work(page: SeminarPage) -> str:
    """What an editor has waiting on a stored seminar that an update would publish unreviewed,
    mix into or be undone by, worded with what to do in the admin; "" when nothing waits."""
    again = "then run the import again"
    if page.workflow_in_progress:
        state = page.current_workflow_state
        task = page.current_workflow_task
        step = f", step “{task.name}”" if task else ""
        return (
            f"“{page.slug}” is in moderation (workflow “{state.workflow.name}”{step}): a "
            "revision waits for review, and approving it would publish that revision and undo "
            "the update. In the admin, have it approved or rejected (or cancel the workflow), "
            f"{again}."
        )
    scheduled = page.scheduled_revision
    if scheduled is not None:
        when = _local(scheduled.approved_go_live_at)
        return (
            f"“{page.slug}” has a revision scheduled to go live on {when}, which would undo "
            "the update. In the admin, publish it now or cancel the schedule, " + again + "."
        )
    if page.live and page.has_unpublished_changes:
        revision = page.latest_revision
        user = revision.user if revision else None
        by = f" by {user.get_full_name() or user.get_username()}" if user else ""
        saved = f" (saved {_local(page.latest_revision_created_at)}{by})" if revision else ""
        return (
            f"“{page.slug}” has changes saved as a draft that are not published{saved}; the "
            "update would publish them unreviewed, or with --draft mix into them. In the admin, "
            "publish the draft, or discard it (History: on the live version “Review this "
            f"version”, then “Publish this version”), {again}."
        )
    return ""


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "?"


def _write(record, parent, existing, *, draft, cache, user, stored) -> WriteResult:
    resolve = _Storing(cache, stored)
    note = ""
    if existing is None:
        page = SeminarPage(slug=record.slug, live=False)
        _apply(record, page, resolve)
        transcript_changed = record.transcript is not None
        keeps_index = True  # the stored page is this page, draft or not
        try:
            _create_page(page, parent, draft=draft, user=user)
        except ValidationError as exc:
            raise RecordFailed(_validation_problems(record.line, exc)) from exc
    else:
        update = _merge(record, existing, draft=draft, resolve=resolve)
        if update.problems:
            raise RecordFailed(update.problems)
        if not update.changed:
            return WriteResult("unchanged", existing)
        page, transcript_changed, note = update.page, update.transcript_changed, update.note
        keeps_index = update.publish
        revision = page.save_revision(user=user, clean=False)  # _merge ran full_clean()
        if update.publish:
            revision.publish(user=user, skip_permission_checks=True)
    if transcript_changed:
        from archive.transcript_store import save_transcript

        try:
            save_transcript(
                page,
                record.transcript,
                source_name=record.transcript_source,
                user=user,
                new_seminar=existing is None,
            )
        except TranscriptFormatError as exc:
            raise RecordFailed(
                [RecordProblem(record.line, "transcript", m) for m in exc.messages()]
            ) from exc
    if getattr(reference_index_auto_update_disabled, "value", False) and keeps_index:
        # The caller turned Wagtail's per-save reference indexing off (about ten updates per
        # seminar: page, revisions, child rows); index the page's references once instead. The
        # index holds what the stored page shows (it decides who may fetch its images,
        # archive.media_access): an update kept as a draft changes only a revision, and
        # ``page`` is that draft, so the index stays as it is.
        ReferenceIndex.create_or_update_for_object(page)
    note_admin_index(page)
    note_changed(page.pk)
    return WriteResult("updated" if existing else "created", page, note)


def _kept_transcript_problems(record: ImportRecord, page: SeminarPage) -> list[RecordProblem]:
    """An update that brings a new video and keeps the transcript must not leave a transcript
    that runs past the video's end: the segment editor would then refuse every save until the
    whole transcript was replaced."""
    from archive.models import TranscriptSegment

    duration = page.video_duration
    if not duration:
        return []
    last = (
        TranscriptSegment.objects.filter(transcript__seminar=page)
        .order_by("-end")
        .values_list("end", flat=True)
        .first()
    )
    if last is not None and last > duration + DURATION_TOLERANCE:
        return [
            RecordProblem(
                record.line,
                "video_file",
                f"the video would last {format_clock(duration)}, but the seminar's "
                f"transcript runs to {format_clock(last)}. Give the right video, or a "
                "transcript that fits it in the same record.",
            )
        ]
    return []


def _create_page(page: SeminarPage, parent, *, draft: bool, user) -> None:
    """Save a new seminar page, live unless ``draft``, with its first revision, in the state
    Wagtail's "add child, save revision, publish" leaves it, with a fraction of the queries.

    Publishing a revision rebuilds the page from the revision's JSON and saves it and all its
    child rows a second time; a new page has nothing to rebuild, so this saves it once, already
    live, records the revision that holds exactly that content, logs "published" in the page
    history (after Wagtail's own "created") as the editor's create-and-publish does, and sends
    ``page_published`` for the listeners.
    """
    now = timezone.now()
    page.live = not draft
    page.has_unpublished_changes = draft
    if not draft:
        page.first_published_at = page.last_published_at = now
    if not page.locale_id:
        page.locale_id = parent.locale_id  # what Wagtail's default would look up: the parent's
    children = {
        relation.get_accessor_name(): list(getattr(page, relation.get_accessor_name()).all())
        for relation in get_all_child_relations(page)
    }
    parent.add_child(instance=page)  # validates; saves the page, speakers, slides and topics
    # Saving switched the child relations to live queries. A new page's rows are exactly the
    # objects just saved, so keep serving them from memory: the revision below, the reference
    # index and the transcript's speaker lookup then read no child rows back.
    page._cluster_related_objects = children
    revision = Revision.objects.create(
        content_object=page,
        base_content_type=page.get_base_content_type(),
        user=user,
        content=page.serializable_data(),
        object_str=str(page),
    )
    page.latest_revision = revision
    page.latest_revision_created_at = revision.created_at
    page.draft_title = page.title
    page.live_revision = None if draft else revision
    Page.objects.filter(pk=page.pk).update(
        latest_revision=revision,
        latest_revision_created_at=revision.created_at,
        draft_title=page.title,
        live_revision=page.live_revision,
    )
    if not draft:  # (Page.save logged "wagtail.create")
        PageLogEntry.objects.bulk_create(
            [
                PageLogEntry(
                    content_type=ContentType.objects.get_for_model(page, for_concrete_model=False),
                    label=page.get_admin_display_title(),
                    action="wagtail.publish",
                    timestamp=timezone.now(),
                    data={},
                    user=user,
                    page=page,
                    revision=revision,
                    content_changed=True,
                )
            ]
        )
        page_published.send(sender=SeminarPage, instance=page, revision=revision)


def _apply(record: ImportRecord, page: SeminarPage, resolve) -> None:
    """Set what the record gives on ``page`` (in memory; child rows are saved with the page).
    ``resolve`` (:class:`_Storing` or :class:`_LookingUp`) finds or makes the snippets, tags,
    documents and video the page points to."""
    for attr, value in record.fields.items():
        setattr(page, attr, value)
    if record.event:
        page.series = resolve.snippet(Series, record.event)[0]
    if record.venue:
        page.venue = resolve.snippet(Venue, record.venue)[0]
    if record.speakers is not None:
        page.seminar_speakers = [_speaker_link(entry, resolve) for entry in record.speakers]
    if record.topics is not None:
        resolve.topics(page, record.topics)
    if record.video_file is not None:
        current = page.video_file if page.video_file_id else None
        if current is None or not _same_file(current.file, record.video_file.path):
            page.video_file = resolve.video(record, page)
            page.video_url = ""
        if record.video_duration:
            page.duration = round(record.video_duration)
    elif record.fields.get("video_url"):
        page.video_file = None
    if record.slides is not None:
        title = record.fields.get("title") or page.title
        page.slides = [
            SeminarSlide(document=resolve.document(a, title, i, len(record.slides)))
            for i, a in enumerate(record.slides, start=1)
        ]


def _speaker_link(entry: SpeakerEntry, resolve) -> SeminarSpeaker:
    speaker, created = resolve.snippet(Speaker, entry.name, title=entry.title, bio=entry.bio)
    if not created and entry.bio and not speaker.bio:
        resolve.fill_bio(speaker, entry.bio)
    return SeminarSpeaker(speaker=speaker, role=entry.role, title=entry.title)


def _sha1(path: Path) -> str:
    with path.open("rb") as fh:
        return hash_filelike(fh)


def _same_file(fieldfile, path: Path) -> bool:
    try:
        if fieldfile.size != path.stat().st_size:
            return False
        with fieldfile.open("rb") as fh:
            return hash_filelike(fh) == _sha1(path)
    except (OSError, ValueError):
        return False


def _archived_document(digest: str):
    """The archive's document with this content (by SHA-1), or None."""
    return ArchiveDocument.objects.filter(file_hash=digest).first()


def _document_title(title: str, number: int, total: int) -> str:
    return (title if total == 1 else f"{title} ({number})")[:255]


def _store_document(
    attachment: Attachment, digest: str, title: str, number: int, total: int, stored
):
    """A new archive document for a PDF the archive does not have yet (see
    :func:`_archived_document`: the same file is reused, never duplicated)."""
    document = ArchiveDocument(title=_document_title(title, number, total))
    with attachment.path.open("rb") as fh:
        document.file.save(attachment.path.name, File(fh), save=False)
    stored.append(document.file)
    document.file_size = attachment.path.stat().st_size
    document.file_hash = digest
    document.save()
    note_admin_index(document)
    return document


def _store_video(record: ImportRecord, page: SeminarPage, stored):
    from wagtailmedia.models import get_media_model

    media_model = get_media_model()
    title = record.fields.get("title") or page.title
    media = media_model(title=title[:255], type="video", duration=record.video_duration or 0)
    with record.video_file.path.open("rb") as fh:
        media.file.save(record.video_file.path.name, File(fh), save=False)
    stored.append(media.file)
    media.save()
    return media


def _snapshot(page: SeminarPage) -> tuple:
    """What an import can change on a page, to skip revisions when nothing changed."""
    scalar = tuple(
        getattr(page, name)
        for name in (
            "title",
            "code",
            "series_id",
            "language",
            "start",
            "end",
            "time_known",
            "venue_id",
            "room",
            "lead",
            "video_file_id",
            "video_url",
            "duration",
            "registration_url",
            "registration_deadline",
            "contact_name",
            "contact_email",
            "contact_phone",
            "source_url",
        )
    )
    body = tuple(
        (b.block_type, str(b.value.source if hasattr(b.value, "source") else b.value))
        for b in page.body
    )
    speakers = tuple((s.speaker_id, s.role, s.title) for s in page.seminar_speakers.all())
    slides = tuple(s.document_id for s in page.slides.all())
    topics = tuple(sorted(t.name for t in page.topics.all()))
    return scalar, body, speakers, slides, topics


def _same_transcript(page: SeminarPage | None, cues: list[Cue]) -> bool:
    if page is None:
        return False
    transcript = Transcript.objects.filter(seminar_id=page.pk).first()
    if transcript is None:
        return False
    stored = list(
        transcript.segments.order_by("position").values_list(
            "start", "end", "text", "speaker_name", "speaker__name", "chapter"
        )
    )
    if len(stored) != len(cues):
        return False
    for row, cue in zip(stored, cues, strict=True):
        start, end, text, speaker_name, linked_name, chapter = row
        if (
            abs(start - cue.start) > 0.001
            or abs(end - cue.end) > 0.001
            or text != cue.text.strip()
            or (linked_name or speaker_name) != cue.speaker
            or chapter != (cue.chapter or "").strip()
        ):
            return False
    return True


def _validation_problems(line: int, exc: ValidationError) -> list[RecordProblem]:
    if hasattr(exc, "error_dict"):
        return [
            RecordProblem(
                line, FIELD_TO_KEY.get(name, name), " ".join(ValidationError(errs).messages)
            )
            for name, errs in exc.error_dict.items()
        ]
    return [RecordProblem(line, "", " ".join(exc.messages))]
