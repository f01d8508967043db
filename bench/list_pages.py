"""How fast the pages that list many seminars answer on a large archive (SQLite).

    .venv/bin/python bench/list_pages.py [--seminars 2000] [--runs 15] [--keep DIR]

Generates ``--seminars`` seminars with ``bench/generate.py`` (short transcripts: the lists never
show them), imports them through ``import_seminars`` into a fresh SQLite file, then requests
each list with Django's test client (full stack: routing, Wagtail serving, templates,
middleware) ``--runs`` times and prints p50/p95 time, SQL queries and time per request, and
the response size: the archive listing (first page, a deep page, filtered by series and by
year), the most prolific speaker's page, the feeds, the sitemap and the API lists.
``--keep DIR`` keeps the archive in DIR and reuses it on the next run (to compare code versions
on the same data). Benchmarks print figures; they are never timed tests.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from server import archive_root, percentile  # noqa: E402


def setup(workdir: Path, seminars: int) -> None:
    fresh = not (workdir / "bench.sqlite3").exists()
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if not fresh:
        return
    from generate import generate

    archive_root()
    path = generate(workdir / "data", seminars, (20, 20), seed=1)
    started = time.perf_counter()
    call_command("import_seminars", str(path), stdout=io.StringIO(), stderr=sys.stderr)
    print(f"imported {seminars} seminars in {time.perf_counter() - started:.0f} s")


def addresses() -> list[tuple[str, str]]:
    from django.db.models import Count
    from django.urls import reverse

    from archive.models import Series, Speaker

    root = archive_root().url
    speaker = Speaker.objects.annotate(n=Count("seminar_roles")).order_by("-n").first()
    series = Series.objects.order_by("pk").first()
    year = archive_root().seminars().order_by("start").first().local_start.year + 1
    return [
        ("archive listing", root),
        ("listing, page 50", f"{root}?page=50"),
        ("listing, one series", f"{root}?series={series.slug}"),
        ("listing, one year", f"{root}?year={year}"),
        (f"speaker page ({speaker.n} seminars)", reverse("speaker_detail", args=[speaker.slug])),
        ("RSS feed", reverse("feeds:rss")),
        ("series RSS feed", reverse("feeds:series_rss", args=[series.slug])),
        ("calendar (iCalendar)", reverse("feeds:ics")),
        ("sitemap", "/sitemap.xml"),
        ("API seminar list", "/api/seminars/"),
        ("API speaker list", "/api/speakers/"),
        ("API series list", "/api/series/"),
    ]


def measure(client, url: str, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm: caches, compiled templates
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    times, sql = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        sql.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
    return {
        "p50_ms": round(percentile(times, 50), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "sql_ms_p50": round(percentile(sql, 50), 1),
        "queries": len(ctx.captured_queries),
        "kb": round(len(response.content) / 1024),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seminars", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the archive in this folder")
    args = parser.parse_args(argv)

    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        workdir = args.keep
    else:
        workdir = Path(tempfile.mkdtemp(prefix="list-bench-"))
    setup(workdir, args.seminars)
    from django.conf import settings
    from django.test import Client

    from archive.models import SeminarPage

    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    count = SeminarPage.objects.live().count()
    print(f"\n{count} public seminars, {args.runs} requests each (Django test client)\n")
    print(f"{'page':38} {'p50 ms':>8} {'p95 ms':>8} {'SQL ms':>7} {'queries':>8} {'KB':>5}")
    results = {}
    for label, url in addresses():
        row = results[label] = {"url": url, **measure(client, url, args.runs)}
        print(
            f"{label:38} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f} {row['sql_ms_p50']:7.1f} "
            f"{row['queries']:8d} {row['kb']:5d}"
        )
    print()
    print(json.dumps({"seminars": count, "runs": args.runs, "pages": results}))
    if not args.keep:
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
