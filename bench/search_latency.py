"""Search latency benchmark: p50/p95 per available engine over a fixed mixed query set.

    .venv/bin/python bench/search_latency.py [--seminars 2000] [--segments 300] [--db PATH]

Generates N published seminars (speakers, topics, series, a transcript of S segments each and a
slide deck's page text) in a separate database (SQLite file ``/tmp/search-bench.sqlite3`` unless
``DATABASE_URL`` is set), publishing them through Wagtail inside ``bulk_changes()`` so indexing
runs the real path (page_published → bulk signal → index task → engines). An existing benchmark
database with enough seminars is reused (``--fresh`` starts over). Then every query of the set is
run ``--repeat`` times per engine (database always; Elasticsearch when ELASTICSEARCH_URL is set)
and each query's p50 and the overall p50/p95/max are printed. To compare two versions of the
code, run each checkout's copy against the same ``--db``, alternately.

Slide text is stored as extracted page text (``DocumentPage`` rows on a placeholder document), as
text extraction would leave it; PDF parsing speed is not what this measures.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

WORDS_TEXT = (
    "styrning ledning tillit kontroll uppföljning myndigheten kommunerna regionen staten "
    "medarbetarna chefen kompetensförsörjningen digitaliseringen budgeten anslagen resultatet "
    "kvaliteten verksamheten förändringen utvecklingen samverkan dialogen förtroendet ansvaret "
    "reformen utredningen rapporten forskningen kunskapen välfärden vården skolan omsorgen "
    "detaljstyrning tillitsdelegationen målstyrning resultatstyrning arbetsmiljön innovationen "
    "medborgarna invånarna effektiviteten prioriteringen beslutet regelverket upphandlingen "
    "klimatet hållbarheten säkerheten beredskapen integrationen arbetsmarknaden företagen"
)
FILLER_TEXT = "och att det som är för med på av till en ett den inte men vi har kan ska"
WORDS, FILLER = WORDS_TEXT.split(), FILLER_TEXT.split()
QUERIES = [
    {"q": "styrning"},
    {"q": "tillitsbaserad styrning"},
    {"q": "delegation"},
    {"q": "kompetensforsorjning"},  # no diacritics
    {"q": "npm"},  # synonym
    {"q": "digitaliserng"},  # typo
    {"q": "styrning ledning for foretag"},
    {"q": '"tillit och kontroll"'},
    {"q": "myndigheter budget", "sort": "newest"},
    {"q": "klimatet", "year": (2021,)},
    {"q": "chefen", "speaker": ("talare-3",)},
    {"q": "välfärden", "topic": ("tillit",), "format": ("webinar",)},
    {"q": "", "series": ("forum-2",)},  # browse mode
    {"q": "", "has_transcript": True, "sort": "oldest", "page": 5},
    {"q": "reformen utredningen rapporten"},
    {"q": "xyzzyq"},  # nothing
]


def sentence(rng: random.Random, length: int) -> str:
    words = [
        rng.choice(WORDS) if rng.random() < 0.55 else rng.choice(FILLER) for _ in range(length)
    ]
    return " ".join(words).capitalize() + "."


def setup_django(db_path: str) -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{db_path}")
    import django

    django.setup()


def site_root():
    from server import archive_root

    return archive_root()


def generate(count: int, segments: int, seed: int = 7) -> None:
    """Create ``count`` published seminars through Wagtail, indexed by the bulk signal path."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone
    from tqdm import tqdm

    from archive.models import (
        ArchiveDocument,
        DocumentPage,
        SeminarPage,
        SeminarSlide,
        SeminarSpeaker,
        Series,
        Speaker,
        Transcript,
        TranscriptSegment,
    )
    from archive.signals import bulk_changes

    rng = random.Random(seed)
    root = site_root()
    series = [Series.objects.get_or_create(name=f"Forum {i}")[0] for i in range(8)]
    speakers = [Speaker.objects.get_or_create(name=f"Talare {i}")[0] for i in range(120)]
    formats = ["conference_session", "breakfast_meeting", "webinar", "lecture", "panel"]
    topics = ["tillit", "styrning", "digitalisering", "ekonomi", "ledarskap", "klimat"]
    start_base = timezone.now() - dt.timedelta(days=3650)
    existing = SeminarPage.objects.count()
    chunk = 100
    with tqdm(total=count - existing, desc="seminars (create + index)", unit="seminar") as bar:
        for first in range(existing, count, chunk):
            with bulk_changes(), transaction.atomic():
                for n in range(first, min(count, first + chunk)):
                    start = start_base + dt.timedelta(days=n * 3650 // count, hours=9)
                    page = SeminarPage(
                        title=sentence(rng, 5)[:-1],
                        slug=f"seminarium-{n}",
                        lead=sentence(rng, 30),
                        start=start,
                        end=start + dt.timedelta(hours=1),
                        series=rng.choice(series),
                        format=rng.choice(formats),
                        language="sv" if n % 7 else "en",
                        video_url="https://www.youtube.com/watch?v=x" if n % 3 else "",
                    )
                    root.add_child(instance=page)
                    people = rng.sample(speakers, 3)
                    for position, speaker in enumerate(people):
                        SeminarSpeaker.objects.create(
                            page=page, speaker=speaker, sort_order=position
                        )
                    page.topics.add(*rng.sample(topics, 2))
                    # bulk_create: no post_save, so no extraction of the placeholder file.
                    (document,) = ArchiveDocument.objects.bulk_create(
                        [
                            ArchiveDocument(
                                title=f"Bilder {n}",
                                file=f"documents/bench-{n}.pdf",
                                text_status=ArchiveDocument.TextStatus.OK,
                                text_extracted_at=timezone.now(),
                                page_count=12,
                            )
                        ]
                    )
                    DocumentPage.objects.bulk_create(
                        [
                            DocumentPage(document=document, number=p, text=sentence(rng, 25))
                            for p in range(1, 13)
                        ]
                    )
                    SeminarSlide.objects.create(page=page, document=document)
                    transcript = Transcript.objects.create(seminar=page)
                    TranscriptSegment.objects.bulk_create(
                        [
                            TranscriptSegment(
                                transcript=transcript,
                                position=i,
                                start=i * 10.0,
                                end=i * 10.0 + 9.5,
                                speaker=people[i % 3],
                                text=sentence(rng, 14),
                            )
                            for i in range(segments)
                        ]
                    )
                    page.save_revision().publish()
                    bar.update(1)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(engine, repeat: int) -> tuple[list[float], list[float], list[list[float]]]:
    """Wall-clock and CPU milliseconds per search, and the wall-clock times of each query. On a
    shared, busy machine the CPU time of this process is the better estimate of unloaded
    latency (waiting for a core is not search work)."""
    from search.engines.base import SearchQuery

    wall, cpu = [], []
    per_query: list[list[float]] = [[] for _ in QUERIES]
    for params in QUERIES:  # warm-up
        engine.search(SearchQuery(**params))
    for _ in range(repeat):
        for n, params in enumerate(QUERIES):
            started, started_cpu = time.perf_counter(), time.process_time()
            engine.search(SearchQuery(**params))
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            per_query[n].append(wall[-1])
    return wall, cpu, per_query


def describe(params: dict) -> str:
    """A query of the set as a short line: its words, then its filters and sort."""
    words = repr(params["q"]) if params["q"] else "(no words)"
    rest = [
        f"{k}={','.join(map(str, v)) if isinstance(v, tuple) else v}"
        for k, v in params.items()
        if k != "q"
    ]
    return " ".join([words, *rest])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seminars", type=int, default=2000)
    parser.add_argument("--segments", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--db", default="/tmp/search-bench.sqlite3")
    parser.add_argument("--fresh", action="store_true", help="Delete the benchmark database.")
    args = parser.parse_args()
    if args.fresh and Path(args.db).exists():
        Path(args.db).unlink()
    setup_django(args.db)

    from django.core.management import call_command
    from django.db import connection

    from search.engines import database_engine, elasticsearch_enabled, get_engine
    from search.models import SearchEntry, SearchSegment

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    generate(args.seminars, args.segments)
    took = time.perf_counter() - started
    print(
        f"Database: {connection.vendor}; {SearchEntry.objects.count()} seminars and "
        f"{SearchSegment.objects.count()} transcript segments indexed "
        f"(generation + indexing this run: {took:.0f} s)."
    )
    engines = [database_engine()]
    if elasticsearch_enabled():
        engines.append(get_engine())
    print(f"{len(QUERIES)} queries x {args.repeat} runs per engine:")
    print(f"(load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    for engine in engines:
        wall, cpu, per_query = measure(engine, args.repeat)
        print(f"  {engine.name}, p50 per query (ms):")
        for params, timings in zip(QUERIES, per_query, strict=True):
            print(f"    {describe(params):58} {statistics.median(timings):7.1f}")
        for label, timings in (("wall", wall), ("cpu", cpu)):
            print(
                f"  {engine.name:14} {label:4} p50 {statistics.median(timings):6.1f} ms   "
                f"p95 {percentile(timings, 0.95):6.1f} ms   max {max(timings):6.1f} ms"
            )


if __name__ == "__main__":
    main()
