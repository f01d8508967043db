"""Factories for tests and demo data, plus generators of real files (PDF, image) made in code."""

import datetime as dt
import io

import factory
import wagtail_factories
from django.core.files.base import ContentFile
from django.utils import timezone

# make_pdf lives with the demo's files: load_demo_data must not need factory-boy.
from archive.demo.media import make_pdf
from archive.models import (
    ArchiveDocument,
    SeminarIndexPage,
    SeminarPage,
    SeminarSlide,
    SeminarSpeaker,
    Series,
    Speaker,
    Venue,
)


def make_png(width: int = 320, height: int = 320, color=(40, 90, 140), text: str = "") -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (width, height), color)
    if text:
        draw = ImageDraw.Draw(img)
        draw.text((width // 3, height // 2 - 10), text, fill=(255, 255, 255))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def make_document(pages: list[str], title: str = "Slides", filename: str = "slides.pdf"):
    doc = ArchiveDocument(title=title)
    doc.file.save(filename, ContentFile(make_pdf(pages, title)), save=False)
    doc.save()
    return doc


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Seminarieserie {n}")


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Konferenshus {n}")
    street_address = "Storgatan 1"
    city = "Sundsvall"


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    name = factory.Sequence(lambda n: f"Talare Nummer{n}")
    title = "utredare"
    affiliation = "Statskontoret"
    bio = "Har lång erfarenhet av arbete i offentlig sektor."


class SeminarIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = SeminarIndexPage

    title = "Seminarier"
    slug = factory.Sequence(lambda n: f"seminarier-{n}")


class SeminarPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = SeminarPage

    title = factory.Sequence(lambda n: f"Seminarium {n}")
    slug = factory.Sequence(lambda n: f"seminarium-{n}")
    start = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30))
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(hours=1))
    lead = "Ett seminarium om tillitsbaserad styrning."
    format = "conference_session"
    language = "sv"


class SeminarSpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeminarSpeaker

    speaker = factory.SubFactory(SpeakerFactory)
    role = "speaker"


class SeminarSlideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeminarSlide

    label = "Presentation"
