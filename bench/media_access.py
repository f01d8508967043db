"""What deciding who may fetch an image costs per request (archive/media_access.py).

    .venv/bin/python bench/media_access.py [--images 5000] [--runs 300]

Every image and rendition under /media/ now goes through Django before nginx sends it (speaker
portraits in every list included), so this is paid once per image a browser fetches. Builds a
fresh archive (a temporary SQLite file, or the empty database DATABASE_URL names) with
``--images`` images, three renditions each (the seminar body's width-800, the portrait's
fill-160x160, the admin's max-165x165), a third of them speakers' portraits, half of them in
the bodies of seminars (five per seminar; every fifth seminar login-restricted, every seventh a
draft) and the rest unused, all through Wagtail's own saves so the reference index is written
as in production. Then, for an anonymous request, prints per kind of file the SQL queries and
the time of ``media_file_access`` alone and of the whole request through Django's test client
(with ``MEDIA_ACCEL_REDIRECT`` set, as in production: no file is read), the query plan of the
path lookup, and the same figures without the indexes on the ``file`` columns that migration
``archive.0005_image_file_indexes`` adds (dropped for the comparison, then made again).
Benchmarks print figures; they are never timed tests.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from server import archive_root, percentile  # noqa: E402

FILTERS = ("width-800", "fill-160x160", "max-165x165")
PER_SEMINAR = 5


def setup(workdir: Path) -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def build(count: int) -> dict[str, list[str]]:
    """The archive; returns sample paths per kind of file."""
    from wagtail.images import get_image_model
    from wagtail.models import Collection, PageViewRestriction

    from archive.models import SeminarPage, Speaker

    image_model = get_image_model()
    rendition_model = image_model.get_rendition_model()
    collection = Collection.get_first_root_node()
    started = time.perf_counter()
    image_model.objects.bulk_create(
        image_model(
            title=f"Bild {i}",
            file=f"original_images/bild-{i}.png",
            width=1600,
            height=900,
            collection=collection,
        )
        for i in range(count)
    )
    images = list(image_model.objects.order_by("pk"))
    rendition_model.objects.bulk_create(
        rendition_model(
            image=image,
            filter_spec=spec,
            focal_point_key="",
            file=f"images/bild-{i}.{spec}.png",
            width=800,
            height=450,
        )
        for i, image in enumerate(images)
        for spec in FILTERS
    )
    portraits = images[: count // 3]
    shown = images[count // 3 : count // 3 + count // 2]
    unused = images[count // 3 + count // 2 :]
    for i, image in enumerate(portraits):
        Speaker(name=f"Talare {i}", photo=image).save()
    root = archive_root()
    public, private, draft = [], [], []
    for n in range(len(shown) // PER_SEMINAR):
        chosen = shown[n * PER_SEMINAR : (n + 1) * PER_SEMINAR]
        body = [
            {
                "type": "image",
                "value": {
                    "image": {"image": image.pk, "alt_text": "", "decorative": True},
                    "caption": "",
                },
            }
            for image in chosen
        ]
        page = SeminarPage(
            title=f"Seminarium {n}",
            slug=f"seminarium-{n}",
            start="2020-01-01T10:00Z",
            body=json.dumps(body),
        )
        root.add_child(instance=page)
        if n % 7 == 6:
            page.unpublish()
            draft += chosen
        elif n % 5 == 4:
            PageViewRestriction.objects.create(page=page, restriction_type="login")
            private += chosen
        else:
            public += chosen
    print(
        f"built {count} images, {count * len(FILTERS)} renditions, {len(portraits)} portraits, "
        f"{len(shown) // PER_SEMINAR} seminars in {time.perf_counter() - started:.0f} s"
    )

    def paths(group, spec):
        step = max(1, len(group) // 200)
        return [f"images/{i.file.name[16:-4]}.{spec}.png" for i in group[::step][:200]]

    return {
        "portrait, rendition": paths(portraits, "fill-160x160"),
        "portrait, original": [i.file.name for i in portraits[:200]],
        "public seminar, rendition": paths(public, "width-800"),
        "public seminar, original": [i.file.name for i in public[:200]],
        "private seminar, rendition": paths(private, "width-800"),
        "draft seminar, rendition": paths(draft, "width-800"),
        "unused, admin rendition": paths(unused, "max-165x165"),
        "no such file": [f"images/finns-inte-{i}.png" for i in range(200)],
    }


def measure(samples: dict[str, list[str]], runs: int) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test import Client, RequestFactory, override_settings
    from django.test.utils import CaptureQueriesContext

    from archive.media_access import media_file_access

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 404s are expected
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    client = Client()
    print(
        f"{'file':<28} {'answer':>8} {'queries':>7} {'check p50':>10} {'p95':>8} "
        f"{'request p50':>12} {'p95':>8}"
    )
    with override_settings(MEDIA_ACCEL_REDIRECT="/_protected_media/"):
        for kind, paths in samples.items():
            with CaptureQueriesContext(connection) as queries:
                answer = media_file_access(request, paths[0])
            count = len(queries)  # now: each request's start empties the log
            check, whole = [], []
            for n in range(runs):
                path = paths[n % len(paths)]
                t = time.perf_counter()
                media_file_access(request, path)
                check.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                client.get("/media/" + path)
                whole.append((time.perf_counter() - t) * 1000)
            print(
                f"{kind:<28} {answer.value if answer else '404':>8} {count:>7} "
                f"{percentile(check, 50):>8.2f}ms {percentile(check, 95):>6.2f}ms "
                f"{percentile(whole, 50):>10.2f}ms {percentile(whole, 95):>6.2f}ms"
            )


def plan(path: str) -> None:
    from django.db import connection
    from wagtail.images import get_image_model

    rendition_model = get_image_model().get_rendition_model()
    sql, params = (
        rendition_model.objects.filter(file=path).values("image_id").query.sql_with_params()
    )
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        print("  plan of the rendition lookup:", " | ".join(str(row[-1]) for row in cursor))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(Path(tmp))
        from django.db import connection

        from archive.migrations import __path__ as migrations_path

        sys.path.insert(0, migrations_path[0])
        indexes = __import__("0005_image_file_indexes").INDEXES

        print(f"database: {connection.vendor}")
        samples = build(args.images)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print("with the indexes on the file columns (migration archive.0005):")
        plan(samples["public seminar, rendition"][0])
        measure(samples, args.runs)
        print("without them (as before that migration):")
        with connection.cursor() as cursor:
            for name in indexes:
                cursor.execute(f"DROP INDEX {name}")
        connection.close()  # SQLite would show the plan its statement cache kept
        plan(samples["public seminar, rendition"][0])
        measure(samples, args.runs)
        with connection.cursor() as cursor:
            for name, table in indexes.items():
                cursor.execute(f"CREATE INDEX {name} ON {table} (file)")


if __name__ == "__main__":
    main()
