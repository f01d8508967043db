"""The archive's benchmark: import, search and page figures on a generated archive.

    python bench/run.py [--seminars 500,2000,10000] [--engine database|elasticsearch]
                        [--segments 300-3000] [--repeat 5] [--json-out bench/out/results.json]

Generates a realistic archive once (Swedish-like text, speakers, series, transcripts, slide PDFs)
and imports it in stages so the figures at each size N come from one growing archive:

- import and indexing throughput (seminars/s) of each stage, through `import_seminars`;
- search API latency p50/p95/p99 over a fixed mixed query set (words, phrases, names, filters,
  facets), and side by side the same queries through Wagtail's stock search
  (`SeminarPage.objects.live().search(q)`) and a raw full-text query on the same database
  (SQLite FTS5 `MATCH` / PostgreSQL `to_tsquery` on Wagtail's own index table), with ratios;
- seminar page render p50/p95 for a page with a 3,000-segment transcript and its SQL query count,
  next to a static file served by the same server (gunicorn, 1 worker), as a ratio;
- peak memory (RSS) of the web process.

Prints a table and the same figures as JSON. Uses a temporary SQLite database unless
DATABASE_URL is set (then that database is used: give it an empty one).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from server import archive_root, gunicorn, memory_kb, percentile, worker_pids  # noqa: E402

# (label, API query string). Mixed: single words, inflections, compounds, phrases, names,
# no-diacritics typing, filters and facets.
QUERY_SET = [
    ("word", "q=styrning"),
    ("inflected", "q=styrningen"),
    ("compound", "q=detaljstyrning"),
    ("synonym", "q=npm"),
    ("no-diacritics", "q=valfard"),
    ("phrase", 'q="tillitsbaserad styrning"'),
    ("two words", "q=kompetens ledning"),
    ("name", "q=Hartman"),
    ("word+series", "q=tillit&series=chefsfrukost"),
    ("word+year", "q=digitalisering&year=2018"),
    ("filter only", "series=forvaltningsdagarna"),
    ("word+lang+sort", "q=forskning&lang=en&sort=newest"),
]


def ms(values):
    quantiles = (("p50", 50), ("p95", 95), ("p99", 99))
    return {k: round(percentile(values, n) * 1000, 2) for k, n in quantiles}


def setup_django(workdir: Path, engine: str):
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["STATIC_ROOT"] = str(workdir / "static")
    if engine == "database":
        os.environ["ELASTICSEARCH_URL"] = ""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.API_RATE_LIMIT = ""
    settings.ALLOWED_HOSTS = ["*"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    archive_root()


def split_jsonl(path: Path, sizes: list[int]) -> list[Path]:
    """Stage files: lines [0, sizes[0]), [sizes[0], sizes[1]), ..."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    stages, prev = [], 0
    for i, n in enumerate(sizes):
        stage = path.with_name(f"stage{i}.jsonl")
        stage.write_text("".join(lines[prev:n]), encoding="utf-8")
        stages.append(stage)
        prev = n
    return stages


def time_import(stage: Path) -> dict:
    from io import StringIO

    from django.core.management import call_command

    n = sum(1 for _ in stage.open(encoding="utf-8"))
    t0 = time.perf_counter()
    call_command("import_seminars", str(stage), stdout=StringIO(), stderr=StringIO())
    elapsed = time.perf_counter() - t0
    return {
        "seminars": n,
        "seconds": round(elapsed, 2),
        "seminars_per_second": round(n / elapsed, 1),
    }


def time_api(client, repeat: int) -> tuple[dict, dict]:
    per_query, everything = {}, []
    for label, qs in QUERY_SET:
        client.get(f"/api/search/?{qs}")  # warm
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            response = client.get(f"/api/search/?{qs}")
            times.append(time.perf_counter() - t0)
            assert response.status_code == 200, (qs, response.content[:300])
        per_query[label] = {"p50_ms": ms(times)["p50"], "total": response.json()["total"]}
        everything += times
    return ms(everything), per_query


def query_text(qs: str) -> str | None:
    from urllib.parse import parse_qs

    q = parse_qs(qs).get("q", [""])[0].strip('"')
    return q or None


def time_stock(repeat: int) -> dict:
    from archive.models import SeminarPage

    times = []
    for _label, qs in QUERY_SET:
        q = query_text(qs)
        if not q:
            continue
        list(SeminarPage.objects.live().search(q)[:20])
        for _ in range(repeat):
            t0 = time.perf_counter()
            list(SeminarPage.objects.live().search(q)[:20])
            times.append(time.perf_counter() - t0)
    return ms(times)


def time_raw_fts(repeat: int) -> dict:
    """The bare full-text query on Wagtail's own index table: a floor for any engine."""
    from django.db import connection
    from wagtail.search.models import IndexEntry

    table = IndexEntry._meta.db_table
    times = []
    for _label, qs in QUERY_SET:
        q = query_text(qs)
        if not q:
            continue
        terms = [t for t in q.replace('"', " ").split() if t.isalnum()]
        if connection.vendor == "sqlite":
            match = " ".join(f'"{t}"' for t in terms)
            sql = (
                f"SELECT rowid, bm25({table}_fts) AS r FROM {table}_fts "
                f"WHERE {table}_fts MATCH %s ORDER BY r LIMIT 20"
            )
            params = [match]
        else:
            sql = (
                f"SELECT object_id, ts_rank(body, to_tsquery('simple', %s)) AS r FROM {table} "
                "WHERE body @@ to_tsquery('simple', %s) ORDER BY r DESC LIMIT 20"
            )
            tsq = " & ".join(terms)
            params = [tsq, tsq]
        with connection.cursor() as cur:
            cur.execute(sql, params)
            cur.fetchall()
            for _ in range(repeat):
                t0 = time.perf_counter()
                cur.execute(sql, params)
                cur.fetchall()
                times.append(time.perf_counter() - t0)
    return ms(times)


def long_transcript_page(segments: int = 3000):
    """A published seminar with a `segments`-long transcript, through the real store."""
    import datetime as dt
    import random

    from django.utils import timezone
    from generate import sentence

    from archive.models import SeminarIndexPage, SeminarPage
    from archive.transcript_formats import Cue
    from archive.transcript_store import save_transcript

    rng = random.Random(3)
    index = SeminarIndexPage.objects.first()
    page = SeminarPage.objects.filter(slug="bench-long-transcript").first()
    if page is None:
        page = SeminarPage(
            title="Tre timmars panel om styrning",
            slug="bench-long-transcript",
            start=timezone.now() - dt.timedelta(days=3),
            lead=sentence(rng),
            video_url="https://www.youtube.com/watch?v=benchlong01",
        )
        index.add_child(instance=page)
        page.save_revision().publish()
    cues, t = [], 0.0
    for i in range(segments):
        cues.append(
            Cue(
                start=t,
                end=t + 3.2,
                text=sentence(rng),
                speaker=("Anna Berg", "Per Ek", "Åsa Öberg")[i % 3],
                chapter=f"Del {i // 500 + 1}" if i % 500 == 0 else "",
            )
        )
        t += 3.5
    save_transcript(page, cues, source_name="bench.vtt")
    return page


def measure_queries(url: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def serve_and_time(page_url: str, repeat: int, workdir: Path) -> dict:
    """Time the page and a static file through one gunicorn worker; sample its memory."""
    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "HTTPS": "false",
        "API_RATE_LIMIT": "",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [sys.executable, "manage.py", "createcachetable"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    static_url = settings.STATIC_URL + "css/site.css"
    with gunicorn(env, workers=1) as (server, port):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

        def get(path):
            t0 = time.perf_counter()
            conn.request("GET", path, headers={"Host": "127.0.0.1"})
            resp = conn.getresponse()
            body = resp.read()
            assert resp.status == 200, (path, resp.status, body[:300])
            return time.perf_counter() - t0

        for _ in range(3):
            get(page_url)
            get(static_url)
        page_times = [get(page_url) for _ in range(repeat)]
        static_times = [get(static_url) for _ in range(repeat)]
        conn.close()
        rss = max([memory_kb(pid, "VmHWM") for pid in worker_pids(server)] or [0])
    page_ms, static_ms = ms(page_times), ms(static_times)
    return {
        "page_ms": {k: page_ms[k] for k in ("p50", "p95")},
        "static_ms": {k: static_ms[k] for k in ("p50", "p95")},
        "page_to_static_p50": round(page_ms["p50"] / static_ms["p50"], 1)
        if static_ms["p50"]
        else None,
        "web_worker_peak_rss_mb": round(rss / 1024, 1),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seminars",
        default="500,2000,10000",
        help="comma-separated archive sizes, measured in one growing archive",
    )
    parser.add_argument("--segments", default="300-3000")
    parser.add_argument("--engine", choices=("database", "elasticsearch"), default="database")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query")
    parser.add_argument("--page-repeat", type=int, default=40)
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.seminars.split(","))
    lo, hi = (int(x) for x in args.segments.split("-"))

    with tempfile.TemporaryDirectory(prefix="archive-bench-") as tmp:
        workdir = Path(tmp)
        setup_django(workdir, args.engine)
        from django.db import connection
        from django.test import Client
        from generate import generate

        data = generate(workdir / "data", sizes[-1], (lo, hi), seed=11, slides_every=4)
        stages = split_jsonl(data, sizes)
        client = Client()
        rows = []
        for n, stage in zip(sizes, stages, strict=True):
            print(f"\n== importing up to {n} seminars", flush=True)
            imported = time_import(stage)
            api_all, per_query = time_api(client, args.repeat)
            stock = time_stock(args.repeat)
            raw = time_raw_fts(args.repeat)
            rows.append(
                {
                    "seminars": n,
                    "import": imported,
                    "search_api_ms": api_all,
                    "stock_wagtail_search_ms": stock,
                    "raw_fulltext_ms": raw,
                    "api_vs_stock_p95": round(api_all["p95"] / stock["p95"], 2)
                    if stock["p95"]
                    else None,
                    "api_vs_raw_p95": round(api_all["p95"] / raw["p95"], 2) if raw["p95"] else None,
                    "per_query_p50_ms": per_query,
                }
            )
            print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
        print("\n== seminar page with a 3,000-segment transcript", flush=True)
        page = long_transcript_page()
        queries = measure_queries(page.url)
        served = serve_and_time(page.url, args.page_repeat, workdir)

    result = {
        "machine": {
            "cores": os.cpu_count(),
            "python": sys.version.split()[0],
            "database": connection.vendor,
            "engine": args.engine,
        },
        "date": time.strftime("%Y-%m-%d"),
        "sizes": rows,
        "page": {"segments": 3000, "sql_queries": queries, **served},
    }
    print(
        "\n" + f"{'N':>6} {'import/s':>9} {'API p50':>8} {'API p95':>8} {'API p99':>8} "
        f"{'stock p95':>9} {'raw p95':>8} {'API/stock':>9} {'API/raw':>8}"
    )
    for r in rows:
        print(
            f"{r['seminars']:>6} {r['import']['seminars_per_second']:>9} "
            f"{r['search_api_ms']['p50']:>8} {r['search_api_ms']['p95']:>8} "
            f"{r['search_api_ms']['p99']:>8} {r['stock_wagtail_search_ms']['p95']:>9} "
            f"{r['raw_fulltext_ms']['p95']:>8} {r['api_vs_stock_p95']!s:>9} "
            f"{r['api_vs_raw_p95']!s:>8}"
        )
    p = result["page"]
    print(
        f"\npage (3,000 segments): p50 {p['page_ms']['p50']} ms, p95 {p['page_ms']['p95']} ms, "
        f"{p['sql_queries']} SQL queries; static file p50 {p['static_ms']['p50']} ms "
        f"(ratio {p['page_to_static_p50']}); web worker peak RSS {p['web_worker_peak_rss_mb']} MB"
    )
    print(json.dumps(result, ensure_ascii=False))
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
