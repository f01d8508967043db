"""Put the demo archive in the database. Every step is idempotent: rows are found by slug first.

The management command ``load_demo_data`` drives these functions and reports progress.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db.models import ProtectedError
from django.utils import timezone
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.rich_text import RichText
from wagtailmedia.models import get_media_model

from archive.demo import content
from archive.demo.media import make_pdf, portrait_png, poster_png, short_video_webm
from archive.embeds import OfflineEmbedFinder
from archive.models import (
    ArchiveDocument,
    SeminarIndexPage,
    SeminarPage,
    SeminarSlide,
    SeminarSpeaker,
    Series,
    Speaker,
    Transcript,
    Venue,
)
from archive.site_root import INDEX_SLUG, create_archive, make_site_root
from archive.transcript_formats import Cue
from archive.transcript_store import save_transcript

COLLECTION_NAME = "Demo"
ADMIN_USERNAME, ADMIN_PASSWORD = "admin", "changeme"
PORTRAIT_SIZE = 400
VIDEO_COLOURS = [(28, 64, 104), (92, 52, 96), (34, 92, 72)]


@dataclass
class Summary:
    """What one run created; printed at the end of the command."""

    created: dict[str, int] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        target = self.created if created else self.existing
        target[kind] = target.get(kind, 0) + 1


def demo_collection() -> Collection:
    """The collection holding every demo image, document and video (``--reset`` empties it)."""
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=COLLECTION_NAME).first()
    return existing or root.add_child(name=COLLECTION_NAME)


def ensure_admin() -> tuple[object, bool]:
    User = get_user_model()
    user = User.objects.filter(username=ADMIN_USERNAME).first()
    if user:
        return user, False
    return User.objects.create_superuser(ADMIN_USERNAME, "admin@example.org", ADMIN_PASSWORD), True


def ensure_index(summary: Summary) -> SeminarIndexPage:
    """The archive root under Wagtail's root, set as the default site's root page."""
    index = SeminarIndexPage.objects.filter(slug=INDEX_SLUG, depth=2).first()
    summary.count("archive index", index is None)
    if index is None:
        index = create_archive(
            title="Seminarier",
            slug=INDEX_SLUG,
            per_page=12,
            intro="Föreläsningar, konferenspass, frukostmöten och webbinarier om styrning, "
            "ledning och digitalisering i offentlig sektor – med video, bildspel och "
            "utskrifter.",
            title_en="Seminars",
            intro_en="Lectures, conference sessions, breakfast meetings and webinars on "
            "governance, management and digitalisation in the Swedish public sector – with "
            "video, slides and transcripts.",
        )
    make_site_root(index)
    return index


def ensure_snippets(summary: Summary, collection: Collection) -> dict[str, dict]:
    """Series, venues and speakers (with generated portraits), keyed by slug."""
    series, venues, speakers = {}, {}, {}
    for data in content.SERIES:
        obj, created = Series.objects.update_or_create(
            slug=data["slug"], defaults={k: v for k, v in data.items() if k != "slug"}
        )
        series[obj.slug] = obj
        summary.count("series", created)
    for data in content.VENUES:
        obj, created = Venue.objects.update_or_create(
            slug=data["slug"], defaults={k: v for k, v in data.items() if k != "slug"}
        )
        venues[obj.slug] = obj
        summary.count("venues", created)
    Image = get_image_model()
    for slug, name, title, affiliation, colour, bio in content.SPEAKERS:
        obj, created = Speaker.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "family_name": content.FAMILY_NAMES.get(slug, ""),
                "title": title,
                "affiliation": affiliation,
                "bio": bio,
            },
        )
        if obj.photo_id is None:
            png = portrait_png(name, colour, PORTRAIT_SIZE)
            photo = Image(
                title=f"Porträtt: {name}",
                collection=collection,
                file=ImageFile(io.BytesIO(png), name=f"{slug}.png"),
            )
            photo._set_image_file_metadata()  # size and hash, as an admin upload gets them
            photo.save()
            obj.photo = photo
            obj.save(update_fields=["photo"])
        speakers[slug] = obj
        summary.count("speakers", created)
    return {"series": series, "venues": venues, "speakers": speakers}


def local_datetime(days: int, clock: str, today: dt.date | None = None) -> dt.datetime:
    """``days`` from today at ``clock`` (HH:MM), Stockholm time, as an aware datetime."""
    today = today or timezone.localdate()
    hour, minute = (int(p) for p in clock.split(":"))
    naive = dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour, minute))
    return timezone.make_aware(naive)


def cache_embed(url: str) -> Embed:
    """Store the offline finder's iframe for ``url`` so rendering never calls an oEmbed API."""
    data = OfflineEmbedFinder().find_embed(url)
    embed, _created = Embed.objects.update_or_create(
        hash=get_embed_hash(url),
        defaults={
            "url": url,
            "max_width": None,
            **data,
            "thumbnail_url": data["thumbnail_url"] or "",
        },
    )
    return embed


def make_video(title: str, colour, collection: Collection, seconds: int = 8):
    """A wagtailmedia video (WebM, with a poster image) drawn and encoded in code."""
    Media = get_media_model()
    width, height = 640, 360
    media = Media(
        title=title,
        type="video",
        duration=seconds,
        width=width,
        height=height,
        collection=collection,
    )
    media.file.save(
        "demo-video.webm",
        ContentFile(
            short_video_webm(title[:40], "Seminariearkivet", colour, seconds, width, height)
        ),
        save=False,
    )
    media.thumbnail.save(
        "demo-video-poster.png",
        ContentFile(poster_png(title[:40], "Seminariearkivet", colour, width, height)),
        save=False,
    )
    media.save()
    return media


def slide_pages(data: dict) -> list[str]:
    """Each slide's text with a footer naming the seminar, as a real deck has."""
    slides, speakers = (
        data["slides"],
        ", ".join(
            name
            for slug, name, *_rest in content.SPEAKERS
            if slug in {s[0] for s in data["speakers"]}
        ),
    )
    return [
        f"{text}\n\n{data['title']} · {speakers} · {number}/{len(slides)}"
        for number, text in enumerate(slides, start=1)
    ]


def make_slides(data: dict, collection: Collection) -> ArchiveDocument:
    title = f"Bildspel: {data['title']}"
    doc = ArchiveDocument(title=title, collection=collection, page_count=len(data["slides"]))
    doc.file.save(
        f"{data['slug']}.pdf", ContentFile(make_pdf(slide_pages(data), title)), save=False
    )
    # Size and hash, as an upload through the admin gets them: Wagtail's document view sends
    # the hash as the ETag (an empty one matched every If-None-Match: "").
    doc._set_document_file_metadata()
    doc.save()
    return doc


def transcript_segments(
    theme: str,
    count: int,
    duration: float,
    speakers: list,
    rng: random.Random,
    language: str = "sv",
) -> list[dict]:
    """``count`` timed segments spread over ``duration`` seconds, speakers taking turns, with
    chapter headings in the talk's ``language``."""
    lines = content.TRANSCRIPT_LINES[theme]
    step = duration / count
    headings = content.CHAPTERS_EN if language == "en" else content.CHAPTERS
    segments, chapters = [], dict(headings)
    chapter_at = {round(fraction * (count - 1)): heading for fraction, heading in chapters.items()}
    turn = 0
    for i in range(count):
        if i and rng.random() < 0.25:
            turn += 1
        start = round(i * step + rng.uniform(0, step * 0.1), 2)
        segments.append(
            {
                "position": i,
                "start": start,
                "end": round(min(duration, (i + 1) * step), 2),
                "speaker": speakers[turn % len(speakers)] if speakers else None,
                "text": lines[i % len(lines)],
                "chapter": chapter_at.get(i, ""),
            }
        )
    return segments


def add_transcript(
    page: SeminarPage, theme: str, count: int, rng: random.Random, user=None
) -> Transcript:
    """Save the transcript the way editors and importers do (``save_transcript``), so the
    search index hears of it once its segments are in."""
    speakers = [link.speaker for link in page.seminar_speakers.all()]
    cues = [
        Cue(
            seg["start"],
            seg["end"],
            seg["text"],
            speaker=seg["speaker"].name if seg["speaker"] else "",
            chapter=seg["chapter"],
        )
        for seg in transcript_segments(
            theme, count, float(page.duration or 600), speakers, rng, page.language
        )
    ]
    return save_transcript(
        page,
        cues,
        source_name="demo",
        user=user,
        review_state=Transcript.ReviewState.REVIEWED,
    )


def build_seminar(
    data: dict,
    index: SeminarIndexPage,
    snippets: dict,
    collection: Collection,
    rng: random.Random,
    user,
    video_number: int,
) -> SeminarPage:
    start = local_datetime(data["days"], data["time"])
    page = SeminarPage(
        title=data["title"],
        slug=data["slug"],
        code=data["code"],
        format=data["format"],
        language=data.get("language", "sv"),
        start=start,
        end=start + dt.timedelta(minutes=data["minutes"]),
        time_known=data.get("time_known", True),
        series=snippets["series"].get(data["series"]),
        venue=snippets["venues"].get(data["venue"]),
        room=data["room"],
        lead=data["lead"],
        body=[("paragraph", RichText(f"<p>{p}</p>")) for p in data["body"]],
        live=False,
    )
    for order, (slug, role, title) in enumerate(data["speakers"]):
        page.seminar_speakers.add(
            SeminarSpeaker(
                speaker=snippets["speakers"][slug],
                role=role,
                title=title,
                sort_order=order,
            )
        )
    if reg := data.get("registration"):
        page.registration_url = reg["url"]
        page.registration_note = reg["note"]
        page.registration_deadline = local_datetime(data["days"] - reg["days_before"], "23:59")
    if contact := data.get("contact"):
        page.contact_name, page.contact_email, page.contact_phone = contact
    if data["video"] == "embed":
        page.video_url = data["video_url"]
        page.duration = data["duration"]
        cache_embed(page.video_url)
    elif data["video"] == "file":
        colour = VIDEO_COLOURS[video_number % len(VIDEO_COLOURS)]
        page.video_file = make_video(data["title"], colour, collection)
        page.duration = int(page.video_file.duration)
    if data["slides"]:
        page.slides.add(SeminarSlide(document=make_slides(data, collection), label=""))
    page.topics.add(*data["topics"])
    index.add_child(instance=page)
    page.save_revision(user=user).publish(user=user)
    if data.get("transcript"):
        theme, count = data["transcript"]
        add_transcript(page, theme, count, rng, user=user)
    return page


def reset_demo() -> dict[str, int]:
    """Delete demo seminars, their files and the demo snippets not used by other content."""
    deleted = {}
    slugs = [s["slug"] for s in content.SEMINARS]
    pages = SeminarPage.objects.filter(slug__in=slugs)
    deleted["seminars"] = pages.count()
    for page in pages:
        page.delete()
    collection = Collection.objects.filter(name=COLLECTION_NAME).first()
    if collection:
        for model in (get_image_model(), ArchiveDocument, get_media_model()):
            objects = model.objects.filter(collection=collection)
            deleted[model._meta.verbose_name_plural] = objects.count()
            for obj in objects:
                obj.delete()
    snippet_sets = [
        (Speaker, [s[0] for s in content.SPEAKERS]),
        (Series, [s["slug"] for s in content.SERIES]),
        (Venue, [v["slug"] for v in content.VENUES]),
    ]
    for model, model_slugs in snippet_sets:
        count = 0
        for obj in model.objects.filter(slug__in=model_slugs):
            try:
                obj.delete()
                count += 1
            except ProtectedError:
                continue  # still used by imported content: keep it
        deleted[str(model._meta.verbose_name_plural)] = count
    for url in {s.get("video_url") for s in content.SEMINARS if s.get("video_url")}:
        Embed.objects.filter(hash=get_embed_hash(url)).delete()
    return deleted
