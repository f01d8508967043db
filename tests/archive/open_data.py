"""A small public archive plus a draft and a private seminar, shared by the task-E tests
(feeds, structured data, API, oEmbed, reports). Every hidden seminar carries the marker
``HIDDEN`` in its title so leaks are easy to spot in any output."""

import datetime as dt
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.models import PageViewRestriction
from wagtailmedia.models import Media

from archive.factories import (
    SeminarPageFactory,
    SeriesFactory,
    SpeakerFactory,
    VenueFactory,
    make_document,
    make_png,
)
from archive.models import SeminarSlide, SeminarSpeaker, Transcript, TranscriptSegment

HIDDEN = "HEMLIGT"


def make_video(title="Inspelning", duration=754.0, size=4096):
    media = Media(title=title, type="video", duration=duration, width=640, height=360)
    media.file.save(
        "inspelning.webm", ContentFile(b"\x1a\x45\xdf\xa3" + b"\0" * (size - 4)), save=False
    )
    media.thumbnail.save("poster.png", ContentFile(make_png(64, 36)), save=False)
    media.save()
    return media


def add_speaker(page, speaker, role="speaker", order=0, title=""):
    return SeminarSpeaker.objects.create(
        page=page, speaker=speaker, role=role, sort_order=order, title=title
    )


def add_transcript(page, review_state="reviewed", segments=None):
    transcript = Transcript.objects.create(seminar=page, review_state=review_state)
    segments = segments or [
        (0, 60, "Inledning", "Välkomna till dagens frukostseminarium."),
        (60, 400, "", "Tillit är grunden för styrningen i offentlig sektor."),
        (400, 754, "Frågor från publiken", "Vi tar några frågor från publiken."),
    ]
    TranscriptSegment.objects.bulk_create(
        TranscriptSegment(
            transcript=transcript,
            position=i,
            start=start,
            end=end,
            chapter=chapter,
            text=text,
            speaker_name="Anna Öberg",
        )
        for i, (start, end, chapter, text) in enumerate(segments)
    )
    return transcript


@dataclass
class Archive:
    root: object
    series: object
    anna: object
    erik: object
    venue: object
    past: object
    upcoming: object
    draft: object
    private: object

    @property
    def hidden(self):
        return [self.draft, self.private]


def build_archive(root) -> Archive:
    now = timezone.now()
    series = SeriesFactory(
        name="Chefsfrukost", organiser="Statskontoret", description="Frukostmöten om ledning."
    )
    anna = SpeakerFactory(name="Anna Öberg", title="professor", affiliation="Göteborgs universitet")
    erik = SpeakerFactory(name="Erik Lind", title="generaldirektör", affiliation="Myndigheten")
    venue = VenueFactory(name="Kulturhuset", street_address="Sergels torg 1", city="Stockholm")

    past = SeminarPageFactory(
        parent=root,
        title="Tillit i styrningen",
        slug="tillit-i-styrningen",
        series=series,
        start=now - dt.timedelta(days=20),
        venue=venue,
        room="Hörsal 2",
        lead="Hur bygger man tillit mellan chefer och medarbetare?",
        video_file=make_video(),
        duration=754,
    )
    add_speaker(past, anna, "speaker", 0)
    add_speaker(past, erik, "moderator", 1)
    past.topics.add("Tillit")
    past.save()
    add_transcript(past)
    SeminarSlide.objects.create(
        page=past, document=make_document(["Sida ett", "Sida två"]), label="Bildspel", sort_order=0
    )

    upcoming = SeminarPageFactory(
        parent=root,
        title="Kompetensförsörjning i kommunerna",
        slug="kompetensforsorjning",
        series=series,
        start=now + dt.timedelta(days=10),
        venue=venue,
        room="Sal A",
        lead="Om att rekrytera och behålla medarbetare.",
    )
    add_speaker(upcoming, erik, "speaker", 0)
    upcoming.topics.add("Tillit")
    upcoming.save()

    hidden = []
    for kind in ("draft", "private"):
        page = SeminarPageFactory(
            parent=root,
            title=f"{HIDDEN} {kind}",
            slug=f"hemligt-{kind}",
            series=series,
            start=now + dt.timedelta(days=5),
            venue=venue,
            lead=HIDDEN,
            video_file=make_video(title=HIDDEN),
            live=(kind != "draft"),
        )
        add_speaker(page, anna, "speaker", 0)
        page.topics.add("Tillit")
        page.save()
        add_transcript(page)
        hidden.append(page)
    PageViewRestriction.objects.create(
        page=hidden[1], restriction_type="password", password="hemligt"
    )
    return Archive(root, series, anna, erik, venue, past, upcoming, hidden[0], hidden[1])
