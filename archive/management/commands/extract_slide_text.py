"""``manage.py extract_slide_text``: read the text of every slide PDF again.

An upload extracts a PDF's text once (a background task). When the extraction rules change (an
upgrade note says so), the text stored before stays as it was until this command redoes it; the
seminars showing the documents are then reindexed once. Thumbnails are left as they are.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from archive.models import ArchiveDocument
from archive.slides import extract_all_documents


class Command(BaseCommand):
    help = (
        "Extract the text of every slide PDF again (after an upgrade changed the extraction) "
        "and reindex the seminars that show them."
    )

    def handle(self, *args, verbosity=1, **options):
        total = ArchiveDocument.objects.exclude(file="").count()
        with tqdm(total=total, desc="Documents", unit="document", disable=verbosity == 0) as bar:
            counts, missing = extract_all_documents(progress=bar.update)
        labels = dict(ArchiveDocument.TextStatus.choices)
        parts = [f"{labels.get(status, status)}: {n}" for status, n in sorted(counts.items())]
        self.stdout.write(
            f"Read {sum(counts.values())} of {total} document(s)"
            + (f" ({'; '.join(parts)})." if parts else ".")
        )
        if missing:
            listed = "\n".join(f"  {d.pk}: {d.title} ({d.file.name})" for d in missing[:50])
            more = f"\n  … and {len(missing) - 50} more" if len(missing) > 50 else ""
            raise CommandError(
                f"{len(missing)} document file(s) were not found, so their stored text was "
                f"kept. Check MEDIA_ROOT (or restore the files) and run the command again:"
                f"\n{listed}{more}"
            )
