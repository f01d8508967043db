"""``manage.py import_announcement FILE...``: old announcement pages (text or HTML) -> drafts.

Only local files are read; URLs are never fetched. Every file becomes one draft seminar, with what
the parser was unsure of printed here and kept in the draft's notes for editors. A file whose
seminar the archive already has (the same title on the same day, drafts included) is refused, as
in the admin view, unless ``--allow-duplicate`` is given: re-running over a folder made a second
copy of every announcement without a word.
"""

from __future__ import annotations

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
        parser.add_argument("files", nargs="+", metavar="FILE")
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
            except (AnnouncementError, OSError) as exc:
                failed.append(name)
                self.stderr.write(f"{name}: {exc}")
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
        try:  # UTF-8 (with or without BOM) or UTF-16 with a BOM, as transcript uploads
            text = decode_transcript(path.read_bytes())
        except TranscriptFormatError as exc:
            raise AnnouncementError(" ".join(exc.messages())) from exc
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
