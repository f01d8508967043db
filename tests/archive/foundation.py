"""Helpers shared by the foundation tests (pages, listing, validation, admin, demo smoke)."""

import datetime as dt

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield
from wagtailmedia.models import Media

from archive.demo.media import portrait_png, short_video_webm
from archive.factories import SeminarPageFactory, SeminarSpeakerFactory, SpeakerFactory
from archive.models import SeminarSlide


def in_days(days: float, hour: int = 14) -> dt.datetime:
    now = timezone.localtime()
    return (now + dt.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def both_languages(msgid: str, **params) -> set[str]:
    """The English text and its Swedish translation: the admin may show either."""
    texts = set()
    for code in ("en", "sv"):
        with translation.override(code):
            text = gettext(msgid)
            texts.add(text % params if params else text)
    return texts


def assert_shows_one_of(html: str, texts: set[str]) -> None:
    assert any(t in html for t in texts), f"none of {texts!r} in the response"


def assert_no_empty_extension_error(html: str) -> None:
    """Wagtail's extension check of a file the form already refused once added "“” is not a
    valid extension" about a file that ends in .pdf: it must not show, in either language."""
    for text in both_languages(
        "File extension “%(extension)s” is not allowed. Allowed extensions are: "
        "%(allowed_extensions)s.",
        extension="",
        allowed_extensions="pdf",
    ):
        assert text not in html
    assert "“”" not in html


def seminar(parent, **kwargs):
    return SeminarPageFactory(parent=parent, **kwargs)


def add_speaker(page, name="Åsa Öberg", role="speaker", photo=False, **speaker_kwargs):
    speaker = SpeakerFactory(name=name, **speaker_kwargs)
    if photo:
        speaker.photo = make_image(name)
        speaker.save()
    return SeminarSpeakerFactory(page=page, speaker=speaker, role=role, sort_order=0).speaker


def make_image(name="Åsa Öberg"):
    image = get_image_model()(
        title=name,
        file=ImageFile(ContentFile(portrait_png(name, (40, 90, 140), 120)), name="portrait.png"),
    )
    image.save()
    return image


def make_video(title="Inspelning", seconds=1):
    """A real (tiny) WebM upload registered as a wagtailmedia video."""
    media = Media(title=title, type="video", duration=seconds, width=160, height=90)
    media.file.save(
        "inspelning.webm",
        ContentFile(short_video_webm(title, "", seconds=seconds, width=160, height=90, fps=8)),
        save=False,
    )
    media.save()
    return media


def add_slides(page, document, label=""):
    return SeminarSlide.objects.create(page=page, document=document, label=label, sort_order=0)


def make_private(page):
    return PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="hemligt"
    )


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def add_url(model, parent) -> str:
    meta = model._meta
    return reverse("wagtailadmin_pages:add", args=[meta.app_label, meta.model_name, parent.pk])


def admin_form_data(client, url: str):
    """The admin page form's current values, as the browser would post them.

    StreamField blocks are drawn by JavaScript, so the body is posted as an empty stream.
    """
    response = client.get(url)
    assert response.status_code == 200, url
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data.update(nested_form_data({"body": streamfield([])}))
    return data
