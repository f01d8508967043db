"""Load a realistic Swedish demo archive: series, speakers, seminars, videos, slides, transcripts.

Safe to re-run: what exists (found by slug) is kept, so a second run adds nothing.
``--reset`` deletes the demo content first and builds it again.
"""

import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_tasks import task_backends
from django_tasks.backends.immediate import ImmediateBackend
from tqdm import tqdm

from archive.demo import build, content
from archive.models import SeminarPage

SEED = 2018


class Command(BaseCommand):
    help = "Load the demo archive (idempotent). --reset deletes the demo content first."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=SEED,
            help=f"Random seed for generated transcripts (default {SEED}). Seminars already "
            "loaded keep theirs: add --reset to load them again with this seed.",
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
        # The demo password only while it still is the admin's (one set by hand is not shown).
        password = build.ADMIN_PASSWORD if user.check_password(build.ADMIN_PASSWORD) else None
        self.stdout.write(self.style.SUCCESS(self.summary_text(summary, elapsed, password)))
        if seed != SEED and not reset and summary.existing.get("seminars"):
            self.stdout.write(
                f"--seed {seed} changed nothing in the {summary.existing['seminars']} seminar(s) "
                f"already loaded: run with --reset --seed {seed} to load them again."
            )
        if not isinstance(task_backends["default"], ImmediateBackend):
            self.stdout.write(
                "Search indexing and slide text extraction were queued, not done: they happen "
                "once `manage.py db_worker` runs (docker compose: the worker service)."
            )

    @staticmethod
    def summary_text(summary, elapsed: float, password: str | None) -> str:
        def fmt(counts):
            return ", ".join(f"{n} {kind}" for kind, n in counts.items()) or "nothing"

        # Where the site answers: BASE_URL (`make run` sets it from HOST and PORT).
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        login = f"{build.ADMIN_USERNAME} / {password}" if password else build.ADMIN_USERNAME
        if not password:
            login += " (with the password it already had)"
        return (
            f"Demo archive ready in {elapsed:.1f} s.\n"
            f"  Created: {fmt(summary.created)}\n"
            f"  Already present: {fmt(summary.existing)}\n"
            f"  Site: {base}/  (English: {base}/en/)\n"
            f"  Admin: {base}/admin/  login {login}"
        )
