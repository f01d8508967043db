"""Load a realistic Swedish demo archive: series, speakers, seminars, videos, slides, transcripts.

Safe to re-run: what exists (found by slug) is kept, so a second run adds nothing.
``--reset`` deletes the demo content first and builds it again.
"""

import random
import time

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from archive.demo import build, content
from archive.models import SeminarPage


class Command(BaseCommand):
    help = "Load the demo archive (idempotent). --reset deletes the demo content first."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=2018,
            help="Random seed for generated transcripts (default 2018).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo seminars, speakers and files, then load again.",
        )

    def handle(self, *args, seed, reset, verbosity=1, **options):
        started = time.monotonic()
        rng = random.Random(seed)
        if reset:
            with transaction.atomic():
                deleted = build.reset_demo()
            self.stdout.write("Deleted: " + ", ".join(f"{n} {k}" for k, n in deleted.items()))

        summary = build.Summary()
        with transaction.atomic():
            user, created = build.ensure_admin()
            summary.count("admin user", created)
            collection = build.demo_collection()
            index = build.ensure_index(summary)
            snippets = build.ensure_snippets(summary, collection)
        existing = set(
            SeminarPage.objects.filter(slug__in=[s["slug"] for s in content.SEMINARS]).values_list(
                "slug", flat=True
            )
        )
        videos = 0
        progress = tqdm(content.SEMINARS, desc="Seminars", unit="seminar", disable=verbosity == 0)
        for data in progress:
            progress.set_postfix_str(data["slug"][:30])
            if data["slug"] in existing:
                summary.count("seminars", False)
                continue
            with transaction.atomic():
                build.build_seminar(data, index, snippets, collection, rng, user, videos)
            videos += data["video"] == "file"
            summary.count("seminars", True)

        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(self.summary_text(summary, elapsed)))

    @staticmethod
    def summary_text(summary, elapsed: float) -> str:
        def fmt(counts):
            return ", ".join(f"{n} {kind}" for kind, n in counts.items()) or "nothing"

        return (
            f"Demo archive ready in {elapsed:.1f} s.\n"
            f"  Created: {fmt(summary.created)}\n"
            f"  Already present: {fmt(summary.existing)}\n"
            f"  Site: http://127.0.0.1:8000/  (English: http://127.0.0.1:8000/en/)\n"
            f"  Admin: http://127.0.0.1:8000/admin/  login {build.ADMIN_USERNAME} / "
            f"{build.ADMIN_PASSWORD}"
        )
