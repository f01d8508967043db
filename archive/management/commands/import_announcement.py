"""``manage.py import_announcement FILE...``: old announcement pages (text or HTML) -> drafts.

Only local files are read; URLs are never fetched. Every file becomes one draft seminar, with what
the parser was unsure of printed here and kept in the draft's notes for editors. A file whose
seminar the archive already has (the same title on the same day, drafts included) is refused, as
in the admin view, unless ``--allow-duplicate`` is given: re-running over a folder made a second
copy of every announcement without a word.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from archive.importers.announcement import (
    AnnouncementError,
    create_draft,
    parse_announcement,
    same_seminars,
)
from archive.importers.seminars import resolve_parent
from archive.transcript_formats import TranscriptFormatError, decode_transcript


class Command(BaseCommand):
    help = "Create draft seminars from saved announcement pages (plain text or HTML files)."

    def add_arguments(self, parser):
        parser.add_argument(
            "files",
            nargs="+",
            metavar="FILE",
            help="Saved announcement pages: plain text or HTML, UTF-8 or UTF-16 with a byte order "
            "mark; HTML also in the character set its <meta> tag declares (e.g. ISO-8859-1).",
        )
        parser.add_argument(
            "--year",
            type=int,
            help='Year for dates written without one ("31 maj"); default: '
            "the year of a “Publicerad” date in the text.",
        )
        parser.add_argument(
            "--parent",
            help="The archive to add the drafts to: a page id or "
            "path (default: the first seminar archive).",
        )
        parser.add_argument(
            "--allow-duplicate",
            action="store_true",
            help="Create a draft even if the archive already has a seminar with the same "
            "title on the same day (without it such a file is refused and nothing is created).",
        )

    def handle(self, *args, **options):
        if options["year"] is not None and not 1900 <= options["year"] <= 2100:
            raise CommandError(f"--year {options['year']} is not a plausible year.")
        try:
            parent = resolve_parent(options["parent"])
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        failed, duplicates = [], []
        for name in options["files"]:
            path = Path(name)
            try:
                page, announcement = self.import_file(
                    path, parent, options["year"], options["allow_duplicate"]
                )
            except AlreadyInArchive as exc:
                duplicates.append(name)
                self.stderr.write(f"{name}: {exc}")
                continue
            except AnnouncementError as exc:
                failed.append(name)
                self.stderr.write(f"{name}: {exc}")
                continue
            except OSError as exc:
                failed.append(name)
                self.stderr.write(f"{name}: {file_problem(path, exc)}")
                continue
            self.report(name, page, announcement)
        created = len(options["files"]) - len(failed) - len(duplicates)
        summary = f"{created} draft(s) created, "
        if duplicates:
            summary += f"{len(duplicates)} already in the archive, "
        self.stdout.write(f"{summary}{len(failed)} failed.")
        problems = []
        if failed:
            problems.append(f"Could not import: {', '.join(failed)}")
        if duplicates:
            problems.append(
                f"Already in the archive, so not imported: {', '.join(duplicates)}. Edit the "
                "seminars named above, or re-run with --allow-duplicate to create another draft"
            )
        if problems:
            raise CommandError(". ".join(problems) + ".")

    def import_file(self, path: Path, parent, year, allow_duplicate=False):
        text = decode_announcement(path.read_bytes())
        announcement = parse_announcement(text, year=year)
        existing = [] if allow_duplicate else list(same_seminars(announcement, parent)[:5])
        if existing:
            raise AlreadyInArchive(existing)
        with transaction.atomic():
            page = create_draft(announcement, parent)
        return page, announcement

    def report(self, name, page, announcement):
        self.stdout.write(
            f"{name}: draft “{page.title}” (page id {page.pk}, /admin/pages/{page.pk}/edit/)"
        )
        for key, value in announcement.recognised().items():
            self.stdout.write(f"  {key}: {value}")
        if announcement.unsure:
            self.stdout.write("  Unsure, check in the draft:")
            for item in announcement.unsure:
                self.stdout.write(f"   - {item}")


class AlreadyInArchive(Exception):
    """The archive already has the seminar of an announcement (``same_seminars``)."""

    def __init__(self, existing):
        self.existing = existing
        listed = "; ".join(
            f"“{page.title}” ({'published' if page.live else 'draft'}, page id {page.pk}, "
            f"/admin/pages/{page.pk}/edit/)"
            for page in existing
        )
        super().__init__(
            f"the archive already has this seminar (the same title on the same day): {listed}. "
            "Nothing was created. Edit it, or run again with --allow-duplicate to create "
            "another draft."
        )


def file_problem(path: Path, exc: OSError) -> str:
    """What is wrong with ``path``, in words (not "[Errno 2] ...")."""
    if not path.exists():
        return "file not found (check the name and the folder you run the command from)."
    if path.is_dir():
        return "this is a folder; name the files in it (e.g. folder/*.html)."
    return f"cannot be read: {exc.strerror or exc}."


# A <meta> tag's declared character set: <meta charset="..."> or <meta http-equiv="Content-Type"
# content="text/html; charset=...">, looked for in the start of the page, as browsers do.
META_CHARSET_RE = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
HTML_HEAD_BYTES = 16_384
# Browsers read pages declared ISO-8859-1 or ASCII as Windows-1252 (the WHATWG encoding
# standard): the “curly quotes” and – dashes of such pages are Windows-1252 bytes.
AS_WINDOWS_1252 = {"latin-1", "iso8859-1", "ascii", "cp1252"}


def decode_announcement(data: bytes) -> str:
    """The text of a saved page: UTF-8 (with or without BOM) or UTF-16 with a BOM, as transcript
    uploads; else, for an HTML page, the character set its <meta> tag declares."""
    try:
        return decode_transcript(data)
    except TranscriptFormatError as exc:
        utf8_problem = " ".join(exc.messages())
        match = META_CHARSET_RE.search(data[:HTML_HEAD_BYTES])
        if match is None:
            raise AnnouncementError(utf8_problem) from exc
    label = match.group(1).decode("ascii")
    try:
        encoding = codecs.lookup(label).name
    except LookupError:
        raise AnnouncementError(
            f"the page declares the character set “{label}”, which is unknown here. Open it in "
            "a text editor or a browser and save it as UTF-8."
        ) from None
    if encoding.startswith("utf"):
        # It says UTF-8 (or UTF-16, which a <meta> tag cannot mean) but is not.
        raise AnnouncementError(utf8_problem)
    if encoding in AS_WINDOWS_1252:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")  # the five bytes Windows-1252 leaves undefined
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise AnnouncementError(
            f"line {line} is not {label}, the character set the page declares. Open it in a "
            "text editor or a browser and save it as UTF-8."
        ) from None
