"""``manage.py import_seminars FILE``: bring a whole archive in from JSON Lines or a JSON array.

Every seminar is written in its own transaction, so one bad line never leaves half a seminar
behind and the good lines still land. The search index hears about the run once, at the end
(``archive.signals.bulk_changes``). Format: ``docs/import-format.md``.

Two passes over the file: the first checks every record and keeps only its line and address;
the second reads each valid record again and writes it. Memory therefore stays at one seminar
(plus the file's text) however large the archive is.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm
from wagtail.signal_handlers import disable_reference_index_auto_update

from archive.importers.seminars import (
    ImportRecord,
    RecordFailed,
    RecordProblem,
    SeminarsBySlug,
    SnippetCache,
    check_duplicates,
    check_target,
    check_update,
    defer_admin_search_index,
    iter_records,
    resolve_parent,
    validate_record,
    write_record,
)
from archive.signals import bulk_changes, note_changed


class Command(BaseCommand):
    help = "Import seminars from a JSON Lines file (or a JSON array); see docs/import-format.md."

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON Lines (.jsonl) or JSON array (.json) file.")
        parser.add_argument(
            "--parent",
            help="The archive to import into: a page id or path such as /seminarier/ "
            "(default: the first seminar archive).",
        )
        parser.add_argument(
            "--draft", action="store_true", help="Save as drafts instead of publishing."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check everything, including attachments, and write nothing.",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Update seminars whose id already exists (a new revision: published when the "
            "seminar is live, a draft when it is not); keys the file leaves out keep their "
            "current values. A seminar with an unpublished draft or in moderation is refused; "
            "see docs/import-format.md.",
        )

    def handle(self, *args, **options):
        path = Path(options["file"]).expanduser().resolve()
        if not path.is_file():
            raise CommandError(f"File not found: {path}")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} is not UTF-8 text ({exc}). Save it as UTF-8.") from exc
        if looks_like_csv(path, text):
            # One message, not "invalid JSON" for every row (editor review 10).
            raise CommandError(
                f"{path} looks like a CSV file (a spreadsheet export). The import reads JSON "
                "Lines, one JSON object per seminar and line, or a JSON array, not CSV: convert "
                "the file first. docs/import-format.md shows the format and its keys."
            )
        try:
            parent = resolve_parent(options["parent"])
        except LookupError as exc:
            raise CommandError(str(exc)) from exc

        started = time.monotonic()
        base_dir = path.parent
        self.notes: list[tuple[int, str]] = []  # (line, what an update does not as asked)
        lines, failed = self.validate(text, base_dir, parent, options)
        if not lines and not failed:
            raise CommandError(
                f"{path} holds no seminars: give one JSON object per line (or a JSON array of "
                "them); docs/import-format.md shows the format."
            )
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        if options["dry_run"]:
            self.stdout.write(
                f"Dry run: {len(lines)} seminar(s) would be imported into "
                f"{parent.url_path}; nothing was written."
            )
        else:
            failed += self.write(text, lines, base_dir, parent, options, counts)
        self.summary(counts, failed, options["dry_run"], time.monotonic() - started)
        if failed:
            seminars = len({p.line for p in failed})  # a seminar may have several problems
            raise CommandError(
                f"{seminars} seminar(s) failed ({len(failed)} problem(s)); see the list above."
            )

    def validate(self, text, base_dir, parent, options):
        """The line numbers of the valid records, and the problems of the rest.

        Records are checked one at a time and only their address is kept: the write pass reads
        them again, so a large archive's seminars and transcripts are never all in memory.

        A dry run of ``--update`` also checks each record against the seminar it updates, by the
        code the write pass uses (``check_update``); a real run leaves that to the write pass,
        which reports the same problems."""
        update, against_stored = options["update"], options["update"] and options["dry_run"]
        problems: list[RecordProblem] = []
        addresses = []  # line, slug and where the slug came from, for the duplicate check
        seminars = SeminarsBySlug(parent)
        snippets = SnippetCache()
        for line, obj, problem in tqdm(
            iter_records(text), desc="Checking", unit="seminar", disable=None
        ):
            if problem:
                problems.append(problem)
                continue
            record, found = validate_record(obj, line, base_dir, for_update=update)
            if not found:
                existing = seminars.get(record.slug) if record.slug else None
                found = check_target(record, parent, update=update, existing=existing)
                if not found and against_stored and existing is not None:
                    found, note = check_update(
                        record, existing, draft=options["draft"], snippets=snippets
                    )
                    if note and not found:
                        self.notes.append((line, note))
            problems += found
            addresses.append(ImportRecord(line, slug=record.slug, slug_key=record.slug_key))
        problems += check_duplicates(addresses)
        bad = {p.line for p in problems}
        return [a.line for a in addresses if a.line not in bad], problems

    def write(self, text, lines, base_dir, parent, options, counts) -> list[RecordProblem]:
        wanted = set(lines)
        cache = SnippetCache()
        seminars = SeminarsBySlug(parent)
        problems: list[RecordProblem] = []
        valid = (row for row in iter_records(text) if row[0] in wanted)
        with (
            bulk_changes() as changed,
            disable_reference_index_auto_update(),
            defer_admin_search_index(),
        ):
            for line, obj, _problem in tqdm(
                valid, total=len(wanted), desc="Importing", unit="seminar", disable=None
            ):
                # Checked again as it is read (the same checks as above): an attachment that
                # went missing since is reported, not half-written.
                record, found = validate_record(obj, line, base_dir, for_update=options["update"])
                if found:
                    problems += found
                    continue
                try:
                    with transaction.atomic():
                        result = write_record(
                            record,
                            parent,
                            update=options["update"],
                            draft=options["draft"],
                            cache=cache,
                            seminars=seminars,
                        )
                except RecordFailed as exc:
                    cache.rollback()
                    problems += exc.problems
                    continue
                except Exception as exc:  # noqa: BLE001 - report the line and go on
                    cache.rollback()
                    problems.append(RecordProblem(record.line, "", f"could not be saved: {exc}"))
                    continue
                cache.commit()
                seminars.add(result.page)
                counts[result.action] += 1
                if result.note:
                    self.notes.append((line, result.note))
            # Those this run wrote are indexed as it ends anyway: only the others were left
            # out by an earlier run (every seminar this run created is unindexed until then).
            self.healed = [pk for pk in unindexed_seminars(parent) if pk not in changed]
            for pk in self.healed:
                note_changed(pk)
            self.changed = set(changed)
            index_started = time.monotonic()
        queued = not tasks_run_at_once()
        if self.changed and queued:
            self.stdout.write(
                f"Search index: {len(self.changed)} seminar(s) queued for the task worker "
                "(manage.py db_worker); they become searchable once it has run."
            )
        elif self.changed:
            self.stdout.write(
                f"Search index updated for {len(self.changed)} seminar(s) in "
                f"{time.monotonic() - index_started:.1f} s."
            )
        if self.healed:
            self.stdout.write(
                f"{len(self.healed)} of them had been published before but were missing from "
                "the search index (an earlier run stopped before its end): "
                + ("queued now." if queued else "indexed now.")
            )
        return problems

    def summary(self, counts, failed, dry_run, seconds):
        failed = sorted(failed, key=lambda p: (p.line, p.key))
        failed_lines = sorted({p.line for p in failed})
        if dry_run:
            self.stdout.write(
                f"Checked in {seconds:.1f} s: {len(failed_lines)} seminar(s) with problems."
            )
        else:
            self.stdout.write(
                f"Done in {seconds:.1f} s: {counts['created']} created, {counts['updated']} "
                f"updated, {counts['unchanged']} skipped (unchanged), {len(failed_lines)} failed."
            )
        for line, note in sorted(self.notes):
            self.stdout.write(f"Note: line {line}: {note}")
        if failed:
            self.stderr.write(f"Failed lines: {', '.join(str(n) for n in failed_lines)}")
            for problem in failed:
                self.stderr.write(f"  {problem}")


FIRST_LINE_RE = re.compile(r"[\ufeff\s]*([^\r\n]*)")


def looks_like_csv(path: Path, text: str) -> bool:
    """Whether the file is a CSV export rather than JSON: named ``.csv`` or ``.tsv``, or its
    first line a header row such as ``id,title,start``: column names separated by commas,
    semicolons or tabs, where a JSON line starts with ``{`` (or the array with ``[``)."""
    if path.suffix.lower() in (".csv", ".tsv"):
        return True
    first = FIRST_LINE_RE.match(text)[1].strip()  # not splitlines(): the file may be large
    return not first.startswith(("{", "[")) and any(sep in first for sep in ",;\t")


def tasks_run_at_once() -> bool:
    """Whether background tasks run in this process as they are enqueued (development, tests)
    rather than by a worker (production's database queue)."""
    from django_tasks import task_backends
    from django_tasks.backends.immediate import ImmediateBackend

    return isinstance(task_backends["default"], ImmediateBackend)


def unindexed_seminars(parent) -> list[int]:
    """The public seminars under ``parent`` that the database search index lacks: an import
    killed before its end (where it indexes everything it wrote at once) leaves its seminars
    published but unsearchable, and running it again skips them as existing or unchanged. Every
    run ends by indexing them (two queries: cheap next to an import)."""
    from archive.models import public_seminars
    from search.models import SearchEntry

    public = set(public_seminars().child_of(parent).values_list("pk", flat=True))
    return sorted(public - set(SearchEntry.objects.values_list("page_id", flat=True)))
