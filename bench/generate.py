"""Generate a realistic Swedish-like seminar archive as an import file (JSON Lines + PDFs).

The output is the documented import format (docs/import-format.md), so benchmarks measure the real
import and indexing path. Deterministic for a given seed.

    python bench/generate.py OUT_DIR --seminars 2000 --segments 300-3000 --seed 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

from tqdm import tqdm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STEMS = [
    "styrning",
    "tillit",
    "ledning",
    "kompetens",
    "försörjning",
    "digitalisering",
    "myndighet",
    "kommun",
    "region",
    "medarbetare",
    "chef",
    "verksamhet",
    "uppföljning",
    "forskning",
    "utveckling",
    "förvaltning",
    "välfärd",
    "skola",
    "vård",
    "omsorg",
    "arbetsmiljö",
    "rättssäkerhet",
    "demokrati",
    "förtroende",
    "samverkan",
    "innovation",
    "hållbarhet",
    "budget",
    "resultat",
    "professionen",
    "lärande",
    "tillsyn",
    "styrmodell",
    "organisation",
    "kultur",
    "reform",
    "utredning",
    "medborgare",
    "service",
    "kvalitet",
    "effektivitet",
    "ekonomi",
    "statistik",
    "analys",
    "data",
    "öppenhet",
    "dialog",
]
PREFIXES = ("detalj", "tillits", "resultat", "kvalitets", "verksamhets", "kompetens", "välfärds")
SUFFIXES = ("", "en", "ar", "arna", "er", "erna", "s")
FILLER = [
    "och",
    "att",
    "det",
    "är",
    "som",
    "vi",
    "för",
    "på",
    "i",
    "med",
    "om",
    "inte",
    "kan",
    "ska",
    "har",
    "men",
    "också",
    "när",
    "så",
    "vill",
    "måste",
    "behöver",
    "handlar",
    "ju",
    "faktiskt",
    "egentligen",
    "verkligen",
    "tycker",
    "tror",
    "menar",
]
FIRST = [
    "Anna",
    "Karin",
    "Lars",
    "Maria",
    "Erik",
    "Eva",
    "Johan",
    "Sara",
    "Per",
    "Lena",
    "Mats",
    "Ingrid",
    "Åsa",
    "Örjan",
    "Björn",
    "Elin",
    "Jonas",
    "Sofia",
    "Anders",
    "Helena",
    "Mikael",
    "Ulla",
    "Nils",
    "Frida",
]
LAST = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Lindberg",
    "Lindqvist",
    "Åberg",
    "Öberg",
    "Hartman",
    "Broberg",
    "Wålbrink",
    "Sjöberg",
]
TITLES = (
    "utredare",
    "professor i statsvetenskap",
    "docent i nationalekonomi",
    "generaldirektör",
    "chefsstrateg",
    "forskare",
    "kommundirektör",
    "verksamhetschef",
    "analytiker",
)
ORGS = (
    "Statskontoret",
    "Ekonomistyrningsverket",
    "Göteborgs universitet",
    "SKR",
    "Akademikerförbundet SSR",
    "Tillitsdelegationen",
    "Region Västernorrland",
    "Vinnova",
)
SERIES = (
    "Förvaltningsdagarna",
    "Chefsfrukost",
    "Styrningswebbinarier",
    "Offentliga samtal",
    "Forskning möter praktik",
    "Digitala förvaltningen",
)
FORMATS = ("conference_session", "breakfast_meeting", "webinar", "lecture", "panel")
TOPICS = (
    "tillitsbaserad styrning",
    "New Public Management",
    "digitalisering",
    "ledarskap",
    "kompetensförsörjning",
    "arbetsmiljö",
    "välfärd",
    "uppföljning",
    "AI",
    "demokrati",
)


def word(rng: random.Random) -> str:
    stem = rng.choice(STEMS)
    if rng.random() < 0.15:
        stem = rng.choice(PREFIXES) + stem
    return stem + rng.choice(SUFFIXES)


def sentence(rng: random.Random, n: int | None = None) -> str:
    n = n or rng.randint(6, 18)
    words = [word(rng) if rng.random() < 0.55 else rng.choice(FILLER) for _ in range(n)]
    return (" ".join(words)).capitalize() + "."


def paragraph(rng, sentences=(3, 6)) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(*sentences)))


def speakers_pool(rng, n=400):
    pool, seen = [], set()
    while len(pool) < n:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name in seen:
            name = f"{name} {rng.choice('ABCDEFGHJKLMNPRS')}."
        if name in seen:
            continue
        seen.add(name)
        pool.append(
            {
                "name": name,
                "title": rng.choice(TITLES),
                "bio": f"{name} arbetar på {rng.choice(ORGS)}. {sentence(rng)}",
            }
        )
    return pool


def transcript(rng, speakers: list[str], segments: int) -> list[dict]:
    t, out = 0.0, []
    for _ in range(segments):
        length = rng.uniform(2.5, 9.0)
        out.append(
            {
                "start": round(t, 2),
                "end": round(t + length, 2),
                "speaker": rng.choice(speakers),
                "text": sentence(rng),
            }
        )
        t += length + rng.uniform(0.0, 0.6)
    return out


def generate(
    out_dir: Path, seminars: int, segments: tuple[int, int], seed: int, slides_every: int = 3
) -> Path:
    from archive.factories import make_pdf

    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "slides").mkdir(exist_ok=True)
    pool = speakers_pool(rng)
    path = out_dir / "seminars.jsonl"
    base = dt.datetime(2015, 1, 12, 9, 0)
    with path.open("w", encoding="utf-8") as fh:
        for i in tqdm(range(seminars), desc="generate", unit="seminar"):
            chosen = rng.sample(pool, rng.randint(1, 4))
            start = base + dt.timedelta(days=rng.randint(0, 4000), hours=rng.randint(0, 8))
            record = {
                "id": f"seminarium-{i:05d}",
                "title": f"{word(rng).capitalize()} och {word(rng)}: {sentence(rng, 5)[:-1]}",
                "code": f"{rng.choice('ABCDE')}{rng.randint(1, 12)}"
                if rng.random() < 0.4
                else None,
                "event": rng.choice(SERIES),
                "start": start.isoformat(timespec="minutes"),
                "end": (start + dt.timedelta(minutes=rng.choice((45, 60, 90)))).isoformat(
                    timespec="minutes"
                ),
                "venue": rng.choice(("Folkets hus", "Scandic City", "Stadshuset", "Aula Magna")),
                "room": rng.choice(("Salong 1", "Sal A", "Konferensrum 3", None)),
                "language": "sv" if rng.random() < 0.9 else "en",
                "summary": paragraph(rng, (2, 3)),
                "body": "\n\n".join(paragraph(rng) for _ in range(rng.randint(1, 3))),
                "speakers": [
                    {
                        "name": s["name"],
                        "role": "moderator" if j == 0 and len(chosen) > 2 else "speaker",
                        "title": s["title"],
                        "bio": s["bio"],
                    }
                    for j, s in enumerate(chosen)
                ],
                "topics": rng.sample(TOPICS, rng.randint(1, 3)),
                "video_url": f"https://www.youtube.com/watch?v=bench{i:06d}",
                "transcript": transcript(rng, [s["name"] for s in chosen], rng.randint(*segments)),
            }
            if slides_every and i % slides_every == 0:
                pdf = out_dir / "slides" / f"s{i:05d}.pdf"
                pdf.write_bytes(make_pdf([paragraph(rng, (1, 2)) for _ in range(4)]))
                record["slides"] = [f"slides/{pdf.name}"]
            fh.write(
                json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False)
                + "\n"
            )
    return path


def main(argv=None):
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seminars", type=int, default=500)
    parser.add_argument("--segments", default="300-3000", help="min-max segments per transcript")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    lo, hi = (int(x) for x in args.segments.split("-"))
    path = generate(args.out_dir, args.seminars, (lo, hi), args.seed)
    print(f"wrote {path} ({args.seminars} seminars)")


if __name__ == "__main__":
    main()
