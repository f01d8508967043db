"""``manage.py run_schedule``: the periodic jobs of a deployment, in one long-running process
(docker compose's ``scheduler`` service).

- Every minute (``--interval``), Wagtail's ``publish_scheduled``: a seminar's go-live and expiry
  dates (its *Settings* tab) take effect only when it runs. Until then an expired seminar stays
  in the API, the feeds, the sitemap and search.
- Once a day, when background tasks go through the database (production), django-tasks-db's
  ``prune_db_task_results``: finished task results older than 14 days. Every publish adds rows,
  and nothing else removes them.

A job that fails (the database restarting) is logged and tried again at its next turn.
``--once`` runs each job once and exits. Without Docker, cron can run the two commands
themselves (README, "Scheduled publishing").
"""

from __future__ import annotations

import logging
import signal
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django_tasks import task_backends

log = logging.getLogger("archive.schedule")

PRUNE_EVERY = 24 * 3600  # seconds


def tasks_in_database() -> bool:
    """True when background tasks are queued in the database (their results pile up there)."""
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)


class Command(BaseCommand):
    help = (
        "Run Wagtail's publish_scheduled every minute (scheduled go-live and expiry dates) and "
        "prune old task results once a day, until stopped. --once: each job once, then exit."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Run each job once and exit (e.g. from cron)."
        )
        parser.add_argument(
            "--interval",
            type=int,
            default=60,
            help="Seconds between two runs of publish_scheduled (default 60).",
        )

    def handle(self, *args, once, interval, verbosity=1, **options):
        if interval < 1:
            raise CommandError(f"--interval must be 1 second or more, got {interval}.")
        self.verbosity = verbosity
        self.stop = threading.Event()
        if once:
            self.run_jobs(once=True, interval=interval)
            return
        # docker stop sends SIGTERM; as the container's first process Python would ignore it
        # (no default action for PID 1) and be killed 10 s later, perhaps mid-publish. The job
        # under way finishes, then the loop ends.
        previous = {
            signum: signal.signal(signum, lambda *_args: self.stop.set())
            for signum in (signal.SIGTERM, signal.SIGINT)
        }
        self.stdout.write(
            f"Running publish_scheduled every {interval} s"
            + (" and prune_db_task_results daily" if tasks_in_database() else "")
            + "; stop with Ctrl+C or SIGTERM."
        )
        try:
            self.run_jobs(once=False, interval=interval)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def run_jobs(self, once: bool, interval: int) -> None:
        next_prune = time.monotonic()
        while True:
            self.run_job("publish_scheduled")
            if time.monotonic() >= next_prune and tasks_in_database():
                self.run_job("prune_db_task_results", "--queue-name", "*")
                next_prune = time.monotonic() + PRUNE_EVERY
            if once:
                return
            # No connection is held through the pause: one the database dropped meanwhile (a
            # restart) would fail every later run.
            connections.close_all()
            if self.stop.wait(interval):
                return

    def run_job(self, name: str, *args) -> bool:
        try:
            call_command(name, *args, verbosity=self.verbosity, stdout=self.stdout)
        except Exception:  # the next turn tries again; the process must not die of it
            log.exception("Scheduled job %s failed", name)
            self.stderr.write(f"{name} failed (see the log); trying again at its next turn.")
            return False
        return True
