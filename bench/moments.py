"""How long the database engine takes to rank the seminars a query matches and to pick the
transcript moments of a page of hits.

    DATABASE_URL=postgres://... .venv/bin/python bench/moments.py [--seminars 500]
                                                                   [--segments 1500] [--repeat 7]

A search shows up to three transcript moments for each of its 20 hits: the segments that match
the most query words, the earliest first. With long transcripts and common words that step was
most of a PostgreSQL search. This prints, for a fixed set of words from rare to common and of one
to three words, the time of that step alone (``dialect().match_parts`` for the 20 best hits),
the median of ``--repeat`` runs, and the rows the planner estimated per seminar; then the
median time of ranking every matching seminar (``dialect().match_entries``) and of the whole
search (``DatabaseEngine().search``, the first page of 20 by relevance, with facets).

The archive is generated with ``bench/generate.py`` and imported with ``import_seminars`` into
the database DATABASE_URL names (an SQLite file under /tmp when unset), once: an archive that
already has seminars is reused, so two versions of the code can be run against the same data,
alternately. Give it an empty PostgreSQL database the first time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

# From rare to common in bench/generate.py's text, one to three words.
QUERIES = [
    "resultatlärande",
    "välfärdsstatistik",
    "kvalitetsledning",
    "detaljstyrning",
    "npm",
    "hållbarhet",
    "styrning",
    "välfärd",
    "kompetens",
    "styrning detaljstyrning",
    "kvalitetsledning tillit",
    "tillit kvalitet",
    "kompetens hållbarhet",
    "valfard kompetens styrning",
    "tillit kvalitet välfärd",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seminars", type=int, default=500)
    parser.add_argument("--segments", type=int, default=1500)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    workdir = Path(tempfile.gettempdir()) / "bench-moments"
    workdir.mkdir(exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'moments.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from search.analysis import parse_query
    from search.engines.database import dialect
    from search.models import SearchEntry, SearchSegment

    call_command("migrate", verbosity=0, interactive=False)
    if not SearchEntry.objects.exists():
        from generate import generate
        from import_speed import make_archive

        make_archive()
        path = generate(workdir / "data", args.seminars, (args.segments, args.segments), seed=1)
        started = time.perf_counter()
        call_command("import_seminars", str(path), verbosity=0)
        print(f"Imported {args.seminars} seminars in {time.perf_counter() - started:.0f} s.")
    print(
        f"{connection.vendor}: {SearchEntry.objects.count()} seminars, "
        f"{SearchSegment.objects.count()} transcript segments; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores."
    )
    index = dialect()
    estimate = getattr(index, "_estimated_per_page", None)
    from search.engines.base import SearchQuery
    from search.engines.database import DatabaseEngine

    engine = DatabaseEngine()

    def median_ms(call):
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            call()
            timings.append((time.perf_counter() - started) * 1000)
        return statistics.median(timings)

    totals, rank_totals, search_totals = [], [], []
    print(
        f"{'query':30} {'hits':>4} {'moments':>7} {'estimate/hit':>12} {'median ms':>9} "
        f"{'rank ms':>8} {'search ms':>9}"
    )
    for q in QUERIES:
        parsed = parse_query(q)
        scores = index.match_entries(parsed)
        ids = [pid for pid, _ in sorted(scores.items(), key=lambda kv: -kv[1])[:20]]
        timings, rows = [], []
        for _ in range(args.repeat):
            started = time.perf_counter()
            rows = index.match_parts("segment", parsed, ids) if ids else []
            timings.append((time.perf_counter() - started) * 1000)
        guess = ""
        if estimate and ids and connection.vendor == "postgresql":
            from search.engines.database import tsquery_expression

            with connection.cursor() as cursor:
                match = "tsv @@ to_tsquery('simple', %s)"
                every = tsquery_expression(parsed.clauses, "&")
                guess = f"{estimate(cursor, 'search_searchsegment', match, [every], ids):.1f}"
        median = statistics.median(timings)
        totals.append(median)
        rank = median_ms(lambda parsed=parsed: index.match_entries(parsed))
        rank_totals.append(rank)
        whole = median_ms(lambda q=q: engine.search(SearchQuery(q=q)))
        search_totals.append(whole)
        print(
            f"{q:30} {len(ids):4} {len(rows):7} {guess:>12} {median:9.2f} {rank:8.2f} {whole:9.2f}"
        )
    for name, values in (
        ("moments", totals),
        ("ranking", rank_totals),
        ("whole search", search_totals),
    ):
        total, slowest = sum(values), max(values)
        print(f"{name}: sum of the medians {total:.1f} ms; the slowest query {slowest:.1f} ms.")


if __name__ == "__main__":
    main()
