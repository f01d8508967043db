"""Bounded load run on loopback: gunicorn (2 workers) serving the site, N concurrent clients.

    python bench/load.py [--clients 50] [--seconds 30] [--seminars 200] [--database-url URL]

Builds a throw-away site in a temporary folder (SQLite, or the empty database ``--database-url``
names, e.g. PostgreSQL; production settings, demo data plus generated seminars imported through
the real importer, then the queued indexing tasks run by ``db_worker --batch`` as production's
worker would), starts gunicorn on a free loopback port,
then runs the clients for a fixed time mixing search pages, the search API, seminar pages, the
archive list, speaker pages and feeds. Prints a table and JSON: requests, errors, throughput,
latency p50/p95/p99 and the web workers' peak memory. Exits non-zero if any request failed.
Traffic never leaves 127.0.0.1; the run stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from server import gunicorn, memory_kb, percentile, worker_pids  # noqa: E402

PYTHON = sys.executable
QUERIES = [
    "styrning",
    "tillit",
    "detaljstyrning",
    "npm",
    "digitalisering",
    "ledarskap",
    "kompetensförsörjning",
    "foretag",
    "välfärd",
    '"tillitsbaserad styrning"',
]


def site_env(workdir: Path, database_url: str = "") -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "HTTPS": "false",
        "DATABASE_URL": database_url or f"sqlite:///{workdir / 'db.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "API_RATE_LIMIT": "",  # every client here shares one address
        "ELASTICSEARCH_URL": "",
    }


def manage(env, *args):
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def prepare_site(workdir: Path, env: dict, seminars: int) -> None:
    print(f"preparing site in {workdir} ...", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput")
    manage(env, "load_demo_data")
    if seminars:
        out = workdir / "import"
        subprocess.run(
            [
                PYTHON,
                "bench/generate.py",
                str(out),
                "--seminars",
                str(seminars),
                "--segments",
                "300-600",
                "--seed",
                "7",
            ],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.dev"},
            check=True,
            stdout=subprocess.DEVNULL,
        )
        manage(env, "import_seminars", str(out / "seminars.jsonl"))
    # Production settings queue the indexing as tasks: run them as production's worker would.
    manage(env, "db_worker", "--batch", "--no-startup-delay")


def collect_urls(env: dict) -> dict[str, list[str]]:
    """Ask the prepared site (in a subprocess, with its settings) which URLs exist."""
    script = (
        "import django, json\n"
        "django.setup()\n"
        "from archive.models import public_seminars, Speaker, SeminarIndexPage\n"
        "pages = [p.url for p in public_seminars()[:400]]\n"
        "speakers = [s.get_absolute_url() for s in Speaker.objects.all()[:100]]\n"
        "index = [p.url for p in SeminarIndexPage.objects.live()]\n"
        "from search.models import SearchEntry\n"
        "counts = {'public': public_seminars().count(), 'indexed': SearchEntry.objects.count()}\n"
        "print(json.dumps({'pages': pages, 'speakers': speakers, 'index': index, **counts}))\n"
    )
    out = subprocess.run(
        [PYTHON, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def request_mix(urls: dict, rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.25:
        return f"/sok/?q={quote(rng.choice(QUERIES))}"
    if kind < 0.45:
        return f"/api/search/?q={quote(rng.choice(QUERIES))}&page_size=10"
    if kind < 0.75 and urls["pages"]:
        return rng.choice(urls["pages"])
    if kind < 0.85 and urls["index"]:
        return rng.choice(urls["index"]) + rng.choice(["", "?page=2", "?format=webinar"])
    if kind < 0.93 and urls["speakers"]:
        return rng.choice(urls["speakers"])
    return rng.choice(["/flode/rss/", "/flode/atom/", "/sitemap.xml"])


class Client(threading.Thread):
    def __init__(self, port, urls, deadline, seed, results, lock):
        super().__init__(daemon=True)
        self.port, self.urls, self.deadline = port, urls, deadline
        self.rng = random.Random(seed)
        self.results, self.lock = results, lock

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        local = []
        while time.monotonic() < self.deadline:
            path = request_mix(self.urls, self.rng)
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Host": "127.0.0.1"})
                resp = conn.getresponse()
                resp.read()
                status = resp.status
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            except (OSError, http.client.HTTPException) as exc:
                status = f"{type(exc).__name__}"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            local.append((path, status, time.perf_counter() - t0))
        conn.close()
        with self.lock:
            self.results.extend(local)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument(
        "--seminars",
        type=int,
        default=200,
        help="generated seminars imported besides the demo data",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--database-url",
        default="",
        help="an empty database to build the site in (default: SQLite in a temporary folder)",
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="archive-load-") as tmp:
        workdir = Path(tmp)
        env = site_env(workdir, args.database_url)
        prepare_site(workdir, env, args.seminars)
        urls = collect_urls(env)
        print(f"search index: {urls['indexed']} of {urls['public']} public seminars", flush=True)
        if urls["indexed"] != urls["public"]:
            sys.exit("the search index is incomplete: searches would not measure real work")
        peak = {"rss_kb": 0}
        stop = threading.Event()

        def sample(server):
            while not stop.is_set():
                sizes = [memory_kb(p) for p in worker_pids(server)]
                peak["rss_kb"] = max(peak["rss_kb"], sum(sizes))
                peak["per_worker_kb"] = max([peak.get("per_worker_kb", 0), *sizes])
                time.sleep(0.2)

        with gunicorn(env, workers=args.workers) as (server, port):
            # Warm each worker once.
            for path in (urls["index"][:1] or ["/"]) + urls["pages"][:4]:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                c.request("GET", path)
                c.getresponse().read()
                c.close()
            sampler = threading.Thread(target=sample, args=(server,), daemon=True)
            sampler.start()
            results, lock = [], threading.Lock()
            print(
                f"load: {args.clients} clients for {args.seconds:.0f} s on 127.0.0.1:{port}",
                flush=True,
            )
            deadline = time.monotonic() + args.seconds
            t0 = time.monotonic()
            clients = [Client(port, urls, deadline, i, results, lock) for i in range(args.clients)]
            for c in clients:
                c.start()
            for c in clients:
                c.join(args.seconds + 60)
            elapsed = time.monotonic() - t0
            stop.set()

    latencies = sorted(r[2] * 1000 for r in results)
    errors = [r for r in results if not (isinstance(r[1], int) and r[1] < 400)]
    by_kind: dict[str, int] = {}
    for path, _status, _t in results:
        kind = (
            "api"
            if path.startswith("/api/")
            else "search"
            if path.startswith("/sok/")
            else "feed"
            if "flode" in path or "sitemap" in path
            else "page"
        )
        by_kind[kind] = by_kind.get(kind, 0) + 1
    summary = {
        "database": env["DATABASE_URL"].split(":", 1)[0],
        "indexed_seminars": urls["indexed"],
        "clients": args.clients,
        "seconds": round(elapsed, 1),
        "workers": args.workers,
        "requests": len(results),
        "errors": len(errors),
        "requests_per_second": round(len(results) / elapsed, 1) if elapsed else 0,
        "latency_ms": {
            "p50": round(percentile(latencies, 50), 1),
            "p95": round(percentile(latencies, 95), 1),
            "p99": round(percentile(latencies, 99), 1),
        },
        "mix": by_kind,
        "peak_rss_mb_all_workers": round(peak["rss_kb"] / 1024, 1),
        "peak_rss_mb_one_worker": round(peak.get("per_worker_kb", 0) / 1024, 1),
        "error_samples": [f"{s} {p}" for p, s, _ in errors[:10]],
    }
    print()
    print(f"{'requests':<28}{summary['requests']}")
    print(f"{'errors':<28}{summary['errors']}")
    print(f"{'requests/s':<28}{summary['requests_per_second']}")
    for k, v in summary["latency_ms"].items():
        print(f"{'latency ' + k + ' (ms)':<28}{v}")
    print(f"{'peak RSS, all workers (MB)':<28}{summary['peak_rss_mb_all_workers']}")
    print(f"{'peak RSS, one worker (MB)':<28}{summary['peak_rss_mb_one_worker']}")
    print(json.dumps(summary, ensure_ascii=False))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
