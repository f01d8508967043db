"""``manage.py import_seminars FILE``: bring a whole archive in from JSON Lines or a JSON array.

Every seminar is written in its own transaction, so one bad line never leaves half a seminar
behind and the good lines still land. The search index hears about the run once, at the end
(``archive.signals.bulk_changes``). Format: ``docs/import-format.md``.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm
from wagtail.signal_handlers import disable_reference_index_auto_update

from archive.importers.seminars import (
    RecordFailed,
    RecordProblem,
    SeminarsBySlug,
    SnippetCache,
    check_duplicates,
    check_target,
    defer_admin_search_index,
    read_records,
    resolve_parent,
    validate_record,
    write_record,
)
from archive.signals import bulk_changes


class Command(BaseCommand):
    help = "Import seminars from a JSON Lines file (or a JSON array); see docs/import-format.md."

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON Lines (.jsonl) or JSON array (.json) file.")
        parser.add_argument(
            "--parent", help="The archive to import into: a page id or path such as /seminarier/ "
            "(default: the first seminar archive).",
        )
        parser.add_argument("--draft", action="store_true",
                            help="Save as drafts instead of publishing.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Check everything, including attachments, and write nothing.")
        parser.add_argument("--update", action="store_true",
                            help="Update seminars whose id already exists (a new revision); "
                            "keys the file leaves out keep their current values.")

    def handle(self, *args, **options):
        path = Path(options["file"]).expanduser().resolve()
        if not path.is_file():
            raise CommandError(f"File not found: {path}")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} is not UTF-8 text ({exc}). Save it as UTF-8.") from exc
        try:
            parent = resolve_parent(options["parent"])
        except LookupError as exc:
            raise CommandError(str(exc)) from exc

        started = time.monotonic()
        records, failed = self.validate(text, path.parent, parent, options["update"])
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {len(records)} seminar(s) would be imported into "
                              f"{parent.url_path}; nothing was written.")
        else:
            failed += self.write(records, parent, options, counts)
        self.summary(counts, failed, options["dry_run"], time.monotonic() - started)
        if failed:
            raise CommandError(f"{len(failed)} seminar(s) failed; see the list above.")

    def validate(self, text, base_dir, parent, update):
        """Valid records to write and a list of problems for the rest (sorted by line)."""
        rows = read_records(text)
        problems: list[RecordProblem] = []
        records = []
        seminars = SeminarsBySlug(parent)
        for line, obj, problem in tqdm(rows, desc="Checking", unit="seminar", disable=None):
            if problem:
                problems.append(problem)
                continue
            record, found = validate_record(obj, line, base_dir, for_update=update)
            if not found:
                found = check_target(record, parent, update=update,
                                     existing=seminars.get(record.slug) if record.slug else None)
            problems += found
            records.append(record)
        problems += check_duplicates(records)
        bad = {p.line for p in problems}
        valid = records
        return [r for r in valid if r.line not in bad], problems

    def write(self, records, parent, options, counts) -> list[RecordProblem]:
        cache = SnippetCache()
        seminars = SeminarsBySlug(parent)
        problems: list[RecordProblem] = []
        with (bulk_changes() as changed, disable_reference_index_auto_update(),
              defer_admin_search_index()):
            for record in tqdm(records, desc="Importing", unit="seminar", disable=None):
                try:
                    with transaction.atomic():
                        result = write_record(record, parent, update=options["update"],
                                              draft=options["draft"], cache=cache,
                                              seminars=seminars)
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
            self.changed = set(changed)
            index_started = time.monotonic()
        if self.changed:
            self.stdout.write(f"Search index updated for {len(self.changed)} seminar(s) in "
                              f"{time.monotonic() - index_started:.1f} s.")
        return problems

    def summary(self, counts, failed, dry_run, seconds):
        failed = sorted(failed, key=lambda p: (p.line, p.key))
        failed_lines = sorted({p.line for p in failed})
        if dry_run:
            self.stdout.write(f"Checked in {seconds:.1f} s: {len(failed_lines)} seminar(s) with "
                              "problems.")
        else:
            self.stdout.write(
                f"Done in {seconds:.1f} s: {counts['created']} created, {counts['updated']} "
                f"updated, {counts['unchanged']} skipped (unchanged), {len(failed_lines)} failed."
            )
        if failed:
            self.stderr.write(f"Failed lines: {', '.join(str(n) for n in failed_lines)}")
            for problem in failed:
                self.stderr.write(f"  {problem}")
