"""Reading and writing transcripts: WebVTT, SubRip (SRT) and plain text with time stamps.

Pure functions, no database. Everything is parsed into a list of :class:`Cue` (start/end in
seconds, text, optional speaker name and chapter heading, and the source line for error messages)
and written back from one.

Plain text ("stamped text") is what editors paste::

    # Inledning                      <- a chapter heading for the next segment
    [00:05] Anna Svensson: Välkomna!  <- a stamp starts a segment; "Name:" names the speaker
    Fortsättning på samma segment.    <- a line without stamp continues the segment

    Bertil Berg: Tack.                <- a new paragraph (or a "Name:" line) starts a new segment

Segments without a stamp get times estimated from the number of words between the surrounding
stamps (or at an ordinary speaking rate after the last one), so the text keeps its order.

Chapters travel in WebVTT as a ``NOTE chapter: Heading`` block before the cue; speakers as
``<v Name>`` voice tags. SRT and text carry speakers as a ``Name:`` prefix.
"""

from __future__ import annotations

import codecs
import html
import io
import math
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import PurePath

import webvtt
from django.utils.translation import gettext as _
from webvtt.errors import MalformedCaptionError, MalformedFileError
from webvtt.models import Timestamp

#: Speaking rate used to estimate the length of segments that have no stamp of their own.
WORDS_PER_SECOND = 2.5
MIN_SEGMENT_SECONDS = 2.0
#: Float noise allowed when comparing times (one millisecond).
TOLERANCE = 0.001
#: How far past the known video length a cue may end before it is an error (encoders round).
DURATION_TOLERANCE = 1.0

CHAPTER_NOTE = "chapter:"
FORMATS = ("vtt", "srt", "txt")


@dataclass
class Cue:
    start: float
    end: float
    text: str
    speaker: str = ""
    chapter: str = ""
    line: int | None = None


class TranscriptFormatError(ValueError):
    """A transcript that cannot be used; ``problems`` lists every (line, message) found."""

    def __init__(self, problems: list[tuple[int | None, str]]):
        self.problems = list(problems)
        # Worded once, in the language active where the problem was found.
        self._messages = [
            _("Line %(line)s: %(message)s") % {"line": line, "message": message}
            if line
            else message
            for line, message in self.problems
        ]
        super().__init__("\n".join(self._messages))

    def messages(self) -> list[str]:
        return list(self._messages)


# --------------------------------------------------------------------------- decoding

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


# The latest time a transcript may give: a recording of over 100 hours is no seminar, and larger
# numbers (up to infinity, which JSON readers and form fields let through) break the clocks.
MAX_SECONDS = 100 * 3600.0

# The largest transcript file accepted (admin upload and import): far above any real one.
MAX_TRANSCRIPT_BYTES = 20 * 1024 * 1024

# C0 control characters but tab and line breaks, DEL and C1: invisible, and PostgreSQL refuses
# NUL in text. A cue's text, speaker and chapter lose them before they are checked and stored.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The same, and the bidirectional embedding, override and isolate controls (U+202A-U+202E,
# U+2066-U+2069), for a one-line text: a title or a name ending in an unterminated override
# reversed what followed it in the page's <title>, feed readers and calendars.
LINE_CONTROL_CHARACTERS = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)


def text_without_control_characters(text, *, single_line: bool = False):
    """``text`` without control characters (:data:`CONTROL_CHARACTERS`; with ``single_line``,
    :data:`LINE_CONTROL_CHARACTERS`); anything but a non-empty text is returned as it is. The
    one function that cues, the importers' texts and the models' text fields are cleaned by."""
    if not text or not isinstance(text, str):
        return text
    pattern = LINE_CONTROL_CHARACTERS if single_line else CONTROL_CHARACTERS
    return pattern.sub("", text) if pattern.search(text) else text


def without_control_characters(cue: Cue) -> Cue:
    """``cue`` with control characters removed from its text, speaker and chapter."""
    clean = text_without_control_characters
    if not any(CONTROL_CHARACTERS.search(t or "") for t in (cue.text, cue.speaker, cue.chapter)):
        return cue
    return replace(
        cue, text=clean(cue.text), speaker=clean(cue.speaker), chapter=clean(cue.chapter)
    )


def cues_without_control_characters(cues: list[Cue]) -> list[Cue]:
    """``cues`` with control characters removed (see :func:`without_control_characters`).

    One search over all their texts first: real transcripts have none, and a transcript of
    thousands of cues then costs one regular expression run instead of three per cue."""
    texts = "\n".join(f"{c.text or ''}{c.speaker or ''}{c.chapter or ''}" for c in cues)
    if not CONTROL_CHARACTERS.search(texts):
        return list(cues)
    return [without_control_characters(cue) for cue in cues]


def cues_composed(cues: list[Cue]) -> list[Cue]:
    """``cues`` with their text, speakers and chapters in composed form (NFC): "ö" typed as "o"
    and a combining mark (macOS files, some caption tools) is found by search but was neither
    highlighted nor snippeted, which read the stored text. One check over all texts first."""
    texts = "\n".join(f"{c.text or ''}{c.speaker or ''}{c.chapter or ''}" for c in cues)
    if unicodedata.is_normalized("NFC", texts):
        return list(cues)
    nfc = unicodedata.normalize
    return [
        replace(
            cue,
            text=nfc("NFC", cue.text or ""),
            speaker=nfc("NFC", cue.speaker or ""),
            chapter=nfc("NFC", cue.chapter or ""),
        )
        for cue in cues
    ]


def decode_transcript(data: bytes) -> str:
    """The text of an uploaded file: UTF-8 (with or without BOM) or UTF-16 with a BOM."""
    if isinstance(data, str):
        return data
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise _encoding_error(exc) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _encoding_error(exc) from exc


def _encoding_error(exc: UnicodeDecodeError) -> TranscriptFormatError:
    line = exc.object[: exc.start].count(b"\n") + 1
    return TranscriptFormatError(
        [
            (
                line,
                _(
                    "unknown encoding: the file is neither UTF-8 nor UTF-16 with a byte order "
                    "mark. Open it in a text editor and save it as UTF-8."
                ),
            )
        ]
    )


def _split_lines(text: str) -> list[str]:
    text = text.lstrip("\ufeff")
    return re.split(r"\r\n|\r|\n", text)


# --------------------------------------------------------------------------- times


def _clamped(seconds: float) -> float:
    """``seconds`` within 0 to MAX_SECONDS (0 for NaN): a time stored before times were
    checked still writes, instead of failing the whole download."""
    return min(max(seconds, 0.0), MAX_SECONDS) if math.isfinite(seconds) else 0.0


def format_timestamp(seconds: float, sep: str = ".") -> str:
    """``hh:mm:ss.mmm`` (WebVTT) or ``hh:mm:ss,mmm`` (SRT with ``sep=","``)."""
    ms = round(_clamped(seconds) * 1000)
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{sep}{ms:03d}"


def format_clock(seconds: float) -> str:
    """A human time: ``12:34`` or ``1:02:03`` (whole seconds)."""
    total = math.floor(_clamped(seconds) + TOLERANCE)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _ts_seconds(ts: Timestamp) -> float:
    return ts.in_milliseconds() / 1000


# --------------------------------------------------------------------------- cue text

# A speaker name: starts with a capital, letters, spaces, dots, hyphens and apostrophes only.
_NAME = r"[A-ZÅÄÖÆØÜÉ](?:[^\W\d_]|[.'’\- ]){0,59}"
_NAME_PREFIX = re.compile(rf"^(?P<name>{_NAME}):\s+(?P<text>\S.*)$", re.DOTALL)
_VOICE = re.compile(r"<v(?:\.[\w-]+)*\s+([^>]+?)\s*>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<\d[^>]*>")


def _clean_markup(raw: str) -> str:
    """Cue text without tags or entities, lines joined, runs of white space collapsed."""
    text = _TAG.sub("", raw)
    text = html.unescape(text)
    return " ".join(text.split())


def _split_name_prefix(text: str) -> tuple[str, str]:
    match = _NAME_PREFIX.match(text)
    if match and len(match["name"].split()) <= 5:
        return match["name"].strip(), match["text"].strip()
    return "", text


def _speaker_and_text(raw: str, name_prefix: bool) -> tuple[str, str]:
    voice = _VOICE.search(raw)
    speaker = html.unescape(voice.group(1)).strip() if voice else ""
    text = _clean_markup(raw)
    if not speaker and name_prefix:
        speaker, text = _split_name_prefix(text)
    return speaker, text


# --------------------------------------------------------------------------- WebVTT / SRT

_VTT_TIMING = re.compile(r"^\s*(\S+)\s*-->\s*(\S+)")


def _timing_lines(lines: list[str]) -> list[tuple[int, str]]:
    return [(n, line) for n, line in enumerate(lines, start=1) if "-->" in line]


def _parse_timing(line: str) -> tuple[float, float] | None:
    match = _VTT_TIMING.match(line)
    if not match:
        return None
    try:
        start = Timestamp.from_string(match.group(1).replace(",", "."))
        end = Timestamp.from_string(match.group(2).replace(",", "."))
    except (MalformedCaptionError, ValueError):
        return None
    return _ts_seconds(start), _ts_seconds(end)


def _captions_to_cues(captions, lines: list[str], *, name_prefix: bool) -> list[Cue]:
    """Cues for webvtt-py captions, each with the line of its timing; timing lines that no
    caption used (webvtt-py silently skips malformed cues) are reported as errors."""
    timing = _timing_lines(lines)
    problems: list[tuple[int | None, str]] = []
    cues: list[Cue] = []
    numbers: list[int] = []  # each cue's place among all the file's cues, unreadable ones too
    pos = 0
    for caption in captions:
        start, end = _ts_seconds(caption.start_time), _ts_seconds(caption.end_time)
        line_no = None
        while pos < len(timing):
            n, text = timing[pos]
            pos += 1
            parsed = _parse_timing(text)
            if parsed and abs(parsed[0] - start) < TOLERANCE and abs(parsed[1] - end) < TOLERANCE:
                line_no = n
                break
            problems.append((n, _bad_timing_message(text)))
        speaker, body = _speaker_and_text(caption.raw_text, name_prefix)
        chapter = _chapter_from_notes(getattr(caption, "comments", []))
        cues.append(Cue(start, end, body, speaker=speaker, chapter=chapter, line=line_no))
        numbers.append(pos if line_no else (numbers[-1] if numbers else 0) + 1)
    for n, text in timing[pos:]:
        problems.append((n, _bad_timing_message(text)))
    if problems:
        raise _with_cue_problems(problems, cues, numbers)
    return cues


def _with_cue_problems(
    problems: list[tuple[int | None, str]], cues: list[Cue], numbers: list[int]
) -> TranscriptFormatError:
    """The error for ``problems`` (lines that could not be read) together with what is wrong
    with the cues that could (times running backwards or overlapping, empty text), in line
    order: one save lists every problem, not the unreadable lines first and the rest on the
    next try. ``numbers`` are the cues' segment numbers, counting the unreadable ones. (The
    video's length is checked when the transcript is saved, as for a file without errors.)"""
    cues = cues_without_control_characters(cues)
    problems = problems + (cue_problems(cues, numbers=numbers) if cues else [])
    problems.sort(key=lambda problem: (problem[0] is None, problem[0] or 0))
    return TranscriptFormatError(problems)


def _bad_timing_message(line: str) -> str:
    return _(
        "the time line “%(line)s” could not be read. Write it as 00:01:02.500 --> 00:01:05.000."
    ) % {"line": line.strip()}


def _chapter_from_notes(notes) -> str:
    for note in reversed(list(notes or [])):
        note = " ".join(note.split())
        if note.casefold().startswith(CHAPTER_NOTE):
            return note[len(CHAPTER_NOTE) :].strip()
    return ""


def _read_captions(lines: list[str], fmt: str, wrong_format: str):
    """webvtt-py's reading of ``lines`` as ``fmt`` ("vtt" or "srt"), its errors made ours."""
    try:
        return webvtt.from_buffer(io.StringIO("\n".join(lines)), format=fmt)
    except MalformedFileError as exc:
        raise TranscriptFormatError([(1, wrong_format)]) from exc
    except MalformedCaptionError as exc:
        raise TranscriptFormatError(
            [(None, _("a cue could not be read (%(error)s).") % {"error": exc})]
        ) from exc


def parse_vtt(text: str) -> list[Cue]:
    text = decode_transcript(text)
    lines = _split_lines(text)
    parsed = _read_captions(
        lines,
        "vtt",
        _(
            "this is not a WebVTT file: it must start with the line WEBVTT. "
            "Check that you chose the right file or name an SRT file .srt."
        ),
    )
    cues = _captions_to_cues(parsed.captions, lines, name_prefix=False)
    if cues and not cues[0].chapter:
        cues[0].chapter = _chapter_from_notes(parsed.header_comments)
    return cues


def parse_srt(text: str) -> list[Cue]:
    text = decode_transcript(text)
    lines = _split_lines(text)
    while lines and not lines[0].strip():
        lines.pop(0)
    parsed = _read_captions(
        lines,
        "srt",
        _(
            "this is not an SRT file: it must start with a cue number (1) followed by a time "
            "line such as 00:00:01,000 --> 00:00:04,000."
        ),
    )
    return _captions_to_cues(parsed.captions, lines, name_prefix=True)


# --------------------------------------------------------------------------- stamped text

_STAMP = re.compile(r"^\s*\[(?P<stamp>[0-9:.,]+)\]\s*(?P<rest>.*)$")
# A stamp mistyped with a letter or a semicolon ("[00:x5]", "[12;05]", "[1:2o]"): reported as
# unreadable, never kept as text. Brackets without digits and a separator ("[applåder]") are text.
_STAMP_LIKE = re.compile(r"^\s*\[(?P<stamp>\d{1,2}[:;.,][\w:;.,]{1,9})\]\s*(?P<rest>.*)$")
_STAMP_VALUE = re.compile(r"^(?:(\d{1,2}):)?(\d{1,3}):(\d{2})(?:[.,](\d{1,3}))?$")
_HEADING = re.compile(r"^\s*#+\s*(?P<title>.*\S)\s*$")


def _stamp_seconds(stamp: str) -> float | None:
    match = _STAMP_VALUE.match(stamp)
    if not match:
        return None
    hours, minutes, secs, frac = match.groups()
    minutes_i, secs_i = int(minutes), int(secs)
    if secs_i >= 60 or (hours and minutes_i >= 60):
        return None
    value = int(hours or 0) * 3600 + minutes_i * 60 + secs_i
    if frac:
        value += int(frac.ljust(3, "0")) / 1000
    return float(value)


@dataclass
class _Draft:
    line: int
    start: float | None
    speaker: str = ""
    chapter: str = ""
    parts: list[str] | None = None
    unreadable: bool = False  # its stamp could not be read

    def add(self, text: str):
        self.parts = (self.parts or []) + [text]

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts or []).split())

    @property
    def words(self) -> int:
        return max(1, len(self.text.split()))


def _estimated(words: int) -> float:
    return max(MIN_SEGMENT_SECONDS, words / WORDS_PER_SECOND)


def parse_stamped_text(text: str) -> list[Cue]:
    """Plain text with optional ``[mm:ss]``/``[hh:mm:ss]`` stamps, ``Name:`` prefixes and
    ``# Chapter`` headings (see the module docstring)."""
    text = decode_transcript(text)
    problems: list[tuple[int | None, str]] = []
    drafts: list[_Draft] = []
    current: _Draft | None = None
    chapter = ""
    paragraph_break = True
    for n, line in enumerate(_split_lines(text), start=1):
        if not line.strip():
            paragraph_break = True
            continue
        heading = _HEADING.match(line)
        if heading:
            chapter = heading["title"]
            paragraph_break = True
            continue
        stamp = _STAMP.match(line) or _STAMP_LIKE.match(line)
        start = None
        unreadable = False
        rest = line.strip()
        if stamp:
            start = _stamp_seconds(stamp["stamp"])
            if start is None:
                problems.append(
                    (
                        n,
                        _(
                            "the time stamp [%(stamp)s] could not be read. "
                            "Write it as [mm:ss] or [hh:mm:ss], e.g. [12:05] or [1:02:03]."
                        )
                        % {"stamp": stamp["stamp"]},
                    )
                )
                # Still a segment of its own (its text does not join the one before), so the
                # segments after it keep their numbers in the problems listed with it.
                unreadable = True
            rest = stamp["rest"].strip()
        speaker, body = _split_name_prefix(rest)
        if stamp or speaker or paragraph_break or current is None:
            current = _Draft(
                line=n, start=start, speaker=speaker, chapter=chapter, unreadable=unreadable
            )
            drafts.append(current)
            chapter = ""
        if body:
            current.add(body)
        paragraph_break = False
    if problems:
        # Every problem at once: the unreadable stamps, and whatever is wrong with the
        # segments whose times could be read (backwards, overlapping, empty).
        readable = [(k, d) for k, d in enumerate(drafts, start=1) if not d.unreadable]
        raise _with_cue_problems(
            problems, _timed([d for _k, d in readable]), [k for k, _d in readable]
        )
    return _timed(drafts)


def _timed(drafts: list[_Draft]) -> list[Cue]:
    """Give every draft a start and end: stamps as given, the rest spread by word count."""
    starts: list[float | None] = [d.start for d in drafts]
    if drafts and starts[0] is None:
        starts[0] = 0.0
    i = 0
    while i < len(drafts):
        if starts[i] is not None:
            i += 1
            continue
        j = i
        while j < len(drafts) and starts[j] is None:
            j += 1
        prev_start = starts[i - 1]
        words = [d.words for d in drafts[i - 1 : j]]
        if j < len(drafts) and starts[j] > prev_start:
            span = starts[j] - prev_start
            per_word = span / sum(words)
        else:
            per_word = 1 / WORDS_PER_SECOND
        t = prev_start
        for k in range(i, j):
            t += max(words[k - i] * per_word, TOLERANCE)
            starts[k] = round(t, 3)
        i = j
    cues = []
    for k, draft in enumerate(drafts):
        start = starts[k]
        if k + 1 < len(drafts):
            end = starts[k + 1]
            if end < start:  # backwards stamps: keep them so validation names the line
                end = start + _estimated(draft.words)
        else:
            end = round(start + _estimated(draft.words), 3)
        cues.append(
            Cue(
                start,
                end,
                draft.text,
                speaker=draft.speaker,
                chapter=draft.chapter,
                line=draft.line,
            )
        )
    return cues


# --------------------------------------------------------------------------- dispatch


def parse_transcript(data: bytes | str, filename: str) -> list[Cue]:
    """Parse an uploaded or pasted transcript; the format comes from the file's extension."""
    ext = PurePath(filename or "").suffix.lower().lstrip(".")
    text = decode_transcript(data)
    if ext == "vtt":
        return parse_vtt(text)
    if ext == "srt":
        return parse_srt(text)
    if ext in ("txt", "text", ""):
        return parse_stamped_text(text)
    raise TranscriptFormatError(
        [
            (
                None,
                _(
                    "“%(filename)s” is not a transcript format we read. "
                    "Upload a WebVTT (.vtt), SubRip (.srt) or plain text (.txt) file."
                )
                % {"filename": filename},
            )
        ]
    )


# --------------------------------------------------------------------------- validation


def validate_cues(cues: list[Cue], duration: float | None = None) -> None:
    """Raise :class:`TranscriptFormatError` listing every problem, each with its line."""
    if not cues:
        raise TranscriptFormatError([(None, _("The transcript has no segments. Check the file."))])
    if problems := cue_problems(cues, duration):
        raise TranscriptFormatError(problems)


def cue_problems(
    cues: list[Cue], duration: float | None = None, numbers: list[int] | None = None
) -> list[tuple[int | None, str]]:
    """Every problem of ``cues`` as (line, message), in order. ``numbers`` are the segment
    numbers to name them by (default 1, 2, 3…): a parser that left out cues it could not read
    gives the numbers they have in the file."""
    problems: list[tuple[int | None, str]] = []
    previous: Cue | None = None
    for index, cue in enumerate(cues):
        number = numbers[index] if numbers else index + 1
        if not all(math.isfinite(t) and abs(t) <= MAX_SECONDS for t in (cue.start, cue.end)):
            problems.append(
                (
                    cue.line,
                    _(
                        "Segment %(number)s: its times must be seconds from 0 to %(max)s "
                        "(100 hours). Correct them."
                    )
                    % {"number": number, "max": f"{MAX_SECONDS:.0f}"},
                )
            )
            continue
        if not cue.text or not cue.text.strip():
            problems.append(
                _problem(
                    number, cue, _("%(segment)s has no text. Add the text or remove the segment.")
                )
            )
        if cue.start < 0 or cue.end < 0:
            problems.append(_problem(number, cue, _("%(segment)s has a negative time.")))
        if cue.end + TOLERANCE < cue.start:
            problems.append(
                _problem(
                    number,
                    cue,
                    _(
                        "%(segment)s ends (%(end)s) before it starts: the times run backwards. "
                        "Swap or correct them."
                    ),
                    end=format_clock(cue.end),
                )
            )
        if previous is not None:
            if cue.start + TOLERANCE < previous.start:
                problems.append(
                    _problem(
                        number,
                        cue,
                        _(
                            "%(segment)s starts before the previous segment (%(previous)s): times "
                            "must run forwards."
                        ),
                        previous=format_clock(previous.start),
                    )
                )
            elif cue.start + TOLERANCE < previous.end:
                problems.append(
                    _problem(
                        number,
                        cue,
                        _(
                            "%(segment)s overlaps the previous segment, which ends at %(end)s. "
                            "Start it at or after that time."
                        ),
                        end=format_timestamp(previous.end),
                    )
                )
        if duration and cue.end > duration + DURATION_TOLERANCE:
            problems.append(
                _problem(
                    number,
                    cue,
                    _(
                        "%(segment)s ends at %(end)s, after the end of the video (%(duration)s). "
                        "Check the times or the video."
                    ),
                    end=format_clock(cue.end),
                    duration=format_clock(duration),
                )
            )
        previous = cue
    return problems


def _problem(number: int, cue: Cue, message: str, **values) -> tuple[int | None, str]:
    """One cue's problem, with its line. The "segment N (time)" label is only built here, for a
    bad cue: building it for every cue cost more than the whole validation."""
    segment = _("segment %(number)s (%(time)s)") % {
        "number": number,
        "time": format_clock(cue.start),
    }
    return cue.line, message % {"segment": segment, **values}


# --------------------------------------------------------------------------- writing


def _vtt_escape(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("-->", "--&gt;")


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def to_vtt(cues: list[Cue]) -> str:
    blocks = ["WEBVTT"]
    for cue in cues:
        if cue.chapter:
            blocks.append(f"NOTE {CHAPTER_NOTE} {_one_line(cue.chapter)}")
        body = _vtt_escape(_one_line(cue.text))
        if cue.speaker:
            body = f"<v {_vtt_escape(_one_line(cue.speaker))}>{body}"
        blocks.append(f"{format_timestamp(cue.start)} --> {format_timestamp(cue.end)}\n{body}")
    return "\n\n".join(blocks) + "\n"


def to_srt(cues: list[Cue]) -> str:
    blocks = []
    for number, cue in enumerate(cues, start=1):
        body = _one_line(cue.text)
        if cue.speaker:
            body = f"{_one_line(cue.speaker)}: {body}"
        blocks.append(
            f"{number}\n{format_timestamp(cue.start, ',')} --> {format_timestamp(cue.end, ',')}"
            f"\n{body}"
        )
    return "\n\n".join(blocks) + "\n"


def _txt_stamp(seconds: float, long: bool) -> str:
    total = max(0, math.floor(seconds + TOLERANCE))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"[{hours:02d}:{minutes:02d}:{secs:02d}]" if long else f"[{minutes:02d}:{secs:02d}]"


def to_txt(cues: list[Cue]) -> str:
    """Readable text that :func:`parse_stamped_text` reads back (whole-second stamps)."""
    long = any(cue.start >= 3600 for cue in cues)
    blocks = []
    for cue in cues:
        lines = []
        if cue.chapter:
            lines.append(f"# {_one_line(cue.chapter)}\n")
        prefix = f"{_one_line(cue.speaker)}: " if cue.speaker else ""
        lines.append(f"{_txt_stamp(cue.start, long)} {prefix}{_one_line(cue.text)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


# --------------------------------------------------------------------------- deep links

_HMS = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s?)?$")


def time_param(seconds: float) -> str:
    """A moment as a ``?t=`` value: seconds to the hundredth, no trailing zeros (``31.17``,
    ``56``). Never rounded down to whole seconds: ``?t=31`` for a line starting at 31.17 would
    open the line before it."""
    return f"{max(0.0, float(seconds)):.2f}".rstrip("0").rstrip(".")


def parse_time_param(value: str | None) -> float | None:
    """Seconds from a deep-link value: ``754``, ``754.5``, ``12m34s``, ``1h2m3s``, ``12:34``,
    ``1:02:03``; None when absent or unreadable."""
    value = (value or "").strip().lower()[:20]
    if not value:
        return None
    if ":" in value:
        parts = value.split(":")
        if len(parts) > 3 or not all(p.isdigit() for p in parts):
            return None
        seconds = 0
        for part in parts:
            seconds = seconds * 60 + int(part)
        return float(seconds)
    match = _HMS.match(value)
    if not match or not any(match.groups()):
        return None
    hours, minutes, secs = match.groups()
    return int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(secs or 0)
