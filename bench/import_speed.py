"""How fast ``manage.py import_seminars`` brings an archive in.

    .venv/bin/python bench/import_speed.py [--seminars 1000] [--segments 300]
                                           [--slides-every 0] [--profile]

Generates the import file with ``bench/generate.py`` (JSON Lines in the documented format,
every seminar with an inline transcript of ``--segments`` segments, speakers, series, venues,
topics; with ``--slides-every N`` every N-th seminar also gets a slide PDF), then times, on a
fresh migrated SQLite file (or the database DATABASE_URL names: give it an empty one):

1. the import itself (validation, pages, revisions, publishing, snippets, segments, and the one
   bulk search notification at the end);
2. ``--dry-run`` of the same file (validation only);
3. a re-import with ``--update`` (every seminar unchanged: skipped without new revisions).

Prints seminars per second and the process's peak memory for each, and a summary.
``--profile`` prints the 25 most expensive functions of the import (cProfile, cumulative time);
with ``PROFILE_OUT=file`` set it also saves the profile there for ``pstats`` or snakeviz.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def setup_django(workdir: Path) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def make_archive():
    from wagtail.models import Page, Site

    from archive.models import SeminarIndexPage

    root = Page.get_first_root_node()
    archive = root.add_child(instance=SeminarIndexPage(title="Seminarier", slug="seminarier"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": archive},
    )
    return archive


def reset_peak_memory() -> bool:
    """Start this process's peak-RSS count afresh (Linux: writing 5 to clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def timed(label: str, args: list[str], count: int, profile: bool = False) -> float:
    from django.core.management import call_command
    from server import memory_kb

    out = io.StringIO()
    fresh_peak = reset_peak_memory()
    profiler = cProfile.Profile() if profile else None
    started, cpu_started = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    call_command("import_seminars", *args, stdout=out, stderr=out)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    lines = out.getvalue().strip().splitlines()
    index_line = next((line for line in lines if line.startswith("Search index")), "")
    print(
        f"{label:<28} {seconds:7.1f} s wall {count / seconds:7.1f} seminars/s | "
        f"{cpu:7.1f} s CPU {count / cpu:7.1f} seminars/s"
    )
    print(f"{'':<28} {lines[-1]} {index_line}")
    peak = memory_kb(os.getpid(), "VmHWM") / 1024
    print(
        f"{'':<28} peak memory (RSS) of this process: {peak:.0f} MB"
        + ("" if fresh_peak else " (since it started: the peak could not be reset)")
    )
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(25)
        if os.environ.get("PROFILE_OUT"):
            stats.dump_stats(os.environ["PROFILE_OUT"])
    return seconds


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seminars", type=int, default=1000)
    parser.add_argument("--segments", type=int, default=300)
    parser.add_argument(
        "--slides-every", type=int, default=0, help="give every N-th seminar a slide PDF (0: none)"
    )
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="import-bench-") as tmp:
        workdir = Path(tmp)
        setup_django(workdir)
        from generate import generate
        from wagtail.models import Revision

        from archive.models import SeminarPage, TranscriptSegment

        make_archive()
        started = time.perf_counter()
        path = generate(
            workdir / "data",
            args.seminars,
            (args.segments, args.segments),
            seed=1,
            slides_every=args.slides_every,
        )
        size = path.stat().st_size / 1e6
        print(
            f"Generated {args.seminars} seminars x {args.segments} segments "
            f"({size:.0f} MB) in {time.perf_counter() - started:.1f} s"
        )

        dry = timed("dry run (validation only)", [str(path), "--dry-run"], args.seminars)
        imported = timed("import", [str(path)], args.seminars, profile=args.profile)
        pages = SeminarPage.objects.count()
        segments = TranscriptSegment.objects.count()
        revisions = Revision.objects.count()
        again = timed("re-import --update", [str(path), "--update"], args.seminars)
        assert Revision.objects.count() == revisions, "an unchanged re-import added revisions"

        print()
        print(
            f"Summary: {pages} seminars, {segments} transcript segments, {revisions} "
            f"revisions (one per seminar)."
        )
        print(
            f"  import {args.seminars / imported:.1f} seminars/s ({imported:.1f} s wall); dry "
            f"run {args.seminars / dry:.1f}/s; unchanged re-import "
            f"{args.seminars / again:.1f}/s. Machine load average: "
            f"{os.getloadavg()[0]:.1f} (on a shared machine the CPU figures are steadier)."
        )


if __name__ == "__main__":
    main()
