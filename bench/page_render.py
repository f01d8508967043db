"""How fast a seminar page with a long transcript renders (SQLite, a temporary database).

    .venv/bin/python bench/page_render.py [--segments 3000] [--runs 30]

Creates one public seminar with speakers, chapters and a transcript of ``--segments`` segments
(through ``save_transcript``), then requests the page ``--runs`` times with Django's test client
(the full stack: URL routing, Wagtail serving, templates, middleware) and prints p50/p95 render
times, the number of queries per request and the HTML size. Also times the three transcript
downloads. Benchmarks print figures; they are never timed tests.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from tqdm import tqdm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generate import sentence  # noqa: E402
from server import archive_root, percentile  # noqa: E402


def setup_django(workdir: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def make_seminar(segments: int):
    import random

    from archive.factories import (
        SeminarPageFactory,
        SeminarSpeakerFactory,
        SpeakerFactory,
    )
    from archive.transcript_formats import Cue
    from archive.transcript_store import save_transcript

    rng = random.Random(1)
    archive = archive_root()
    page = SeminarPageFactory(
        parent=archive,
        slug="langt-seminarium",
        video_url="https://www.youtube.com/watch?v=abcdefghijk",
    )
    names = []
    for _ in range(3):
        link = SeminarSpeakerFactory(page=page, speaker=SpeakerFactory())
        names.append(link.speaker.name)
    cues, t = [], 0.0
    for i in range(segments):
        length = rng.uniform(2, 8)
        text = sentence(rng, max(1, int(length * 2.5)))
        cues.append(
            Cue(
                t,
                t + length,
                text,
                speaker=rng.choice(names + ["Publiken"]),
                chapter=f"Del {i // 250 + 1}" if i % 250 == 0 else "",
            )
        )
        t += length
    page.duration = int(t) + 1
    page.save()
    save_transcript(page, cues)
    return page


def measure(client, url: str, runs: int, label: str) -> tuple[list[float], int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches (templates, site root)
    times = []
    queries = size = 0
    for _ in tqdm(range(runs), desc=label, unit="req", leave=False):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        queries, size = len(ctx), len(response.content)
    return times, queries, size


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--queries", action="store_true", help="also print the SQL of one warm page request"
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="render-bench-") as tmp:
        setup_django(Path(tmp))
        from django.test import Client

        from archive.models import Transcript

        started = time.perf_counter()
        page = make_seminar(args.segments)
        print(
            f"Created a seminar with {args.segments} segments in "
            f"{time.perf_counter() - started:.1f} s"
        )
        client = Client()
        rows = [("seminar page", page.url, args.runs)]
        transcript = Transcript.objects.get(seminar=page)
        rows += [
            (f"download .{fmt}", transcript.download_url(fmt), max(5, args.runs // 3))
            for fmt in ("vtt", "srt", "txt")
        ]
        print(f"{'':<16} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'KB':>8}")
        for label, url, runs in rows:
            times, queries, size = measure(client, url, runs, label)
            print(
                f"{label:<16} {percentile(times, 50):8.1f} {percentile(times, 95):8.1f} "
                f"{queries:8d} {size / 1024:8.0f}"
            )
        if args.queries:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as ctx:
                client.get(page.url)
            print(f"\nThe {len(ctx)} queries of one warm request of the seminar page:")
            for number, captured in enumerate(ctx.captured_queries, 1):
                print(f"{number:3}. {captured['sql'][:300]}")
        print(
            f"Summary: {args.segments}-segment page, {args.runs} renders; machine load "
            f"average {os.getloadavg()[0]:.1f} (figures vary on a shared machine)."
        )


if __name__ == "__main__":
    main()
