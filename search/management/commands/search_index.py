"""Maintain the public search indexes: ``rebuild``, ``update`` or ``status [--check]``.

Acts on the database engine always, and on Elasticsearch too when ``ELASTICSEARCH_URL`` is set
(``--engine`` picks one).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search.engines import engine_errors, write_engines


class Command(BaseCommand):
    help = (
        "Rebuild the search indexes from scratch, update what is missing, stale or should not "
        "be there, or report drift between the indexes and the published seminars."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "update", "status"])
        parser.add_argument(
            "--engine",
            choices=["database", "elasticsearch"],
            help="Only this engine (default: every configured engine).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="With status: exit non-zero when any index has drifted.",
        )

    def handle(self, *args, action, engine=None, check=False, **options):
        engines = [e for e in write_engines() if engine in (None, e.name)]
        if not engines:
            raise CommandError(f"The {engine} engine is not configured (set ELASTICSEARCH_URL).")
        drifted = False
        for search_engine in engines:
            try:
                if action == "rebuild":
                    self.rebuild(search_engine)
                elif action == "update":
                    self.update(search_engine)
                else:
                    drifted |= not self.report(search_engine)
            except engine_errors() as exc:
                raise CommandError(
                    f"The {search_engine.name} engine is unavailable: {exc}"
                ) from exc
        if check and drifted:
            raise CommandError(
                "The search index has drifted from the published seminars; run "
                "'manage.py search_index update' (or 'rebuild' where the report says so)."
            )

    def _bar(self, total, name):
        return tqdm(
            total=total,
            desc=f"{name}: indexing",
            unit="seminar",
            file=self.stderr._out,
            disable=None,
        )

    def rebuild(self, engine):
        from archive.models import public_seminars

        with self._bar(public_seminars().count(), engine.name) as bar:
            count = engine.rebuild(progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"{engine.name}: rebuilt, {count} seminars indexed."))

    def update(self, engine):
        status = engine.status()
        todo = status["missing"] + status["stale"]
        extra = status.get("extra", [])
        for page_id in extra:
            engine.remove(page_id)
        count = 0
        if todo:
            with self._bar(len(todo), engine.name) as bar:
                if engine.name == "database":  # one run: it chunks and may use workers
                    count = engine.index_many(todo, progress=bar.update)
                else:
                    for start in range(0, len(todo), 50):
                        batch = todo[start : start + 50]
                        count += engine.index_many(_pages(batch))
                        bar.update(len(batch))
        self.stdout.write(
            self.style.SUCCESS(
                f"{engine.name}: {count} seminars indexed ({len(status['missing'])} missing, "
                f"{len(status['stale'])} stale), {len(extra)} removed."
            )
        )

    def report(self, engine) -> bool:
        status = engine.status()
        titles = status.get("titles", {})
        self.stdout.write(
            f"{engine.name}: {status['documents']} documents indexed, "
            f"{status['published']} published seminars."
        )
        for label, key in (
            ("missing from the index", "missing"),
            ("stale", "stale"),
            ("indexed but not public", "extra"),
        ):
            ids = status.get(key, [])
            if ids:
                self.stdout.write(self.style.WARNING(f"  {len(ids)} {label}:"))
                for page_id in ids[:50]:
                    title = titles.get(page_id) or titles.get(str(page_id), "")
                    self.stdout.write(f"    {page_id} {title}".rstrip())
                if len(ids) > 50:
                    self.stdout.write(f"    … and {len(ids) - 50} more")
        if status.get("rebuild"):  # built with other synonyms or analysis than now
            self.stdout.write(self.style.WARNING(f"  {status['rebuild']}"))
        if status["ok"]:
            self.stdout.write(self.style.SUCCESS("  In step with the archive."))
        return bool(status["ok"])


def _pages(page_ids):
    from archive.models import SeminarPage

    return list(SeminarPage.objects.filter(pk__in=page_ids))
